import type { Finding } from '../model';
import { PYTHON_RULES } from '../rules';
import { endOfLine, type QuickFix, type SourceEdit } from './edits';
import type { FactsParser } from './parse';

export type { QuickFix, SourceEdit } from './edits';

/**
 * The edit that fixes a finding (by the rule whose fix takes its hint), computed on the current
 * source's syntax tree; null when the code is shaped in a way the fix does not handle (it is then
 * left to the developer).
 */
export function quickFix(parser: FactsParser, source: string, finding: Pick<Finding, 'line' | 'fix'>): QuickFix | null {
  const hint = finding.fix;
  const fix = hint && PYTHON_RULES.find((rule) => rule.quickFix?.hints.includes(hint.kind))?.quickFix;
  if (!hint || !fix) return null;
  const tree = parser.tree(source);
  try {
    return fix.apply(tree.rootNode, source, finding.line - 1, hint);
  } finally {
    tree.delete();
  }
}

/** An `ignore` comment in any of our languages: `#` (Python), `//` or `/*` (TS/JS). */
const ANY_SUPPRESSION = /(?:#|\/\/|\/\*)\s*concurrency-lens:\s*ignore(?:\[([^\]]*)\])?/;

/**
 * The edit that silences `rule` on a 1-based line: the rule joins the line's `ignore[...]` comment, or
 * a comment is appended (`#` for Python, `//` for TS/JS). Null when the line already ignores it (or every rule).
 */
export function ignoreComment(source: string, line: number, rule: string, comment: '#' | '//' = '#'): SourceEdit | null {
  let start = 0;
  for (let k = 1; k < line; k++) {
    const newline = source.indexOf('\n', start);
    if (newline === -1) return null;
    start = newline + 1;
  }
  const end = endOfLine(source, start);
  const text = source.slice(start, end).replace(/\r$/, '');
  const existing = ANY_SUPPRESSION.exec(text);
  if (existing) {
    const listed = existing[1];
    if (listed === undefined || listed.split(',').some((id) => id.trim().toUpperCase() === rule)) return null;
    const close = start + existing.index + existing[0].length - 1;
    return { start: close, end: close, text: listed.trim() === '' ? rule : `, ${rule}` };
  }
  // Replaces trailing whitespace, keeps a `\r`.
  return { start: start + text.trimEnd().length, end: start + text.length, text: `  ${comment} concurrency-lens: ignore[${rule}]` };
}

/** Applies non-overlapping edits (for tests and the CLI). */
export function applyEdits(source: string, edits: readonly SourceEdit[]): string {
  let result = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}
