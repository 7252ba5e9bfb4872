import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { JOBS_FILE } from '../expected';
import type { RunRecord } from '../../../src/extension/runHistory';
import { api, waitFor, workspaceFile } from './helpers';

type RunsView = vscode.TreeDataProvider<unknown>;

describe('benchmarks from the editor (the real interpreter)', function () {
  this.timeout(120_000);
  const uri = workspaceFile(JOBS_FILE);
  // The runs' stored results would add a `measured:` lens the editor suite does not expect.
  after(() => vscode.commands.executeCommand('concurrencyLens.clearMeasured'));

  it('Compare runs every mode, stores the run with the static verdict beside the measured one, and lists it', async () => {
    const lens = await api();
    const before = lens.runs.list().length;
    const posted = lens.panelMessages().length;
    const run = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.compare', uri, 'count_primes', { call: 'count_primes(30_000 + i)', tasks: 4, workers: [2] });
    assert.ok(run, 'the run completed');
    assert.deepEqual(run.runs.map((r) => `${r.mode}x${r.workers}`), ['sequentialx1', 'threadsx2', 'processesx2']);
    assert.ok(run.runs.every((r) => r.error === null && r.wallSeconds > 0));
    assert.deepEqual(run.staticVerdict, { verdict: 'cpu', recommendation: 'processes' });
    // A verdict, or (on a busy machine) inconclusive with its reason: never neither.
    assert.ok(run.recommendation !== null || (run.inconclusive !== undefined && run.reason === run.inconclusive), run.reason);
    assert.equal(run.target.file, JOBS_FILE);
    assert.equal(lens.runs.list().length, before + 1);
    assert.equal(lens.runs.list()[0]?.id, run.id, 'newest first');
    const view = lens.views.runs as RunsView;
    const items = await Promise.all(((await view.getChildren()) ?? []).map((element) => view.getTreeItem(element)));
    assert.equal(items[0]?.label, 'count_primes');
    assert.match(String(items[0]?.description), /^(use (processes|threads|sequential)|inconclusive) · /);

    // The live panel opened with the first run, got monitor samples and the harness's events, then the results.
    const kinds = lens.panelMessages().slice(posted);
    assert.equal(kinds[0], 'start');
    assert.equal(kinds.at(-1), 'end');
    assert.ok(kinds.includes('sample'), `monitor samples reached the panel: ${kinds.join(' ')}`);
    assert.ok(kinds.filter((kind) => kind === 'event').length >= 6, 'run-start and run-end of each of the three runs');
    // Stored with its timeline, so that opening it from the Runs view draws it again.
    assert.ok(run.timeline && run.timeline.times.length > 0 && run.timeline.own.length === run.timeline.times.length, JSON.stringify(run.timeline));
    // One band per repetition: every configuration once per round, in rotating order.
    const bands = run.timeline.spans.map((span) => `${span.mode}x${span.workers}`);
    assert.deepEqual([...new Set(bands)], ['sequentialx1', 'threadsx2', 'processesx2']);
    assert.equal(bands.length, 3 * (run.protocol?.rounds ?? 0), bands.join(' '));
    assert.deepEqual(lens.runs.get(run.id)?.timeline, run.timeline);
  });

  it('closing the live panel mid-run leaves the run going; Show Live Monitor reopens it with the results', async () => {
    const lens = await api();
    const panelTabs = (): vscode.Tab[] =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Concurrency Lens: Benchmark');
    const posted = lens.panelMessages().length;
    const running = vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.compare', uri, 'count_primes', { call: 'count_primes(60_000 + i)', tasks: 8, workers: [2] });
    await waitFor('monitor samples in the panel', () => (lens.panelMessages().slice(posted).includes('sample') ? true : undefined));
    assert.equal(panelTabs().length, 1, 'the panel opened with the run');
    await vscode.window.tabGroups.close(panelTabs());
    const closedAt = lens.panelMessages().length;
    const run = await running;
    assert.ok(run && run.runs.length === 3 && run.runs.every((r) => r.error === null), `the run finished: ${JSON.stringify(run?.runs)}`);
    assert.equal(lens.panelMessages().length, closedAt, 'nothing is posted to a closed panel');
    assert.equal(run.timeline?.spans.length, 3 * (run.protocol?.rounds ?? 0), 'the timeline is recorded with the panel closed, to the end of the run (a band per configuration and round)');
    assert.ok(run.timeline.spans.every((span) => span.endMs !== null));
    assert.equal(lens.benchmarkRunning(), undefined);

    await vscode.commands.executeCommand('concurrencyLens.showMonitor');
    await waitFor('the panel again', () => (panelTabs().length === 1 ? true : undefined));
    assert.deepEqual(lens.panelMessages().slice(closedAt), ['show'], 'reopened with the latest run\'s results');
  });

  it('Run in threads compares the thread pool with sequential only; the call is remembered', async () => {
    const run = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.runInThreads', uri, 'add', { call: 'add(i, 1)', tasks: 4, workers: [2] });
    assert.deepEqual(run?.runs.map((r) => r.mode), ['sequential', 'threads']);
    assert.equal(run?.recommendation, 'sequential', 'adding two numbers: no pool pays for itself');
  });

  it('a run that raises is kept with its error; one run at a time; Stop Benchmark stops a run and its processes', async () => {
    const failed = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.runInProcesses', uri, 'count_primes', { call: 'count_primes("ten")', tasks: 2, workers: [2] });
    assert.match(failed?.runs[0]?.error ?? '', /^TypeError/);

    const long = vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.runInProcesses', uri, 'fetch', { call: 'time.sleep(60)', tasks: 2, workers: [2] });
    const lens = await api();
    await waitFor('the long run to start', () => (lens.benchmarkRunning() === 'fetch' ? true : undefined));
    const second = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.runInThreads', uri, 'add', { call: 'add(i, 1)' });
    assert.equal(second, undefined, 'a second run is refused while one runs');
    await vscode.commands.executeCommand('concurrencyLens.stopBenchmark');
    const stopped = await long;
    assert.match(stopped?.stopped ?? '', /^cancelled/);
  });
});
