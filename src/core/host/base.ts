/**
 * What every language's analysis host shares: the workspace files a pass covers, the open documents'
 * latest text, a digest of the report the client last received for each file, and the pass over the
 * workspace in slices that sends only the reports that changed. A language's host adds its analyzer's
 * requests (`dispatch`) and, if it needs them, steps before and after each pass (`preparePass`,
 * `passCompleted`).
 */
import type { FileReport } from '../model';
import type { SliceOptions, SlicedReports } from '../slices';
import type { HostEvent, HostRequest, HostResults } from './protocol';
import { digestOf, type RequestHandler } from './server';

/** A pass yields to the message loop this often (ms): the longest an edit waits for its report. */
const SLICE_MS = 10;

export type Emit = (event: HostEvent) => void;

/** The requests a language's host answers itself; `report` and `pass` are the base's. */
export type LanguageRequest = Exclude<HostRequest, { kind: 'report' | 'pass' }>;

/** What a host needs of its language's analyzer. */
export interface HostedAnalyzer {
  fileReport(file: string): FileReport;
  reportsInSlices(files: readonly string[], options: SliceOptions): Promise<SlicedReports | null>;
}

export abstract class HostBase implements RequestHandler {
  /** The workspace files a pass covers. */
  protected readonly indexed = new Set<string>();
  /** Open documents' latest text: it wins over the file on disk when the index is (re)loaded. */
  protected readonly openTexts = new Map<string, string>();
  /** A cheap digest of the report the client last received for each file, so a pass sends only changes. */
  protected readonly sent = new Map<string, number>();
  private passGeneration = 0;

  protected abstract readonly analyzer: HostedAnalyzer;

  protected abstract dispatch(request: LanguageRequest, id: number, emit: Emit): Promise<HostResults[LanguageRequest['kind']]>;

  async handle<K extends HostRequest['kind']>(request: Extract<HostRequest, { kind: K }>, id: number, emit: Emit): Promise<HostResults[K]> {
    const req = request as HostRequest;
    if (req.kind === 'report') return this.analyzer.fileReport(req.file) as HostResults[K];
    if (req.kind === 'pass') return (await this.pass(id, emit)) as HostResults[K];
    return (await this.dispatch(req, id, emit)) as HostResults[K];
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
    return { files: result.reports.size, slices: result.slices, longestSliceMs: result.longestSliceMs };
  }

  /** Abandons a pass in progress (it returns null at its next slice). */
  protected cancelPass(): void {
    this.passGeneration++;
  }
}
