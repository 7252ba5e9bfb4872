import * as assert from 'node:assert/strict';
import { StringTable } from '../../src/core/cache/strings';
import type { FileFacts } from '../../src/core/python/facts';
import { BatchSender, factsOfSource, receivedBatch, receivedFile, sentFile } from '../../src/core/python/parse';
import { replaceSharedValues, shareStrings, type SharedValue } from '../../src/core/python/program';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
import { liveHeap, tempTree } from './helpers';
import * as path from 'node:path';

/** Facts as the main thread receives them from a worker (`sentFile`, then `receivedFile`). */
function fromWorker(facts: FileFacts): FileFacts {
  const received = receivedFile(sentFile({ path: 'module.py', facts })).facts;
  assert.ok(received);
  return received;
}

/** What `count` workers hand back of `source`'s facts (fresh copies of every string), shared: the copies and the bytes freed. */
async function sharedCopies(source: string, count: number): Promise<{ facts: FileFacts; files: FileFacts[]; saved: number }> {
  const facts = await factsOfSource(source);
  const files = Array.from({ length: count }, () => fromWorker(facts));
  const before = liveHeap();
  const table = new StringTable();
  for (const file of files) shareStrings(file, table);
  return { facts, files, saved: before - liveHeap() };
}

describe('one copy of each equal string (StringTable)', () => {
  it('keeps one copy of strings that arrive as separate copies (what a worker hands back)', () => {
    const chain = `self.${'assertEqual'.repeat(20)}`;
    // JSON.parse makes a fresh copy of every string value longer than a few characters, as structured clone does.
    const facts = JSON.parse(JSON.stringify({ calls: Array.from({ length: 50_000 }, (_, line) => ({ line, callee: chain })) })) as { calls: Array<{ line: number; callee: string }> };
    const before = liveHeap();
    new StringTable().internAll(facts);
    const saved = before - liveHeap();
    assert.ok(saved > 8_000_000, `50,000 copies of a ${chain.length}-character string: ${saved} bytes freed`);
    assert.equal(facts.calls.length, 50_000);
    assert.ok(facts.calls.every((call, line) => call.callee === chain && call.line === line));
  });

  it('reaches strings at any depth of plain objects and arrays, and leaves the values equal', () => {
    const value = { a: 'x', nested: [{ b: 'y', deeper: [['z', 'x']] }], n: 1, none: null, missing: undefined };
    const copy = structuredClone(value);
    const table = new StringTable();
    assert.equal(table.internAll(value), value);
    assert.deepEqual(value, copy);
    assert.equal(table.size, 3);
  });

  it('skips frozen objects, and ends on cycles', () => {
    const frozen = Object.freeze({ text: 'kept' });
    const cyclic: { self?: unknown; text: string; frozen: unknown } = { text: 'loop', frozen };
    cyclic.self = cyclic;
    const table = new StringTable();
    table.internAll(cyclic);
    assert.equal(table.size, 1);
    assert.equal(frozen.text, 'kept');
  });

  it('starts over past its bound: it never holds more than that many strings', () => {
    const table = new StringTable(100);
    for (let k = 0; k < 1000; k++) assert.equal(table.intern(`s${k}`), `s${k}`);
    assert.ok(table.size <= 100, `${table.size} strings held`);
  });

  it('facts handed back by workers (copies of every string) share their callees, names and parameters', async () => {
    const source = Array.from({ length: 200 }, (_, k) => `def check_${k}(self, expected_value):\n    self.assertAlmostEqualWithinTolerance(expected_value, 1)\n`).join('');
    const { facts, files, saved } = await sharedCopies(source, 100);
    assert.ok(saved > 1_500_000, `20,000 calls of one callee with two parameters: ${saved} bytes freed`);
    for (const file of files) assert.deepEqual(file, facts);
  });

  it('facts handed back by workers share one copy of each equal size expression, and read the same', async () => {
    const source = Array.from({ length: 200 }, (_, k) => `def pack_${k}(sock, rows):\n    sock.send(b"abc")\n    for row in range(64):\n        sock.send(b"x" * 4096)\n`).join('');
    const { facts, files, saved } = await sharedCopies(source, 50);
    const argSizes = files.flatMap((file) => file.functions.flatMap((fn) => fn.calls.map((call) => call.argSize)));
    assert.equal(argSizes.length, 30_000);
    assert.equal(new Set(argSizes).size, 3, 'three distinct argument sizes, one object each');
    assert.equal(new Set(files.flatMap((file) => file.functions.map((fn) => fn.loops[0]?.count))).size, 1);
    assert.ok(saved > 1_000_000, `30,000 argument sizes and 10,000 loop counts of four shapes: ${saved} bytes freed`);
    for (const file of files) assert.deepEqual(file, facts);
  });

  it('facts handed back by workers share one copy of each equal set of a call\'s argument sizes, and read the same', async () => {
    const source = ['def run(rows, n):', '    for _ in range(n):', '        rows.append(n)', '', ...Array.from({ length: 100 }, (_, k) => `def caller_${k}(rows):\n    run(rows, 5000)\n`)].join('\n');
    const { facts, files } = await sharedCopies(source, 20);
    const argumentSizes = files.flatMap((file) => file.functions.flatMap((fn) => fn.calls.flatMap((call) => (call.callee === 'run' ? [call.argumentSizes] : []))));
    assert.equal(argumentSizes.length, 2000);
    assert.ok(argumentSizes[0]);
    assert.equal(new Set(argumentSizes).size, 1, 'one object for 2,000 equal argument sizes');
    for (const file of files) assert.deepEqual(file, facts);
  });

  it('facts handed back by workers share one frozen empty for each function\'s and class\'s empty lists and records, and read the same', async () => {
    // No decorator, return, loop or local; a class with no base and no attribute.
    const source = Array.from({ length: 200 }, (_, k) => `def log_${k}(message):\n    print(message)\n\nclass Marker${k}:\n    pass\n`).join('');
    const { facts, files, saved } = await sharedCopies(source, 50);
    const functions = files.flatMap((file) => [file.module, ...file.functions]);
    const classes = files.flatMap((file) => file.classes);
    for (const empties of [functions.map((fn) => fn.decorators), functions.map((fn) => fn.loops), functions.map((fn) => fn.locals), classes.map((cls) => cls.bases), classes.map((cls) => cls.attributes)] as object[][]) {
      assert.equal(new Set(empties).size, 1, 'one shared empty');
      assert.ok(Object.isFrozen(empties[0]));
    }
    assert.ok(saved > 1_000_000, `10,000 functions and 10,000 classes with empty lists and records: ${saved} bytes freed`);
    for (const file of files) assert.deepEqual(file, facts);
    assert.throws(() => (functions[0]?.decorators as string[]).push('staticmethod'), TypeError, 'a change of shared facts throws');
  });

  it('facts handed back by workers take less heap than structured clones of them (fields held in each object, not in a store of their own)', async () => {
    const source = Array.from({ length: 200 }, (_, k) => `def handle_${k}(request, retries=3):\n    total = 0\n    for item in request.items:\n        total += item.size\n    request.send(b"x" * 4096)\n    return total\n`).join('');
    const facts = await factsOfSource(source);
    const heldBy = (copy: () => FileFacts): number => {
      const table = new StringTable();
      const before = liveHeap();
      const files = Array.from({ length: 50 }, () => shareStrings(copy(), table));
      const held = liveHeap() - before;
      assert.equal(files.length, 50);
      return held;
    };
    const cloned = heldBy(() => structuredClone(facts));
    const received = heldBy(() => fromWorker(facts));
    assert.ok(received < 0.85 * cloned, `50 copies of 200 functions' facts: ${received} bytes received from workers, ${cloned} as structured clones`);
  });

  it('facts handed back by workers read as they were written: NaN, the infinities and -0 included, and no field added', () => {
    const facts = { module: { sizes: { a: { seq: { n: Number.POSITIVE_INFINITY }, unit: 'items' }, b: { n: Number.NEGATIVE_INFINITY }, c: { n: Number.NaN }, d: { n: -0 } } }, functions: [], line: 1 } as unknown as FileFacts;
    assert.deepStrictEqual(fromWorker(facts), facts);
    const plain = { module: { name: '<module>', calls: [] }, functions: [], className: null } as unknown as FileFacts;
    const sent = sentFile({ path: 'plain.py', facts: plain });
    assert.equal(sent.revive, undefined, 'no number JSON cannot write');
    assert.deepStrictEqual(receivedFile(sent), { path: 'plain.py', facts: plain });
    assert.deepStrictEqual(receivedFile(sentFile({ path: 'broken.py', error: 'unreadable' })), { path: 'broken.py', error: 'unreadable' });
  });

  it("a worker's batch sends each distinct name and size expression once: the facts read as written, equal values are one shared object", async () => {
    const source = 'def handle(request):\n    rows = [0] * 1000\n    for k in range(100):\n        request.send(b"x" * 4096, rows)\n    return rows\n';
    const facts = await factsOfSource(source);
    const odd = structuredClone(facts);
    (odd.module.sizes ??= {}).odd = { seq: { n: Number.NaN }, unit: 'items' } as unknown as SharedValue as never;
    const sender = new BatchSender();
    const sent = [facts, facts, odd].map((copy, k) => sender.file({ path: `m${k}.py`, facts: structuredClone(copy) }));
    sent.push(sender.file({ path: 'broken.py', error: 'unreadable' }));
    const values = sender.sentShared();
    const table = new StringTable();
    const received = receivedBatch(sent, values, table);
    assert.deepStrictEqual(received.map((file) => file.facts), [facts, facts, odd, undefined]);
    assert.equal(received[3]?.error, 'unreadable');
    const held: SharedValue[][] = received.slice(0, 3).map((file) => {
      const found: SharedValue[] = [];
      replaceSharedValues(file.facts as FileFacts, (value) => (found.push(value), value));
      return found;
    });
    assert.ok((held[0]?.length ?? 0) >= 4, `size expressions and argument sizes in the facts: ${held[0]?.length}`);
    held[0]?.forEach((value, k) => {
      assert.equal(held[1]?.[k], value, 'the same value in two files of a batch: one object');
      assert.equal(table.internValue(structuredClone(value)), value, 'the one copy the table gives out');
    });
    assert.equal(values.keys.length, new Set(held.flat()).size, 'one key for each distinct value');
    assert.ok(!sent[0]?.facts?.includes('"name":"handle"') && values.names.includes('handle'), 'names are sent once, in the table');
    assert.equal(values.names.length, new Set(values.names).size, 'each name once');
  });

  it('keeps values apart that JSON would confuse (NaN, the infinities, -0)', () => {
    const table = new StringTable();
    const values = [{ n: Number.NaN }, { n: Number.POSITIVE_INFINITY }, { n: Number.NEGATIVE_INFINITY }, { n: -0 }, { n: 0 }];
    const shared = values.map((value) => table.internValue(structuredClone(value)));
    assert.equal(new Set(shared).size, values.length);
    shared.forEach((value, k) => assert.ok(Object.is(value.n, values[k]?.n)));
    assert.equal(table.internValue({ n: 0 }), shared[4]);
  });

  it('keeps values apart that JSON would confuse at any depth (`{ seq: { n: NaN }, unit }` from `{ seq: { n: null }, unit }`)', () => {
    const table = new StringTable();
    const values: object[] = [
      { seq: { n: Number.NaN }, unit: 'items' },
      { seq: { n: null }, unit: 'items' },
      { sum: [{ n: -0 }, { n: 1 }] },
      { sum: [{ n: 0 }, { n: 1 }] },
      { product: [{ n: Number.POSITIVE_INFINITY }, { name: 'rows' }] },
      { product: [{ n: null }, { name: 'rows' }] },
    ];
    const shared = values.map((value) => table.internValue(structuredClone(value)));
    assert.equal(new Set(shared).size, values.length);
    shared.forEach((value, k) => assert.deepStrictEqual(value, values[k]));
    assert.equal(table.internValue({ sum: [{ n: 0 }, { n: 1 }] }), shared[3]);
  });

  it('keeps values of one field apart by the field\'s name and type (`{ n: 3 }`, `{ n: "3" }`, `{ name: "3" }`), and shares equal ones', () => {
    const table = new StringTable();
    const values: object[] = [{ n: 3 }, { n: '3' }, { name: '3' }, { n: 3, unit: 'bytes' }, { 'a:s:b': 'c' }, { a: 'b:s:c' }];
    const shared = values.map((value) => table.internValue(structuredClone(value)));
    assert.equal(new Set(shared).size, values.length);
    shared.forEach((value, k) => assert.deepEqual(value, values[k]));
    assert.equal(table.internValue({ n: 3 }), shared[0]);
    assert.equal(table.internValue({ name: '3' }), shared[2]);
  });

  it('lets go of its copies once a load of many files has shared them (a cold pass), reports unchanged', async () => {
    const source = (k: number): string => `import json\n\ndef load_${k}(path, rows=[1, 2, 3]):\n    for row in range(10_000):\n        json.loads(path)\n    return rows\n`;
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`m${k}.py`, source(k)]));
    const root = tempTree(files);
    const analyzer = await PythonAnalyzer.create({ python: null });
    try {
      const paths = Object.keys(files).map((file) => path.join(root, file));
      await analyzer.loadFiles(paths, { workers: 2 });
      assert.equal(analyzer.program.strings.size, 0, 'no copy held after the load');
      const report = analyzer.fileReport(paths[7] as string).functions[0];
      assert.equal(report?.name, 'load_7');
      assert.notEqual(report?.verdict, 'trivial');
    } finally {
      analyzer.dispose();
    }
  });
});
