import * as vscode from 'vscode';
import type { FileReport } from '../core/model';
import { PythonAnalyzer } from '../core/python/analyzer';
import { OpenDocuments, type TextChange } from '../core/python/documents';
import { affectsAnalyzer, readConfig } from './config';

/**
 * Keeps a verdict report for every open Python document, re-analyzed incrementally on each edit.
 * The analyzer (WASM grammar, interpreter probe) is created on first use, not at activation.
 */
export class AnalysisService implements vscode.Disposable {
  private analyzer: Promise<{ analyzer: PythonAnalyzer; documents: OpenDocuments }> | undefined;
  private readonly reports = new Map<string, FileReport>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires after a document's report changed. */
  readonly onDidChangeReport = this.changed.event;

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument((doc) => void this.refresh(doc)),
      vscode.workspace.onDidChangeTextDocument((event) => void this.refresh(event.document, event.contentChanges)),
      vscode.workspace.onDidCloseTextDocument((doc) => void this.forget(doc)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsAnalyzer(event)) void this.restart();
      }),
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

  private async refresh(doc: vscode.TextDocument, changes?: readonly TextChange[]): Promise<FileReport | undefined> {
    if (doc.languageId !== 'python' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return undefined;
    try {
      const { documents } = await this.ready();
      const report = documents.update(doc.uri.fsPath || doc.uri.toString(), doc.getText(), changes);
      this.reports.set(doc.uri.toString(), report);
      this.changed.fire(doc.uri);
      return report;
    } catch (error) {
      this.output.error(`analysis of ${doc.uri.fsPath} failed: ${(error as Error).stack ?? String(error)}`);
      return undefined;
    }
  }

  private async forget(doc: vscode.TextDocument): Promise<void> {
    if (!this.reports.delete(doc.uri.toString())) return;
    const { documents } = await this.ready();
    documents.close(doc.uri.fsPath);
  }

  private ready(): Promise<{ analyzer: PythonAnalyzer; documents: OpenDocuments }> {
    this.analyzer ??= this.createAnalyzer();
    return this.analyzer;
  }

  private async createAnalyzer(): Promise<{ analyzer: PythonAnalyzer; documents: OpenDocuments }> {
    const config = readConfig();
    const started = Date.now();
    const analyzer = await PythonAnalyzer.create({
      python: config.pythonPath || undefined,
      followLibraries: config.followLibraries,
    }).catch(async (error: Error) => {
      // A configured interpreter that does not run: say so, and keep analyzing with the table alone.
      void vscode.window.showWarningMessage(`Concurrency Lens: ${error.message}. Verdicts use the knowledge base only.`);
      return PythonAnalyzer.create({ python: null });
    });
    const info = analyzer.interpreterInfo;
    this.output.info(
      `analyzer ready in ${Date.now() - started} ms; interpreter: ${info ? `${info.path} ${info.version}${info.gilEnabled ? '' : ' (free-threaded)'}` : 'none (knowledge base only)'}`,
    );
    return { analyzer, documents: new OpenDocuments(analyzer) };
  }

  private async restart(): Promise<void> {
    const previous = this.analyzer;
    this.analyzer = undefined;
    this.reports.clear();
    if (previous) {
      const { analyzer, documents } = await previous;
      documents.dispose();
      analyzer.dispose();
    }
    this.start();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    void this.analyzer?.then(({ analyzer, documents }) => {
      documents.dispose();
      analyzer.dispose();
    });
  }
}
