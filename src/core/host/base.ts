/**
 * What every language's analysis host shares: the workspace files a pass covers, the open documents'
 * latest text, a digest of the report the client last received for each file, the requests that keep
 * them (index, open documents' edits and closing, files changed or deleted on disk), and the pass over
 * the workspace in slices that sends only the reports that changed. A language's host supplies how its
 * analyzer reads files and documents (`loadFiles`, `setDocument`, `closeDocument`), answers the requests
 * only a language has (`dispatch`) and, if it needs them, steps before and after each pass
 * (`preparePass`, `passCompleted`).
 */
import type { FileReport, FunctionReport } from '../model';
import type { SliceOptions, SlicedReports } from '../slices';
import type { HostEvent, HostRequest, HostResults, ReportChange, TextChange, WireResults } from './protocol';
import { digestOf, type RequestHandler } from './server';

/** A pass yields to the message loop this often (ms): the longest an edit waits for its report. */
const SLICE_MS = 10;

export type Emit = (event: HostEvent) => void;

/** The requests a language's host answers itself; the others are the base's. */
export type LanguageRequest = Extract<HostRequest, { kind: 'quickFix' | 'callSuggestion' | 'revalidateLibraries' }>;

/** What a host needs of its language's analyzer. */
export interface HostedAnalyzer {
  fileReport(file: string): FileReport;
  reportsInSlices(files: readonly string[], options: SliceOptions): Promise<SlicedReports | null>;
  removeFile(file: string): void;
}

export abstract class HostBase implements RequestHandler {
  /** The workspace files a pass covers. */
  protected readonly indexed = new Set<string>();
  /** Open documents' latest text: it wins over the file on disk when the index is (re)loaded. */
  protected readonly openTexts = new Map<string, string>();
  /** A cheap digest of the report the client last received for each file, so a pass sends only changes. */
  protected readonly sent = new Map<string, number>();
  /** Each open document's report as its last update replied it: the next update's reply is what changed (`ReportChange`). */
  private readonly replied = new Map<string, FileReport>();
  private passGeneration = 0;

  protected abstract readonly analyzer: HostedAnalyzer;

  protected abstract dispatch(request: LanguageRequest): Promise<HostResults[LanguageRequest['kind']]>;

  /** Reads files from disk into the analyzer (replacing what it had of them); `onProgress` counts them. */
  protected abstract loadFiles(files: readonly string[], onProgress?: (done: number) => void): Promise<void>;

  /** An open document's text (after `changes`, when they are known), and its report. */
  protected abstract setDocument(file: string, text: string, changes?: readonly TextChange[]): FileReport;

  /** Forgets what the analyzer keeps of an open document only (its syntax tree). */
  protected abstract closeDocument(file: string): void;

  async handle<K extends HostRequest['kind']>(request: Extract<HostRequest, { kind: K }>, id: number, emit: Emit): Promise<WireResults[K]> {
    return (await this.answer(request as HostRequest, id, emit)) as WireResults[K];
  }

  private async answer(request: HostRequest, id: number, emit: Emit): Promise<WireResults[HostRequest['kind']]> {
    switch (request.kind) {
      case 'report':
        return this.analyzer.fileReport(request.file);
      case 'pass':
        return this.pass(id, emit);
      case 'index': {
        const total = request.files.length;
        let read = 0;
        await this.loadFiles(this.notOpen(request.files), (done) => emit({ kind: 'progress', id, done: (read = done), total }));
        for (const file of request.files) this.indexed.add(file);
        for (const [file, text] of this.openTexts) this.setDocument(file, text);
        // Open documents count as read too.
        if (read < total) emit({ kind: 'progress', id, done: total, total });
        return undefined;
      }
      case 'update': {
        this.openTexts.set(request.file, request.text);
        this.sent.delete(request.file);
        const report = this.setDocument(request.file, request.text, request.changes);
        const previous = this.replied.get(request.file);
        this.replied.set(request.file, report);
        return previous ? changeFrom(previous, report) : report;
      }
      case 'close':
        this.replied.delete(request.file);
        this.openTexts.delete(request.file);
        this.closeDocument(request.file);
        this.sent.delete(request.file);
        if (!this.indexed.has(request.file)) {
          this.analyzer.removeFile(request.file);
          return null;
        }
        await this.loadFiles([request.file]);
        return this.analyzer.fileReport(request.file);
      case 'load': {
        const files = this.notOpen(request.files);
        await this.loadFiles(files);
        for (const file of files) this.indexed.add(file);
        return undefined;
      }
      case 'remove':
        this.indexed.delete(request.file);
        this.sent.delete(request.file);
        if (!this.openTexts.has(request.file)) this.analyzer.removeFile(request.file);
        return undefined;
      default:
        return this.dispatch(request);
    }
  }

  /** The files not open in an editor: an open document's text wins over its file on disk. */
  private notOpen(files: readonly string[]): string[] {
    return files.filter((file) => !this.openTexts.has(file));
  }

  /** The files a pass reports on. */
  protected passFiles(): readonly string[] {
    return [...this.indexed];
  }

  /** Work before a pass's reports, in slices too; false abandons the pass. */
  protected preparePass(_slices: { sliceMs: number; pause: () => Promise<void>; cancelled: () => boolean }): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** Called after a pass that covered every file. */
  protected passCompleted(): void {}

  /** Every pass file's report, in slices; the reports that changed are emitted between slices. */
  private async pass(id: number, emit: Emit): Promise<HostResults['pass']> {
    const generation = ++this.passGeneration;
    const cancelled = (): boolean => generation !== this.passGeneration;
    const yieldToRequests = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    if (!(await this.preparePass({ sliceMs: SLICE_MS, pause: yieldToRequests, cancelled }))) return null;
    let changed: FileReport[] = [];
    const flush = (): void => {
      if (changed.length > 0) emit({ kind: 'reports', id, reports: changed });
      changed = [];
    };
    const result = await this.analyzer.reportsInSlices(this.passFiles(), {
      sliceMs: SLICE_MS,
      pause: () => {
        flush();
        return yieldToRequests();
      },
      cancelled,
      onReport: (file, report) => {
        const digest = digestOf(report);
        if (this.sent.get(file) === digest) return;
        this.sent.set(file, digest);
        changed.push(report);
      },
    });
    if (!result) return null;
    flush();
    this.passCompleted();
    return { files: result.files, slices: result.slices, longestSliceMs: result.longestSliceMs };
  }

  /** Abandons a pass in progress (it returns null at its next slice). */
  protected cancelPass(): void {
    this.passGeneration++;
  }
}

/**
 * `report` as a change of `previous`: a function report equal to one there is sent as its index. Most are the same values
 * (the analyzer reports a function whose summary it kept from the same parts); the others are compared by their JSON.
 */
function changeFrom(previous: FileReport, report: FileReport): ReportChange {
  const byQualname = new Map<string, number[]>();
  previous.functions.forEach((fn, index) => {
    const indexes = byQualname.get(fn.qualname);
    if (indexes) indexes.push(index);
    else byQualname.set(fn.qualname, [index]);
  });
  const functions = report.functions.map((fn) => byQualname.get(fn.qualname)?.find((index) => sameReport(previous.functions[index] as FunctionReport, fn)) ?? fn);
  return { kind: 'change', functions, findings: report.findings, errors: report.errors };
}

const jsonOfReport = new WeakMap<FunctionReport, string>();

function sameReport(a: FunctionReport, b: FunctionReport): boolean {
  const keys = Object.keys(a) as (keyof FunctionReport)[];
  if (keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])) return true;
  return jsonOf(a) === jsonOf(b);
}

function jsonOf(fn: FunctionReport): string {
  let json = jsonOfReport.get(fn);
  if (json === undefined) {
    json = JSON.stringify(fn);
    jsonOfReport.set(fn, json);
  }
  return json;
}
