import * as vscode from 'vscode';
import type { FileReport } from '../core/model';
import { PythonAnalyzer } from '../core/python/analyzer';
import { OpenDocuments, type TextChange } from '../core/python/documents';
import { affectsAnalyzer, readConfig } from './config';
import { SECTION, Settings } from './constants';
import { chooseInterpreter, onDidChangePythonEnvironment } from './interpreter';
import { analyzedFilter, findWorkspacePythonFiles } from './workspaceIndex';

interface Analysis {
  analyzer: PythonAnalyzer;
  documents: OpenDocuments;
  /** Stops the workspace indexing of this analyzer. */
  stop: AbortController;
}

/**
 * Verdict reports for the open Python documents, re-analyzed incrementally on each edit, over an
 * index of the workspace's Python files (so calls into other modules are followed). The analyzer
 * (WASM grammar, interpreter probe) and the index are built on first use, not at activation.
 */
export class AnalysisService implements vscode.Disposable {
  private analysis: Promise<Analysis> | undefined;
  /** Open documents by fsPath: their editor text wins over the file on disk. */
  private readonly open = new Map<string, vscode.TextDocument>();
  private readonly reports = new Map<string, FileReport>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private indexing: Promise<void> = Promise.resolve();
  /** Subscribed on first use (asking for the Python extension's API activates it). */
  private environmentListener: Promise<vscode.Disposable> | undefined;
  /** Fires after a document's report changed. */
  readonly onDidChangeReport = this.changed.event;

  constructor(private readonly output: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.subscriptions.push(
      this.changed,
      watcher,
      watcher.onDidCreate((uri) => void this.diskChanged(uri)),
      watcher.onDidChange((uri) => void this.diskChanged(uri)),
      watcher.onDidDelete((uri) => void this.diskDeleted(uri)),
      vscode.workspace.onDidOpenTextDocument((doc) => void this.refresh(doc)),
      vscode.workspace.onDidChangeTextDocument((event) => void this.refresh(event.document, event.contentChanges)),
      vscode.workspace.onDidCloseTextDocument((doc) => void this.closed(doc)),
      // Back from a terminal where a package may have been installed or upgraded.
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && this.analysis) void this.revalidateLibraries();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsAnalyzer(event) || event.affectsConfiguration(`${SECTION}.${Settings.analysisExclude}`)) void this.restart();
      }),
      // Trust lets the Python extension's interpreter (often a workspace virtual environment) be asked.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
    );
  }

  /** Analyzes the Python documents already open when the extension starts. */
  start(): void {
    for (const doc of vscode.workspace.textDocuments) void this.refresh(doc);
  }

  /** The current report of a document, analyzing it first when needed. */
  async getFileReport(uri: vscode.Uri): Promise<FileReport> {
    const known = this.reports.get(uri.toString());
    if (known) return known;
    const doc = await vscode.workspace.openTextDocument(uri);
    const report = await this.refresh(doc);
    if (!report) throw new Error(`${uri.fsPath} is not a Python file`);
    return report;
  }

  /** Resolves when the workspace index in progress (if any) is complete. */
  async whenIndexed(): Promise<void> {
    await this.ready();
    await this.indexing;
  }

  private async refresh(doc: vscode.TextDocument, changes?: readonly TextChange[]): Promise<FileReport | undefined> {
    if (doc.languageId !== 'python' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return undefined;
    try {
      const { documents } = await this.ready();
      const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
      this.open.set(file, doc);
      const report = documents.update(file, doc.getText(), changes);
      this.publish(doc.uri, report);
      return report;
    } catch (error) {
      this.output.error(`analysis of ${doc.uri.fsPath} failed: ${(error as Error).stack ?? String(error)}`);
      return undefined;
    }
  }

  private publish(uri: vscode.Uri, report: FileReport): void {
    this.reports.set(uri.toString(), report);
    this.changed.fire(uri);
  }

  /** After another module changed, open documents' verdicts may have changed too. */
  private async republishOpen(): Promise<void> {
    const { analyzer } = await this.ready();
    for (const [file, doc] of this.open) this.publish(doc.uri, analyzer.fileReport(file));
  }

  private async revalidateLibraries(): Promise<void> {
    const { analyzer } = await this.ready();
    if (analyzer.program.revalidateLibraries()) await this.republishOpen();
  }

  private async closed(doc: vscode.TextDocument): Promise<void> {
    const file = doc.uri.fsPath;
    if (!this.open.delete(file)) return;
    this.reports.delete(doc.uri.toString());
    const { analyzer, documents } = await this.ready();
    documents.close(file);
    // Back to the file on disk (the editor may have closed without saving).
    if (doc.uri.scheme === 'file' && analyzedFilter()(doc.uri)) await analyzer.loadFiles([file], { workers: 1 });
    else analyzer.removeFile(file);
  }

  private async diskChanged(uri: vscode.Uri): Promise<void> {
    if (this.open.has(uri.fsPath) || !analyzedFilter()(uri)) return;
    const { analyzer } = await this.ready();
    await this.indexing;
    await analyzer.loadFiles([uri.fsPath], { workers: 1 });
    await this.republishOpen();
  }

  private async diskDeleted(uri: vscode.Uri): Promise<void> {
    if (this.open.has(uri.fsPath)) return;
    const { analyzer } = await this.ready();
    await this.indexing;
    analyzer.removeFile(uri.fsPath);
    await this.republishOpen();
  }

  private ready(): Promise<Analysis> {
    if (!this.analysis) {
      this.analysis = this.createAnalysis();
      this.analysis.catch((error: Error) => {
        this.output.error(`the analyzer could not start: ${error.stack ?? error.message}`);
        void vscode.window
          .showErrorMessage(`Concurrency Lens could not start its analyzer: ${error.message}`, 'Show Output')
          .then((choice) => choice && this.output.show());
      });
    }
    return this.analysis;
  }

  private async createAnalysis(): Promise<Analysis> {
    const config = readConfig();
    const started = Date.now();
    if (!this.environmentListener) {
      this.environmentListener = onDidChangePythonEnvironment(() => {
        if (!readConfig().pythonPath) void this.restart();
      });
    }
    const interpreter = await chooseInterpreter(config.pythonPath, this.output);
    const analyzer = await PythonAnalyzer.create({
      python: interpreter.path,
      followLibraries: config.followLibraries,
    }).catch(async (error: Error) => {
      // A configured interpreter that does not run: say so, and keep analyzing with the table alone.
      void vscode.window.showWarningMessage(`Concurrency Lens: ${error.message}. Verdicts use the knowledge base only.`);
      return PythonAnalyzer.create({ python: null });
    });
    const info = analyzer.interpreterInfo;
    this.output.info(
      `analyzer ready in ${Date.now() - started} ms; interpreter (from the ${interpreter.source}): ${info ? `${info.path} ${info.version}${info.gilEnabled ? '' : ' (free-threaded)'}` : 'none (knowledge base only)'}`,
    );
    const analysis: Analysis = { analyzer, documents: new OpenDocuments(analyzer), stop: new AbortController() };
    this.indexing = this.indexWorkspace(analysis);
    return analysis;
  }

  /** Loads the workspace's Python files in worker threads, with progress in the status bar. */
  private async indexWorkspace({ analyzer, documents, stop }: Analysis): Promise<void> {
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Concurrency Lens: indexing Python files' },
        async (progress) => {
          const started = Date.now();
          const files = (await findWorkspacePythonFiles()).map((uri) => uri.fsPath);
          let reported = 0;
          await analyzer.loadFiles(files, {
            signal: stop.signal,
            onProgress: (done, total) => {
              const percent = Math.floor((100 * done) / total);
              if (percent > reported) {
                progress.report({ message: `${done}/${total}`, increment: percent - reported });
                reported = percent;
              }
            },
          });
          // The editors' text wins over what was just read from disk.
          for (const [file, doc] of this.open) this.publish(doc.uri, documents.update(file, doc.getText()));
          this.output.info(`indexed ${files.length} Python files in ${Date.now() - started} ms`);
        },
      );
    } catch (error) {
      if (!stop.signal.aborted) this.output.error(`indexing the workspace failed: ${(error as Error).message}`);
    }
  }

  private async restart(): Promise<void> {
    const previous = this.analysis;
    this.analysis = undefined;
    this.reports.clear();
    this.open.clear();
    if (previous) await disposeAnalysis(previous);
    this.start();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    void this.environmentListener?.then((listener) => listener.dispose());
    if (this.analysis) void disposeAnalysis(this.analysis);
  }
}

async function disposeAnalysis(analysis: Promise<Analysis>): Promise<void> {
  const { analyzer, documents, stop } = await analysis;
  stop.abort();
  documents.dispose();
  analyzer.dispose();
}
