import type { Node } from '@vscode/tree-sitter-wasm';
import { STARTS_PROCESSES } from '../knowledge/pools';
import type { QuickFix } from '../edits';
import { present } from '../python/edits';
import { shortName } from './python';
import type { PythonRule } from './rule';

/** Processes started at module level outside `if __name__ == "__main__":`. */
export const CL004: PythonRule<'CL004'> = {
  id: 'CL004',
  title: 'processes started without a __main__ guard',
  severity: 'warning',
  language: 'python',
  docs: 'cl004',
  checkCall(site, report) {
    if (!STARTS_PROCESSES.has(site.api) || site.fn !== site.entry.facts.module || site.call.mainGuarded) return;
    report(site.call.line, `${shortName(site.api)} at module level without an \`if __name__ == "__main__":\` guard: under the spawn start method (macOS, Windows) and forkserver (Linux from Python 3.14) every worker re-imports this module and starts processes again. Move it under the guard.`, { kind: 'main-guard' });
  },
  quickFix: { hints: ['main-guard'], apply: (module, source, row) => mainGuard(module, source, row) },
};

const DEFINITIONS = new Set([
  'function_definition',
  'class_definition',
  'decorated_definition',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
]);

/**
 * Wraps the module-level statement on `row` and the statements after it, up to the next definition
 * or import (those must stay importable by the workers), in `if __name__ == "__main__":`.
 */
function mainGuard(module: Node, source: string, row: number): QuickFix | null {
  const top = present(module.children);
  const first = top.findIndex((s) => s.startPosition.row <= row && s.endPosition.row >= row);
  const statement = top[first];
  if (!statement || DEFINITIONS.has(statement.type) || statement.type === 'comment') return null;
  let last = first;
  while (top[last + 1] && !DEFINITIONS.has(top[last + 1]?.type ?? '')) last++;
  while (last > first && top[last]?.type === 'comment') last--;
  const lastStatement = top[last] ?? statement;
  const start = statement.startIndex - statement.startPosition.column;
  const end = lastStatement.endIndex;
  const inString = rowsInsideStrings(module, statement.startPosition.row, lastStatement.endPosition.row);
  const indent = indentUnit(source);
  const lines = source.slice(start, end).split('\n');
  const body = lines
    .map((line, i) => (line.trim() === '' || inString.has(statement.startPosition.row + i) ? line : indent + line))
    .join('\n');
  return { title: 'Wrap in if __name__ == "__main__":', edits: [{ start, end, text: `if __name__ == "__main__":\n${body}` }] };
}

/** Rows that continue a multi-line string: indenting them would change the string. */
function rowsInsideStrings(module: Node, fromRow: number, toRow: number): Set<number> {
  const rows = new Set<number>();
  for (const s of present(module.descendantsOfType('string', { row: fromRow, column: 0 }, { row: toRow + 1, column: 0 }))) {
    for (let r = s.startPosition.row + 1; r <= s.endPosition.row; r++) rows.add(r);
  }
  return rows;
}

/** The file's indentation: its first indented line's leading whitespace, else four spaces. */
function indentUnit(source: string): string {
  const match = /^[ \t]*\S.*:[ \t]*(?:#.*)?\r?\n([ \t]+)\S/m.exec(source);
  return match?.[1] ?? '    ';
}

