import * as path from 'node:path';
import { WORKER_CONSTRUCTORS, WORKER_POOLS } from '../knowledge/node';
import type { Finding } from '../model';
import { RULES, type RuleId } from '../rules';
import type { TsCallFact, TsFunctionFacts } from './facts';
import type { ScriptEntry, ScriptProgram } from './program';
import { decide, emptySummary, HEAVY_CPU, HEAVY_NEST, knownToBlock, showChain, type ScriptVerdictEngine, type Summary } from './verdicts';

type Add = (rule: RuleId, line: number, message: string) => void;

/** Constructors the Worker rules look at (by last name: other calls are not resolved at all). */
const WORKER_NAMES = new Set(['Worker', 'Piscina', 'pool']);

/** How a function is named in a message. */
function describe(fn: TsFunctionFacts): string {
  const what = fn.handler ? 'request handler' : fn.async ? 'async function' : 'function';
  return fn.reported ? `${what} \`${fn.qualname}\`` : `the ${fn.handler ? 'request handler' : fn.async ? 'async callback' : 'callback'} at line ${fn.line}`;
}

/** The findings of one file, sorted by line, without those suppressed by an `ignore` comment. */
export function scriptFindings(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const add: Add = (rule, line, message) => {
    const key = `${rule}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ rule, line, severity: RULES[rule].severity, message });
  };
  for (const fn of entry.facts.functions) {
    for (const call of fn.calls) {
      const last = call.callee.slice(call.callee.lastIndexOf('.') + 1);
      if (WORKER_NAMES.has(last)) checkWorker(engine, program, entry, fn, call, add);
    }
    checkLoopedWorkerFactories(engine, entry, fn, add);
    if (fn.async || fn.handler) checkEventLoop(engine, entry, fn, add);
  }
  const suppressions = entry.facts.suppressions;
  return findings
    .filter((f) => {
      const ignored = Object.hasOwn(suppressions, f.line) ? suppressions[f.line] : undefined;
      return ignored === undefined || (ignored.length > 0 && !ignored.includes(f.rule));
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

/** Loops around a call, counting those of the functions it sits in as a callback (`items.map(x => …)`). */
function effectiveDepth(entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): number {
  let depth = call.loopDepth;
  for (let inner: TsFunctionFacts | undefined = fn; inner && !inner.reported && inner.inline !== undefined && inner.inline !== 'separate'; inner = entry.facts.functions[inner.parent]) {
    depth += (inner.inlineDepth ?? 0) + (inner.inline === 'per-item' ? 1 : 0);
  }
  return depth;
}

/** Inside a loop that builds a pool (sized by the worker or core count), itself or around the callback it is in. */
function inPoolLoop(entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): boolean {
  if (call.poolLoop) return true;
  for (let inner: TsFunctionFacts | undefined = fn; inner && !inner.reported; inner = entry.facts.functions[inner.parent]) {
    if (inner.poolLoop) return true;
  }
  return false;
}

function workerKind(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): 'worker' | 'pool' | undefined {
  const sym = engine.resolve(call.callee, entry, fn);
  if (sym.kind !== 'external') return undefined;
  if (WORKER_CONSTRUCTORS.has(sym.name) && call.isNew) return 'worker';
  if (WORKER_POOLS.has(sym.name)) return 'pool';
  return undefined;
}

/** CL102 (a worker whose script only waits) and CL103 (a worker or a pool per task in a loop). */
function checkWorker(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact, add: Add): void {
  const kind = workerKind(engine, entry, fn, call);
  if (!kind) return;
  if (effectiveDepth(entry, fn, call) > 0 && !inPoolLoop(entry, fn, call)) {
    add(
      'CL103',
      call.line,
      kind === 'worker'
        ? 'a new Worker per task, inside a loop: each one starts a V8 isolate and an event loop (tens of milliseconds and megabytes) and runs one task. Create a fixed pool once (about one worker per core, e.g. piscina) and post the tasks to it.'
        : 'a worker pool created on every pass of the loop: its workers start each time. Create the pool once, outside the loop, and run the tasks on it.',
    );
  }
  if (call.script === undefined) return;
  const task = workerTask(engine, program, entry, call.script);
  if (!task) return;
  const { verdict, evidence } = decide({ line: task.line, async: false }, task.summary);
  if (verdict !== 'io' && verdict !== 'async-io') return;
  const first = evidence[0];
  const why = first ? ` (${task.where}line ${first.line}: ${first.reason})` : '';
  add(
    'CL102',
    call.line,
    `the worker's task only waits on I/O${why}: worker_threads do not make waiting faster. The main thread's event loop overlaps waits just as well with async APIs, without a thread's start-up, memory and message copying. Do the I/O with async calls (Promise.all) on the main thread.`,
  );
}

/** The work of a worker script per task: its `parentPort.on('message')` handlers, else its top-level code. */
function workerTask(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, script: string): { summary: Summary; line: number; where: string } | undefined {
  const self = script === '<self>';
  const file = self ? entry.file : program.locate(script);
  const target = file === null ? undefined : program.entry(file);
  if (!target) return undefined;
  const handlers = target.facts.workerHandlers.map((id) => target.facts.functions[id]).filter((fn): fn is TsFunctionFacts => fn !== undefined);
  const where = self ? '' : `${path.basename(target.file)}, `;
  if (handlers.length === 0) {
    const module = target.facts.functions[0];
    if (self || !module) return undefined;
    return { summary: engine.summarize(target, module), line: 1, where };
  }
  const summaries = handlers.map((fn) => engine.summarize(target, fn));
  if (summaries.length === 1) return { summary: summaries[0] as Summary, line: handlers[0]?.line ?? 1, where };
  const merged = emptySummary();
  for (const s of summaries) {
    for (const kind of ['cpu', 'io', 'asyncIo', 'unknown'] as const) merged.scores[kind] += s.scores[kind];
    merged.contributions.push(...s.contributions);
    merged.loops += s.loops;
    merged.recursive ||= s.recursive;
    merged.cheapWork += s.cheapWork;
  }
  merged.contributions.sort((a, b) => b.weight - a.weight);
  return { summary: merged, line: handlers[0]?.line ?? 1, where };
}

/** CL103 through a call: a function that creates a Worker, called in a loop or once per element. */
function checkLoopedWorkerFactories(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts, add: Add): void {
  for (const call of fn.calls) {
    const depth = inPoolLoop(entry, fn, call) ? 0 : effectiveDepth(entry, fn, call);
    const perElement = call.argChains !== undefined && /\.(map|forEach|flatMap)$/.test(call.callee);
    if (depth === 0 && !perElement) continue;
    const chains = depth > 0 ? [call.callee, ...(perElement ? (call.argChains ?? []) : [])] : (call.argChains ?? []);
    for (const chain of chains) {
      const sym = engine.resolve(chain, entry, fn);
      const target = sym.kind === 'function' ? sym : undefined;
      if (!target || target.fn === fn) continue;
      const created = target.fn.calls.find((c) => WORKER_NAMES.has(c.callee.slice(c.callee.lastIndexOf('.') + 1)) && effectiveDepth(target.entry, target.fn, c) === 0 && workerKind(engine, target.entry, target.fn, c) !== undefined)
        ?? inlinedWorker(engine, target.entry, target.fn);
      if (!created) continue;
      add(
        'CL103',
        call.line,
        `\`${target.fn.qualname}\` creates a new Worker on every call (line ${created.line}), and it runs once per task here: each task pays a worker's start-up (a V8 isolate, tens of milliseconds). Create a fixed pool once (about one worker per core, e.g. piscina) and post the tasks to it.`,
      );
    }
  }
}

/** A Worker created in a callback run once by `fn` (`new Promise((resolve) => { new Worker(…) })`). */
function inlinedWorker(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts): TsCallFact | undefined {
  for (const child of entry.inlined.get(fn.id) ?? []) {
    if (child.inline !== 'once' && child.inline !== 'deferred') continue;
    const found = child.calls.find((c) => c.loopDepth === 0 && WORKER_NAMES.has(c.callee.slice(c.callee.lastIndexOf('.') + 1)) && workerKind(engine, entry, child, c) !== undefined);
    if (found) return found;
  }
  return undefined;
}

/**
 * CL101: in an async function or a request handler, a synchronous wait or CPU-heavy work (a heavy
 * native call, a CPU-bound function, a CPU-bound loop), directly or through the plain functions it
 * calls. Calls into async functions are left to those functions' own findings.
 */
function checkEventLoop(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts, add: Add): void {
  const summary = engine.summarize(entry, fn);
  const where = describe(fn);
  const stalls = fn.handler ? 'Every other request waits meanwhile' : 'Every other callback and request waits meanwhile';
  let cpuFlagged = false;
  for (const c of summary.contributions) {
    if (knownToBlock(c) && c.blocking) {
      const calls = c.blocking.calls;
      const api = calls.at(-1) ?? calls[0] ?? '';
      const through = calls.length > 1 ? ` through ${calls.map(showChain).join(' → ')}` : '';
      const instead = c.blocking.instead ? `use ${c.blocking.instead} (await it)` : 'use the async API';
      add('CL101', c.line, `\`${showChain(api)}\` blocks the event loop in ${where}${through}: ${c.blocking.why}. ${stalls}: ${instead}.`);
    } else if (c.kind === 'cpu' && c.heavy && !c.fromAsync) {
      const calls = c.heavy.calls;
      const through = calls.length > 1 ? ` through ${calls.map(showChain).join(' → ')}` : '';
      const last = calls.at(-1) ?? '';
      if (c.heavy.cpuBoundFunction) {
        add('CL101', c.line, `\`${showChain(last)}\` is CPU-bound (${c.heavy.why}) and runs on the event loop in ${where}${through}. ${stalls}: run it in a worker_threads pool (e.g. piscina).`);
      } else {
        const asyncForm = last.endsWith('Sync') ? `, or use \`${showChain(last.slice(0, -'Sync'.length))}\`, whose async form runs in libuv's thread pool` : '';
        add('CL101', c.line, `\`${showChain(last)}\` is CPU work on the event loop in ${where}${through}: ${c.heavy.why}. ${stalls}: run it in a worker_threads pool (e.g. piscina)${asyncForm}.`);
      }
      cpuFlagged = true;
    }
  }
  if (cpuFlagged || summary.scores.cpu < HEAVY_CPU || summary.nest < HEAVY_NEST) return;
  const { verdict } = decide(fn, summary);
  if (verdict !== 'cpu') return;
  const loop = summary.contributions.find((c) => c.kind === 'cpu' && !c.fromAsync);
  if (!loop) return;
  add('CL101', loop.line, `CPU-bound work on the event loop in ${where} (${loop.reason}): ${stalls}. Run the loop in a worker_threads pool (e.g. piscina), or split it into chunks that yield (setImmediate) between them.`);
}
