import type { Constants } from '../cost/calibration';
import type { ConfidenceTable } from '../cost/forecast';
import type { Policy, PredictedMode, Prediction } from '../cost/predict';
import type { Recommendation, Verdict } from '../model';

/**
 * What running JavaScript in parallel costs in Node, in the cost model's terms (src/core/cost/predict.ts):
 * the model's "threads" are a pool of `worker_threads` — each worker has its own event loop and V8
 * isolate, so nothing serializes their CPU (no GIL), but each pays a worker's start-up and every task a
 * message each way (structured clone); its "processes" are `child_process.fork` workers (a Node
 * process's start-up, JSON over IPC); its "asyncio" is the main thread's event loop, where awaited
 * waits overlap and everything else runs one piece at a time.
 */

/** postMessage to a worker and its reply, the per-call overhead of the calibration's structured-clone measurement. */
const WORKER_MESSAGE_SECONDS = 1.28e-4;
/** A message to a child process and its reply over IPC (a prior: a pipe and JSON both ways). */
const CHILD_MESSAGE_SECONDS = 2e-4;
/** Bytes of a task's arguments and result, as a worker's messages copy them (as the Python engine assumes). */
export const TASK_MESSAGE_BYTES = 128;
/** Threads of libuv's pool (UV_THREADPOOL_SIZE's default), which runs async compression, key derivation and Web Crypto. */
export const LIBUV_THREADS = 4;

/**
 * `moduleLoad`: seconds each new worker (or child process) spends loading the task's module before its
 * first task (`ScriptVerdictEngine.moduleLoad`: its code, its imports, its top-level work), which the
 * harness and measure.js pay in every worker, as a pool a user writes does.
 */
export function nodePolicy(constants: Constants, cores: number, moduleLoad = 0): Policy {
  const workers = Math.max(1, cores);
  // Workers that start together load the module side by side, each slower than one alone.
  const contention = workers > 1 ? 1 + constants['node.worker_load_contention'] : 1;
  const load = moduleLoad * contention;
  return {
    threadsSerializeLockedCpu: false,
    threadWorkers: workers,
    processWorkers: workers,
    // A pool of one worker per core starts its workers on their own threads, side by side: the pool's
    // start-up is about one worker's (the model counts start-up per worker).
    threadStart: (constants['node.worker_start'] + load) / workers,
    threadTask: WORKER_MESSAGE_SECONDS + TASK_MESSAGE_BYTES * constants['node.structured_clone_byte'],
    processStart: (constants['node.child_process_start'] + load) / workers,
    processTask: CHILD_MESSAGE_SECONDS,
    transferByte: constants['node.json_stringify_byte'] + constants['node.json_parse_byte'],
    awaitedPoolThreads: LIBUV_THREADS,
    threadsShareAwaitedPool: true,
    threadsFillCaches: true,
    workerStartContention: contention,
  };
}

/**
 * The probability that a TS/JS verdict is right, by what it rests on: the share the measured TS/JS fixtures
 * (storekit and the holdouts holdkit to holdkit7: 155 functions) found right in each case. Where every set was
 * right every time, the pooled share smoothed as (right + 1) / (n + 2); the counts are recounted per case as sessions add
 * sets (the session named at each).
 */
export const NODE_CONFIDENCE: ConfidenceTable & { assumedPoolPaysForScript: number; judgedAtBreakEvenForScript: number } = {
  /** The code tells every size the cost rests on, and the verdict is not on work of the calling thread: `trivial` 88 of 88 right over
   *  the 24 measured TS/JS sets (session 25). */
  sizesTold: 0.98,
  /**
   * The code tells every size, and a worker pool pays for work on the calling thread (`cpu`, `io`, `mixed`): 27 of 33
   * right over the 24 measured TS/JS sets (session 25), smoothed as every count here: (27 + 1) / (33 + 2). The six
   * misses are predicted at 0.25-10× their measured time (deflate of data more or less redundant than the calibration's,
   * JavaScript whose objects and strings the model does not price, a child process's CPU) and measured in the band where
   * two workers only start to pay (60-190 ms a task): what decides there is not in the code.
   */
  sizesToldForWork: 0.8,
  /** Sizes assumed, and the event loop overlapping awaited waits (or libuv's pool) pays within the assumed range: 51 of 51. */
  assumedPoolPays: 0.98,
  /**
   * Sizes assumed, and a worker pool pays for work on the calling thread (`cpu`, `io`, `mixed`) that is not mostly
   * JavaScript: a key derivation, a compression or a whole file read on the calling thread, or a synchronous wait. Right
   * 43 of 45 times over the 25 measured TS/JS sets (session 26), smoothed: (43 + 1) / (45 + 2).
   */
  assumedPoolPaysForWork: 0.94,
  /**
   * Sizes assumed, and a worker pool pays at them for CPU work that is mostly JavaScript (not heavy native calls:
   * `Summary.heavySeconds` under half the calling thread's CPU): 36 of 52 right over the 29 measured TS/JS sets (session 29;
   * 36 of 47 over 26 sets at session 27, the blind holdouts since adding four pool losers), smoothed: (36 + 1) / (52 + 2). The misses are the pool losers of the band where two workers begin to pay (60-190 ms a task):
   * their workers' collector threads take the cores the pool needs, which a sequential run leaves idle
   * (worker_tier_study.mjs).
   */
  assumedPoolPaysForScript: 0.69,
  /**
   * The same JavaScript judged at the break-even: no pool pays at the sizes assumed, one would past a size the code does
   * not tell. 13 of 32 right over the 30 measured TS/JS sets (session 30, with holdkit29 and the write-once files' reads
   * sized; 10 of 22 over 26 sets at session 27), smoothed: (13 + 1) / (32 + 2). Fitted on the sets up to holdkit20, 22 or
   * 24, this split scored the later sets' verdicts better than one share for the whole band (Brier 0.41 / 0.28 / 0.33
   * against 0.46 / 0.35 / 0.45).
   */
  judgedAtBreakEvenForScript: 0.41,
  /** Sizes assumed, and no pool pays anywhere within it: 19 of 19. */
  assumedNoPool: 0.95,
  /** No TS/JS fixture measured `mixed`: a band between `io` and `cpu`, at most this. */
  mixed: 0.7,
};

/** The confidence table for a verdict whose pool runs mostly JavaScript (`assumedPoolPaysForScript` and
 *  `judgedAtBreakEvenForScript` where sizes are assumed). */
export const NODE_SCRIPT_CONFIDENCE: ConfidenceTable = {
  ...NODE_CONFIDENCE,
  assumedPoolPaysForWork: NODE_CONFIDENCE.assumedPoolPaysForScript,
  judgedAtBreakEvenForWork: NODE_CONFIDENCE.judgedAtBreakEvenForScript,
};

/** A predicted mode as Node's recommendation names it. */
export const NODE_MODE: Readonly<Record<PredictedMode, Recommendation>> = {
  sequential: 'sequential',
  threads: 'worker_threads',
  processes: 'child_process',
  asyncio: 'async',
};

/** Within this share of the best, a mode counts as the best (measure.js's NEAR_BEST). */
const NEAR_BEST = 1.1;
/** Worker threads kept at least this many cores busy: they ran CPU in parallel (measure.js's CPU_RATIO). */
const CPU_RATIO = 1.0;

/**
 * The label the TS/JS fixtures' measurement (test/fixtures/typescript/measure.js) would give these
 * times, by its rule (it times sequential calls, a worker_threads pool and Promise.all; no child
 * processes): no concurrency pays (trivial); the event loop overlapping the waits is as good as the best
 * (async-io); the worker pool is as good as the best with its threads busy (cpu) or mostly waiting on
 * synchronous waits (io); otherwise mixed.
 */
export function nodeLabelOf(prediction: Prediction): Exclude<Verdict, 'unknown'> {
  const { sequential, threads, asyncio } = prediction.seconds as Record<PredictedMode, number>;
  const best = Math.min(sequential, threads, asyncio ?? Infinity);
  if (sequential <= NEAR_BEST * best) return 'trivial';
  if (asyncio !== undefined && asyncio <= NEAR_BEST * best) return 'async-io';
  if (threads <= NEAR_BEST * best) return prediction.threadCpuShare >= CPU_RATIO ? 'cpu' : 'io';
  return 'mixed';
}
