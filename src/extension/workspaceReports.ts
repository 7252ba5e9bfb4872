import type * as vscode from 'vscode';
import type { FileReport, InterpreterInfo } from '../core/model';

/**
 * The workspace's analysis as the views, the status bar and exports see it: one report per analyzed
 * Python file (an open editor's text wins over the file on disk), with the configured severities
 * applied to findings (rules set to `off` removed).
 */
export interface WorkspaceReports {
  /** Every analyzed file's report; `path` is absolute. Empty until the first analysis completes. */
  reports(): readonly FileReport[];
  /** The interpreter the advice assumed (null: knowledge base only, or not started yet). */
  readonly interpreter: InterpreterInfo | null;
  /** Fires (debounced) when any report changed. */
  readonly onDidChange: vscode.Event<void>;
  /** True while the workspace is being indexed or re-analyzed. */
  readonly busy: boolean;
  /** The workspace files indexed so far, of those to index, while the index fills (open files are answered before it). */
  readonly indexing: { done: number; total: number } | undefined;
  /** Starts the workspace analysis if needed; resolves once `reports()` covers the workspace. */
  whenAnalyzed(): Promise<void>;
  /** Re-reads the workspace's files from disk and analyzes them again. */
  refresh(): Promise<void>;
}
