import * as vscode from 'vscode';
import { Views } from './constants';
import { plural } from './words';
import type { WorkspaceReports } from './workspaceReports';

/** Low: to the right of the built-in items on the left (source control, problems). */
const PRIORITY = -100;

/** The workspace's findings count in the status bar; a click shows the Findings view. */
export function registerStatusBar(reports: WorkspaceReports): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('concurrencyLens.status', vscode.StatusBarAlignment.Left, PRIORITY);
  item.name = 'Concurrency Lens';
  item.command = `${Views.findings}.focus`;
  const show = (): void => {
    const files = reports.reports();
    const indexing = reports.indexing;
    if (indexing) {
      item.text = `$(sync~spin) Concurrency Lens: indexing ${indexing.done}/${plural(indexing.total, 'file')}`;
      item.tooltip = 'The open files have their verdicts; those that depend on other modules refine as the index fills';
      item.accessibilityInformation = { label: `Concurrency Lens: indexing ${indexing.done} of ${plural(indexing.total, 'file')}` };
      return;
    }
    if (reports.busy && files.length === 0) {
      item.text = '$(sync~spin) Concurrency Lens';
      item.tooltip = 'Concurrency Lens is analyzing the workspace…';
      item.accessibilityInformation = { label: item.tooltip };
      return;
    }
    let findings = 0;
    let filesWithFindings = 0;
    let functions = 0;
    let anyError = false;
    for (const file of files) {
      functions += file.functions.length;
      if (file.findings.length === 0) continue;
      findings += file.findings.length;
      filesWithFindings++;
      anyError ||= file.findings.some((finding) => finding.severity === 'error');
    }
    const analyzed = `${plural(functions, 'function')} analyzed`;
    if (findings === 0) {
      item.text = '$(check) Concurrency Lens';
      item.tooltip = `No concurrency findings · ${analyzed} — click to show the Findings view`;
    } else {
      // Named, so that it does not read as the Problems panel's own count beside it.
      item.text = `$(${anyError ? 'error' : 'warning'}) Concurrency: ${findings}`;
      item.tooltip = `${plural(findings, 'concurrency finding')} in ${plural(filesWithFindings, 'file')} · ${analyzed} — click to show the Findings view`;
    }
    item.accessibilityInformation = { label: `Concurrency Lens: ${item.tooltip}` };
  };
  show();
  item.show();
  return vscode.Disposable.from(item, reports.onDidChange(show));
}
