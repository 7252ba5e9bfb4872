import type { DispatchSite } from '../dispatch';
import { PROCESS_TASKS, THREAD_TASKS } from '../knowledge/pools';
import { CONFIDENCE } from '../cost/forecast';
import { lookupApi } from '../knowledge/python';
import type { FunctionReport, PoolKind } from '../model';
import { splitChain } from './chain';
import type { CallFact, FunctionFacts } from './facts';
import type { ModuleEntry } from './program';
import type { VerdictEngine } from './verdicts';

/** APIs that run a task (their first argument, or `target=`) elsewhere than the thread and process pools of `pools.ts`. */
const OTHER_TASKS: ReadonlyMap<string, PoolKind> = new Map<string, PoolKind>([
  ['concurrent.futures.InterpreterPoolExecutor.submit', 'interpreter'],
  ['concurrent.futures.InterpreterPoolExecutor.map', 'interpreter'],
  ['distributed.Client.submit', 'cluster'],
  ['distributed.Client.map', 'cluster'],
  // `Parallel(n_jobs=…)(delayed(work)(x) for x in items)`: joblib's default backend (loky) runs processes.
  ['joblib.delayed', 'process'],
]);

const lastName = (chain: string): string => splitChain(chain).at(-1)?.name ?? '';
/** Last names of the APIs above: calls named otherwise are not resolved at all. */
const DISPATCH_NAMES = new Set([...THREAD_TASKS, ...PROCESS_TASKS, ...OTHER_TASKS.keys()].map(lastName));

function poolOfApi(api: string): PoolKind | undefined {
  if (THREAD_TASKS.has(api)) return 'thread';
  if (PROCESS_TASKS.has(api)) return 'process';
  return OTHER_TASKS.get(api);
}

/** The calls of `fn` that hand a task to a pool, with the task's own report when it is a function the program has. */
export function pythonDispatchSites(engine: VerdictEngine, entry: ModuleEntry, fn: FunctionFacts): DispatchSite[] {
  const sites: DispatchSite[] = [];
  for (const call of fn.calls) {
    // The task: the first argument (or `target=`), which the extractor records for pool APIs and joblib's `delayed(work)`.
    const task = call.firstArgName;
    if ((task === undefined && !call.lambdaArg) || !DISPATCH_NAMES.has(lastName(call.callee))) continue;
    const pool = poolAt(engine, entry, fn, call);
    if (!pool) continue;
    const target = task === undefined ? undefined : engine.resolve(task, entry, fn);
    const handed =
      target?.kind === 'function' ? { name: target.fn.qualname, report: engine.reportFunction(target.entry, target.fn) }
      : target?.kind === 'external' ? nativeLibraryTask(target.name, call.line)
      : undefined;
    sites.push({ line: call.line, pool, ...(handed && { task: handed }) });
  }
  return sites;
}

/**
 * `pool.submit(zlib.compress, data)`: a task that is a library call the knowledge base says runs native code
 * releasing the GIL, as a task report of its own (native, threads; its size untold: the confidence of a
 * verdict at assumed sizes where a pool pays), so that a pool of them is seen to use every core. Other
 * library calls stay unseen tasks.
 */
function nativeLibraryTask(name: string, line: number): { name: string; report: FunctionReport } | undefined {
  const api = lookupApi(name);
  if (api?.kind !== 'native') return undefined;
  const report: FunctionReport = {
    name: name.slice(name.lastIndexOf('.') + 1), qualname: name, line, endLine: line, async: false,
    verdict: 'native', recommendation: 'threads', confidence: CONFIDENCE.assumedPoolPays, evidence: [{ line, reason: `${name}: ${api.why}` }],
  };
  return { name, report };
}

/** The kind of pool the call hands its task to, the same for every binding of its receiver that reaches it (`pool` rebound: each is resolved). */
function poolAt(engine: VerdictEngine, entry: ModuleEntry, fn: FunctionFacts, call: CallFact): PoolKind | undefined {
  const head = splitChain(call.callee)[0];
  const bound = head && call.receiverBindings && Object.hasOwn(call.receiverBindings, head.name) ? call.receiverBindings[head.name] : undefined;
  const callees = bound && head ? bound.map((value) => (value === null ? null : value + call.callee.slice(head.name.length))) : [call.callee];
  let pool: PoolKind | undefined;
  for (const callee of callees) {
    if (callee === null) return undefined;
    const sym = engine.resolve(callee, entry, fn);
    const kind = sym.kind === 'external' ? poolOfApi(sym.name) : undefined;
    if (!kind || (pool !== undefined && kind !== pool)) return undefined;
    pool = kind;
  }
  return pool;
}
