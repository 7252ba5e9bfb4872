import * as vscode from 'vscode';
import type { AnalysisReport } from '../core/model';
import { isReportFormat, renderReport, reportFormatOfFile, summarizeReport, type ReportFormat } from '../core/report';
import { Commands } from './constants';
import { plural } from './words';
import type { RunHistory } from './runHistory';
import type { WorkspaceReports } from './workspaceReports';

/** What a caller (an integration test, another extension) may decide instead of the user. */
interface ExportOptions {
  format?: ReportFormat;
  uri?: vscode.Uri;
}

interface FormatChoice extends vscode.QuickPickItem {
  format: ReportFormat;
}

const FORMAT_CHOICES: readonly FormatChoice[] = [
  { format: 'md', label: 'Markdown', description: '.md', detail: 'Readable anywhere; paste it into an issue or a pull request' },
  { format: 'html', label: 'HTML', description: '.html', detail: 'A single self-contained file, to attach to a pull request' },
  { format: 'json', label: 'JSON', description: '.json', detail: 'Every verdict, evidence line and finding, for other tools' },
];

const FILTER_NAMES: Record<ReportFormat, string> = { md: 'Markdown', html: 'HTML', json: 'JSON' };

/**
 * Registers `Commands.exportReport`: the workspace's analysis saved as Markdown, HTML or JSON. The
 * command resolves to the written file's Uri (undefined when cancelled or failed).
 */
export function registerExport(reports: WorkspaceReports, history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.exportReport, (options?: unknown) => exportReport(reports, history, exportOptionsOf(options)));
}

/** Menus may pass arguments of their own (a view's element): only a well-formed options object counts. */
function exportOptionsOf(argument: unknown): ExportOptions {
  if (typeof argument !== 'object' || argument === null) return {};
  const { format, uri } = argument as Record<string, unknown>;
  return {
    format: typeof format === 'string' && isReportFormat(format) ? format : undefined,
    uri: uri instanceof vscode.Uri ? uri : undefined,
  };
}

async function exportReport(reports: WorkspaceReports, history: RunHistory, options: ExportOptions): Promise<vscode.Uri | undefined> {
  const chosen = options.format ?? (options.uri && reportFormatOfFile(options.uri.path)) ?? (await pickFormat());
  if (chosen === undefined) return undefined;
  const target = options.uri ?? (await pickTarget(chosen));
  if (target === undefined) return undefined;
  // The name typed in the save dialog is the user's last word on the format.
  const format = options.format ?? reportFormatOfFile(target.path) ?? chosen;
  try {
    const analyzed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Concurrency Lens: analyzing the workspace for the report…', cancellable: true },
      (_progress, token) =>
        new Promise<boolean>((resolve, reject) => {
          token.onCancellationRequested(() => resolve(false));
          reports.whenAnalyzed().then(() => resolve(true), reject);
        }),
    );
    if (!analyzed) return undefined;
    const report: AnalysisReport = {
      interpreter: reports.interpreter,
      files: reports.reports().map((file) => ({ ...file, path: vscode.workspace.asRelativePath(file.path, false) })),
    };
    const title = `Concurrency Lens report: ${vscode.workspace.name ?? 'workspace'}`;
    const runs = history.list().flatMap((run) =>
      run.runs.map((row) => ({ function: run.target.function, call: run.target.call, startedAt: run.startedAt, recommendation: run.recommendation, ...row, ...(run.warning && { warning: run.warning }) })),
    );
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(renderReport(report, format, { title, runs })));
    const summary = summarizeReport(report);
    // Not awaited: the command resolves once the file is written, whether or not the message is answered.
    void vscode.window
      .showInformationMessage(
        `Exported ${plural(summary.functions, 'function')} and ${plural(summary.findings, 'finding')} to ${vscode.workspace.asRelativePath(target)}`,
        'Open',
      )
      .then((answer) => (answer === 'Open' ? openReport(target, format) : undefined))
      .then(undefined, (error: unknown) => showError('could not open the report', error));
    return target;
  } catch (error) {
    showError('could not export the report', error);
    return undefined;
  }
}

async function pickFormat(): Promise<ReportFormat | undefined> {
  const picked = await vscode.window.showQuickPick(FORMAT_CHOICES, {
    title: 'Concurrency Lens: Export Report',
    placeHolder: 'Format of the report',
  });
  return picked?.format;
}

function pickTarget(format: ReportFormat): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const fileName = `concurrency-lens-report.${format}`;
  return vscode.window.showSaveDialog({
    title: 'Concurrency Lens: Export Report',
    saveLabel: 'Export',
    defaultUri: folder ? vscode.Uri.joinPath(folder.uri, fileName) : undefined,
    filters: { [FILTER_NAMES[format]]: [format] },
  });
}

/** HTML opens in the browser it is meant for; Markdown and JSON in an editor. */
async function openReport(uri: vscode.Uri, format: ReportFormat): Promise<void> {
  if (format === 'html') await vscode.env.openExternal(uri);
  else await vscode.window.showTextDocument(uri);
}

function showError(what: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  void vscode.window.showErrorMessage(`Concurrency Lens ${what}: ${reason}`);
}
