import * as assert from 'node:assert/strict';
import { Node } from '@vscode/tree-sitter-wasm';
import { loadPython } from '../../src/core/python/treeSitter';

/** Counts the reads of each node's symbol from WASM (`typeId`) while `body` runs. */
function countSymbolReads(body: () => void): number {
  const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'typeId');
  const readSymbol = descriptor?.get;
  assert.ok(descriptor && readSymbol);
  let reads = 0;
  Object.defineProperty(Node.prototype, 'typeId', {
    ...descriptor,
    get(this: Node): number {
      reads++;
      return readSymbol.call(this) as number;
    },
  });
  try {
    body();
  } finally {
    Object.defineProperty(Node.prototype, 'typeId', descriptor);
  }
  return reads;
}

function descendants(root: Node): Node[] {
  const nodes: Node[] = [];
  const pending = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    nodes.push(node);
    for (const child of node.children) if (child) pending.push(child);
  }
  return nodes;
}

describe('tree-sitter binding', () => {
  it('reads a node object\'s type from WASM once, however often it is asked', async () => {
    const python = await loadPython();
    const parser = python.newParser();
    const tree = parser.parse('def f(xs):\n    return [g(x) for x in xs]\n');
    assert.ok(tree);
    try {
      const nodes = descendants(tree.rootNode);
      const reads = countSymbolReads(() => {
        for (let round = 0; round < 3; round++) for (const node of nodes) void node.type;
      });
      assert.equal(reads, nodes.length);
    } finally {
      tree.delete();
      parser.delete();
    }
  });

  it('keeps every node\'s type right through an edit of its tree', async () => {
    const python = await loadPython();
    const parser = python.newParser();
    const before = 'def f(xs):\n    return [g(x) for x in xs]\n';
    const after = 'async def f(xs):\n    return [g(x) for x in xs]\n';
    const tree = parser.parse(before);
    assert.ok(tree);
    try {
      const nodes = descendants(tree.rootNode);
      const types = nodes.map((node) => node.type);
      tree.edit({ startIndex: 0, oldEndIndex: 0, newEndIndex: 6, startPosition: { row: 0, column: 0 }, oldEndPosition: { row: 0, column: 0 }, newEndPosition: { row: 0, column: 6 } });
      assert.deepEqual(nodes.map((node) => node.type), types);
      const reparsed = parser.parse(after, tree);
      assert.ok(reparsed);
      try {
        const fresh = descendants(reparsed.rootNode);
        assert.deepEqual(fresh.map((node) => node.type), fresh.map((node) => python.language.types[node.typeId] ?? 'ERROR'));
        assert.equal(reparsed.rootNode.firstChild?.firstChild?.type, 'async');
      } finally {
        reparsed.delete();
      }
    } finally {
      tree.delete();
      parser.delete();
    }
  });
});
