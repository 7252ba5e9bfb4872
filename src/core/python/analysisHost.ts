/**
 * The analysis host: a worker thread that owns the analyzer (the workspace's facts, the open
 * documents' syntax trees, the verdict engine), so that neither indexing nor a pass over the whole
 * workspace runs on the thread of its client (VS Code's extension host). Requests are handled one at
 * a time, in order; a pass yields between slices, so that edits are answered while it runs.
 */
import { workerData } from 'node:worker_threads';
import { HostBase, type LanguageRequest } from '../host/base';
import { serveHost } from '../host/server';
import { PythonAnalyzer } from './analyzer';
import { OpenDocuments } from './documents';
import { pythonCallSuggestion } from '../bench/callSuggestion';
import { quickFix } from './fixes';
import type { HostOptions, HostResults, TextChange } from '../host/protocol';
import type { FileReport } from '../model';

/** Below this many files a load parses on the host's own thread (starting workers costs more). */
const FEW_FILES = 8;

export class AnalysisHost extends HostBase {
  private constructor(
    protected readonly analyzer: PythonAnalyzer,
    private readonly documents: OpenDocuments,
  ) {
    super();
  }

  /** `warning` says why the analysis goes on without the configured interpreter, if it does. */
  static async create(options: HostOptions): Promise<{ host: AnalysisHost; warning?: string }> {
    const start = async (python: HostOptions['python']): Promise<AnalysisHost> => {
      const analyzer = await PythonAnalyzer.create({ python, followLibraries: options.followLibraries, interpreterCwd: options.interpreterCwd, cacheDirectory: options.cacheDirectory });
      return new AnalysisHost(analyzer, new OpenDocuments(analyzer));
    };
    if (typeof options.python !== 'string') return { host: await start(options.python) };
    try {
      return { host: await start(options.python) };
    } catch (error) {
      // A configured interpreter that does not run: verdicts go on with the knowledge base alone.
      return { host: await start(null), warning: (error as Error).message };
    }
  }

  get interpreter() {
    return this.analyzer.interpreterInfo;
  }

  protected async dispatch(request: LanguageRequest): Promise<HostResults[LanguageRequest['kind']]> {
    switch (request.kind) {
      case 'quickFix':
        return quickFix(this.analyzer.parser, request.text, request.finding);
      case 'callSuggestion':
        return pythonCallSuggestion(this.analyzer.parser, request.file, request.qualname, request.line, request.files);
      case 'revalidateLibraries':
        return this.analyzer.revalidateLibraries();
    }
  }

  protected async loadFiles(files: readonly string[], onProgress?: (done: number) => void): Promise<void> {
    await this.analyzer.loadFiles(files, { ...(files.length < FEW_FILES && { workers: 1 }), ...(onProgress && { onProgress }) });
  }

  protected setDocument(file: string, text: string, changes?: readonly TextChange[]): FileReport {
    return this.documents.update(file, text, changes);
  }

  protected closeDocument(file: string): void {
    this.documents.close(file);
  }

  /** The reports of a whole pass are kept for the next session (see `PythonAnalyzer.persistReports`). */
  protected override passCompleted(): void {
    this.analyzer.persistReports();
  }

  dispose(): void {
    this.cancelPass();
    this.documents.dispose();
    this.analyzer.dispose();
  }
}

serveHost(async () => {
  const { host, warning } = await AnalysisHost.create(workerData as HostOptions);
  return { host, interpreter: host.interpreter, ...(warning !== undefined && { warning }) };
});
