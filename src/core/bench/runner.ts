import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { BenchMode, ClusterEvent, DaskRunCosts, ErrorInfo, HarnessEvent, HelloEvent, InputErrorEvent, RunEndEvent, Runtime, WarmupEvent } from './events';
import { LineSplitter, parseEvent } from './events';
import { endRunProcesses, keepPriority, RUN_MARKER, remaining } from './processTree';
import { DEFAULT_BUDGET_SECONDS, DEFAULT_REPEATS, halfRange, median, perRoundRatios, STARVED_WAIT, starved, unhindered, type MachineContext, type Unhindered } from './recommend';

export type StartMethod = 'default' | 'spawn' | 'fork' | 'forkserver';

export interface BenchRequest {
  /** Which harness runs the target: `harness.py` (default) or `nodeHarness.js`. */
  runtime?: Runtime;
  /** The Python interpreter of a Python run (default `python3`). */
  python?: string;
  /**
   * The Node executable of a Node run (default: this process's own, `process.execPath`). Every Node run
   * gets `ELECTRON_RUN_AS_NODE=1`, so the extension host's Electron binary runs it as plain Node.
   */
  node?: string;
  file: string;
  /** The function the call exercises (`Class.method` for methods): checked to exist before any run. */
  qualname: string;
  /** Evaluated in the module's namespace with `i` = task index, e.g. `fetch(URLS[i % len(URLS)])`. */
  call: string;
  tasks: number;
  modes: readonly BenchMode[];
  workers: readonly number[];
  /** Python only: the process pool's start method. */
  startMethod?: StartMethod;
  timeoutSeconds: number;
  /** Rounds at least (every configuration once per round; default DEFAULT_REPEATS). */
  repeats?: number;
  /** More rounds start while the results disagree only if one more fits in this many seconds of measuring (default DEFAULT_BUDGET_SECONDS). */
  budgetSeconds?: number;
  /** Python, the dask mode: the scheduler to send the tasks to (`tcp://HOST:PORT`); without it, a LocalCluster of worker processes here. */
  daskScheduler?: string;
  /** Working directory of the run (default: the file's folder). */
  cwd?: string;
  signal?: AbortSignal;
  onEvent?: (event: HarnessEvent) => void;
  /** The harness script (default: `harness.py` or `nodeHarness.js` beside this module, as bundled). */
  harness?: string;
}

/**
 * One configuration (mode × workers) of a run, over its repetitions: times, shares and loads are the
 * medians of the repetitions that finished (all of them when none did).
 */
export interface BenchRun {
  mode: BenchMode;
  workers: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** Timed repetitions of this configuration. */
  repeats: number;
  /** ± seconds: half the range of the repetitions' wall times (0 for one repetition). */
  spread: number;
  /** Each repetition's wall seconds, in the order they ran (round 1 first). */
  samples: number[];
  /** Sequential median wall time / this run's; null without a sequential run to compare with. */
  speedup: number | null;
  /** ± of the speedup: half the range of the per-round speedups; null without a sequential run or with one round. */
  speedupSpread: number | null;
  /**
   * A third of its repetitions or more were starved of CPU by other programs: they waited STARVED_WAIT of
   * their time or more for a CPU (read from their lanes), or, without lanes, see `starved` in recommend.ts.
   */
  contended: boolean;
  /** Speedup / workers. */
  efficiency: number | null;
  gilContention: number | null;
  /** Node runs (sequential, async): the share of the run the event loop was blocked. */
  eventLoopBlocked?: number | null;
  /**
   * Cores kept busy by other programs during the run, on average (all cores' busy time less the run's
   * own CPU time, over its wall time); for repetitions too short to tell, the median over the whole run's
   * configurations; null when none could tell. Other load skews the timings.
   */
  otherLoad: number | null;
  latency: RunEndEvent['latency'];
  completed: number;
  /** `Type: message` of what went wrong, null when every task finished. */
  error: string | null;
  errorDetail: ErrorInfo | null;
  /** Dask runs: the medians of the repetitions' per-task overhead and bytes per task. */
  dask?: DaskRunCosts;
  /** Linux: its waits for a CPU and its time without them (see `unhindered`); null or absent when a repetition's lanes could not be read. */
  cpuWait?: CpuWait | null;
}

/** How a configuration waited for a CPU while other programs had the cores, over its repetitions (medians). */
export interface CpuWait {
  /** The share of its wall time it waited for a CPU on its critical path: the midpoint of the least and the most its lanes allow. */
  share: number;
  shareLeast: number;
  shareMost: number;
  /** Its time without those waits: the midpoint, and the fastest and slowest the lanes allow. */
  unhinderedSeconds: number;
  unhinderedFastest: number;
  unhinderedSlowest: number;
  /** Each repetition's midpoint, in the order they ran (round 1 first). */
  samples: number[];
  /** Each repetition's fastest and slowest, in the same order. */
  ranges: Unhindered[];
}

interface Ended {
  hello: HelloEvent | null;
  /** The untimed call before the runs; null when the harness did not get that far. */
  warmup: WarmupEvent | null;
  /** The rounds that started. */
  rounds: number;
  /** The dask mode's cluster, once it was up (absent or null without one). */
  cluster?: ClusterEvent | null;
  runs: BenchRun[];
  /**
   * The tail of the harness's stderr: the user's own output, and Python's last words on a crash. (Node
   * runs: its stdout and stderr, the events having a descriptor of their own.)
   */
  stderr: string;
}

export type BenchOutcome =
  | (Ended & { kind: 'completed' })
  /** The module does not import, the function does not exist, the call does not parse. */
  | (Ended & { kind: 'input-error'; error: InputErrorEvent })
  | (Ended & { kind: 'timed-out' | 'cancelled' | 'crashed'; message: string })
  /** The interpreter could not be started at all. */
  | { kind: 'no-interpreter'; message: string };

const STDERR_KEPT = 64 * 1024;
/** After the harness exits (and the rest of the run is ended), how long its streams get to reach their end before they are cut (ms). */
const DRAIN_MS = 1000;
/** After a timeout or a cancel, the run settles by then even if the harness was not seen to exit (ms). */
const STOP_DEADLINE_MS = 5000;
/** How long the runner waits for the processes it ended to be gone before it reports the outcome (ms). */
const GONE_WAIT_MS = 3000;

/**
 * Runs the harness in its own process group, parses its events as they arrive, enforces the timeout
 * and cancellation itself, and ends every process of the run whatever happened (see processTree.ts for
 * how they are found): at a timeout or a cancel, the harness and all its descendants are stopped, then
 * killed; when the harness exits, whatever it left behind. The run settles when the harness exits,
 * its streams cut after DRAIN_MS even if something still holds them, and at the latest
 * STOP_DEADLINE_MS after a timeout or a cancel, even if a process refuses to die.
 */
export function runBench(request: BenchRequest): Promise<BenchOutcome> {
  const node = request.runtime === 'node';
  const executable = node ? (request.node ?? process.execPath) : (request.python ?? 'python3');
  const common = [
    '--file', path.resolve(request.file),
    '--function', request.qualname,
    '--call', request.call,
    '--tasks', String(request.tasks),
    '--modes', request.modes.join(','),
    '--workers', request.workers.join(','),
    '--timeout', String(request.timeoutSeconds),
    '--repeats', String(request.repeats ?? DEFAULT_REPEATS),
    '--budget', String(request.budgetSeconds ?? DEFAULT_BUDGET_SECONDS),
    '--key-on-stdin',
  ];
  // Node: `--` ends Node's own options; the harness writes its events on descriptor 3, so that nothing
  // the user's code writes to stdout (even `fs.writeSync(1, …)`) can reach the event stream.
  const args = node
    ? ['--', request.harness ?? harnessPath('nodeHarness.js'), ...common]
    : ['-u', request.harness ?? harnessPath('harness.py'), ...common, '--start-method', request.startMethod ?? 'default', ...(request.daskScheduler ? ['--dask-scheduler', request.daskScheduler] : [])];
  const key = randomBytes(16).toString('hex');
  const marker = randomBytes(16).toString('hex');
  return new Promise((resolve) => {
    const child = spawn(executable, args, {
      cwd: request.cwd ?? path.dirname(path.resolve(request.file)),
      detached: process.platform !== 'win32',
      stdio: node ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, [RUN_MARKER]: marker, ...(node ? { ELECTRON_RUN_AS_NODE: '1' } : { PYTHONUNBUFFERED: '1' }) },
    });
    // The harness's own session (detached) must not cost the run the priority it was started with.
    if (child.pid !== undefined) keepPriority(child.pid);
    // The key goes where user code never writes; then the harness's stdin is at its end, as /dev/null would be.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(`${key}\n`);
    const events = (node ? child.stdio[3] : child.stdout) as Readable;
    const output = (node ? [child.stdout, child.stderr] : [child.stderr]) as Readable[];
    let hello: HelloEvent | null = null;
    let warmup: WarmupEvent | null = null;
    let rounds = 0;
    let cluster: ClusterEvent | null = null;
    let inputError: InputErrorEvent | null = null;
    let done = false;
    const ends: RunEndEvent[] = [];
    let stderr = '';
    /** Non-blank lines on the event stream that were not the harness's events. */
    let foreignLines = 0;
    let stopping: { kind: 'timed-out' | 'cancelled'; message: string } | null = null;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    /** The run in progress, for the message when it is stopped. */
    let current: string | null = null;
    let busyAtStart = 0;
    const busyDuringRuns: number[] = [];
    const ended: number[] = [];
    let settleTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const endProcesses = (withHarness: boolean): void => {
      if (child.pid !== undefined && process.platform !== 'win32') ended.push(...endRunProcesses(child.pid, marker, withHarness));
      else child.kill('SIGKILL');
    };
    const stop = (kind: 'timed-out' | 'cancelled', message: string): void => {
      if (stopping || exit || settled) return;
      stopping = { kind, message: current ? `${message} (during ${current})` : message };
      endProcesses(true);
      settleTimer = setTimeout(settle, STOP_DEADLINE_MS);
    };
    const timeout = setTimeout(() => stop('timed-out', `timed out after ${request.timeoutSeconds} s`), request.timeoutSeconds * 1000);
    const onAbort = (): void => stop('cancelled', 'cancelled');
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort);

    const receive = (line: string): void => {
      const event = parseEvent(line, key);
      if (!event) {
        if (line.trim()) foreignLines++;
        return;
      }
      if (event.type === 'run-start') {
        current = `${event.mode}${event.mode === 'sequential' ? '' : ` x${event.workers}`}`;
        busyAtStart = busyCoreSeconds();
        rounds = Math.max(rounds, event.round ?? 1);
      }
      if (event.type === 'warmup-start') current = 'the warm-up call';
      if (event.type === 'warmup') {
        current = null;
        warmup = event;
      }
      if (event.type === 'cluster') cluster = event;
      if (event.type === 'hello') hello = event;
      else if (event.type === 'error') inputError = event;
      else if (event.type === 'run-end') {
        current = null;
        ends.push(event);
        busyDuringRuns.push(busyCoreSeconds() - busyAtStart);
      }
      else if (event.type === 'done') done = true;
      request.onEvent?.(event);
    };
    const lines = new LineSplitter(receive);
    events.setEncoding('utf8');
    events.on('data', (chunk: string) => lines.push(chunk));
    for (const stream of output) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_KEPT);
      });
    }

    const finish = (outcome: BenchOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(settleTimer);
      request.signal?.removeEventListener('abort', onAbort);
      for (const stream of [events, ...output]) stream.destroy();
      void allGone(ended, child.pid).then(() => resolve(outcome));
    };
    /** The outcome from what arrived, once the harness has exited (or refused to, after a stop). */
    function settle(): void {
      if (settled) return;
      lines.end();
      const ignored = foreignLines + lines.dropped;
      if (ignored > 0) {
        stderr += `\nconcurrency-lens: ignored ${ignored} line${ignored === 1 ? '' : 's'} on the event stream that did not come from the harness (too long, or without the run's key)\n`;
      }
      const context = { cores: hello?.cores ?? os.availableParallelism(), gilEnabled: hello?.gilEnabled ?? true };
      const kept: Ended = { hello, warmup, rounds, cluster, runs: aggregate(ends, otherLoads(ends, busyDuringRuns), context), stderr };
      if (stopping) finish({ ...kept, ...stopping });
      else if (inputError) finish({ ...kept, kind: 'input-error', error: inputError });
      else if (done && exit?.code === 0) finish({ ...kept, kind: 'completed' });
      else {
        const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.code}`;
        const during = current ? ` during ${current}` : '';
        const last = stderr.trim().split('\n').slice(-1)[0];
        finish({ ...kept, kind: 'crashed', message: `the harness ${how}${during}${last ? `: ${last}` : ''}` });
      }
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ kind: 'no-interpreter', message: error.code === 'ENOENT' ? `${executable} was not found` : `${executable} could not be started: ${error.message}` });
    });
    // The harness is gone: what it left behind is ended, so that its streams reach their end; they are
    // cut after DRAIN_MS even if something the sweep could not find still holds them.
    child.on('exit', (code, signal) => {
      if (settled) return;
      exit = { code, signal };
      clearTimeout(settleTimer);
      endProcesses(true);
      settleTimer = setTimeout(settle, DRAIN_MS);
    });
    child.on('close', () => {
      if (exit) settle();
    });
  });
}

/** Resolves once none of `pids` (and, off Linux, no process of the group `pgid`) is left, or after GONE_WAIT_MS. */
async function allGone(pids: readonly number[], pgid: number | undefined): Promise<void> {
  const deadline = Date.now() + GONE_WAIT_MS;
  const groupAlive = (): boolean => {
    if (pgid === undefined || process.platform === 'linux' || process.platform === 'win32') return false;
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (Date.now() < deadline && (remaining(pids).length > 0 || groupAlive())) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A harness beside the bundle (dist/), or when running unbundled (tests): `nodeHarness.js` compiled
 * beside this module (out/src/core/bench/), `harness.py` in the sources.
 */
function harnessPath(name: 'harness.py' | 'nodeHarness.js'): string {
  const candidates = [path.join(__dirname, name), path.join(__dirname, '..', '..', '..', '..', 'src', 'core', 'bench', name)];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? (candidates[0] as string);
}

/** Core-seconds the machine's cores have been busy since boot (`os.cpus()`: every platform). */
function busyCoreSeconds(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0) / 1000;
}

/** Below this wall time the cores' tick counters (10 ms) cannot tell other load from noise. */
const MIN_SECONDS_FOR_LOAD = 0.25;

/**
 * The cores other programs kept busy during each run (all cores' busy time less the run's own CPU time,
 * over its wall time). A run too short for the tick counters is measured together with the short runs
 * that follow it, until they span MIN_SECONDS_FOR_LOAD (only the time inside runs counts, never the gaps
 * between them); what is left over at the end stays null. `busy[k]` is the machine's busy core-seconds
 * during `ends[k]`.
 */
export function otherLoads(ends: readonly Pick<RunEndEvent, 'wallSeconds' | 'cpuSeconds'>[], busy: readonly number[]): Array<number | null> {
  const loads: Array<number | null> = ends.map(() => null);
  let window = { busy: 0, cpu: 0, wall: 0, runs: [] as number[] };
  ends.forEach((end, index) => {
    const own = { busy: busy[index] ?? 0, cpu: end.cpuSeconds, wall: end.wallSeconds };
    if (own.wall >= MIN_SECONDS_FOR_LOAD) {
      loads[index] = Math.max(0, (own.busy - own.cpu) / own.wall);
      return;
    }
    window = { busy: window.busy + own.busy, cpu: window.cpu + own.cpu, wall: window.wall + own.wall, runs: [...window.runs, index] };
    if (window.wall < MIN_SECONDS_FOR_LOAD) return;
    const load = Math.max(0, (window.busy - window.cpu) / window.wall);
    for (const run of window.runs) loads[run] = load;
    window = { busy: 0, cpu: 0, wall: 0, runs: [] };
  });
  return loads;
}

/**
 * One BenchRun per configuration, in the order the configurations first ran: the medians of its
 * repetitions that finished (or of all, when none did: then `error` is the first repetition's), their
 * spread, the per-round speedups against sequential, and whether a third of the repetitions or more were starved of CPU.
 * `otherLoads[k]` is the other load measured during `ends[k]`.
 */
export function aggregate(ends: readonly RunEndEvent[], otherLoads: ReadonlyArray<number | null>, context: MachineContext): BenchRun[] {
  const groups = new Map<string, Array<{ end: RunEndEvent; otherLoad: number | null }>>();
  ends.forEach((end, index) => {
    const key = `${end.mode}\u0000${end.workers}`;
    const group = groups.get(key) ?? [];
    group.push({ end, otherLoad: otherLoads[index] ?? null });
    groups.set(key, group);
  });
  // A repetition too short for the cores' tick counters to tell its other load takes the run's typical one:
  // other programs rarely stop for the 100 ms a process pool needs, and its starvation must not go unseen.
  const typicalLoad = median(otherLoads.filter((load): load is number => load !== null));
  const runs = [...groups.values()].map((group) => {
    const finished = group.filter(({ end }) => end.error === null);
    const counted = finished.length > 0 ? finished : group;
    const first = (group[0] as (typeof group)[number]).end;
    const middle = (pick: (end: RunEndEvent) => number | null | undefined): number | null =>
      median(counted.map(({ end }) => pick(end)).filter((value): value is number => typeof value === 'number'));
    const loads = counted.map(({ otherLoad }) => otherLoad).filter((load): load is number => load !== null);
    const samples = counted.map(({ end }) => end.wallSeconds);
    const cpuWait = cpuWaitOf(counted.map(({ end }) => end), context);
    const starvedCount = cpuWait
      ? cpuWait.samples.filter((seconds, k) => 1 - seconds / ((samples[k] as number) || 1) >= STARVED_WAIT).length
      : counted.filter(({ end, otherLoad }) => starved({ ...end, otherLoad: otherLoad ?? typicalLoad }, context)).length;
    const failed = finished.length === 0 ? first.error : null;
    const run: BenchRun = {
      mode: first.mode,
      workers: first.workers,
      wallSeconds: middle((end) => end.wallSeconds) ?? 0,
      cpuSeconds: middle((end) => end.cpuSeconds) ?? 0,
      repeats: counted.length,
      spread: halfRange(samples) ?? 0,
      samples,
      speedup: null,
      speedupSpread: null,
      contended: starvedCount >= counted.length / 3,
      efficiency: null,
      gilContention: middle((end) => end.gilContention),
      ...(first.eventLoopBlocked !== undefined && { eventLoopBlocked: middle((end) => end.eventLoopBlocked) }),
      otherLoad: median(loads) ?? typicalLoad,
      latency: { p50: middle((end) => end.latency.p50), p95: middle((end) => end.latency.p95), max: middle((end) => end.latency.max) },
      completed: Math.round(middle((end) => end.completed) ?? 0),
      error: failed ? `${failed.exception}: ${failed.message}` : null,
      errorDetail: failed,
      cpuWait,
    };
    if (first.dask) {
      run.dask = {
        ...first.dask,
        perTaskOverheadSeconds: middle((end) => end.dask?.perTaskOverheadSeconds),
        bytesPerTask: middle((end) => end.dask?.bytesPerTask),
      };
    }
    return run;
  });
  const sequential = runs.find((run) => run.mode === 'sequential' && run.error === null);
  for (const run of runs) {
    if (!sequential || run.error !== null || run.wallSeconds <= 0) continue;
    run.speedup = sequential.wallSeconds / run.wallSeconds;
    run.speedupSpread = halfRange(perRoundRatios(sequential, run));
    run.efficiency = run.speedup / run.workers;
  }
  return runs;
}

/** The repetitions' waits for a CPU and their times without them (medians); null when one has no lanes. */
function cpuWaitOf(ends: readonly RunEndEvent[], context: MachineContext): CpuWait | null {
  const ranges: Unhindered[] = [];
  for (const end of ends) {
    const range = unhindered(end, context);
    if (!range) return null;
    ranges.push(range);
  }
  const middle = (range: Unhindered): number => (range.fastest + range.slowest) / 2;
  const waited = (seconds: (range: Unhindered) => number): number =>
    median(ranges.map((range, k) => {
      const wall = (ends[k] as RunEndEvent).wallSeconds;
      return wall > 0 ? 1 - seconds(range) / wall : 0;
    })) ?? 0;
  return {
    share: waited(middle),
    shareLeast: waited((range) => range.slowest),
    shareMost: waited((range) => range.fastest),
    unhinderedSeconds: median(ranges.map(middle)) ?? 0,
    unhinderedFastest: median(ranges.map((range) => range.fastest)) ?? 0,
    unhinderedSlowest: median(ranges.map((range) => range.slowest)) ?? 0,
    samples: ranges.map(middle),
    ranges,
  };
}
