import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_MODES, NODE_MODES, PYTHON_MODES, type BenchMode, type HarnessEvent } from '../core/bench/events';
import { declaredAsync, defaultNodeModes, isNodeTarget } from '../core/bench/nodeTarget';
import { agreement, allRunsFinished, benchRecord, cpuWaitText, type BenchRecord } from '../core/bench/record';
import { DEFAULT_BUDGET_SECONDS, defaultWorkers } from '../core/bench/recommend';
import { runBench, type BenchOutcome, type StartMethod } from '../core/bench/runner';
import { measurableVerdict } from '../core/dispatch';
import { functionSourceHash, measuredEntryOf, recordMeasured, storeFileKey, storeFolder } from '../core/measuredStore';
import { analyzePaths } from '../core/python/analyzer';
import { typedCommand } from '../core/python/interpreter';
import { readTextFile } from '../core/files';
import type { FunctionReport } from '../core/model';
import { loadTypeScriptAnalysis } from './typescriptChunk';

const START_METHODS: readonly StartMethod[] = ['default', 'spawn', 'fork', 'forkserver'];
const DEFAULT_TASKS = 16;
const DEFAULT_TIMEOUT_SECONDS = 300;

/** A mistake in the command line or in what it names: exit status 2. */
export class InputError extends Error {}

/** `concurrency-lens bench FILE:QUALNAME --call EXPR ...`: exit 0 when every run finished, 1 when one failed, 2 on input errors. */
export async function benchCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      call: { type: 'string' },
      tasks: { type: 'string' },
      workers: { type: 'string' },
      modes: { type: 'string' },
      'start-method': { type: 'string' },
      timeout: { type: 'string' },
      budget: { type: 'string' },
      'dask-scheduler': { type: 'string' },
      python: { type: 'string', default: 'python3' },
      node: { type: 'string' },
      json: { type: 'boolean', default: false },
      workspace: { type: 'string', default: '.' },
      'no-store': { type: 'boolean', default: false },
    },
  });
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new InputError('bench needs exactly one FILE:QUALNAME');
  const colon = target.lastIndexOf(':');
  if (colon <= 0 || colon === target.length - 1) throw new InputError(`'${target}' is not FILE:QUALNAME (e.g. reports/generator.py:primes_below)`);
  const file = target.slice(0, colon);
  const qualname = target.slice(colon + 1);
  if (!fs.existsSync(file)) throw new InputError(`no such file: ${file}`);
  if (!fs.statSync(values.workspace, { throwIfNoEntry: false })?.isDirectory()) throw new InputError(`--workspace is not a folder: ${values.workspace}`);
  if (values.call === undefined) throw new InputError(`--call is needed: the call to run per task, with i as the task index, e.g. --call '${qualname}(i)'`);
  const tasks = positiveInteger(values.tasks ?? String(DEFAULT_TASKS), '--tasks');
  const timeoutSeconds = positiveInteger(values.timeout ?? String(DEFAULT_TIMEOUT_SECONDS), '--timeout');
  const budgetSeconds = nonNegativeNumber(values.budget ?? String(DEFAULT_BUDGET_SECONDS), '--budget');
  const node = isNodeTarget(file);
  const python = typedCommand(values.python);
  const startMethod = (values['start-method'] ?? 'default') as StartMethod;
  if (!START_METHODS.includes(startMethod)) throw new InputError(`--start-method must be one of ${START_METHODS.join(', ')}`);
  if (node && values['start-method'] !== undefined) throw new InputError('--start-method is for Python targets; a Node child_process pool forks');

  // Node targets: `async` joins the default modes for a function declared async (a look at the source,
  // without the TypeScript compiler), and its worker sweep goes beyond the cores as for waits.
  const declaredAsyncFn = node && declaredAsync(readTextFile(file) ?? '', qualname);
  // A run measures a dispatcher as a whole (with its wait on its pool): that is the verdict it is compared with.
  const analyzed = node ? await nodeStaticVerdictOf(file, qualname) : await staticVerdictOf(file, qualname, python);
  const staticVerdict = analyzed && { ...analyzed, ...measurableVerdict(analyzed) };
  const modes = values.modes !== undefined ? modeList(values.modes, node ? NODE_MODES : PYTHON_MODES) : node ? defaultNodeModes(declaredAsyncFn || staticVerdict?.async === true) : defaultModes(staticVerdict);
  const cores = (await import('node:os')).availableParallelism();
  const sweepFor = staticVerdict?.verdict ?? (declaredAsyncFn ? 'async-io' : undefined);
  const daskScheduler = values['dask-scheduler'];
  if (daskScheduler !== undefined && !modes.includes('dask')) throw new InputError('--dask-scheduler is for the dask mode: add dask to --modes');
  if (daskScheduler !== undefined && !/^[a-z]+:\/\/\S+$/.test(daskScheduler)) throw new InputError(`--dask-scheduler takes a scheduler address such as tcp://HOST:PORT, not '${daskScheduler}'`);
  const workers = values.workers !== undefined ? values.workers.split(',').map((w) => positiveInteger(w, '--workers')) : defaultWorkers(cores, sweepFor);

  const showProgress = !values.json && process.stderr.isTTY;
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  let outcome: BenchOutcome;
  try {
    outcome = await runBench({
      ...(node ? { runtime: 'node' as const, node: values.node ?? process.execPath } : { runtime: 'python' as const, python }),
      file,
      qualname,
      call: values.call,
      tasks,
      modes,
      workers,
      startMethod,
      ...(daskScheduler !== undefined && { daskScheduler }),
      timeoutSeconds,
      budgetSeconds,
      signal: controller.signal,
      onEvent: showProgress ? progressLine : undefined,
    });
  } finally {
    process.off('SIGINT', interrupt);
    if (showProgress) process.stderr.write('\r\x1b[K');
  }

  if (outcome.kind === 'no-interpreter') throw new InputError(outcome.message);
  if (outcome.kind === 'input-error') {
    const { error } = outcome;
    const detail = error.stage === 'import' ? `\n${error.traceback.trim()}` : '';
    throw new InputError(`${error.stage === 'import' ? `importing ${file} failed: ` : ''}${error.exception}: ${error.message}${detail}`);
  }
  const document = benchRecord({ file, function: qualname, call: values.call }, tasks, outcome, staticVerdict, cores, budgetSeconds);
  if (values.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else process.stdout.write(renderRuns(document));
  if (outcome.kind === 'cancelled') return 130;
  if (!values['no-store']) storeResult(values.workspace, file, staticVerdict, document);
  return allRunsFinished(document) ? 0 : 1;
}

/** Keeps the result in the workspace's store, where `analyze` and the editor show it; says why when it cannot. */
function storeResult(workspace: string, file: string, fn: FunctionReport | undefined, record: BenchRecord): void {
  const text = readTextFile(file);
  const entry = fn && text !== undefined
    ? measuredEntryOf(record, { file: storeFileKey(workspace, file), qualname: fn.qualname, sourceHash: functionSourceHash(text, fn.line, fn.endLine) }, new Date())
    : undefined;
  if (!fn) process.stderr.write(`not stored: the analyzer found no function ${record.target.function} in ${file}\n`);
  if (!entry) return;
  try {
    recordMeasured(workspace, entry);
  } catch (error) {
    process.stderr.write(`not stored in ${storeFolder(workspace)}: ${(error as Error).message}\n`);
  }
}

function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InputError(`${option} takes a positive whole number, not '${text}'`);
  return value;
}

function nonNegativeNumber(text: string, option: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InputError(`${option} takes a number of seconds, 0 or more, not '${text}'`);
  return value;
}

function modeList(text: string, allowed: readonly BenchMode[] = BENCH_MODES): BenchMode[] {
  const modes = text.split(',').filter((mode) => mode !== '');
  const unknown = modes.filter((mode) => !allowed.includes(mode as BenchMode));
  if (unknown.length > 0 || modes.length === 0) throw new InputError(`--modes takes ${allowed.join(', ')} for this file, not '${text}'`);
  return modes as BenchMode[];
}

function defaultModes(verdict: FunctionReport | undefined): BenchMode[] {
  return verdict?.async ? ['sequential', 'asyncio', 'threads', 'processes'] : ['sequential', 'threads', 'processes'];
}

/**
 * The static verdict of a TS/JS function, from the TypeScript analyzer (the file and the local files it
 * imports), loaded on demand (the compiler chunk). A failed analysis leaves the verdict out; it never
 * stops the run.
 */
async function nodeStaticVerdictOf(file: string, qualname: string): Promise<FunctionReport | undefined> {
  try {
    const absolute = path.resolve(file);
    const reports = loadTypeScriptAnalysis().analyzeScriptFiles([absolute]);
    const fileReport = reports.find((f) => path.resolve(f.path) === absolute);
    return fileReport?.functions.find((fn) => fn.qualname === qualname);
  } catch {
    return undefined;
  }
}

/** The analyzer's verdict for the function, from the file's package (so its imports resolve). */
async function staticVerdictOf(file: string, qualname: string, python: string): Promise<FunctionReport | undefined> {
  let root = path.dirname(path.resolve(file));
  while (fs.existsSync(path.join(root, '__init__.py'))) root = path.dirname(root);
  const report = await analyzePaths([root], { python }).catch(() => analyzePaths([root], { python: null }));
  const absolute = path.resolve(file);
  const fileReport = report.files.find((f) => path.resolve(f.path) === absolute);
  return fileReport?.functions.find((fn) => fn.qualname === qualname);
}

function progressLine(event: HarnessEvent): void {
  if (event.type !== 'progress') return;
  const width = 24;
  const filled = Math.round((width * event.done) / event.total);
  const label = `${event.mode}${event.mode === 'sequential' ? '' : ` x${event.workers}`}`;
  process.stderr.write(`\r${label.padEnd(16)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${event.done}/${event.total}`);
}

function renderRuns(record: BenchRecord): string {
  const node = record.runs.some((run) => run.eventLoopBlocked !== undefined);
  const waits = record.runs.some((run) => run.cpuWait);
  const header = ['mode', 'workers', 'wall s', '±', 'cpu s', 'speedup', 'efficiency', node ? 'loop blocked' : 'GIL wait', ...(waits ? ['CPU wait'] : []), 'runs'];
  const share = (value: number | null | undefined): string => (value === null || value === undefined ? '' : `${Math.round(value * 100)}%`);
  const rows = record.runs.map((run) => [
    run.mode,
    String(run.workers),
    run.wallSeconds.toFixed(3),
    run.spread === undefined ? '' : run.spread.toFixed(3),
    run.cpuSeconds.toFixed(3),
    run.speedup === null ? '' : `${run.speedup.toFixed(2)}x${run.speedupSpread ? ` ± ${run.speedupSpread.toFixed(2)}` : ''}`,
    run.efficiency === null ? '' : `${Math.round(run.efficiency * 100)}%`,
    share(node ? run.eventLoopBlocked : run.gilContention),
    ...(waits ? [cpuWaitText(run.cpuWait)] : []),
    `${run.repeats ?? 1}${run.contended ? ' (starved)' : ''}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string => `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd();
  const lines = [line(header), ...rows.map(line)];
  for (const run of record.runs) if (run.error) lines.push(`  ${run.mode} x${run.workers} failed: ${run.error}`);
  const runtime = node || isNodeTarget(record.target.file) ? 'Node' : 'Python';
  const interpreter = !record.interpreter
    ? `${runtime} ?`
    : runtime === 'Node'
      ? `Node ${record.interpreter.version}`
      : `Python ${record.interpreter.version}${record.interpreter.gilEnabled ? '' : ' (free-threaded)'}`;
  const rounds = record.protocol ? `, medians of ${record.protocol.rounds} round${record.protocol.rounds === 1 ? '' : 's'}` : '';
  lines.push('', `${record.tasks} tasks, ${record.cores} cores, ${interpreter}${rounds}`);
  if (record.recommendation) lines.push(`measured: use ${record.recommendation} (${record.reason})`);
  if (record.inconclusive) lines.push(`measured: inconclusive: ${record.inconclusive}`);
  if (record.staticVerdict) {
    const agrees = agreement(record);
    lines.push(`static verdict: ${record.staticVerdict.verdict}, ${record.staticVerdict.recommendation}${agrees === null ? '' : agrees ? ' (agrees)' : ' (disagrees)'}`);
  }
  if (record.stopped) lines.push(`stopped: ${record.stopped}`);
  for (const run of record.runs) {
    if (run.perTaskOverheadMs === undefined) continue;
    const overhead = run.perTaskOverheadMs === null ? '?' : `${run.perTaskOverheadMs.toFixed(1)} ms`;
    lines.push(`dask x${run.workers}: ${overhead} per-task overhead, ${run.bytesPerTask ?? '?'} bytes per task`);
  }
  if (record.cluster) lines.push(`cluster: ${record.cluster.text}`);
  if (record.warning) lines.push(`warning: ${record.warning}`);
  return `${lines.join('\n')}\n`;
}
