import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { breakEven, clusterAdvice, NETWORK_BYTES_PER_SECOND, predictedClusterSeconds, type ClusterCosts } from '../../src/core/bench/cluster';
import type { ClusterEvent, HarnessEvent } from '../../src/core/bench/events';
import { benchRecord } from '../../src/core/bench/record';
import { recommend } from '../../src/core/bench/recommend';
import { runBench, type BenchOutcome, type BenchRequest, type BenchRun } from '../../src/core/bench/runner';
import { alive, analyzeModule, analyzeTree, cli, DEBIAN_PYTHON, fn, pidsOf, requireDebianModules, tempTree } from './helpers';

/** Debian's interpreter, with python3-distributed (the pyenv python3 first on PATH has no third-party packages). */

const MODULE = `
import time

def burn(n):
    total = 0
    for k in range(n):
        total += k * k
    return total

def nap(seconds):
    time.sleep(seconds)
    return b"x" * 1000
`;

/** Live processes whose environment holds `entry` (NAME=value), from /proc. */
function processesWithEnvironment(entry: string): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    if (pid === process.pid) return false;
    try {
      return fs.readFileSync(`/proc/${pid}/environ`).includes(entry) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
    } catch {
      return false;
    }
  });
}

let marks = 0;
/**
 * Runs the benchmark with an environment entry of its own, which every process the run starts inherits
 * (Dask's worker processes included); returns the outcome, its events, its seconds, and the processes
 * still carrying the entry once it settled.
 */
async function run(request: Partial<BenchRequest>): Promise<{ outcome: BenchOutcome; events: HarnessEvent[]; seconds: number; left: number[] }> {
  const name = 'CL_DASK_TEST_RUN';
  const value = `${process.pid}-${++marks}`;
  process.env[name] = value;
  const events: HarnessEvent[] = [];
  const started = Date.now();
  try {
    const outcome = await runBench({
      python: DEBIAN_PYTHON,
      file: request.file ?? '',
      qualname: 'burn',
      call: 'burn(200000)',
      tasks: 6,
      modes: ['sequential', 'dask'],
      workers: [2],
      timeoutSeconds: 60,
      repeats: 1,
      budgetSeconds: 0,
      ...request,
      onEvent: (event) => {
        events.push(event);
        request.onEvent?.(event);
      },
    });
    return { outcome, events, seconds: (Date.now() - started) / 1000, left: processesWithEnvironment(`${name}=${value}`) };
  } finally {
    delete process.env[name];
  }
}

function completed(outcome: BenchOutcome): Extract<BenchOutcome, { kind: 'completed' }> {
  assert.equal(outcome.kind, 'completed', JSON.stringify(outcome).slice(0, 3000));
  return outcome as Extract<BenchOutcome, { kind: 'completed' }>;
}

/** Runs a Python snippet with Debian's interpreter; its stdout. */
function python(code: string): string {
  const result = spawnSync(DEBIAN_PYTHON, ['-c', code], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

describe('the dask mode, with the real engine (/usr/bin/python3, python3-distributed)', function () {
  this.timeout(90_000);
  let folder: string;
  let file: string;

  before(() => {
    requireDebianModules(['distributed']);
    folder = tempTree({ 'work.py': MODULE, 'needs_helper.py': 'import helper\n\ndef burn(n):\n    return helper.twice(n)\n', 'helper.py': 'def twice(n):\n    return 2 * n\n' });
    file = path.join(folder, 'work.py');
  });

  after(() => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a LocalCluster: dask configurations beside sequential, with overhead, bytes, workers metrics and advice; no process left', async () => {
    const { outcome, events, left } = await run({ file, workers: [1, 2] });
    const done = completed(outcome);
    const cluster = events.find((event): event is ClusterEvent => event.type === 'cluster');
    assert.ok(cluster?.local, 'a LocalCluster was started');
    assert.equal(cluster.workers, 2);
    const dask = done.runs.filter((r) => r.mode === 'dask');
    assert.deepEqual(dask.map((r) => [r.workers, r.error, r.completed]), [[1, null, 6], [2, null, 6]]);
    for (const r of dask) {
      assert.ok(r.dask && r.dask.perTaskOverheadSeconds !== null && r.dask.perTaskOverheadSeconds >= 0);
      // The index and the call go out, an int comes back: tens of bytes.
      assert.ok(r.dask.bytesPerTask !== null && r.dask.bytesPerTask > 0 && r.dask.bytesPerTask < 1000, String(r.dask.bytesPerTask));
    }
    const record = benchRecord({ file, function: 'burn', call: 'burn(200000)' }, 6, done, undefined, 2);
    const recorded = record.runs.find((r) => r.mode === 'dask' && r.workers === 2);
    assert.equal(typeof recorded?.perTaskOverheadMs, 'number');
    assert.equal(typeof recorded?.bytesPerTask, 'number');
    assert.match(record.cluster?.text ?? '', /cluster (pays off|would lose) on 16 cluster workers/);
    const workerPids = events.flatMap((event) => (event.type === 'worker' && event.mode === 'dask' ? [event.pid] : []));
    assert.equal(new Set(workerPids).size, 2, 'the two local workers were reported');
    assert.ok(events.some((event) => event.type === 'cluster-metrics' && event.workers.length === 2), 'the scheduler\'s metrics of both workers');
    assert.deepEqual(pidsOf(events).filter(alive), []);
    assert.deepEqual(left, [], 'no process of the run is left');
  });

  it('a LocalCluster worker killed mid-run: the dask run fails with a clear error, no hang, nothing left', async () => {
    let killed = false;
    const workerPids: number[] = [];
    const { outcome, events, seconds, left } = await run({
      file,
      qualname: 'nap',
      call: 'nap(0.3)',
      tasks: 30,
      modes: ['dask'],
      onEvent: (event) => {
        if (event.type === 'worker') workerPids.push(event.pid);
        if (event.type === 'progress' && event.mode === 'dask' && !killed) {
          killed = true;
          process.kill(workerPids[0] as number, 'SIGKILL');
        }
      },
    });
    assert.ok(killed, 'a worker was killed');
    const done = completed(outcome);
    const dask = done.runs.find((r) => r.mode === 'dask');
    assert.match(dask?.error ?? '', /^DaskWorkerLost: the Dask worker tcp:\/\/127\.0\.0\.1:\d+ left the cluster during the run/);
    assert.ok(seconds < 60, `settled after ${seconds} s`);
    assert.deepEqual(pidsOf(events).filter(alive), []);
    assert.deepEqual(left, [], 'no process of the run is left (the nanny\'s replacement worker included)');
  });

  it('an unreachable scheduler: a clear error within 10 s of the harness starting', async () => {
    let helloAt = 0;
    const { outcome, events, left } = await run({ file, daskScheduler: 'tcp://127.0.0.1:9', onEvent: (event) => (helloAt = event.type === 'hello' ? Date.now() : helloAt) });
    const seconds = (Date.now() - helloAt) / 1000;
    assert.ok(seconds < 10, `settled ${seconds} s after the harness started`);
    assert.equal(outcome.kind, 'input-error', JSON.stringify(outcome).slice(0, 2000));
    const error = (outcome as Extract<BenchOutcome, { kind: 'input-error' }>).error;
    assert.equal(error.stage, 'dask');
    assert.match(error.message, /^could not reach the Dask scheduler at tcp:\/\/127\.0\.0\.1:9 within \d+ s/);
    assert.ok(events.some((event) => event.type === 'hello'));
    assert.deepEqual(left, []);
  });

  it('bench --dask-scheduler: only with the dask mode, and only an address (exit 2)', () => {
    const target = `${file}:burn`;
    const without = cli(['bench', target, '--call', 'burn(10)', '--modes', 'sequential,processes', '--dask-scheduler', 'tcp://127.0.0.1:9']);
    assert.equal(without.status, 2);
    assert.match(without.stderr, /--dask-scheduler is for the dask mode: add dask to --modes/);
    const notAnAddress = cli(['bench', target, '--call', 'burn(10)', '--modes', 'sequential,dask', '--dask-scheduler', '127.0.0.1']);
    assert.equal(notAnAddress.status, 2);
    assert.match(notAnAddress.stderr, /--dask-scheduler takes a scheduler address such as tcp:\/\/HOST:PORT, not '127\.0\.0\.1'/);
  });

  it('without distributed in the interpreter the mode is unavailable, with the install hint', async function () {
    const plain = spawnSync('python3', ['-c', 'import distributed'], { stdio: 'ignore' }).status !== 0;
    if (!plain) this.skip();
    const { outcome, events } = await run({ file, python: 'python3' });
    assert.equal(outcome.kind, 'input-error');
    const hello = events.find((event) => event.type === 'hello');
    assert.ok(hello && !hello.modes.includes('dask'));
    const error = (outcome as Extract<BenchOutcome, { kind: 'input-error' }>).error;
    assert.match(error.message, /mode dask is not available with this interpreter: distributed is not installed for .*\(apt-get install python3-distributed, or pip install "dask\[distributed\]"\)/);
  });

  describe('against a scheduler and two workers started apart (127.0.0.1, ephemeral ports)', function () {
    const started: ChildProcess[] = [];
    let address = '';

    before(async function () {
      requireDebianModules(['distributed']);
      const schedulerFile = path.join(folder, 'scheduler.json');
      const quiet = { stdio: 'ignore' as const };
      started.push(spawn(DEBIAN_PYTHON, ['-m', 'distributed.cli.dask_scheduler', '--host', '127.0.0.1', '--port', '0', '--no-dashboard', '--scheduler-file', schedulerFile], quiet));
      for (let k = 0; k < 2; k++) {
        started.push(spawn(DEBIAN_PYTHON, ['-m', 'distributed.cli.dask_worker', '--scheduler-file', schedulerFile, '--nthreads', '1', '--no-nanny', '--no-dashboard', '--host', '127.0.0.1', '--local-directory', path.join(folder, `worker-${k}`)], quiet));
      }
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !fs.existsSync(schedulerFile)) await new Promise((resolve) => setTimeout(resolve, 200));
      address = (JSON.parse(fs.readFileSync(schedulerFile, 'utf8')) as { address: string }).address;
      python(`from distributed import Client\nc = Client("${address}", timeout=30)\nc.wait_for_workers(2, timeout=60)`);
    });

    after(async () => {
      for (const child of started) child.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(started.map((child) => child.pid as number).filter(alive), [], 'the scheduler and the workers are gone');
    });

    it('benchmarks on its workers, the module uploaded to them; the run leaves nothing behind, the cluster stays', async () => {
      const { outcome, events, left } = await run({ file, daskScheduler: address, workers: [1, 2] });
      const done = completed(outcome);
      const cluster = events.find((event): event is ClusterEvent => event.type === 'cluster');
      assert.equal(cluster?.local, false);
      assert.equal(cluster?.scheduler, address);
      assert.deepEqual(done.runs.filter((r) => r.mode === 'dask').map((r) => [r.workers, r.error]), [[1, null], [2, null]]);
      assert.ok(done.runs.every((r) => r.mode !== 'dask' || (r.dask && r.dask.local === false)));
      assert.ok(events.some((event) => event.type === 'cluster-metrics' && event.workers.length === 2));
      assert.deepEqual(left, []);
      assert.deepEqual(started.map((child) => child.pid as number).filter((pid) => !alive(pid)), [], 'the cluster is not the run\'s to end');
    });

    it('a module importing a file of this machine the workers cannot see: a clear error naming what was uploaded', async () => {
      const { outcome } = await run({ file: path.join(folder, 'needs_helper.py'), daskScheduler: address });
      assert.equal(outcome.kind, 'input-error', JSON.stringify(outcome).slice(0, 2000));
      const error = (outcome as Extract<BenchOutcome, { kind: 'input-error' }>).error;
      assert.equal(error.stage, 'dask');
      assert.match(error.message, /the Dask workers could not import needs_helper \(ModuleNotFoundError: No module named 'helper'\): they get needs_helper\.py alone, uploaded/);
    });

    it('cancel: the run stops at once and the scheduler drops its tasks', async () => {
      const controller = new AbortController();
      const { outcome, left } = await run({
        file,
        qualname: 'nap',
        call: 'nap(0.5)',
        tasks: 40,
        modes: ['dask'],
        daskScheduler: address,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'progress' && event.mode === 'dask') controller.abort();
        },
      });
      assert.equal(outcome.kind, 'cancelled');
      assert.deepEqual(left, []);
      // 40 tasks of 0.5 s on 2 workers would take 10 s; the client gone, the scheduler forgets them.
      const remaining = python(
        `import time\nfrom distributed import Client\nc = Client("${address}", timeout=30)\n` +
          `count = lambda: c.run_on_scheduler(lambda dask_scheduler: sum(1 for key in dask_scheduler.tasks if key.startswith("dask_task")))\n` +
          `deadline = time.time() + 8\nwhile count() and time.time() < deadline:\n    time.sleep(0.2)\nprint(count())`,
      );
      assert.equal(remaining, '0');
    });

    it('a worker killed mid-run: a clear error, no hang', async () => {
      let killed = false;
      const { outcome, seconds, left } = await run({
        file,
        qualname: 'nap',
        call: 'nap(0.3)',
        tasks: 20,
        modes: ['dask'],
        daskScheduler: address,
        onEvent: (event) => {
          if (event.type === 'progress' && event.mode === 'dask' && !killed) {
            killed = true;
            started[1]?.kill('SIGKILL');
          }
        },
      });
      const dask = completed(outcome).runs.find((r) => r.mode === 'dask');
      assert.match(dask?.error ?? '', /^DaskWorkerLost: the Dask worker tcp:\/\/127\.0\.0\.1:\d+ left the cluster during the run/);
      assert.ok(seconds < 60, `settled after ${seconds} s`);
      assert.deepEqual(left, []);
    });
  });
});

describe('the static side knows the APIs that hand work to Dask, joblib and multiprocessing', () => {
  const CRUNCH = `
def crunch(n):
    total = 0
    for k in range(n):
        total += k * k % 7
    return total
`;

  it('a function that submits to a distributed.Client and gathers waits for the cluster, not the CPU', async () => {
    const functions = await analyzeModule(`from distributed import Client
${CRUNCH}
def run(ns):
    client = Client("tcp://10.0.0.5:8786")
    futures = client.map(crunch, ns)
    return client.gather(futures)

def run_one(n):
    from dask.distributed import Client as DaskClient
    return DaskClient("tcp://10.0.0.5:8786").submit(crunch, n).result()
`);
    for (const name of ['run', 'run_one']) {
      const report = fn(functions, name);
      // A dispatcher: its CPU tasks run on the cluster's cores; as a whole (what a run of it measures) another
      // pool around it cannot make it faster.
      assert.deepEqual([report.verdict, report.dispatch?.pool, report.dispatch?.task?.name], ['dispatcher', 'cluster', 'crunch'], name);
      assert.equal(report.dispatch?.whole.verdict, 'trivial', `${name}: ${JSON.stringify(report.evidence)}`);
      assert.ok(report.evidence.some((e) => /Dask cluster's worker/.test(e.reason)), JSON.stringify(report.evidence));
    }
  });

  it('joblib Parallel(...)(delayed(f)(x) ...) and multiprocessing.Pool dispatch; a LocalCluster in a loop or unguarded is flagged', async () => {
    const source = `import multiprocessing
from joblib import Parallel, delayed
from distributed import LocalCluster
${CRUNCH}
def run_joblib(ns):
    return Parallel(n_jobs=4)(delayed(crunch)(n) for n in ns)

def run_pool(ns):
    with multiprocessing.Pool() as pool:
        return pool.map(crunch, ns)

def clusters(sizes):
    for size in sizes:
        LocalCluster(n_workers=size)

cluster = LocalCluster()
`;
    const report = (await analyzeTree({ 'module.py': source })).get('module.py');
    assert.ok(report);
    const byName = new Map(report.functions.map((f) => [f.qualname, f]));
    assert.deepEqual([byName.get('run_joblib')?.verdict, byName.get('run_joblib')?.dispatch?.pool], ['dispatcher', 'process']);
    assert.equal(byName.get('run_joblib')?.dispatch?.whole.verdict, 'trivial', JSON.stringify(byName.get('run_joblib')?.evidence));
    assert.ok(byName.get('run_joblib')?.evidence.some((e) => /joblib's workers and waits/.test(e.reason)));
    assert.deepEqual([byName.get('run_pool')?.verdict, byName.get('run_pool')?.dispatch?.pool, byName.get('run_pool')?.dispatch?.whole.verdict], ['dispatcher', 'process', 'trivial']);
    const rules = report.findings.map((f) => `${f.rule}@${f.line}`);
    const line = (text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    assert.ok(rules.includes(`CL006@${line('LocalCluster(n_workers=size)')}`), rules.join(' '));
    assert.ok(rules.includes(`CL004@${line('cluster = LocalCluster()')}`), rules.join(' '));
  });
});

describe('when a cluster pays off (src/core/bench/cluster.ts, synthetic numbers)', () => {
  // A LocalCluster's costs: 5 ms per task through the scheduler, a 10 ms round trip, 1 kB per task.
  const costs: ClusterCosts = { taskSeconds: 0.002, overheadSeconds: 0.005, roundTripSeconds: 0.01, bytesPerTask: 1000, bytesPerSecond: NETWORK_BYTES_PER_SECOND };

  it('predicts the wall time of N workers: the round trip, then the tasks in waves, each with its costs', () => {
    // 100 tasks on 16 workers: 7 waves of 2 + 5 + 0.01 ms.
    assert.ok(Math.abs(predictedClusterSeconds(costs, 100, 16) - (0.01 + 7 * 0.00701)) < 1e-12);
    // Transfers a remote run measured already are not added again.
    assert.ok(Math.abs(predictedClusterSeconds({ ...costs, bytesPerSecond: Infinity }, 100, 16) - (0.01 + 7 * 0.007)) < 1e-12);
  });

  it('the break-even on each axis: the task size at this many tasks, and the task count at this task size', () => {
    // At 100 tasks, 16 workers against 2 cores: c (1/2 − 1/16) > 0.01/100 + 0.00501/16 → c > ~0.94 ms.
    const even = breakEven(costs, 100, 16, 2);
    assert.ok(even.taskSeconds !== null && Math.abs(even.taskSeconds - (0.0001 + 0.00501 / 16) / (1 / 2 - 1 / 16)) < 1e-12);
    // At 2 ms a task: each task gains 2/2 − 7.01/16 ms = 0.56 ms; the 10 ms round trip is paid back after 18 tasks.
    assert.equal(even.tasks, Math.ceil(0.01 / (0.002 / 2 - 0.00701 / 16)));
    // Tasks smaller than their costs gain nothing however many there are; a cluster no larger than the machine never pays.
    assert.equal(breakEven({ ...costs, taskSeconds: 0.0002 }, 100, 16, 2).tasks, null);
    assert.equal(breakEven(costs, 100, 2, 2).taskSeconds, null);
  });

  const run = (mode: BenchRun['mode'], workers: number, wallSeconds: number, dask?: BenchRun['dask']): BenchRun => ({
    mode, workers, wallSeconds, cpuSeconds: wallSeconds, repeats: 3, spread: 0, samples: [wallSeconds], speedup: null, speedupSpread: null, contended: false,
    efficiency: null, gilContention: null, otherLoad: null, latency: { p50: null, p95: null, max: null }, completed: 100, error: null, errorDetail: null, ...(dask && { dask }),
  });
  const daskCosts = (overhead: number, bytes: number): BenchRun['dask'] => ({ scheduler: 'tcp://127.0.0.1:1', local: true, roundTripSeconds: 0.01, perTaskOverheadSeconds: overhead, bytesPerTask: bytes });

  it('50 ms tasks: 16 workers would beat 2 local processes, and say so with the break-even', () => {
    const advice = clusterAdvice([run('sequential', 1, 5), run('processes', 2, 2.6), run('dask', 1, 5.5, daskCosts(0.004, 70)), run('dask', 2, 2.8, daskCosts(0.003, 70))], 100, 2);
    assert.ok(advice);
    assert.equal(advice.pays, true);
    assert.equal(advice.perTaskOverheadMs, 3, 'the costs of the dask configuration with the most workers');
    assert.ok(Math.abs(advice.predictedSeconds - (0.01 + 7 * (0.05 + 0.003 + 70 / NETWORK_BYTES_PER_SECOND))) < 1e-9);
    assert.match(advice.text, /^a cluster pays off on 16 cluster workers: 381 ms predicted, 13\.1× sequential \(this machine's best: processes ×2, 2\.60 s\); a task computes 50\.0 ms and costs 3\.00 ms more through the scheduler, moving 70 B; a cluster of 16 pays off against 2 local cores with tasks above ~657 µs \(at 100 tasks\) or more than ~1 task \(of 50\.0 ms\)$/);
  });

  it('2 ms tasks moving 40 MB each: a cluster would lose, and no count of such tasks pays', () => {
    const advice = clusterAdvice([run('sequential', 1, 0.2), run('processes', 2, 0.12), run('dask', 2, 3, daskCosts(0.004, 40e6))], 100, 2);
    assert.ok(advice);
    assert.equal(advice.pays, false);
    assert.equal(advice.breakEven.tasks, null);
    assert.match(advice.text, /^a cluster would lose on 16 cluster workers: .*moving 40\.0 MB; a cluster of 16 pays off against 2 local cores with tasks above ~\S+ (ms|s) \(at 100 tasks\)$/);
  });

  it('no advice without a dask configuration that finished', () => {
    assert.equal(clusterAdvice([run('sequential', 1, 1), run('processes', 2, 0.6)], 100, 2), undefined);
    assert.equal(clusterAdvice([run('sequential', 1, 1), { ...run('dask', 2, 3, daskCosts(0.004, 70)), error: 'DaskWorkerLost: gone' }], 100, 2), undefined);
  });

  it('the measured recommendation names dask only when it beats every local mode by the margin', () => {
    assert.equal(recommend([run('sequential', 1, 5), run('processes', 2, 2.6), run('dask', 2, 2.5, daskCosts(0.003, 70))]).recommendation, 'processes');
    const faster = recommend([run('sequential', 1, 5), run('processes', 2, 2.6), run('dask', 4, 1.3, daskCosts(0.003, 70))]);
    assert.equal(faster.recommendation, 'dask');
    assert.match(faster.reason, /^dask 2\.0× faster than processes over 3 runs: the cluster's workers outrun this machine's cores$/);
  });
});
