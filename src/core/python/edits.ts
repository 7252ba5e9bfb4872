import type { Node } from '@vscode/tree-sitter-wasm';
import type { FixHint } from '../model';
import { endOfLine, type QuickFix, type SourceEdit } from '../edits';
import { reachingBindings } from './bindings';

/** Source edits on Python syntax trees, shared by the rules' quick fixes. */

export const present = <T>(items: readonly (T | null)[]): T[] => items.filter((item): item is T => item !== null);

/** Calls that start on `row`, outermost first. */
export function callsOnRow(module: Node, row: number): Node[] {
  return present(module.descendantsOfType('call', { row, column: 0 }, { row: row + 1, column: 0 })).filter(
    (call) => call.startPosition.row === row,
  );
}

export const compact = (text: string): string => text.replace(/\s+/g, '');

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

/** CL001 / CL002: swaps the kind of pool (or thread/process) behind the task call on `row`. */
export function swapPool(module: Node, source: string, row: number, hint: FixHint): QuickFix | null {
  if (hint.kind !== 'use-processes' && hint.kind !== 'use-threads') return null;
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

/** The pool or thread constructor behind a task call: the call itself, the receiver, or the one binding of the receiver that reaches the call. */
export function poolConstructor(call: Node, swaps: Record<string, unknown>): Node | null {
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
  // Several bindings reaching the call (`if`/`else`): swapping one of them would not fix the finding.
  const bound = reachingBindings(receiver.text, call);
  const [only] = bound ?? [];
  return bound?.length === 1 && typeof only === 'object' && isConstructor(only) ? only : null;
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

/** A new import line before the module's first import (after a docstring and `from __future__`), or at the top. */
export function insertImport(module: Node, source: string, statement: string): SourceEdit {
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

/** The statement `node` is part of: its ancestor (or itself) that stands in a block or the module. */
export function enclosingStatement(node: Node): Node {
  let statement = node;
  while (statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') statement = statement.parent;
  return statement;
}

/** The name the module `name` is imported under at module level (`import asyncio`, `import gc as collector`), if it is. */
export function moduleImportedAs(module: Node, name: string): string | undefined {
  for (const s of present(module.namedChildren)) {
    if (s.type !== 'import_statement') continue;
    for (const imported of present(s.childrenForFieldName('name'))) {
      if (imported.type === 'dotted_name' && imported.text === name) return name;
      if (imported.type === 'aliased_import' && imported.childForFieldName('name')?.text === name) return imported.childForFieldName('alias')?.text;
    }
  }
  return undefined;
}
