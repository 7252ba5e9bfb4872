import * as vscode from 'vscode';
import type { BenchRecord } from '../core/bench/record';
import type { RecordedTimeline } from '../core/monitor/recordedTimeline';

/** A benchmark as the editor keeps it: the record, when it ran, and the file it ran. */
export interface RunRecord extends BenchRecord {
  id: string;
  /** ISO date. */
  startedAt: string;
  /** The function's file, as a URI string (the record's `target.file` is workspace-relative, for people). */
  uri: string;
  /** The load, memory and modes over the run, downsampled (absent from runs stored before it was kept, or with no sample). */
  timeline?: RecordedTimeline;
}

const KEY = 'concurrencyLens.runs';
/** The oldest runs go beyond this many. */
const KEPT = 50;

/** The workspace's benchmark runs, newest first, kept in the workspace's storage. */
export class RunHistory implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  list(): readonly RunRecord[] {
    return this.state.get<RunRecord[]>(KEY, []);
  }

  get(id: string): RunRecord | undefined {
    return this.list().find((run) => run.id === id);
  }

  async add(run: RunRecord): Promise<void> {
    await this.update([run, ...this.list()].slice(0, KEPT));
  }

  async remove(id: string): Promise<void> {
    await this.update(this.list().filter((run) => run.id !== id));
  }

  async clear(): Promise<void> {
    await this.update([]);
  }

  private async update(runs: RunRecord[]): Promise<void> {
    await this.state.update(KEY, runs);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
