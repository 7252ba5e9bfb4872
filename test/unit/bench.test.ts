import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { HarnessEvent } from '../../src/core/bench/events';
import { benchRecord } from '../../src/core/bench/record';
import { defaultWorkers, recommend } from '../../src/core/bench/recommend';
import { runBench, type BenchOutcome, type BenchRequest, type BenchRun } from '../../src/core/bench/runner';
import { alive, cli, pidsOf, PYTHON, tempTree } from './helpers';

const WORK = `import asyncio, os, time

def crunch(i):
    total = 0
    for n in range(40_000 + i):
        total = (total * 31 + n * n) % 1_000_003
    return total

def wait(i):
    time.sleep(0.05)
    return i

async def await_it(i):
    await asyncio.sleep(0.05)
    return i

def spin(i):
    ends = time.perf_counter() + 0.2
    while time.perf_counter() < ends:
        pass

def boom(i):
    raise ValueError(f"bad input {i}")

def hang(i):
    while True:
        time.sleep(0.5)

def crash(i):
    os.abort()

def unpicklable(i):
    return lambda: i

def noisy(i):
    print("flood " * 20_000)
    os.write(1, b"{not an event}\\n" * 100)
    return i
`;

function run(root: string, request: Partial<BenchRequest> & Pick<BenchRequest, 'qualname' | 'call'>): Promise<BenchOutcome> {
  return runBench({ python: PYTHON, file: path.join(root, 'work.py'), tasks: 4, modes: ['sequential', 'threads', 'processes'], workers: [2], timeoutSeconds: 60, repeats: 1, budgetSeconds: 0, ...request });
}

function completed(outcome: BenchOutcome): Extract<BenchOutcome, { kind: 'completed' }> {
  assert.equal(outcome.kind, 'completed', JSON.stringify(outcome).slice(0, 2000));
  return outcome as Extract<BenchOutcome, { kind: 'completed' }>;
}

describe('benchmark harness and runner (real python3)', function () {
  this.timeout(60_000);
  let root: string;

  before(() => {
    root = tempTree({ 'work.py': WORK });
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('runs each mode, reports hello, workers, progress and figures, with speedups over sequential', async () => {
    const events: HarnessEvent[] = [];
    const outcome = completed(await run(root, { qualname: 'crunch', call: 'crunch(i)', onEvent: (event) => events.push(event) }));
    assert.equal(outcome.hello?.gilEnabled, true);
    assert.ok((outcome.hello?.cores ?? 0) >= 1);
    assert.deepEqual(outcome.runs.map((r) => `${r.mode}x${r.workers}`), ['sequentialx1', 'threadsx2', 'processesx2']);
    const [sequential, threads, processes] = outcome.runs as [BenchRun, BenchRun, BenchRun];
    assert.equal(sequential.speedup, 1);
    for (const r of outcome.runs) {
      assert.equal(r.error, null);
      assert.equal(r.completed, 4);
      assert.ok(r.wallSeconds > 0 && r.cpuSeconds > 0);
      assert.ok(r.latency.p50 !== null && r.latency.p95 !== null);
    }
    assert.ok((threads.gilContention ?? 0) > 0.3, `threads waited for the GIL: ${threads.gilContention}`);
    assert.equal(processes.gilContention, null);
    assert.equal(events.filter((e) => e.type === 'worker').length, 2, 'two worker processes reported');
    const progress = events.filter((e) => e.type === 'progress');
    assert.ok(progress.every((e) => e.type === 'progress' && e.total === 4) && progress.length >= 3);
    assert.equal(events.at(-1)?.type, 'done');
  });

  it('runs coroutines with asyncio (gather under a semaphore) and sequential awaits', async () => {
    const outcome = completed(await run(root, { qualname: 'await_it', call: 'await_it(i)', modes: ['sequential', 'asyncio'], workers: [4] }));
    const [sequential, gathered] = outcome.runs as [BenchRun, BenchRun];
    assert.equal(gathered.mode, 'asyncio');
    assert.ok((gathered.speedup ?? 0) > 2, `gather overlaps the waits: ${gathered.speedup}`);
    assert.ok(sequential.wallSeconds >= 0.2);
  });

  it('names its threads, so the panel can tell pool workers from the probe (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();
    const names = new Set<string>();
    let harness = 0;
    completed(
      await run(root, {
        qualname: 'spin',
        call: 'spin(i)',
        modes: ['threads'],
        onEvent: (event) => {
          if (event.type === 'hello') harness = event.pid;
          if (event.type !== 'progress') return;
          try {
            for (const tid of fs.readdirSync(`/proc/${harness}/task`)) {
              names.add(fs.readFileSync(`/proc/${harness}/task/${tid}/comm`, 'utf8').trim());
            }
          } catch {
            // A thread (or the harness) ended between listing and reading: the next progress event reads again.
          }
        },
      }),
    );
    assert.ok(names.has('cl-thread_0') && names.has('cl-thread_1') && names.has('cl-gil-probe'), [...names].join(', '));
  });

  it('measures the load other programs put on the cores during each run, and warns when it skews the timings', async () => {
    const hog = spawn(PYTHON, ['-c', 'while True: pass'], { stdio: 'ignore' });
    try {
      const outcome = completed(await run(root, { qualname: 'spin', call: 'spin(i)', tasks: 3, modes: ['sequential'] }));
      const [sequential] = outcome.runs as [BenchRun];
      assert.ok((sequential.otherLoad ?? 0) > 0.5, `a busy-looping process is other load: ${sequential.otherLoad}`);
      const record = benchRecord({ file: 'work.py', function: 'spin', call: 'spin(i)' }, 3, outcome, undefined, 2);
      assert.match(record.warning ?? '', /^other programs kept \d\.\d of \d+ cores busy during the sequential run: the timings may be off/);
    } finally {
      hog.kill('SIGKILL');
    }
  });

  it('input errors: a call that does not parse, a missing function, a module that does not import', async () => {
    const syntax = await run(root, { qualname: 'crunch', call: 'crunch(i' });
    assert.equal(syntax.kind, 'input-error');
    assert.equal(syntax.kind === 'input-error' && syntax.error.stage, 'call');
    const missing = await run(root, { qualname: 'nope', call: 'nope(i)' });
    assert.equal(missing.kind === 'input-error' && `${missing.error.stage} ${missing.error.message}`, 'function work has no function nope');
    const broken = tempTree({ 'work.py': 'import no_such_module_here\n' });
    try {
      const imported = await run(broken, { qualname: 'f', call: 'f(i)' });
      assert.equal(imported.kind === 'input-error' && imported.error.stage, 'import');
      assert.match(imported.kind === 'input-error' ? imported.error.traceback : '', /work\.py", line 1[\s\S]*ModuleNotFoundError/);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
    const noPython = await runBench({ python: path.join(root, 'no-python'), file: path.join(root, 'work.py'), qualname: 'crunch', call: 'crunch(i)', tasks: 1, modes: ['sequential'], workers: [1], timeoutSeconds: 10 });
    assert.equal(noPython.kind, 'no-interpreter');
  });

  it('a function that raises, a worker that crashes, a result that cannot be pickled: errors per run', async () => {
    const raised = completed(await run(root, { qualname: 'boom', call: 'boom(i)' }));
    assert.ok(raised.runs.every((r) => r.error?.startsWith('ValueError: bad input')));
    assert.match(raised.runs[0]?.errorDetail?.traceback ?? '', /in boom/);
    const crashed = completed(await run(root, { qualname: 'crash', call: 'crash(i)', modes: ['processes'] }));
    assert.match(crashed.runs[0]?.error ?? '', /^BrokenProcessPool/);
    const pickled = completed(await run(root, { qualname: 'unpicklable', call: 'unpicklable(i)', modes: ['threads', 'processes'] }));
    assert.equal(pickled.runs[0]?.error, null, 'threads hand the result over in memory');
    assert.match(pickled.runs[1]?.error ?? '', /pickle/i);
  });

  it("the user's output never reaches the event stream", async () => {
    const outcome = completed(await run(root, { qualname: 'noisy', call: 'noisy(i)', tasks: 20 }));
    assert.ok(outcome.runs.every((r) => r.error === null && r.completed === 20));
    assert.match(outcome.stderr, /flood|not an event/);
  });

  it('a hang times out, and nothing of the run is left (workers included)', async () => {
    const events: HarnessEvent[] = [];
    const outcome = await run(root, { qualname: 'hang', call: 'hang(i)', modes: ['processes'], timeoutSeconds: 3, onEvent: (e) => events.push(e) });
    assert.equal(outcome.kind, 'timed-out');
    assert.match(outcome.kind === 'timed-out' ? outcome.message : '', /timed out after 3 s \(during processes x2\)/);
    const pids = pidsOf(events);
    assert.ok(pids.length >= 2, 'the harness and its workers were seen');
    assert.ok(!pids.some(alive), `processes left behind: ${pids.join(', ')}`);
  });

  it('cancelling mid-run stops the run and its workers', async () => {
    const controller = new AbortController();
    const events: HarnessEvent[] = [];
    const outcome = await run(root, {
      qualname: 'hang',
      call: 'hang(i)',
      modes: ['processes'],
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'worker') controller.abort();
      },
    });
    assert.equal(outcome.kind, 'cancelled');
    assert.ok(!pidsOf(events).some(alive));
  });
});

describe('the measured recommendation', () => {
  const runOf = (mode: BenchRun['mode'], workers: number, wallSeconds: number, gilContention: number | null = null): BenchRun => ({
    mode, workers, wallSeconds, cpuSeconds: 0, speedup: null, efficiency: null, gilContention, latency: { p50: null, p95: null, max: null }, completed: 8, error: null, errorDetail: null, otherLoad: null,
    repeats: 1, spread: 0, samples: [wallSeconds], speedupSpread: null, contended: false,
  });

  it('the fastest mode, unless a cheaper one is within 10 %', () => {
    assert.equal(recommend([runOf('sequential', 1, 2), runOf('threads', 2, 2.1), runOf('processes', 2, 1)]).recommendation, 'processes');
    assert.match(recommend([runOf('sequential', 1, 2), runOf('threads', 2, 2.1), runOf('processes', 2, 1)]).reason, /processes 2\.1× faster than threads: the work holds the GIL/);
    assert.equal(recommend([runOf('sequential', 1, 2), runOf('threads', 4, 1.05), runOf('processes', 2, 1)]).recommendation, 'threads');
    assert.equal(recommend([runOf('sequential', 1, 1.08), runOf('threads', 2, 1.0), runOf('processes', 2, 1.2)]).recommendation, 'sequential');
    assert.equal(recommend([runOf('sequential', 1, 1), runOf('asyncio', 8, 0.2), runOf('threads', 8, 0.19)]).recommendation, 'asyncio');
  });

  it('ignores failed runs, and says when none finished', () => {
    const failed = { ...runOf('processes', 2, 0.1), error: 'BrokenProcessPool: …' };
    assert.equal(recommend([runOf('sequential', 1, 1), failed, runOf('threads', 2, 0.6, 0.1)]).recommendation, 'threads');
    assert.deepEqual(recommend([failed]), { best: null, recommendation: null, reason: 'no mode finished' });
  });

  it('sweeps 1, 2, 4 … up to the cores, and beyond them for waits', () => {
    assert.deepEqual(defaultWorkers(2), [1, 2]);
    assert.deepEqual(defaultWorkers(6, 'cpu'), [1, 2, 4, 6]);
    assert.deepEqual(defaultWorkers(2, 'io'), [1, 2, 4, 8]);
  });
});

describe('CLI bench', function () {
  this.timeout(60_000);

  it('--json prints the contract; exit 0, 1 when a run failed, 2 on input errors', () => {
    const root = tempTree({ 'work.py': WORK });
    try {
      const ok = cli(['bench', `${path.join(root, 'work.py')}:crunch`, '--call', 'crunch(i)', '--tasks', '4', '--workers', '2', '--json']);
      assert.equal(ok.status, 0, ok.stderr);
      const document = JSON.parse(ok.stdout) as Record<string, unknown>;
      // `warning` is there only when other programs loaded the cores during a run.
      // `inconclusive` is there only when the measurement could not decide.
      assert.deepEqual(Object.keys(document).filter((key) => key !== 'warning' && key !== 'inconclusive'), ['target', 'interpreter', 'cores', 'tasks', 'runs', 'best', 'recommendation', 'reason', 'protocol', 'staticVerdict']);
      assert.deepEqual(document.staticVerdict, { verdict: 'cpu', recommendation: 'processes' });
      const runs = document.runs as Array<Record<string, unknown>>;
      assert.deepEqual(Object.keys(runs[0] ?? {}), ['mode', 'workers', 'wallSeconds', 'cpuSeconds', 'repeats', 'spread', 'samples', 'speedup', 'speedupSpread', 'contended', 'efficiency', 'gilContention', 'otherLoad', 'cpuWait', 'error']);
      const failed = cli(['bench', `${path.join(root, 'work.py')}:boom`, '--call', 'boom(i)', '--tasks', '2', '--workers', '2', '--json']);
      assert.equal(failed.status, 1);
      assert.match((JSON.parse(failed.stdout) as { runs: Array<{ error: string }> }).runs[0]?.error ?? '', /ValueError/);
      const missing = cli(['bench', `${path.join(root, 'work.py')}:nope`, '--call', 'nope(i)']);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /AttributeError: work has no function nope/);
      assert.equal(cli(['bench', `${path.join(root, 'work.py')}:crunch`]).status, 2, '--call is needed');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
