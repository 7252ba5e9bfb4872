/** An analysis report exported as a document to share: Markdown, one self-contained HTML file, or JSON. */

import * as path from 'node:path';
import { formatCores, formatSeconds, formatSpeedup } from './bench/numbers';
import { markdownCode, markdownTableCell, markdownText } from './markdown';
import { measurableVerdict } from './dispatch';
import { measuredWords } from './measuredStore';
import { ruleDocumentation } from './rules';
import { VERDICTS, type AnalysisReport, type FileReport, type Finding, type FunctionReport, type Verdict } from './model';
import { functionDescription } from './verdictText';

export type ReportFormat = 'md' | 'html' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'html', 'json'];

export interface ReportOptions {
  generatedAt?: Date;
  title?: string;
  /** Benchmark runs, emitted as given. */
  runs?: readonly unknown[];
}

export interface ReportSummary {
  files: number;
  filesWithErrors: number;
  functions: number;
  findings: number;
  functionsByVerdict: Record<Verdict, number>;
  findingsByRule: Record<string, number>;
}

const DEFAULT_TITLE = 'Concurrency Lens report';
/** The runs table's columns: a run row's key, its heading, and how its value reads. */
const RUN_COLUMNS: ReadonlyArray<{ key: string; title: string; numeric?: boolean; format?: (value: number) => string; code?: boolean }> = [
  { key: 'function', title: 'function', code: true },
  { key: 'call', title: 'call', code: true },
  { key: 'startedAt', title: 'started' },
  { key: 'mode', title: 'mode' },
  { key: 'workers', title: 'workers', numeric: true },
  { key: 'wallSeconds', title: 'wall time', numeric: true, format: formatSeconds },
  { key: 'spread', title: 'spread (±)', numeric: true, format: formatSeconds },
  { key: 'repeats', title: 'repeats', numeric: true },
  { key: 'cpuSeconds', title: 'CPU time', numeric: true, format: formatSeconds },
  { key: 'speedup', title: 'speedup', numeric: true, format: formatSpeedup },
  { key: 'otherLoad', title: 'other load', numeric: true, format: formatCores },
  { key: 'recommendation', title: 'measured verdict' },
  { key: 'error', title: 'error' },
];
const FORMAT_BY_EXTENSION: Record<string, ReportFormat> = {
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
};

export function isReportFormat(format: string): format is ReportFormat {
  return REPORT_FORMATS.includes(format as ReportFormat);
}

/** The format a file name implies by its extension, if any. */
export function reportFormatOfFile(fileName: string): ReportFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(fileName).toLowerCase()];
}

export function summarizeReport(report: AnalysisReport): ReportSummary {
  const functionsByVerdict = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  const findingsByRule = new Map<string, number>();
  for (const file of report.files) {
    for (const fn of file.functions) functionsByVerdict[fn.verdict]++;
    for (const finding of file.findings) findingsByRule.set(finding.rule, (findingsByRule.get(finding.rule) ?? 0) + 1);
  }
  return {
    files: report.files.length,
    filesWithErrors: report.files.filter((file) => file.errors.length > 0).length,
    functions: report.files.reduce((total, file) => total + file.functions.length, 0),
    findings: report.files.reduce((total, file) => total + file.findings.length, 0),
    functionsByVerdict,
    findingsByRule: Object.fromEntries([...findingsByRule].sort(([a], [b]) => compareText(a, b))),
  };
}

export function renderReport(report: AnalysisReport, format: ReportFormat, options: ReportOptions = {}): string {
  const sorted: AnalysisReport = { ...report, files: sortFiles(report.files) };
  const generatedAt = (options.generatedAt ?? new Date()).toISOString();
  const runs = options.runs ?? [];
  if (format === 'json') {
    const document = { generatedAt, interpreter: sorted.interpreter, summary: summarizeReport(sorted), files: sorted.files, runs };
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  const document = buildDocument(sorted, options.title ?? DEFAULT_TITLE, generatedAt, runs);
  return format === 'md' ? renderMarkdown(document) : renderHtml(document);
}

function sortFiles(files: readonly FileReport[]): FileReport[] {
  return [...files]
    .sort((a, b) => compareText(a.path, b.path))
    .map((file) => ({
      ...file,
      functions: [...file.functions].sort((a, b) => a.line - b.line),
      findings: [...file.findings].sort((a, b) => a.line - b.line),
    }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The document both Markdown and HTML render: what to show is decided once, here.

/** A run of text; code runs render monospaced. */
interface Span {
  text: string;
  code: boolean;
}

interface Cell {
  spans: Span[];
  href?: string;
  /** CSS class of a coloured badge (HTML only). */
  badge?: string;
}

interface Column {
  title: string;
  numeric?: boolean;
}

type Block =
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; items: Span[][] }
  | { kind: 'table'; columns: Column[]; rows: Cell[][] };

interface Section {
  level: 2 | 3;
  heading: Span[];
  blocks: Block[];
}

interface ReportDocument {
  title: string;
  intro: Block[];
  sections: Section[];
}

/** Text in which backticks mark code, as in findings' messages. */
function prose(text: string): Span[] {
  return text
    .split(/`([^`]*)`/)
    .map((part, index) => ({ text: part, code: index % 2 === 1 }))
    .filter((span) => span.text !== '');
}

function code(text: string): Span[] {
  return [{ text, code: true }];
}

const paragraph = (spans: Span[]): Block => ({ kind: 'paragraph', spans });
const ruleLink = (rule: string): Cell => ({ spans: prose(rule), href: ruleDocumentation(rule) });
const count = (value: number): Cell => ({ spans: prose(String(value)) });

function buildDocument(report: AnalysisReport, title: string, generatedAt: string, runs: readonly unknown[]): ReportDocument {
  const interpreter = report.interpreter
    ? [
        ...prose('Interpreter: '),
        ...code(report.interpreter.path),
        ...prose(`, Python ${report.interpreter.version}, ${report.interpreter.gilEnabled ? 'GIL enabled' : 'free-threaded'}`),
      ]
    : prose('No interpreter: knowledge base only');
  const shownFiles = report.files.filter((file) => file.functions.length > 0 || file.errors.length > 0);
  return {
    title,
    intro: [paragraph(prose(`Generated ${generatedAt}`)), paragraph(interpreter)],
    sections: [
      summarySection(summarizeReport(report)),
      findingsSection(report.files),
      ...(runs.length > 0 ? [runsSection(runs)] : []),
      { level: 2, heading: prose('Files'), blocks: shownFiles.length > 0 ? [] : [paragraph(prose('No functions.'))] },
      ...shownFiles.map(fileSection),
    ],
  };
}

function summarySection(summary: ReportSummary): Section {
  const errors = summary.filesWithErrors > 0 ? ` (${summary.filesWithErrors} with errors)` : '';
  const blocks: Block[] = [
    paragraph(prose(`${summary.files} files${errors}, ${summary.functions} functions, ${summary.findings} findings.`)),
    {
      kind: 'table',
      columns: [{ title: 'verdict' }, { title: 'functions', numeric: true }],
      rows: VERDICTS.map((verdict) => [verdictBadge(verdict), count(summary.functionsByVerdict[verdict])]),
    },
  ];
  const rules = Object.entries(summary.findingsByRule);
  if (rules.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [{ title: 'rule' }, { title: 'findings', numeric: true }],
      rows: rules.map(([rule, findings]) => [ruleLink(rule), count(findings)]),
    });
  }
  return { level: 2, heading: prose('Summary'), blocks };
}

function findingsSection(files: readonly FileReport[]): Section {
  const rows = files.flatMap((file) => file.findings.map((finding) => findingRow(file.path, finding)));
  const table: Block = {
    kind: 'table',
    columns: [{ title: 'location' }, { title: 'rule' }, { title: 'severity' }, { title: 'message' }],
    rows,
  };
  return { level: 2, heading: prose('Findings'), blocks: [rows.length > 0 ? table : paragraph(prose('No findings.'))] };
}

function findingRow(filePath: string, finding: Finding): Cell[] {
  return [
    { spans: code(`${filePath}:${finding.line}`) },
    ruleLink(finding.rule),
    { spans: prose(finding.severity), badge: `severity-${finding.severity}` },
    { spans: prose(finding.message) },
  ];
}

/**
 * Runs come from the benchmark feature: a table of whichever of the known keys they have, numbers written
 * for people (the JSON export keeps them whole), then each run's warning once (a run has a row per mode).
 */
function runsSection(runs: readonly unknown[]): Section {
  const records = runs.map((run) => (typeof run === 'object' && run !== null ? (run as Record<string, unknown>) : {}));
  const columns = RUN_COLUMNS.filter((column) => records.some((record) => column.key in record));
  const cell = (column: (typeof RUN_COLUMNS)[number], value: unknown): Cell => {
    if (value === undefined || value === null || value === '') return { spans: [] };
    if (typeof value === 'number' && column.format) return { spans: prose(column.format(value)) };
    const text = typeof value === 'string' ? (column.key === 'startedAt' ? startedText(value) : value) : JSON.stringify(value);
    return { spans: column.code ? code(text) : [{ text, code: false }] };
  };
  const warnings = [...new Set(records.flatMap((record) => (typeof record.warning === 'string' ? [runWarning(record, record.warning)] : [])))];
  return {
    level: 2,
    heading: prose('Runs'),
    blocks: [
      {
        kind: 'table',
        columns: columns.map((column) => ({ title: column.title, numeric: column.numeric })),
        rows: records.map((record) => columns.map((column) => cell(column, record[column.key]))),
      },
      ...(warnings.length > 0 ? [paragraph(prose('Warnings:')), { kind: 'list' as const, items: warnings.map((warning) => [{ text: warning, code: false }]) }] : []),
    ],
  };
}

/** `2026-12-04 16:53 UTC` from an ISO date; the text as given when it is not one. */
function startedText(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function runWarning(record: Record<string, unknown>, warning: string): string {
  const what = [record.function, record.call].filter((part): part is string => typeof part === 'string').join(': ');
  const when = typeof record.startedAt === 'string' ? ` (${startedText(record.startedAt)})` : '';
  return `${what || 'a run'}${when}: ${warning}`;
}

function fileSection(file: FileReport): Section {
  const blocks: Block[] = [];
  const measured = file.functions.some((fn) => fn.measured !== undefined);
  if (file.functions.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [
        { title: 'function' },
        { title: 'line', numeric: true },
        { title: 'verdict' },
        { title: 'recommendation' },
        { title: 'confidence', numeric: true },
        { title: 'main reason' },
        ...(measured ? [{ title: 'measured' }] : []),
      ],
      rows: file.functions.map((fn) => [...functionRow(fn), ...(measured ? [measuredCell(fn)] : [])]),
    });
  }
  if (file.errors.length > 0) {
    blocks.push(paragraph(prose('Errors:')));
    blocks.push({
      kind: 'list',
      items: file.errors.map((error) => prose(error.line === null ? error.message : `line ${error.line}: ${error.message}`)),
    });
  }
  return { level: 3, heading: code(file.path), blocks };
}

function functionRow(fn: FunctionReport): Cell[] {
  const [mainReason] = fn.evidence;
  return [
    { spans: code(fn.qualname) },
    count(fn.line),
    verdictBadge(fn.verdict),
    { spans: prose(functionDescription(fn)) },
    { spans: prose(`${Math.round(fn.confidence * 100)}%`) },
    { spans: mainReason ? prose(`line ${mainReason.line}: ${mainReason.reason}`) : [] },
  ];
}

/** The stored run's answer (`.concurrency-lens/`); `(older code)` when the function changed since. */
function measuredCell(fn: FunctionReport): Cell {
  return { spans: fn.measured ? prose(`${fn.measured.stale ? '(older code) ' : ''}${measuredWords(fn.measured, measurableVerdict(fn).recommendation)}`) : [] };
}

function verdictBadge(verdict: Verdict): Cell {
  return { spans: prose(verdict), badge: `verdict-${verdict}` };
}

// Markdown (GitHub-flavoured)

function renderMarkdown(document: ReportDocument): string {
  const parts = [`# ${markdownSpans(prose(document.title))}`, ...document.intro.map(markdownBlock)];
  for (const section of document.sections) {
    parts.push(`${'#'.repeat(section.level)} ${markdownSpans(section.heading)}`, ...section.blocks.map(markdownBlock));
  }
  return `${parts.join('\n\n')}\n`;
}

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return markdownSpans(block.spans);
    case 'list':
      return block.items.map((item) => `- ${markdownSpans(item)}`).join('\n');
    case 'table': {
      const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
      return [
        row(block.columns.map((column) => column.title)),
        row(block.columns.map((column) => (column.numeric ? '---:' : '---'))),
        ...block.rows.map((cells) => row(cells.map(markdownCell))),
      ].join('\n');
    }
  }
}

export function markdownCell(cell: Cell): string {
  const text = markdownSpans(cell.spans);
  return markdownTableCell(cell.href ? `[${text}](${cell.href})` : text);
}

function markdownSpans(spans: Span[]): string {
  return spans.map((span) => (span.code ? markdownCode(span.text) : markdownText(span.text))).join('');
}

// HTML: one self-contained file, nothing loaded from elsewhere (the policy forbids it).

const STYLE = `
:root {
  color-scheme: light dark;
  --text: #1f2328; --background: #ffffff; --muted: #59636e; --border: #d1d9e0; --stripe: #f6f8fa; --link: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root { --text: #e6edf3; --background: #0d1117; --muted: #9198a1; --border: #3d444d; --stripe: #151b23; --link: #4493f8; }
}
body {
  margin: 0; background: var(--background); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { margin-top: 0; }
h2 { border-bottom: 1px solid var(--border); padding-bottom: .3rem; margin-top: 2.5rem; }
.intro { color: var(--muted); margin: .2rem 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
a { color: var(--link); }
table { border-collapse: collapse; margin: .75rem 0 1.5rem; }
th, td { border: 1px solid var(--border); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--stripe); white-space: nowrap; }
td:last-child { overflow-wrap: anywhere; }
tbody tr:nth-child(even) { background: var(--stripe); }
.numeric { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 .55em; border-radius: 1em; font-size: .85em; font-weight: 600; color: #ffffff; white-space: nowrap; }
.verdict-cpu { background: #d1442f; }
.verdict-io { background: #1f6feb; }
.verdict-native { background: #8250df; }
.verdict-mixed { background: #b07d00; }
.verdict-async-io { background: #1b7c83; }
.verdict-dispatcher { background: #0969da; }
.verdict-trivial { background: #6e7781; }
.verdict-unknown { background: #d0d7de; color: #1f2328; }
.severity-error { background: #cf222e; }
.severity-warning { background: #b07d00; }
.severity-information { background: #1f6feb; }
.severity-hint { background: #6e7781; }
`;

function renderHtml(document: ReportDocument): string {
  const title = escapeHtml(document.title);
  const body = [
    `<h1>${title}</h1>`,
    ...document.intro.map((block) => htmlBlock(block, 'intro')),
    ...document.sections.flatMap((section) => [
      `<h${section.level}>${htmlSpans(section.heading)}</h${section.level}>`,
      ...section.blocks.map((block) => htmlBlock(block)),
    ]),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}

function htmlBlock(block: Block, className?: string): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p${className ? ` class="${className}"` : ''}>${htmlSpans(block.spans)}</p>`;
    case 'list':
      return `<ul>\n${block.items.map((item) => `<li>${htmlSpans(item)}</li>`).join('\n')}\n</ul>`;
    case 'table': {
      const numeric = (index: number): string => (block.columns[index]?.numeric ? ' class="numeric"' : '');
      const head = block.columns.map((column, index) => `<th${numeric(index)}>${escapeHtml(column.title)}</th>`).join('');
      const rows = block.rows.map((cells) => `<tr>${cells.map((cell, index) => `<td${numeric(index)}>${htmlCell(cell)}</td>`).join('')}</tr>`);
      return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
    }
  }
}

function htmlCell(cell: Cell): string {
  const text = htmlSpans(cell.spans);
  const linked = cell.href ? `<a href="${escapeHtml(cell.href)}">${text}</a>` : text;
  return cell.badge ? `<span class="badge ${escapeHtml(cell.badge)}">${linked}</span>` : linked;
}

function htmlSpans(spans: Span[]): string {
  return spans.map((span) => (span.code ? `<code>${escapeHtml(span.text)}</code>` : escapeHtml(span.text))).join('');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character);
}
