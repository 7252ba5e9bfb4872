import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VERDICTS, type FileReport } from '../../../src/core/model';
import { RULES, isRuleId, ruleDocumentation } from '../../../src/core/rules';
import { Commands, Views } from '../../../src/extension/constants';
import { JOBS_EXPECTED, JOBS_FILE } from '../expected';
import { api, waitFor, workspaceFile } from './helpers';

const MISTAKES_FILE = 'mistakes.py';
/** mistakes.py's findings: each rule with the text of the line it is reported on. */
const MISTAKES_EXPECTED = [
  { rule: 'CL001', at: 'pool.map(checksum, limits)' },
  { rule: 'CL004', at: 'POOL = ProcessPoolExecutor(max_workers=2)' },
  { rule: 'CL005', at: 'time.sleep(delay)' },
];

type Provider = vscode.TreeDataProvider<unknown>;

interface Row {
  element: unknown;
  item: vscode.TreeItem;
}

async function rows(provider: Provider, parent?: unknown): Promise<Row[]> {
  const children = (await provider.getChildren(parent)) ?? [];
  return Promise.all(children.map(async (element) => ({ element, item: await provider.getTreeItem(element) })));
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The item's tooltip as VS Code gets it on hover. */
async function tooltipOf(provider: Provider, { element, item }: Row): Promise<vscode.TreeItem['tooltip']> {
  const resolved = await provider.resolveTreeItem?.(item, element, new vscode.CancellationTokenSource().token);
  return (resolved ?? item).tooltip;
}

/** The top-level groups' counts by group id (`verdict/cpu`, `rule/CL001`), in the view's order. */
async function groupCounts(provider: Provider): Promise<Array<[string, number]>> {
  return (await rows(provider)).map(({ item }) => [item.id ?? labelOf(item), Number(item.description)]);
}

/** What the views should show: the reports of every Python file of the workspace, counted by verdict and by rule. */
async function expectedGroups(): Promise<{ verdicts: Array<[string, number]>; rules: Array<[string, number]> }> {
  const lens = await api();
  const files = await vscode.workspace.findFiles('**/*.py');
  const reports: FileReport[] = await Promise.all(files.map((uri) => lens.getFileReport(uri)));
  const count = (keys: string[]): Map<string, number> => keys.reduce((counts, key) => counts.set(key, (counts.get(key) ?? 0) + 1), new Map<string, number>());
  const verdicts = count(reports.flatMap((report) => report.functions.map((fn) => fn.verdict)));
  const rules = count(reports.flatMap((report) => report.findings.map((finding) => finding.rule)));
  return {
    verdicts: VERDICTS.filter((verdict) => verdicts.has(verdict)).map((verdict) => [`verdict/${verdict}`, verdicts.get(verdict) ?? 0]),
    rules: [...rules.keys()].sort().map((rule) => [`rule/${rule}`, rules.get(rule) ?? 0]),
  };
}

/** Waits until `provider`'s groups are `expected` (the workspace analysis runs in the background). */
async function settled(provider: Provider, expected: Array<[string, number]>): Promise<void> {
  let shown: Array<[string, number]> = [];
  await waitFor(
    `the view's groups to be ${JSON.stringify(expected)}`,
    async () => {
      shown = await groupCounts(provider);
      return JSON.stringify(shown) === JSON.stringify(expected) ? true : undefined;
    },
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; shown: ${JSON.stringify(shown)}`);
  });
}

async function lineOf(file: string, text: string): Promise<number> {
  const lines = (await vscode.workspace.openTextDocument(workspaceFile(file))).getText().split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `${file} has a line with ${text}`);
  return index + 1;
}

describe('sidebar', () => {
  before(async () => {
    await api();
    // Showing the views starts the workspace analysis.
    await vscode.commands.executeCommand(`${Views.functions}.focus`);
    await vscode.commands.executeCommand(`${Views.findings}.focus`);
  });

  describe('Functions view', () => {
    it('groups the workspace functions by verdict, in verdict order, with their counts', async () => {
      const { functions } = (await api()).views;
      await settled(functions, (await expectedGroups()).verdicts);
      for (const { item } of await rows(functions)) {
        assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
        assert.ok(item.iconPath instanceof vscode.ThemeIcon, `${labelOf(item)} has a codicon`);
      }
      const cpu = (await rows(functions)).find(({ item }) => item.id === 'verdict/cpu');
      assert.equal(cpu && labelOf(cpu.item), 'CPU-bound');
    });

    it(`lists ${JOBS_FILE}'s functions under their verdicts by qualname, with recommendation, confidence and place`, async () => {
      const { functions } = (await api()).views;
      await settled(functions, (await expectedGroups()).verdicts);
      const groups = await rows(functions);
      for (const expected of JOBS_EXPECTED) {
        const group = groups.find(({ item }) => item.id === `verdict/${expected.verdict}`);
        assert.ok(group, `a ${expected.verdict} group`);
        const children = await rows(functions, group.element);
        assert.equal(children.length, Number(group.item.description), `the ${expected.verdict} group's count is its number of children`);
        const line = await lineOf(JOBS_FILE, `def ${expected.name}(`);
        const child = children.find(({ item }) => labelOf(item) === expected.name);
        assert.ok(child, `${expected.name} is listed under ${expected.verdict}`);
        // The recommendation with the predicted speedup, or the size above which a pool pays (a count the code does not tell).
        const advice = `(${expected.recommendation}( ≈\\d+\\.\\d× on \\d+ cores?)?|too small: pays off above ~[\\d,]+ items)`;
        assert.match(String(child.item.description), new RegExp(`^${advice} · \\d{1,3}% · ${JOBS_FILE}:${line}$`));
        assert.ok((await tooltipOf(functions, child)) instanceof vscode.MarkdownString, `${expected.name} has a Markdown tooltip`);
      }
    });

    it('reveals a function when its item is clicked', async () => {
      const { functions } = (await api()).views;
      await settled(functions, (await expectedGroups()).verdicts);
      const cpu = (await rows(functions)).find(({ item }) => item.id === 'verdict/cpu');
      assert.ok(cpu);
      const countPrimes = (await rows(functions, cpu.element)).find(({ item }) => labelOf(item) === 'count_primes');
      const command = countPrimes?.item.command;
      assert.equal(command?.command, Commands.revealLocation);
      await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), workspaceFile(JOBS_FILE).toString());
      assert.equal(editor.selection.active.line + 1, await lineOf(JOBS_FILE, 'def count_primes('));
      assert.equal(editor.selection.active.character, 0);
    });
  });

  describe('Findings view', () => {
    it('groups the workspace findings by rule, with counts and a severity icon', async () => {
      const { findings } = (await api()).views;
      const expected = (await expectedGroups()).rules;
      assert.deepEqual(
        expected.map(([id]) => id),
        MISTAKES_EXPECTED.map(({ rule }) => `rule/${rule}`),
        `the fixture workspace's findings are ${MISTAKES_FILE}'s`,
      );
      await settled(findings, expected);
      for (const { item } of await rows(findings)) {
        const rule = item.id?.replace('rule/', '') ?? '';
        assert.ok(isRuleId(rule));
        assert.equal(labelOf(item), `${rule} ${RULES[rule].title}`);
        assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
        assert.ok(item.iconPath instanceof vscode.ThemeIcon && item.iconPath.id === 'warning', `${rule}: warning icon`);
      }
    });

    it(`lists each finding of ${MISTAKES_FILE} with a short label, its place, and what Ignore Finding needs`, async () => {
      const { findings } = (await api()).views;
      await settled(findings, (await expectedGroups()).rules);
      const groups = await rows(findings);
      for (const expected of MISTAKES_EXPECTED) {
        const group = groups.find(({ item }) => item.id === `rule/${expected.rule}`);
        assert.ok(group, `a ${expected.rule} group`);
        const [child, ...others] = await rows(findings, group.element);
        assert.ok(child, `${expected.rule} has a finding`);
        assert.equal(others.length, 0);
        const line = await lineOf(MISTAKES_FILE, expected.at);
        assert.equal(child.item.description, `${MISTAKES_FILE}:${line}`);
        assert.equal(child.item.contextValue, 'finding');
        // The label is the message's first clause, as plain text; the tooltip has all of it.
        const label = labelOf(child.item);
        const tooltip = await tooltipOf(findings, child);
        assert.ok(tooltip instanceof vscode.MarkdownString);
        assert.ok(label.length > 0 && label.length <= 90 && !/[`()]/.test(label), `${expected.rule}: a short plain label: ${label}`);
        // appendText writes spaces as &nbsp;.
        assert.ok(tooltip.value.replaceAll('&nbsp;', ' ').includes(`[${expected.rule}: `), `${expected.rule}: the tooltip names the rule: ${tooltip.value}`);
        assert.ok(tooltip.value.includes(`](${ruleDocumentation(expected.rule)})`), `${expected.rule}: the tooltip links to the rule's documentation`);
        const element = child.element as { uri?: unknown; line?: unknown; rule?: unknown };
        assert.ok(element.uri instanceof vscode.Uri);
        assert.equal(element.uri.toString(), workspaceFile(MISTAKES_FILE).toString());
        assert.equal(element.line, line);
        assert.equal(element.rule, expected.rule);
        assert.deepEqual(child.item.command?.arguments, [element.uri, line]);
      }
    });
  });
});
