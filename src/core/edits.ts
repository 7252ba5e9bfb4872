/**
 * Source edits in any of our languages: what a quick fix is, the `ignore` comment that silences a
 * finding, and applying edits to a text.
 */

/** A replacement of `source.slice(start, end)`; offsets in UTF-16 code units, as editors count. */
export interface SourceEdit {
  start: number;
  end: number;
  text: string;
}

export interface QuickFix {
  title: string;
  /** Non-overlapping. */
  edits: SourceEdit[];
}

export function endOfLine(source: string, offset: number): number {
  const newline = source.indexOf('\n', offset);
  return newline === -1 ? source.length : newline;
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
