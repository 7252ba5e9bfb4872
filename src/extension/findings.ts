import * as vscode from 'vscode';
import type { FileReport, Finding, Severity } from '../core/model';
import { ignoreComment, type SourceEdit } from '../core/edits';
import { ruleDocumentation } from '../core/rules';
import type { AnalysisService } from './analysisService';
import { affects, readConfig } from './config';
import { Commands, Settings } from './constants';
import { LANGUAGES } from '../core/languages';
import { ANALYZED_DOCUMENTS, familyOf } from './languages';

export const DIAGNOSTIC_SOURCE = 'Concurrency Lens';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Where an ignore action applies (a diagnostic, or an item of the Findings view). */
export interface FindingLocation {
  uri: vscode.Uri;
  /** 1-based. */
  line: number;
  rule: string;
}

/**
 * Findings as diagnostics (every analyzed workspace file, and open documents as typed) and their code
 * actions: the rule's quick fix where one is safe, and an `ignore` comment for the line.
 */
export class FindingDiagnostics implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('concurrency-lens');
  /** What each file's diagnostics were made from (URI -> signature), to send only changes. */
  private readonly published = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analysis: AnalysisService) {
    const selector = ANALYZED_DOCUMENTS;
    this.subscriptions = [
      this.collection,
      vscode.languages.registerCodeActionsProvider(selector, this, { providedCodeActionKinds: FindingDiagnostics.providedCodeActionKinds }),
      vscode.commands.registerCommand(Commands.ignoreFinding, (location: FindingLocation) => this.ignore(location)),
      analysis.onDidChange(() => this.publishAll()),
      analysis.onDidChangeReport((uri) => void this.publishDocument(uri)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === 'untitled') this.set(doc.uri, [], undefined);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, Settings.diagnosticsEnable, Settings.diagnosticsSeverity)) this.publishAll();
      }),
    ];
  }

  /**
   * Every workspace file's findings, then open documents outside the workspace index. Only files whose
   * findings changed are sent (this runs as the user types, over a workspace of thousands of files).
   */
  private publishAll(): void {
    if (!readConfig().diagnostics) {
      this.collection.clear();
      this.published.clear();
      return;
    }
    const seen = new Set<string>();
    for (const report of this.analysis.reports()) {
      const uri = vscode.Uri.file(report.path);
      seen.add(uri.toString());
      this.set(uri, report.findings, openDocument(uri));
    }
    for (const key of [...this.published.keys()]) {
      if (!seen.has(key) && !openDocument(vscode.Uri.parse(key))) this.set(vscode.Uri.parse(key), [], undefined);
    }
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.languageId === 'python' && !seen.has(doc.uri.toString())) void this.publishDocument(doc.uri);
    }
  }

  private async publishDocument(uri: vscode.Uri): Promise<void> {
    const doc = openDocument(uri);
    if (!doc || !readConfig(uri).diagnostics) return;
    const report = await this.analysis.documentReport(doc);
    this.set(uri, this.analysis.configuredFindings(report), doc);
  }

  /** Sets a file's diagnostics unless the same findings are already shown there. */
  private set(uri: vscode.Uri, findings: readonly Finding[], doc: vscode.TextDocument | undefined): void {
    const key = uri.toString();
    // Ranges follow the document's lines, which an edit can move without changing a finding.
    const signature = `${doc?.version ?? 'disk'}\n${findings.map((f) => `${f.rule}@${f.line}:${f.severity}:${f.message}`).join('\n')}`;
    if (this.published.get(key) === signature) return;
    if (findings.length === 0) {
      this.collection.delete(uri);
      this.published.delete(key);
    } else {
      this.collection.set(uri, this.diagnostics(findings, doc));
      this.published.set(key, signature);
    }
  }

  private diagnostics(findings: readonly Finding[], doc: vscode.TextDocument | undefined): vscode.Diagnostic[] {
    return findings.map((finding) => {
      const diagnostic = new vscode.Diagnostic(lineRange(finding.line, doc), finding.message.replace(/`/g, ''), SEVERITY[finding.severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = { value: finding.rule, target: vscode.Uri.parse(ruleDocumentation(finding.rule)) };
      return diagnostic;
    });
  }

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const report: FileReport = await this.analysis.documentReport(doc);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const rule = ruleOf(diagnostic);
      const finding = report.findings.find((f) => f.rule === rule && f.line === diagnostic.range.start.line + 1);
      if (!finding || token.isCancellationRequested) continue;
      const fix = await this.analysis.quickFix(doc, finding);
      if (fix) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = workspaceEdit(doc, fix.edits);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
      const ignore = ignoreComment(doc.getText(), finding.line, finding.rule, commentOf(doc));
      if (ignore) {
        const action = new vscode.CodeAction(`Ignore ${finding.rule} on this line`, vscode.CodeActionKind.QuickFix);
        action.edit = workspaceEdit(doc, [ignore]);
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
    }
    return actions;
  }

  /** Adds an `ignore` comment for the finding's rule to its line (the Findings view's action). */
  private async ignore(location: FindingLocation): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(location.uri);
    const edit = ignoreComment(doc.getText(), location.line, location.rule, commentOf(doc));
    if (!edit) return;
    await vscode.workspace.applyEdit(workspaceEdit(doc, [edit]));
    // A file the user did not have open is saved, so that the change reaches the index like any other.
    if (!vscode.window.visibleTextEditors.some((editor) => editor.document === doc)) await doc.save();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === key);
}

/** The finding's line from its first non-blank character; for a closed file, the whole line (VS Code clamps it). */
function lineRange(line: number, doc: vscode.TextDocument | undefined): vscode.Range {
  if (!doc || line > doc.lineCount) return new vscode.Range(line - 1, 0, line - 1, Number.MAX_SAFE_INTEGER);
  const text = doc.lineAt(line - 1);
  return new vscode.Range(text.lineNumber, text.firstNonWhitespaceCharacterIndex, text.lineNumber, text.text.length);
}

function workspaceEdit(doc: vscode.TextDocument, edits: readonly SourceEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.text);
  return edit;
}

/** How a line comment starts in the document's language. */
function commentOf(doc: vscode.TextDocument): '#' | '//' {
  return LANGUAGES[familyOf(doc.languageId) ?? 'python'].lineComment;
}
