import * as assert from 'node:assert/strict';
import { Node, TreeCursor } from '@vscode/tree-sitter-wasm';
import { factsOfSource, tooDeepError } from '../../src/core/python/parse';
import { loadPython } from '../../src/core/python/treeSitter';

/** Counts the reads of the binding's `reads` (prototype, name, getter or method) while `body` runs. */
async function countReads(reads: ReadonlyArray<[object, string, 'get' | 'value']>, body: () => unknown): Promise<number> {
  let steps = 0;
  const restore: Array<() => void> = [];
  const spy = (prototype: object, name: string, kind: 'get' | 'value'): void => {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    const original = descriptor?.[kind] as ((...args: unknown[]) => unknown) | undefined;
    assert.ok(descriptor && original);
    const counted = function (this: unknown, ...args: unknown[]): unknown {
      steps++;
      return original.apply(this, args);
    };
    Object.defineProperty(prototype, name, { ...descriptor, [kind]: counted });
    restore.push(() => Object.defineProperty(prototype, name, descriptor));
  };
  for (const [prototype, name, kind] of reads) spy(prototype, name, kind);
  try {
    await body();
  } finally {
    for (const undo of restore) undo();
  }
  return steps;
}

/** Counts the steps through the tree (cursor moves and child lists read) while `body` runs. */
function countTreeSteps(body: () => void): Promise<number> {
  return countReads([[TreeCursor.prototype, 'gotoFirstChild', 'value'], [TreeCursor.prototype, 'gotoNextSibling', 'value'], [Node.prototype, 'children', 'get']], body);
}

/** The first node deeper than `limit` in document order, by a walk of every node: what `tooDeepError` must find. */
function firstTooDeep(root: Node, limit: number): number | null {
  const pending: Array<[Node, number]> = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > limit) return node.startPosition.row + 1;
    const children = node.children;
    for (let k = children.length - 1; k >= 0; k--) if (children[k]) pending.push([children[k] as Node, depth + 1]);
  }
  return null;
}

describe('tree-sitter binding', () => {
  it('measures the depth of a long but shallow file without walking its nodes one by one', async () => {
    const parser = (await loadPython()).newParser();
    const rows = Array.from({ length: 2000 }, (_, k) => `    (${k}, "row ${k}", [${k}, ${k + 1}]),`).join('\n');
    const tree = parser.parse(`TABLE = [\n${rows}\n]\n\ndef f(x):\n    return TABLE[x]\n`);
    assert.ok(tree);
    try {
      assert.ok(tree.rootNode.descendantCount > 20_000);
      let error: ReturnType<typeof tooDeepError> = null;
      const steps = await countTreeSteps(() => {
        error = tooDeepError(tree.rootNode);
      });
      assert.equal(error, null);
      assert.ok(steps < 100, `${steps} steps`);
    } finally {
      tree.delete();
      parser.delete();
    }
  });

  it('finds the first node past the depth limit where a walk of every node does', async () => {
    const parser = (await loadPython()).newParser();
    const chain = (calls: number): string => `y${'.f()'.repeat(calls)}`;
    const sources = [
      `a = 1\nx = ${chain(600)}\nb = ${chain(2000)}\n`,
      `def g():\n    return [${chain(1490)}, ${chain(1510)}]\n`,
      `x = ${Array(5000).fill('1').join('+')}\n`,
      `x = ${chain(1400)}\n`,
    ];
    for (const source of sources) {
      const tree = parser.parse(source);
      assert.ok(tree);
      try {
        assert.equal(tooDeepError(tree.rootNode)?.line ?? null, firstTooDeep(tree.rootNode, 3000), source.slice(0, 40));
      } finally {
        tree.delete();
      }
    }
    parser.delete();
  });
  it('extracts a call and an assignment reading each node\'s type from WASM once, not once per check', async () => {
    // Each `type` read copies the node into WASM memory and calls into it: 18.8 M reads over the standard library when
    // every check read it again (233 per pair of these lines; 110 once read per node and passed down).
    const lines = (count: number): string =>
      `class C:\n    def f(self, rows, scale=2):\n${Array.from({ length: count }, (_, k) => `        total = g(rows[${k}], scale, 0.5, name="x${k}")\n        self.items.append(h(k))\n`).join('')}`;
    await factsOfSource(lines(1));
    const typeReads = (count: number): Promise<number> => countReads([[Node.prototype, 'typeId', 'get']], () => factsOfSource(lines(count)));
    const perPair = ((await typeReads(200)) - (await typeReads(100))) / 100;
    assert.ok(perPair <= 130, `${perPair} type reads a pair of lines`);
  });
});
