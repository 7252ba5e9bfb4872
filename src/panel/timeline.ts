import type { BenchMode, ClusterWorkerMetrics } from '../core/bench/events';
import type { MonitorSample } from '../core/monitor/monitor';
import { loadSplit, type RecordedTimeline } from '../core/monitor/recordedTimeline';

/** About two minutes at the monitor's 10 samples a second: memory stays flat however long a run goes. */
const TIMELINE_CAPACITY = 1200;
/** Points per series kept in the webview state: enough to redraw, small enough to save every second. */
const SNAPSHOT_POINTS = 600;
/** Samples further apart than this (the panel was hidden, the host stalled) are not joined by a line. */
const GAP_MS = 1000;

/** `cluster`: a Dask worker's CPU (% of one core), `cluster-memory`: its memory (MB), as the scheduler reports them. */
export type ColumnKind = 'core' | 'load' | 'cpu' | 'rss' | 'process' | 'thread' | 'cluster' | 'cluster-memory';

/** The cores chart's two series, % of one core: the run's processes, and other programs. */
export const OWN_LOAD = 'load:own';
export const OTHER_LOAD = 'load:other';

export interface ColumnInfo {
  key: string;
  kind: ColumnKind;
  /** Core number, `pid 1234`, or a thread's name (user text: drawn on canvas or set as text only). */
  label: string;
  pid: number;
  /** The highest value seen: idle threads are left off the chart. */
  peak: number;
}

interface Column extends ColumnInfo {
  values: Float64Array;
  /** The absolute row index of its last value; a column whose values have all aged out is dropped. */
  lastRow: number;
}

/** A mode's run on the timeline, from its `run-start` to its `run-end` (still open while it goes). */
export interface ModeSpan {
  mode: BenchMode;
  workers: number;
  startMs: number;
  endMs: number | null;
  failed: boolean;
}

export interface TimelineSnapshot {
  times: number[];
  /** Each column's values from row `from` on, rounded: a thread that lived for a second costs ten numbers. */
  columns: Array<Omit<ColumnInfo, 'peak'> & { from: number; values: Array<number | null> }>;
  spans: ModeSpan[];
  coreCount: number;
}

/**
 * The live samples as columns over a shared time axis, in fixed-size ring buffers. A process or thread
 * that was absent from a sample has a gap (NaN) there, so its line or lane breaks instead of lying.
 */
export class Timeline {
  private readonly times = new Float64Array(TIMELINE_CAPACITY);
  private readonly columns = new Map<string, Column>();
  /** Rows ever written; the next row goes to `rowsWritten % capacity`. */
  private rowsWritten = 0;
  private lastSampleMs: number | null = null;
  private lastSampleReceivedAt = 0;
  readonly spans: ModeSpan[] = [];
  /** The machine's cores, from the samples (the cores chart's height). */
  coreCount = 0;
  /**
   * The Dask workers' last metrics (about two a second, from the scheduler), held and written into every
   * sample's row while a dask run is on, so their lines run beside the local cores'.
   */
  private clusterMetrics: ClusterWorkerMetrics[] = [];

  get length(): number {
    return Math.min(this.rowsWritten, TIMELINE_CAPACITY);
  }

  /** The time (ms on the monitor's clock) of an event arriving now: events carry no clock of their own. */
  now(): number {
    if (this.lastSampleMs === null) return 0;
    return this.lastSampleMs + (performance.now() - this.lastSampleReceivedAt);
  }

  append(sample: MonitorSample): void {
    if (this.lastSampleMs !== null && sample.t - this.lastSampleMs > GAP_MS) this.writeRow((this.lastSampleMs + sample.t) / 2, []);
    const values: Array<[Column, number]> = [];
    sample.cores.forEach((utilization, core) => values.push([this.info(`core:${core}`, 'core', `core ${core}`, 0), utilization * 100]));
    this.coreCount = Math.max(this.coreCount, sample.cores.length);
    const { own, other } = loadSplit(sample);
    values.push([this.info(OWN_LOAD, 'load', 'this run', 0), own * 100], [this.info(OTHER_LOAD, 'load', 'other programs', 0), other * 100]);
    let cpu = 0;
    let rss = 0;
    for (const process of sample.processes) {
      cpu += process.cpu;
      rss += process.rssBytes;
      values.push([this.info(`process:${process.pid}`, 'process', `pid ${process.pid}`, process.pid), process.cpu]);
    }
    values.push([this.info('cpu', 'cpu', 'CPU %', 0), cpu], [this.info('rss', 'rss', 'RSS MB', 0), rss / 2 ** 20]);
    for (const thread of sample.threads) {
      values.push([this.info(`thread:${thread.pid}:${thread.tid}`, 'thread', thread.name || `tid ${thread.tid}`, thread.pid), thread.cpu]);
    }
    for (const worker of this.clusterMetrics) {
      values.push([this.info(`cluster:${worker.address}`, 'cluster', worker.address, 0), worker.cpu * 100]);
      if (worker.memory !== null) values.push([this.info(`cluster-memory:${worker.address}`, 'cluster-memory', worker.address, 0), worker.memory / 2 ** 20]);
    }
    this.writeRow(sample.t, values);
    this.lastSampleMs = sample.t;
    this.lastSampleReceivedAt = performance.now();
  }

  /** The scheduler's latest word on the Dask workers, shown from the next sample on. */
  setClusterMetrics(workers: readonly ClusterWorkerMetrics[]): void {
    this.clusterMetrics = [...workers];
  }

  startSpan(mode: BenchMode, workers: number): void {
    this.spans.push({ mode, workers, startMs: this.now(), endMs: null, failed: false });
  }

  endSpan(mode: BenchMode, workers: number, failed: boolean): void {
    const span = [...this.spans].reverse().find((candidate) => candidate.mode === mode && candidate.workers === workers && candidate.endMs === null);
    if (!span) return;
    span.endMs = this.now();
    span.failed = failed;
    if (mode === 'dask') this.clusterMetrics = [];
  }

  /** Closes a span left open by a run that was stopped or crashed. */
  closeOpenSpans(): void {
    for (const span of this.spans) if (span.endMs === null) span.endMs = this.now();
  }

  columnInfos(kind: ColumnKind): ColumnInfo[] {
    return [...this.columns.values()].filter((column) => column.kind === kind);
  }

  /** Seconds since the monitor started, oldest first. */
  xValues(): number[] {
    return this.ordered(this.times).map((ms) => ms / 1000);
  }

  /** A column's values, oldest first, null where it had none. */
  values(key: string): Array<number | null> {
    const column = this.columns.get(key);
    if (!column) return new Array<number | null>(this.length).fill(null);
    return this.ordered(column.values).map((value) => (Number.isNaN(value) ? null : value));
  }

  /** At most SNAPSHOT_POINTS points per series, each the mean of the samples it stands for. */
  snapshot(): TimelineSnapshot {
    const times = this.ordered(this.times);
    const binSize = Math.max(1, Math.ceil(times.length / SNAPSHOT_POINTS));
    const bins = (values: number[]): number[] => {
      const means: number[] = [];
      for (let start = 0; start < values.length; start += binSize) {
        const present = values.slice(start, start + binSize).filter((value) => !Number.isNaN(value));
        means.push(present.length === 0 ? NaN : present.reduce((sum, value) => sum + value, 0) / present.length);
      }
      return means;
    };
    const trimmed = (values: number[]): { from: number; values: Array<number | null> } => {
      const from = values.findIndex((value) => !Number.isNaN(value));
      if (from < 0) return { from: 0, values: [] };
      const to = values.length - [...values].reverse().findIndex((value) => !Number.isNaN(value));
      return { from, values: values.slice(from, to).map((value) => (Number.isNaN(value) ? null : Math.round(value))) };
    };
    return {
      times: bins(times).map((ms) => Math.round(ms)),
      columns: [...this.columns.values()].map(({ key, kind, label, pid, values }) => ({ key, kind, label, pid, ...trimmed(bins(this.ordered(values))) })),
      spans: this.spans.map((span) => ({ ...span })),
      coreCount: this.coreCount,
    };
  }

  static fromSnapshot(snapshot: TimelineSnapshot): Timeline {
    const timeline = new Timeline();
    snapshot.times.forEach((ms, row) => {
      const values: Array<[Column, number]> = [];
      for (const column of snapshot.columns) {
        const value = column.values[row - column.from];
        if (value !== null && value !== undefined) values.push([timeline.info(column.key, column.kind, column.label, column.pid), value]);
      }
      timeline.writeRow(ms, values);
      timeline.lastSampleMs = ms;
    });
    timeline.lastSampleReceivedAt = performance.now();
    timeline.spans.push(...snapshot.spans);
    timeline.coreCount = snapshot.coreCount;
    return timeline;
  }

  /** A stored run's timeline: the load split, the process tree's CPU and memory, the modes (no threads). */
  static fromRecorded(recorded: RecordedTimeline): Timeline {
    const timeline = new Timeline();
    const points = Math.min(recorded.times.length, TIMELINE_CAPACITY);
    for (let row = 0; row < points; row++) {
      const own = (recorded.own[row] ?? 0) * 100;
      timeline.writeRow(recorded.times[row] ?? 0, [
        [timeline.info(OWN_LOAD, 'load', 'this run', 0), own],
        [timeline.info(OTHER_LOAD, 'load', 'other programs', 0), (recorded.other[row] ?? 0) * 100],
        [timeline.info('cpu', 'cpu', 'CPU %', 0), own],
        [timeline.info('rss', 'rss', 'RSS MB', 0), recorded.rssMb[row] ?? 0],
      ]);
      timeline.lastSampleMs = recorded.times[row] ?? 0;
    }
    timeline.lastSampleReceivedAt = performance.now();
    timeline.coreCount = recorded.cores;
    timeline.spans.push(...recorded.spans.map((span) => ({ ...span })));
    timeline.closeOpenSpans();
    return timeline;
  }

  private info(key: string, kind: ColumnKind, label: string, pid: number): Column {
    let column = this.columns.get(key);
    if (!column) {
      column = { key, kind, label, pid, peak: 0, values: new Float64Array(TIMELINE_CAPACITY).fill(NaN), lastRow: -1 };
      this.columns.set(key, column);
    }
    // Threads are often named after they start; the latest name is the one people recognize.
    column.label = label;
    return column;
  }

  private writeRow(ms: number, values: Array<[Column, number]>): void {
    const row = this.rowsWritten;
    const slot = row % TIMELINE_CAPACITY;
    this.times[slot] = ms;
    for (const column of this.columns.values()) column.values[slot] = NaN;
    for (const [column, value] of values) {
      column.values[slot] = value;
      column.lastRow = row;
      column.peak = Math.max(column.peak, value);
    }
    this.rowsWritten += 1;
    for (const [key, column] of this.columns) if (column.lastRow <= this.rowsWritten - 1 - TIMELINE_CAPACITY) this.columns.delete(key);
    const oldestMs = this.times[(this.rowsWritten - this.length) % TIMELINE_CAPACITY] ?? 0;
    while (this.spans.length > 0 && (this.spans[0]?.endMs ?? Infinity) < oldestMs) this.spans.shift();
  }

  private ordered(ring: Float64Array): number[] {
    const start = (this.rowsWritten - this.length) % TIMELINE_CAPACITY;
    const result = new Array<number>(this.length);
    for (let row = 0; row < this.length; row++) result[row] = ring[(start + row) % TIMELINE_CAPACITY] as number;
    return result;
  }
}
