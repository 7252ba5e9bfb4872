import type { Finding, Severity } from '../model';
import type { CallFact, FunctionFacts } from './facts';
import type { ModuleEntry } from './program';
import { splitChain } from './chain';
import { knownToBlock, type VerdictEngine } from './verdicts';

/**
 * The concurrency mistakes the analyzer reports (rule IDs are stable; each has a README section):
 * CL001 GIL-bound CPU work handed to threads, CL002 I/O handed to processes, CL003 a task a process
 * pool cannot pickle, CL004 processes started at import time without a `__main__` guard, CL005 a
 * blocking call in `async def`, CL006 a pool created inside a loop.
 */
export type RuleId = 'CL001' | 'CL002' | 'CL003' | 'CL004' | 'CL005' | 'CL006';

/** Default severity of each rule. */
export const RULES: Readonly<Record<RuleId, { severity: Severity }>> = {
  CL001: { severity: 'warning' },
  CL002: { severity: 'warning' },
  CL003: { severity: 'error' },
  CL004: { severity: 'warning' },
  CL005: { severity: 'warning' },
  CL006: { severity: 'warning' },
};

const THREAD_POOL_METHODS = ['map', 'imap', 'imap_unordered', 'apply', 'apply_async', 'map_async', 'starmap', 'starmap_async'];

/** APIs that run a task (their first argument, or `target=`) in threads. */
const THREAD_TASKS = new Set([
  'concurrent.futures.ThreadPoolExecutor.submit',
  'concurrent.futures.ThreadPoolExecutor.map',
  ...THREAD_POOL_METHODS.map((m) => `multiprocessing.pool.ThreadPool.${m}`),
  'threading.Thread',
]);
/** APIs that run a task in other processes: it and its arguments are pickled. */
const PROCESS_TASKS = new Set([
  'concurrent.futures.ProcessPoolExecutor.submit',
  'concurrent.futures.ProcessPoolExecutor.map',
  ...THREAD_POOL_METHODS.map((m) => `multiprocessing.pool.Pool.${m}`),
  'multiprocessing.Process',
]);
const POOLS = new Set([
  'concurrent.futures.ThreadPoolExecutor',
  'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.InterpreterPoolExecutor',
  'multiprocessing.Pool',
  'multiprocessing.pool.Pool',
  'multiprocessing.pool.ThreadPool',
]);
const STARTS_PROCESSES = new Set([
  'concurrent.futures.ProcessPoolExecutor',
  'multiprocessing.Pool',
  'multiprocessing.pool.Pool',
  'multiprocessing.Process',
]);

const lastName = (name: string): string => splitChain(name).at(-1)?.name ?? '';
/** Last names of every API above: calls named otherwise are not resolved at all (most calls are not pool calls). */
const RELEVANT_NAMES = new Set([...THREAD_TASKS, ...PROCESS_TASKS, ...POOLS, ...STARTS_PROCESSES].map(lastName));

const shortName = (qualified: string): string => qualified.split('.').slice(-2).join('.');

/** The findings of one module, sorted by line, without those suppressed by an `ignore` comment. */
export function findingsOf(engine: VerdictEngine, entry: ModuleEntry): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: RuleId, line: number, message: string): void => {
    findings.push({ rule, line, severity: RULES[rule].severity, message });
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
  add: (rule: RuleId, line: number, message: string) => void,
): void {
  const sym = engine.resolve(call.callee, entry, fn);
  if (sym.kind !== 'external') return;
  const api = sym.name;

  if (POOLS.has(api) && call.loopDepth > 0) {
    add('CL006', call.line, `${shortName(api)} is created on every pass of the loop: its start-up is paid each time. Create the pool once, outside the loop, and submit to it.`);
  }
  if (STARTS_PROCESSES.has(api) && fn === entry.facts.module && !call.mainGuarded) {
    add('CL004', call.line, `${shortName(api)} at module level without an \`if __name__ == "__main__":\` guard: under the spawn start method (macOS, Windows, and the default from Python 3.14) every worker re-imports this module and starts processes again. Move it under the guard.`);
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
  if (threads && report.verdict === 'cpu' && (interpreter === null || interpreter.gilEnabled)) {
    add('CL001', call.line, `\`${name}\` is CPU work that holds the GIL${why}: threads run it one at a time. Use ProcessPoolExecutor.`);
  } else if (processes && report.verdict === 'io') {
    add('CL002', call.line, `\`${name}\` waits on I/O${why}: threads overlap the waits as well, with less memory and no start-up or pickling. Use ThreadPoolExecutor.`);
  }
}

function checkAsync(
  engine: VerdictEngine,
  entry: ModuleEntry,
  fn: FunctionFacts,
  add: (rule: RuleId, line: number, message: string) => void,
): void {
  const seen = new Set<number>();
  for (const c of engine.summarize(entry, fn, 0).contributions) {
    if (!knownToBlock(c) || seen.has(c.line)) continue;
    seen.add(c.line);
    add('CL005', c.line, `blocking call in async def \`${fn.qualname}\`: ${c.reason}. It stalls the event loop: await asyncio.to_thread(...) or use an async API.`);
  }
}
