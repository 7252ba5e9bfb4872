import uPlot from 'uplot';
import { h, replaceChildren } from './dom';
import { type Palette, withAlpha } from './theme';
import { clusterWorkerText, spanLabel } from './state';
import { OTHER_LOAD, OWN_LOAD, type ColumnInfo, type Timeline } from './timeline';

/** Every live chart gets the same axis widths, so their time axes line up under each other. */
const LEFT_AXIS = 190;
const RIGHT_AXIS = 70;
const TIME_AXIS = 26;
/** Room above the cores chart for the mode labels. */
const LABEL_ROWS_HEIGHT = 34;
/** Share of a lane's height that 100 % fills: a gap keeps neighbouring lanes apart. */
const LANE_FILL = 0.82;
/** A thread that never used more than this (% of a core) is bookkeeping (pool managers, queue feeders). */
const IDLE_THREAD_PEAK = 5;
/** Beyond this many busy threads the oldest are left off: a lane must stay tall enough to read. */
const MAX_THREAD_LANES = 32;
/** Lanes shorter than this get a label every few lanes, so labels never overprint. */
const LABEL_HEIGHT = 14;

/** How tall lanes are: `budget` pixels shared out, within `min`–`max` each. */
interface LaneSizing {
  budget: number;
  min: number;
  max: number;
}
const THREAD_LANES: LaneSizing = { budget: 360, min: LABEL_HEIGHT, max: 30 };
const SYNC_KEY = 'concurrency-lens-live';

interface Lane {
  key: string;
  label: string;
  color: string;
}

interface ChartSlot {
  host: HTMLElement;
  note: HTMLElement;
  plot: uPlot | null;
  /** What the chart was built for (its series, labels, palette); a change rebuilds it. */
  shape: string;
}

/** Cuts the middle out: thread names differ at their ends (`ThreadPoolExecutor-1_0`, `-1_1`). */
function ellipsize(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/**
 * The live charts: per-core utilization lanes, the process tree's CPU and memory, per-thread CPU lanes,
 * each with the modes' runs drawn behind the data.
 */
export class LiveCharts {
  readonly element: HTMLElement;
  private readonly cores: ChartSlot;
  private readonly processes: ChartSlot;
  private readonly threads: ChartSlot;
  private readonly cluster: ChartSlot;
  private readonly clusterTitle: HTMLElement;
  private readonly perProcess: HTMLInputElement;
  private timeline: Timeline | null = null;
  private palette: Palette;

  constructor(palette: Palette, onPerProcessToggle: () => void) {
    this.palette = palette;
    this.cores = this.slot();
    this.processes = this.slot();
    this.threads = this.slot();
    this.cluster = this.slot();
    this.clusterTitle = h('h2', {}, 'Dask workers', h('span', { className: 'subtitle' }, 'CPU of each worker of the cluster, as its scheduler reports it (remote workers too)'));
    this.perProcess = h('input', { attrs: { type: 'checkbox', id: 'per-process' } });
    this.perProcess.addEventListener('change', onPerProcessToggle);
    this.element = h(
      'section',
      { className: 'live' },
      h('h2', {}, 'Cores', h('span', { className: 'subtitle' }, 'cores kept busy by this run’s processes, and by other programs on top')),
      this.cores.host,
      this.cores.note,
      h(
        'h2',
        {},
        'Process tree',
        h('span', { className: 'subtitle' }, 'CPU % summed over the run’s processes (100 % = one core) and their memory'),
        h('label', { className: 'toggle' }, this.perProcess, 'per process'),
      ),
      this.processes.host,
      this.processes.note,
      h('h2', {}, 'Python threads', h('span', { className: 'subtitle' }, 'CPU of each thread; a process’s threads share a colour. Busy threads adding up to one core: the GIL')),
      this.threads.host,
      this.threads.note,
      this.clusterTitle,
      this.cluster.host,
      this.cluster.note,
    );
    this.clusterTitle.hidden = true;
  }

  get perProcessShown(): boolean {
    return this.perProcess.checked;
  }

  set perProcessShown(shown: boolean) {
    this.perProcess.checked = shown;
  }

  /** A new theme: the charts are rebuilt with its colours at the next render. */
  setPalette(palette: Palette): void {
    this.palette = palette;
    for (const slot of [this.cores, this.processes, this.threads, this.cluster]) slot.shape = '';
  }

  clear(): void {
    for (const slot of [this.cores, this.processes, this.threads, this.cluster]) {
      slot.plot?.destroy();
      slot.plot = null;
      slot.shape = '';
      replaceChildren(slot.note);
    }
    this.timeline = null;
  }

  resize(): void {
    for (const slot of [this.cores, this.processes, this.threads, this.cluster]) {
      slot.plot?.setSize({ width: this.widthOf(slot), height: slot.plot.height });
    }
  }

  render(timeline: Timeline): void {
    this.timeline = timeline;
    if (timeline.length === 0) {
      replaceChildren(this.cores.note, 'Waiting for the first sample…');
      return;
    }
    const x = timeline.xValues();
    this.renderCores(x, timeline);
    this.renderProcesses(x, timeline);
    const allThreads = timeline.columnInfos('thread');
    const busyThreads = allThreads.filter((thread) => thread.peak >= IDLE_THREAD_PEAK);
    const shownThreads = busyThreads.slice(-MAX_THREAD_LANES);
    this.renderLanes(this.threads, this.threadLanes(shownThreads), x, timeline, 'threads', THREAD_LANES);
    const idle = allThreads.length - busyThreads.length;
    const older = busyThreads.length - shownThreads.length;
    replaceChildren(
      this.threads.note,
      allThreads.length === 0
        ? timeline.columnInfos('core').length === 0 && timeline.coreCount > 0
          ? 'Threads are not kept with a stored run.'
          : 'No per-thread readings: they come from /proc, on Linux only.'
        : [
            older > 0 ? `${older} earlier busy thread${older === 1 ? '' : 's'} not shown (at most ${MAX_THREAD_LANES} lanes).` : '',
            idle > 0 ? `${idle} idle thread${idle === 1 ? '' : 's'} (never above ${IDLE_THREAD_PEAK} % of a core) not shown.` : '',
          ]
            .filter(Boolean)
            .join(' '),
    );
    this.renderCluster(x, timeline);
  }

  /** The Dask workers' lanes: shown only for a run that had a cluster. */
  private renderCluster(x: number[], timeline: Timeline): void {
    const workers = timeline.columnInfos('cluster');
    this.clusterTitle.hidden = workers.length === 0;
    this.cluster.host.hidden = workers.length === 0;
    if (workers.length === 0) {
      replaceChildren(this.cluster.note);
      return;
    }
    const colors = this.palette.processes;
    const lanes = workers.slice(-MAX_THREAD_LANES).map((worker, index) => ({ key: worker.key, label: ellipsize(worker.label, 28), color: colors[index % colors.length] ?? this.palette.blue }));
    this.renderLanes(this.cluster, lanes, x, timeline, 'cluster', THREAD_LANES);
    const latest = (key: string): number | null => [...timeline.values(key)].reverse().find((value) => value !== null) ?? null;
    replaceChildren(
      this.cluster.note,
      workers
        .map((worker) => {
          const memory = latest(`cluster-memory:${worker.label}`);
          return clusterWorkerText({ address: worker.label, cpu: (latest(worker.key) ?? 0) / 100, memory: memory === null ? null : memory * 2 ** 20, memoryLimit: null });
        })
        .join(' · '),
    );
  }

  private slot(): ChartSlot {
    return { host: h('div', { className: 'chart' }), note: h('p', { className: 'note' }), plot: null, shape: '' };
  }

  private widthOf(slot: ChartSlot): number {
    return Math.max(320, slot.host.clientWidth || this.element.clientWidth);
  }

  private threadLanes(threads: ColumnInfo[]): Lane[] {
    const pids = [...new Set(threads.map((thread) => thread.pid))];
    const colors = this.palette.processes;
    return threads.map((thread) => ({
      key: thread.key,
      label: `${ellipsize(thread.label, 22)} · ${thread.pid}`,
      color: colors[pids.indexOf(thread.pid) % colors.length] ?? this.palette.blue,
    }));
  }

  /**
   * The machine's load, stacked: this run's processes at the bottom, other programs on top, in cores.
   * On a busy machine the cores sit at 100 % either way; the split says whose work it was.
   */
  private renderCores(x: number[], timeline: Timeline): void {
    const slot = this.cores;
    const coreCount = Math.max(1, timeline.coreCount);
    const toCores = (value: number | null): number | null => (value === null ? null : value / 100);
    const own = timeline.values(OWN_LOAD).map(toCores);
    const other = timeline.values(OTHER_LOAD).map(toCores);
    const data: uPlot.AlignedData = [x, own.map((value, index) => (value === null ? null : value + (other[index] ?? 0))), own];
    const shape = `cores|${coreCount}`;
    replaceChildren(slot.note, own.some((value) => value !== null) ? '' : 'No reading of the run’s processes yet.');
    if (slot.plot && slot.shape === shape) {
      slot.plot.setData(data);
      return;
    }
    slot.plot?.destroy();
    slot.shape = shape;
    const coresText = (value: number | null | undefined): string => (value === null || value === undefined ? '' : `${value.toFixed(1)} of ${coreCount}`);
    const options: uPlot.Options = {
      width: this.widthOf(slot),
      height: 150 + LABEL_ROWS_HEIGHT,
      padding: [LABEL_ROWS_HEIGHT, RIGHT_AXIS, 0, 0],
      legend: { live: true },
      cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false }, y: { range: [0, coreCount] } },
      axes: [
        this.timeAxis(),
        {
          size: LEFT_AXIS,
          stroke: this.palette.foreground,
          font: this.font(11),
          grid: { stroke: withAlpha(this.palette.grid, 0.5), width: 1 },
          ticks: { show: false },
          splits: () => Array.from({ length: coreCount + 1 }, (_, cores) => cores),
          values: (_plot, splits) => splits.map((cores) => `${cores} core${cores === 1 ? '' : 's'}`),
        },
      ],
      series: [
        { label: 'time', value: (_plot, value) => (value === null ? '' : `${value.toFixed(1)} s`) },
        {
          // Drawn as the total, under the run's own share: what shows above it is the others' load.
          label: 'other programs',
          stroke: withAlpha(this.palette.foreground, 0.6),
          width: 1,
          fill: withAlpha(this.palette.foreground, 0.32),
          points: { show: false },
          value: (plot, total, _series, index) => {
            const own = index === null ? null : plot.data[2]?.[index];
            return total === null || own === null || own === undefined ? '' : coresText(Math.max(0, total - own));
          },
        },
        {
          label: 'this run',
          stroke: this.palette.orange,
          width: 1.5,
          fill: withAlpha(this.palette.orange, 0.45),
          points: { show: false },
          value: (_plot, value) => coresText(value),
        },
      ],
      plugins: [this.spansPlugin(true, 0)],
    };
    slot.plot = new uPlot(options, data, slot.host);
  }

  private renderLanes(slot: ChartSlot, lanes: Lane[], x: number[], timeline: Timeline, name: string, sizing: LaneSizing): void {
    if (lanes.length === 0) {
      slot.plot?.destroy();
      slot.plot = null;
      slot.shape = '';
      return;
    }
    const count = lanes.length;
    const data: uPlot.AlignedData = [
      x,
      ...lanes.map((lane, index) => {
        const base = count - 1 - index;
        return timeline.values(lane.key).map((value) => (value === null ? null : base + (Math.min(Math.max(value, 0), 100) / 100) * LANE_FILL));
      }),
    ];
    const shape = `${name}|${lanes.map((lane) => `${lane.key}=${lane.label}=${lane.color}`).join('|')}`;
    if (slot.plot && slot.shape === shape) {
      slot.plot.setData(data);
      return;
    }
    slot.plot?.destroy();
    slot.shape = shape;
    const laneHeight = Math.max(sizing.min, Math.min(sizing.max, Math.floor(sizing.budget / count)));
    const labelEvery = Math.ceil(LABEL_HEIGHT / laneHeight);
    const labelled = lanes.map((lane, index) => ({ lane, index })).filter(({ index }) => index % labelEvery === 0);
    const top = 8;
    const options: uPlot.Options = {
      width: this.widthOf(slot),
      height: count * laneHeight + top + TIME_AXIS,
      padding: [top, RIGHT_AXIS, 0, 0],
      legend: { show: false },
      cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false }, y: { range: [0, count] } },
      axes: [
        this.timeAxis(),
        {
          size: LEFT_AXIS,
          stroke: this.palette.foreground,
          font: this.font(11),
          gap: 6,
          grid: { show: false },
          ticks: { show: false },
          splits: () => labelled.map(({ index }) => count - 1 - index + LANE_FILL / 2),
          values: () => labelled.map(({ lane }) => lane.label),
        },
      ],
      series: [
        {},
        ...lanes.map((lane, index): uPlot.Series => ({
          label: lane.label,
          stroke: lane.color,
          width: 1,
          fill: withAlpha(lane.color, 0.45),
          fillTo: count - 1 - index,
          points: { show: false },
        })),
      ],
      plugins: [this.spansPlugin(false, count)],
    };
    slot.plot = new uPlot(options, data, slot.host);
  }

  private renderProcesses(x: number[], timeline: Timeline): void {
    const slot = this.processes;
    const perProcess = this.perProcessShown ? timeline.columnInfos('process').filter((process) => process.peak >= IDLE_THREAD_PEAK) : [];
    const coreCount = timeline.columnInfos('core').length || 1;
    const colors = this.palette.processes;
    const data: uPlot.AlignedData = [x, timeline.values('cpu'), timeline.values('rss'), ...perProcess.map((process) => timeline.values(process.key))];
    const shape = `processes|${perProcess.map((process) => process.key).join('|')}|${coreCount}`;
    if (slot.plot && slot.shape === shape) {
      slot.plot.setData(data);
      return;
    }
    slot.plot?.destroy();
    slot.shape = shape;
    const options: uPlot.Options = {
      width: this.widthOf(slot),
      height: 180,
      padding: [8, 0, 0, 0],
      legend: { live: true },
      cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false } },
      scales: {
        x: { time: false },
        y: { range: (_plot, _min, max) => [0, Math.max(coreCount * 100, Math.ceil((max || 0) / 50) * 50)] },
        mb: { range: (_plot, _min, max) => [0, Math.max(64, (max || 0) * 1.15)] },
      },
      axes: [
        this.timeAxis(),
        {
          scale: 'y',
          size: LEFT_AXIS,
          stroke: this.palette.foreground,
          font: this.font(11),
          grid: { stroke: withAlpha(this.palette.grid, 0.5), width: 1 },
          ticks: { show: false },
          values: (_plot, splits) => splits.map((value) => `${value} %`),
        },
        {
          scale: 'mb',
          side: 1,
          size: RIGHT_AXIS,
          stroke: this.palette.purple,
          font: this.font(11),
          grid: { show: false },
          ticks: { show: false },
          values: (_plot, splits) => splits.map((value) => `${value} MB`),
        },
      ],
      series: [
        { label: 'time', value: (_plot, value) => (value === null ? '' : `${value.toFixed(1)} s`) },
        {
          label: 'CPU, all processes',
          stroke: this.palette.orange,
          width: 1.5,
          fill: withAlpha(this.palette.orange, 0.3),
          points: { show: false },
          value: (_plot, value) => (value === null ? '' : `${Math.round(value)} %`),
        },
        {
          label: 'memory (RSS)',
          scale: 'mb',
          stroke: this.palette.purple,
          width: 1.5,
          dash: [6, 3],
          points: { show: false },
          value: (_plot, value) => (value === null ? '' : `${Math.round(value)} MB`),
        },
        ...perProcess.map((process, index): uPlot.Series => ({
          label: process.label,
          stroke: colors[index % colors.length] ?? this.palette.blue,
          width: 1,
          dash: [4, 3],
          points: { show: false },
          value: (_plot, value) => (value === null ? '' : `${Math.round(value)} %`),
        })),
      ],
      plugins: [this.spansPlugin(false, 0)],
    };
    slot.plot = new uPlot(options, data, slot.host);
  }

  private timeAxis(): uPlot.Axis {
    return {
      size: TIME_AXIS,
      stroke: this.palette.foreground,
      font: this.font(11),
      grid: { stroke: withAlpha(this.palette.grid, 0.5), width: 1 },
      ticks: { show: false },
      values: (_plot, splits) => splits.map((value) => `${value} s`),
    };
  }

  private font(sizePx: number): string {
    return `${sizePx}px ${this.palette.fontFamily}`;
  }

  /** Draws each mode's run as a band behind the data, and on the top chart its label above it. */
  private spansPlugin(withLabels: boolean, laneCount: number): uPlot.Plugin {
    const drawBands = (plot: uPlot): void => {
      const spans = this.timeline?.spans ?? [];
      const context = plot.ctx;
      const { top, height, left, width } = plot.bbox;
      const nowSeconds = (this.timeline?.now() ?? 0) / 1000;
      context.save();
      context.beginPath();
      context.rect(left, top, width, height);
      context.clip();
      for (const span of spans) {
        const color = this.palette.mode[span.mode];
        const start = plot.valToPos(span.startMs / 1000, 'x', true);
        const end = plot.valToPos(span.endMs === null ? nowSeconds : span.endMs / 1000, 'x', true);
        context.fillStyle = withAlpha(color, 0.13);
        context.fillRect(start, top, Math.max(1, end - start), height);
        context.strokeStyle = span.failed ? this.palette.red : withAlpha(color, 0.8);
        context.lineWidth = uPlot.pxRatio;
        context.beginPath();
        context.moveTo(start, top);
        context.lineTo(start, top + height);
        if (span.endMs !== null) {
          context.moveTo(end, top);
          context.lineTo(end, top + height);
        }
        context.stroke();
      }
      // Lane separators, so that a lane at 0 % still reads as a lane.
      context.strokeStyle = withAlpha(this.palette.grid, 0.6);
      context.lineWidth = uPlot.pxRatio;
      context.beginPath();
      for (let lane = 1; lane < laneCount; lane++) {
        const y = Math.round(plot.valToPos(lane - (1 - LANE_FILL) / 2, 'y', true)) + 0.5;
        context.moveTo(left, y);
        context.lineTo(left + width, y);
      }
      context.stroke();
      context.restore();
    };
    const drawLabels = (plot: uPlot): void => {
      const spans = this.timeline?.spans ?? [];
      const context = plot.ctx;
      const ratio = uPlot.pxRatio;
      const { top, left, width } = plot.bbox;
      context.save();
      context.font = `${Math.round(11 * ratio)}px ${this.palette.fontFamily}`;
      context.textAlign = 'left';
      context.textBaseline = 'bottom';
      // Two rows: short runs' labels alternate instead of overprinting each other.
      const rowEnds = [-Infinity, -Infinity];
      for (const span of spans) {
        const text = span.failed ? `${spanLabel(span)} ✕` : spanLabel(span);
        const start = Math.max(left, plot.valToPos(span.startMs / 1000, 'x', true));
        const textWidth = context.measureText(text).width;
        if (start + textWidth > left + width + RIGHT_AXIS * ratio) continue;
        const row = rowEnds.findIndex((end) => end + 6 * ratio <= start);
        if (row < 0) continue;
        rowEnds[row] = start + textWidth;
        context.fillStyle = span.failed ? this.palette.red : this.palette.mode[span.mode];
        context.fillText(text, start + 2 * ratio, top - (row === 0 ? 16 : 2) * ratio);
      }
      context.restore();
    };
    return { hooks: { drawClear: [drawBands], ...(withLabels && { draw: [drawLabels] }) } };
  }
}
