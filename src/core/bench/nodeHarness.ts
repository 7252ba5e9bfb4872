/**
 * Concurrency Lens benchmark harness for Node: runs a call expression N times in each mode and reports.
 *
 *     node -- nodeHarness.js --file PATH --function QUALNAME --call EXPR --tasks N
 *                            [--modes sequential,worker_threads,child_process,async] [--workers 1,2,4]
 *                            [--timeout SECONDS] [--repeats N] [--budget SECONDS] [--key-on-stdin]
 *
 * Speaks the event schema of `harness.py` (src/core/bench/events.ts), one JSON object per line, on
 * **file descriptor 3** (the runner opens it as a pipe): the user's `console.log`, `process.stdout.write`
 * and even `fs.writeSync(1, …)` go to stdout, never into the event stream. Run by hand without a
 * descriptor 3, the events go to stdout and `process.stdout.write` is sent to stderr instead. With
 * --key-on-stdin, stdin holds the run's key (read to its end), put in every event.
 *
 * Before it exits, the harness ends the processes the user's code started that are still its
 * descendants (Linux, /proc); the runner ends the rest (processTree.ts).
 *
 * The user's module is loaded by file path (CommonJS `require`; ESM — `.mjs`, or `.js` under a
 * `"type": "module"` package.json — through `import()`) in this process and in every worker thread and
 * child process. TypeScript (`.ts`, `.tsx`, `.mts`, `.cts`, and the TS files they import) is transpiled
 * to CommonJS by this process when it loads the module, before anything is timed (a require hook that
 * loads the compiler only then); workers get the transpiled sources and never load the compiler.
 *
 * The call expression sees the module's exports (and the globals) with `i` = the task index; a returned
 * promise is awaited. Modes: `sequential` (in turn, awaiting each), `worker_threads` (a pool of k Worker
 * threads), `child_process` (a pool of k forked processes), `async` (all tasks started, at most k in
 * flight). Pool start-up (each worker loading the module) is inside the measured time: that is what a
 * user pays. A task's result goes back to the main thread as the user's own code would send it
 * (structured clone), so results that cannot make the trip fail the run.
 *
 * The protocol, as in `harness.py`: one untimed call of task 0 first, on the main thread, when a mode
 * runs its tasks there (sequential, async: `warmup-start`/`warmup` events); then rounds,
 * each running every configuration (mode × workers) once, in an order that rotates by one per round. At
 * least --repeats rounds; more (up to MAX_ROUNDS) while a configuration's repetitions disagree or a
 * sequential run was starved of CPU, as long as one more round fits in --budget seconds of measuring.
 * On Linux each run-end event carries the repetition's lanes (the main thread for sequential and async;
 * each worker thread or child process that ran a task, its times read at the end of each task there):
 * their time on a CPU and runnable but waiting for one (schedstat), and when their last task ended.
 */

import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { NODE_MODES, type BenchMode, type ErrorInfo, type LaneTimes, type ThreadTimes } from './events';
import { endRunProcesses, threadTimes } from './processTree';

/** Input errors (the call, the function, the module, a mode) exit with this status, after an `error` event. */
const EXIT_INPUT_ERROR = 3;
const PROGRESS_INTERVAL_MS = 100;
/** The event-loop probe's timer period (ms). */
const PROBE_INTERVAL_MS = 5;
/** The texts of an error sent in an event are cut to this length (the runner drops lines over 1 MiB). */
const MAX_TEXT = 10_000;
/** A stopped worker that has not exited after this long is killed (ms). */
const STOP_GRACE_MS = 2000;
/** How the harness recognizes itself in a worker thread and in a child process. */
const WORKER_ROLE = 'concurrency-lens-worker';
const CHILD_FLAG = '--concurrency-lens-child';
const MAX_ROUNDS = 10;
/** Repetitions of a configuration disagree when their range is over this share of their median. */
const DISAGREE = 0.2;
/** A sequential run that blocked the event loop this much was computing all along ... */
const HUNGRY = 0.5;
/** ... and was starved when it got less than this share of a core. */
const STARVED_SHARE = 0.7;
const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
/** A `.js` specifier that does not exist may name a TS file (TypeScript's ESM-style imports). */
const TS_FOR_JS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** What every worker needs to load the target as the main thread did. */
interface Target {
  file: string;
  qualname: string;
  call: string;
  /** Absolute path -> CommonJS code of every TS file the main thread transpiled. */
  transpiled: Record<string, string>;
}

/** Main thread -> worker. */
type ToWorker = { type: 'init'; target: Target } | { type: 'task'; i: number } | { type: 'stop' };

/**
 * Worker -> main thread. `cpu`: the worker's CPU microseconds so far (child processes; threads count in
 * the parent's). `lane`: the times of the thread that runs the tasks since it started (Linux).
 */
type FromWorker =
  | { type: 'ready'; cpu: number }
  | { type: 'load-failed'; error: ErrorInfo; cpu: number }
  | { type: 'result'; i: number; seconds: number; cpu: number; lane: ThreadTimes | null; result: unknown }
  | { type: 'failed'; i: number; seconds: number; error: ErrorInfo; cpu: number }
  | { type: 'crashed'; error: ErrorInfo; cpu: number }
  | { type: 'bye'; cpu: number };

// ---------------------------------------------------------------------------------------------------
// Events

let eventsFd = 1;
let eventsKey: string | undefined;

function emit(type: string, fields: Record<string, unknown> = {}): void {
  // The leading newline ends whatever unfinished line the user's code wrote on descriptor 3.
  const line = `\n${JSON.stringify({ ...fields, type, ...(eventsKey !== undefined && { key: eventsKey }) })}\n`;
  let buffer = Buffer.from(line, 'utf8');
  while (buffer.length > 0) {
    try {
      buffer = buffer.subarray(fs.writeSync(eventsFd, buffer));
    } catch (error) {
      // A full non-blocking pipe: wait for the runner to read.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * stdout and stderr as blocking descriptors. Node makes a pipe non-blocking when it opens
 * `process.stdout` on it, and the flag belongs to the pipe, shared with every process of the run: the
 * user's `fs.writeSync(1, …)` would then fail with EAGAIN whenever the pipe is full. Blocking, a write
 * waits for the runner to read, as on a terminal. Done at start in the harness and in each child.
 */
function blockingStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => void } })._handle?.setBlocking?.(true);
  }
}

/** Events on descriptor 3 when the runner opened it; else on stdout, with the user's stdout writes sent to stderr. */
function openEvents(): void {
  try {
    const stat = fs.fstatSync(3);
    if (stat.isFIFO() || stat.isSocket() || stat.isFile()) {
      eventsFd = 3;
      return;
    }
  } catch {
    // Not open: run by hand.
  }
  eventsFd = 1;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
}

// ---------------------------------------------------------------------------------------------------
// Errors

/** The error as the events carry it: its class, its message, its stack without the harness's and Node's own frames. */
function describe(error: unknown): ErrorInfo {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) {
    return { exception: error === null ? 'null' : typeof error, message: String(error), traceback: `thrown: ${String(error)}` };
  }
  const value = error as { name?: unknown; message?: unknown; stack?: unknown; constructor?: { name?: unknown } };
  const constructorName = typeof value.constructor?.name === 'string' ? value.constructor.name : '';
  const name = typeof value.name === 'string' ? value.name : '';
  const message = typeof value.message === 'string' ? value.message : String(error);
  // `class ParseError extends Error` keeps the name 'Error': the constructor says more. A DOMException
  // (DataCloneError) is the other way round. Cloning errors of process.send are plain Errors.
  let exception = constructorName && constructorName !== 'Error' && constructorName !== 'DOMException' ? constructorName : name || constructorName || 'Error';
  if (exception === 'Error' && /could not be cloned/.test(message)) exception = 'DataCloneError';
  const stack = typeof value.stack === 'string' ? value.stack : `${exception}: ${message}`;
  return { exception, message: cut(message), traceback: cut(userStack(stack)) };
}

function cut(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}

/** A stack without the frames of the harness and of Node's internals (at most 8 frames kept). */
function userStack(stack: string): string {
  const lines = stack.split('\n');
  const kept: string[] = [];
  let frames = 0;
  for (const line of lines) {
    const frame = /^\s+at /.test(line);
    if (line.includes(__filename) || /\(node:|^\s+at node:/.test(line)) continue;
    if (frame && ++frames > 8) continue;
    kept.push(line);
  }
  return kept.join('\n');
}

/** Thrown for a result that would arrive at the main thread without its class. */
class DataCloneError extends Error {
  override name = 'DataCloneError';
}

const CLONEABLE: ReadonlyArray<abstract new (...args: never[]) => unknown> = [
  Date, RegExp, Map, Set, ArrayBuffer, DataView, Error, Boolean, Number, String, SharedArrayBuffer,
  Object.getPrototypeOf(Int8Array) as abstract new (...args: never[]) => unknown,
];

/**
 * Structured clone (postMessage, fork's advanced serialization) copies a class instance's own data and
 * drops its class: `new Parser()` arrives as a plain object whose methods are gone. The user's code
 * would break on that, so the run does. Functions fail in the clone itself. Checks at most 1000 values.
 */
function checkCloneable(value: unknown, i: number): void {
  const queue: unknown[] = [value];
  for (let seen = 0; queue.length > 0 && seen < 1000; seen++) {
    const item = queue.shift();
    if (item === null || typeof item !== 'object') continue;
    const prototype = Object.getPrototypeOf(item) as object | null;
    if (prototype === null || prototype === Object.prototype || Array.isArray(item)) {
      queue.push(...(Array.isArray(item) ? item.slice(0, 100) : Object.values(item).slice(0, 100)));
      continue;
    }
    if (CLONEABLE.some((type) => item instanceof type)) continue;
    const methods = Object.getOwnPropertyNames(prototype).filter((key) => key !== 'constructor' && typeof Object.getOwnPropertyDescriptor(prototype, key)?.value === 'function');
    if (methods.length === 0) continue;
    const className = (prototype as { constructor?: { name?: string } }).constructor?.name || 'a class';
    throw new DataCloneError(
      `the result of task ${i} is a ${className} instance: structured clone copies its own fields, not its class, so its methods (${methods.slice(0, 3).join(', ')}) are lost on the way to the main thread`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Loading the user's module

type ModuleInternals = typeof Module & {
  _extensions: Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>;
  _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string;
};

/**
 * Lets `require` load TS files: from `transpiled` (workers), or by transpiling them (the main thread,
 * which loads the compiler on the first TS file and records what it transpiled, for the workers).
 */
function installTypeScript(transpiled: Record<string, string>, mayTranspile: boolean): void {
  const internals = Module as ModuleInternals;
  let transpile: ((source: string, fileName: string) => string) | undefined;
  const compile = (module: { _compile(code: string, filename: string): void }, filename: string): void => {
    let code = transpiled[filename];
    if (code === undefined) {
      if (!mayTranspile) throw new Error(`${filename} was not transpiled by the harness's main thread (it is first loaded in a worker)`);
      // The TypeScript compiler: only now, and only here (never in a worker).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      transpile ??= (require('../typescript/index') as typeof import('../typescript/index')).transpileForRun;
      code = transpile(fs.readFileSync(filename, 'utf8'), filename);
      transpiled[filename] = code;
    }
    enableSourceMaps();
    module._compile(code, filename);
  };
  for (const extension of TS_EXTENSIONS) internals._extensions[extension] = compile;
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (this: unknown, request: string, parent: unknown, ...rest: unknown[]): string {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error) {
      const extension = path.extname(request);
      const alternatives = request.startsWith('.') ? TS_FOR_JS[extension] : undefined;
      if (!alternatives) throw error;
      for (const alternative of alternatives) {
        try {
          return resolve.call(this, request.slice(0, -extension.length) + alternative, parent, ...rest);
        } catch {
          // Try the next one.
        }
      }
      throw error;
    }
  };
}

/** Stacks of transpiled code point into the .ts files (the inline source maps of `transpileForRun`). */
function enableSourceMaps(): void {
  const sourceMaps = process as unknown as { setSourceMapsEnabled?: (enabled: boolean) => void };
  sourceMaps.setSourceMapsEnabled?.(true);
}

/** ESM by Node's own rule: `.mjs`, or `.js` whose nearest package.json says `"type": "module"`. */
function isEsm(file: string): boolean {
  const extension = path.extname(file);
  if (extension === '.mjs') return true;
  if (extension !== '.js') return false;
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(folder) === folder) return false;
  }
}

/** A real `import()`: TypeScript's and esbuild's CommonJS output would turn a literal one into `require`. */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function loadModule(file: string): Promise<unknown> {
  if (isEsm(file)) return importModule(pathToFileURL(file).href);
  return Module.createRequire(file)(file);
}

/** What the call expression sees: the module's exports, and a default export or `module.exports = fn` by its name. */
function scopeOf(exports: unknown): Record<string, unknown> {
  const scope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
    for (const key of Object.keys(exports)) scope[key] = (exports as Record<string, unknown>)[key];
    for (const named of [exports, scope.default]) {
      const name = typeof named === 'function' ? named.name : '';
      if (name && !(name in scope)) scope[name] = named;
    }
  }
  // `i` is the task index, whatever the module exports.
  delete scope.i;
  delete scope.__scope;
  return scope;
}

/**
 * The call expression as a function of `i`, evaluated in the scope (`with`, hence a sloppy-mode
 * function). An expression that uses `await` becomes an async function. Throws a SyntaxError.
 */
function compileCall(expression: string): (scope: Record<string, unknown>) => (i: number) => unknown {
  const source = (isAsync: boolean): string => `return ${isAsync ? 'async ' : ''}function (i) { with (__scope) { return (\n${expression}\n); } };`;
  try {
    return new Function('__scope', source(false)) as (scope: Record<string, unknown>) => (i: number) => unknown;
  } catch (syncError) {
    try {
      return new Function('__scope', source(true)) as (scope: Record<string, unknown>) => (i: number) => unknown;
    } catch {
      throw syncError;
    }
  }
}

/** `fn`, `Class.method` (static, else on the prototype), `obj.fn`: the function, or a reason it is not one. */
function lookup(scope: Record<string, unknown>, qualname: string): { fn: (...args: unknown[]) => unknown } | { missing: string } {
  const parts = qualname.split('.');
  let target: unknown = scope;
  let where = '';
  for (const part of parts) {
    if (target === null || target === undefined) return { missing: `${where} is ${String(target)}` };
    const holder = target as Record<string, unknown> & { prototype?: Record<string, unknown> };
    let next = where === '' ? scope[part] : holder[part];
    if (next === undefined && typeof target === 'function') next = holder.prototype?.[part];
    if (next === undefined) return { missing: where === '' ? `no function ${qualname}` : `no ${part} in ${where}` };
    target = next;
    where = where === '' ? part : `${where}.${part}`;
  }
  if (typeof target !== 'function') return { missing: `${qualname} is a ${typeof target}, not a function` };
  return { fn: target as (...args: unknown[]) => unknown };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** Loads the target in a worker (thread or process) as the main thread did. */
async function loadTarget(target: Target): Promise<(i: number) => unknown> {
  installTypeScript(target.transpiled, false);
  const factory = compileCall(target.call);
  return factory(scopeOf(await loadModule(target.file)));
}

// ---------------------------------------------------------------------------------------------------
// Figures

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const ordered = [...values].sort((a, b) => a - b);
  const index = Math.min(ordered.length - 1, Math.max(0, Math.round((p / 100) * ordered.length + 0.5) - 1));
  return ordered[index] ?? null;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

class Progress {
  done = 0;
  private last = 0;

  constructor(
    private readonly mode: BenchMode,
    private readonly workers: number,
    private readonly total: number,
  ) {}

  step(): void {
    this.done++;
    const now = performance.now();
    if (now - this.last >= PROGRESS_INTERVAL_MS || this.done === this.total) {
      this.last = now;
      emit('progress', { mode: this.mode, workers: this.workers, done: this.done, total: this.total });
    }
  }
}

/**
 * How long the event loop could not run: a timer that should fire every 5 ms, and how late it fires
 * (beyond the lateness it has on an idle loop). While a synchronous task runs, it cannot fire at all.
 */
class LoopProbe {
  static baseline = 0;
  private late = 0;
  private due = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();

  constructor() {
    this.schedule();
  }

  /** The lateness of one tick on an idle loop (ms). */
  static async calibrate(milliseconds = 60): Promise<void> {
    let late = 0;
    let ticks = 0;
    const ends = performance.now() + milliseconds;
    while (performance.now() < ends) {
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
      late += Math.max(0, performance.now() - started - PROBE_INTERVAL_MS);
      ticks++;
    }
    LoopProbe.baseline = ticks > 0 ? late / ticks : 0;
  }

  private schedule(): void {
    this.due = performance.now() + PROBE_INTERVAL_MS;
    this.timer = setTimeout(() => {
      this.late += Math.max(0, performance.now() - this.due - LoopProbe.baseline);
      this.schedule();
    }, PROBE_INTERVAL_MS);
  }

  /** The share of the time since the probe started that the loop was blocked. */
  stop(): number {
    clearTimeout(this.timer);
    const now = performance.now();
    const late = this.late + Math.max(0, now - this.due - LoopProbe.baseline);
    const elapsed = now - this.started;
    return elapsed > 0 ? Math.round(Math.min(1, late / elapsed) * 1000) / 1000 : 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// The pools

/** One worker of a pool, whichever kind. */
interface PoolWorker {
  send(message: ToWorker): void;
  /** Stops it: politely when `graceful` (it finishes and exits), else at once. Resolves when it is gone. */
  stop(graceful: boolean): Promise<void>;
  pid: number | undefined;
  /** The task it runs, if any. */
  task: number | null;
  cpu: number;
  /** Its thread's times at the end of its last task, and when the result came (ms); undefined until one did. */
  lane?: { times: ThreadTimes | null; end: number };
  stopping: boolean;
}

interface PoolEvents {
  message(worker: PoolWorker, message: FromWorker): void;
  /** It died (exited, was killed, threw outside a task). */
  died(worker: PoolWorker, error: ErrorInfo): void;
}

function startThread(target: Target, index: number, on: PoolEvents): PoolWorker {
  const thread = new Worker(__filename, { workerData: { role: WORKER_ROLE, target, index } });
  let uncaught: ErrorInfo | null = null;
  const gone = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  const worker: PoolWorker = {
    send: (message) => thread.postMessage(message),
    // Its tasks are done (or the run failed): nothing is lost by terminating it, and the user's module
    // may hold its loop open (a timer, a socket).
    stop: async () => {
      worker.stopping = true;
      await thread.terminate();
      await gone;
    },
    pid: undefined,
    task: null,
    cpu: 0,
    stopping: false,
  };
  thread.on('message', (message: FromWorker) => on.message(worker, message));
  thread.on('error', (error) => {
    uncaught = describe(error);
  });
  thread.on('messageerror', (error) => {
    if (!worker.stopping) on.died(worker, describe(error));
  });
  thread.on('exit', (code) => {
    if (worker.stopping) return;
    const during = worker.task === null ? '' : ` during task ${worker.task}`;
    on.died(
      worker,
      uncaught
        ? { ...uncaught, message: `${uncaught.message} (uncaught in a worker thread${during})` }
        : { exception: 'WorkerThreadExited', message: `a worker thread exited with code ${code}${during}`, traceback: '' },
    );
  });
  return worker;
}

function startChild(target: Target, on: PoolEvents): PoolWorker {
  // The target's path in the arguments says, in a process list, whose worker this is.
  const child: ChildProcess = fork(__filename, [CHILD_FLAG, target.file], {
    serialization: 'advanced',
    // A pipe of its own per child, copied to the harness's: a child starting (Node makes its stdout
    // non-blocking as it opens it) must not make another child's `fs.writeSync(1, …)` fail with EAGAIN.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(process.stdout, { end: false });
  child.stderr?.pipe(process.stderr, { end: false });
  let exited = false;
  let markGone: () => void = () => undefined;
  const gone = new Promise<void>((resolve) => {
    markGone = resolve;
  });
  const died = (how: string, cause = ''): void => {
    exited = true;
    markGone();
    if (worker.stopping) return;
    const during = worker.task === null ? '' : ` during task ${worker.task}`;
    on.died(worker, { exception: 'ChildProcessExited', message: `a child process${child.pid === undefined ? '' : ` (pid ${child.pid})`} ${how}${during}${cause}`, traceback: '' });
  };
  const worker: PoolWorker = {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    stop: async (graceful) => {
      worker.stopping = true;
      if (exited) return;
      if (graceful && child.connected) child.send({ type: 'stop' } satisfies ToWorker);
      else child.kill('SIGKILL');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceful ? STOP_GRACE_MS : 0);
      await gone;
      clearTimeout(killer);
    },
    pid: child.pid,
    task: null,
    cpu: 0,
    stopping: false,
  };
  child.on('message', (message: FromWorker) => on.message(worker, message));
  child.on('error', (error) => {
    // It could not be started (no 'exit' follows), or could not be signalled or sent to.
    if (child.pid === undefined) died('could not be started', `: ${error.message}`);
  });
  child.on('exit', (code, signal) => died(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.send({ type: 'init', target } satisfies ToWorker);
  return worker;
}

interface PoolResult {
  error: ErrorInfo | null;
  /** CPU microseconds the child processes reported (threads count in this process's own). */
  childCpu: number;
  /** The times of the workers that ran tasks, with `end` in ms (performance.now()); null when one could not read its own. */
  lanes: Array<ThreadTimes & { end: number }> | null;
}

/** Runs the tasks on k workers, each taking the next task index when it is free. */
function runPool(
  mode: 'worker_threads' | 'child_process',
  workers: number,
  tasks: number,
  target: Target,
  progress: Progress,
  latencies: number[],
): Promise<PoolResult> {
  return new Promise((resolve) => {
    const pool: PoolWorker[] = [];
    let next = 0;
    let finished = 0;
    let ending = false;

    const end = (error: ErrorInfo | null): void => {
      if (ending) return;
      ending = true;
      void Promise.all(pool.map((worker) => worker.stop(error === null))).then(() => {
        const ran = pool.flatMap((worker) => (worker.lane === undefined ? [] : [worker.lane]));
        const lanes = ran.every(({ times }) => times !== null) ? ran.map(({ times, end }) => ({ ...(times as ThreadTimes), end })) : null;
        resolve({ error, childCpu: pool.reduce((sum, worker) => sum + worker.cpu, 0), lanes });
      });
    };
    const dispatch = (worker: PoolWorker): void => {
      if (ending || next >= tasks) {
        worker.task = null;
        return;
      }
      worker.task = next++;
      worker.send({ type: 'task', i: worker.task });
    };
    const events: PoolEvents = {
      message(worker, message) {
        worker.cpu = Math.max(worker.cpu, message.cpu);
        if (ending) return;
        switch (message.type) {
          case 'ready':
            dispatch(worker);
            break;
          case 'result':
            worker.lane = { times: message.lane, end: performance.now() };
            latencies.push(message.seconds);
            progress.step();
            if (++finished === tasks) end(null);
            else dispatch(worker);
            break;
          case 'failed':
          case 'load-failed':
          case 'crashed':
            end(message.error);
            break;
          case 'bye':
            break;
        }
      },
      died(_worker, error) {
        end(error);
      },
    };
    try {
      for (let k = 0; k < workers; k++) {
        const worker = mode === 'worker_threads' ? startThread(target, k, events) : startChild(target, events);
        pool.push(worker);
        if (worker.pid !== undefined) emit('worker', { mode, workers, pid: worker.pid });
      }
      if (tasks <= 0) end(null);
    } catch (error) {
      end(describe(error));
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The worker side (a thread or a child process)

/** Serves tasks one at a time: runs the call, times it, sends the result back. */
async function serve(target: Target, send: (message: FromWorker) => void, cpu: () => number, onStop: () => void): Promise<(message: ToWorker) => void> {
  let call: (i: number) => unknown;
  try {
    call = await loadTarget(target);
  } catch (error) {
    send({ type: 'load-failed', error: describe(error), cpu: cpu() });
    return () => undefined;
  }
  send({ type: 'ready', cpu: cpu() });
  return (message) => {
    if (message.type === 'stop') {
      onStop();
      return;
    }
    if (message.type !== 'task') return;
    const { i } = message;
    const started = performance.now();
    void (async () => {
      let result: unknown;
      try {
        result = call(i);
        if (isThenable(result)) result = await result;
      } catch (error) {
        send({ type: 'failed', i, seconds: (performance.now() - started) / 1000, error: describe(error), cpu: cpu() });
        return;
      }
      const seconds = (performance.now() - started) / 1000;
      // A promise the task rejected with no handler is reported once the microtasks have run: one turn
      // of the loop before the result goes lets it fail this task (the worker dies of it) rather than
      // go unnoticed when the pool is stopped first.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        checkCloneable(result, i);
        send({ type: 'result', i, seconds, cpu: cpu(), lane: threadTimes(), result });
      } catch (error) {
        send({ type: 'failed', i, seconds, error: describe(error), cpu: cpu() });
      }
    })();
  };
}

/**
 * Names the OS thread `cl-worker_N` (Linux, through /proc/thread-self), so the live panel's thread
 * lanes, read from /proc, tell the pool's threads from Node's own (all called `node`).
 */
function nameThread(index: number): void {
  if (process.platform !== 'linux') return;
  try {
    fs.writeFileSync('/proc/thread-self/comm', `cl-worker_${index}`);
  } catch {
    // An older kernel, or /proc not mounted.
  }
}

function workerThreadMain(target: Target, index: number): void {
  const port = parentPort;
  if (!port) return;
  nameThread(index);
  // Worker threads count in the process's CPU time: nothing to report.
  const handler = serve(target, (message) => port.postMessage(message), () => 0, () => port.close());
  port.on('message', (message: ToWorker) => void handler.then((handle) => handle(message)));
}

function childMain(): void {
  const send = (message: FromWorker, then?: () => void): void => {
    if (!process.connected || !process.send) return;
    process.send(message, undefined, undefined, then);
  };
  blockingStdio();
  // Orphaned (the harness is gone): leave.
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (error) => {
    send({ type: 'crashed', error: describe(error), cpu: cpuMicros() }, () => process.exit(70));
  });
  let handler: Promise<(message: ToWorker) => void> | null = null;
  process.on('message', (message: ToWorker) => {
    if (message.type === 'init') {
      handler = serve(message.target, (reply) => send(reply), cpuMicros, () => send({ type: 'bye', cpu: cpuMicros() }, () => process.exit(0)));
      return;
    }
    void handler?.then((handle) => handle(message));
  });
}

// ---------------------------------------------------------------------------------------------------
// The main thread

interface Options {
  tasks: number;
  target: Target;
  call: (i: number) => unknown;
}

/** Receives an error that escaped the user's tasks on this thread while a sequential or async run goes. */
let escapedError: ((error: ErrorInfo) => void) | null = null;

interface Repetition {
  wall: number;
  cpu: number;
  blocked: number | null;
  failed: boolean;
  /** Whether a task returned a promise. */
  returnedPromise: boolean;
}

/** Runs one mode with k workers once and emits run-start, worker, progress and run-end. */
async function runOnce(mode: BenchMode, workers: number, options: Options, roundNumber: number): Promise<Repetition> {
  const { tasks, call } = options;
  const latencies: number[] = [];
  const progress = new Progress(mode, workers, tasks);
  let returnedPromise = false;
  emit('run-start', { mode, workers, pid: process.pid, round: roundNumber });
  let error: ErrorInfo | null = null;
  let childCpu = 0;
  const probe = mode === 'sequential' || mode === 'async' ? new LoopProbe() : null;
  // Sequential and async run their tasks on this thread: its one lane, there before the run.
  const ownBefore = mode === 'sequential' || mode === 'async' ? threadTimes() : null;
  let laneTimes: LaneTimes[] | null = null;
  const cpuBefore = cpuMicros();
  const started = performance.now();

  /** When the tasks on this thread were done (sequential, async). */
  let finished: number | undefined;
  /** Tasks on this thread, from `next` on, one after another (a lane); the first error stops every lane. */
  let next = 0;
  let live = true;
  const lane = async (): Promise<void> => {
    while (live && next < tasks && error === null) {
      const i = next++;
      const taskStarted = performance.now();
      try {
        const result = call(i);
        if (isThenable(result)) {
          returnedPromise = true;
          await result;
        }
      } catch (caught) {
        error ??= describe(caught);
        return;
      }
      if (!live) return;
      latencies.push((performance.now() - taskStarted) / 1000);
      progress.step();
    }
  };
  if (mode === 'sequential' || mode === 'async') {
    // At most k in flight; a failed run still waits for the tasks in flight (they cannot be cancelled),
    // unless the error escaped them (thrown from a timer, a rejection nobody awaited): then they are
    // abandoned, since what they wait for may never come.
    const lanes = Promise.all(Array.from({ length: mode === 'sequential' ? 1 : Math.max(1, Math.min(workers, tasks)) }, () => lane()));
    const escaped = new Promise<ErrorInfo>((resolve) => {
      escapedError = resolve;
    });
    let first = await Promise.race([lanes.then(() => null), escaped]);
    finished = performance.now();
    const ownAfter = threadTimes();
    if (ownBefore && ownAfter) {
      laneTimes = [{ cpuSeconds: ownAfter.cpuSeconds - ownBefore.cpuSeconds, waitSeconds: ownAfter.waitSeconds - ownBefore.waitSeconds, endSeconds: (finished - started) / 1000 }];
    }
    // A promise a task rejected without a handler is reported once the microtasks have run: one turn
    // of the loop (after the timing) lets it fail this run rather than whatever runs next.
    first ??= await Promise.race([new Promise<null>((resolve) => setImmediate(() => resolve(null))), escaped]);
    escapedError = null;
    if (first !== null) error ??= first;
    live = false;
  } else if (mode === 'worker_threads' || mode === 'child_process') {
    const pooled = await runPool(mode, workers, tasks, options.target, progress, latencies);
    error = pooled.error;
    childCpu = pooled.childCpu;
    laneTimes = pooled.lanes && pooled.lanes.map(({ end, ...times }) => ({ ...times, endSeconds: (end - started) / 1000 }));
  }
  const wall = ((finished ?? performance.now()) - started) / 1000;
  const cpu = (cpuMicros() - cpuBefore + childCpu) / 1e6;
  const blocked = probe ? probe.stop() : null;
  emit('run-end', {
    mode,
    workers,
    round: roundNumber,
    wallSeconds: round(wall),
    cpuSeconds: round(cpu),
    latency: { p50: roundOrNull(percentile(latencies, 50)), p95: roundOrNull(percentile(latencies, 95)), max: latencies.length > 0 ? round(Math.max(...latencies)) : null },
    gilContention: null,
    eventLoopBlocked: blocked,
    completed: latencies.length,
    error,
    lanes: laneTimes && laneTimes.map((lane) => ({ cpuSeconds: round(lane.cpuSeconds), waitSeconds: round(lane.waitSeconds), endSeconds: round(lane.endSeconds) })),
  });
  return { wall, cpu, blocked, failed: error !== null, returnedPromise };
}

/** One untimed call of task 0, before anything is timed; its error (if any) is the runs' to report. */
async function warmUp(call: (i: number) => unknown): Promise<boolean> {
  emit('warmup-start');
  const started = performance.now();
  let error: ErrorInfo | null = null;
  let returnedPromise = false;
  const escaped = new Promise<ErrorInfo>((resolve) => {
    escapedError = resolve;
  });
  try {
    const result = call(0);
    if (isThenable(result)) {
      returnedPromise = true;
      error = await Promise.race([Promise.resolve(result).then(() => null), escaped]);
    }
  } catch (caught) {
    error = describe(caught);
  }
  escapedError = null;
  emit('warmup', { seconds: round((performance.now() - started) / 1000), error });
  return returnedPromise;
}

type Configuration = readonly [BenchMode, number];

/**
 * Do the repetitions so far call for another round? A configuration's wall times disagree, or the last
 * round's sequential run computed all along (it blocked the event loop) on a fraction of a core.
 */
function unsettled(walls: ReadonlyMap<Configuration, number[]>, lastRound: ReadonlyMap<Configuration, Repetition>): boolean {
  for (const samples of walls.values()) {
    const ordered = [...samples].sort((a, b) => a - b);
    const median = ordered[Math.floor(ordered.length / 2)] ?? 0;
    if (ordered.length >= 2 && median > 0 && ((ordered[ordered.length - 1] ?? 0) - (ordered[0] ?? 0)) / median > DISAGREE) return true;
  }
  for (const [[mode], repetition] of lastRound) {
    const { wall, cpu, blocked } = repetition;
    if (mode === 'sequential' && blocked !== null && blocked >= HUNGRY && wall > 0 && cpu / wall < STARVED_SHARE) return true;
  }
  return false;
}

/**
 * The rounds: every configuration once per round, in rotating order; a configuration that fails is not
 * run again. `async` runs only for work that returns promises (an async function, or calls that
 * returned promises: the warm-up and the sequential runs tell).
 */
async function measure(configurations: readonly Configuration[], options: Options, minRounds: number, budgetSeconds: number, returnsPromises: boolean): Promise<void> {
  const walls = new Map<Configuration, number[]>(configurations.map((configuration) => [configuration, []]));
  let active = [...configurations];
  let promised = returnsPromises;
  let lastRound = new Map<Configuration, Repetition>();
  const started = performance.now();
  for (let rounds = 0; active.length > 0; ) {
    if (rounds >= minRounds) {
      const elapsed = (performance.now() - started) / 1000;
      if (rounds >= MAX_ROUNDS || elapsed + elapsed / rounds > budgetSeconds) break;
      if (!unsettled(new Map(active.map((configuration) => [configuration, walls.get(configuration) ?? []])), lastRound)) break;
    }
    rounds++;
    lastRound = new Map();
    const shift = (rounds - 1) % active.length;
    for (const configuration of [...active.slice(shift), ...active.slice(0, shift)]) {
      const [mode, count] = configuration;
      if (mode === 'async' && !promised) {
        active = active.filter((other) => other !== configuration);
        continue;
      }
      const repetition = await runOnce(mode, count, options, rounds);
      if (mode === 'sequential') promised ||= repetition.returnedPromise;
      if (repetition.failed) active = active.filter((other) => other !== configuration);
      else {
        walls.get(configuration)?.push(repetition.wall);
        lastRound.set(configuration, repetition);
      }
    }
  }
}

/** Exits, after ending the processes the user's code started that are still descendants of the harness. */
function exitWithDescendants(code: number): never {
  endRunProcesses(process.pid, undefined, false);
  process.exit(code);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}

function inputError(stage: 'import' | 'function' | 'call' | 'mode', error: ErrorInfo): number {
  emit('error', { stage, ...error });
  return EXIT_INPUT_ERROR;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      file: { type: 'string' },
      function: { type: 'string' },
      call: { type: 'string' },
      tasks: { type: 'string', default: '8' },
      modes: { type: 'string', default: 'sequential,worker_threads,child_process' },
      workers: { type: 'string', default: '' },
      timeout: { type: 'string', default: '' },
      repeats: { type: 'string', default: '3' },
      budget: { type: 'string', default: '20' },
      'key-on-stdin': { type: 'boolean', default: false },
    },
  });
  if (values['key-on-stdin']) eventsKey = fs.readFileSync(0, 'utf8').split('\n')[0]?.trim();
  openEvents();
  blockingStdio();
  // An error thrown outside the awaited chain of a task (a timer's callback, a promise nobody awaits)
  // fails the run in progress, not the harness; outside a run it ends the harness, as in plain Node,
  // unless a run already failed that way: the other tasks of that run may still throw after it ended
  // (their timers outlive it), and that is the error the run already reported.
  let tasksThrewOutsideTheirCalls = false;
  const escaped = (error: unknown, how: string): void => {
    const described = describe(error);
    if (escapedError) {
      tasksThrewOutsideTheirCalls = true;
      escapedError({ ...described, message: `${described.message} (${how})` });
      return;
    }
    process.stderr.write(`${described.traceback}\n`);
    if (!tasksThrewOutsideTheirCalls) exitWithDescendants(1);
  };
  process.on('uncaughtException', (error) => escaped(error, 'thrown outside the awaited call'));
  process.on('unhandledRejection', (reason) => escaped(reason, 'a promise rejected with no handler'));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length || 1;
  emit('hello', {
    runtime: 'node',
    version: process.versions.node,
    executable: process.execPath,
    gilEnabled: false,
    cores,
    startMethods: [],
    defaultStartMethod: '',
    modes: NODE_MODES,
    pid: process.pid,
  });
  if (values.file === undefined || values.function === undefined || values.call === undefined) {
    process.stderr.write('nodeHarness: --file, --function and --call are needed\n');
    return 2;
  }
  const file = path.resolve(values.file);
  const qualname = values.function;
  const tasks = Number(values.tasks);
  // A safety net when the runner is gone: it enforces the timeout itself, and kills the group.
  const timeout = Number(values.timeout);
  if (timeout > 0) setTimeout(() => exitWithDescendants(124), timeout * 1000 + 10_000).unref();

  let factory: ReturnType<typeof compileCall>;
  try {
    factory = compileCall(values.call);
  } catch (error) {
    return inputError('call', describe(error));
  }
  const transpiled: Record<string, string> = {};
  installTypeScript(transpiled, true);
  let exports: unknown;
  try {
    exports = await loadModule(file);
  } catch (error) {
    return inputError('import', describe(error));
  }
  const scope = scopeOf(exports);
  const found = lookup(scope, qualname);
  if ('missing' in found) {
    return inputError('function', { exception: 'ReferenceError', message: `${path.basename(file)}: ${found.missing}`, traceback: `exports: ${Object.keys(scope).join(', ') || '(none)'}` });
  }
  const isAsync = found.fn.constructor.name === 'AsyncFunction';
  const modes = values.modes.split(',').filter((mode) => mode !== '');
  const unknown = modes.find((mode) => !NODE_MODES.includes(mode as BenchMode));
  if (unknown !== undefined) {
    return inputError('mode', { exception: 'RangeError', message: `mode ${unknown} is not a Node mode (${NODE_MODES.join(', ')})`, traceback: '' });
  }
  const workers = values.workers.split(',').filter((w) => w !== '').map(Number);
  const options: Options = { tasks, target: { file, qualname, call: values.call, transpiled }, call: factory(scope) };
  await LoopProbe.calibrate();
  const configurations = (modes as BenchMode[]).flatMap((mode) =>
    (mode === 'sequential' ? [1] : workers.length > 0 ? workers : [cores]).map((count): Configuration => [mode, count]));
  // The warm-up warms the main thread: only the modes that run their tasks there gain from it.
  const warmed = configurations.some(([mode]) => mode === 'sequential' || mode === 'async') && (await warmUp(options.call));
  const returnsPromises = warmed || isAsync || !configurations.some(([mode]) => mode === 'sequential');
  await measure(configurations, options, Math.max(1, Number(values.repeats) || 3), Number(values.budget) || 0, returnsPromises);
  emit('done');
  return 0;
}

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === WORKER_ROLE) {
  const { target, index } = workerData as { target: Target; index: number };
  workerThreadMain(target, index);
} else if (process.argv[2] === CHILD_FLAG) {
  childMain();
} else if (require.main === module) {
  main().then(
    // The user's module may keep the loop alive (a server, an interval): the harness is done anyway.
    (code) => exitWithDescendants(code),
    (error: unknown) => {
      process.stderr.write(`nodeHarness: ${describe(error).traceback}\n`);
      exitWithDescendants(1);
    },
  );
}
