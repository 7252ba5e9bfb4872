import type { AnalysisReport, Language, Verdict } from '../core/model';

const VERDICT_LABEL: Record<Verdict, string> = {
  cpu: 'CPU (GIL)',
  io: 'I/O',
  native: 'native',
  mixed: 'mixed',
  'async-io': 'async I/O',
  dispatcher: 'dispatcher',
  trivial: 'trivial',
  unknown: 'unknown',
};

/** Node has no GIL: there CPU work is just CPU work (it blocks the event loop). */
function verdictLabel(verdict: Verdict, language: Language): string {
  return verdict === 'cpu' && language !== 'python' ? 'CPU' : VERDICT_LABEL[verdict];
}

/** The widest recommendation (`worker_threads`), so the column lines up for every language. */
const USE_WIDTH = 14;

/** ANSI colours per verdict: red for GIL-bound CPU, blue for waiting, green for native, grey for trivial, bright magenta for a pool's dispatcher. */
const VERDICT_COLOR: Record<Verdict, string> = {
  cpu: '31',
  io: '34',
  native: '32',
  mixed: '35',
  'async-io': '36',
  dispatcher: '95',
  trivial: '90',
  unknown: '33',
};

export interface TableOptions {
  color: boolean;
  width?: number;
}

/** The terminal report of `analyze`: one table per file, then totals. */
export function renderAnalysisTable(report: AnalysisReport, options: TableOptions): string {
  const width = Math.max(80, options.width ?? 120);
  const paint = (code: string, text: string): string => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  const counts = new Map<Verdict, number>();
  let functions = 0;
  let problemFiles = 0;
  let findings = 0;

  for (const file of report.files) {
    if (file.functions.length === 0 && file.errors.length === 0 && file.findings.length === 0) continue;
    lines.push(paint('1', printable(file.path)));
    const rows = file.functions.map((fn) => ({
      name: printable(`${fn.qualname}:${fn.line}`),
      verdict: verdictLabel(fn.verdict, file.language),
      rawVerdict: fn.verdict,
      recommendation: fn.recommendation,
      confidence: fn.confidence.toFixed(2),
      evidence: fn.evidence[0] ? printable(`L${fn.evidence[0].line} ${fn.evidence[0].reason}`) : '',
    }));
    const nameWidth = Math.min(40, Math.max(8, ...rows.map((r) => r.name.length)));
    const fixed = 2 + nameWidth + 2 + 10 + 2 + USE_WIDTH + 2 + 4 + 2;
    const evidenceWidth = Math.max(20, width - fixed);
    lines.push(paint('2', `  ${'function'.padEnd(nameWidth)}  ${'verdict'.padEnd(10)}  ${'use'.padEnd(USE_WIDTH)}  conf  evidence`));
    for (const row of rows) {
      functions++;
      counts.set(row.rawVerdict, (counts.get(row.rawVerdict) ?? 0) + 1);
      lines.push(
        `  ${truncate(row.name, nameWidth).padEnd(nameWidth)}  ${paint(VERDICT_COLOR[row.rawVerdict], row.verdict.padEnd(10))}  ${row.recommendation.padEnd(USE_WIDTH)}  ${row.confidence}  ${truncate(row.evidence, evidenceWidth)}`,
      );
    }
    for (const finding of file.findings) {
      findings++;
      const colour = finding.severity === 'error' ? '31' : '33';
      lines.push(`  ${paint(colour, `${finding.rule} line ${finding.line}`)}: ${truncate(printable(finding.message), Math.max(40, width - 20))}`);
    }
    if (file.errors.length > 0) problemFiles++;
    for (const error of file.errors) {
      lines.push(paint('33', `  ! ${error.line === null ? '' : `line ${error.line}: `}${printable(error.message)}`));
    }
    lines.push('');
  }

  const interpreter = report.interpreter
    ? `Python ${printable(report.interpreter.version)} (${printable(report.interpreter.path)}${report.interpreter.gilEnabled ? '' : ', free-threaded'})`
    : 'no interpreter found: knowledge base only';
  const onlyPython = report.files.every((file) => file.language === 'python');
  const breakdown = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${n} ${verdictLabel(v, onlyPython ? 'python' : 'typescript')}`).join(', ');
  lines.push(`${functions} functions in ${report.files.length} files${breakdown ? `: ${breakdown}` : ''}`);
  if (findings > 0) lines.push(`${findings} findings (concurrency mistakes, listed above)`);
  if (problemFiles > 0) lines.push(`${problemFiles} files with errors (listed above)`);
  // The interpreter is Python's; TS/JS advice assumes Node (no GIL) whatever it is.
  if (report.files.some((file) => file.language === 'python')) lines.push(`assumed interpreter: ${interpreter}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Text from the analyzed files (a name, a syntax error's excerpt, a path) without control characters:
 * an ESC byte in a source file must not reach the terminal as an escape sequence.
 */
function printable(text: string): string {
  return text.replace(/[\t\n\r]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
