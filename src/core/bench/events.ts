/**
 * The benchmark harnesses' event stream: one JSON object per line, on stdout (`harness.py`) or on
 * descriptor 3 (`nodeHarness.ts`), each line starting on a line of its own (a newline before it ends
 * whatever unfinished line something else wrote there). The harnesses write exactly these shapes, plus
 * the run's `key`; `parseEvent` checks the key and the discriminator and leaves the rest typed.
 */

/**
 * Python modes (`dask`: a Dask cluster's workers, through `distributed.Client.map`), then Node's (the Node
 * harness: a worker_threads pool, a child_process pool, `Promise.all`).
 */
export type BenchMode = 'sequential' | 'threads' | 'processes' | 'asyncio' | 'interpreters' | 'dask' | 'worker_threads' | 'child_process' | 'async';
export const BENCH_MODES: readonly BenchMode[] = ['sequential', 'threads', 'processes', 'asyncio', 'interpreters', 'dask', 'worker_threads', 'child_process', 'async'];
export const PYTHON_MODES: readonly BenchMode[] = ['sequential', 'threads', 'processes', 'asyncio', 'interpreters', 'dask'];
/** What to install when the interpreter has no `distributed` (the dask mode is then unavailable). */
export const DASK_INSTALL_HINT = 'apt-get install python3-distributed, or pip install "dask[distributed]"';
export const NODE_MODES: readonly BenchMode[] = ['sequential', 'worker_threads', 'child_process', 'async'];

export type Runtime = 'python' | 'node';

export interface ErrorInfo {
  /** The exception's class name, e.g. `ValueError`, `BrokenProcessPool`. */
  exception: string;
  message: string;
  /** The last frames, as Python prints them. */
  traceback: string;
}

export interface HelloEvent {
  type: 'hello';
  runtime: Runtime;
  /** The interpreter's version, e.g. "3.11.7" (Python) or "20.20.2" (Node). */
  version: string;
  executable: string;
  /** Python with the GIL; false on a free-threaded build and for Node (no GIL). */
  gilEnabled: boolean;
  cores: number;
  /** multiprocessing start methods (empty for Node). */
  startMethods: string[];
  defaultStartMethod: string;
  /** The modes this interpreter can run (`interpreters` from 3.14, `dask` when `distributed` imports). */
  modes: BenchMode[];
  pid: number;
}

/** The untimed call of task 0 the harness makes before anything is timed begins. */
export interface WarmupStartEvent {
  type: 'warmup-start';
}

/** The untimed call of task 0 ended: how long one task takes, and its error if it failed. */
export interface WarmupEvent {
  type: 'warmup';
  seconds: number;
  error: ErrorInfo | null;
}

/**
 * A configuration (mode × workers) starts one repetition. Every configuration runs once per round
 * (from 1), in an order that rotates by one per round; at least 3 rounds, more while they disagree.
 * `round` is absent from harnesses older than the protocol.
 */
export interface RunStartEvent {
  type: 'run-start';
  mode: BenchMode;
  workers: number;
  pid: number;
  round?: number;
}

/**
 * The dask mode's cluster is up, before anything is timed: a LocalCluster the harness started (`local`)
 * or the scheduler it was given, its worker count, and one submit-and-wait round trip of an empty task.
 */
export interface ClusterEvent {
  type: 'cluster';
  scheduler: string;
  local: boolean;
  workers: number;
  roundTripSeconds: number;
}

/** One Dask worker as the scheduler last heard from it: `cpu` in cores (1 = one core busy), memory in bytes. */
export interface ClusterWorkerMetrics {
  address: string;
  host: string | null;
  cpu: number;
  memory: number | null;
  memoryLimit: number | null;
}

/** While a dask run is on, about every half second: every worker's CPU and memory, from the scheduler (so remote workers too). */
export interface ClusterMetricsEvent {
  type: 'cluster-metrics';
  workers: ClusterWorkerMetrics[];
}

/** What a dask run measured besides the times. */
export interface DaskRunCosts {
  scheduler: string;
  local: boolean;
  roundTripSeconds: number;
  /** Worker time per task beyond the task's own work (scheduling, transfers, (de)serialising, the wait for the last tasks); null when none finished. */
  perTaskOverheadSeconds: number | null;
  /** The pickled arguments and result of a task, on average; null when none finished. */
  bytesPerTask: number | null;
}

/** A worker process of a process pool (or interpreter pool, or Node's child_process pool) appeared. Worker threads have none: they are threads of the harness's own process. */
export interface WorkerEvent {
  type: 'worker';
  mode: BenchMode;
  workers: number;
  pid: number;
}

export interface ProgressEvent {
  type: 'progress';
  mode: BenchMode;
  workers: number;
  done: number;
  total: number;
}

/** A thread's seconds on a CPU and runnable but waiting for one (/proc/PID/task/TID/schedstat). */
export interface ThreadTimes {
  cpuSeconds: number;
  /** Other programs (or the run's other lanes) had the cores. */
  waitSeconds: number;
}

/**
 * A lane of a repetition: a thread, or a worker process's thread, that ran its tasks (the harness's main
 * thread for the work it runs itself), with its times during the repetition.
 */
export interface LaneTimes extends ThreadTimes {
  /** Seconds from the repetition's start to the end of the lane's last task, as the harness saw it. */
  endSeconds: number;
}

export interface RunEndEvent {
  type: 'run-end';
  mode: BenchMode;
  workers: number;
  round?: number;
  wallSeconds: number;
  /** CPU time of the harness and its reaped workers during the run. */
  cpuSeconds: number;
  /** Per-task seconds. */
  latency: { p50: number | null; p95: number | null; max: number | null };
  /** Share of time a probe thread waited for the GIL (sequential, threads, asyncio); null otherwise (and for Node). */
  gilContention: number | null;
  /**
   * Node only (sequential, async; null for the pools, absent from Python runs): the share of the run
   * during which the harness's event loop could not run (a timer woke that much late): synchronous work
   * on the main thread. Near 1 for CPU-bound code, near 0 when the work waits.
   */
  eventLoopBlocked?: number | null;
  /** Tasks that finished. */
  completed: number;
  error: ErrorInfo | null;
  /** Dask runs only. */
  dask?: DaskRunCosts;
  /**
   * Linux: the lanes' times during the repetition (one lane for sequential, asyncio and async; a pool's
   * threads or processes that ran tasks, over their lives); null when they cannot be read (elsewhere, dask,
   * a lane gone before the read); absent from harnesses older than the field.
   */
  lanes?: LaneTimes[] | null;
}

/** The run could not start: the module does not import, the function or the call is wrong. */
export interface InputErrorEvent extends ErrorInfo {
  type: 'error';
  /** `dask`: the scheduler is out of reach, has no workers, or the workers cannot load the module. */
  stage: 'import' | 'function' | 'call' | 'start-method' | 'mode' | 'dask';
}

export interface DoneEvent {
  type: 'done';
}

export type HarnessEvent =
  | HelloEvent
  | WarmupStartEvent
  | WarmupEvent
  | ClusterEvent
  | ClusterMetricsEvent
  | RunStartEvent
  | WorkerEvent
  | ProgressEvent
  | RunEndEvent
  | InputErrorEvent
  | DoneEvent;

const TYPES = new Set<HarnessEvent['type']>(['hello', 'warmup-start', 'warmup', 'cluster', 'cluster-metrics', 'run-start', 'worker', 'progress', 'run-end', 'error', 'done']);

/**
 * One line of the stream as an event; null for anything else (a blank line, a stray write, a line
 * without the run's key). The harness puts `key` (which it reads from its stdin, where user code never
 * writes) in every event, so that what user code writes to the channel cannot pass for an event; the key
 * is removed from the event returned. (Code that reads the harness's memory could still find the key:
 * the user's code runs in the harness's process, with the user's rights anyway.)
 */
export function parseEvent(line: string, key?: string): HarnessEvent | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as { type?: unknown; key?: unknown };
    if (key !== undefined && value.key !== key) return null;
    delete value.key;
    return typeof value.type === 'string' && TYPES.has(value.type as HarnessEvent['type']) ? (value as HarnessEvent) : null;
  } catch {
    return null;
  }
}

/** The longest event line kept (UTF-16 code units). The harnesses cap the texts they send far below it. */
export const MAX_EVENT_LINE = 1024 * 1024;

/**
 * Cuts the event stream into lines as chunks arrive, in work linear in the input: each chunk is searched
 * once, and a line longer than `maxLength` is dropped (and counted) as it grows, never kept whole.
 */
export class LineSplitter {
  /** Lines dropped for being too long. */
  dropped = 0;
  private pending = '';
  private dropping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLength = MAX_EVENT_LINE,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, newline);
      start = newline + 1;
      if (this.dropping || this.pending.length + piece.length > this.maxLength) this.dropped++;
      else this.onLine(this.pending + piece);
      this.pending = '';
      this.dropping = false;
    }
    if (this.dropping) return;
    const rest = chunk.slice(start);
    if (this.pending.length + rest.length > this.maxLength) {
      this.dropping = true;
      this.pending = '';
    } else {
      this.pending += rest;
    }
  }

  /** The end of the stream: its last line, when it had no newline. */
  end(): void {
    if (this.dropping) this.dropped++;
    else if (this.pending) this.onLine(this.pending);
    this.pending = '';
    this.dropping = false;
  }
}
