import * as assert from 'node:assert/strict';
import type { RunEndEvent } from '../../src/core/bench/events';
import type { PanelRecord, PanelRunInfo } from '../../src/core/bench/panelProtocol';
import type { MonitorSample } from '../../src/core/monitor/monitor';
import { loadSplit, RECORDED_POINTS, TimelineRecorder } from '../../src/core/monitor/recordedTimeline';
import { clusterWorkerText, measuredVerdict, PanelModel, resultRows } from '../../src/panel/state';
import { OTHER_LOAD, OWN_LOAD } from '../../src/panel/timeline';

const RUN: PanelRunInfo = {
  id: 'run-1',
  function: 'primes_below',
  file: 'jobs.py',
  call: 'primes_below(20_000 + i)',
  tasks: 8,
  cores: 2,
  modes: ['sequential', 'threads'],
  workers: [2],
  staticVerdict: { verdict: 'cpu', recommendation: 'processes' },
};

/** A busy machine: both cores at 100 %, the run's one process using `ownPercent` of a core. */
function sample(t: number, ownPercent: number, cores: number[] = [1, 1]): MonitorSample {
  return { t, cores, processes: [{ pid: 10, cpu: ownPercent, rssBytes: 64 * 2 ** 20 }], threads: [] };
}

function runEnd(mode: RunEndEvent['mode'], workers: number, wallSeconds: number): RunEndEvent {
  return { type: 'run-end', mode, workers, wallSeconds, cpuSeconds: wallSeconds, latency: { p50: null, p95: null, max: null }, gilContention: null, completed: 8, error: null };
}

function record(overrides: Partial<PanelRecord> = {}): PanelRecord {
  return {
    id: 'run-1',
    target: { file: 'jobs.py', function: 'primes_below', call: 'primes_below(20_000 + i)' },
    interpreter: { path: 'python3', version: '3.11.7', gilEnabled: true, runtime: 'python' },
    cores: 2,
    tasks: 8,
    runs: [
      { mode: 'sequential', workers: 1, wallSeconds: 1.0020244697123493, cpuSeconds: 0.99812345, speedup: 1, efficiency: 1, gilContention: 0.01234, error: null },
      { mode: 'threads', workers: 2, wallSeconds: 0.000523456, cpuSeconds: 1.5, speedup: 1.9141234, efficiency: 0.9570617, gilContention: null, error: null },
    ],
    best: { mode: 'threads', workers: 2, speedup: 1.9141234 },
    recommendation: 'threads',
    reason: 'threads ×2 ran 1.91× faster than sequential',
    staticVerdict: { verdict: 'cpu', recommendation: 'processes' },
    ...overrides,
  };
}

describe('the panel page\'s state (src/panel/state.ts)', () => {
  it('a run goes empty → running → ended: status, progress and the timeline follow the messages', () => {
    const model = new PanelModel(undefined);
    assert.equal(model.state.phase, 'empty');
    assert.equal(model.chartsShown, false);
    const started = model.receive({ kind: 'start', run: RUN });
    assert.deepEqual([started.clearCharts, started.save, model.state.phase, model.state.status, model.chartsShown], [true, 'now', 'running', 'Starting…', true]);
    model.receive({ kind: 'event', event: { type: 'run-start', mode: 'sequential', workers: 1, pid: 10 } });
    assert.equal(model.state.status, 'sequential: starting');
    assert.equal(model.receive({ kind: 'sample', sample: sample(100, 40) }).save, 'soon');
    model.receive({ kind: 'event', event: { type: 'progress', mode: 'sequential', workers: 1, done: 4, total: 8 } });
    // 2 configurations, once each: half of the first of 2 runs.
    assert.equal(model.state.status, 'sequential: 4 / 8 tasks · run 1 of 2');
    assert.equal(model.state.progress, 0.25);
    model.receive({ kind: 'event', event: runEnd('sequential', 1, 1.0020244697123493) });
    assert.equal(model.state.status, 'sequential: 1.00 s');
    assert.equal(model.timeline.spans.length, 1);
    assert.notEqual(model.timeline.spans[0]?.endMs, null);
    const ended = model.receive({ kind: 'end', record: record() });
    assert.deepEqual([ended.results, model.state.phase, model.state.status, model.state.progress], [true, 'ended', 'Finished', 1]);
    // Samples after the end are not drawn.
    assert.equal(model.receive({ kind: 'sample', sample: sample(200, 40) }).charts, false);
    assert.equal(model.timeline.length, 1);
  });

  it('events that name rounds (the measurement protocol): at least 3 rounds planned, more when they come, the round in the status', () => {
    const model = new PanelModel(undefined);
    model.receive({ kind: 'start', run: RUN });
    model.receive({ kind: 'event', event: { type: 'run-start', mode: 'threads', workers: 2, pid: 10, ...{ round: 1 } } });
    assert.equal(model.state.status, 'threads ×2: starting · round 1');
    model.receive({ kind: 'event', event: { type: 'progress', mode: 'threads', workers: 2, done: 8, total: 8, ...{ round: 1 } } });
    assert.equal(model.state.status, 'threads ×2: 8 / 8 tasks · round 1 · run 1 of 6');
    for (let ended = 0; ended < 7; ended++) model.receive({ kind: 'event', event: { ...runEnd('threads', 2, 0.5), ...{ round: 4 } } });
    model.receive({ kind: 'event', event: { type: 'progress', mode: 'threads', workers: 2, done: 4, total: 8, ...{ round: 4 } } });
    // Round 4 of at least 4: 8 runs planned.
    assert.equal(model.state.status, 'threads ×2: 4 / 8 tasks · round 4 · run 8 of 8');
    assert.equal(model.state.progress, 7.5 / 8);
    model.receive({ kind: 'event', event: { ...runEnd('threads', 2, 0.5), ...{ round: 4 } } });
    assert.equal(model.state.progress, 0.99, 'every planned run ended: the bar waits short of the end for the record (a round more may come)');
  });

  it('the saved state restores the run with its timeline; a state from an older page is dropped', () => {
    const model = new PanelModel(undefined);
    model.receive({ kind: 'start', run: RUN });
    model.receive({ kind: 'sample', sample: sample(100, 40) });
    model.receive({ kind: 'sample', sample: sample(200, 60) });
    const saved = JSON.parse(JSON.stringify(model.stateToSave())) as unknown;
    const restored = new PanelModel(saved);
    assert.equal(restored.state.phase, 'running');
    assert.deepEqual(restored.timeline.values(OWN_LOAD), [40, 60]);
    assert.equal(restored.timeline.coreCount, 2);
    assert.equal(new PanelModel({ ...(saved as object), version: 1 }).state.phase, 'empty');
  });

  it('a run restored as running after a reload of the window that nothing runs any more ends as interrupted, keeping its timeline', () => {
    const model = new PanelModel(undefined);
    model.receive({ kind: 'start', run: RUN });
    model.receive({ kind: 'sample', sample: sample(100, 40) });
    const restored = new PanelModel(JSON.parse(JSON.stringify(model.stateToSave())) as unknown);
    assert.equal(restored.receive({ kind: 'interrupted', runId: 'another-run' }).header, false);
    assert.equal(restored.state.phase, 'running');
    const changes = restored.receive({ kind: 'interrupted', runId: RUN.id });
    assert.deepEqual([changes.header, changes.save], [true, 'now']);
    assert.equal(restored.state.phase, 'ended');
    assert.match(restored.state.status, /^Interrupted: the window was reloaded/);
    assert.deepEqual(restored.timeline.values(OWN_LOAD), [40]);
  });

  it('the cores chart\'s data: the run\'s own CPU and the other programs\' load, stacked to what the cores were busy with', () => {
    assert.deepEqual(loadSplit(sample(0, 40)), { own: 0.4, other: 1.6 });
    // Readings a few µs apart: own above the busy time never makes `other` negative, nor own exceed the cores.
    assert.deepEqual(loadSplit(sample(0, 130, [0.5, 0.6])), { own: 1.3, other: 0 });
    assert.deepEqual(loadSplit(sample(0, 450)), { own: 2, other: 0 });
    const model = new PanelModel(undefined);
    model.receive({ kind: 'start', run: RUN });
    model.receive({ kind: 'sample', sample: sample(100, 40) });
    model.receive({ kind: 'sample', sample: sample(200, 190) });
    assert.deepEqual(model.timeline.values(OWN_LOAD), [40, 190]);
    assert.deepEqual(model.timeline.values(OTHER_LOAD).map((value) => Math.round(value ?? NaN)), [160, 10]);
    assert.deepEqual(model.timeline.columnInfos('load').map((column) => column.label), ['this run', 'other programs']);
  });

  it('a stored run is shown with its stored timeline (load, memory, modes)', () => {
    const model = new PanelModel(undefined);
    const timeline = { cores: 2, times: [100, 200, 300], own: [0.4, 1.9, 1], other: [1.6, 0.1, 0], rssMb: [64, 70, 65], spans: [{ mode: 'threads' as const, workers: 2, startMs: 150, endMs: null, failed: false }] };
    const changes = model.receive({ kind: 'show', record: record({ timeline }) });
    assert.deepEqual([changes.clearCharts, changes.results, model.state.phase, model.state.status, model.chartsShown], [true, true, 'shown', 'Stored run', true]);
    assert.deepEqual(model.timeline.values(OWN_LOAD), [40, 190, 100]);
    assert.deepEqual(model.timeline.values(OTHER_LOAD), [160, 10, 0]);
    assert.deepEqual(model.timeline.values('rss'), [64, 70, 65]);
    assert.equal(model.timeline.coreCount, 2);
    assert.notEqual(model.timeline.spans[0]?.endMs, null, 'a span left open is closed');
    // A run stored before timelines were kept: results only.
    model.receive({ kind: 'show', record: record() });
    assert.equal(model.chartsShown, false);
    // The saved state does not copy a stored run's timeline (it comes with its record).
    assert.equal(model.stateToSave().timeline, null);
  });

  it('the results table writes numbers for people and marks the fastest run', () => {
    const rows = resultRows(record());
    assert.deepEqual(rows.map((row) => [row.mode, row.best, row.cells]), [
      ['sequential', false, { workers: '1', wall: '1.00 s', cpu: '998 ms', speedup: '1.00×', efficiency: '100 %', gilWait: '1 %', error: '' }],
      ['threads', true, { workers: '2', wall: '523 µs', cpu: '1.50 s', speedup: '1.91×', efficiency: '96 %', gilWait: '', error: '' }],
    ]);
  });

  it('with the measurement protocol\'s fields: the spread (±) and repeats in the table, an inconclusive verdict as such', () => {
    const repeated = record({
      runs: [
        { mode: 'sequential', workers: 1, wallSeconds: 1.02, cpuSeconds: 1, speedup: 1, efficiency: 1, gilContention: null, error: null, ...{ repeats: 5, spread: 0.3, speedupSpread: null } },
        { mode: 'threads', workers: 2, wallSeconds: 0.98, cpuSeconds: 1, speedup: 1.0408, efficiency: 0.52, gilContention: null, error: null, ...{ repeats: 5, spread: 0.25, speedupSpread: 0.31 } },
      ],
      recommendation: null,
      best: null,
      reason: 'the 5 repetitions disagree',
      ...{ inconclusive: 'the 5 repetitions disagree: sequential in 3, threads in 2' },
    });
    assert.deepEqual(resultRows(repeated).map((row) => [row.cells.wall, row.cells.speedup]), [
      ['1.02 s ± 300 ms (5×)', '1.00×'],
      ['980 ms ± 250 ms (5×)', '1.04× ± 0.31'],
    ]);
    assert.deepEqual(measuredVerdict(repeated), { headline: 'inconclusive', reason: 'the 5 repetitions disagree: sequential in 3, threads in 2', inconclusive: true, agreement: null });
    assert.deepEqual(measuredVerdict(record()), { headline: 'use threads', reason: 'threads ×2 ran 1.91× faster than sequential', inconclusive: false, agreement: 'disagrees: the measurement settles it' });
  });
});

describe('the panel during a dask run: the cluster\'s workers beside the local cores', () => {
  const worker = (address: string, cpu: number, memory: number) => ({ address, host: '10.0.0.5', cpu, memory, memoryLimit: 8 * 2 ** 30 });

  it('the cluster event names it in the status; the workers\' metrics are held and drawn in every sample until the dask run ends', () => {
    const model = new PanelModel(undefined);
    model.receive({ kind: 'start', run: { ...RUN, modes: ['sequential', 'dask'] } });
    model.receive({ kind: 'event', event: { type: 'cluster', scheduler: 'tcp://10.0.0.5:8786', local: false, workers: 2, roundTripSeconds: 0.0042 } });
    assert.deepEqual(model.state.cluster, { scheduler: 'tcp://10.0.0.5:8786', local: false, workers: 2 });
    assert.equal(model.state.status, 'Dask: 2 workers of tcp://10.0.0.5:8786, one round trip 4.20 ms');
    model.receive({ kind: 'event', event: { type: 'run-start', mode: 'dask', workers: 2, pid: 10 } });
    model.receive({ kind: 'sample', sample: sample(100, 5) });
    const changes = model.receive({ kind: 'event', event: { type: 'cluster-metrics', workers: [worker('tcp://10.0.0.5:4001', 0.98, 96 * 2 ** 20), worker('tcp://10.0.0.5:4002', 0.5, 64 * 2 ** 20)] } });
    assert.deepEqual([changes.charts, changes.save], [true, 'soon']);
    model.receive({ kind: 'sample', sample: sample(200, 5) });
    model.receive({ kind: 'sample', sample: sample(300, 5) });
    assert.deepEqual(model.timeline.columnInfos('cluster').map((c) => c.label), ['tcp://10.0.0.5:4001', 'tcp://10.0.0.5:4002']);
    // Nothing before the first report; then held at the scheduler's last word (% of one core, MB).
    assert.deepEqual(model.timeline.values('cluster:tcp://10.0.0.5:4001'), [null, 98, 98]);
    assert.deepEqual(model.timeline.values('cluster-memory:tcp://10.0.0.5:4002'), [null, 64, 64]);
    model.receive({ kind: 'event', event: { ...runEnd('dask', 2, 0.5) } });
    model.receive({ kind: 'sample', sample: sample(400, 5) });
    assert.deepEqual(model.timeline.values('cluster:tcp://10.0.0.5:4001'), [null, 98, 98, null], 'not drawn once the dask run ended');
    assert.equal(model.stateToSave().timeline?.columns.some((c) => c.kind === 'cluster'), true, 'kept in the saved state');
  });

  it('a LocalCluster in the status, and a worker\'s reading in words', () => {
    const model = new PanelModel(undefined);
    model.receive({ kind: 'start', run: RUN });
    model.receive({ kind: 'event', event: { type: 'cluster', scheduler: 'tcp://127.0.0.1:40000', local: true, workers: 1, roundTripSeconds: 0.0123 } });
    assert.equal(model.state.status, 'Dask: a LocalCluster of 1 worker, one round trip 12.3 ms');
    assert.equal(clusterWorkerText(worker('tcp://10.0.0.5:4001', 0.98, 96 * 2 ** 20)), 'tcp://10.0.0.5:4001: 1.0 cores, 96 MB of 8.0 GB');
    assert.equal(clusterWorkerText({ address: 'tcp://a:1', cpu: 0.25, memory: null, memoryLimit: null }), 'tcp://a:1: 0.3 cores');
  });
});

describe('the timeline stored with a run (src/core/monitor/recordedTimeline.ts)', () => {
  it('keeps at most RECORDED_POINTS points however long the run, each the mean of the samples it stands for', () => {
    let now = 0;
    const recorder = new TimelineRecorder(() => now);
    assert.equal(recorder.result(), undefined);
    recorder.add(sample(0, 100));
    now = 50;
    recorder.startSpan('threads', 2);
    for (let index = 1; index < 10_000; index++) {
      now = index * 100;
      recorder.add(sample(index * 100, index % 2 === 0 ? 100 : 200));
    }
    recorder.endSpan('threads', 2, false);
    const stored = recorder.result();
    assert.ok(stored);
    assert.ok(stored.times.length <= RECORDED_POINTS && stored.times.length > RECORDED_POINTS / 2, String(stored.times.length));
    for (const series of [stored.own, stored.other, stored.rssMb]) assert.equal(series.length, stored.times.length);
    // Pairs of 1 and 2 cores average to 1.5; the machine's other 0.5 was someone else's.
    assert.ok(stored.own.slice(1, -1).every((own) => own === 1.5), JSON.stringify(stored.own.slice(0, 5)));
    assert.ok(stored.other.slice(1, -1).every((other) => other === 0.5));
    assert.equal(stored.rssMb[0], 64);
    assert.deepEqual(stored.spans, [{ mode: 'threads', workers: 2, startMs: 50, endMs: 999_900, failed: false }]);
    assert.ok(JSON.stringify(stored).length < 12_000, `${JSON.stringify(stored).length} characters`);
  });
});
