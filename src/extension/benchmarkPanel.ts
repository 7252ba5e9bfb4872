import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FromPanel, ToPanel } from '../core/bench/panelProtocol';
import { TimelineRecorder, type RecordedTimeline } from '../core/monitor/recordedTimeline';

export const PANEL_VIEW_TYPE = 'concurrencyLens.benchmarkPanel';
/** Messages kept while the page loads (a reload mid-run): the newest win. */
const QUEUED = 600;
/** Kinds of the messages posted, newest last: what the integration tests look at. */
const LOGGED = 400;

export interface PanelHandlers {
  stop(): void;
  export(format: 'md' | 'json', runId: string): void;
  /** VS Code restored the panel after a reload of the window, with the state its page last saved. */
  restored(state: unknown): void;
}

/**
 * The live benchmark panel's host: one webview panel, created on demand (or restored after a reload
 * by its serializer), locked down (CSP with a nonce, resources only from the bundle and `media/`), fed
 * through the typed protocol once the page says it is ready. Closing it never stops a run.
 */
export class BenchmarkPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queue: ToPanel[] = [];
  private readonly log: string[] = [];
  /** The timeline of the run in progress, recorded from what the page is sent, whether the panel is open or not. */
  private recording: { runId: string; recorder: TimelineRecorder } | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handlers: PanelHandlers,
  ) {
    this.subscriptions = [
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          this.adopt(panel);
          this.handlers.restored(state);
        },
      }),
    ];
  }

  /** Kinds of the messages posted so far (newest last). */
  get posted(): readonly string[] {
    return this.log;
  }

  /** Opens the panel (or brings it forward) beside the editor. */
  show(preserveFocus = true): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Concurrency Lens: Benchmark',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      this.options(),
    );
    this.adopt(panel);
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  /** Sends a message now, or when the page is ready; nothing when the panel is closed (the timeline is recorded all the same). */
  post(message: ToPanel): void {
    this.record(message);
    if (!this.panel) return;
    this.log.push(message.kind);
    if (this.log.length > LOGGED) this.log.splice(0, this.log.length - LOGGED);
    if (!this.ready) {
      this.queue.push(message);
      if (this.queue.length > QUEUED) this.queue.splice(0, this.queue.length - QUEUED);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /** What was recorded of a run's timeline, to store with its record; undefined for a run not recorded, or with no sample. */
  recordedTimeline(runId: string): RecordedTimeline | undefined {
    return this.recording?.runId === runId ? this.recording.recorder.result() : undefined;
  }

  private record(message: ToPanel): void {
    switch (message.kind) {
      case 'start':
        // A `start` is sent again for the same run when the panel is reopened mid-run.
        if (this.recording?.runId !== message.run.id) this.recording = { runId: message.run.id, recorder: new TimelineRecorder() };
        break;
      case 'sample':
        this.recording?.recorder.add(message.sample);
        break;
      case 'event': {
        const { event } = message;
        if (event.type === 'run-start') this.recording?.recorder.startSpan(event.mode, event.workers);
        if (event.type === 'run-end') this.recording?.recorder.endSpan(event.mode, event.workers, event.error !== null);
        break;
      }
      case 'end':
      case 'show':
      case 'interrupted':
        break;
    }
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html(panel.webview);
    const listeners = [
      panel.webview.onDidReceiveMessage((message: FromPanel) => this.receive(message)),
      panel.onDidDispose(() => {
        for (const listener of listeners) listener.dispose();
        if (this.panel === panel) {
          this.panel = undefined;
          this.ready = false;
          this.queue = [];
        }
      }),
    ];
  }

  private receive(message: FromPanel): void {
    switch (message.kind) {
      case 'ready': {
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        for (const item of queued) void this.panel?.webview.postMessage(item);
        break;
      }
      case 'stop':
        this.handlers.stop();
        break;
      case 'export':
        this.handlers.export(message.format, message.runId);
        break;
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('dist', 'uPlot.min.css')}">
<link rel="stylesheet" href="${asset('media', 'panel.css')}">
<title>Concurrency Lens: Benchmark</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('dist', 'panel.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
