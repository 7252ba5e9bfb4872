import * as vscode from 'vscode';
import type { FileReport } from '../core/model';
import { functionDescription, VERDICT_TEXT } from '../core/verdictText';
import { AnalysisService, atTime, prestartHosts } from './analysisService';
import { Benchmarks } from './benchmarks';
import { Commands } from './constants';
import { registerExport } from './exportReport';
import { isAnalyzedLanguage, type Family } from './languages';
import { FindingDiagnostics } from './findings';
import { MeasuredResults } from './measuredResults';
import { registerSidebar, type SidebarViews } from './sidebar';
import { RunHistory } from './runHistory';
import { registerStatusBar } from './statusBar';
import { registerLensesEarly, VerdictLenses } from './verdictLenses';
import type { WorkspaceReports } from './workspaceReports';

/** What the extension offers other extensions (and our integration tests). */
export interface ConcurrencyLensApi {
  getFileReport(uri: vscode.Uri): Promise<FileReport>;
  /** Resolves once the workspace's Python files are indexed (cross-module calls resolve after it). */
  whenIndexed(): Promise<void>;
  /** The whole workspace's reports, as the views and exports see them. */
  workspace: WorkspaceReports;
  views: SidebarViews;
  /** The benchmark runs kept for the workspace, newest first. */
  runs: RunHistory;
  /** The stored measured results (`.concurrency-lens/`), as the lens, hover and views show them. */
  measured: MeasuredResults;
  /** The function being benchmarked, if one is. */
  benchmarkRunning(): string | undefined;
  /** Kinds of the messages sent to the live benchmark panel so far. */
  panelMessages(): readonly string[];
  /** The analyzers started so far: `typescript` (ts-morph) only once a TS/JS document was opened. */
  analyzers(): Family[];
}

// VS Code loads the extension's context beside this module and calls activate after both: work started here overlaps that wait.
const loadedAt = Date.now();
const output = vscode.window.createOutputChannel('Concurrency Lens', { log: true });
output.info(`the extension's module loaded${atTime(loadedAt)}`);
const prestarting = prestartHosts(output);
const earlyLenses = registerLensesEarly(output);
export function activate(context: vscode.ExtensionContext): ConcurrencyLensApi {
  const activatedAt = Date.now();
  output.info(`activated ${activatedAt - loadedAt} ms after the extension's module loaded${atTime(activatedAt)}`);
  const analysis = new AnalysisService(output, vscode.Uri.joinPath(context.globalStorageUri, 'cache').fsPath);
  const history = new RunHistory(context.workspaceState);
  const measured = new MeasuredResults(output);
  const sidebar = registerSidebar(analysis, history, measured);
  const benchmarks = new Benchmarks(context.extensionUri, analysis, history, context.workspaceState, output, measured);
  prestarting.dispose();
  context.subscriptions.push(
    output,
    analysis,
    vscode.commands.registerCommand(Commands.analyzeActiveFile, () => showActiveFileVerdicts(analysis)),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show()),
    vscode.commands.registerCommand(Commands.refreshWorkspace, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Concurrency Lens: re-analyzing the workspace' }, () => analysis.refresh()),
    ),
    measured,
    vscode.commands.registerCommand(Commands.clearMeasured, () => measured.clear()),
    earlyLenses.attach(new VerdictLenses(analysis, measured)),
    new FindingDiagnostics(analysis),
    sidebar,
    registerStatusBar(analysis),
    registerExport(analysis, history),
    history,
    benchmarks,
  );
  analysis.start();
  output.info(`activate took ${Date.now() - activatedAt} ms${atTime(Date.now())}`);
  return {
    getFileReport: (uri) => analysis.getFileReport(uri),
    whenIndexed: () => analysis.whenIndexed(),
    workspace: analysis,
    views: sidebar.views,
    runs: history,
    measured,
    benchmarkRunning: () => benchmarks.running,
    panelMessages: () => benchmarks.panelMessages,
    analyzers: () => analysis.startedFamilies,
  };
}

export function deactivate(): void {}

/** Quick pick of the active file's functions with their verdicts; picking one reveals it. */
async function showActiveFileVerdicts(analysis: AnalysisService): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isAnalyzedLanguage(editor.document.languageId)) {
    void vscode.window.showInformationMessage('Concurrency Lens: open a Python, TypeScript or JavaScript file to see its verdicts.');
    return;
  }
  const report = await analysis.getFileReport(editor.document.uri);
  const items = report.functions.map((fn) => ({
    label: `$(${VERDICT_TEXT[fn.verdict].icon}) ${fn.qualname}`,
    description: `${fn.verdict} · ${functionDescription(fn)} · ${Math.round(fn.confidence * 100)}%`,
    detail: fn.evidence[0] ? `line ${fn.evidence[0].line}: ${fn.evidence[0].reason}` : undefined,
    fn,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Concurrency Lens: ${report.functions.length} functions`,
    placeHolder: 'Pick a function to reveal it',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const position = new vscode.Position(picked.fn.line - 1, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}
