import type { HarnessEvent, InputErrorEvent } from '../core/bench/events';
import type { PanelRunInfo, ToPanel } from '../core/bench/panelProtocol';
import { interpreterLabel, type BenchRecord } from '../core/bench/record';
import { h, replaceChildren } from './dom';
import { asToPanel, connectToHost } from './host';
import { LiveCharts, spanLabel } from './liveCharts';
import { Results } from './results';
import { readPalette } from './theme';
import { Timeline, type TimelineSnapshot } from './timeline';

/** `running`: live; `ended`: live charts and results; `shown`: a stored run, results only. */
type Phase = 'empty' | 'running' | 'ended' | 'shown';

type ShownRecord = BenchRecord & { id: string };

interface PanelState {
  version: 1;
  phase: Phase;
  run: PanelRunInfo | null;
  record: ShownRecord | null;
  timeline: TimelineSnapshot | null;
  python: string | null;
  status: string;
  /** Share of the whole run done, 0..1. */
  progress: number;
  runsEnded: number;
  inputError: InputErrorEvent | null;
  perProcess: boolean;
}

const STATE_VERSION = 1;
/** Samples arrive ten times a second; the state is saved at most this often while they do. */
const SAVE_INTERVAL_MS = 1000;

function emptyState(): PanelState {
  return { version: STATE_VERSION, phase: 'empty', run: null, record: null, timeline: null, python: null, status: '', progress: 0, runsEnded: 0, inputError: null, perProcess: false };
}

function restoredState(stored: unknown): PanelState {
  return typeof stored === 'object' && stored !== null && (stored as { version?: unknown }).version === STATE_VERSION ? (stored as PanelState) : emptyState();
}

/** How many runs a benchmark makes: sequential once, every other mode once per worker count. */
function plannedRuns(run: PanelRunInfo): number {
  return run.modes.reduce((total, mode) => total + (mode === 'sequential' ? 1 : run.workers.length), 0);
}

const host = connectToHost<PanelState>();
let state = restoredState(host.loadState());
let timeline = state.timeline ? Timeline.fromSnapshot(state.timeline) : new Timeline();
let palette = readPalette();
let stopRequested = false;

const live = new LiveCharts(palette, () => {
  state.perProcess = live.perProcessShown;
  saveState();
  scheduleRender({ charts: true });
});
live.perProcessShown = state.perProcess;
const results = new Results(palette);

const title = h('h1', {});
const details = h('p', { className: 'details' });
const statusText = h('span', { className: 'status-text' });
const progressFill = h('div', { className: 'progress-fill' });
const progressBar = h('div', { className: 'progress', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' } }, progressFill);
const stopButton = h('button', { className: 'stop' }, 'Stop');
const exportMarkdown = h('button', { className: 'secondary' }, 'Export Markdown');
const exportJson = h('button', { className: 'secondary' }, 'Export JSON');
const inputErrorBox = h('div', { className: 'input-error' });
const emptyNote = h('p', { className: 'empty' }, 'No benchmark yet. Start one from the lenses above a Python function (Run in threads, Run in processes, Compare) or with Concurrency Lens: Benchmark Function….');

stopButton.addEventListener('click', () => {
  stopRequested = true;
  scheduleRender({ header: true });
  host.post({ kind: 'stop' });
});
for (const [button, format] of [[exportMarkdown, 'md'], [exportJson, 'json']] as const) {
  button.addEventListener('click', () => {
    if (state.record) host.post({ kind: 'export', format, runId: state.record.id });
  });
}

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { attrs: { id: 'app' } }));
replaceChildren(
  app,
  h(
    'header',
    {},
    h('div', { className: 'heading' }, title, details),
    h('div', { className: 'actions' }, stopButton, exportMarkdown, exportJson),
    h('div', { className: 'status' }, statusText, progressBar),
  ),
  emptyNote,
  inputErrorBox,
  live.element,
  results.element,
);

function renderHeader(): void {
  const target = state.run ?? state.record?.target ?? null;
  const tasks = state.run?.tasks ?? state.record?.tasks;
  const cores = state.run?.cores ?? state.record?.cores;
  const python = state.python ?? (state.record?.interpreter ? interpreterLabel(state.record.interpreter) : null);
  replaceChildren(title, target ? h('code', {}, target.function) : 'Concurrency Lens benchmark', target ? h('span', { className: 'file' }, target.file) : null);
  replaceChildren(
    details,
    target ? h('code', {}, target.call) : null,
    [tasks === undefined ? '' : ` × ${tasks} tasks`, cores === undefined ? '' : `${cores} cores`, python ?? ''].filter(Boolean).join(' · '),
  );
  statusText.textContent = stopRequested && state.phase === 'running' ? 'Stopping…' : state.status;
  statusText.className = `status-text ${state.phase}`;
  progressBar.hidden = state.phase !== 'running';
  progressFill.style.width = `${Math.round(state.progress * 100)}%`;
  progressBar.setAttribute('aria-valuenow', String(Math.round(state.progress * 100)));
  stopButton.hidden = state.phase !== 'running';
  stopButton.disabled = stopRequested;
  exportMarkdown.hidden = exportJson.hidden = state.record === null;
  emptyNote.hidden = state.phase !== 'empty';
  // A run that ended while no page was there to draw it has no live data: results only.
  live.element.hidden = state.phase === 'empty' || state.phase === 'shown' || (state.phase === 'ended' && timeline.length === 0);
  results.element.hidden = state.record === null;
  const error = state.inputError;
  inputErrorBox.hidden = error === null;
  if (error) {
    replaceChildren(
      inputErrorBox,
      h('strong', {}, `The run could not start (${error.stage}): ${error.exception}`),
      h('p', {}, error.message),
      error.traceback ? h('pre', {}, error.traceback) : null,
    );
  }
}

let frame: number | null = null;
let headerChanged = false;
let chartsChanged = false;
/**
 * The page is redrawn once per animation frame, and only what changed: samples come ten times a second,
 * progress events as often as tasks finish.
 */
function scheduleRender(what: { header?: boolean; charts?: boolean }): void {
  headerChanged ||= what.header ?? false;
  chartsChanged ||= what.charts ?? false;
  frame ??= requestAnimationFrame(() => {
    frame = null;
    if (headerChanged) renderHeader();
    if (chartsChanged && !live.element.hidden) live.render(timeline);
    headerChanged = chartsChanged = false;
  });
}

let saveTimer: ReturnType<typeof setTimeout> | null = null;
function saveState(): void {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
  state.timeline = state.phase === 'shown' || state.phase === 'empty' ? null : timeline.snapshot();
  host.saveState(state);
}
function saveStateSoon(): void {
  saveTimer ??= setTimeout(saveState, SAVE_INTERVAL_MS);
}

function onEvent(event: HarnessEvent): void {
  const run = state.run;
  switch (event.type) {
    case 'hello':
      state.python = interpreterLabel(event);
      break;
    case 'run-start':
      timeline.startSpan(event.mode, event.workers);
      state.status = `${spanLabel(event)}: starting`;
      break;
    case 'progress': {
      const total = run ? plannedRuns(run) : 1;
      const current = event.total > 0 ? event.done / event.total : 0;
      state.progress = Math.min(1, (state.runsEnded + current) / Math.max(total, 1));
      state.status = `${spanLabel(event)}: ${event.done} / ${event.total} tasks · run ${Math.min(state.runsEnded + 1, total)} of ${total}`;
      break;
    }
    case 'run-end':
      timeline.endSpan(event.mode, event.workers, event.error !== null);
      state.runsEnded += 1;
      state.progress = Math.min(1, state.runsEnded / Math.max(run ? plannedRuns(run) : 1, 1));
      state.status = event.error ? `${spanLabel(event)} failed: ${event.error.exception}` : `${spanLabel(event)}: ${event.wallSeconds.toFixed(2)} s`;
      break;
    case 'error':
      state.inputError = event;
      state.status = 'The run could not start';
      break;
    case 'worker':
    case 'done':
      return;
  }
  scheduleRender({ header: true, charts: true });
  if (event.type === 'progress') saveStateSoon();
  else saveState();
}

function onMessage(message: ToPanel): void {
  switch (message.kind) {
    case 'start':
      timeline = new Timeline();
      live.clear();
      results.clear();
      stopRequested = false;
      state = { ...emptyState(), phase: 'running', run: message.run, status: 'Starting…', perProcess: state.perProcess };
      scheduleRender({ header: true, charts: true });
      saveState();
      return;
    case 'sample':
      if (state.phase !== 'running') return;
      timeline.append(message.sample);
      scheduleRender({ charts: true });
      saveStateSoon();
      return;
    case 'event':
      if (state.phase === 'running') onEvent(message.event);
      return;
    case 'end':
      timeline.closeOpenSpans();
      state = { ...state, phase: 'ended', record: message.record, progress: 1, status: message.record.stopped ? `Stopped: ${message.record.stopped}` : 'Finished' };
      stopRequested = false;
      // Shown first, so that the results are laid out at their real width.
      renderHeader();
      results.show(message.record);
      scheduleRender({ charts: true });
      saveState();
      return;
    case 'show':
      timeline = new Timeline();
      live.clear();
      stopRequested = false;
      state = { ...emptyState(), phase: 'shown', record: message.record, status: message.record.stopped ? `Stopped: ${message.record.stopped}` : 'Stored run', perProcess: state.perProcess };
      renderHeader();
      results.show(message.record);
      saveState();
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = asToPanel(event.data);
  if (message) onMessage(message);
});

// VS Code changes the theme by swapping the body's class and the CSS variables with it.
new MutationObserver(() => {
  palette = readPalette();
  live.setPalette(palette);
  results.setPalette(palette);
  scheduleRender({ charts: true });
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

let resizeFrame: number | null = null;
new ResizeObserver(() => {
  if (resizeFrame !== null) return;
  resizeFrame = requestAnimationFrame(() => {
    resizeFrame = null;
    live.resize();
    results.resize();
  });
}).observe(app);

renderHeader();
if (state.record) results.show(state.record);
scheduleRender({ charts: true });
host.post({ kind: 'ready' });
