/**
 * The messages between the analysis host (a worker thread that owns the analyzer: the workspace's
 * facts, the open documents' syntax trees) and its client (the extension host's main thread).
 */
import type { FileReport, Finding, FunctionReport, InterpreterInfo } from '../model';
import type { CallSuggestion, SourceFile } from '../bench/callSuggestion';
import type { QuickFix } from '../edits';

/** One edit as editors report it (VS Code's TextDocumentContentChangeEvent has this shape). */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface HostOptions {
  /** As `AnalyzerOptions.python`: a path, undefined for `python3`/`python`, null for none. */
  python: string | null | undefined;
  followLibraries: boolean;
  /** As `AnalyzerOptions.interpreterCwd`. */
  interpreterCwd?: string;
  /** As `AnalyzerOptions.cacheDirectory`. */
  cacheDirectory?: string;
}

/** What the client asks; each request gets exactly one reply. Sent by the client. */
export type HostRequest =
  /** Reads and parses workspace files and adds them to the index (the files a pass covers). */
  | { kind: 'index'; files: string[] }
  /** An open document's text after `changes` (none: parse it whole); replies with its report. */
  | { kind: 'update'; file: string; text: string; changes?: TextChange[] }
  /** The document closed: back to the file on disk when it is in the index, else forgotten. */
  | { kind: 'close'; file: string }
  /** Files created or changed on disk (not open in an editor). */
  | { kind: 'load'; files: string[] }
  /** A file deleted from disk. */
  | { kind: 'remove'; file: string }
  | { kind: 'report'; file: string }
  /** Every indexed file's report; a newer pass cancels this one (which then replies null). */
  | { kind: 'pass' }
  | { kind: 'quickFix'; text: string; finding: Pick<Finding, 'line' | 'fix'> }
  /** The call a benchmark of `qualname` (declared at `line` of `file`) pre-fills: from a call site in `files` (the target's text among them), else from its signature. */
  | { kind: 'callSuggestion'; file: string; qualname: string; line: number; files: SourceFile[] }
  /** Re-reads followed library files that changed on disk; replies whether any did. */
  | { kind: 'revalidateLibraries' };

export interface PassSummary {
  files: number;
  slices: number;
  longestSliceMs: number;
}

/** The reply to each kind of request. */
export interface HostResults {
  index: undefined;
  update: FileReport;
  close: FileReport | null;
  load: undefined;
  remove: undefined;
  report: FileReport;
  pass: PassSummary | null;
  quickFix: QuickFix | null;
  callSuggestion: CallSuggestion;
  revalidateLibraries: boolean;
}

/**
 * An update's reply as the host sends it: after an earlier update of the same file (which both sides keep until
 * it closes), only what changed. A one-line edit changes a few of a file's function reports, and cloning the whole
 * report across the thread boundary was most of what the host added to an edit.
 */
export type UpdateReply = FileReport | ReportChange;

/** A file's report as the previous update's, with each function that did not change given by its index there. */
export interface ReportChange {
  kind: 'change';
  functions: (FunctionReport | number)[];
  findings: Finding[];
  errors: FileReport['errors'];
}

/** The replies as the host sends them. */
export type WireResults = Omit<HostResults, 'update'> & { update: UpdateReply };

/** Sent by the client. */
export interface HostCall {
  id: number;
  request: HostRequest;
}

/** Sent by the host: a reply, or an event on the way to one (progress of an index, a pass's reports). */
export type HostMessage =
  /** `warning`: the configured interpreter could not be used (analysis goes on with the knowledge base). */
  | { kind: 'started'; interpreter: InterpreterInfo | null; warning?: string; startup: HostStartup }
  | { kind: 'failed-to-start'; error: string }
  | { kind: 'reply'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: string }
  | { kind: 'progress'; id: number; done: number; total: number }
  /** Reports that changed since the client last heard of them, sent between slices of a pass. */
  | { kind: 'reports'; id: number; reports: FileReport[] };

/** When a host's start reached its steps (epoch ms, for the log). */
export interface HostStartup {
  /** The worker's script loaded and evaluated. */
  loadedAt: number;
  /** The analyzer ready (the parser's WASM compiled, an interpreter asked). */
  readyAt: number;
}

export type HostEvent = Extract<HostMessage, { kind: 'progress' | 'reports' }>;
