/**
 * The panel page's state and what it shows, without the DOM: the messages from the extension go in, the
 * state, the timeline and the texts of the results come out. Tested in plain Node (test/unit/panelState.test.ts).
 */
import type { HarnessEvent, InputErrorEvent } from '../core/bench/events';
import { formatPercent, formatSeconds, formatSpeedup } from '../core/bench/numbers';
import type { PanelRecord, PanelRunInfo, ToPanel } from '../core/bench/panelProtocol';
import { interpreterLabel, type BenchRecord } from '../core/bench/record';
import { Timeline, type TimelineSnapshot } from './timeline';

/** `running`: live; `ended`: live charts and results; `shown`: a stored run, results and its stored timeline. */
export type Phase = 'empty' | 'running' | 'ended' | 'shown';

export interface PanelState {
  version: typeof STATE_VERSION;
  phase: Phase;
  run: PanelRunInfo | null;
  record: PanelRecord | null;
  timeline: TimelineSnapshot | null;
  python: string | null;
  status: string;
  /** Share of the whole run done, 0..1. */
  progress: number;
  runsEnded: number;
  /** The highest round the events named; 0 when they name none (a harness that runs each configuration once). */
  round: number;
  inputError: InputErrorEvent | null;
  perProcess: boolean;
  /** The dask mode's cluster, once it is up (absent from states saved before it). */
  cluster?: { scheduler: string; local: boolean; workers: number } | null;
}

/** 2: the timeline snapshot has the load split and the core count. */
const STATE_VERSION = 2;
/** The fewest rounds a configuration runs (the protocol repeats more while repetitions disagree). */
const MIN_ROUNDS = 3;

export function emptyState(): PanelState {
  return { version: STATE_VERSION, phase: 'empty', run: null, record: null, timeline: null, python: null, status: '', progress: 0, runsEnded: 0, round: 0, inputError: null, perProcess: false };
}

/** A state VS Code kept for the page, if it is one this page wrote; an empty one otherwise. */
export function restoredState(stored: unknown): PanelState {
  return typeof stored === 'object' && stored !== null && (stored as { version?: unknown }).version === STATE_VERSION ? (stored as PanelState) : emptyState();
}

/**
 * How many runs a benchmark makes at least: every configuration (sequential once, every other mode once
 * per worker count), once, or once per round when its events name rounds (at least MIN_ROUNDS of them).
 */
export function plannedRuns(run: PanelRunInfo, round: number): number {
  const configurations = run.modes.reduce((total, mode) => total + (mode === 'sequential' ? 1 : run.workers.length), 0);
  return configurations * (round > 0 ? Math.max(MIN_ROUNDS, round) : 1);
}

export function spanLabel(span: { mode: string; workers: number }): string {
  return span.mode === 'sequential' ? 'sequential' : `${span.mode} ×${span.workers}`;
}

/** What a message changed: what to redraw, and whether to save the state now or soon (samples come ten times a second). */
export interface Changes {
  header: boolean;
  charts: boolean;
  /** The charts start over (a new run, a stored run shown). */
  clearCharts: boolean;
  results: boolean;
  save: 'now' | 'soon' | 'no';
}

const NOTHING: Changes = { header: false, charts: false, clearCharts: false, results: false, save: 'no' };

/** The page's model: the state VS Code keeps for it, and the live timeline. */
export class PanelModel {
  state: PanelState;
  timeline: Timeline;
  /** Stop was clicked and the run has not ended yet. */
  stopRequested = false;

  constructor(stored: unknown) {
    this.state = restoredState(stored);
    this.timeline = this.state.timeline ? Timeline.fromSnapshot(this.state.timeline) : new Timeline();
  }

  /** The state to save, with the live timeline's snapshot (none for a stored run: it comes with its record). */
  stateToSave(): PanelState {
    this.state.timeline = this.state.phase === 'running' || this.state.phase === 'ended' ? this.timeline.snapshot() : null;
    return this.state;
  }

  /** Whether the charts section shows: live, or with data (a run that ended while no page was there to draw it has none). */
  get chartsShown(): boolean {
    return this.state.phase === 'running' || (this.state.phase !== 'empty' && this.timeline.length > 0);
  }

  receive(message: ToPanel): Changes {
    switch (message.kind) {
      case 'start':
        this.timeline = new Timeline();
        this.stopRequested = false;
        this.state = { ...emptyState(), phase: 'running', run: message.run, status: 'Starting…', perProcess: this.state.perProcess };
        return { header: true, charts: true, clearCharts: true, results: true, save: 'now' };
      case 'sample':
        if (this.state.phase !== 'running') return NOTHING;
        this.timeline.append(message.sample);
        return { ...NOTHING, charts: true, save: 'soon' };
      case 'event':
        return this.state.phase === 'running' ? this.onEvent(message.event) : NOTHING;
      case 'end':
        this.timeline.closeOpenSpans();
        this.stopRequested = false;
        this.state = { ...this.state, phase: 'ended', record: message.record, progress: 1, status: endStatus(message.record, 'Finished') };
        return { header: true, charts: true, clearCharts: false, results: true, save: 'now' };
      case 'interrupted':
        if (this.state.phase !== 'running' || this.state.run?.id !== message.runId) return NOTHING;
        this.timeline.closeOpenSpans();
        this.stopRequested = false;
        this.state = { ...this.state, phase: 'ended', status: 'Interrupted: the window was reloaded before the run finished' };
        return { header: true, charts: true, clearCharts: false, results: true, save: 'now' };
      case 'show':
        this.timeline = message.record.timeline ? Timeline.fromRecorded(message.record.timeline) : new Timeline();
        this.stopRequested = false;
        this.state = { ...emptyState(), phase: 'shown', record: message.record, status: endStatus(message.record, 'Stored run'), perProcess: this.state.perProcess };
        return { header: true, charts: true, clearCharts: true, results: true, save: 'now' };
    }
  }

  private onEvent(event: HarnessEvent): Changes {
    const state = this.state;
    const round = (event as { round?: unknown }).round;
    if (typeof round === 'number') state.round = Math.max(state.round, round);
    const total = state.run ? plannedRuns(state.run, state.round) : 1;
    const roundText = typeof round === 'number' ? ` · round ${round}` : '';
    switch (event.type) {
      case 'hello':
        state.python = interpreterLabel(event);
        break;
      case 'cluster':
        state.cluster = { scheduler: event.scheduler, local: event.local, workers: event.workers };
        state.status = `Dask: ${clusterLabel(state.cluster)}, one round trip ${formatSeconds(event.roundTripSeconds)}`;
        break;
      case 'cluster-metrics':
        this.timeline.setClusterMetrics(event.workers);
        return { ...NOTHING, charts: true, save: 'soon' };
      case 'run-start':
        this.timeline.startSpan(event.mode, event.workers);
        state.status = `${spanLabel(event)}: starting${roundText}`;
        break;
      case 'progress': {
        const current = event.total > 0 ? event.done / event.total : 0;
        // More rounds than planned when repetitions disagree: the bar waits short of the end.
        state.progress = Math.min(0.99, (state.runsEnded + current) / total);
        state.status = `${spanLabel(event)}: ${event.done} / ${event.total} tasks${roundText} · run ${state.runsEnded + 1} of ${Math.max(total, state.runsEnded + 1)}`;
        break;
      }
      case 'run-end':
        this.timeline.endSpan(event.mode, event.workers, event.error !== null);
        state.runsEnded += 1;
        state.progress = Math.min(0.99, state.runsEnded / total);
        state.status = event.error ? `${spanLabel(event)} failed: ${event.error.exception}` : `${spanLabel(event)}: ${formatSeconds(event.wallSeconds)}${roundText}`;
        break;
      case 'error':
        state.inputError = event;
        state.status = 'The run could not start';
        break;
      default:
        return NOTHING;
    }
    return { header: true, charts: true, clearCharts: false, results: false, save: event.type === 'progress' ? 'soon' : 'now' };
  }
}

/** `a LocalCluster of 2 workers`, `4 workers of tcp://10.0.0.5:8786`. */
export function clusterLabel(cluster: { scheduler: string; local: boolean; workers: number }): string {
  const workers = `${cluster.workers} worker${cluster.workers === 1 ? '' : 's'}`;
  return cluster.local ? `a LocalCluster of ${workers}` : `${workers} of ${cluster.scheduler}`;
}

/** A Dask worker's reading as the cluster chart's note says it: `tcp://127.0.0.1:4567: 0.9 cores, 95 MB of 6.3 GB`. */
export function clusterWorkerText(worker: { address: string; cpu: number; memory: number | null; memoryLimit: number | null }): string {
  const megabytes = (bytes: number): string => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.round(bytes / 2 ** 20)} MB`);
  const memory = worker.memory === null ? '' : `, ${megabytes(worker.memory)}${worker.memoryLimit ? ` of ${megabytes(worker.memoryLimit)}` : ''}`;
  return `${worker.address}: ${worker.cpu.toFixed(1)} cores${memory}`;
}

function endStatus(record: BenchRecord, otherwise: string): string {
  return record.stopped ? `Stopped: ${record.stopped}` : otherwise;
}

/** Fields the measurement protocol adds to a configuration's run; absent from runs stored before it. */
type MeasuredRun = BenchRecord['runs'][number] & { repeats?: number; spread?: number; speedupSpread?: number | null };

/** A row of the results table, every number written for people. */
export interface ResultRow {
  mode: string;
  best: boolean;
  cells: { workers: string; wall: string; cpu: string; speedup: string; efficiency: string; gilWait: string; error: string };
}

export const RESULT_HEADINGS = ['mode', 'workers', 'wall time', 'CPU time', 'speedup', 'efficiency', 'GIL wait', 'error'] as const;

export function resultRows(record: BenchRecord): ResultRow[] {
  const best = record.best;
  return record.runs.map((run: MeasuredRun) => {
    const over = run.repeats !== undefined && run.repeats > 1 ? ` (${run.repeats}×)` : '';
    return {
      mode: run.mode,
      best: best !== null && run.mode === best.mode && run.workers === best.workers && run.error === null,
      cells: {
        workers: String(run.workers),
        wall: `${formatSeconds(run.wallSeconds)}${run.spread === undefined ? '' : ` ± ${formatSeconds(run.spread)}`}${over}`,
        cpu: formatSeconds(run.cpuSeconds),
        speedup: `${formatSpeedup(run.speedup)}${run.speedup !== null && typeof run.speedupSpread === 'number' ? ` ± ${run.speedupSpread.toFixed(2)}` : ''}`,
        efficiency: formatPercent(run.efficiency),
        gilWait: formatPercent(run.gilContention),
        error: run.error ?? '',
      },
    };
  });
}

/** The measured verdict as the panel words it. */
export interface MeasuredVerdictText {
  /** `use processes`, `inconclusive`, `no verdict`. */
  headline: string;
  reason: string;
  inconclusive: boolean;
  /** Against the static verdict; null when there is nothing to compare. */
  agreement: string | null;
}

export function measuredVerdict(record: BenchRecord & { inconclusive?: string }): MeasuredVerdictText {
  const inconclusive = typeof record.inconclusive === 'string';
  const agrees = !record.recommendation || !record.staticVerdict ? null : record.staticVerdict.recommendation === record.recommendation;
  return {
    headline: record.recommendation ? `use ${record.recommendation}` : inconclusive ? 'inconclusive' : 'no verdict',
    reason: record.inconclusive ?? record.reason,
    inconclusive,
    agreement: agrees === null ? null : agrees ? 'agrees' : 'disagrees: the measurement settles it',
  };
}
