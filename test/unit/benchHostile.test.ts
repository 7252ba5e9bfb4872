import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { LineSplitter, MAX_EVENT_LINE, parseEvent, type HarnessEvent } from '../../src/core/bench/events';
import { renderBenchMarkdown, type BenchRecord } from '../../src/core/bench/record';
import { runBench, type BenchOutcome, type BenchRequest } from '../../src/core/bench/runner';
import { alive, pidsOf, processesMentioning, PYTHON } from './helpers';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'bench-hostile');
/** The Node harness as tsc compiles it (the tests run out/, not the bundles). */
const HARNESS = path.join(REPO, 'out', 'src', 'core', 'bench', 'nodeHarness.js');

type Request = Partial<BenchRequest> & Pick<BenchRequest, 'qualname' | 'call'>;

let marks = 0;
/** A word no other process has in its command line: the helpers of one test carry it. */
function newMark(): string {
  return `cl-hostile-${process.pid}-${++marks}`;
}

function completed(outcome: BenchOutcome): Extract<BenchOutcome, { kind: 'completed' }> {
  assert.equal(outcome.kind, 'completed', JSON.stringify(outcome).slice(0, 3000));
  return outcome as Extract<BenchOutcome, { kind: 'completed' }>;
}

/** The outcome and how long the run took (s). */
async function timed(run: Promise<BenchOutcome>): Promise<{ outcome: BenchOutcome; seconds: number }> {
  const started = Date.now();
  const outcome = await run;
  return { outcome, seconds: (Date.now() - started) / 1000 };
}

describe('benchmark runs against hostile code (real python3, Linux)', function () {
  this.timeout(60_000);

  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  const run = (request: Request): Promise<BenchOutcome> =>
    runBench({ python: PYTHON, file: path.join(FIXTURES, 'hostile.py'), tasks: 2, modes: ['sequential'], workers: [2], timeoutSeconds: 30, repeats: 1, budgetSeconds: 0, ...request });

  it('a helper in a session of its own holding the pipes: the run completes at once, the helper is ended', async () => {
    const mark = newMark();
    const { outcome, seconds } = await timed(run({ qualname: 'helper_new_session', call: `helper_new_session(i, "${mark}")` }));
    completed(outcome);
    assert.ok(seconds < 10, `settled after ${seconds} s`);
    assert.deepEqual(processesMentioning(mark), []);
  });

  it('a helper with its output discarded, and a double-forked daemon with an empty environment, are ended', async () => {
    const discarded = newMark();
    completed(await run({ qualname: 'helper_discarded', call: `helper_discarded(i, "${discarded}")` }));
    assert.deepEqual(processesMentioning(discarded), []);
    // Found only because the harness is a child subreaper: the daemon's parent is gone, and it carries no marker.
    const daemon = newMark();
    completed(await run({ qualname: 'daemon_without_environment', call: `daemon_without_environment(i, "${daemon}")` }));
    assert.deepEqual(processesMentioning(daemon), []);
  });

  it('a child left in the process group, not waited for, does not hold the run', async () => {
    const mark = newMark();
    const { outcome, seconds } = await timed(run({ qualname: 'child_left_in_group', call: `child_left_in_group(i, "${mark}")` }));
    completed(outcome);
    assert.ok(seconds < 10, `settled after ${seconds} s (the child sleeps 30 s)`);
    assert.deepEqual(processesMentioning(mark), []);
  });

  it('a pool worker that leaves the process group and hangs: timed out on time, nothing left', async () => {
    const mark = newMark();
    const events: HarnessEvent[] = [];
    const { outcome, seconds } = await timed(
      run({ qualname: 'own_group', call: `own_group(i, "${mark}")`, modes: ['processes'], timeoutSeconds: 3, onEvent: (event) => events.push(event) }),
    );
    assert.equal(outcome.kind, 'timed-out');
    assert.ok(seconds < 3 + 6, `settled after ${seconds} s`);
    const pids = pidsOf(events);
    assert.ok(pids.length >= 2, 'the harness and its workers were seen');
    assert.deepEqual(pids.filter(alive), []);
    assert.deepEqual(processesMentioning(mark), []);
  });

  it('cancelling a run whose helper holds the pipes settles at once (the editor\'s Stop)', async () => {
    const mark = newMark();
    const controller = new AbortController();
    const { outcome, seconds } = await timed(
      run({
        qualname: 'helper_new_session',
        call: `(helper_new_session(i, "${mark}"), __import__("time").sleep(3600))`,
        tasks: 1,
        signal: controller.signal,
        onEvent: (event) => {
          // The call sleeps in the untimed warm-up already: the Stop comes then.
          if (event.type === 'warmup-start') setTimeout(() => controller.abort(), 500);
        },
      }),
    );
    assert.equal(outcome.kind, 'cancelled');
    assert.ok(seconds < 10, `settled after ${seconds} s`);
    assert.deepEqual(processesMentioning(mark), []);
  });

  it('events forged by user code on the event stream are ignored, and said so', async () => {
    const outcome = completed(await run({ qualname: 'forges', call: 'forges(i)' }));
    assert.deepEqual(outcome.runs.map((r) => `${r.mode}x${r.workers}`), ['sequentialx1']);
    // Two forged lines per call: the warm-up call's and the 2 tasks'.
    assert.match(outcome.stderr, /concurrency-lens: ignored 6 lines on the event stream that did not come from the harness/);
  });

  it('a 32 MB line on the event stream is dropped, and the events around it arrive', async () => {
    const outcome = completed(await run({ qualname: 'long_line', call: 'long_line(i)', modes: ['sequential', 'threads'] }));
    assert.deepEqual(outcome.runs.map((r) => [r.mode, r.completed, r.error]), [['sequential', 2, null], ['threads', 2, null]]);
    assert.match(outcome.stderr, /ignored \d+ lines? on the event stream/);
  });

  it('sys.exit() in a task is that run\'s error, in every mode; the next mode still runs', async () => {
    const outcome = completed(await run({ qualname: 'exits', call: 'exits(i)', modes: ['sequential', 'threads', 'processes'] }));
    assert.deepEqual(outcome.runs.map((r) => [r.mode, r.error]), [
      ['sequential', 'SystemExit: the task called sys.exit(2)'],
      ['threads', 'SystemExit: the task called sys.exit(2)'],
      ['processes', 'SystemExit: the task called sys.exit(2)'],
    ]);
  });

  it('os._exit(3) in a task is a crash during the call that made it (the warm-up), not an input error', async () => {
    const outcome = await run({ qualname: 'hard_exit', call: 'hard_exit(i)' });
    assert.equal(outcome.kind, 'crashed');
    assert.match(outcome.kind === 'crashed' ? outcome.message : '', /^the harness exited with code 3 during the warm-up call/);
  });

  it('a generator function is iterated: its work is measured, and processes do not try to pickle the generator', async () => {
    const outcome = completed(await run({ qualname: 'squares', call: 'squares(i)', tasks: 4, modes: ['sequential', 'processes'] }));
    const [sequential, processes] = outcome.runs;
    assert.ok((sequential?.wallSeconds ?? 0) >= 0.2, `four 50 ms tasks: ${sequential?.wallSeconds}`);
    assert.equal(processes?.error, null);
  });

  it('the harness on its own (its runner gone) ends itself and its helpers 10 s after its timeout', function () {
    this.timeout(40_000);
    const mark = newMark();
    const started = Date.now();
    const harness = spawnSync(
      PYTHON,
      ['-u', path.join(REPO, 'src', 'core', 'bench', 'harness.py'), '--file', path.join(FIXTURES, 'hostile.py'), '--function', 'helper_new_session', '--call', `(helper_new_session(i, "${mark}"), __import__("time").sleep(3600))`, '--tasks', '1', '--modes', 'sequential', '--timeout', '1'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(harness.status, 124, harness.stderr);
    assert.ok(Date.now() - started < 20_000);
    assert.deepEqual(processesMentioning(mark), []);
  });

  it('a file named settings.local.py can be benchmarked, its results crossing process boundaries', async () => {
    const outcome = completed(await run({ file: path.join(FIXTURES, 'settings.local.py'), qualname: 'double', call: 'double(i)', modes: ['sequential', 'processes'] }));
    assert.deepEqual(outcome.runs.map((r) => [r.mode, r.error]), [['sequential', null], ['processes', null]]);
  });
});

describe('Node benchmark runs against hostile code (real node, Linux)', function () {
  this.timeout(60_000);

  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  const run = (request: Request): Promise<BenchOutcome> =>
    runBench({ runtime: 'node', node: process.execPath, harness: HARNESS, file: path.join(FIXTURES, 'hostile.js'), tasks: 2, modes: ['sequential'], workers: [2], timeoutSeconds: 30, repeats: 1, budgetSeconds: 0, ...request });

  it('a detached helper holding the pipes: the run completes at once, the helper is ended', async () => {
    const mark = newMark();
    const { outcome, seconds } = await timed(run({ qualname: 'detachedHelper', call: `detachedHelper(i, "${mark}")`, modes: ['sequential', 'worker_threads'] }));
    completed(outcome);
    assert.ok(seconds < 10, `settled after ${seconds} s`);
    assert.deepEqual(processesMentioning(mark), []);
  });

  it('a detached helper with an empty environment and no output is ended by the harness before it exits', async () => {
    const mark = newMark();
    completed(await run({ qualname: 'detachedBare', call: `detachedBare(i, "${mark}")` }));
    assert.deepEqual(processesMentioning(mark), []);
  });

  it('forged events and a 32 MB line on descriptor 3 are ignored, and said so', async () => {
    const forged = completed(await run({ qualname: 'forges', call: 'forges(i)' }));
    assert.deepEqual(forged.runs.map((r) => `${r.mode}x${r.workers}`), ['sequentialx1']);
    // Two forged lines per call: the warm-up call's and the 2 tasks'.
    assert.match(forged.stderr, /ignored 6 lines on the event stream/);
    const long = completed(await run({ qualname: 'longLine', call: 'longLine(i)' }));
    assert.deepEqual(long.runs.map((r) => [r.mode, r.completed, r.error]), [['sequential', 2, null]]);
    assert.match(long.stderr, /ignored \d+ lines? on the event stream/);
  });

  it('a promise rejected with no handler fails the run whose task rejected it, in every mode', async () => {
    const outcome = completed(await run({ qualname: 'rejects', call: 'rejects(i)', modes: ['sequential', 'worker_threads', 'child_process'] }));
    assert.deepEqual(outcome.runs.map((r) => r.mode), ['sequential', 'worker_threads', 'child_process']);
    assert.match(outcome.runs[0]?.error ?? '', /^RangeError: unhandled 0 \(a promise rejected with no handler\)$/);
    for (const r of outcome.runs) assert.match(r.error ?? '', /^RangeError: unhandled \d/, r.mode);
  });
});

describe('the event stream, line by line', () => {
  it('drops a 32 MB line without a newline as it grows (never kept whole), and keeps the lines around it', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('{"a":1}\n{"b"');
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < 32 * 1024 * 1024; sent += chunk.length) splitter.push(chunk);
    splitter.push('\n{"c":3}\n{"d"');
    splitter.push(':4}');
    splitter.end();
    assert.deepEqual(lines, ['{"a":1}', '{"c":3}', '{"d":4}']);
    assert.equal(splitter.dropped, 1);
    const exact = new LineSplitter((line) => lines.push(line), 8);
    exact.push('12345678\n123456789\n');
    assert.equal(exact.dropped, 1);
    assert.equal(lines.at(-1), '12345678');
    assert.ok(MAX_EVENT_LINE >= 1024 * 1024);
  });

  it('takes only events with the run\'s key, and hands them on without it', () => {
    assert.deepEqual(parseEvent('{"type":"done","key":"k1"}', 'k1'), { type: 'done' });
    assert.equal(parseEvent('{"type":"done","key":"k2"}', 'k1'), null);
    assert.equal(parseEvent('{"type":"done"}', 'k1'), null);
  });
});

describe('the bench Markdown export', () => {
  it('escapes the call and the error text: no HTML renders, newlines and pipes keep the table whole', () => {
    const record: BenchRecord = {
      target: { file: 'work.py', function: 'crunch', call: 'crunch(`i`) or "<img src=x onerror=alert(1)>"' },
      interpreter: { path: 'python3', version: '3.11.7', gilEnabled: true, runtime: 'python' },
      cores: 2,
      tasks: 4,
      runs: [{ mode: 'threads', workers: 2, wallSeconds: 1, cpuSeconds: 1, speedup: null, efficiency: null, gilContention: null, error: 'ValueError: <script>alert(1)</script> | a\nb *c*' }],
      best: null,
      recommendation: null,
      reason: 'no mode finished',
      staticVerdict: null,
      stopped: 'the harness exited with code 1: <b>boom</b>',
    };
    const markdown = renderBenchMarkdown(record);
    assert.doesNotMatch(markdown, /(?<!\\)<(?:script|b)>/, 'HTML outside code spans is escaped');
    const row = markdown.split('\n').find((line) => line.startsWith('| threads'));
    assert.equal(row, '| threads | 2 | 1.00 s | 1.00 s |  |  |  | ValueError: \\<script\\>alert(1)\\</script\\> \\| a<br>b \\*c\\* |');
    assert.match(markdown, /^``crunch\(`i`\) or "<img src=x onerror=alert\(1\)>"`` × 4 tasks/m, 'the call in a code span, where HTML does not render');
    assert.match(markdown, /\*\*Stopped:\*\* the harness exited with code 1: \\<b\\>boom\\<\/b\\>\./);
  });
});
