/**
 * Calls into tree-sitter's WASM binding made by parsing and extracting every Python file under a folder
 * (one thread): node reads by kind, cursor steps and captured nodes, in all and per file, and the node objects
 * the reads make (the binding makes a new one, of ~260 bytes with its position, for every node a read returns:
 * half of what extraction allocates). Counts, unlike times, do not depend on the load of the machine: what a
 * change of the walking code saves.
 *
 *     npm run compile-tests && node out/test/bench/bindingCalls.js [ROOT]
 */
import { execFileSync } from 'node:child_process';
import { Node, Query, TreeCursor } from '@vscode/tree-sitter-wasm';
import { findPythonFiles, readSource } from '../../src/core/files';
import { FactsParser } from '../../src/core/python/parse';

const PYTHON = process.env.BENCH_PYTHON ?? 'python3';

/**
 * Reads that call into WASM (each copies the node in first); `type` and `text` are left out: they call `typeId` and `endIndex`.
 * A node object keeps its `children` and `namedChildren` arrays: a read of one it holds already is not counted.
 */
const NODE_READS = ['typeId', 'endIndex', 'endPosition', 'childForFieldId', 'namedChildren', 'children', 'namedChild', 'child', 'namedChildCount', 'childCount', 'firstChild', 'lastChild', 'parent', 'descendantCount', 'descendantsOfType', 'hasError', 'isMissing'];
const CURSOR_STEPS = ['gotoFirstChild', 'gotoNextSibling', 'gotoParent'];
/** Reads that return nodes (one, or an array of them): each node returned is a new object. */
const NODE_MAKING = new Set(['childForFieldId', 'namedChildren', 'children', 'namedChild', 'child', 'firstChild', 'lastChild', 'parent', 'descendantsOfType']);
/** Where a node object keeps the array a read made (the binding's own fields). */
const KEPT_ARRAYS: Readonly<Record<string, string>> = { children: '_children', namedChildren: '_namedChildren' };

/** Node objects made by the reads counted (captures' nodes are counted apart). */
let nodesMade = 0;

function countCalls(prototype: object, names: readonly string[], label: string, counts: Map<string, number>): void {
  for (const name of names) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (!descriptor) continue;
    const kind = descriptor.get ? 'get' : 'value';
    const original = descriptor[kind] as (...args: unknown[]) => unknown;
    const key = `${label}.${name}`;
    const kept = KEPT_ARRAYS[name];
    counts.set(key, 0);
    Object.defineProperty(prototype, name, {
      ...descriptor,
      [kind](this: Record<string, unknown>, ...args: unknown[]): unknown {
        const read = kept === undefined || !this[kept];
        if (read) counts.set(key, (counts.get(key) ?? 0) + 1);
        const result = original.apply(this, args);
        if (read && NODE_MAKING.has(name)) nodesMade += Array.isArray(result) ? result.length : result ? 1 : 0;
        return result;
      },
    });
  }
}

async function main(root: string): Promise<void> {
  const counts = new Map<string, number>();
  const parser = await FactsParser.create();
  countCalls(Node.prototype, NODE_READS, 'node', counts);
  countCalls(TreeCursor.prototype, CURSOR_STEPS, 'cursor', counts);
  const captures = Query.prototype.captures;
  let captured = 0;
  Query.prototype.captures = function (this: Query, ...args: Parameters<Query['captures']>) {
    const found = captures.apply(this, args);
    captured += found.length;
    return found;
  };
  let files = 0;
  for (const file of findPythonFiles([root])) {
    const loaded = readSource(file);
    if (!('source' in loaded)) continue;
    try {
      parser.facts(loaded.source);
    } catch {
      // a file over its budget: counted as far as it went
    }
    files++;
  }
  parser.dispose();
  counts.set('captured nodes', captured);
  const total = [...counts].filter(([key]) => key !== 'captured nodes').reduce((sum, [, count]) => sum + count, 0);
  console.log(`${files} files under ${root}`);
  for (const [key, count] of [...counts].filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1])) {
    console.log(`${key.padEnd(28)}${count.toLocaleString('en').padStart(14)}${(count / files).toFixed(0).padStart(9)} per file`);
  }
  console.log(`${'calls into the binding'.padEnd(28)}${total.toLocaleString('en').padStart(14)}${(total / files).toFixed(0).padStart(9)} per file`);
  const made = nodesMade + captured;
  console.log(`${'node objects made'.padEnd(28)}${made.toLocaleString('en').padStart(14)}${(made / files).toFixed(0).padStart(9)} per file`);
}

const root = process.argv[2] ?? execFileSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
void main(root);
