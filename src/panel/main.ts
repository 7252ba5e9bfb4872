import { interpreterLabel } from '../core/bench/record';
import { h, replaceChildren } from './dom';
import { asToPanel, connectToHost } from './host';
import { LiveCharts } from './liveCharts';
import { Results } from './results';
import { PanelModel, type Changes, type PanelState } from './state';
import { readPalette } from './theme';

/** Samples arrive ten times a second; the state is saved at most this often while they do. */
const SAVE_INTERVAL_MS = 1000;

const host = connectToHost<PanelState>();
const model = new PanelModel(host.loadState());
let palette = readPalette();

const live = new LiveCharts(palette, () => {
  model.state.perProcess = live.perProcessShown;
  saveState();
  scheduleRender({ charts: true });
});
live.perProcessShown = model.state.perProcess;
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
  model.stopRequested = true;
  scheduleRender({ header: true });
  host.post({ kind: 'stop' });
});
for (const [button, format] of [[exportMarkdown, 'md'], [exportJson, 'json']] as const) {
  button.addEventListener('click', () => {
    if (model.state.record) host.post({ kind: 'export', format, runId: model.state.record.id });
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
  const state = model.state;
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
  statusText.textContent = model.stopRequested && state.phase === 'running' ? 'Stopping…' : state.status;
  statusText.className = `status-text ${state.phase}`;
  progressBar.hidden = state.phase !== 'running';
  progressFill.style.width = `${Math.round(state.progress * 100)}%`;
  progressBar.setAttribute('aria-valuenow', String(Math.round(state.progress * 100)));
  stopButton.hidden = state.phase !== 'running';
  stopButton.disabled = model.stopRequested;
  exportMarkdown.hidden = exportJson.hidden = state.record === null;
  emptyNote.hidden = state.phase !== 'empty';
  live.element.hidden = !model.chartsShown;
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
    if (chartsChanged && !live.element.hidden) live.render(model.timeline);
    headerChanged = chartsChanged = false;
  });
}

let saveTimer: ReturnType<typeof setTimeout> | null = null;
function saveState(): void {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
  host.saveState(model.stateToSave());
}
function saveStateSoon(): void {
  saveTimer ??= setTimeout(saveState, SAVE_INTERVAL_MS);
}

function apply(changes: Changes): void {
  if (changes.clearCharts) live.clear();
  if (changes.results) {
    // Drawn at once, after the header, so that the results are laid out at their real width.
    renderHeader();
    if (model.state.record) results.show(model.state.record);
    else results.clear();
  }
  scheduleRender({ header: changes.header, charts: changes.charts });
  if (changes.save === 'now') saveState();
  else if (changes.save === 'soon') saveStateSoon();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = asToPanel(event.data);
  if (message) apply(model.receive(message));
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
if (model.state.record) results.show(model.state.record);
scheduleRender({ charts: true });
host.post({ kind: 'ready' });
