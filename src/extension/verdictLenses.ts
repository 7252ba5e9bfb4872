import * as vscode from 'vscode';
import type { FunctionReport, Verdict } from '../core/model';
import type { AnalysisService } from './analysisService';
import { affects, readConfig } from './config';
import { Commands, Settings } from './constants';

/** Below this confidence the lens says so. */
const LOW_CONFIDENCE = 0.6;

/** How each verdict reads in the editor and the views (codicon name, a few words). */
export const VERDICT_TEXT: Record<Verdict, { icon: string; label: string }> = {
  cpu: { icon: 'flame', label: 'CPU-bound' },
  io: { icon: 'cloud-download', label: 'I/O-bound' },
  native: { icon: 'zap', label: 'native, releases the GIL' },
  mixed: { icon: 'layers', label: 'mixed CPU and I/O' },
  'async-io': { icon: 'sync', label: 'async I/O' },
  trivial: { icon: 'dash', label: 'too small to parallelize' },
  unknown: { icon: 'question', label: 'unknown work' },
};

/** The verdict in a few words, e.g. `$(flame) CPU-bound · use processes`. */
export function verdictSummary(fn: FunctionReport): string {
  const { icon, label } = VERDICT_TEXT[fn.verdict];
  const advice = fn.verdict === 'trivial' ? '' : fn.verdict === 'unknown' ? ' · measure it' : ` · use ${fn.recommendation}`;
  const confidence = fn.confidence < LOW_CONFIDENCE && fn.verdict !== 'unknown' ? ` · low confidence (${Math.round(fn.confidence * 100)}%)` : '';
  return `$(${icon}) ${label}${advice}${confidence}`;
}

/**
 * A lens above every Python function with its verdict (click: the evidence), and a hover on the
 * `def` line with the evidence linked to its lines. The lens row leaves room for run actions.
 */
export class VerdictLenses implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly analysis: AnalysisService) {
    const selector: vscode.DocumentSelector = [{ language: 'python', scheme: 'file' }, { language: 'python', scheme: 'untitled' }];
    this.subscriptions = [
      this.changed,
      vscode.languages.registerCodeLensProvider(selector, this),
      vscode.languages.registerHoverProvider(selector, this),
      vscode.commands.registerCommand(Commands.showEvidence, (uri: vscode.Uri, qualname: string) => this.showEvidence(uri, qualname)),
      analysis.onDidChangeReport(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, Settings.codeLensEnable)) this.changed.fire();
      }),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!readConfig(document.uri).codeLens) return [];
    const report = await this.analysis.documentReport(document);
    if (token.isCancellationRequested) return [];
    return report.functions
      .filter((fn) => fn.line - 1 < document.lineCount)
      .map((fn) => {
        const line = document.lineAt(fn.line - 1);
        const range = new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.length);
        return new vscode.CodeLens(range, {
          title: verdictSummary(fn),
          tooltip: `${fn.qualname}: ${fn.verdict}, ${fn.recommendation}, ${Math.round(fn.confidence * 100)}% confidence. Click for the evidence.`,
          command: Commands.showEvidence,
          arguments: [document.uri, fn.qualname],
        });
      });
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const report = await this.analysis.documentReport(document);
    const fn = report.functions.find((f) => f.line - 1 === position.line);
    if (!fn || token.isCancellationRequested) return undefined;
    const markdown = new vscode.MarkdownString(undefined, true);
    markdown.appendMarkdown(`**Concurrency Lens** · ${verdictSummary(fn)} · ${Math.round(fn.confidence * 100)}% confidence\n\n`);
    for (const evidence of fn.evidence.slice(0, 8)) {
      const target = document.uri.with({ fragment: `L${evidence.line}` });
      markdown.appendMarkdown(`- [line ${evidence.line}](${target.toString()}): `);
      markdown.appendText(evidence.reason);
      markdown.appendMarkdown('\n');
    }
    if (fn.evidence.length > 8) markdown.appendText(`… and ${fn.evidence.length - 8} more (click the lens for all)`);
    const line = document.lineAt(position.line);
    return new vscode.Hover(markdown, new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.length));
  }

  /** A quick pick of the evidence behind a function's verdict; picking a line reveals it (and moving through the list previews it). */
  private async showEvidence(uri: vscode.Uri, qualname: string): Promise<void> {
    const report = await this.analysis.getFileReport(uri);
    const fn = report.functions.find((f) => f.qualname === qualname);
    if (!fn) {
      void vscode.window.showInformationMessage(`Concurrency Lens: ${qualname} is no longer in ${vscode.workspace.asRelativePath(uri)}.`);
      return;
    }
    const items = [
      { label: `$(symbol-function) def ${fn.qualname}`, description: `line ${fn.line}`, line: fn.line },
      ...fn.evidence.map((evidence) => ({ label: `$(arrow-right) line ${evidence.line}`, detail: evidence.reason, line: evidence.line })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `${fn.qualname}: ${verdictSummary(fn).replace(/\$\([a-z-]+\) /, '')} (${Math.round(fn.confidence * 100)}% confidence)`,
      placeHolder: fn.evidence.length > 0 ? 'Evidence behind the verdict: pick a line to go to it' : 'No evidence: the function does too little to weigh',
      matchOnDetail: true,
    });
    if (picked) await vscode.commands.executeCommand(Commands.revealLocation, uri, picked.line);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
