import * as vscode from 'vscode';
import type { BenchRecord } from '../core/bench/record';
import { readTextFile } from '../core/files';
import {
  STORE_FILE,
  STORE_FOLDER,
  clearMeasured,
  functionSourceHash,
  measuredEntryOf,
  measuredFor,
  readMeasured,
  recordMeasured,
  storeFileKey,
  type MeasuredEntry,
} from '../core/measuredStore';
import type { FunctionReport, MeasuredResult } from '../core/model';

/**
 * The workspace folders' stores of measured results (`.concurrency-lens/`), shared with the CLI: read
 * (a static read, fine in Restricted Mode) when a lens, hover or view asks, written after a run, and
 * re-read when the file changes on disk, so a `bench` from a terminal shows up.
 */
export class MeasuredResults implements vscode.Disposable {
  /** Per workspace folder root: its entries by file key (views ask once per function). */
  private readonly entries = new Map<string, Map<string, MeasuredEntry[]>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChange = this.changed.event;

  constructor(private readonly output: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${STORE_FOLDER}/${STORE_FILE}`);
    const reload = (): void => {
      this.entries.clear();
      this.changed.fire();
    };
    this.subscriptions = [
      this.changed,
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(reload),
    ];
  }

  /** The stored result of `fn` in the file at `uri`, stale when the function's text (open or on disk) changed since. */
  resultFor(uri: vscode.Uri, fn: FunctionReport): MeasuredResult | undefined {
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    if (root === undefined) return undefined;
    const key = storeFileKey(root, uri.fsPath);
    const entries = this.entriesOf(root).get(key);
    if (!entries?.some((entry) => entry.qualname === fn.qualname)) return undefined;
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    const text = open?.getText() ?? readTextFile(uri.fsPath);
    if (text === undefined) return undefined;
    return measuredFor(entries, key, fn.qualname, functionSourceHash(text, fn.line, fn.endLine));
  }

  /** Stores a finished run of `fn` (its text as it ran: `text`); a failure to write is logged, never thrown. */
  record(uri: vscode.Uri, fn: FunctionReport, text: string, record: BenchRecord & { inconclusive?: string }, at: Date): void {
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    if (root === undefined) return;
    const entry = measuredEntryOf(record, { file: storeFileKey(root, uri.fsPath), qualname: fn.qualname, sourceHash: functionSourceHash(text, fn.line, fn.endLine) }, at);
    if (!entry) return;
    try {
      recordMeasured(root, entry);
    } catch (error) {
      this.output.warn(`could not store the result of ${fn.qualname} in ${STORE_FOLDER}/: ${(error as Error).message}`);
      return;
    }
    this.entries.delete(root);
    this.changed.fire();
  }

  /** Clear Measured Results: removes every workspace folder's store. */
  clear(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) clearMeasured(folder.uri.fsPath);
    this.entries.clear();
    this.changed.fire();
  }

  private entriesOf(root: string): Map<string, MeasuredEntry[]> {
    let byFile = this.entries.get(root);
    if (byFile === undefined) {
      byFile = new Map();
      for (const entry of readMeasured(root)) {
        const entries = byFile.get(entry.file);
        if (entries) entries.push(entry);
        else byFile.set(entry.file, [entry]);
      }
      this.entries.set(root, byFile);
    }
    return byFile;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
