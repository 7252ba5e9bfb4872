/**
 * The messages between the live benchmark panel (a webview) and the extension. Plain data only; the
 * webview bundle imports the types, never the code, of the core.
 */
import type { MonitorSample } from '../monitor/monitor';
import type { RecordedTimeline } from '../monitor/recordedTimeline';
import type { HarnessEvent } from './events';
import type { BenchRecord } from './record';

/** What the panel is told about a run when it starts. */
export interface PanelRunInfo {
  id: string;
  function: string;
  file: string;
  call: string;
  tasks: number;
  cores: number;
  modes: string[];
  workers: number[];
  staticVerdict: { verdict: string; recommendation: string } | null;
}

/** A finished run as the panel shows it; a stored run has its timeline when one was recorded. */
export type PanelRecord = BenchRecord & { id: string; timeline?: RecordedTimeline };

/** Sent by the extension to the panel. */
export type ToPanel =
  /** A run begins: the panel clears its charts. */
  | { kind: 'start'; run: PanelRunInfo }
  /** A monitor reading (about 10 per second while a run goes). */
  | { kind: 'sample'; sample: MonitorSample }
  /** The harness's events as they come: `run-start`/`run-end` mark the modes on the charts. */
  | { kind: 'event'; event: HarnessEvent }
  /** The run is over (finished, failed or stopped): the results table, the speedup curve, the verdicts. */
  | { kind: 'end'; record: PanelRecord }
  /** A stored run shown again (from the Runs view): its results and its stored timeline, no live data. */
  | { kind: 'show'; record: PanelRecord }
  /** The run the page was showing live is over without a record: the window reloaded (which ends every run) before it finished. */
  | { kind: 'interrupted'; runId: string };

/** Sent by the panel to the extension. */
export type FromPanel =
  /** The panel's script is ready to receive messages (sent once after load, and after a reload). */
  | { kind: 'ready' }
  /** The user asked to stop the run in progress. */
  | { kind: 'stop' }
  /** The user asked to export the results shown. */
  | { kind: 'export'; format: 'md' | 'json'; runId: string };
