import type { Node } from '@vscode/tree-sitter-wasm';
import type { Finding, FixHint } from '../model';
import type { FactsParser } from './parse';

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

/**
 * The edit that fixes a finding, computed on the current source's syntax tree; null when the code
 * is shaped in a way the fix does not handle (it is then left to the developer).
 */
export function quickFix(parser: FactsParser, source: string, finding: Pick<Finding, 'line' | 'fix'>): QuickFix | null {
  const hint = finding.fix;
  if (!hint) return null;
  const tree = parser.tree(source);
  try {
    const module = tree.rootNode;
    const row = finding.line - 1;
    switch (hint.kind) {
      case 'use-processes':
      case 'use-threads':
        return swapPool(module, source, row, hint);
      case 'main-guard':
        return mainGuard(module, source, row);
      case 'await-to-thread':
      case 'await-asyncio-sleep':
        return awaitBlockingCall(module, source, row, hint);
    }
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

const present = <T>(items: readonly (T | null)[]): T[] => items.filter((item): item is T => item !== null);

/** Calls that start on `row`, outermost first. */
function callsOnRow(module: Node, row: number): Node[] {
  return present(module.descendantsOfType('call', { row, column: 0 }, { row: row + 1, column: 0 })).filter(
    (call) => call.startPosition.row === row,
  );
}

const compact = (text: string): string => text.replace(/\s+/g, '');

// ---- CL001 / CL002: swap the kind of pool ----------------------------------------------------

interface PoolApi {
  module: string;
  name: string;
}

/** For each constructor by its last name: where it is defined and what to use instead. */
const SWAPS: Record<'use-processes' | 'use-threads', Record<string, { from: string; to: PoolApi }>> = {
  'use-processes': {
    ThreadPoolExecutor: { from: 'concurrent.futures', to: { module: 'concurrent.futures', name: 'ProcessPoolExecutor' } },
    ThreadPool: { from: 'multiprocessing.pool', to: { module: 'multiprocessing', name: 'Pool' } },
    Thread: { from: 'threading', to: { module: 'multiprocessing', name: 'Process' } },
  },
  'use-threads': {
    ProcessPoolExecutor: { from: 'concurrent.futures', to: { module: 'concurrent.futures', name: 'ThreadPoolExecutor' } },
    Pool: { from: 'multiprocessing', to: { module: 'multiprocessing.pool', name: 'ThreadPool' } },
    Process: { from: 'multiprocessing', to: { module: 'threading', name: 'Thread' } },
  },
};

function swapPool(module: Node, source: string, row: number, hint: { kind: 'use-processes' | 'use-threads' }): QuickFix | null {
  const swaps = SWAPS[hint.kind];
  for (const call of callsOnRow(module, row)) {
    const constructor = poolConstructor(call, swaps);
    if (!constructor) continue;
    const callee = constructor.childForFieldName('function');
    if (!callee) continue;
    const lastName = callee.type === 'identifier' ? callee : callee.childForFieldName('attribute');
    const swap = lastName && swaps[lastName.text];
    if (!lastName || !swap) continue;
    const edits = callee.type === 'identifier'
      ? renameImported(module, source, callee, swap.from, swap.to)
      : renameQualified(module, source, callee, lastName, swap.from, swap.to);
    return edits && { title: `Use ${swap.to.name} instead of ${lastName.text}`, edits };
  }
  return null;
}

/** The pool or thread constructor behind a task call: the call itself, the receiver, or where the receiver was bound. */
function poolConstructor(call: Node, swaps: Record<string, unknown>): Node | null {
  const isConstructor = (node: Node | null): boolean => {
    const fn = node?.type === 'call' ? node.childForFieldName('function') : null;
    const last = fn?.type === 'identifier' ? fn : fn?.type === 'attribute' ? fn.childForFieldName('attribute') : null;
    return last !== null && last !== undefined && Object.hasOwn(swaps, last.text);
  };
  if (isConstructor(call)) return call;
  const fn = call.childForFieldName('function');
  const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (receiver && isConstructor(receiver)) return receiver;
  if (receiver?.type !== 'identifier') return null;
  const bound = bindingOf(receiver.text, call);
  return bound && isConstructor(bound) ? bound : null;
}

/** The last value bound to `name` (`name = X(...)` or `with X(...) as name`) before `use`, in its function or module. */
function bindingOf(name: string, use: Node): Node | null {
  let scope: Node | null = use.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  if (!scope) return null;
  let found: Node | null = null;
  const end = use.startPosition;
  for (const node of present(scope.descendantsOfType(['assignment', 'as_pattern'], scope.startPosition, end))) {
    if (node.startIndex >= use.startIndex) continue;
    const [target, value] = node.type === 'assignment'
      ? [node.childForFieldName('left'), node.childForFieldName('right')]
      : [node.childForFieldName('alias')?.namedChildren[0] ?? null, node.namedChildren[0] ?? null];
    if (target?.type === 'identifier' && target.text === name) found = value;
  }
  return found;
}

/** `ThreadPoolExecutor(...)` imported with `from M import ThreadPoolExecutor`: rename the call and fix the imports. */
function renameImported(module: Node, source: string, callee: Node, from: string, to: PoolApi): SourceEdit[] | null {
  const oldName = callee.text;
  const imported = fromImports(module).find((i) => i.module === from && i.names.some((n) => n.text === oldName));
  if (!imported) return null;
  const edits: SourceEdit[] = [{ start: callee.startIndex, end: callee.endIndex, text: to.name }];
  const stillUsed = present(module.descendantsOfType('identifier')).some(
    (id) => id.text === oldName && id.startIndex !== callee.startIndex && !isInside(id, imported.statement),
  );
  const alreadyImported = fromImports(module).some((i) => i.module === to.module && i.names.some((n) => n.text === to.name));
  const oldNode = imported.names.find((n) => n.text === oldName);
  if (!oldNode) return null;
  if (alreadyImported) {
    if (!stillUsed) edits.push(removeImportedName(source, imported, oldNode));
  } else if (to.module === from) {
    edits.push(stillUsed
      ? { start: imported.names.at(-1)?.endIndex ?? oldNode.endIndex, end: imported.names.at(-1)?.endIndex ?? oldNode.endIndex, text: `, ${to.name}` }
      : { start: oldNode.startIndex, end: oldNode.endIndex, text: to.name });
  } else if (!stillUsed && imported.names.length === 1) {
    edits.push({ start: imported.statement.startIndex, end: imported.statement.endIndex, text: `from ${to.module} import ${to.name}` });
  } else {
    if (!stillUsed) edits.push(removeImportedName(source, imported, oldNode));
    const lineEnd = endOfLine(source, imported.statement.endIndex);
    edits.push({ start: lineEnd, end: lineEnd, text: `\nfrom ${to.module} import ${to.name}` });
  }
  return edits;
}

/** `concurrent.futures.ThreadPoolExecutor(...)`, `cf.ThreadPoolExecutor(...)`, `threading.Thread(...)`. */
function renameQualified(module: Node, source: string, callee: Node, lastName: Node, from: string, to: PoolApi): SourceEdit[] | null {
  if (to.module === from) return [{ start: lastName.startIndex, end: lastName.endIndex, text: to.name }];
  const edits: SourceEdit[] = [{ start: callee.startIndex, end: callee.endIndex, text: `${to.module}.${to.name}` }];
  const imported = present(module.namedChildren).some(
    (s) => s.type === 'import_statement' && present(s.childrenForFieldName('name')).some((n) => n.type === 'dotted_name' && n.text === to.module),
  );
  if (!imported) edits.push(insertImport(module, source, `import ${to.module}`));
  return edits;
}

interface FromImport {
  statement: Node;
  module: string;
  /** Imported names without an alias (an aliased name is left alone). */
  names: Node[];
}

function fromImports(module: Node): FromImport[] {
  return present(module.namedChildren)
    .filter((s) => s.type === 'import_from_statement')
    .map((statement) => ({
      statement,
      module: compact(statement.childForFieldName('module_name')?.text ?? ''),
      names: present(statement.childrenForFieldName('name')).filter((n) => n.type === 'dotted_name'),
    }));
}

/** Deletes one name of a `from M import a, b` list with its comma. */
function removeImportedName(source: string, imported: FromImport, name: Node): SourceEdit {
  const index = imported.names.indexOf(name);
  const next = imported.names[index + 1];
  const previous = imported.names[index - 1];
  if (next) return { start: name.startIndex, end: next.startIndex, text: '' };
  if (previous) return { start: previous.endIndex, end: name.endIndex, text: '' };
  return { start: imported.statement.startIndex, end: endOfLine(source, imported.statement.endIndex) + 1, text: '' };
}

function isInside(node: Node, container: Node): boolean {
  return node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

function endOfLine(source: string, offset: number): number {
  const newline = source.indexOf('\n', offset);
  return newline === -1 ? source.length : newline;
}

/** A new import line before the module's first import (after a docstring and `from __future__`), or at the top. */
function insertImport(module: Node, source: string, statement: string): SourceEdit {
  const top = present(module.namedChildren);
  const firstImport = top.find((s) => s.type === 'import_statement' || s.type === 'import_from_statement');
  if (firstImport) {
    const start = firstImport.startIndex - firstImport.startPosition.column;
    return { start, end: start, text: `${statement}\n` };
  }
  let after = 0;
  for (const s of top) {
    const isDocstring = s.type === 'expression_statement' && s.namedChildren[0]?.type === 'string' && s === top[0];
    if (!isDocstring && s.type !== 'future_import_statement' && s.type !== 'comment') break;
    after = endOfLine(source, s.endIndex) + 1;
  }
  return { start: Math.min(after, source.length), end: Math.min(after, source.length), text: `${statement}\n` };
}

// ---- CL004: wrap module-level code in a __main__ guard ------------------------------------------

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

// ---- CL005: make a blocking call in async def awaitable -----------------------------------------

/** Where `await x` must be parenthesized: `(await x).attr`, `(await x)[0]`, `(await x)()`. */
const PRIMARY_PARENTS = new Set(['attribute', 'subscript', 'call']);

function awaitBlockingCall(
  module: Node,
  source: string,
  row: number,
  hint: Extract<FixHint, { kind: 'await-to-thread' | 'await-asyncio-sleep' }>,
): QuickFix | null {
  const call = callsOnRow(module, row).find((c) => compact(c.childForFieldName('function')?.text ?? '') === hint.callee);
  const fn = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments');
  if (!call || !fn || args?.type !== 'argument_list' || call.parent?.type === 'await') return null;
  const asyncio = asyncioName(module);
  const inner = source.slice(args.startIndex + 1, args.endIndex - 1);
  const awaited = hint.kind === 'await-asyncio-sleep'
    ? `await ${asyncio ?? 'asyncio'}.sleep(${inner})`
    : `await ${asyncio ?? 'asyncio'}.to_thread(${fn.text}${inner.trim() ? `, ${inner}` : ''})`;
  const needsParentheses = PRIMARY_PARENTS.has(call.parent?.type ?? '');
  const edits: SourceEdit[] = [{ start: call.startIndex, end: call.endIndex, text: needsParentheses ? `(${awaited})` : awaited }];
  if (!asyncio) edits.push(insertImport(module, source, 'import asyncio'));
  const title = hint.kind === 'await-asyncio-sleep' ? 'Use await asyncio.sleep(...)' : `Run ${fn.text} in a thread: await asyncio.to_thread(...)`;
  return { title, edits };
}

/** The name `asyncio` is imported under at module level, if it is. */
function asyncioName(module: Node): string | undefined {
  for (const s of present(module.namedChildren)) {
    if (s.type !== 'import_statement') continue;
    for (const name of present(s.childrenForFieldName('name'))) {
      if (name.type === 'dotted_name' && name.text === 'asyncio') return 'asyncio';
      if (name.type === 'aliased_import' && name.childForFieldName('name')?.text === 'asyncio') return name.childForFieldName('alias')?.text;
    }
  }
  return undefined;
}
