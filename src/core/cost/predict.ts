import { cheapestWithinTie } from './choose';
import { fullCollections } from './gc';
import type { Verdict } from '../model';
import type { Cost, Range } from './model';

/** The modes a prediction covers: one task after the other, a thread pool, a process pool, an event loop. */
export type PredictedMode = 'sequential' | 'threads' | 'processes' | 'asyncio';
export const PREDICTED_MODES: readonly PredictedMode[] = ['sequential', 'threads', 'processes', 'asyncio'];

/** What running work in parallel costs on one runtime (Python: CPython with or without the GIL; Node later). */
export interface Policy {
  /** Threads run lock-holding CPU one at a time (CPython with the GIL). */
  threadsSerializeLockedCpu: boolean;
  /** Workers of the thread pool and of the process pool the prediction assumes. */
  threadWorkers: number;
  processWorkers: number;
  /** Seconds: one thread started and joined; one task handed to a thread pool and its result taken. */
  threadStart: number;
  threadTask: number;
  /** Seconds: one worker process started (fork or spawn, with the interpreter's start-up); one task's hand-off. */
  processStart: number;
  processTask: number;
  /** Seconds per byte of arguments and results copied between processes (pickling both ways). */
  transferByte: number;
  /**
   * Seconds per page of the parent's memory a forked worker writes for the first time (copy-on-write: reading
   * a Python object writes its reference count). Each worker pays it once for the parent's data its tasks
   * read. Undefined or 0: workers do not share the parent's memory (spawn).
   */
  forkCopyPage?: number;
  /** Seconds per tracked object of the process's heap walked by each full garbage collection (CPython); undefined: none. */
  gcHeapObject?: number;
  /**
   * Seconds per tracked object a forked worker inherited, paid at its first full collection (the collector writes
   * every object's header: its page is copied). Undefined or 0: workers inherit no heap (spawn, forkserver).
   */
  forkGcObject?: number;
  /**
   * Seconds a call into native code that releases the lock costs a pool of threads beyond its work: the lock handed over
   * and taken back (CPython's GIL). Undefined: nothing.
   */
  lockHandoff?: number;
  /**
   * Seconds a thread back from such a call waits for the lock per second of Python the task runs between its calls (the
   * other threads hold it for theirs), grown with that Python up to `lockReacquireWaitUpTo` seconds of it (as measured).
   */
  lockReacquireWait?: number;
  lockReacquireWaitUpTo?: number;
  /** Threads of the pool awaited work is handed to (Python's default executor, Node's libuv pool): tasks at once share them. */
  awaitedPoolThreads?: number;
  /** The thread pool's workers hand their awaited work to that same pool (Node: libuv's pool is the process's); else each thread has its own. */
  threadsShareAwaitedPool?: boolean;
  /**
   * A new worker thread fills the caches the calling thread has warm, as a worker process does (Node: each worker has
   * its own isolate). Undefined: threads share the caller's (Python), only worker processes fill them again.
   */
  threadsFillCaches?: boolean;
  /** How many times as long one-time work takes a worker when the workers do it side by side (Node's module loads); 1 when absent. */
  workerStartContention?: number;
}

/** Bytes per page copied on write. */
export const PAGE_BYTES = 4096;

export interface Workload {
  tasks: number;
  cores: number;
  /** Bytes of one task's arguments and of its result, as they are copied to and from a worker process. */
  argumentBytes?: number;
  resultBytes?: number;
  /** The task is a coroutine: asyncio can run them together. */
  coroutine?: boolean;
  /** Bytes of the parent's Python objects one task reads (module-level data): what a forked worker copies on write. */
  sharedBytes?: number;
  /**
   * Seconds a new worker spends on its first task filling the caches the warmed-up caller has already (`WorkerFill`s:
   * a memoized function's, a mapping keyed by `os.getpid()`). Each worker pays it once.
   */
  workerFillSeconds?: number;
  /**
   * CPU seconds on other threads per second of the task's awaited waits (Node's libuv thread pool compressing or
   * deriving keys while the task awaits it): tasks at once overlap that work only as far as the cores allow.
   */
  awaitedCpuRatio?: number;
  /** Seconds one task's awaited pool work holds the pool's threads (each piece the time it runs): tasks at once share `awaitedPoolThreads`. */
  awaitedPoolSeconds?: number;
  /** Pieces of that pool work one task runs at once (at most the pool's threads; 1 when absent). */
  awaitedPoolWidth?: number;
  /** Tracked objects (containers, instances) one task keeps alive long enough to reach the collector's oldest generation. */
  keptObjects?: number;
  /** Tracked objects every process running the tasks holds (its imports, module-level data; none after `gc.freeze()`). */
  heapObjects?: number;
}

/**
 * A cache a new worker fills on its first task where the warmed-up caller's is warm (a memoized function, a cache keyed
 * by the process): each filling function's once per worker, however many calls reach it.
 */
export interface WorkerFill<Key = unknown> {
  /** The filling function (compared by identity). */
  by: Key;
  seconds: number;
}

/** Adds `fills` to `into`, each filling function's once: the first to reach it is kept. */
export function addWorkerFills<Fill extends WorkerFill>(into: Fill[], fills: Iterable<Fill>): void {
  for (const fill of fills) if (!into.some((known) => known.by === fill.by)) into.push(fill);
}

/** Seconds a new worker spends filling `fills` on its first task (`Workload.workerFillSeconds`). */
export function workerFillSeconds(fills: readonly WorkerFill[]): number {
  return fills.reduce((sum, fill) => sum + fill.seconds, 0);
}

/** What a workload says of the awaited work it hands to a pool of threads (`withPoolOverlap` makes it). */
export type PooledWorkload = Pick<Workload, 'awaitedCpuRatio' | 'awaitedPoolSeconds' | 'awaitedPoolWidth'>;

export type PredictedTimes = Record<PredictedMode, number | undefined>;

export interface Prediction {
  /** Wall seconds for all the tasks, per mode (asyncio only for coroutines). */
  seconds: PredictedTimes;
  /** The bench's rule on the predicted times: the cheapest mode within TIE of the fastest. */
  best: PredictedMode;
  /** Sequential time over the best mode's. */
  speedup: number;
  /** CPU seconds of this process per wall second in the thread pool (above 1: threads ran CPU in parallel). */
  threadCpuShare: number;
}

type Point = keyof Range;

/** One task's seconds as plain numbers (the prediction's hot path builds no Cost or Range objects). */
interface TaskSeconds {
  locked: number;
  native: number;
  wait: number;
  awaited: number;
  /** Of `native`, work that already runs on every core (`Cost.allCores`). */
  allCores: number;
  /** Of `native`, work whose library's threads fight when the process's threads call it at once (`Cost.contended`). */
  contended: number;
  /** Tracked objects the task keeps alive, as the code tells them (not grown with a size the model assumed). */
  kept: number;
  /** Seconds its awaited pool work holds the pool's threads (`Workload.awaitedPoolSeconds`), grown with the rest. */
  pooled: number;
  /** Calls into native code that release the lock (`Cost.nativeCalls`), not grown: a larger input makes each call longer. */
  nativeCalls: number;
  /** CPU of the child processes it waits for (`Cost.childCpu`), on the machine's cores. */
  childCpu: number;
}

function taskSeconds(cost: Cost, workload: Workload, at: Point, factor = 1): TaskSeconds {
  return {
    locked: cost.gil[at] * factor,
    native: cost.native[at] * factor,
    wait: cost.wait[at] * factor,
    awaited: cost.awaited[at] * factor,
    allCores: (cost.allCores?.[at] ?? 0) * factor,
    contended: (cost.contended?.[at] ?? 0) * factor,
    kept: workload.keptObjects ?? 0,
    pooled: (workload.awaitedPoolSeconds ?? 0) * factor,
    nativeCalls: cost.nativeCalls?.[at] ?? 0,
    childCpu: (cost.childCpu?.[at] ?? 0) * factor,
  };
}

/**
 * Seconds the full collections of `tasks` tasks cost one process over the heap (the task's own objects are walked
 * in every mode alike and are left out); a forked worker also copies the pages of its inherited heap at its first.
 */
export function heapCollectionSeconds(kept: number, tasks: number, workload: Workload, policy: Policy, forked: boolean): number {
  const heap = workload.heapObjects ?? 0;
  if (heap <= 0 || kept <= 0) return 0;
  const collections = fullCollections(kept, tasks, heap);
  if (collections === 0) return 0;
  return collections * heap * (policy.gcHeapObject ?? 0) + (forked ? heap * (policy.forkGcObject ?? 0) : 0);
}

/** Pages of the parent's memory one task reads (`sharedBytes`): a forked worker copies each one at its first write. */
export function sharedPages(workload: Workload): number {
  return Math.ceil((workload.sharedBytes ?? 0) / PAGE_BYTES);
}

/** Seconds one forked worker spends copying the parent's pages its first task writes (reference counts); 0 when spawned. */
export function firstTouchSeconds(workload: Workload, policy: Policy): number {
  return sharedPages(workload) * (policy.forkCopyPage ?? 0);
}

/**
 * Wall seconds a pool of threads loses around the tasks' calls that release the lock (`thread_handoff_study.py`): each
 * call hands the lock over and takes it back, and waits for it while the other threads run the Python between their
 * calls. Nothing when the lock does not serialize Python (free-threaded) or the tasks run on one thread.
 */
function lockHandoffSeconds(nativeCalls: number, locked: number, tasks: number, threadWorkers: number, policy: Policy): number {
  if (!policy.threadsSerializeLockedCpu || threadWorkers < 2 || !(nativeCalls > 0)) return 0;
  const pythonBetween = locked / nativeCalls;
  const wait = (policy.lockReacquireWait ?? 0) * Math.min(pythonBetween, policy.lockReacquireWaitUpTo ?? Infinity);
  return tasks * nativeCalls * ((policy.lockHandoff ?? 0) + wait);
}

/** Wall seconds of `workload.tasks` tasks costing `cost` (at its `at` end) in each mode under `policy`. */
export function predictTimes(cost: Cost, workload: Workload, policy: Policy, at: Point = 'likely'): { seconds: PredictedTimes; threadCpuShare: number } {
  return timesOf(taskSeconds(cost, workload, at), workload, policy);
}

function timesOf({ locked, native, wait, awaited: awaitedAll, allCores: allCoresAll, contended: contendedAll, kept, pooled: poolSeconds, nativeCalls, childCpu }: TaskSeconds, workload: Workload, policy: Policy): { seconds: PredictedTimes; threadCpuShare: number } {
  const n = Math.max(1, workload.tasks);
  const cores = Math.max(1, workload.cores);
  const awaited = Math.min(awaitedAll, wait);
  const task = locked + native + wait;
  // Work on every core already (a multi-threaded BLAS) runs one task's at a time in any pool: the pools share out the rest.
  const allCores = Math.min(allCoresAll, native);
  const pooledTask = task - allCores;
  const onAllCores = n * allCores;
  // The full collections the tasks' kept objects trigger walk the whole heap, holding the lock, in this process.
  const collecting = heapCollectionSeconds(kept, n, workload, policy, false);
  const sequential = n * task + collecting;

  // CPU behind the awaited waits runs on the process's own threads whatever the mode: all tasks' of it share the cores.
  const awaitedCpu = n * awaited * (workload.awaitedCpuRatio ?? 0);
  // So does the CPU of the child processes the tasks wait for, with this process's own in a pool.
  const children = n * childCpu;
  const threadWorkers = Math.max(1, Math.min(policy.threadWorkers, n));
  const threadRounds = Math.ceil(n / threadWorkers);
  const threadCpu = n * (locked + native - allCores);
  // A library whose own threads fight when several of the process's threads call it runs one task's at a time in threads.
  const contended = Math.min(contendedAll, native - allCores);
  // The tasks' awaited pool work, all of it at once, on the pool's threads (`pooledSeconds`).
  const pooled = pooledSeconds(n, poolSeconds, workload.awaitedPoolWidth ?? 1, policy.awaitedPoolThreads ?? Infinity);
  const threadWork = Math.max(
    policy.threadsShareAwaitedPool ? pooled : 0,
    policy.threadsSerializeLockedCpu ? n * locked : 0,
    threadWorkers > 1 ? n * contended : 0,
    threadCpu / Math.min(threadWorkers, cores),
    threadRounds * pooledTask,
    awaitedCpu / cores,
    (threadCpu + children) / cores,
  ) + onAllCores + lockHandoffSeconds(nativeCalls, locked, n, threadWorkers, policy);
  // Every new worker fills again the caches the caller has warm (threads too where they do not share the caller's), all workers at once.
  const fill = (workload.workerFillSeconds ?? 0) * (policy.workerStartContention ?? 1);
  const threadFilling = policy.threadsFillCaches ? Math.ceil(threadWorkers / cores) * fill : 0;
  const threads = threadWork + collecting + threadWorkers * policy.threadStart + n * policy.threadTask + threadFilling;

  const processWorkers = Math.max(1, Math.min(policy.processWorkers, n));
  const transfer = ((workload.argumentBytes ?? 0) + (workload.resultBytes ?? 0)) * policy.transferByte;
  const processWork = Math.max(threadCpu / Math.min(processWorkers, cores), Math.ceil(n / processWorkers) * pooledTask, awaitedCpu / cores, (threadCpu + children) / cores) + onAllCores;
  // Every worker copies the pages of the parent's data its tasks read, once, all workers at the same time.
  const copyOnWrite = Math.ceil(processWorkers / cores) * firstTouchSeconds(workload, policy);
  // Each worker's own full collections walk its heap (inherited, or re-imported when spawned), all workers at once.
  const workerCollecting = Math.ceil(processWorkers / cores) * heapCollectionSeconds(kept, Math.ceil(n / processWorkers), workload, policy, (policy.forkGcObject ?? 0) > 0);
  const refilling = Math.ceil(processWorkers / cores) * fill;
  const processes = processWork + processWorkers * policy.processStart + n * (policy.processTask + transfer) + copyOnWrite + workerCollecting + refilling;

  // One event loop: CPU and blocking waits run one at a time, the awaited waits of all tasks overlap (work handed to a
  // pool of threads, as far as its threads and the cores allow).
  const asyncio = workload.coroutine ? Math.max(n * (task - awaited) + awaited + collecting, (awaitedCpu + children) / cores, pooled) : undefined;

  // Work on every core keeps every core busy while it runs: the thread pool's CPU counts it once per core, as a run reads it;
  // so do a library's fighting threads, which spin on the other cores while one task's work runs (measured CPU over wall ~2
  // on 2 cores: libkit30 ftir_calibration, cellar_heat_model).
  const fighting = threadWorkers > 1 ? n * contended * (cores - 1) : 0;
  const threadCpuAll = threadCpu + onAllCores * cores + fighting;
  return { seconds: { sequential, threads, processes, asyncio }, threadCpuShare: threads > 0 ? threadCpuAll / threads : 0 };
}

/**
 * Wall seconds the tasks' awaited pool work takes when all the tasks run at once on a pool of `threads`: the pieces run
 * in rounds of `threads` (pieces of like length, started together: 32 pieces on 6 threads take 6 rounds, not 5.3).
 */
function pooledSeconds(tasks: number, seconds: number, pieces: number, threads: number): number {
  if (!(seconds > 0) || !Number.isFinite(threads)) return 0;
  const width = Math.max(1, Math.min(pieces, threads));
  return (Math.ceil((tasks * width) / Math.max(1, threads)) * seconds) / width;
}

/** The prediction for `cost` (at its `at` end, its work grown `factor` times: a larger input). */
export function predict(cost: Cost, workload: Workload, policy: Policy, at: Point = 'likely', factor = 1): Prediction {
  return predictionOf(taskSeconds(cost, workload, at, factor), workload, policy);
}

function predictionOf(task: TaskSeconds, workload: Workload, policy: Policy): Prediction {
  const { seconds, threadCpuShare } = timesOf(task, workload, policy);
  const best = bestOf(seconds);
  const bestSeconds = seconds[best] as number;
  return { seconds, best, speedup: bestSeconds > 0 ? (seconds.sequential as number) / bestSeconds : 1, threadCpuShare };
}

function bestOf(seconds: PredictedTimes): PredictedMode {
  const candidates = PREDICTED_MODES.filter((mode) => seconds[mode] !== undefined);
  return cheapestWithinTie(candidates, (mode) => seconds[mode] as number, (mode) => mode) ?? 'sequential';
}

/**
 * The smallest factor by which the task's work must grow (a loop over more items, a larger buffer) for a
 * pool to beat running the tasks one after the other; undefined when no growth up to `limit` makes one pay.
 * 1 or less: a pool already pays.
 */
export function breakEvenFactor(cost: Cost, workload: Workload, policy: Policy, limit = 1e6): number | undefined {
  const paysAt = (factor: number): boolean =>
    bestOf(timesOf(taskSeconds(cost, workload, 'likely', factor), workload, policy).seconds) !== 'sequential';
  if (paysAt(1)) return 1;
  let low = 1;
  let high = 2;
  while (!paysAt(high)) {
    low = high;
    high *= 2;
    if (high > limit) return undefined;
  }
  for (let step = 0; step < 20 && high / low > 1.05; step++) {
    const middle = Math.sqrt(low * high);
    if (paysAt(middle)) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * The label the fixtures' measurement (test/fixtures/measured/measure.py) would give these times, by its
 * rule: no pool pays (trivial); threads ran CPU in parallel (native); threads as good as the best (io);
 * processes best and threads no help (cpu); otherwise mixed. Coroutines: gather 1.5x faster is async-io.
 */
export function labelOf(prediction: Prediction): Exclude<Verdict, 'unknown'> {
  const { sequential: s, threads: t, processes: p, asyncio } = prediction.seconds as Record<PredictedMode, number>;
  // A coroutine with nothing to overlap (no work priced: 0 against 0) is not helped by gathering it.
  if (asyncio !== undefined && s > 0 && s >= 1.5 * asyncio) return 'async-io';
  const best = Math.min(s, t, p);
  if (s <= 1.1 * best) return 'trivial';
  if (prediction.threadCpuShare >= 1.3 && t <= 1.25 * p) return 'native';
  if (t <= 1.1 * best) return 'io';
  if (p <= best && s / t < 1.25) return 'cpu';
  return 'mixed';
}

/** Awaited work one task hands to a pool of threads (Node's libuv pool, Python's default executor). */
export interface AwaitedPoolWork {
  /** CPU seconds of it (compression, hashing in native code). */
  cpu: number;
  /** Seconds of it spent waiting in the pool's threads (a blocking HTTP call run in an executor). */
  wait: number;
  /** Pieces of it one task starts at once (`Promise.all` over chunks, `gather` of `to_thread` calls in a loop). */
  width: number;
}

/**
 * `cost` with its pool work as the pool runs it: pieces one task starts at once overlap each other within the task (its
 * CPU up to the cores, its waits up to the pool's threads); `pooled` tells the prediction what of the awaited waits is
 * CPU, which tasks at once share the cores for, how long they hold the pool's threads and how many pieces at once.
 */
export function withPoolOverlap(cost: Cost, pool: AwaitedPoolWork, cores: number, threads: number): { cost: Cost; pooled?: PooledWorkload } {
  const awaited = cost.awaited.likely;
  const cpu = Math.min(pool.cpu, awaited);
  const wait = Math.min(pool.wait, awaited - cpu);
  if (!(cpu + wait > 0)) return { cost };
  const cpuWidth = Math.max(1, Math.min(pool.width, cores, threads));
  const waitWidth = Math.max(1, Math.min(pool.width, threads));
  const overlapped = cpu * (1 - 1 / cpuWidth) + wait * (1 - 1 / waitWidth);
  const less = (range: Range): Range => {
    const kept = 1 - overlapped / range.likely;
    return { low: range.low * kept, likely: range.likely - overlapped, high: range.high * kept };
  };
  const overlappedCost = { ...cost, wait: less(cost.wait), awaited: less(cost.awaited) };
  return { cost: overlappedCost, pooled: { ...(cpu > 0 && { awaitedCpuRatio: cpu / overlappedCost.awaited.likely }), awaitedPoolSeconds: cpu + wait, awaitedPoolWidth: waitWidth } };
}
