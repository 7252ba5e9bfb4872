import type { FromPanel, ToPanel } from '../core/bench/panelProtocol';

interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Provided by VS Code to webview scripts; it may be called once per page load. */
declare function acquireVsCodeApi(): WebviewApi;

/** The extension as the page sees it: typed messages out, the state VS Code keeps across hide/show and reloads. */
export interface Host<State> {
  post(message: FromPanel): void;
  /** What the last `saveState` stored, unchecked: a stored state may come from an older version of the page. */
  loadState(): unknown;
  saveState(state: State): void;
}

export function connectToHost<State>(): Host<State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}

const TO_PANEL_KINDS = new Set<string>(['start', 'sample', 'event', 'end', 'show'] satisfies Array<ToPanel['kind']>);

/** A message event's data as a message from the extension; null for anything else. */
export function asToPanel(data: unknown): ToPanel | null {
  if (typeof data !== 'object' || data === null) return null;
  const kind = (data as { kind?: unknown }).kind;
  return typeof kind === 'string' && TO_PANEL_KINDS.has(kind) ? (data as ToPanel) : null;
}
