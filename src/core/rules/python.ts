import type { FunctionReport, InterpreterInfo } from '../model';
import type { CallFact, FunctionFacts } from '../python/facts';
import type { ModuleEntry } from '../python/program';
import type { BlockingCall } from '../python/verdicts';

/** The function a call hands over as its task (`pool.map(work, …)`, `Thread(target=work)`). */
export interface PythonTask {
  fn: FunctionFacts;
  /** Its verdict (computed when a rule first asks). */
  report(): FunctionReport;
}

/**
 * A call into a known pool, thread or process API, as one binding of its receiver resolves it: with
 * `pool` rebound, each reaching binding is a site of its own, and a rule's finding is kept only when
 * every one of them reports it.
 */
export interface PythonCallSite {
  entry: ModuleEntry;
  fn: FunctionFacts;
  call: CallFact;
  /** The qualified API, e.g. `concurrent.futures.ThreadPoolExecutor.map`. */
  api: string;
  /** It runs its task in threads of this process. */
  threads: boolean;
  /** It runs its task in other processes (the task and its arguments are pickled). */
  processes: boolean;
  /** The interpreter the verdicts assume (null: unknown, taken to have a GIL). */
  interpreter: InterpreterInfo | null;
  /** The task, when it names a function of the workspace or a followed library. */
  task(): PythonTask | undefined;
  /** Top-level names of the libraries the module imports (not workspace modules that share a library's name). */
  importedLibraries(): string[];
  /** Whether the module (any of its functions) calls one of these APIs. */
  moduleCalls(apis: ReadonlySet<string>): boolean;
}

export interface PythonFunctionSite {
  entry: ModuleEntry;
  fn: FunctionFacts;
  /** The lines of its body (its callees folded in) known to block the thread: I/O that is neither a
   *  method-name guess nor inside an awaited coroutine. */
  blockingCalls(): readonly BlockingCall[];
  /** A chain as evidence shows it: `f(…).g`. */
  showChain(chain: string): string;
  /** The qualified name `chain` denotes in the function, when it is outside the analyzed code. */
  externalName(chain: string): string | undefined;
}

/** The other kind of worker for a task API: a thread pool's process pool and back. */
export function counterpart(api: string): string {
  if (api === 'threading.Thread') return 'multiprocessing.Process';
  if (api === 'multiprocessing.Process') return 'threading.Thread';
  if (api.startsWith('multiprocessing.pool.ThreadPool.')) return 'multiprocessing.Pool';
  if (api.startsWith('multiprocessing.pool.Pool.')) return 'multiprocessing.pool.ThreadPool';
  return api.includes('ThreadPoolExecutor') ? 'ProcessPoolExecutor' : 'ThreadPoolExecutor';
}

export const shortName = (qualified: string): string => qualified.split('.').slice(-2).join('.');
