import * as vscode from 'vscode';
import type { FileReport, FunctionReport } from '../core/model';
import { AnalysisService } from './analysisService';
import { Commands } from './constants';

/** What the extension offers other extensions (and our integration tests). */
export interface ConcurrencyLensApi {
  getFileReport(uri: vscode.Uri): Promise<FileReport>;
  /** Resolves once the workspace's Python files are indexed (cross-module calls resolve after it). */
  whenIndexed(): Promise<void>;
}

export function activate(context: vscode.ExtensionContext): ConcurrencyLensApi {
  const output = vscode.window.createOutputChannel('Concurrency Lens', { log: true });
  const analysis = new AnalysisService(output);
  context.subscriptions.push(
    output,
    analysis,
    vscode.commands.registerCommand(Commands.analyzeActiveFile, () => showActiveFileVerdicts(analysis)),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show()),
  );
  analysis.start();
  return { getFileReport: (uri) => analysis.getFileReport(uri), whenIndexed: () => analysis.whenIndexed() };
}

export function deactivate(): void {}

const VERDICT_ICON: Record<FunctionReport['verdict'], string> = {
  cpu: '$(flame)',
  io: '$(cloud-download)',
  native: '$(zap)',
  mixed: '$(layers)',
  'async-io': '$(sync)',
  trivial: '$(dash)',
  unknown: '$(question)',
};

/** Quick pick of the active file's functions with their verdicts; picking one reveals it. */
async function showActiveFileVerdicts(analysis: AnalysisService): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('Concurrency Lens: open a Python file to see its verdicts.');
    return;
  }
  const report = await analysis.getFileReport(editor.document.uri);
  const items = report.functions.map((fn) => ({
    label: `${VERDICT_ICON[fn.verdict]} ${fn.qualname}`,
    description: `${fn.verdict} · ${fn.recommendation} · ${Math.round(fn.confidence * 100)}%`,
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
