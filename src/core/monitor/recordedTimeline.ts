import type { BenchMode } from '../bench/events';
import type { MonitorSample } from './monitor';

/** Points kept per series of a stored run: a run of any length costs at most this many numbers a series. */
export const RECORDED_POINTS = 240;
/** Mode spans kept per stored run (a run with repeats has a span per repetition). */
const RECORDED_SPANS = 400;

/**
 * The machine's load split in cores' worth (1 = one core kept busy): `own`, the CPU of the run's process
 * tree; `other`, what every core was busy with beyond that (other programs). Readings of the cores and of
 * the processes are taken a few microseconds apart, so `own` may exceed the cores' busy time by a little:
 * `other` never goes below 0, and `own` never above the core count.
 */
export function loadSplit(sample: Pick<MonitorSample, 'cores' | 'processes'>): { own: number; other: number } {
  const busy = sample.cores.reduce((total, utilization) => total + utilization, 0);
  const ownCpu = sample.processes.reduce((total, process) => total + process.cpu, 0) / 100;
  const own = Math.min(ownCpu, sample.cores.length);
  return { own, other: Math.max(0, busy - own) };
}

/** A mode's run on a timeline, ms on the monitor's clock; `endMs` null while it goes (or when it never ended). */
export interface RecordedSpan {
  mode: BenchMode;
  workers: number;
  startMs: number;
  endMs: number | null;
  failed: boolean;
}

/** A run's timeline as stored with its record: each point the mean of the samples it stands for. */
export interface RecordedTimeline {
  cores: number;
  /** ms since the monitor started. */
  times: number[];
  /** The run's processes' CPU, cores' worth. */
  own: number[];
  /** Other programs' CPU, cores' worth. */
  other: number[];
  /** Resident memory of the run's processes, MB. */
  rssMb: number[];
  spans: RecordedSpan[];
}

interface Point {
  t: number;
  own: number;
  other: number;
  rssMb: number;
}

const SERIES = ['t', 'own', 'other', 'rssMb'] as const;

function mean(points: readonly Point[]): Point {
  const point: Point = { t: 0, own: 0, other: 0, rssMb: 0 };
  for (const key of SERIES) point[key] = points.reduce((total, each) => total + each[key], 0) / points.length;
  return point;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Records a run's samples into at most RECORDED_POINTS points, in constant memory: when the points are
 * full, neighbours are merged in pairs and each point from then on stands for twice as many samples.
 */
export class TimelineRecorder {
  private readonly points: Point[] = [];
  private pending: Point[] = [];
  private samplesPerPoint = 1;
  private cores = 0;
  private readonly spans: RecordedSpan[] = [];
  private lastSampleMs: number | null = null;
  private lastSampleReceivedAt = 0;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  add(sample: MonitorSample): void {
    const { own, other } = loadSplit(sample);
    this.cores = Math.max(this.cores, sample.cores.length);
    this.pending.push({ t: sample.t, own, other, rssMb: sample.processes.reduce((total, process) => total + process.rssBytes, 0) / 2 ** 20 });
    this.lastSampleMs = sample.t;
    this.lastSampleReceivedAt = this.clock();
    if (this.pending.length < this.samplesPerPoint) return;
    this.points.push(mean(this.pending));
    this.pending = [];
    if (this.points.length < RECORDED_POINTS) return;
    const merged: Point[] = [];
    for (let index = 0; index < this.points.length; index += 2) merged.push(mean(this.points.slice(index, index + 2)));
    this.points.splice(0, this.points.length, ...merged);
    this.samplesPerPoint *= 2;
  }

  /** Events carry no clock: a span starts at the last sample's time plus the time since it came. */
  startSpan(mode: BenchMode, workers: number): void {
    if (this.spans.length < RECORDED_SPANS) this.spans.push({ mode, workers, startMs: this.now(), endMs: null, failed: false });
  }

  endSpan(mode: BenchMode, workers: number, failed: boolean): void {
    let index = this.spans.length - 1;
    while (index >= 0 && !(this.spans[index]?.mode === mode && this.spans[index]?.workers === workers && this.spans[index]?.endMs === null)) index--;
    const span = this.spans[index];
    if (!span) return;
    span.endMs = this.now();
    span.failed = failed;
  }

  /** What to store; undefined before the first sample. */
  result(): RecordedTimeline | undefined {
    const points = this.pending.length > 0 ? [...this.points, mean(this.pending)] : this.points;
    if (points.length === 0) return undefined;
    return {
      cores: this.cores,
      times: points.map((point) => Math.round(point.t)),
      own: points.map((point) => round(point.own, 2)),
      other: points.map((point) => round(point.other, 2)),
      rssMb: points.map((point) => round(point.rssMb, 1)),
      spans: this.spans.map((span) => ({ ...span, startMs: Math.round(span.startMs), endMs: span.endMs === null ? null : Math.round(span.endMs) })),
    };
  }

  private now(): number {
    if (this.lastSampleMs === null) return 0;
    return this.lastSampleMs + (this.clock() - this.lastSampleReceivedAt);
  }
}
