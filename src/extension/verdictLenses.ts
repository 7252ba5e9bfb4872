import * as path from 'node:path';
import * as vscode from 'vscode';
import { measurableVerdict } from '../core/dispatch';
import { measuredSummary } from '../core/measuredStore';
import type { FunctionReport, MeasuredResult } from '../core/model';
import { dispatchExplanation, predictedLine, verdictSummary } from '../core/verdictText';
import { atTime, type AnalysisService } from './analysisService';
import { affects, readConfig } from './config';
import { Commands, Settings } from './constants';
import { LANGUAGES } from '../core/languages';
import { ANALYZED_DOCUMENTS, type Family, familyOf, isAnalyzedLanguage } from './languages';
import type { MeasuredResults } from './measuredResults';

/**
 * Registers the verdict lenses as the extension's module loads, before `activate`: VS Code asks a newly
 * registered provider for lenses only after a debounce (375 ms). The window handles the registration in
 * the order the extension host sent it, after it answered for the extension's context, so the first
 * request comes after `activate` (one debounce after the window caught up: 0.2 s to 0.85 s after it in
 * code-server), never during the wait for the context. The lenses come once `activate` attaches the
 * provider (`attach`).
 */
export function registerLensesEarly(output: vscode.LogOutputChannel): { attach(lenses: VerdictLenses): vscode.Disposable } {
  const changed = new vscode.EventEmitter<void>();
  let attach!: (lenses: VerdictLenses) => void;
  const attached = new Promise<VerdictLenses>((resolve) => (attach = resolve));
  const firstAsked = new Set<string>();
  const registration = vscode.languages.registerCodeLensProvider(ANALYZED_DOCUMENTS, {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses: async (document, token) => {
      const first = !firstAsked.has(document.uri.toString());
      firstAsked.add(document.uri.toString());
      const asked = Date.now();
      if (first) output.info(`lenses of ${path.basename(document.uri.fsPath)} asked for the first time${atTime(asked)}`);
      const lenses = await (await attached).provideCodeLenses(document, token);
      if (first) output.info(`lenses of ${path.basename(document.uri.fsPath)}: ${lenses.length} in ${Date.now() - asked} ms${token.isCancellationRequested ? ' (cancelled)' : ''}`);
      return lenses;
    },
  });
  return {
    attach(lenses) {
      attach(lenses);
      return vscode.Disposable.from(registration, changed, lenses.onDidChangeCodeLenses(() => changed.fire()), lenses);
    },
  };
}

/**
 * A lens above every function with its verdict (click: the evidence), and a hover on the
 * `def` line with the evidence linked to its lines. The lens row leaves room for run actions.
 */
export class VerdictLenses implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  /** What each document's lenses last showed: a new report that shows the same leaves them in place. */
  private readonly shownLenses = new Map<string, string>();
  /** Lens requests under way per document, and the documents whose report changed meanwhile. */
  private readonly pending = new Map<string, number>();
  private readonly changedWhileAsked = new Set<string>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly analysis: AnalysisService,
    private readonly measured: MeasuredResults,
  ) {
    const selector = ANALYZED_DOCUMENTS;
    this.subscriptions = [
      this.changed,
      vscode.languages.registerHoverProvider(selector, this),
      vscode.commands.registerCommand(Commands.showEvidence, (uri?: vscode.Uri, qualname?: string) => this.showEvidence(uri, qualname)),
      analysis.onDidChangeReport((uri) => void this.refreshIfChanged(uri)),
      measured.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, Settings.codeLensEnable, Settings.runActionsEnable)) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.shownLenses.delete(doc.uri.toString())),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const config = readConfig(document.uri);
    if (!config.codeLens) return [];
    const family = familyOf(document.languageId);
    if (!family) return [];
    const key = document.uri.toString();
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    try {
      const report = await this.analysis.documentReport(document);
      if (token.isCancellationRequested) return [];
      const lenses = this.lensesFor(document, report.functions, config.runActions && vscode.workspace.isTrusted, family);
      this.shownLenses.set(key, lensSignature(lenses));
      return lenses;
    } catch (error) {
      this.shownLenses.set(key, lensSignature([]));
      throw error;
    } finally {
      const left = (this.pending.get(key) ?? 1) - 1;
      if (left > 0) this.pending.set(key, left);
      else this.pending.delete(key);
      // A report that came while this one was asked for: compared with what is shown once it is.
      if (left === 0 && this.changedWhileAsked.delete(key)) void this.refreshIfChanged(document.uri);
    }
  }

  /**
   * Refreshing lenses disposes the commands of the ones shown (a click landing meanwhile fails with
   * "command not found"), so a report that changes nothing a lens shows (the refined answer after the
   * first one, a dependency re-decided the same way) leaves them alone.
   */
  private async refreshIfChanged(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    // VS Code would cancel the request under way and ask again after its debounce (375 ms and more).
    if (this.pending.has(key)) {
      this.changedWhileAsked.add(key);
      return;
    }
    const shown = this.shownLenses.get(key);
    // Never asked for (VS Code asks when the document is shown): firing would only postpone that first request.
    if (shown === undefined) return;
    const document = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === key);
    const family = document && familyOf(document.languageId);
    if (!document || !family) {
      this.changed.fire();
      return;
    }
    const config = readConfig(document.uri);
    const report = await this.analysis.documentReport(document);
    const lenses = config.codeLens ? this.lensesFor(document, report.functions, config.runActions && vscode.workspace.isTrusted, family) : [];
    if (lensSignature(lenses) !== shown) this.changed.fire();
  }

  private lensesFor(document: vscode.TextDocument, functions: readonly FunctionReport[], runActions: boolean, family: Family): vscode.CodeLens[] {
    return functions
      .filter((fn) => fn.line - 1 < document.lineCount)
      .flatMap((fn) => {
        const line = document.lineAt(fn.line - 1);
        const range = new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.length);
        const target = [document.uri, fn.qualname];
        const verdict = new vscode.CodeLens(range, {
          title: verdictSummary(fn),
          tooltip: `${fn.qualname}: ${fn.verdict}, ${fn.recommendation}, ${Math.round(fn.confidence * 100)}% confidence. Click for the evidence.`,
          command: Commands.showEvidence,
          arguments: target,
        });
        const result = this.measured.resultFor(document.uri, fn);
        const shown = result ? [verdict, new vscode.CodeLens(range, { title: measuredSummary(result, measurableVerdict(fn).recommendation), tooltip: measuredTooltip(result), command: '' })] : [verdict];
        // Running code needs a trusted workspace: no run actions where they could only refuse.
        if (!runActions) return shown;
        const { threads, processes } = LANGUAGES[family].pools;
        // Too small to parallelize: no pool to try, but Compare can still check the analyzer.
        const trivial = fn.verdict === 'trivial';
        return [
          ...shown,
          ...(trivial
            ? []
            : [
                new vscode.CodeLens(range, { title: `Run in ${threads}`, tooltip: `Run ${fn.qualname} for real: sequentially and in a ${threads} pool`, command: Commands.runInThreads, arguments: target }),
                new vscode.CodeLens(range, { title: `Run in ${processes}`, tooltip: `Run ${fn.qualname} for real: sequentially and in a ${processes} pool`, command: Commands.runInProcesses, arguments: target }),
              ]),
          new vscode.CodeLens(range, {
            title: 'Compare',
            tooltip: trivial
              ? `The analyzer finds ${fn.qualname} too small to parallelize: measure every mode to check it`
              : `Run ${fn.qualname} in every mode and worker count, and measure which wins`,
            command: Commands.compare,
            arguments: target,
          }),
          new vscode.CodeLens(range, { title: 'Edit Call…', tooltip: `Change the call a benchmark of ${fn.qualname} runs per task (it is remembered), then Compare`, command: Commands.editCall, arguments: target }),
        ];
      });
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const report = await this.analysis.documentReport(document);
    const fn = report.functions.find((f) => f.line - 1 === position.line);
    if (!fn || token.isCancellationRequested) return undefined;
    const markdown = new vscode.MarkdownString(undefined, true);
    markdown.appendMarkdown(`**Concurrency Lens** · ${verdictSummary(fn)} · ${Math.round(fn.confidence * 100)}% confidence\n\n`);
    for (const paragraph of [dispatchExplanation(fn), predictedLine(fn)]) {
      if (paragraph !== undefined) markdown.appendText(paragraph).appendMarkdown('\n\n');
    }
    for (const evidence of fn.evidence.slice(0, 8)) {
      const target = document.uri.with({ fragment: `L${evidence.line}` });
      markdown.appendMarkdown(`- [line ${evidence.line}](${target.toString()}): `);
      markdown.appendText(evidence.reason);
      markdown.appendMarkdown('\n');
    }
    if (fn.evidence.length > 8) markdown.appendText(`… and ${fn.evidence.length - 8} more (click the lens for all)`);
    const result = this.measured.resultFor(document.uri, fn);
    if (result) {
      markdown.appendMarkdown('\n\n');
      markdown.appendText(`${measuredSummary(result, measurableVerdict(fn).recommendation)} (${measuredTooltip(result)})`);
    }
    const line = document.lineAt(position.line);
    return new vscode.Hover(markdown, new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.length));
  }

  /**
   * A quick pick of the evidence behind a function's verdict (the function at the cursor when called
   * from the palette): moving through the list shows each line, Enter stays there, Escape goes back.
   */
  private async showEvidence(uri?: vscode.Uri, qualname?: string): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri;
    if (!target || (!uri && !isAnalyzedLanguage(editor?.document.languageId ?? ''))) {
      void vscode.window.showInformationMessage('Concurrency Lens: put the cursor in a Python function to see the evidence behind its verdict.');
      return;
    }
    const report = await this.analysis.getFileReport(target);
    const cursorLine = editor && !uri ? editor.selection.active.line + 1 : undefined;
    const fn = qualname !== undefined
      ? report.functions.find((f) => f.qualname === qualname)
      : innermostAt(report.functions, cursorLine ?? 0);
    if (!fn) {
      const where = qualname ?? `line ${cursorLine ?? '?'}`;
      void vscode.window.showInformationMessage(`Concurrency Lens: no function at ${where} in ${vscode.workspace.asRelativePath(target)}.`);
      return;
    }
    const items = [
      { label: `$(symbol-function) def ${fn.qualname}`, description: `line ${fn.line}`, line: fn.line },
      ...fn.evidence.map((evidence) => ({ label: `$(arrow-right) line ${evidence.line}`, detail: evidence.reason, line: evidence.line })),
    ];
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = `${fn.qualname}: ${verdictSummary(fn).replace(/\$\([a-z-]+\) /, '')} (${Math.round(fn.confidence * 100)}% confidence)`;
    pick.placeholder = fn.evidence.length > 0 ? 'Evidence behind the verdict: Enter goes to the line' : 'No evidence: the function does too little to weigh';
    pick.matchOnDetail = true;
    pick.items = items;
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.toString());
    const before = shown && { selection: shown.selection, visible: shown.visibleRanges[0] };
    let accepted = false;
    const preview = (line: number): void => {
      if (!shown) return;
      const range = shown.document.lineAt(Math.min(line, shown.document.lineCount) - 1).range;
      shown.selection = new vscode.Selection(range.start, range.start);
      shown.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    };
    pick.onDidChangeActive(([active]) => active && preview(active.line));
    pick.onDidAccept(() => {
      const [chosen] = pick.selectedItems;
      accepted = true;
      pick.hide();
      if (chosen) void vscode.commands.executeCommand(Commands.revealLocation, target, chosen.line);
    });
    pick.onDidHide(() => {
      pick.dispose();
      if (!accepted && shown && before) {
        shown.selection = before.selection;
        if (before.visible) shown.revealRange(before.visible, vscode.TextEditorRevealType.AtTop);
      }
    });
    pick.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Everything a row of lenses shows, to tell whether a new report would change it. */
function lensSignature(lenses: readonly vscode.CodeLens[]): string {
  return JSON.stringify(lenses.map((lens) => [lens.range.start.line, lens.range.start.character, lens.command?.title, lens.command?.tooltip, lens.command?.command]));
}

/** When the stored result was measured, why it could not decide, and whether the code changed since. */
export function measuredTooltip(result: MeasuredResult): string {
  const repeats = result.repeats !== undefined && result.repeats > 1 ? ` (median of ${result.repeats} runs)` : '';
  const when = `run ${new Date(result.at).toLocaleString()}${repeats}`;
  const why = result.inconclusive ? `; inconclusive: ${result.inconclusive}` : '';
  return `${when}${why}${result.stale ? '; the function changed since: run it again to update' : ''}`;
}

/** The innermost function whose lines contain `line` (a method rather than its class's enclosing function). */
export function innermostAt(functions: readonly FunctionReport[], line: number): FunctionReport | undefined {
  let found: FunctionReport | undefined;
  for (const fn of functions) {
    if (fn.line <= line && line <= fn.endLine && (!found || fn.line >= found.line)) found = fn;
  }
  return found;
}
