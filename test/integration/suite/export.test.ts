import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReportSummary } from '../../../src/core/report';
import { RULE_IDS, ruleDocumentation } from '../../../src/core/rules';
import { Commands, Views } from '../../../src/extension/constants';
import { JOBS_FILE } from '../expected';
import { api, waitFor } from './helpers';

type Provider = vscode.TreeDataProvider<unknown>;

/** The view's top-level groups as `{ cpu: 3 }` / `{ CL001: 1 }`, from their ids (`verdict/cpu`, `rule/CL001`). */
async function groupCounts(provider: Provider): Promise<Record<string, number>> {
  const groups = (await provider.getChildren(undefined)) ?? [];
  const items = await Promise.all(groups.map((group) => provider.getTreeItem(group)));
  return Object.fromEntries(items.map((item) => [item.id?.split('/')[1] ?? '', Number(item.description)]));
}

function exportTo(options: { format?: 'md' | 'html' | 'json'; uri: vscode.Uri }): Promise<vscode.Uri | undefined> {
  return Promise.resolve(vscode.commands.executeCommand<vscode.Uri | undefined>(Commands.exportReport, options));
}

describe('Export Report', () => {
  let folder: string;

  before(async () => {
    await api();
    await vscode.commands.executeCommand(`${Views.functions}.focus`);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'concurrency-lens-export-'));
  });

  after(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('writes Markdown with the workspace in its title', async () => {
    const target = vscode.Uri.file(path.join(folder, 'report.md'));
    const written = await exportTo({ format: 'md', uri: target });
    assert.equal(written?.toString(), target.toString());
    const markdown = fs.readFileSync(target.fsPath, 'utf8');
    assert.ok(markdown.includes(`Concurrency Lens report: ${vscode.workspace.name ?? ''}`), 'the title names the workspace');
    assert.ok(markdown.includes('count_primes'));
    assert.ok(markdown.includes(JOBS_FILE));
  });

  it('writes self-contained HTML: no script, nothing loaded from the network, only links to the rules', async () => {
    const target = vscode.Uri.file(path.join(folder, 'report.html'));
    assert.equal((await exportTo({ format: 'html', uri: target }))?.toString(), target.toString());
    const html = fs.readFileSync(target.fsPath, 'utf8');
    assert.ok(html.includes('count_primes'));
    assert.ok(!/<script/i.test(html), 'no <script');
    assert.ok(!/url\(\s*['"]?https?:/i.test(html), 'no CSS url() from the network');
    const ruleLinks = new Set(RULE_IDS.map(ruleDocumentation));
    for (const [, attribute, url] of html.matchAll(/\b(src|href)\s*=\s*["']?(https?:[^"'\s>]+)/gi)) {
      assert.ok(attribute?.toLowerCase() === 'href' && url !== undefined && ruleLinks.has(url), `${attribute}=${url} is a rule's documentation`);
    }
  });

  it('writes JSON whose summary matches the Functions and Findings views', async () => {
    const target = vscode.Uri.file(path.join(folder, 'report.json'));
    assert.equal((await exportTo({ format: 'json', uri: target }))?.toString(), target.toString());
    const document = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as { summary: ReportSummary; files: Array<{ path: string }> };
    const { summary } = document;
    assert.ok(summary.functions > 0);
    assert.ok(summary.findings > 0);
    assert.ok(document.files.some((file) => file.path === JOBS_FILE), `${JOBS_FILE} by its workspace-relative path`);
    assert.ok(document.files.every((file) => !path.isAbsolute(file.path)), 'paths are workspace-relative');

    const byVerdict = Object.fromEntries(Object.entries(summary.functionsByVerdict).filter(([, count]) => count > 0));
    const { views } = await api();
    // The views hear of the analysis the export waited for a moment later (the change event is debounced).
    const shown = await waitFor('the views to show what was exported', async () => {
      const functions = await groupCounts(views.functions);
      const findings = await groupCounts(views.findings);
      const same = JSON.stringify(functions) === JSON.stringify(byVerdict) && JSON.stringify(findings) === JSON.stringify(summary.findingsByRule);
      return same ? { functions, findings } : undefined;
    }, 15_000);
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
    assert.equal(total(shown.functions), summary.functions);
    assert.equal(total(shown.findings), summary.findings);
  });

  it('takes the format from the file name when only a uri is given', async () => {
    const target = vscode.Uri.file(path.join(folder, 'from-name.json'));
    assert.equal((await exportTo({ uri: target }))?.toString(), target.toString());
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(target.fsPath, 'utf8')));
  });
});
