import type { Finding, FixHint } from '../model';
import { POOLS, PROCESS_TASKS, STARTS_PROCESSES, THREAD_TASKS } from '../knowledge/pools';
import { RULES, type RuleId } from '../rules';
import type { CallFact, FunctionFacts } from './facts';
import type { ModuleEntry } from './program';
import { splitChain } from './chain';
import { knownToBlock, showChain, type VerdictEngine } from './verdicts';

type Add = (rule: RuleId, line: number, message: string, fix?: FixHint) => void;

const lastName = (name: string): string => splitChain(name).at(-1)?.name ?? '';
/** Last names of every API above: calls named otherwise are not resolved at all (most calls are not pool calls). */
const RELEVANT_NAMES = new Set([...THREAD_TASKS, ...PROCESS_TASKS, ...POOLS, ...STARTS_PROCESSES].map(lastName));

/** The other kind of worker for a task API: a thread pool's process pool and back. */
function counterpart(api: string): string {
  if (api === 'threading.Thread') return 'multiprocessing.Process';
  if (api === 'multiprocessing.Process') return 'threading.Thread';
  if (api.startsWith('multiprocessing.pool.ThreadPool.')) return 'multiprocessing.Pool';
  if (api.startsWith('multiprocessing.pool.Pool.')) return 'multiprocessing.pool.ThreadPool';
  return api.includes('ThreadPoolExecutor') ? 'ProcessPoolExecutor' : 'ThreadPoolExecutor';
}

const shortName = (qualified: string): string => qualified.split('.').slice(-2).join('.');

/** The findings of one module, sorted by line, without those suppressed by an `ignore` comment. */
export function findingsOf(engine: VerdictEngine, entry: ModuleEntry): Finding[] {
  const findings: Finding[] = [];
  const add: Add = (rule, line, message, fix) => {
    findings.push({ rule, line, severity: RULES[rule].severity, message, ...(fix && { fix }) });
  };
  for (const fn of [entry.facts.module, ...entry.facts.functions]) {
    for (const call of fn.calls) {
      if (RELEVANT_NAMES.has(lastName(call.callee))) checkCall(engine, entry, fn, call, add);
    }
    if (fn.async) checkAsync(engine, entry, fn, add);
  }
  const suppressions = entry.facts.suppressions ?? {};
  return findings
    .filter((f) => {
      const ignored = suppressions[f.line];
      return ignored === undefined || (ignored.length > 0 && !ignored.includes(f.rule));
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

function checkCall(
  engine: VerdictEngine,
  entry: ModuleEntry,
  fn: FunctionFacts,
  call: CallFact,
  add: Add,
): void {
  const sym = engine.resolve(call.callee, entry, fn);
  if (sym.kind !== 'external') return;
  const api = sym.name;

  if (POOLS.has(api) && call.loopDepth > 0) {
    add('CL006', call.line, `${shortName(api)} is created on every pass of the loop: its start-up is paid each time. Create the pool once, outside the loop, and submit to it.`);
  }
  if (STARTS_PROCESSES.has(api) && fn === entry.facts.module && !call.mainGuarded) {
    add('CL004', call.line, `${shortName(api)} at module level without an \`if __name__ == "__main__":\` guard: under the spawn start method (macOS, Windows, and the default from Python 3.14) every worker re-imports this module and starts processes again. Move it under the guard.`, { kind: 'main-guard' });
  }

  const threads = THREAD_TASKS.has(api);
  const processes = PROCESS_TASKS.has(api);
  if (!threads && !processes) return;
  if (call.lambdaArg) {
    if (processes) add('CL003', call.line, `a lambda handed to ${shortName(api)}: lambdas cannot be pickled (PicklingError). Use a function defined at module level.`);
    return;
  }
  if (!call.firstArgName) return;
  const target = engine.resolve(call.firstArgName, entry, fn);
  if (target.kind !== 'function') return;
  const name = target.fn.qualname;
  if (processes && name.includes('<locals>')) {
    add('CL003', call.line, `\`${name}\` is a nested function: a process pool cannot pickle it ("Can't pickle local object"). Define it at module level.`);
    return;
  }
  const report = engine.reportFunction(target.entry, target.fn);
  const why = report.evidence[0] ? ` (line ${report.evidence[0].line}: ${report.evidence[0].reason})` : '';
  const interpreter = engine.assumedInterpreter;
  // A module-level function pickles by reference; a method or a local function may not.
  const picklable = !name.includes('.');
  if (threads && report.verdict === 'cpu' && (interpreter === null || interpreter.gilEnabled)) {
    add('CL001', call.line, `\`${name}\` is CPU work that holds the GIL${why}: threads run it one at a time. Use ${counterpart(api)}.`, picklable ? { kind: 'use-processes' } : undefined);
  } else if (processes && report.verdict === 'io') {
    add('CL002', call.line, `\`${name}\` waits on I/O${why}: threads overlap the waits as well, with less memory and no start-up or pickling. Use ${counterpart(api)}.`, { kind: 'use-threads' });
  }
}

function checkAsync(
  engine: VerdictEngine,
  entry: ModuleEntry,
  fn: FunctionFacts,
  add: Add,
): void {
  const seen = new Set<number>();
  for (const c of engine.summarize(entry, fn, 0).contributions) {
    if (!knownToBlock(c) || seen.has(c.line)) continue;
    seen.add(c.line);
    const calls = c.blocking?.calls ?? [];
    const [first] = calls;
    const where = `in async def \`${fn.qualname}\``;
    if (!c.blocking || first === undefined) {
      add('CL005', c.line, `blocking call ${where}: ${c.reason}. It stalls the event loop: await asyncio.to_thread(...) or use an async API.`);
      continue;
    }
    const api = calls.at(-1) ?? first;
    const path = calls.length > 1 ? ` through ${calls.map(showChain).join(' → ')}` : '';
    const sleeps = calls.length === 1 && isTimeSleep(engine, entry, fn, first);
    const remedy = sleeps ? 'await asyncio.sleep(...)' : `await asyncio.to_thread(${showChain(first)}, ...) or use an async API`;
    add(
      'CL005',
      c.line,
      `\`${showChain(api)}\` blocks the event loop ${where}${path}: ${c.blocking.why}. Every other task waits meanwhile: ${remedy}.`,
      sleeps ? { kind: 'await-asyncio-sleep', callee: first } : { kind: 'await-to-thread', callee: first },
    );
  }
}

function isTimeSleep(engine: VerdictEngine, entry: ModuleEntry, fn: FunctionFacts, chain: string): boolean {
  const sym = engine.resolve(chain, entry, fn);
  return sym.kind === 'external' && sym.name === 'time.sleep';
}
