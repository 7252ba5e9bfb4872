import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NODE_MODES, type HarnessEvent } from '../../src/core/bench/events';
import { declaredAsync, defaultNodeModes, isNodeTarget } from '../../src/core/bench/nodeTarget';
import { recommend } from '../../src/core/bench/recommend';
import { runBench, type BenchOutcome, type BenchRequest, type BenchRun } from '../../src/core/bench/runner';
import { alive, cli, pidsOf, processesMentioning, tempTree } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'node-bench');
/** The harness as tsc compiles it (the tests run out/, not the bundles). */
const HARNESS = path.join(REPO, 'out', 'src', 'core', 'bench', 'nodeHarness.js');

type Request = Partial<BenchRequest> & Pick<BenchRequest, 'qualname' | 'call'>;

function completed(outcome: BenchOutcome): Extract<BenchOutcome, { kind: 'completed' }> {
  assert.equal(outcome.kind, 'completed', JSON.stringify(outcome).slice(0, 3000));
  return outcome as Extract<BenchOutcome, { kind: 'completed' }>;
}

function inputError(outcome: BenchOutcome): Extract<BenchOutcome, { kind: 'input-error' }>['error'] {
  assert.equal(outcome.kind, 'input-error', JSON.stringify(outcome).slice(0, 3000));
  return (outcome as Extract<BenchOutcome, { kind: 'input-error' }>).error;
}

describe('Node benchmark harness and runner (real node)', function () {
  this.timeout(60_000);
  /** A private copy of the fixtures: the process table is searched for its path. */
  let root: string;

  const run = (file: string, request: Request): Promise<BenchOutcome> =>
    runBench({
      runtime: 'node',
      node: process.execPath,
      harness: HARNESS,
      file: path.join(root, file),
      tasks: 4,
      modes: ['sequential', 'worker_threads', 'child_process'],
      workers: [2],
      repeats: 1,
      budgetSeconds: 0,
      timeoutSeconds: 60,
      ...request,
    });

  before(() => {
    const files = Object.fromEntries(fs.readdirSync(FIXTURES).map((name) => [name, fs.readFileSync(path.join(FIXTURES, name))]));
    root = tempTree(files);
  });

  after(() => {
    const left = processesMentioning(root);
    fs.rmSync(root, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no process of any run is left');
  });

  it('names its worker threads, so the panel can tell them apart (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();
    const names = new Set<string>();
    let harness = 0;
    completed(
      await run('work.js', {
        qualname: 'crunch',
        call: 'crunch(i, 3_000_000)',
        modes: ['worker_threads'],
        onEvent: (event) => {
          if (event.type === 'hello') harness = event.pid;
          if (event.type !== 'progress') return;
          try {
            for (const tid of fs.readdirSync(`/proc/${harness}/task`)) names.add(fs.readFileSync(`/proc/${harness}/task/${tid}/comm`, 'utf8').trim());
          } catch {
            // A thread ended between listing and reading: the next progress event reads again.
          }
        },
      }),
    );
    assert.ok(names.has('cl-worker_0') && names.has('cl-worker_1'), [...names].join(', '));
  });

  it('runs each mode: hello (runtime node, no GIL), worker pids of the child_process pool, progress, figures, done', async () => {
    const events: HarnessEvent[] = [];
    const outcome = completed(await run('work.js', { qualname: 'crunch', call: 'crunch(i)', onEvent: (event) => events.push(event) }));
    const hello = outcome.hello;
    assert.ok(hello);
    assert.equal(hello.runtime, 'node');
    assert.equal(hello.version, process.versions.node);
    assert.equal(hello.executable, process.execPath);
    assert.equal(hello.gilEnabled, false);
    assert.deepEqual(hello.startMethods, []);
    assert.equal(hello.defaultStartMethod, '');
    assert.deepEqual(hello.modes, NODE_MODES);
    assert.equal(hello.cores, os.availableParallelism());
    assert.deepEqual(outcome.runs.map((r) => `${r.mode}x${r.workers}`), ['sequentialx1', 'worker_threadsx2', 'child_processx2']);
    const [sequential, threads, children] = outcome.runs as [BenchRun, BenchRun, BenchRun];
    assert.equal(sequential.speedup, 1);
    for (const r of outcome.runs) {
      assert.equal(r.error, null);
      assert.equal(r.completed, 4);
      assert.ok(r.wallSeconds > 0 && r.cpuSeconds > 0, JSON.stringify(r));
      assert.ok(r.latency.p50 !== null && r.latency.p95 !== null && r.latency.max !== null && r.latency.p50 <= r.latency.max);
      assert.equal(r.gilContention, null, 'no GIL in Node');
    }
    assert.ok((sequential.eventLoopBlocked ?? 0) > 0.5, `a synchronous loop blocks the event loop: ${sequential.eventLoopBlocked}`);
    assert.equal(threads.eventLoopBlocked, null);
    // The children's CPU counts (reported by each child): at least the work itself.
    assert.ok(children.cpuSeconds >= 0.5 * sequential.cpuSeconds, `child CPU counted: ${children.cpuSeconds} vs ${sequential.cpuSeconds}`);
    const workers = events.filter((e) => e.type === 'worker');
    assert.equal(workers.length, 2, 'two child processes reported; worker threads are threads of the harness');
    assert.ok(workers.every((e) => e.type === 'worker' && e.mode === 'child_process' && e.pid !== hello.pid));
    const starts = events.filter((e) => e.type === 'run-start');
    assert.ok(starts.every((e) => e.type === 'run-start' && e.pid === hello.pid));
    const progress = events.filter((e) => e.type === 'progress');
    assert.ok(progress.length >= 3 && progress.every((e) => e.type === 'progress' && e.total === 4));
    assert.equal(events.at(-1)?.type, 'done');
  });

  it('async: at most k calls in flight beats awaiting one at a time; skipped for a function that returns no promise', async () => {
    const outcome = completed(await run('work.js', { qualname: 'nap', call: 'nap(i)', tasks: 8, modes: ['sequential', 'async'], workers: [4] }));
    const [sequential, overlapped] = outcome.runs as [BenchRun, BenchRun];
    assert.equal(overlapped.mode, 'async');
    // Node's timers may fire a fraction of a millisecond before the clock the harness reads says 50 ms passed: in
    // turn is well above the ~0.1 s four in flight take.
    assert.ok(sequential.wallSeconds >= 0.35, `eight 50 ms waits in turn: ${sequential.wallSeconds}`);
    assert.ok((overlapped.speedup ?? 0) > 2.5, `four in flight: ${overlapped.speedup}`);
    assert.ok((overlapped.eventLoopBlocked ?? 1) < 0.3, `the loop was free while waiting: ${overlapped.eventLoopBlocked}`);
    assert.equal(recommend(outcome.runs).recommendation, 'async');
    const sync = completed(await run('work.js', { qualname: 'crunch', call: 'crunch(i, 1000)', modes: ['sequential', 'async'], workers: [4] }));
    assert.deepEqual(sync.runs.map((r) => r.mode), ['sequential']);
  });

  it('loads ES modules (.mjs) with import(), in the pools too; `await` in the call; a default export by its name', async () => {
    const outcome = completed(
      await run('esm.mjs', { qualname: 'fetchLike', call: 'await fetchLike(i)', modes: ['async', 'worker_threads', 'child_process'], workers: [4], tasks: 8 }),
    );
    assert.deepEqual(outcome.runs.map((r) => [r.mode, r.error, r.completed]), [['async', null, 8], ['worker_threads', null, 8], ['child_process', null, 8]]);
    completed(await run('esm.mjs', { qualname: 'square', call: 'square(i)', modes: ['sequential', 'worker_threads'] }));
  });

  it('methods by qualname (on the prototype and static); `i` is the task index even when the module exports an i', async () => {
    completed(await run('work.js', { qualname: 'Counter.add', call: 'new Counter(i).add(i)' }));
    completed(await run('work.js', { qualname: 'Counter.make', call: 'Counter.make(i)', modes: ['sequential'] }));
    const indexed = completed(await run('work.js', { qualname: 'crunch', call: 'crunch(i.toFixed(0) === String(i) ? 1 : NaN, 10)', modes: ['sequential', 'worker_threads'] }));
    assert.ok(indexed.runs.every((r) => r.error === null));
  });

  it('input errors: a call that does not parse, a missing function, a module that does not import (with its stack), an unknown mode', async () => {
    const syntax = inputError(await run('work.js', { qualname: 'crunch', call: 'crunch(i' }));
    assert.equal(syntax.stage, 'call');
    assert.equal(syntax.exception, 'SyntaxError');
    const missing = inputError(await run('work.js', { qualname: 'nope', call: 'nope(i)' }));
    assert.equal(`${missing.stage} ${missing.exception}: ${missing.message}`, 'function ReferenceError: work.js: no function nope');
    assert.match(missing.traceback, /exports: crunch, nap/);
    const method = inputError(await run('work.js', { qualname: 'Counter.nope', call: 'new Counter().nope(i)' }));
    assert.equal(`${method.stage} ${method.message}`, 'function work.js: no nope in Counter');
    const notFunction = inputError(await run('work.js', { qualname: 'LIMIT', call: 'LIMIT' }));
    assert.match(notFunction.message, /LIMIT is a number, not a function/);
    const imported = inputError(await run('broken.js', { qualname: 'f', call: 'f(i)' }));
    assert.equal(imported.stage, 'import');
    assert.match(imported.message, /Cannot find module '\.\/no-such-module-here'/);
    assert.match(imported.traceback, /broken\.js:3/);
    assert.doesNotMatch(imported.traceback, /nodeHarness|node:internal/, 'the harness and Node internals are left out');
    const parse = inputError(await run('syntax.js', { qualname: 'broken', call: 'broken(i)' }));
    assert.equal(`${parse.stage} ${parse.exception}`, 'import SyntaxError');
    assert.match(parse.traceback, /syntax\.js:\d+\n/);
    const mode = inputError(await run('work.js', { qualname: 'crunch', call: 'crunch(i)', modes: ['threads'] }));
    assert.equal(mode.stage, 'mode');
  });

  it('a missing node binary', async () => {
    const outcome = await run('work.js', { qualname: 'crunch', call: 'crunch(i)', node: path.join(root, 'no-node-here') });
    assert.equal(outcome.kind, 'no-interpreter');
    assert.match(outcome.kind === 'no-interpreter' ? outcome.message : '', /no-node-here was not found/);
  });

  it('a function that throws fails its run, not the harness: every mode reports the error with the user frames', async () => {
    const outcome = completed(await run('work.js', { qualname: 'boom', call: 'boom(i)' }));
    assert.equal(outcome.runs.length, 3);
    for (const r of outcome.runs) {
      assert.match(r.error ?? '', /^BadInput: bad input \d/, `${r.mode}: ${r.error}`);
      assert.match(r.errorDetail?.traceback ?? '', /at (?:Object\.)?boom \(.*work\.js:\d+/);
      assert.doesNotMatch(r.errorDetail?.traceback ?? '', /nodeHarness/);
    }
  });

  it('an error thrown outside the awaited call (from a timer) fails its run in every mode', async () => {
    const outcome = completed(await run('work.js', { qualname: 'escapes', call: 'escapes(i)', modes: ['sequential', 'async', 'worker_threads', 'child_process'] }));
    assert.deepEqual(outcome.runs.map((r) => r.mode), ['sequential', 'async', 'worker_threads', 'child_process']);
    for (const r of outcome.runs) {
      assert.match(r.error ?? '', /^TypeError: late \d/, `${r.mode}: ${r.error}`);
      assert.match(r.errorDetail?.traceback ?? '', /work\.js:\d+/);
    }
  });

  it('tasks of a failed run that throw again after it ended do not end the harness: the next modes run', async () => {
    const outcome = completed(await run('work.js', { qualname: 'escapesTwice', call: 'escapesTwice(i)', modes: ['async', 'worker_threads', 'child_process'] }));
    assert.deepEqual(outcome.runs.map((r) => [r.mode, /^TypeError: late \d/.test(r.error ?? '')]), [['async', true], ['worker_threads', true], ['child_process', true]]);
  });

  it('a worker that exits or aborts fails its run with a clear error; the next mode still runs', async () => {
    const exited = completed(await run('work.js', { qualname: 'exitNow', call: 'exitNow(i)', modes: ['worker_threads', 'child_process'] }));
    assert.match(exited.runs[0]?.error ?? '', /^WorkerThreadExited: a worker thread exited with code 3 during task \d/);
    assert.match(exited.runs[1]?.error ?? '', /^ChildProcessExited: a child process \(pid \d+\) exited with code 3 during task \d/);
    const aborted = completed(await run('work.js', { qualname: 'abortNow', call: 'abortNow(i)', modes: ['child_process'], workers: [1] }));
    assert.match(aborted.runs[0]?.error ?? '', /^ChildProcessExited: .* was killed by SIGABRT during task 0/);
  });

  it('results that cannot reach the main thread: a function (DataCloneError), a class instance that would lose its methods', async () => {
    const fn = completed(await run('work.js', { qualname: 'returnsFunction', call: 'returnsFunction(i)' }));
    assert.equal(fn.runs[0]?.error, null, 'sequential keeps the result in memory');
    assert.match(fn.runs[1]?.error ?? '', /^DataCloneError: .*could not be cloned/);
    assert.match(fn.runs[2]?.error ?? '', /^DataCloneError: .*could not be cloned/);
    const instance = completed(await run('work.js', { qualname: 'returnsPoint', call: 'returnsPoint(i)' }));
    assert.equal(instance.runs[0]?.error, null);
    for (const r of instance.runs.slice(1)) assert.match(r.error ?? '', /^DataCloneError: the result of task \d is a Point instance: .*methods \(norm\)/);
    const data = completed(await run('work.js', { qualname: 'returnsData', call: 'returnsData(i)' }));
    assert.ok(data.runs.every((r) => r.error === null), 'plain data, Maps, Dates and typed arrays cross');
  });

  it("the user's stdout never reaches the event stream (console.log, process.stdout.write, fs.writeSync(1))", async () => {
    const outcome = completed(await run('work.js', { qualname: 'noisy', call: 'noisy(i)', tasks: 20 }));
    assert.ok(outcome.runs.every((r) => r.error === null && r.completed === 20), JSON.stringify(outcome.runs));
    assert.equal(outcome.runs.length, 3);
    assert.match(outcome.stderr, /flood|"type":"done"/);
  });

  for (const mode of ['worker_threads', 'child_process', 'sequential'] as const) {
    it(`a hang (${mode}) times out, and nothing of the run is left`, async () => {
      const events: HarnessEvent[] = [];
      const outcome = await run('work.js', { qualname: 'hang', call: 'hang(i)', modes: [mode], timeoutSeconds: 3, onEvent: (e) => events.push(e) });
      assert.equal(outcome.kind, 'timed-out');
      // Sequential runs on the main thread, which the untimed warm-up call warms first: it hangs there.
      const label = mode === 'sequential' ? 'the warm-up call' : `${mode} x2`;
      assert.equal(outcome.kind === 'timed-out' && outcome.message, `timed out after 3 s (during ${label})`);
      const pids = pidsOf(events);
      assert.equal(pids.length, mode === 'child_process' ? 3 : 1);
      assert.deepEqual(pids.filter(alive), [], 'processes left behind');
    });
  }

  it('cancelling mid-run stops the harness and its child processes', async () => {
    const controller = new AbortController();
    const events: HarnessEvent[] = [];
    const outcome = await run('work.js', {
      qualname: 'hang',
      call: 'hang(i)',
      modes: ['child_process'],
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'worker') controller.abort();
      },
    });
    assert.equal(outcome.kind, 'cancelled');
    assert.deepEqual(pidsOf(events).filter(alive), []);
  });

  it('TypeScript: types stripped, a relative TS import, the compiler never loaded in a worker, stacks point into the .ts', async () => {
    const parsed = completed(await run('typed.ts', { qualname: 'Parser.parse', call: 'new Parser().parse(i)' }));
    assert.ok(parsed.runs.every((r) => r.error === null && r.completed === 4), JSON.stringify(parsed.runs));
    const workers = completed(await run('typed.ts', { qualname: 'compilerInWorker', call: 'compilerInWorker(i)' }));
    assert.ok(workers.runs.every((r) => r.error === null), JSON.stringify(workers.runs));
    const awaited = completed(await run('typed.ts', { qualname: 'measure', call: 'measure(i)', modes: ['sequential', 'async'], workers: [4] }));
    assert.deepEqual(awaited.runs.map((r) => r.mode), ['sequential', 'async']);
    const failed = completed(await run('typed.ts', { qualname: 'failsTyped', call: 'failsTyped(i)' }));
    for (const r of failed.runs) {
      assert.match(r.error ?? '', /^RangeError: too big/);
      assert.match(r.errorDetail?.traceback ?? '', /typed\.ts:36:/, `${r.mode}: source-mapped line: ${r.errorDetail?.traceback}`);
    }
  });

  it('TypeScript is transpiled, not checked: a type error still runs', async () => {
    const tree = tempTree({ 'loose.ts': 'export function twice(n: number): string {\n  return n * 2;\n}\n' });
    try {
      const outcome = await runBench({ runtime: 'node', harness: HARNESS, file: path.join(tree, 'loose.ts'), qualname: 'twice', call: 'twice(i)', tasks: 2, modes: ['sequential', 'worker_threads'], workers: [1], timeoutSeconds: 30 });
      assert.ok(completed(outcome).runs.every((r) => r.error === null));
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });
});

describe('Node targets without running them', () => {
  it('picks the Node harness by extension', () => {
    for (const file of ['a.js', 'a.mjs', 'a.cjs', 'a.ts', 'a.tsx', 'a.mts', 'a.cts']) assert.ok(isNodeTarget(file), file);
    assert.ok(!isNodeTarget('a.py') && !isNodeTarget('a.pyw'));
  });

  it('finds async declarations with a look at the source', () => {
    const source = [
      'export async function fetchAll(urls: string[]) {}',
      'const load = async (i) => i;',
      'export const typed: Loader = async function (i) {};',
      'module.exports = { pick: async (i) => i };',
      'class Api { static async get<T>(id: number): Promise<T> {} async post(i) {} plain(i) { return i; } }',
      'function later(i: number): Promise<number> { return Promise.resolve(i); }',
      'function sync(i) { return i; }',
      'const asyncish = (i) => i;',
    ].join('\n');
    for (const name of ['fetchAll', 'load', 'typed', 'pick', 'Api.get', 'Api.post', 'later']) assert.ok(declaredAsync(source, name), name);
    for (const name of ['sync', 'asyncish', 'Api.plain', 'missing']) assert.ok(!declaredAsync(source, name), name);
    assert.deepEqual(defaultNodeModes(true), ['sequential', 'async', 'worker_threads', 'child_process']);
    assert.deepEqual(defaultNodeModes(false), ['sequential', 'worker_threads', 'child_process']);
  });

  it('the measured recommendation: cheapest within 10 % (sequential < async < worker_threads < child_process)', () => {
    const runOf = (mode: BenchRun['mode'], workers: number, wallSeconds: number): BenchRun => ({
      mode, workers, wallSeconds, cpuSeconds: 0, speedup: null, efficiency: null, gilContention: null, latency: { p50: null, p95: null, max: null }, completed: 8, error: null, errorDetail: null, otherLoad: null,
    repeats: 1, spread: 0, samples: [wallSeconds], speedupSpread: null, contended: false,
    });
    assert.equal(recommend([runOf('sequential', 1, 2), runOf('worker_threads', 2, 1.05), runOf('child_process', 2, 1)]).recommendation, 'worker_threads');
    assert.equal(recommend([runOf('sequential', 1, 2), runOf('worker_threads', 2, 1.3), runOf('child_process', 2, 1)]).recommendation, 'child_process');
    assert.equal(recommend([runOf('sequential', 1, 1), runOf('async', 8, 0.2), runOf('worker_threads', 8, 0.19)]).recommendation, 'async');
    assert.equal(recommend([runOf('sequential', 1, 1.05), runOf('worker_threads', 2, 1)]).recommendation, 'sequential');
  });
});

describe('CLI bench on Node targets', function () {
  this.timeout(60_000);
  const work = path.join(FIXTURES, 'work.js');

  it('--json: the same contract, with Node as the interpreter; exit 0, 1 when a run failed, 2 on input errors', () => {
    const ok = cli(['bench', `${work}:crunch`, '--call', 'crunch(i, 10000)', '--tasks', '4', '--workers', '2', '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    const document = JSON.parse(ok.stdout) as Record<string, unknown> & { runs: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(document).filter((key) => key !== 'warning' && key !== 'inconclusive'), ['target', 'interpreter', 'cores', 'tasks', 'runs', 'best', 'recommendation', 'reason', 'protocol', 'staticVerdict']);
    assert.deepEqual(document.interpreter, { path: process.execPath, version: process.versions.node, gilEnabled: false, runtime: 'node' });
    assert.deepEqual(document.runs.map((r) => r.mode), ['sequential', 'worker_threads', 'child_process']);
    assert.deepEqual(Object.keys(document.runs[0] ?? {}), ['mode', 'workers', 'wallSeconds', 'cpuSeconds', 'repeats', 'spread', 'samples', 'speedup', 'speedupSpread', 'contended', 'efficiency', 'gilContention', 'eventLoopBlocked', 'otherLoad', 'cpuWait', 'error']);
    const analyzed = JSON.parse(cli(['analyze', work, '--json']).stdout) as { files: Array<{ functions: Array<{ name: string; verdict: string; recommendation: string }> }> };
    const crunch = analyzed.files[0]?.functions.find((f) => f.name === 'crunch');
    assert.deepEqual(document.staticVerdict, { verdict: crunch?.verdict, recommendation: crunch?.recommendation }, 'the TypeScript analyzer\'s verdict, as analyze gives it');
    const failed = cli(['bench', `${work}:boom`, '--call', 'boom(i)', '--tasks', '2', '--workers', '1', '--json']);
    assert.equal(failed.status, 1);
    assert.match((JSON.parse(failed.stdout) as { runs: Array<{ error: string }> }).runs[0]?.error ?? '', /^BadInput/);
    const missing = cli(['bench', `${work}:nope`, '--call', 'nope(i)']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /ReferenceError: work\.js: no function nope/);
    const imported = cli(['bench', `${path.join(FIXTURES, 'broken.js')}:f`, '--call', 'f(i)']);
    assert.equal(imported.status, 2);
    assert.match(imported.stderr, /importing .*broken\.js failed: Error: Cannot find module[\s\S]*broken\.js:3/);
    assert.equal(cli(['bench', `${work}:crunch`, '--call', 'crunch(i)', '--modes', 'threads']).status, 2, 'Python modes for a Node target');
    assert.equal(cli(['bench', `${work}:crunch`, '--call', 'crunch(i)', '--start-method', 'spawn']).status, 2);
    const noNode = cli(['bench', `${work}:crunch`, '--call', 'crunch(i)', '--node', '/no/such/node']);
    assert.equal(noNode.status, 2);
    assert.match(noNode.stderr, /\/no\/such\/node was not found/);
  });

  it('adds async to the modes for an async function, and a table on a terminal-less stdout', () => {
    const result = cli(['bench', `${work}:nap`, '--call', 'nap(i)', '--tasks', '4', '--workers', '4']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^ {2}async +4 /m);
    assert.match(result.stdout, /loop blocked/);
    assert.match(result.stdout, /4 tasks, \d+ cores, Node \d+\.\d+\.\d+/);
    assert.match(result.stdout, /measured: use async/);
    assert.match(result.stdout, /static verdict: async-io, async \(agrees\)/);
  });
});
