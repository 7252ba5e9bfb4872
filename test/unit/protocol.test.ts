import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchMode, HarnessEvent, LaneTimes, RunEndEvent } from '../../src/core/bench/events';
import { benchRecord } from '../../src/core/bench/record';
import { decide, halfRange, median, starved, unhindered } from '../../src/core/bench/recommend';
import { keepPriority, threadTimes } from '../../src/core/bench/processTree';
import { aggregate, otherLoads, runBench, type BenchRun } from '../../src/core/bench/runner';
import { PYTHON, tempTree } from './helpers';

const NODE_HARNESS = path.join(__dirname, '..', '..', 'src', 'core', 'bench', 'nodeHarness.js');

const TWO_CORES = { cores: 2, gilEnabled: true };

/** One repetition's run-end event, with synthetic numbers. */
function end(mode: BenchMode, workers: number, wallSeconds: number, cpuSeconds = wallSeconds, extra: Partial<RunEndEvent> = {}): RunEndEvent {
  return { type: 'run-end', mode, workers, wallSeconds, cpuSeconds, latency: { p50: 0.12, p95: 0.13, max: 0.14 }, gilContention: null, completed: 8, error: null, ...extra };
}

/** Configurations with these wall times per round (round k: the k-th sample of each), as the runner aggregates them. */
function rounds(walls: Record<string, number[]>, cpuShare: Record<string, number> = {}, otherLoad: number | null = null, gilContention: Record<string, number> = {}): BenchRun[] {
  const ends: RunEndEvent[] = [];
  const count = Math.max(...Object.values(walls).map((samples) => samples.length));
  for (let k = 0; k < count; k++) {
    for (const [configuration, samples] of Object.entries(walls)) {
      const [mode, workers] = configuration.split(':') as [BenchMode, string];
      const wall = samples[k];
      if (wall !== undefined) ends.push(end(mode, Number(workers), wall, wall * (cpuShare[configuration] ?? 1), { round: k + 1, gilContention: gilContention[configuration] ?? null }));
    }
  }
  return aggregate(ends, ends.map(() => otherLoad), TWO_CORES);
}

describe('the measurement protocol: aggregation', () => {
  it('medians and half-ranges', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
    assert.ok(Math.abs((halfRange([1, 1.4, 1.2]) ?? 0) - 0.2) < 1e-9);
    assert.equal(halfRange([5]), null);
  });

  it('one run per configuration: medians of its repetitions, their spread, the per-round speedups', () => {
    const runs = rounds({ 'sequential:1': [2.0, 2.2, 1.9], 'processes:2': [1.0, 1.2, 1.05] });
    assert.equal(runs.length, 2);
    const [sequential, processes] = runs as [BenchRun, BenchRun];
    assert.deepEqual([sequential.mode, sequential.wallSeconds, sequential.repeats, sequential.samples], ['sequential', 2.0, 3, [2.0, 2.2, 1.9]]);
    assert.ok(Math.abs(sequential.spread - 0.15) < 1e-9);
    assert.equal(processes.wallSeconds, 1.05);
    assert.ok(Math.abs((processes.speedup ?? 0) - 2.0 / 1.05) < 1e-9);
    // Per round: 2.0/1.0, 2.2/1.2, 1.9/1.05 → half the range of those ratios.
    const ratios = [2.0 / 1.0, 2.2 / 1.2, 1.9 / 1.05];
    assert.ok(Math.abs((processes.speedupSpread ?? 0) - (Math.max(...ratios) - Math.min(...ratios)) / 2) < 1e-9);
    assert.equal(sequential.contended, false);
  });

  it('a configuration that failed reports its error, and is no baseline', () => {
    const boom = { exception: 'ValueError', message: 'bad', traceback: '' };
    const runs = aggregate([end('sequential', 1, 1, 1, { error: boom }), end('threads', 2, 0.5)], [null, null], TWO_CORES);
    assert.equal(runs[0]?.error, 'ValueError: bad');
    assert.equal(runs[1]?.speedup, null);
  });
});

describe('the measurement protocol: contention, read from the data', () => {
  it('sequential work that computes, getting 0.4 of a core while other programs keep 1.6 of 2 busy, was starved', () => {
    assert.equal(starved({ mode: 'sequential', workers: 1, wallSeconds: 1, cpuSeconds: 0.4, otherLoad: 1.6 }, TWO_CORES), true);
  });

  it('not starved: a full core; a wait (no CPU to get); a quiet machine; threads under the GIL using their one core', () => {
    assert.equal(starved({ mode: 'sequential', workers: 1, wallSeconds: 1, cpuSeconds: 0.97, otherLoad: 1.0 }, TWO_CORES), false);
    assert.equal(starved({ mode: 'threads', workers: 8, wallSeconds: 1, cpuSeconds: 0.02, otherLoad: 1.9 }, TWO_CORES), false);
    assert.equal(starved({ mode: 'sequential', workers: 1, wallSeconds: 1, cpuSeconds: 0.4, otherLoad: 0.1 }, TWO_CORES), false);
    assert.equal(starved({ mode: 'sequential', workers: 1, wallSeconds: 1, cpuSeconds: 0.4, otherLoad: null }, TWO_CORES), false);
    assert.equal(starved({ mode: 'threads', workers: 2, wallSeconds: 1, cpuSeconds: 0.95, otherLoad: 1.0 }, TWO_CORES), false);
  });

  it('a process pool of 2 that got 1.2 cores while other programs took the rest was starved; free-threaded threads too', () => {
    assert.equal(starved({ mode: 'processes', workers: 2, wallSeconds: 1, cpuSeconds: 1.2, otherLoad: 0.8 }, TWO_CORES), true);
    assert.equal(starved({ mode: 'threads', workers: 2, wallSeconds: 1, cpuSeconds: 1.2, otherLoad: 0.8 }, { cores: 2, gilEnabled: false }), true);
  });

  it('a configuration too short to measure its other load takes the run\'s: a process pool of 0.1 s on 1.2 of 2 cores beside a busy core was starved', () => {
    const ends = [1, 2, 3].flatMap((round) => [end('sequential', 1, 1.0, 1.0, { round }), end('processes', 2, 0.1, 0.12, { round })]);
    const loads = ends.map((e) => (e.mode === 'sequential' ? 1.0 : null));
    const [sequential, processes] = aggregate(ends, loads, TWO_CORES);
    assert.equal(sequential?.contended, false);
    assert.equal(processes?.otherLoad, 1.0);
    assert.equal(processes?.contended, true);
  });

  it('the other load of runs too short for the tick counters is measured over consecutive short runs', () => {
    const ends = [{ wallSeconds: 1.0, cpuSeconds: 1.0 }, { wallSeconds: 0.1, cpuSeconds: 0.1 }, { wallSeconds: 0.2, cpuSeconds: 0.2 }, { wallSeconds: 0.1, cpuSeconds: 0.1 }];
    // 1 core of other load throughout: busy = own CPU + 1 × wall.
    const loads = otherLoads(ends, ends.map((end) => end.cpuSeconds + end.wallSeconds));
    assert.deepEqual(loads.map((load) => (load === null ? null : Math.round(load * 100) / 100)), [1, 1, 1, null]);
  });

  it('a configuration is contended when a third of its repetitions or more were starved', () => {
    const runs = rounds({ 'sequential:1': [1, 1, 1] }, { 'sequential:1': 0.4 }, 1.6);
    assert.equal(runs[0]?.contended, true);
    const ends = [1, 2, 3].map((round) => end('processes', 2, 1.0, round === 1 ? 1.2 : 1.95, { round }));
    assert.equal(aggregate(ends, [0.8, 0.8, 0.8], TWO_CORES)[0]?.contended, true, 'one of three starved');
    assert.equal(aggregate(ends.slice(1), [0.8, 0.8], TWO_CORES)[0]?.contended, false, 'none starved');
  });
});

describe('the measurement protocol: the decision', () => {
  it('a clear result is a verdict that says how sure it is', () => {
    const runs = rounds({ 'sequential:1': [2.0, 2.1, 2.0, 1.9, 2.0], 'threads:2': [2.0, 2.1, 2.0, 2.0, 2.1], 'processes:2': [1.05, 1.1, 1.0, 1.05, 1.0] });
    const verdict = decide(runs, TWO_CORES);
    assert.equal(verdict.recommendation, 'processes');
    assert.equal(verdict.inconclusive, undefined);
    assert.match(verdict.reason, /^processes 1\.9× ± 0\.\d faster than threads over 5 runs: the work holds the GIL$/);
  });

  it('rounds that disagree make it inconclusive, with the votes and the numbers', () => {
    const runs = rounds({ 'sequential:1': [1.0, 1.0, 1.0, 1.0, 1.0], 'threads:2': [0.5, 0.6, 0.7, 1.5, 1.6] });
    const verdict = decide(runs, TWO_CORES);
    assert.equal(verdict.recommendation, null);
    assert.match(verdict.inconclusive ?? '', /^the 5 repetitions disagree: threads in 3, sequential in 2 \(sequential 1\.000 s, threads ×2 0\.700 s ± 0\.550\)$/);
    assert.equal(verdict.reason, verdict.inconclusive);
  });

  it('a starved sequential baseline makes a pool\'s win inconclusive; it cannot overturn a sequential verdict', () => {
    const starvedBaseline = rounds({ 'sequential:1': [2.0, 2.0, 2.0], 'processes:2': [1.0, 1.0, 1.0] }, { 'sequential:1': 0.4, 'processes:2': 1.9 }, 1.6);
    const verdict = decide(starvedBaseline, TWO_CORES);
    assert.equal(verdict.recommendation, null);
    assert.match(verdict.inconclusive ?? '', /^sequential got 0\.4 of a core for work that computes while other programs kept 1\.6 of 2 cores busy: its time, and every speedup, measure the load/);
    const sequentialWins = rounds({ 'sequential:1': [1.0, 1.0, 1.0], 'threads:2': [1.02, 1.03, 1.02] }, { 'sequential:1': 0.4 }, 1.6);
    assert.equal(decide(sequentialWins, TWO_CORES).recommendation, 'sequential');
  });

  it('a starved pool that lost but could have won given its cores: inconclusive; one that won: the verdict stands', () => {
    // processes ×2 took 1.0 s on 1.0 of the 2 cores it could use: unhindered ~0.5 s, faster than threads' 0.8 s.
    const lost = rounds({ 'sequential:1': [1.0, 1.0, 1.0], 'threads:2': [0.8, 0.8, 0.8], 'processes:2': [1.0, 1.0, 1.0] }, { 'sequential:1': 0.05, 'threads:2': 0.05, 'processes:2': 1.0 }, 0.9);
    const verdict = decide(lost, TWO_CORES);
    assert.equal(verdict.recommendation, null);
    assert.match(verdict.inconclusive ?? '', /^processes ×2 got 1\.0 of the 2 cores it could use while other programs kept 0\.9 of 2 cores busy: with them free it might beat threads ×2/);
    const won = rounds({ 'sequential:1': [2.0, 2.0, 2.0], 'processes:2': [1.4, 1.4, 1.4] }, { 'processes:2': 1.3 }, 0.7);
    assert.equal(won[1]?.contended, true);
    assert.equal(decide(won, TWO_CORES).recommendation, 'processes');
  });

  it('noise between near-equal modes is no disagreement: rounds where the verdict stayed within 10 % of the fastest agree', () => {
    // Pure-Python work with tiny tasks: threads edge out sequential by a few % in some rounds, never by 10 %.
    const runs = rounds({ 'sequential:1': [0.1, 0.1, 0.1, 0.1], 'threads:2': [0.095, 0.104, 0.093, 0.102], 'processes:2': [0.2, 0.19, 0.21, 0.2] });
    const verdict = decide(runs, TWO_CORES);
    assert.equal(verdict.inconclusive, undefined);
    assert.equal(verdict.recommendation, 'sequential');
  });

  it('threads that released the GIL (their probe barely waited) and got one of two cores under load: inconclusive, never "sequential"', () => {
    // hashlib over large buffers: threads ×2 would take ~0.5 s on two free cores; another program held one.
    const load = rounds({ 'sequential:1': [1.0, 1.0, 1.0], 'threads:2': [0.98, 1.0, 0.99] }, { 'threads:2': 1.0 }, 1.0, { 'sequential:1': 0.01, 'threads:2': 0.05 });
    assert.equal(load[1]?.contended, true);
    const verdict = decide(load, TWO_CORES);
    assert.equal(verdict.recommendation, null);
    assert.match(verdict.inconclusive ?? '', /^threads ×2 got 1\.0 of the 2 cores it could use while other programs kept 1\.0 of 2 cores busy/);
    // The same times for GIL-bound threads (their probe waited most of the time): one core is all they can use.
    const gilBound = rounds({ 'sequential:1': [1.0, 1.0, 1.0], 'threads:2': [0.98, 1.0, 0.99] }, { 'threads:2': 1.0 }, 1.0, { 'threads:2': 0.8 });
    assert.equal(gilBound[1]?.contended, false);
    assert.equal(decide(gilBound, TWO_CORES).recommendation, 'sequential');
  });

  it('"too small" only when the tasks were short: long tasks no pool sped up say so', () => {
    const long = rounds({ 'sequential:1': [1.0, 1.0, 1.0], 'threads:2': [1.02, 1.01, 1.03] });
    const reason = decide(long, TWO_CORES).reason;
    assert.doesNotMatch(reason, /too small/);
    assert.match(reason, /^no pool pays for itself, though a task takes 120 ms: the work does not run in parallel here \(fastest other: threads ×2, 1\.0× ± 0\.0 sequential's speed over 3 runs\)$/);
    const short = long.map((run) => ({ ...run, latency: { p50: 0.0003, p95: 0.0004, max: 0.0005 } }));
    assert.match(decide(short, TWO_CORES).reason, /^no pool pays for itself: the work per task is too small \(0\.30 ms a task\)/);
  });
});

describe('the measurement protocol on a real interpreter (short tasks)', function () {
  this.timeout(60_000);

  it('python3: a warm-up call, then at least 3 rounds in rotating order; one run per configuration with its repetitions', async () => {
    const root = tempTree({ 'work.py': 'def crunch(i):\n    return sum(k * k for k in range(20_000))\n' });
    try {
      const events: HarnessEvent[] = [];
      const outcome = await runBench({ python: PYTHON, file: path.join(root, 'work.py'), qualname: 'crunch', call: 'crunch(i)', tasks: 2, modes: ['sequential', 'threads'], workers: [1, 2], timeoutSeconds: 60, budgetSeconds: 0, onEvent: (e) => events.push(e) });
      assert.equal(outcome.kind, 'completed');
      const types = events.map((e) => e.type).filter((type) => type === 'warmup-start' || type === 'warmup' || type === 'run-start');
      assert.deepEqual(types.slice(0, 3), ['warmup-start', 'warmup', 'run-start']);
      const starts = events.flatMap((e) => (e.type === 'run-start' ? [`${e.round}:${e.mode}x${e.workers}`] : []));
      // A budget of 0 stops at the minimum: 3 rounds, each starting one configuration further.
      assert.deepEqual(starts, [
        '1:sequentialx1', '1:threadsx1', '1:threadsx2',
        '2:threadsx1', '2:threadsx2', '2:sequentialx1',
        '3:threadsx2', '3:sequentialx1', '3:threadsx1',
      ]);
      if (outcome.kind !== 'completed') return;
      assert.deepEqual(outcome.runs.map((run) => [run.mode, run.workers, run.repeats, run.samples.length]), [['sequential', 1, 3, 3], ['threads', 1, 3, 3], ['threads', 2, 3, 3]]);
      assert.equal(outcome.rounds, 3);
      assert.ok(outcome.warmup !== null && outcome.warmup.seconds > 0 && outcome.warmup.error === null);
      const record = benchRecord({ file: 'work.py', function: 'crunch', call: 'crunch(i)' }, 2, outcome, undefined, 2, 0);
      assert.deepEqual(record.protocol, { rounds: 3, budgetSeconds: 0, warmupSeconds: outcome.warmup?.seconds ?? null });
      assert.equal(record.recommendation === null, record.inconclusive !== undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('node: the same protocol events', async () => {
    const root = tempTree({ 'work.js': 'exports.crunch = (i) => { let s = 0; for (let k = 0; k < 200000; k++) s += k * k; return s + i; };\n' });
    try {
      const events: HarnessEvent[] = [];
      const outcome = await runBench({ runtime: 'node', node: process.execPath, harness: NODE_HARNESS, file: path.join(root, 'work.js'), qualname: 'crunch', call: 'crunch(i)', tasks: 2, modes: ['sequential', 'worker_threads'], workers: [2], timeoutSeconds: 60, budgetSeconds: 0, onEvent: (e) => events.push(e) });
      assert.equal(outcome.kind, 'completed');
      assert.deepEqual(events.filter((e) => e.type === 'warmup-start' || e.type === 'warmup').map((e) => e.type), ['warmup-start', 'warmup']);
      const starts = events.flatMap((e) => (e.type === 'run-start' ? [`${e.round}:${e.mode}`] : []));
      assert.deepEqual(starts, ['1:sequential', '1:worker_threads', '2:worker_threads', '2:sequential', '3:sequential', '3:worker_threads']);
      if (outcome.kind === 'completed') assert.deepEqual(outcome.runs.map((run) => run.repeats), [3, 3]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the measurement protocol: both starved', () => {
  it('a starved loser is weighed against the winner as starved: both at full speed', () => {
    // worker_threads ×1 at 0.45 of its core would take 0.45 s unhindered: under child_process ×2's 0.5 s as measured, but
    // child_process ×2 got 1.0 of its 2 cores, and would take 0.25 s.
    const runs = rounds({ 'sequential:1': [1.0, 1.0, 1.0], 'worker_threads:1': [1.0, 1.0, 1.0], 'child_process:2': [0.5, 0.5, 0.5] }, { 'sequential:1': 1.0, 'worker_threads:1': 0.45, 'child_process:2': 1.0 }, 1.4);
    assert.equal(runs[1]?.contended, true);
    assert.equal(runs[2]?.contended, true);
    assert.equal(decide(runs, { cores: 2, gilEnabled: false }).recommendation, 'child_process');
  });
});

/** A lane that computed `cpu` seconds, waited `wait` seconds for a CPU and ran its last task until `end`. */
function lane(cpu: number, wait: number, end: number): LaneTimes {
  return { cpuSeconds: cpu, waitSeconds: wait, endSeconds: end };
}

/**
 * Configurations with these repetitions (round k: the k-th of each), each with its wall time and lanes, as
 * the runner aggregates them; the other load is left unknown (null), as on a machine whose tick counters
 * could not tell it.
 */
function laneRounds(repetitions: Record<string, Array<{ wall: number; lanes: LaneTimes[]; gilContention?: number }>>): BenchRun[] {
  const ends: RunEndEvent[] = [];
  const count = Math.max(...Object.values(repetitions).map((samples) => samples.length));
  for (let k = 0; k < count; k++) {
    for (const [configuration, samples] of Object.entries(repetitions)) {
      const [mode, workers] = configuration.split(':') as [BenchMode, string];
      const repetition = samples[k];
      if (!repetition) continue;
      const cpu = repetition.lanes.reduce((sum, one) => sum + one.cpuSeconds, 0);
      ends.push(end(mode, Number(workers), repetition.wall, cpu, { round: k + 1, lanes: repetition.lanes, gilContention: repetition.gilContention ?? null }));
    }
  }
  return aggregate(ends, ends.map(() => null), TWO_CORES);
}

const thrice = <T>(value: T): T[] => [value, value, value];

describe('the measurement protocol: waits for a CPU, read from the lanes', () => {
  it('what a repetition would take without its waits: one lane, lanes that take turns (GIL), lanes in parallel, more lanes than cores', () => {
    const base = { workers: 2, wallSeconds: 1.0, gilContention: null };
    assert.deepEqual(unhindered({ ...base, mode: 'sequential', workers: 1, lanes: [lane(0.6, 0.4, 1.0)] }, TWO_CORES), { fastest: 0.6, slowest: 0.6 });
    // Threads under the GIL take turns: their waits add up (0.5), unless they overlapped (at least the longest, 0.3, came off).
    const turns = unhindered({ ...base, mode: 'threads', gilContention: 0.9, lanes: [lane(0.3, 0.3, 1.0), lane(0.2, 0.2, 1.0)] }, TWO_CORES);
    assert.deepEqual(turns, { fastest: 0.5, slowest: 0.7 });
    // Threads woken for the GIL wait while the one that dropped it still computes: their waits (0.4) overlap
    // the others' CPU time (0.9), and one core needs 0.9 s for that work whatever the waits.
    const overlapping = unhindered({ ...base, mode: 'threads', gilContention: 0.9, lanes: [lane(0.45, 0.2, 1.0), lane(0.45, 0.2, 1.0)] }, TWO_CORES);
    assert.deepEqual(overlapping, { fastest: 0.9, slowest: 0.9 });
    // A process pool: the lane that ended last (1.0) without its waits (0.4) against the other (0.9 − 0.1), plus nothing after.
    const pool = unhindered({ ...base, mode: 'processes', lanes: [lane(0.6, 0.4, 1.0), lane(0.7, 0.1, 0.9)] }, TWO_CORES);
    assert.ok(pool && Math.abs(pool.slowest - 0.8) < 1e-9 && Math.abs(pool.fastest - 0.75) < 1e-9, JSON.stringify(pool));
    assert.equal(unhindered({ ...base, mode: 'processes', lanes: null }, TWO_CORES), null);
    // Four processes on two cores wait for each other: that is their own time, nothing comes off at the slowest.
    const crowded = unhindered({ ...base, mode: 'processes', workers: 4, lanes: [1, 2, 3, 4].map(() => lane(0.25, 0.5, 1.0)) }, TWO_CORES);
    assert.deepEqual(crowded, { fastest: 0.5, slowest: 1.0 });
  });

  it('starved alike: a process pool that got one of its two cores beside a busy one is measured without its waits, and wins as it would on free cores', () => {
    // Quiet, processes ×2 take ~0.55 s against sequential's 1.0 s; loaded, each of its workers waited 45 % of
    // the time for a CPU and it took as long as sequential (whose lane got a core of its own).
    const runs = laneRounds({
      'sequential:1': thrice({ wall: 1.0, lanes: [lane(0.99, 0.01, 1.0)] }),
      'processes:2': thrice({ wall: 1.0, lanes: [lane(0.53, 0.45, 0.99), lane(0.53, 0.45, 0.98)] }),
    });
    const verdict = decide(runs, TWO_CORES);
    assert.equal(verdict.recommendation, 'processes');
    assert.match(verdict.reason, /^processes 1\.8× ± 0\.0 faster than sequential over 3 runs; times without the waits for a CPU \(processes ×2 waited 45 % of its time for a CPU\)$/);
    assert.equal(runs[1]?.contended, true);
    assert.equal(runs[0]?.contended, false);
    // The same repetitions read the old way (CPU time per wall time beside a busy core) could not decide.
    const inferred = runs.map((run) => ({ ...run, cpuWait: null, otherLoad: 0.9 }));
    assert.equal(decide(inferred.map((run) => ({ ...run, contended: run.mode === 'processes' })), TWO_CORES).recommendation, null);
  });

  it('starved unevenly: a pool whose one worker waited and the other did not cannot be told from sequential: inconclusive, with the range', () => {
    const runs = laneRounds({
      'sequential:1': thrice({ wall: 1.0, lanes: [lane(1.0, 0, 1.0)] }),
      'processes:2': thrice({ wall: 0.95, lanes: [lane(0.45, 0.5, 0.95), lane(0.93, 0, 0.93)] }),
    });
    const verdict = decide(runs, TWO_CORES);
    assert.equal(verdict.recommendation, null);
    assert.equal(
      verdict.inconclusive,
      'without their waits for a CPU, sequential would take 1.000 s and processes ×2 0.700–0.930 s: too close to tell in 3 of 3 rounds (sequential waited 0 % of its time for a CPU; processes ×2 waited 2–26 % of its time for a CPU)',
    );
  });

  it('one round of three starved unevenly leaves the verdict to the two that were not', () => {
    const even = { wall: 1.0, lanes: [lane(0.53, 0.45, 0.99), lane(0.53, 0.45, 0.98)] };
    const runs = laneRounds({
      'sequential:1': thrice({ wall: 1.0, lanes: [lane(1.0, 0, 1.0)] }),
      'processes:2': [even, { wall: 0.95, lanes: [lane(0.45, 0.5, 0.95), lane(0.93, 0, 0.93)] }, even],
    });
    assert.equal(decide(runs, TWO_CORES).recommendation, 'processes');
  });

  it('unreliable: a configuration that waited over two thirds of its time for a CPU leaves the verdict open where it could count', () => {
    const runs = laneRounds({
      'sequential:1': thrice({ wall: 1.0, lanes: [lane(1.0, 0, 1.0)] }),
      'processes:2': thrice({ wall: 1.0, lanes: [lane(0.25, 0.7, 0.98), lane(0.25, 0.7, 0.97)] }),
    });
    const verdict = decide(runs, TWO_CORES);
    assert.equal(verdict.recommendation, null);
    assert.equal(verdict.inconclusive, 'processes ×2 waited 70 % of its time for a CPU: too long to tell what it would take with the cores free');
    // One that waited as long but loses by far even without its waits changes nothing.
    const farBehind = laneRounds({
      'sequential:1': thrice({ wall: 0.1, lanes: [lane(0.1, 0, 0.1)] }),
      'processes:2': thrice({ wall: 1.0, lanes: [lane(0.25, 0.7, 0.98), lane(0.25, 0.7, 0.97)] }),
    });
    assert.equal(decide(farBehind, TWO_CORES).recommendation, 'sequential');
  });

  it('without waits worth a word the reason is the wall times\' as before', () => {
    const runs = laneRounds({
      'sequential:1': thrice({ wall: 2.0, lanes: [lane(2.0, 0.01, 2.0)] }),
      'threads:2': thrice({ wall: 2.0, lanes: [lane(1.0, 0.01, 2.0), lane(1.0, 0.01, 2.0)], gilContention: 0.9 }),
      'processes:2': thrice({ wall: 1.05, lanes: [lane(1.0, 0.02, 1.04), lane(1.0, 0.01, 1.03)] }),
    });
    const verdict = decide(runs, TWO_CORES);
    assert.equal(verdict.recommendation, 'processes');
    assert.doesNotMatch(verdict.reason, /waited/);
  });
});

describe('waits for a CPU on a real Linux machine (two busy loops pinned to one core)', function () {
  this.timeout(120_000);
  const linux = process.platform === 'linux' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const spin = (): ChildProcess => spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' });
  /** An executable that runs `command` with its arguments pinned to core 0. */
  const pinned = (root: string, name: string, command: string): string => {
    const script = path.join(root, name);
    fs.writeFileSync(script, `#!/bin/sh\nexec taskset -c 0 ${command} "$@"\n`, { mode: 0o755 });
    return script;
  };

  before(function () {
    if (!linux) this.skip();
  });

  it('the schedstat read of a busy child sees its wait while a rival busy loop shares its core', async () => {
    const busy = spin();
    const rival = spin();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const times = threadTimes(busy.pid as number);
      assert.ok(times, 'schedstat read');
      // Two busy loops on one core: each waits about half the time (more when other programs use the core too).
      const share = times.waitSeconds / (times.cpuSeconds + times.waitSeconds);
      assert.ok(share > 0.3 && times.cpuSeconds > 0.1, JSON.stringify(times));
    } finally {
      busy.kill('SIGKILL');
      rival.kill('SIGKILL');
    }
  });

  it('python3: the harness reports the waits of its own thread and of a worker process, and the run\'s time without them', async () => {
    const root = tempTree({ 'work.py': 'def crunch(i):\n    total = 0\n    for n in range(400_000):\n        total = (total * 31 + n) % 1_000_003\n    return total\n' });
    const rival = spin();
    try {
      const outcome = await runBench({ python: pinned(root, 'python', PYTHON), file: path.join(root, 'work.py'), qualname: 'crunch', call: 'crunch(i)', tasks: 2, modes: ['sequential', 'processes'], workers: [1], timeoutSeconds: 100, budgetSeconds: 0 });
      assert.equal(outcome.kind, 'completed');
      if (outcome.kind !== 'completed') return;
      for (const run of outcome.runs) {
        const wait = run.cpuWait;
        assert.ok(wait && wait.share > 0.3 && wait.unhinderedSeconds < run.wallSeconds * 0.7, `${run.mode}: ${JSON.stringify(wait)} of ${run.wallSeconds} s`);
        assert.equal(run.contended, true);
      }
    } finally {
      rival.kill('SIGKILL');
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('node: the harness reports the waits of its main thread and of a child process', async () => {
    const root = tempTree({ 'work.js': 'exports.crunch = (i) => { let s = 0; for (let k = 0; k < 3_000_000; k++) s = (s + k * k) % 1000003; return s + i; };\n' });
    const rival = spin();
    try {
      const outcome = await runBench({ runtime: 'node', node: pinned(root, 'node', process.execPath), harness: NODE_HARNESS, file: path.join(root, 'work.js'), qualname: 'crunch', call: 'crunch(i)', tasks: 2, modes: ['sequential', 'child_process'], workers: [1], timeoutSeconds: 100, budgetSeconds: 0 });
      assert.equal(outcome.kind, 'completed');
      if (outcome.kind !== 'completed') return;
      for (const run of outcome.runs) assert.ok(run.cpuWait && run.cpuWait.share > 0.3, `${run.mode}: ${JSON.stringify(run.cpuWait)}`);
    } finally {
      rival.kill('SIGKILL');
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a harness in a session of its own keeps the nice it was started with (its autogroup\'s)', function () {
    if (fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() !== '1') this.skip();
    const sleeper = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      keepPriority(sleeper.pid as number, 5);
      assert.match(fs.readFileSync(`/proc/${sleeper.pid}/autogroup`, 'utf8'), /nice 5$/m);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
