import uPlot from 'uplot';
import type { BenchMode } from '../core/bench/events';
import { interpreterLabel, type BenchRecord } from '../core/bench/record';
import { h, replaceChildren } from './dom';
import { measuredVerdict, RESULT_HEADINGS, resultRows } from './state';
import { type Palette, withAlpha } from './theme';

/** Worker counts from this one up are drawn on log₂ axes, where 1, 2, 4 … 32 sit evenly. */
const LOG_AXES_FROM_WORKERS = 8;

/** The results of a run: the verdicts side by side, the table, the speedup curve against the ideal. */
export class Results {
  readonly element: HTMLElement;
  private readonly verdicts = h('div', { className: 'verdicts' });
  private readonly table = h('div', { className: 'table-host' });
  private readonly curveHost = h('div', { className: 'chart speedup' });
  private plot: uPlot | null = null;
  private record: BenchRecord | null = null;
  private palette: Palette;

  constructor(palette: Palette) {
    this.palette = palette;
    this.element = h(
      'section',
      { className: 'results' },
      h('h2', {}, 'Results'),
      this.verdicts,
      h(
        'div',
        { className: 'results-body' },
        this.table,
        h('div', { className: 'curve' }, h('h3', {}, 'Speedup over sequential, by workers'), this.curveHost),
      ),
    );
  }

  show(record: BenchRecord): void {
    this.record = record;
    this.renderVerdicts(record);
    this.renderTable(record);
    this.renderCurve(record);
  }

  clear(): void {
    this.record = null;
    this.plot?.destroy();
    this.plot = null;
    replaceChildren(this.verdicts);
    replaceChildren(this.table);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    if (this.record) this.renderCurve(this.record);
  }

  resize(): void {
    this.plot?.setSize({ width: this.curveWidth(), height: this.plot.height });
  }

  private renderVerdicts(record: BenchRecord): void {
    const verdict = measuredVerdict(record);
    const measured = h(
      'div',
      { className: `verdict measured${verdict.inconclusive ? ' inconclusive' : ''}` },
      h('span', { className: 'verdict-label' }, 'Measured'),
      h('strong', { className: record.recommendation ? `mode-${record.recommendation}` : '' }, verdict.headline),
      h('span', { className: 'reason' }, verdict.reason),
    );
    const staticVerdict = h(
      'div',
      { className: 'verdict static' },
      h('span', { className: 'verdict-label' }, 'Static'),
      record.staticVerdict
        ? h('strong', {}, `${record.staticVerdict.verdict}: use ${record.staticVerdict.recommendation}`)
        : h('span', { className: 'reason' }, 'no static verdict for this function'),
      verdict.agreement === null
        ? null
        : h('span', { className: verdict.agreement === 'agrees' ? 'badge agree' : 'badge disagree' }, verdict.agreement),
    );
    replaceChildren(
      this.verdicts,
      measured,
      staticVerdict,
      record.stopped ? h('div', { className: 'stopped' }, `Stopped: ${record.stopped}`) : null,
      record.warning ? h('div', { className: 'stopped' }, `Warning: ${record.warning}`) : null,
    );
  }

  private renderTable(record: BenchRecord): void {
    const numeric = new Set<string>(['workers', 'wall time', 'CPU time', 'speedup', 'efficiency', 'GIL wait']);
    const rows = resultRows(record).map((row) =>
      h(
        'tr',
        { className: row.best ? 'best' : '' },
        h('td', {}, h('span', { className: `swatch mode-${row.mode}` }), row.mode),
        h('td', { className: 'num' }, row.cells.workers),
        h('td', { className: 'num' }, row.cells.wall),
        h('td', { className: 'num' }, row.cells.cpu),
        h('td', { className: 'num' }, row.cells.speedup),
        h('td', { className: 'num' }, row.cells.efficiency),
        h('td', { className: 'num' }, row.cells.gilWait),
        h('td', { className: 'error', title: row.cells.error }, row.cells.error),
      ),
    );
    const interpreter = record.interpreter
      ? interpreterLabel(record.interpreter)
      : 'Python ?';
    replaceChildren(
      this.table,
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...RESULT_HEADINGS.map((heading) => h('th', { className: numeric.has(heading) ? 'num' : '' }, heading)))),
        h('tbody', {}, ...rows),
      ),
      h('p', { className: 'note' }, `${record.tasks} tasks · ${record.cores} cores · ${interpreter}${record.best ? ' · fastest run highlighted' : ''}`),
    );
  }

  private curveWidth(): number {
    return Math.max(280, this.curveHost.clientWidth);
  }

  private renderCurve(record: BenchRecord): void {
    this.plot?.destroy();
    this.plot = null;
    const modes = [...new Set(record.runs.map((run) => run.mode))].filter((mode) => mode !== 'sequential');
    const workers = [...new Set(record.runs.map((run) => run.workers))].sort((a, b) => a - b);
    if (workers.length === 0) return;
    const speedupAt = (mode: BenchMode, count: number): number | null =>
      record.runs.find((run) => run.mode === mode && run.workers === count && run.error === null)?.speedup ?? null;
    const logAxes = (workers.at(-1) ?? 1) >= LOG_AXES_FROM_WORKERS;
    const minWorkers = workers[0] ?? 1;
    const maxWorkers = workers.at(-1) ?? 1;
    const pad = Math.max(0.25, (maxWorkers - minWorkers) * 0.08);
    const maxSpeedup = Math.max(maxWorkers, ...record.runs.map((run) => run.speedup ?? 0));
    const palette = this.palette;
    const speedupText = (_plot: uPlot, value: number | null): string => (value === null ? '' : `${value.toFixed(2)}×`);
    const options: uPlot.Options = {
      width: this.curveWidth(),
      height: 240,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, ...(logAxes ? { distr: 3, log: 2 } : {}), range: () => (logAxes ? [minWorkers / 1.2, maxWorkers * 1.2] : [Math.max(0, minWorkers - pad), maxWorkers + pad]) },
        y: { ...(logAxes ? { distr: 3, log: 2 } : {}), range: () => [logAxes ? 0.5 : 0, maxSpeedup * 1.1] },
      },
      axes: [
        {
          label: 'workers',
          labelFont: `11px ${palette.fontFamily}`,
          labelSize: 18,
          size: 24,
          stroke: palette.foreground,
          font: `11px ${palette.fontFamily}`,
          grid: { stroke: withAlpha(palette.grid, 0.5), width: 1 },
          ticks: { show: false },
          splits: () => workers,
        },
        {
          label: 'speedup',
          labelFont: `11px ${palette.fontFamily}`,
          stroke: palette.foreground,
          font: `11px ${palette.fontFamily}`,
          grid: { stroke: withAlpha(palette.grid, 0.5), width: 1 },
          ticks: { show: false },
          values: (_plot, splits) => splits.map((value) => `${value}×`),
        },
      ],
      series: [
        { label: 'workers' },
        { label: 'ideal', stroke: withAlpha(palette.foreground, 0.5), width: 1, dash: [5, 4], points: { show: false }, value: speedupText },
        { label: 'sequential', stroke: palette.mode.sequential, width: 1, dash: [2, 3], points: { show: false }, value: speedupText },
        ...modes.map((mode): uPlot.Series => ({
          label: mode,
          stroke: palette.mode[mode],
          width: 2,
          spanGaps: true,
          points: { show: true, size: 7, fill: palette.mode[mode] },
          value: speedupText,
        })),
      ],
    };
    const data: uPlot.AlignedData = [
      workers,
      workers,
      workers.map(() => 1),
      ...modes.map((mode) => workers.map((count) => speedupAt(mode, count))),
    ];
    this.plot = new uPlot(options, data, this.curveHost);
  }
}
