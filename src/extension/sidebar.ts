import * as vscode from 'vscode';
import { VERDICTS, type FileReport, type Finding, type FunctionReport, type Severity, type Verdict } from '../core/model';
import { RULES, isRuleId, ruleDocumentation } from '../core/rules';
import { Commands, Views } from './constants';
import { measurableVerdict } from '../core/dispatch';
import { measuredSummary } from '../core/measuredStore';
import { dispatchExplanation, functionDescription, predictedLine, VERDICT_TEXT, verdictHeading } from '../core/verdictText';
import type { MeasuredResults } from './measuredResults';
import { measuredTooltip } from './verdictLenses';
import { plural } from './words';
import type { RunHistory, RunRecord } from './runHistory';
import type { WorkspaceReports } from './workspaceReports';

/** The tree data the sidebar shows, for the extension's API (integration tests read it). */
export interface SidebarViews {
  readonly functions: vscode.TreeDataProvider<unknown>;
  readonly findings: vscode.TreeDataProvider<unknown>;
  readonly runs: vscode.TreeDataProvider<unknown>;
}

/**
 * The Concurrency Lens sidebar: the workspace's functions by verdict, its findings by rule, and the
 * benchmark runs; registers `Commands.revealLocation`, which their items run on click, and the runs'
 * Delete and Clear actions.
 */
export function registerSidebar(reports: WorkspaceReports, history: RunHistory, measured: MeasuredResults): vscode.Disposable & { readonly views: SidebarViews } {
  const functions = new FunctionsProvider(reports, measured);
  const findings = new FindingsProvider(reports);
  const functionsView = vscode.window.createTreeView(Views.functions, { treeDataProvider: functions, showCollapseAll: true });
  const findingsView = vscode.window.createTreeView(Views.findings, { treeDataProvider: findings, showCollapseAll: true });
  const runs = new RunsProvider(history);
  const runsView = vscode.window.createTreeView(Views.runs, { treeDataProvider: runs });

  /** Analyses these views asked for and that have not settled (`busy` has no event of its own). */
  let waiting = 0;
  const showState = (): void => {
    const analyzing = (waiting > 0 || reports.busy) && reports.reports().length === 0 ? 'Analyzing workspace…' : undefined;
    functionsView.message = analyzing;
    findingsView.message = analyzing;
    const count = reports.reports().reduce((total, file) => total + file.findings.length, 0);
    findingsView.badge = count > 0 ? { value: count, tooltip: plural(count, 'concurrency finding') } : undefined;
  };
  showState();

  const disposables: vscode.Disposable[] = [
    functions,
    findings,
    functionsView,
    findingsView,
    runs,
    runsView,
    vscode.commands.registerCommand(Commands.deleteRun, (element: RunsElement) => history.remove(element.run.id)),
    vscode.commands.registerCommand(Commands.clearRuns, () => history.clear()),
    vscode.commands.registerCommand(Commands.revealLocation, revealLocation),
    reports.onDidChange(() => {
      functions.refresh();
      findings.refresh();
      showState();
    }),
    measured.onDidChange(() => functions.refresh()),
  ];
  const settled = (): void => {
    waiting--;
    showState();
  };
  const analyze = (): void => {
    waiting++;
    reports.whenAnalyzed().then(settled, settled);
    showState();
  };
  for (const view of [functionsView, findingsView]) {
    if (view.visible) analyze();
    disposables.push(
      view.onDidChangeVisibility((event) => {
        if (event.visible) analyze();
      }),
    );
  }
  return { views: { functions, findings, runs }, dispose: () => disposables.forEach((disposable) => disposable.dispose()) };
}

/** Opens `uri` with the cursor at the start of 1-based `line`, shown in the centre. */
async function revealLocation(uri: vscode.Uri, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  // The file may have shrunk since it was analyzed.
  const position = new vscode.Position(Math.min(Math.max(line - 1, 0), document.lineCount - 1), 0);
  const range = new vscode.Range(position, position);
  const editor = await vscode.window.showTextDocument(document, { selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
}

/** A report's file as the views show it. */
interface FileEntry {
  report: FileReport;
  uri: vscode.Uri;
  relativePath: string;
}

/** Every report's file, sorted by path: the order of the views' items. */
function sortedFiles(reports: WorkspaceReports): FileEntry[] {
  return [...reports.reports()]
    .sort((a, b) => compareText(a.path, b.path))
    .map((report) => ({ report, uri: vscode.Uri.file(report.path), relativePath: vscode.workspace.asRelativePath(report.path) }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


/** Items of `files` that `select` picks, file by file in order, each file's sorted by line. */
function collectByFile<T extends { line: number }, N>(
  files: readonly FileEntry[],
  select: (report: FileReport) => readonly T[],
  keep: (item: T) => boolean,
  node: (item: T, file: FileEntry) => N,
): N[] {
  const nodes: N[] = [];
  for (const file of files) {
    const items = select(file.report).filter(keep);
    items.sort((a, b) => a.line - b.line);
    for (const item of items) nodes.push(node(item, file));
  }
  return nodes;
}

function revealCommand(uri: vscode.Uri, line: number): vscode.Command {
  return { command: Commands.revealLocation, title: 'Reveal in Editor', arguments: [uri, line] };
}

// Functions view

interface VerdictGroup {
  kind: 'verdict';
  verdict: Verdict;
  count: number;
}

interface FunctionNode {
  kind: 'function';
  fn: FunctionReport;
  file: FileEntry;
}

type FunctionsElement = VerdictGroup | FunctionNode;

/** The tree is built from the reports once per change, and a group's children only when it is expanded. */
class FunctionsProvider implements vscode.TreeDataProvider<FunctionsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot: { files: FileEntry[]; children: Map<Verdict, FunctionNode[]> } | undefined;

  constructor(
    private readonly reports: WorkspaceReports,
    private readonly measured: MeasuredResults,
  ) {}

  refresh(): void {
    this.snapshot = undefined;
    this.changed.fire();
  }

  getChildren(element?: FunctionsElement): FunctionsElement[] {
    this.snapshot ??= { files: sortedFiles(this.reports), children: new Map() };
    const { files, children } = this.snapshot;
    if (element === undefined) {
      const counts = new Map<Verdict, number>();
      for (const file of files) {
        for (const fn of file.report.functions) counts.set(fn.verdict, (counts.get(fn.verdict) ?? 0) + 1);
      }
      return VERDICTS.flatMap((verdict) => {
        const count = counts.get(verdict);
        return count === undefined ? [] : [{ kind: 'verdict', verdict, count } satisfies VerdictGroup];
      });
    }
    if (element.kind === 'function') return [];
    let nodes = children.get(element.verdict);
    if (nodes === undefined) {
      nodes = collectByFile(
        files,
        (report) => report.functions,
        (fn) => fn.verdict === element.verdict,
        (fn, file): FunctionNode => ({ kind: 'function', fn, file }),
      );
      children.set(element.verdict, nodes);
    }
    return nodes;
  }

  getTreeItem(element: FunctionsElement): vscode.TreeItem {
    if (element.kind === 'verdict') {
      const item = new vscode.TreeItem(verdictHeading(element.verdict), vscode.TreeItemCollapsibleState.Collapsed);
      // A stable id keeps the group's expansion when other groups appear or disappear.
      item.id = `verdict/${element.verdict}`;
      item.description = String(element.count);
      item.iconPath = new vscode.ThemeIcon(VERDICT_TEXT[element.verdict].icon);
      return item;
    }
    const { fn, file } = element;
    const item = new vscode.TreeItem(fn.qualname, vscode.TreeItemCollapsibleState.None);
    const result = this.measured.resultFor(file.uri, fn);
    item.description = `${functionDescription(fn)}${result ? ` · ${measuredSummary(result, measurableVerdict(fn).recommendation)}` : ''} · ${percent(fn.confidence)} · ${file.relativePath}:${fn.line}`;
    item.command = revealCommand(file.uri, fn.line);
    return item;
  }

  /** Tooltips are built on hover: a group may hold tens of thousands of items. */
  resolveTreeItem(item: vscode.TreeItem, element: FunctionsElement): vscode.TreeItem {
    if (element.kind === 'function') {
      const tooltip = functionTooltip(element.fn);
      const result = this.measured.resultFor(element.file.uri, element.fn);
      if (result) tooltip.appendText(`${measuredSummary(result, measurableVerdict(element.fn).recommendation)} (${measuredTooltip(result)})`);
      item.tooltip = tooltip;
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const TOOLTIP_EVIDENCE = 3;

function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

function functionTooltip(fn: FunctionReport): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString('', true);
  tooltip.appendMarkdown(`$(${VERDICT_TEXT[fn.verdict].icon}) **`).appendText(fn.qualname).appendMarkdown('**\n\n');
  tooltip.appendMarkdown(`${verdictHeading(fn.verdict)} · recommendation: **${fn.recommendation}** · confidence ${percent(fn.confidence)}\n\n`);
  for (const paragraph of [dispatchExplanation(fn), predictedLine(fn)]) {
    if (paragraph !== undefined) tooltip.appendText(paragraph).appendMarkdown('\n\n');
  }
  for (const evidence of fn.evidence.slice(0, TOOLTIP_EVIDENCE)) {
    tooltip.appendMarkdown(`- line ${evidence.line}: `).appendText(evidence.reason).appendMarkdown('\n');
  }
  return tooltip;
}

// Findings view

interface RuleGroup {
  kind: 'rule';
  rule: string;
  count: number;
  severity: Severity;
}

/** `uri`, `line` and `rule` are what `Commands.ignoreFinding` reads from the element it is given. */
interface FindingNode {
  kind: 'finding';
  uri: vscode.Uri;
  line: number;
  rule: string;
  finding: Finding;
  relativePath: string;
}

type FindingsElement = RuleGroup | FindingNode;

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

const SEVERITY_ICON: Record<Severity, vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  information: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('lightbulb'),
};

class FindingsProvider implements vscode.TreeDataProvider<FindingsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshot: { files: FileEntry[]; children: Map<string, FindingNode[]> } | undefined;

  constructor(private readonly reports: WorkspaceReports) {}

  refresh(): void {
    this.snapshot = undefined;
    this.changed.fire();
  }

  getChildren(element?: FindingsElement): FindingsElement[] {
    this.snapshot ??= { files: sortedFiles(this.reports), children: new Map() };
    const { files, children } = this.snapshot;
    if (element === undefined) {
      const groups = new Map<string, RuleGroup>();
      for (const file of files) {
        for (const { rule, severity } of file.report.findings) {
          const group = groups.get(rule);
          if (group === undefined) groups.set(rule, { kind: 'rule', rule, count: 1, severity });
          else {
            group.count++;
            if (SEVERITY_RANK[severity] > SEVERITY_RANK[group.severity]) group.severity = severity;
          }
        }
      }
      return [...groups.values()].sort((a, b) => compareText(a.rule, b.rule));
    }
    if (element.kind === 'finding') return [];
    let nodes = children.get(element.rule);
    if (nodes === undefined) {
      nodes = collectByFile(
        files,
        (report) => report.findings,
        (finding) => finding.rule === element.rule,
        (finding, file): FindingNode => ({
          kind: 'finding',
          uri: file.uri,
          line: finding.line,
          rule: finding.rule,
          finding,
          relativePath: file.relativePath,
        }),
      );
      children.set(element.rule, nodes);
    }
    return nodes;
  }

  getTreeItem(element: FindingsElement): vscode.TreeItem {
    if (element.kind === 'rule') {
      const title = isRuleId(element.rule) ? `${element.rule} ${RULES[element.rule].title}` : element.rule;
      const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `rule/${element.rule}`;
      item.description = String(element.count);
      item.iconPath = SEVERITY_ICON[element.severity];
      return item;
    }
    const item = new vscode.TreeItem(headline(element.finding.message), vscode.TreeItemCollapsibleState.None);
    item.description = `${element.relativePath}:${element.line}`;
    item.iconPath = SEVERITY_ICON[element.finding.severity];
    item.contextValue = 'finding';
    item.command = revealCommand(element.uri, element.line);
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, element: FindingsElement): vscode.TreeItem {
    if (element.kind === 'finding') item.tooltip = findingTooltip(element.finding);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const HEADLINE_LENGTH = 90;

/**
 * The message's first clause as plain text: up to the first `: ` or `. ` outside code spans
 * (`` `"__main__":` ``), without parenthesized asides (`(line 10: …)`), shortened at a word.
 */
function headline(message: string): string {
  let clause = '';
  let depth = 0;
  let inCode = false;
  for (let i = 0; i < message.length; i++) {
    const char = message.charAt(i);
    if (char === '`') inCode = !inCode;
    else if (!inCode && char === '(') depth++;
    else if (!inCode && char === ')' && depth > 0) depth--;
    else if (depth === 0) {
      if (!inCode && (char === ':' || char === '.') && message.charAt(i + 1) === ' ') break;
      clause += char;
    }
  }
  clause = clause.replace(/\s+/g, ' ').trim();
  if (clause.length <= HEADLINE_LENGTH) return clause;
  const cut = clause.lastIndexOf(' ', HEADLINE_LENGTH - 1);
  return `${clause.slice(0, cut > 0 ? cut : HEADLINE_LENGTH - 1)}…`;
}

/** The message with its backtick spans as code and everything else as text, then the rule's documentation. */
function findingTooltip(finding: Finding): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  finding.message.split('`').forEach((part, index) => {
    if (index % 2 === 1) tooltip.appendMarkdown(`\`${part}\``);
    else tooltip.appendText(part);
  });
  const title = isRuleId(finding.rule) ? `${finding.rule}: ${RULES[finding.rule].title}` : finding.rule;
  tooltip.appendMarkdown('\n\n[').appendText(title).appendMarkdown(`](${ruleDocumentation(finding.rule)})`);
  return tooltip;
}

// Runs view

interface RunNode {
  kind: 'run';
  run: RunRecord;
}

interface ModeNode {
  kind: 'mode';
  run: RunRecord;
  row: RunRecord['runs'][number];
}

/** `run` on both, so the Delete action's argument always names its run. */
type RunsElement = RunNode | ModeNode;

/** The benchmark runs, newest first; each expands into its modes. Click: the results. */
class RunsProvider implements vscode.TreeDataProvider<RunsElement>, vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly history: RunHistory) {
    this.subscription = history.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: RunsElement): RunsElement[] {
    if (!element) return this.history.list().map((run) => ({ kind: 'run', run }));
    if (element.kind === 'mode') return [];
    return element.run.runs.map((row) => ({ kind: 'mode', run: element.run, row }));
  }

  getTreeItem(element: RunsElement): vscode.TreeItem {
    const { run } = element;
    if (element.kind === 'run') {
      const item = new vscode.TreeItem(run.target.function, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `run/${run.id}`;
      const failed = run.stopped !== undefined || run.runs.some((r) => r.error !== null);
      item.description = `${run.recommendation ? `use ${run.recommendation}` : run.inconclusive ? 'inconclusive' : 'no verdict'} · ${new Date(run.startedAt).toLocaleString()}`;
      item.iconPath = new vscode.ThemeIcon(failed ? 'warning' : 'pulse');
      item.contextValue = 'run';
      const tooltip = new vscode.MarkdownString();
      tooltip.appendText(`${run.target.function} in ${run.target.file}: ${run.recommendation ?? (run.inconclusive ? 'inconclusive' : 'no verdict')} (${run.reason})`);
      if (run.staticVerdict) tooltip.appendText(`\nStatic verdict: ${run.staticVerdict.verdict}, ${run.staticVerdict.recommendation}`);
      tooltip.appendText(`\nCall: ${run.target.call}, ${run.tasks} tasks (right-click: Edit Call and Run Again)`);
      if (run.stopped) tooltip.appendText(`\nStopped: ${run.stopped}`);
      item.tooltip = tooltip;
      item.command = { command: Commands.showRun, title: 'Show Run Results', arguments: [run.id] };
      return item;
    }
    const { row } = element;
    const item = new vscode.TreeItem(`${row.mode}${row.mode === 'sequential' ? '' : ` ×${row.workers}`}`, vscode.TreeItemCollapsibleState.None);
    item.description = row.error ?? `${row.wallSeconds.toFixed(3)} s${row.speedup === null ? '' : ` · ${row.speedup.toFixed(2)}x`}`;
    item.iconPath = new vscode.ThemeIcon(row.error ? 'error' : run.best?.mode === row.mode && run.best.workers === row.workers ? 'star-full' : 'circle-small');
    item.command = { command: Commands.showRun, title: 'Show Run Results', arguments: [run.id] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
