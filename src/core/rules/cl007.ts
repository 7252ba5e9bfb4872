import type { Node } from '@vscode/tree-sitter-wasm';
import type { QuickFix } from '../edits';
import { importedHeap } from '../knowledge/pools';
import { callsOnRow, enclosingStatement, insertImport, moduleImportedAs, poolConstructor } from '../python/edits';
import { forksByDefault } from '../python/verdicts';
import { shortName } from './python';
import type { PythonRule } from './rule';

/**
 * Inherited objects from which a forked worker's collections cost more than the task's own work can hide: at
 * ~0.8 µs per object per full collection, doubled by the page copies, ~30 ms a collection.
 */
const LARGE_INHERITED_HEAP = 20_000;
/** Calls after which the workers do not inherit a collector full of the parent's objects. */
const HEAP_KEPT_OUT = new Set(['gc.freeze', 'multiprocessing.set_start_method', 'multiprocessing.get_context']);

/** CPU work forked into processes from a parent whose imports left a large heap, without `gc.freeze()`. */
export const CL007: PythonRule<'CL007'> = {
  id: 'CL007',
  title: 'processes forked from a large heap without gc.freeze()',
  severity: 'information',
  language: 'python',
  docs: 'cl007',
  checkCall(site, report) {
    if (!site.processes || !forksByDefault(site.interpreter)) return;
    const { libraries: heavy, objects: inherited } = importedHeap(site.importedLibraries());
    if (inherited < LARGE_INHERITED_HEAP || site.moduleCalls(HEAP_KEPT_OUT)) return;
    const task = site.task();
    if (!task || task.report().verdict !== 'cpu') return;
    const thousands = Math.round(inherited / 1000);
    report(
      site.call.line,
      `${shortName(site.api)} forks its workers from a process that imported ${heavy.join(', ')} (~${thousands},000 objects the garbage collector tracks): every full collection in a worker walks them again, and its first write to each copies its page. Call \`gc.freeze()\` just before the pool starts (measured: 8 tasks building objects in 2 forked workers, 2.6 s of their CPU, 1.2 s after \`gc.freeze()\`).`,
      { kind: 'gc-freeze' },
    );
  },
  quickFix: { hints: ['gc-freeze'], apply: (module, source, row) => freezeBeforePool(module, source, row) },
};

/** What forks workers: the constructors behind the task calls CL007 reports. */
const FORKING = { ProcessPoolExecutor: true, Pool: true, Process: true };

/** `gc.freeze()` on its own line before the statement that makes the pool (or process) behind the call on `row`, and `import gc` if missing. */
function freezeBeforePool(module: Node, source: string, row: number): QuickFix | null {
  for (const call of callsOnRow(module, row)) {
    const constructor = poolConstructor(call, FORKING);
    if (!constructor) continue;
    const statement = enclosingStatement(constructor);
    const lineStart = statement.startIndex - statement.startPosition.column;
    const indent = source.slice(lineStart, statement.startIndex);
    if (indent.trim() !== '') return null;
    const gc = moduleImportedAs(module, 'gc');
    const edits = [{ start: statement.startIndex, end: statement.startIndex, text: `${gc ?? 'gc'}.freeze()\n${indent}` }];
    if (!gc) edits.push(insertImport(module, source, 'import gc'));
    return { title: 'Call gc.freeze() before the pool starts', edits };
  }
  return null;
}
