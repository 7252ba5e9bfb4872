import * as assert from 'node:assert/strict';
import type { FileFacts, FunctionFacts } from '../../src/core/python/facts';
import { factsOfSource } from '../../src/core/python/parse';
import { describeSize, evaluateSize, itemsIn, sizedFunctionOf, type Size, type SizedFunction, type SizeExpr } from '../../src/core/python/sizes';
import { ASSUMED_WORD_CHARS } from '../../src/core/cost/priors';
import { analyzeTree } from './helpers';

/** The size a module-level name of `facts` is bound to, evaluated in its module. */
function moduleSize(facts: FileFacts, name: string): Size | undefined {
  const expr = facts.module.sizes?.[name];
  return expr && evaluateSize(expr, { module: facts.module.sizes });
}

const SOURCE = `import numpy as np
import hashlib, zlib

ROWS = [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e"), (6, "f"), (7, "g"), (8, "h"), (9, "i"), (10, "j")]
N = 5_000
RECORDS = [{"id": k} for k in range(N * 2)]
BLOB = b"x" * 4096
MATRIX = np.random.rand(500, 400)
GRID = np.zeros((N, 3))
HEAD = RECORDS[:1000]

def by_module_constants():
    for row in RECORDS:
        pass
    total = sorted(RECORDS, key=lambda r: r["id"])
    return MATRIX @ MATRIX.T

def by_locals(items):
    count = len(ROWS)
    squares = [k * k for k in range(count * 3)]
    for a in squares:
        for b in range(100):
            hashlib.sha256(BLOB)
    text = "abcdef" * 1000
    zlib.compress(text.encode())
    for k, v in enumerate(HEAD):
        pass
    for item in items:
        pass
    np.ones(size=(7, 8))
`;

let facts: FileFacts;
const fn = (name: string): FunctionFacts => facts.functions.find((f) => f.qualname === name) as FunctionFacts;
const sizeOf = (expr: SizeExpr | undefined, local: FunctionFacts): Size | undefined =>
  expr && evaluateSize(expr, { local: local.sizes, module: facts.module.sizes });

describe('sizes read from the code', () => {
  before(async () => {
    facts = await factsOfSource(SOURCE);
  });

  it('reads module constants: literal lengths, comprehensions over range(N * 2), bytes * n, numpy shapes, slices', () => {
    const module = facts.module;
    const at = (name: string): Size | undefined => sizeOf(module.sizes?.[name], module);
    assert.deepEqual(at('ROWS'), { kind: 'items', value: 10, each: { kind: 'items', value: 2 } });
    assert.deepEqual(at('N'), { kind: 'int', value: 5000 });
    assert.deepEqual(at('RECORDS'), { kind: 'items', value: 10_000, each: { kind: 'items', value: 1 } });
    assert.deepEqual(at('BLOB'), { kind: 'bytes', value: 4096 });
    assert.deepEqual(at('MATRIX'), { kind: 'array', value: 200_000, shape: [500, 400] });
    assert.deepEqual(at('GRID'), { kind: 'array', value: 15_000, shape: [5000, 3] });
    assert.deepEqual(at('HEAD'), { kind: 'items', value: 1000, each: { kind: 'items', value: 1 } }, 'a slice keeps its items, each as large');
  });

  it('a string literal is as long as its characters: prefix and quotes left out, an escape one character, a replacement field a word', async () => {
    const literals = await factsOfSource(
      [
        'PLAIN = "abcd"',
        "PREFIXED = Rb'xyz'",
        'TRIPLE = """ab',
        'cd"""',
        "EMPTY = ''",
        "EMPTY_TRIPLE = ''''''",
        "QUOTED = \"it's\"",
        'ESCAPED = "a\\n\\x41"',
        'RAW = r"a\\d"',
        'FORMATTED = f"id {x}!"',
        'JOINED = "ab" \'cde\'',
        'NAMES = ["ab", "abcdef", u"xyz"]',
      ].join('\n'),
    );
    const length = (name: string): number | undefined => {
      const size = literals.module.sizes?.[name];
      return size && 'seq' in size && 'n' in size.seq ? size.seq.n : undefined;
    };
    assert.deepEqual(
      ['PLAIN', 'PREFIXED', 'TRIPLE', 'EMPTY', 'EMPTY_TRIPLE', 'QUOTED', 'ESCAPED', 'RAW', 'FORMATTED', 'JOINED'].map(length),
      [4, 3, 5, 0, 0, 4, 3, 3, 3 + ASSUMED_WORD_CHARS + 1, 5],
    );
    assert.deepEqual(literals.module.sizes?.NAMES, { seq: { n: 3 }, unit: 'items', each: { seq: { n: 6 }, unit: 'bytes' } }, 'a list of strings: each as long as the longest');
  });

  it('a stepped slice takes every k-th item of what its bounds cut (`xs[i::8]`, `xs[:900:2]`); `xs[::-1]` all of them', async () => {
    const stepped = await factsOfSource(
      ['ITEMS = [{"id": k} for k in range(40_000)]', 'EIGHTH = ITEMS[3::8]', 'HALF_HEAD = ITEMS[:900:2]', 'REVERSED = ITEMS[::-1]', ''].join('\n'),
    );
    const at = (name: string): number | undefined => moduleSize(stepped, name)?.value;
    assert.equal(at('EIGHTH'), 5000);
    assert.equal(at('HALF_HEAD'), 450);
    assert.equal(at('REVERSED'), 40_000);
  });

  it('a loop over zip(a, b) runs as many times as the shortest of them the code sizes (a window of 10,000 of a 150,000-item trace: 10,000)', async () => {
    const zipped = await factsOfSource(
      [
        'TRACE = [(k, k * 2) for k in range(150_000)]',
        '',
        'def pairs(start):',
        '    for a, b in zip(TRACE, TRACE[start : start + 10_000]):',
        '        pass',
        '    for a, b in zip(TRACE[start : start + 500], TRACE):',
        '        pass',
        '',
      ].join('\n'),
    );
    const pairs = zipped.functions.find((f) => f.qualname === 'pairs') as FunctionFacts;
    const count = (index: number): number | undefined => evaluateSize(pairs.loops[index]?.count as SizeExpr, { local: pairs.sizes, module: zipped.module.sizes })?.value;
    assert.equal(count(0), 10_000);
    assert.equal(count(1), 500);
  });

  it('a window may start below its base (`trace[k - 1 : k + 9_999]`: 10,000 items), wherever `k` is', async () => {
    const shifted = await factsOfSource(['TRACE = list(range(150_000))', '', 'def steps(k):', '    for t in TRACE[k - 1 : k + 9_999]:', '        pass', ''].join('\n'));
    const steps = shifted.functions.find((f) => f.qualname === 'steps') as FunctionFacts;
    assert.equal(evaluateSize(steps.loops[0]?.count as SizeExpr, { local: steps.sizes, module: shifted.module.sizes })?.value, 10_000);
  });

  it('sizes the items of a comprehension and the name iterating them: windows `data[k : k + 256]` of a buffer are 256 bytes each', async () => {
    const windows = await factsOfSource(
      ['DATA = b"ACGT" * 1024', 'BLOCKS = [DATA[k : k + 256] for k in range(0, len(DATA), 256)]', '', 'def packed(i):', '    return sum(len(bytes(block)) for block in BLOCKS)', ''].join('\n'),
    );
    const packed = windows.functions.find((f) => f.qualname === 'packed') as FunctionFacts;
    const scope = { local: packed.sizes, module: windows.module.sizes };
    const blocks = evaluateSize(windows.module.sizes?.BLOCKS as SizeExpr, scope);
    assert.equal(blocks?.value, 16);
    assert.deepEqual(blocks?.each, { kind: 'bytes', value: 256 });
    assert.deepEqual(evaluateSize({ name: 'block' }, scope), { kind: 'bytes', value: 256 });
  });

  it('a read of n bytes is at most n bytes (`f.read(4096)`, `sock.recv(n)`); a read by name (`archive.read("member.csv")`) is not sized by the name', async () => {
    const facts = await factsOfSource(
      ['def load(f, archive, sock, n=65_536):', '    head = f.read(4096)', '    data = archive.read("member.csv")', '    reply = sock.recv(n)', '    return head, data, reply', ''].join('\n'),
    );
    const load = facts.functions.find((f) => f.qualname === 'load') as FunctionFacts;
    const scope = { local: load.sizes, module: facts.module.sizes };
    assert.deepEqual(evaluateSize({ name: 'head' }, scope), { kind: 'bytes', value: 4096 });
    assert.equal(evaluateSize({ name: 'data' }, scope), undefined);
    assert.deepEqual(evaluateSize({ name: 'reply' }, scope), { kind: 'bytes', value: 65_536 });
  });

  it('an awaited gather gives a result per awaitable: `await asyncio.gather(*(fetch(k) for k in range(shots)))` is `shots` items, three awaitables three', async () => {
    const facts = await factsOfSource(
      [
        'import asyncio',
        '',
        'async def notes(i, shots=8):',
        '    bodies = await asyncio.gather(*(fetch(k) for k in range(shots)))',
        '    pair = await asyncio.gather(fetch(1), fetch(2), fetch(3))',
        '    return [b for b in bodies], pair',
        '',
      ].join('\n'),
    );
    const notes = facts.functions.find((f) => f.qualname === 'notes') as FunctionFacts;
    const scope = { local: notes.sizes, module: facts.module.sizes };
    assert.deepEqual(evaluateSize({ name: 'bodies' }, scope), { kind: 'items', value: 8 });
    assert.deepEqual(evaluateSize({ name: 'pair' }, scope), { kind: 'items', value: 3 });
    assert.deepEqual(evaluateSize(notes.loops.at(-1)?.count as SizeExpr, scope), { kind: 'items', value: 8 });
  });

  it('gives a loop over a module constant its iteration count, and a call its first argument\'s size', () => {
    const f = fn('by_module_constants');
    assert.deepEqual(sizeOf(f.loops[0]?.count, f), { kind: 'items', value: 10_000, each: { kind: 'items', value: 1 } });
    const sort = f.calls.find((c) => c.callee === 'sorted');
    assert.deepEqual(sizeOf(sort?.argSize, f), { kind: 'items', value: 10_000, each: { kind: 'items', value: 1 } });
    assert.equal(f.calls.find((c) => c.callee === 'MATRIX.T'), undefined, 'an attribute is not a call');
    // `MATRIX @ MATRIX.T`: the operator is a call of the left operand's __matmul__, given the right one's size.
    const product = f.calls.find((c) => c.callee === 'MATRIX.__matmul__');
    assert.equal(product?.operator, '@');
    assert.deepEqual(sizeOf(product?.argSize, f), { kind: 'array', value: 200_000, shape: [400, 500] });
    assert.deepEqual(sizeOf(f.returnSize, f), { kind: 'array', value: 250_000, shape: [500, 500] }, '(500, 400) @ (400, 500) is (500, 500)');
  });

  it('names unpacked from a tuple a function returns (`x, y = _history()`) have the sizes of its positions', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        '',
        'def _history(fields=6_000, features=400):',
        '    x = np.random.rand(fields * 10, features)',
        '    y = np.random.rand(fields * 10)',
        '    return x, y',
        '',
        'def fit(i):',
        '    x, y = _history()',
        '    return x.T @ y',
        '',
      ].join('\n'),
    );
    const functions = new Map(module.functions.map((f) => [f.qualname, f]));
    const fit = functions.get('fit') as FunctionFacts;
    const scope = { local: fit.sizes, module: module.module.sizes, functions: (name: string) => functions.get(name) };
    assert.deepEqual(evaluateSize({ name: 'x' }, scope), { kind: 'array', value: 24_000_000, shape: [60_000, 400] });
    assert.deepEqual(evaluateSize({ name: 'y' }, scope), { kind: 'array', value: 60_000, shape: [60_000] });
    assert.deepEqual(evaluateSize(fit.returnSize as SizeExpr, scope), { kind: 'array', value: 400, shape: [400] });
  });

  it('a matrix product\'s shape: (…, m, k) @ (k, n) is (…, m, n); a 1-D operand loses its dimension', () => {
    const array = (...shape: number[]): Size => ({ kind: 'array', value: shape.reduce((a, b) => a * b, 1), shape });
    const product = (left: Size, right: Size): Size | undefined => evaluateSize({ op: '@', left: { evaluated: left }, right: { evaluated: right } }, {});
    assert.deepEqual(product(array(1200, 256), array(256, 1200)), array(1200, 1200));
    assert.deepEqual(product(array(8, 1200, 256), array(256, 30)), array(8, 1200, 30));
    assert.deepEqual(product(array(1200, 256), array(256)), array(1200));
    assert.deepEqual(product(array(256), array(256, 30)), array(30));
    assert.equal(product({ kind: 'int', value: 3 }, { kind: 'int', value: 4 }), undefined, 'not a product of numbers');
  });

  it('numpy arrays of a literal: np.array of rows is rows × columns, np.diag of a list is its square, a list of names is a vector', async () => {
    const small = await factsOfSource(
      ['import numpy as np', 'TRANSITION = np.array([[1.0, 1.0], [0.0, 1.0]])', 'OBSERVATION = np.asarray([[1.0, 0.0]])',
        'NOISE = np.diag([0.05, 0.001, 0.2])', 'WEIGHTS = np.array((a, b, c, d))', 'ROWS = np.array(rows)', ''].join('\n'),
    );
    const at = (name: string): Size | undefined => moduleSize(small, name);
    assert.deepEqual(at('TRANSITION'), { kind: 'array', value: 4, shape: [2, 2] });
    assert.deepEqual(at('OBSERVATION'), { kind: 'array', value: 2, shape: [1, 2] });
    assert.deepEqual(at('NOISE'), { kind: 'array', value: 9, shape: [3, 3] });
    assert.deepEqual(at('WEIGHTS'), { kind: 'array', value: 4, shape: [4] });
    assert.equal(at('ROWS'), undefined, 'not a literal: its shape is not in the code');
  });

  it('flows sizes through local assignments: len(), range(count * 3), nested loops, "str" * n, enumerate', () => {
    const f = fn('by_locals');
    const [comprehension, outer, inner, overHead, overParam] = f.loops;
    assert.deepEqual(sizeOf(comprehension?.count, f), { kind: 'items', value: 30 });
    assert.deepEqual(sizeOf(outer?.count, f), { kind: 'items', value: 30 });
    assert.deepEqual(sizeOf(inner?.count, f), { kind: 'items', value: 100 });
    assert.equal(inner?.parent, 1, 'the inner loop runs in the outer one');
    assert.deepEqual(sizeOf(overHead?.count, f), { kind: 'items', value: 1000, each: { kind: 'items', value: 1 } });
    assert.equal(sizeOf(overParam?.count, f), undefined, 'a parameter has no size in the code');

    const hash = f.calls.find((c) => c.callee === 'hashlib.sha256');
    assert.equal(hash?.loop, 2, 'the hash runs in the inner loop');
    assert.deepEqual(sizeOf(hash?.argSize, f), { kind: 'bytes', value: 4096 });
    const compress = f.calls.find((c) => c.callee === 'zlib.compress');
    assert.deepEqual(sizeOf(compress?.argSize, f), { kind: 'bytes', value: 6000 });
    assert.equal(compress?.loop, undefined);
    const ones = f.calls.find((c) => c.callee === 'np.ones');
    assert.deepEqual(sizeOf(ones?.argSize, f), { kind: 'array', value: 56, shape: [7, 8] }, 'a numpy constructor is priced by the array it makes');
  });

  it('reads generator joins: a literal separator joining sized items, then encoded', async () => {
    const joins = await factsOfSource(
      [
        'PAGE = "<ul>" + "".join(f"<li>{n}</li>" for n in range(2_000)) + "</ul>"',
        'LOG = "\\n".join(f"GET /item/{n} 200" for n in range(50_000)).encode()',
        'FEED = b"".join(f"<entry>{n}</entry>".encode() for n in range(300))',
        'PICKED = ",".join(str(n) for n in range(10) if n % 2)',
        'NAMES = ",".join(names)',
        'CODES = [f"WHT->{230 + i}.5/DEC", "BAR-<17"]',
      ].join('\n'),
    );
    assert.deepEqual(moduleSize(joins, 'CODES'), { kind: 'items', value: 2, each: { kind: 'bytes', value: 5 + 8 + 6 } }, 'a literal of f-strings: the largest');
    const at = (name: string): Size | undefined => moduleSize(joins, name);
    // An f-string's interpolation counts a word's 8 bytes beside its literal text.
    assert.deepEqual(at('PAGE'), { kind: 'bytes', value: 4 + 2_000 * (9 + 8) + 5 });
    assert.deepEqual(at('LOG'), { kind: 'bytes', value: 50_000 * (14 + 8 + 1) }, 'the separator "\\n" is one character');
    assert.deepEqual(at('FEED'), { kind: 'bytes', value: 300 * (15 + 8) });
    assert.equal(at('PICKED'), undefined, 'a filtered comprehension has no count in the code');
    assert.equal(at('NAMES'), undefined, 'items of unknown size');
  });

  it('a join of a counted comprehension of items the code does not size: a line each when an item builds a text, a word when it is one value; also as a function\'s return', async () => {
    const module = await factsOfSource(
      [
        'def _chat_log(lines):',
        '    return "|".join(f"[{k:05d}] player{k % 50}: " + " ".join(pick_words(WORDS)) for k in range(lines))',
        '',
        'CHAT_LOG = _chat_log(60_000)',
        'BUNDLE = b" ".join(rnd.choice(WORDS) for _ in range(1_200_000))',
        'ROWS = "".join(row.title + ";" for row in range(500))',
      ].join('\n'),
    );
    const functions = new Map(module.functions.map((f) => [f.qualname, f]));
    const at = (name: string): Size | undefined => evaluateSize({ name }, { module: module.module.sizes, functions: (callee) => functions.get(callee) });
    assert.deepEqual(at('CHAT_LOG'), { kind: 'bytes', value: 60_000 * (64 + 1) });
    assert.deepEqual(at('BUNDLE'), { kind: 'bytes', value: 1_200_000 * (8 + 1) });
    assert.deepEqual(at('ROWS'), { kind: 'bytes', value: 500 * 64 });
  });

  it('a list bound empty and filled by one append per iteration of counted for loops holds their product of items, and a join of it is sized; an append under an if, in a while, or a list also extended is not counted', async () => {
    const module = await factsOfSource(
      [
        'def _reports():',
        '    lines = []',
        '    for k in range(60_000):',
        '        sign = pick(k)',
        '        lines.append(f"{k:06d} {sign} POS")',
        '    return "\\n".join(lines)',
        '',
        'def _grid(days):',
        '    cells = []',
        '    for day in range(days):',
        '        for slot in range(4):',
        '            cells.append(make(day, slot))',
        '    return cells',
        '',
        'def _filtered():',
        '    kept = []',
        '    for k in range(1000):',
        '        if k % 3:',
        '            kept.append(f"{k}")',
        '    return "".join(kept)',
        '',
        'def _extended():',
        '    rows = []',
        '    for k in range(1000):',
        '        rows.append(k)',
        '    rows.extend(more)',
        '    return ",".join(rows)',
        '',
        'REPORTS = _reports()',
        'FILTERED = _filtered()',
        'EXTENDED = _extended()',
      ].join('\n'),
    );
    const functions = new Map(module.functions.map((f) => [f.qualname, f]));
    const at = (name: string): Size | undefined => evaluateSize({ name }, { module: module.module.sizes, functions: (callee) => functions.get(callee) });
    assert.deepEqual(at('REPORTS'), { kind: 'bytes', value: 60_000 * (64 + 1) }, 'an appended f-string is a line');
    const grid = functions.get('_grid') as FunctionFacts;
    assert.equal(evaluateSize({ name: 'cells' }, { local: { ...grid.sizes, days: { n: 28 } } })?.value, 28 * 4);
    assert.equal(at('FILTERED'), undefined, 'an append under an if');
    assert.equal(at('EXTENDED'), undefined, 'a list also extended');
  });

  it('a list started with a literal and grown by several appends and comprehension extends in counted loops holds all their items; a join of it is sized by the largest kind of item', async () => {
    const module = await factsOfSource(
      [
        'def _notes(sections=60):',
        '    parts = ["# Patch notes\\n"]',
        '    for s in range(sections):',
        '        parts.append(f"## Section {s}\\n")',
        '        parts.extend(f"| hero{k} | {k * 3} |\\n" for k in range(12))',
        '        parts.extend(f"- fixed {s}-{k}\\n" for k in range(20))',
        '    return "".join(parts)',
        '',
        'NOTES = _notes()',
      ].join('\n'),
    );
    const functions = new Map(module.functions.map((f) => [f.qualname, f]));
    const notes = evaluateSize({ name: 'NOTES' }, { module: module.module.sizes, functions: (callee) => functions.get(callee) });
    assert.deepEqual(notes, { kind: 'bytes', value: (1 + 60 * (1 + 12 + 20)) * 64 }, 'f-strings are lines');
  });

  it('a window of a named width (`data[start : start + SHARD]`) is SHARD long wherever it starts, through memoryview() and a function\'s return', async () => {
    const module = await factsOfSource(
      [
        'SHARD = 1 << 20',
        'DATA = b"x" * (1 << 26)',
        '',
        'def _shard(i):',
        '    start = (i % 64) * SHARD',
        '    return memoryview(DATA)[start : start + SHARD]',
        '',
        'def digest(i):',
        '    shard = _shard(i)',
        '    return shard',
      ].join('\n'),
    );
    const functions = new Map(module.functions.map((f) => [f.qualname, f]));
    const digest = functions.get('digest') as FunctionFacts;
    assert.deepEqual(evaluateSize({ name: 'shard' }, { local: digest.sizes, module: module.module.sizes, functions: (callee) => functions.get(callee) }), { kind: 'bytes', value: 1 << 20 });
  });

  it('a str method that keeps a text about as long keeps its size (a template formatted, a text lowered)', async () => {
    const texts = await factsOfSource(
      [
        'TEMPLATE = "service_id: WEEKDAY-{year}\\ndays: [monday, tuesday]\\n"',
        'CALENDAR = TEMPLATE.format(year=2024)',
        'LOWERED = ("ABC" * 1000).lower()',
        'WHEN = now.replace(year=2024)',
        'import re, operator',
        'NOISE = re.compile(r"[^\\w ]+")',
        'CLEANED = NOISE.sub(" ", "x" * 500)',
        'SCRUBBED = re.sub(r"\\s+", " ", "y " * 300)',
        'DIFFERENCE = operator.sub(10_000, "y " * 300)',
      ].join('\n'),
    );
    const at = (name: string): Size | undefined => moduleSize(texts, name);
    // A regular expression's substitution gives a text about as long as the one it is given (a pattern's, or re's third argument).
    assert.deepEqual(at('CLEANED'), { kind: 'bytes', value: 500 });
    assert.deepEqual(at('SCRUBBED'), { kind: 'bytes', value: 600 });
    assert.equal(at('DIFFERENCE'), undefined, 'operator.sub is arithmetic, not a substitution of its second argument');
    assert.equal(at('CALENDAR')?.kind, 'bytes');
    assert.deepEqual(at('CALENDAR'), at('TEMPLATE'));
    assert.deepEqual(at('LOWERED'), { kind: 'bytes', value: 3000 });
    assert.equal(at('WHEN'), undefined, 'a method of a value of no known size');
  });

  it('a document parsed from a text of known size holds its records, and at most as many under any key', async () => {
    const parsed = await factsOfSource(
      [
        'import json, yaml',
        'CALENDAR = "days: [mon, tue]\\nexceptions:\\n  - {date: 0101}\\n" * 10',
        'def removed():',
        '    doc = yaml.safe_load(CALENDAR)',
        '    for e in doc["exceptions"]:',
        '        pass',
        'def rows(text):',
        '    for row in json.loads(text):',
        '        pass',
      ].join('\n'),
    );
    const loopCount = (fn: FunctionFacts | undefined): Size | undefined => {
      const count = fn?.loops[0]?.count;
      return count && evaluateSize(count, { local: fn?.sizes, module: parsed.module.sizes });
    };
    const removed = parsed.functions.find((fn) => fn.name === 'removed');
    assert.equal(loopCount(removed)?.value, Math.round(460 / 64));
    assert.equal(loopCount(parsed.functions.find((fn) => fn.name === 'rows')), undefined, 'a text of no known size');
  });

  it('any part of a document parsed from a short text, however deep and through a comprehension of its items, holds at most its records; a part is no number to count with', async () => {
    const parsed = await factsOfSource(
      [
        'import yaml',
        'TARIFF = yaml.safe_load("""',
        'free_days: {import: 5, export: 7}',
        'storage_per_day:',
        '  "20": {1: "18.00", 8: "32.00", 15: "55.00"}',
        '  "40": {1: "30.00", 8: "58.00", 15: "98.00"}',
        '""")',
        'BANDS = {size: sorted((start, float(rate)) for start, rate in bands.items()) for size, bands in TARIFF["storage_per_day"].items()}',
        'def day_rate(size, day):',
        '    rate = 0.0',
        '    for start, band_rate in BANDS[size]:',
        '        if day >= start:',
        '            rate = band_rate',
        '    return rate',
        'def charge(i, size="20"):',
        '    free = TARIFF["free_days"]["import"]',
        '    dwell = 3 + i % 20',
        '    return sum(day_rate(size, day - free) for day in range(free + 1, dwell + 1))',
        'def counted():',
        '    for k in range(TARIFF["free_days"]["export"] * 1000):',
        '        pass',
      ].join('\n'),
    );
    const loopCount = (name: string): Size | undefined => {
      const fn = parsed.functions.find((f) => f.name === name);
      const count = fn?.loops[0]?.count;
      return count && evaluateSize(count, { local: fn?.sizes, module: parsed.module.sizes });
    };
    const records = Math.round(144 / 64);
    assert.equal(loopCount('day_rate')?.value, records, "a band list of the tariff: a value of a mapping made from the document's parts");
    assert.deepEqual(loopCount('charge'), { kind: 'items', value: 3 + 19 + 1 }, 'the days from a free time the document holds to a dwell of at most 22: at most 23');
    assert.equal(loopCount('counted'), undefined, 'a number read from the document is not told (not its record count)');
  });

  it('reads parameters\' default values as sizes (1 << 16 included); an assignment in the body overrides them', async () => {
    const defaults = await factsOfSource(
      [
        'import zlib',
        'def pack(blob, parts=4, chunk=1 << 16, tags=("a", "b", "c")):',
        '    for part in range(parts):',
        '        zlib.compress(blob[:chunk])',
        '    for tag in tags:',
        '        pass',
        'def rebound(rows=10):',
        '    rows = 1000',
        '    for k in range(rows):',
        '        pass',
        'def unknown(rows=None):',
        '    for row in rows:',
        '        pass',
      ].join('\n'),
    );
    const of = (name: string): FunctionFacts => defaults.functions.find((f) => f.qualname === name) as FunctionFacts;
    const size = (expr: SizeExpr | undefined, f: FunctionFacts): Size | undefined => expr && evaluateSize(expr, { local: f.sizes, module: defaults.module.sizes });
    const pack = of('pack');
    assert.deepEqual(size(pack.loops[0]?.count, pack), { kind: 'items', value: 4 });
    assert.deepEqual(size(pack.sizes?.chunk, pack), { kind: 'int', value: 65_536 });
    assert.deepEqual(size(pack.loops[1]?.count, pack), { kind: 'items', value: 3, each: { kind: 'bytes', value: 1 } });
    const compress = pack.calls.find((c) => c.callee === 'zlib.compress');
    assert.deepEqual(size(compress?.argSize, pack), { kind: 'items', value: 65_536 }, 'a slice of unknown data is at most the slice');
    assert.deepEqual(size(of('rebound').loops[0]?.count, of('rebound')), { kind: 'items', value: 1000 });
    assert.equal(size(of('unknown').loops[0]?.count, of('unknown')), undefined);
  });

  it('a slice of an array is an array of as many rows (`height[k : k + 2]`: 2 rows of 256) and of the columns its second index keeps, and a Generator\'s draw is priced by the `size=` it makes', async () => {
    const rows = await factsOfSource(
      [
        'import numpy as np',
        'def erode(i):',
        '    rng = np.random.default_rng(i)',
        '    height = np.zeros((256, 256))',
        '    x, y = rng.uniform(1, 254, size=2)',
        '    strip = height[i : i + 2]',
        '    band = height[10:40, :]',
        '    left = height[:, :64]',
        '    patch = height[i : i + 2, i : i + 2]',
        '    return patch[:, 1].mean()',
      ].join('\n'),
    );
    const erode = rows.functions.find((f) => f.qualname === 'erode') as FunctionFacts;
    const size = (expr: SizeExpr | undefined): Size | undefined => expr && evaluateSize(expr, { local: erode.sizes, module: rows.module.sizes });
    assert.deepEqual(size(erode.sizes?.strip), { kind: 'array', value: 512, shape: [2, 256] });
    assert.deepEqual(size(erode.sizes?.band), { kind: 'array', value: 7_680, shape: [30, 256] });
    assert.deepEqual(size(erode.sizes?.left), { kind: 'array', value: 16_384, shape: [256, 64] });
    assert.deepEqual(size(erode.sizes?.patch), { kind: 'array', value: 4, shape: [2, 2] }, 'a 2 x 2 patch, not 2 rows of 256');
    assert.deepEqual(size(erode.calls.find((c) => c.callee === 'patch[].mean')?.receiverSize), { kind: 'array', value: 2, shape: [2] }, 'a column of the patch');
    assert.deepEqual(size(erode.calls.find((c) => c.callee === 'rng.uniform')?.argSize), { kind: 'array', value: 2, shape: [2] });
  });

  it('reads numpy Generator shapes, the rows of an array (subscript, for, enumerate) and array arithmetic', async () => {
    const rows = await factsOfSource(
      [
        'import numpy as np',
        'rng = np.random.default_rng(1)',
        'POINTS = rng.random((30_000, 6))',
        'NOISE = rng.normal(0.0, 1.0, size=(500, 4))',
        'def scan(i):',
        '    origin = POINTS[i]',
        '    for k, row in enumerate(POINTS):',
        '        np.dot(row - origin, row - origin)',
        '    for point in POINTS:',
        '        pass',
      ].join('\n'),
    );
    const scan = rows.functions.find((f) => f.qualname === 'scan') as FunctionFacts;
    const size = (expr: SizeExpr | undefined): Size | undefined => expr && evaluateSize(expr, { local: scan.sizes, module: rows.module.sizes });
    assert.deepEqual(size(rows.module.sizes?.POINTS), { kind: 'array', value: 180_000, shape: [30_000, 6] });
    assert.deepEqual(size(rows.module.sizes?.NOISE), { kind: 'array', value: 2_000, shape: [500, 4] });
    assert.deepEqual(size(scan.sizes?.origin), { kind: 'array', value: 6, shape: [6] });
    assert.deepEqual(size(scan.sizes?.row), { kind: 'array', value: 6, shape: [6] });
    assert.deepEqual(size(scan.sizes?.point), { kind: 'array', value: 6, shape: [6] });
    assert.deepEqual(size(scan.loops[0]?.count), { kind: 'items', value: 30_000 }, 'an array iterates by rows');
    assert.deepEqual(size(scan.calls.find((c) => c.callee === 'np.dot')?.argSize), { kind: 'array', value: 6, shape: [6] });
  });

  it('sizes a pandas frame by its rows (and columns): a mapping of sized columns, records, an array, a CSV of a sized buffer; a column, a filter, `.loc[…]`/`.iloc[…]` and a method\'s result have at most its rows', async () => {
    const frames = await factsOfSource(
      [
        'import io',
        'import numpy as np',
        'import pandas as pd',
        'COLUMNS = {"a": [1, 2, 3, 4], "b": [5, 6, 7, 8]}',
        'GRID = pd.DataFrame(np.zeros((2_000, 3)))',
        'def build(i, rows=400, body=None):',
        '    counts = pd.DataFrame({"id": ids, "hour": [k % 24 for k in range(rows)]})',
        '    literal = pd.DataFrame(COLUMNS)',
        '    records = pd.DataFrame([{"k": k} for k in range(250)])',
        '    parsed = pd.read_csv(io.StringIO("x" * 6_400))',
        '    column = counts["hour"]',
        '    kept = counts[counts["hour"] > i]',
        '    per_hour = counts.groupby("hour")["hour"].sum()',
        '    nothing = body.strip().split()',
        '    located = counts.loc[counts["hour"] > 3].copy()',
        '    tail = counts.iloc[10:]',
      ].join('\n'),
    );
    const build = frames.functions.find((f) => f.qualname === 'build') as FunctionFacts;
    const size = (name: string): Size | undefined => {
      const expr = build.sizes?.[name] ?? frames.module.sizes?.[name];
      return expr && evaluateSize(expr, { local: build.sizes, module: frames.module.sizes });
    };
    const rows = (value: number, columns?: number): Size => ({ kind: 'items', value, frame: true, ...(columns && { each: { kind: 'items', value: columns } }) });
    assert.deepEqual(size('counts'), rows(400, 2), 'a column the code sizes tells the rows (pandas makes them equal)');
    assert.deepEqual(size('literal'), rows(4, 2));
    assert.deepEqual(size('records'), rows(250));
    assert.deepEqual(size('GRID'), rows(2_000, 3));
    assert.deepEqual(size('parsed'), rows(100), 'a record a line of 64 bytes');
    for (const name of ['column', 'per_hour']) assert.deepEqual(size(name), rows(400), `${name}: a column by its name, the frame's rows, one column`);
    for (const name of ['kept', 'located', 'tail']) assert.deepEqual(size(name), rows(400, 2), name);
    assert.equal(size('nothing'), undefined, 'a method of a value that is not a frame tells nothing');
    assert.equal(describeSize(rows(400)), 'a frame of 400 rows');
  });

  it('sizes the draws of numpy\'s Generator distributions and the legacy np.random functions by `size=`, an array\'s transpose by its shape reversed, and a frame of it', async () => {
    const draws = await factsOfSource(
      [
        'import numpy as np',
        'import pandas as pd',
        'rng = np.random.default_rng(1)',
        'READINGS = rng.gamma(2.0, 0.15, size=(4, 1_000))',
        'LEGACY = np.random.normal(0.0, 1.0, size=(30, 2))',
        'UNIFORM = np.random.random(50)',
        'USAGE = pd.DataFrame(READINGS.T, columns=["a", "b", "c", "d"])',
      ].join('\n'),
    );
    assert.deepEqual(moduleSize(draws, 'READINGS'), { kind: 'array', value: 4_000, shape: [4, 1_000] });
    assert.deepEqual(moduleSize(draws, 'LEGACY'), { kind: 'array', value: 60, shape: [30, 2] });
    assert.deepEqual(moduleSize(draws, 'UNIFORM'), { kind: 'array', value: 50, shape: [50] }, 'numpy\'s own shape functions keep their reading');
    assert.deepEqual(moduleSize(draws, 'USAGE'), { kind: 'items', value: 1_000, frame: true, each: { kind: 'items', value: 4 } });
  });

  it('sizes the items of a literal of literals (the largest) and the values of a literal mapping, by subscript, loop, .items() and .values()', async () => {
    const literals = await factsOfSource(
      [
        'TEAMS = [[(20.0, 10.0), (60.0, 55.0), (85.0, 85.0)], [(15.0, 80.0)]]',
        'NEEDS = {"arrival": [], "mine": ["arrival"], "boss": ["mine", "arrival"]}',
        'NAMES = ["knight", "ranger"]',
        'MIXED = [[1, 2], "ab"]',
        '',
        'def read(i):',
        '    team = TEAMS[i % 2]',
        '    needs = NEEDS["boss"]',
        '    for quest, wanted in NEEDS.items():',
        '        pass',
        '    for required in NEEDS.values():',
        '        pass',
        '    for key in NEEDS:',
        '        pass',
        '    for name in NAMES:',
        '        pass',
        '    for member in TEAMS:',
        '        pass',
        '',
      ].join('\n'),
    );
    const read = literals.functions.find((f) => f.qualname === 'read') as FunctionFacts;
    const size = (name: string): Size | undefined => evaluateSize({ name }, { local: read.sizes, module: literals.module.sizes });
    assert.deepEqual(size('team'), { kind: 'items', value: 3 });
    assert.deepEqual(size('member'), { kind: 'items', value: 3 });
    assert.deepEqual(size('needs'), { kind: 'items', value: 2 });
    assert.deepEqual(size('wanted'), { kind: 'items', value: 2 });
    assert.deepEqual(size('required'), { kind: 'items', value: 2 });
    assert.deepEqual(size('name'), { kind: 'bytes', value: 6 });
    assert.equal(size('key'), undefined, 'iterating a mapping gives its keys, not its values');
    assert.equal(evaluateSize(literals.module.sizes?.MIXED as SizeExpr, {})?.each, undefined, 'items of different kinds have no common size');
  });

  it('sizes what a module function returns, its arguments bound to its parameters (positional, keyword, defaults), also through a module constant', async () => {
    const module = await factsOfSource(
      [
        'def _log(lines, width=20):',
        '    return ",".join("x" * width for k in range(lines))',
        '',
        'def _records(count):',
        '    return [{"id": k} for k in range(count)]',
        '',
        'def _kept(count):',
        '    rows = []',
        '    return rows',
        '',
        'LOG = _log(1000)',
        '',
        'def read(n):',
        '    wide = _log(10, width=99)',
        '    few = _records(5)',
        '    many = _records(n * 2)',
        '    kept = _kept(5)',
        '    unsized = _records(n)',
        '    for row in _records(7):',
        '        pass',
        '',
      ].join('\n'),
    );
    const read = module.functions.find((f) => f.qualname === 'read') as FunctionFacts;
    const functions = new Map(module.functions.map((f) => [f.qualname, f]));
    const size = (expr: SizeExpr): Size | undefined =>
      evaluateSize(expr, { local: { ...read.sizes, n: { n: 3000 } }, module: module.module.sizes, functions: (name) => functions.get(name) });
    assert.deepEqual(size({ name: 'LOG' }), { kind: 'bytes', value: 1000 * 21 });
    assert.deepEqual(size({ name: 'wide' }), { kind: 'bytes', value: 10 * 100 });
    assert.deepEqual(size({ name: 'few' }), { kind: 'items', value: 5, each: { kind: 'items', value: 1 } });
    assert.equal(size({ name: 'many' })?.value, 6000);
    assert.equal(size({ name: 'kept' }), undefined, 'a returned name (a list appended to) is not sized by its empty start');
    assert.equal(evaluateSize({ name: 'unsized' }, { local: read.sizes, module: module.module.sizes, functions: (name) => functions.get(name) }), undefined);
    assert.equal(size(read.loops[0]?.count as SizeExpr)?.value, 7);
    assert.equal(evaluateSize({ name: 'few' }, { local: read.sizes }), undefined, 'without the module\'s functions, a call is not sized');
  });

  it('sizes what a function of another workspace module returns, in that module\'s names (`document()` imported, `corpus.document()`), and a join of it', async () => {
    const reports = await analyzeTree({
      'shop/__init__.py': '',
      'shop/corpus.py': ['import functools', '', 'WIDTH = 120', '', '@functools.lru_cache', 'def document(lines=200_000):', '    return ["x" * WIDTH for _ in range(lines)]', ''].join('\n'),
      'shop/jobs.py': [
        'import zlib',
        'from . import corpus',
        'from .corpus import document',
        '',
        'def pack_through_module(i):',
        '    return len(zlib.compress("\\n".join(corpus.document()).encode()))',
        '',
        'def pack(i):',
        '    return len(zlib.compress("\\n".join(document()).encode()))',
        '',
        'def pack_few(i):',
        '    return len(zlib.compress("\\n".join(document(40)).encode()))',
        '',
      ].join('\n'),
    });
    const functions = new Map((reports.get('shop/jobs.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const pack = functions.get('pack');
    assert.equal(pack?.verdict, 'native', pack?.evidence.map((e) => e.reason).join(' | '));
    const throughModule = functions.get('pack_through_module');
    assert.equal(throughModule?.verdict, 'native', throughModule?.evidence.map((e) => e.reason).join(' | '));
    assert.ok((pack?.predicted?.seconds.sequential ?? 0) > 100 * (functions.get('pack_few')?.predicted?.seconds.sequential ?? Infinity));
  });

  it('a workspace callee\'s loops over a parameter run as often as the call asks (`_samples(i, 5000)`, a method, a keyword, a name bound to a size), not an assumed 100', async () => {
    const reports = await analyzeTree({
      'lab/__init__.py': '',
      'lab/runs.py': [
        'ROWS = 20_000',
        '',
        'def _samples(run, count):',
        '    return [{"id": f"S{run}-{k}", "reads": k * 7919 % 97} for k in range(count)]',
        '',
        'class Plate:',
        '    def wells(self, count=96):',
        '        total = 0',
        '        for k in range(count):',
        '            total += k * k % 7',
        '        return total',
        '',
        'def many(i):',
        '    return len(_samples(i, 5_000))',
        '',
        'def few(i):',
        '    return len(_samples(i, 30))',
        '',
        'def unsized(i, n):',
        '    return len(_samples(i, n))',
        '',
        'def by_method(i):',
        '    return Plate().wells(count=ROWS)',
        '',
        'def by_name(i):',
        '    rows = 50_000',
        '    return len(_samples(i, rows))',
        '',
      ].join('\n'),
    });
    const functions = new Map((reports.get('lab/runs.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const sequential = (name: string): number => functions.get(name)?.predicted?.seconds.sequential ?? NaN;
    const says = (name: string): string => functions.get(name)?.evidence.map((e) => e.reason).join(' | ') ?? '';
    assert.match(says('many'), /5,000 items/, says('many'));
    assert.ok(sequential('many') > 50 * sequential('few'), `${sequential('many')} vs ${sequential('few')}`);
    assert.match(says('unsized'), /~100 items assumed/, says('unsized'));
    assert.match(says('by_method'), /20,000 items/, says('by_method'));
    assert.match(says('by_name'), /50,000 items/, says('by_name'));
  });

  it('sizes read through a date given to a template, `tuple(x for …)` and its items, `int.to_bytes(n)`, a numpy Generator\'s positional size; a memoized callee given the caller\'s defaults answers from its cache', async () => {
    const reports = await analyzeTree({
      'report.py': [
        'import datetime, functools, random, zlib',
        'import jinja2',
        'import numpy as np',
        '',
        'PAGE = jinja2.Template("{% for row in rows %}<tr><td>{{ row.id }}</td></tr>{% endfor %}")',
        '',
        '@functools.lru_cache(maxsize=None)',
        'def _segments(count=4):',
        '    rnd = random.Random(3)',
        '    return tuple(b"".join(k.to_bytes(4, "big") + rnd.randbytes(28) for k in range(50_000)) for _ in range(count))',
        '',
        'def page_with_date(i):',
        '    rows = [{"id": k} for k in range(20_000)]',
        '    return len(PAGE.render(day=datetime.date(2024, 3, 4), rows=rows))',
        '',
        'def packed_segments(i, count=4):',
        '    return sum(len(zlib.compress(segment, 6)) for segment in _segments(count))',
        '',
        'def drawn(i, cells=600_000):',
        '    rng = np.random.default_rng(i)',
        '    return float(rng.uniform(18, 38, cells).sum())',
        '',
      ].join('\n'),
    });
    const functions = new Map((reports.get('report.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const says = (name: string): string => functions.get(name)?.evidence.map((e) => e.reason).join(' | ') ?? '';
    assert.doesNotMatch(says('page_with_date'), /assumed/, says('page_with_date'));
    assert.match(says('packed_segments'), /_segments is memoized/, says('packed_segments'));
    assert.match(says('packed_segments'), /\(4 items\)/, says('packed_segments'));
    assert.equal(functions.get('packed_segments')?.verdict, 'native', says('packed_segments'));
    assert.doesNotMatch(says('drawn'), /assumed/, says('drawn'));
    assert.ok((functions.get('drawn')?.predicted?.seconds.sequential ?? 0) > 8 * 600_000 * 1e-9, says('drawn'));
  });

  it('a name rebound to a value made from its own keeps its size (`tile = tile.convert("P")`), through `>>`, `**`, `%` and `/`; a memoized callee given an item of a module collection answers from its cache; windows of a buffer and a Struct\'s size', async () => {
    const module = await factsOfSource(
      [
        'import functools',
        'from PIL import Image',
        'SITES = ["albis", "dole", "lema"]',
        '',
        '@functools.lru_cache(maxsize=None)',
        'def _scan(site, size):',
        '    return Image.effect_noise((size, size), 64 + len(site))',
        '',
        'def tile(i, zoom=8):',
        '    scan = _scan(SITES[i % len(SITES)], 512)',
        '    tile = scan.resize((256 >> (zoom - 7), 2 ** 7))',
        '    tile = tile.convert("P")',
        '    return tile',
        '',
        'def unknown(image):',
        '    image = image.convert("L")',
        '    return image',
        '',
      ].join('\n'),
    );
    const of = (name: string): FunctionFacts => module.functions.find((f) => f.qualname === name) as FunctionFacts;
    const scope = (f: FunctionFacts) => ({ local: f.sizes, module: module.module.sizes });
    assert.deepEqual(evaluateSize({ name: 'tile' }, scope(of('tile'))), { kind: 'array', value: 128 * 128, shape: [128, 128] });
    assert.equal(evaluateSize({ name: 'image' }, scope(of('unknown'))), undefined);
    assert.equal(of('tile').calls.find((c) => c.callee === '_scan')?.constantArgs, true);
    assert.deepEqual(evaluateSize({ op: '%', left: { n: 17 }, right: { n: 5 } }, {}), { kind: 'int', value: 2 });
    const windows = await factsOfSource(
      'import struct\nRECORD = struct.Struct(">IHHiI8s")\nLOG = b"x" * 1_000_000\nk = 7\nHEAD = LOG[k : k + 64]\nENTRY = LOG[k : k + RECORD.size]\nLINK = LOG[k + RECORD.size : k + RECORD.size + 32]\nUNKNOWN = LOG[k : k + OTHER.size]\nWIDE = struct.calcsize("@ihq")\n',
    );
    assert.deepEqual(moduleSize(windows, 'HEAD'), { kind: 'bytes', value: 64 });
    assert.deepEqual(moduleSize(windows, 'ENTRY'), { kind: 'bytes', value: 24 }, 'a Struct\'s size is its format\'s (struct.calcsize)');
    assert.deepEqual(moduleSize(windows, 'LINK'), { kind: 'bytes', value: 32 }, 'a window between two offsets of one base');
    assert.equal(moduleSize(windows, 'UNKNOWN'), undefined, 'a window of untold width is not the whole buffer');
    assert.deepEqual(moduleSize(windows, 'WIDE'), { kind: 'int', value: 16 }, 'native alignment');
    assert.deepEqual(evaluateSize({ op: '/', left: { n: 1 }, right: { shape: [{ n: 3 }] } }, {}), { kind: 'array', value: 3, shape: [3] });
  });

  it('a join of a list of a known count whose items the code does not size takes lines for a line break, else words', async () => {
    const module = await factsOfSource(
      [
        'import random',
        'rnd = random.Random(1)',
        'LINES = [rnd.choice(("a", "b")).capitalize() for _ in range(5_000)]',
        'TEXT = "\\n".join(LINES)',
        'WORDS = " ".join(LINES)',
      ].join('\n'),
    );
    const at = (name: string): Size | undefined => evaluateSize({ name }, { module: module.module.sizes });
    assert.deepEqual(at('TEXT'), { kind: 'bytes', value: 5_000 * (64 + 1) });
    assert.deepEqual(at('WORDS'), { kind: 'bytes', value: 5_000 * (8 + 1) });
  });

  it('a `random.Random` instance\'s randbytes(n) is n bytes, as the module\'s, through a length-keeping method and a join', async () => {
    const module = await factsOfSource(
      [
        'import random',
        'rnd = random.Random(3)',
        'INK = bytes(range(256))',
        'BLOCK = rnd.randbytes(4096)',
        'ARCHIVE = b"".join(rnd.randbytes(1 << 20).translate(INK) for _ in range(8))',
      ].join('\n'),
    );
    const at = (name: string): Size | undefined => evaluateSize({ name }, { module: module.module.sizes });
    assert.deepEqual(at('BLOCK'), { kind: 'bytes', value: 4096 });
    assert.equal(at('ARCHIVE')?.value, 8 * (1 << 20));
  });

  it('numpy methods that keep an array\'s shape (clip, astype, round) keep it through a chain, and its rows are read from it', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        '',
        'def qualities(i, reads=12_000):',
        '    rng = np.random.default_rng(i)',
        '    scores = rng.normal(33, 6, size=(reads, 150)).clip(2, 41).astype(np.uint8)',
        '    rounded = np.zeros((40, 3)).round(2)',
        '    for read in scores:',
        '        pass',
        '',
      ].join('\n'),
    );
    const qualities = module.functions.find((f) => f.qualname === 'qualities') as FunctionFacts;
    const size = (name: string): Size | undefined => evaluateSize({ name }, { local: qualities.sizes });
    assert.deepEqual(size('scores'), { kind: 'array', value: 12_000 * 150, shape: [12_000, 150] });
    assert.deepEqual(size('rounded'), { kind: 'array', value: 120, shape: [40, 3] });
    assert.deepEqual(size('read'), { kind: 'array', value: 150, shape: [150] });
  });

  it('an item of a literal written in place (`[...][i % 4]`, `{...}[key]`) is as large as the literal\'s items, through slices and their sum', async () => {
    const module = await factsOfSource(
      [
        'def checksum(i):',
        '    iban = ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606"][i % 3]',
        '    rearranged = iban[4:] + iban[:4]',
        '    limits = {"sepa": [1, 2, 3], "swift": [4, 5]}["sepa"]',
        '    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1',
        '',
      ].join('\n'),
    );
    const checksum = module.functions.find((f) => f.qualname === 'checksum') as FunctionFacts;
    const size = (name: string): Size | undefined => evaluateSize({ name }, { local: checksum.sizes });
    assert.deepEqual(size('iban'), { kind: 'bytes', value: 27 });
    assert.deepEqual(size('rearranged'), { kind: 'bytes', value: 31 }, 'iban[4:] is read as the whole IBAN (at most), iban[:4] as 4');
    assert.deepEqual(size('limits'), { kind: 'items', value: 3 });
    assert.deepEqual(sizeOf(checksum.loops[0]?.count, checksum), { kind: 'bytes', value: 31 }, 'the join iterates the characters of the rearranged IBAN');
  });

  it('an image keeps its size through Pillow operations that keep it (convert, filter, copy, rotate without expand=), and an array through copy()', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        'from PIL import Image, ImageFilter',
        '',
        'def plate(i):',
        '    photo = Image.new("RGB", (640, 480))',
        '    box = photo.crop((40, 300, 280, 380)).convert("L")',
        '    soft = photo.filter(ImageFilter.SMOOTH).copy()',
        '    tilted = photo.rotate(3)',
        '    grown = photo.rotate(3, expand=True)',
        '    table = np.zeros((40, 3)).copy()',
        '',
      ].join('\n'),
    );
    const plate = module.functions.find((f) => f.qualname === 'plate') as FunctionFacts;
    const size = (name: string): Size | undefined => evaluateSize({ name }, { local: plate.sizes });
    assert.deepEqual(size('box'), { kind: 'array', value: 240 * 80, shape: [80, 240] });
    assert.deepEqual(size('soft'), { kind: 'array', value: 640 * 480, shape: [640, 480] });
    assert.deepEqual(size('tilted'), { kind: 'array', value: 640 * 480, shape: [640, 480] });
    assert.equal(size('grown'), undefined, 'rotate(expand=True) grows the image by its angle');
    assert.deepEqual(size('table'), { kind: 'array', value: 120, shape: [40, 3] });
  });

  it('a conditional expression is as large as its branch the code sizes (the first): a normalized ISBN of at most 12 characters, and a loop over it', async () => {
    const module = await factsOfSource(
      [
        'def isbn(typed):',
        '    digits = typed.replace("-", "")',
        '    core = "978" + digits[:9] if len(digits) == 10 else digits[:12]',
        '    return sum(int(d) * (1 if k % 2 == 0 else 3) for k, d in enumerate(core))',
        '',
      ].join('\n'),
    );
    const isbn = module.functions.find((f) => f.qualname === 'isbn') as FunctionFacts;
    const core = evaluateSize({ name: 'core' }, { local: isbn.sizes });
    assert.ok((core?.value ?? Infinity) <= 12, `core ${JSON.stringify(core)}`);
    assert.ok(isbn.loops[0]?.count && evaluateSize(isbn.loops[0].count, { local: isbn.sizes }), 'the loop over it is counted');
  });

  it('an element-wise comparison of an array is a boolean array of its shape (a 0/1 matrix made by `(rng.random((p, t)) < 0.012).astype(…)`); a comparison of anything else is not a size', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        '',
        'def history(patrons=6_000, titles=2_500):',
        '    rng = np.random.default_rng(47)',
        '    loans = (rng.random((patrons, titles)) < 0.012).astype(np.float32)',
        '    few = len(loans) < 5',
        '',
      ].join('\n'),
    );
    const history = module.functions.find((f) => f.qualname === 'history') as FunctionFacts;
    assert.deepEqual(evaluateSize({ name: 'loans' }, { local: history.sizes }), { kind: 'array', value: 6_000 * 2_500, shape: [6_000, 2_500] });
    assert.equal(evaluateSize({ name: 'few' }, { local: history.sizes }), undefined);
  });

  it('a name bound more than once is read, where it is used, as the binding that reaches there: a Kalman step\'s gain and covariance, each made from the other, are 2 × 1 and 2 × 2', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        '',
        'def step(days=365):',
        '    truth = np.sin(np.arange(days))',
        '    state = np.zeros(2)',
        '    covariance = np.eye(2)',
        '    transition = np.array([[1.0, 1.0], [0.0, 1.0]])',
        '    observation = np.array([[1.0, 0.0]])',
        '    for day in range(days):',
        '        state = transition @ state',
        '        covariance = transition @ covariance @ transition.T',
        '        innovation = truth[day] - observation @ state',
        '        gain = covariance @ observation.T @ np.linalg.inv(observation @ covariance @ observation.T + np.array([[1.0]]))',
        '        state = state + (gain @ innovation).ravel()',
        '        covariance = (np.eye(2) - gain @ observation) @ covariance',
        '    return state',
        '',
      ].join('\n'),
    );
    const step = module.functions.find((f) => f.qualname === 'step') as FunctionFacts;
    const at = (expr: SizeExpr | undefined): Size | undefined => expr && evaluateSize(expr, { local: step.sizes });
    const array = (...shape: number[]): Size => ({ kind: 'array', value: shape.reduce((a, b) => a * b, 1), shape });
    assert.deepEqual(at({ name: 'gain' }), array(2, 1));
    assert.deepEqual(at({ name: 'covariance' }), array(2, 2));
    assert.deepEqual(at({ name: 'state' }), array(2), 'the state\'s last binding reads its own before it');
    const ravel = step.calls.find((c) => c.callee.endsWith('.ravel'));
    assert.deepEqual(at(ravel?.receiverSize), array(2), 'a method of a parenthesized product is called on its shape');
    const gainProduct = step.calls.find((c) => c.line === 13 && c.callee === 'covariance.__matmul__' && c.receiverSize === undefined);
    assert.deepEqual(at(gainProduct?.argSize), array(2, 1), '`covariance @ observation.T` in the gain: the 2 × 2 covariance bound on line 11');
    assert.deepEqual(at({ name: 'innovation' }), array(1), 'an element-wise difference with an item not told is at least its array operand');
  });

  it('a remainder is less than its divisor, whatever is divided: `range(4 + i % 9)` runs at most 12 times', async () => {
    const module = await factsOfSource(['def slots(i):', '    return {k * 15 for k in range(4 + i % 9)}', ''].join('\n'));
    const slots = module.functions.find((f) => f.qualname === 'slots') as FunctionFacts;
    assert.deepEqual(evaluateSize(slots.loops[0]?.count as SizeExpr, { local: slots.sizes }), { kind: 'items', value: 12 });
  });

  it("a packed record is as long as its format says: `LAYOUT.pack(…)` of a module's `struct.Struct(fmt)`, `struct.pack(fmt, …)`; a checksum of it reads that many bytes", async () => {
    const module = await factsOfSource(
      [
        'import struct, zlib',
        'CARD_LAYOUT = struct.Struct(">4sHHIIB3x")',
        'def payload(i):',
        '    block = CARD_LAYOUT.pack(b"HX10", i, i, i, i, 1)',
        '    header = struct.pack(">HI", i, i)',
        '    return block + header + zlib.crc32(block).to_bytes(4, "big")',
      ].join('\n'),
    );
    const payload = module.functions.find((f) => f.qualname === 'payload') as FunctionFacts;
    const at = (name: string): Size | undefined => evaluateSize({ name }, { local: payload.sizes, module: module.module.sizes });
    assert.deepEqual(at('block'), { kind: 'bytes', value: 20 });
    assert.deepEqual(at('header'), { kind: 'bytes', value: 6 });
    const crc = payload.calls.find((c) => c.callee === 'zlib.crc32');
    assert.deepEqual(crc?.argSize && evaluateSize(crc.argSize, { local: payload.sizes, module: module.module.sizes }), { kind: 'bytes', value: 20 });
  });

  it("Python's random draws size what they return: sample(pool, k) and choices(pool, k=n) are k items (min(k, len(pool)) the smaller), randint(a, b) and randrange(b) at most b; numpy's draws given a size stay arrays", async () => {
    const module = await factsOfSource(
      [
        'import random',
        'import numpy as np',
        'CLINICS = [f"clinic-{c}" for c in range(18)]',
        'def cover(i):',
        '    rnd = random.Random(i)',
        '    for clinic in rnd.sample(CLINICS, rnd.randint(1, 3)):',
        '        pass',
        '    for pick in rnd.choices(CLINICS, k=5):',
        '        pass',
        '    for k in range(random.randrange(40)):',
        '        pass',
        '    for row in np.random.randint(0, 9, size=(7, 2)):',
        '        pass',
        '    for clinic in rnd.sample(CLINICS, min(4, len(CLINICS))):',
        '        pass',
        '    for clinic in rnd.sample(CLINICS, min(40, len(CLINICS))):',
        '        pass',
      ].join('\n'),
    );
    const cover = module.functions.find((f) => f.qualname === 'cover') as FunctionFacts;
    const counts = cover.loops.map((loop) => itemsIn(evaluateSize(loop.count as SizeExpr, { local: cover.sizes, module: module.module.sizes })));
    // min(k, len(pool)): the smaller of the two the code sizes.
    assert.deepEqual(counts, [3, 5, 40, 7, 4, 18]);
  });

  it('numpy: a reshape keeps the elements in the shape it is given (-1 the rest), a reduction drops its axis (none: one value), a generator made where it draws sizes its draw, a mapping of arrays made in place gives each', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        'SWATCHES = {name: np.random.default_rng(n).integers(0, 256, (16, 16, 3), dtype=np.uint8) for n, name in enumerate(["a", "b"])}',
        'def colours(key):',
        '    pixels = SWATCHES[key].reshape(-1, 3)',
        '    mean = pixels.mean(axis=0)',
        '    per_row = np.sum(SWATCHES[key], axis=-1)',
        '    total = pixels.sum()',
        '    odd = pixels.reshape(5, 7)',
      ].join('\n'),
    );
    const colours = module.functions.find((f) => f.qualname === 'colours') as FunctionFacts;
    const at = (name: string): Size | undefined => evaluateSize({ name }, { local: colours.sizes, module: module.module.sizes });
    assert.deepEqual(at('pixels'), { kind: 'array', value: 768, shape: [256, 3] });
    assert.deepEqual(at('mean'), { kind: 'array', value: 3, shape: [3] });
    assert.deepEqual(at('per_row'), { kind: 'array', value: 256, shape: [16, 16] });
    assert.deepEqual(at('total'), { kind: 'array', value: 1, shape: [] });
    assert.equal(at('odd'), undefined, 'a shape of other elements than the array has is not told');
  });

  it('numpy: an array indexed by a mask or an index array is as large as the index (a mask: at most), masks combine by & | ^, and `2j * np.pi * f` is an array of f\'s shape', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        'def response(i, rows=6_000_000):',
        '    rng = np.random.default_rng(i)',
        '    turnout = rng.gamma(6.0, 12.0, rows).astype(np.float32)',
        '    hour = rng.integers(0, 24, rows, dtype=np.int16)',
        '    grid = rng.random((rows // 1000, 1000))',
        '    watch = (hour >= 8) & (hour < 16)',
        '    kept = turnout[watch]',
        '    order = np.argsort(turnout)',
        '    ranked = turnout[order]',
        '    rows_kept = grid[grid[:, 0] > 0.5]',
        '    one = turnout[3]',
        '    either = 3 | 5',
        '    s = 2j * np.pi * np.logspace(-3, 2, rows)',
      ].join('\n'),
    );
    const response = module.functions.find((f) => f.qualname === 'response') as FunctionFacts;
    const at = (name: string): Size | undefined => evaluateSize({ name }, { local: response.sizes, module: module.module.sizes });
    const column = { kind: 'array', value: 6_000_000, shape: [6_000_000] };
    assert.deepEqual(at('watch'), column);
    assert.deepEqual(at('kept'), column);
    assert.deepEqual(at('ranked'), column);
    assert.deepEqual(at('rows_kept'), { kind: 'array', value: 6_000_000, shape: [6_000, 1_000] });
    assert.equal(at('one'), undefined, 'an item of a 1-D array is one value');
    assert.equal(at('either'), undefined, 'a bitwise operator on numbers is not a size');
    assert.deepEqual(at('s'), column);
  });

  it('numpy: new axes (`a[:, None, :]`, `np.newaxis`) give an array a dimension of one, and two arrays broadcast to the larger of each dimension, so a reduction of what they make is sized', async () => {
    const module = await factsOfSource(
      [
        'import numpy as np',
        'def assign(i, ads=1_600):',
        '    g = np.random.default_rng(i)',
        '    wishes = g.random((ads, 3))',
        '    slots = g.random((ads, 3))',
        '    gaps = wishes[:, None, :] - slots[None, :, :]',
        '    mismatch = np.abs(wishes[:, None, :] - slots[None, :, :]).sum(axis=2)',
        '    grid = np.linspace(0, 1, 50)[:, np.newaxis] * np.ones(40)[None, :]',
        '    clash = np.ones((5, 3)) + np.ones((4, 2))',
      ].join('\n'),
    );
    const assign = module.functions.find((f) => f.qualname === 'assign') as FunctionFacts;
    const at = (name: string): Size | undefined => evaluateSize({ name }, { local: assign.sizes, module: module.module.sizes });
    assert.deepEqual(at('gaps'), { kind: 'array', value: 1_600 * 1_600 * 3, shape: [1_600, 1_600, 3] });
    assert.deepEqual(at('mismatch'), { kind: 'array', value: 1_600 * 1_600, shape: [1_600, 1_600] });
    assert.deepEqual(at('grid'), { kind: 'array', value: 2_000, shape: [50, 40] });
    assert.deepEqual(at('clash'), { kind: 'array', value: 15, shape: [5, 3] }, 'shapes that do not broadcast: the larger operand, as before');
  });

  it('np.eye(n) and np.identity(n) are n × n, np.eye(n, m) n × m', async () => {
    const module = await factsOfSource(['import numpy as np', 'A = np.eye(3)', 'B = np.identity(4)', 'C = np.eye(2, 5)', ''].join('\n'));
    const at = (name: string): Size | undefined => evaluateSize({ name }, { module: module.module.sizes });
    assert.deepEqual(at('A'), { kind: 'array', value: 9, shape: [3, 3] });
    assert.deepEqual(at('B'), { kind: 'array', value: 16, shape: [4, 4] });
    assert.deepEqual(at('C'), { kind: 'array', value: 10, shape: [2, 5] });
  });

  it('Pillow images made by Image.effect_noise((w, h), sigma) are w × h, and a blend or composite of two images is the first\'s size, also as a helper\'s return with its arguments bound', async () => {
    const module = await factsOfSource(
      [
        'from PIL import Image',
        '',
        'def _scan(width, height):',
        '    paper = Image.effect_noise((width, height), 18).convert("RGB")',
        '    paper = Image.blend(paper, Image.new("RGB", (width, height), (236, 230, 214)), 0.7)',
        '    return paper',
        '',
        'def thumb(i):',
        '    scan = _scan(180, 80)',
        '    mixed = Image.composite(scan, scan, Image.new("L", (180, 80)))',
        '',
      ].join('\n'),
    );
    const scan = module.functions.find((f) => f.qualname === '_scan') as FunctionFacts;
    const thumb = module.functions.find((f) => f.qualname === 'thumb') as FunctionFacts;
    const functions = (name: string): SizedFunction | undefined => (name === '_scan' ? scan : undefined);
    assert.deepEqual(evaluateSize({ name: 'paper' }, { local: { ...scan.sizes, width: { n: 640 }, height: { n: 480 } } }), { kind: 'array', value: 640 * 480, shape: [640, 480] });
    assert.deepEqual(evaluateSize({ name: 'mixed' }, { local: thumb.sizes, functions }), { kind: 'array', value: 180 * 80, shape: [180, 80] });
  });

  it('a collection bound empty or short that items are added to (append, add, update, +=) is neither empty nor short: loops over it are loops over data', async () => {
    const grown = await factsOfSource(`REGISTRY = []

def register(name):
    REGISTRY.append(name)

def filled(n):
    xs = []
    for k in range(n):
        xs.append(k)
    seen = {1, 2}
    seen.update(xs)
    total = 0
    for x in xs:
        total += x
    return total, seen

def units():
    names = ["B", "KiB", "MiB"]
    return [unit.lower() for unit in names]
`);
    const named = (name: string): FunctionFacts => grown.functions.find((f) => f.qualname === name) as FunctionFacts;
    assert.deepEqual(named('filled').shortCollections, undefined, 'seen is updated: not a few items any more');
    assert.deepEqual(Object.keys(named('filled').sizes ?? {}).filter((name) => ['seen', 'total'].includes(name)), [], 'what they were bound to is not their size');
    assert.deepEqual(evaluateSize({ name: 'xs' }, { local: { ...named('filled').sizes, n: { n: 50 } } })?.value, 50, 'xs: one append per iteration of a loop of n');
    assert.equal(grown.module.shortCollections, undefined, 'REGISTRY is appended to by register');
    assert.equal(grown.module.sizes?.REGISTRY, undefined);
    assert.deepEqual(named('units').shortCollections, ['names'], 'a short list nothing adds to stays short');
  });

  it('a serialized collection is sized by the values it holds through the names it is given: `json.dumps({"stations": STATIONS})` of 1,400 records of 4 fields is 5,601 values, not 1', async () => {
    const serialized = await factsOfSource(`import json

STATIONS = [{"id": k, "name": f"S{k}", "lat": 1.0, "lon": 2.0} for k in range(1400)]
CATALOGUE = json.dumps({"stations": STATIONS, "version": 3})
AS_LIST = json.dumps(STATIONS)
ONE = json.dumps({"count": len(STATIONS)})

def catalogue(i):
    stations = [{"id": k, "name": f"S{k}"} for k in range(200 + 100)]
    return json.dumps({"stations": stations, "i": i}).encode()
`);
    const module = serialized.module;
    const at = (name: string): Size | undefined => evaluateSize(module.sizes?.[name] as SizeExpr, { module: module.sizes });
    assert.deepEqual(at('CATALOGUE'), { kind: 'bytes', value: (1400 * 4 + 1) * 18 });
    assert.deepEqual(at('AS_LIST'), { kind: 'bytes', value: 1400 * 4 * 18 });
    assert.deepEqual(at('ONE'), { kind: 'bytes', value: 18 });
    const local = serialized.functions.find((f) => f.qualname === 'catalogue') as FunctionFacts;
    const dumped = local.calls.find((call) => call.callee === 'json.dumps(…).encode' || call.callee.endsWith('.encode'));
    assert.ok(dumped?.receiverSize, JSON.stringify(local.calls));
    assert.deepEqual(evaluateSize(dumped.receiverSize, { local: local.sizes, module: module.sizes }), { kind: 'bytes', value: (300 * 2 + 1) * 18 });
  });

  it('a record built in a loop holds its nested lists and dicts: a dump counts them, through a memoized builder\'s items copied by `dict(r, k=v)`, a mapping stored under a range counter\'s keys, and a literal wrapping it; a key that may repeat adds nothing', async () => {
    const facts = await factsOfSource(`import yaml
from functools import lru_cache

@lru_cache(maxsize=1)
def _book():
    return [{"name": f"r{k}", "steps": [{"step": s, "minutes": 10} for s in ("a", "b", "c")], "hops": [{"variety": "x", "grams": g} for g in range(4)]} for k in range(100)]

def _fab():
    book = {}
    for k in range(50):
        book[f"P-{k:03d}"] = {"revision": k, "steps": [{"s": s, "t": 1.0} for s in range(6)]}
    return book

def _tally():
    counts = {}
    for k in range(30):
        counts[k % 3] = {"k": k, "seen": [k, k]}
    return counts

def export(i):
    book = [dict(recipe, batch=i) for recipe in _book()]
    document = yaml.safe_dump(book)
    wrapped = yaml.dump({"fab": i, "recipes": _fab()})
    tally = yaml.dump({"tally": _tally()})
`);
    const byName = new Map(facts.functions.map((f) => [f.qualname, f]));
    const exported = byName.get('export') as FunctionFacts;
    const at = (name: string): Size | undefined =>
      evaluateSize({ name }, { local: exported.sizes, module: facts.module.sizes, functions: (callee) => { const f = byName.get(callee); return f && sizedFunctionOf(f); } });
    // A recipe holds 1 + 3 × 2 + 4 × 2 values, and the copy one more.
    assert.deepEqual(at('document'), { kind: 'bytes', value: 100 * (1 + 3 * 2 + 4 * 2 + 1) * 18 });
    assert.deepEqual(at('wrapped'), { kind: 'bytes', value: (1 + 50 * (1 + 6 * 2)) * 18 });
    assert.deepEqual(at('tally'), { kind: 'bytes', value: 18 }, 'a mapping whose keys may repeat is not grown by its stores');
  });

  it('the dimensions of an image or an array unpacked into names (`width, height = img.size`, `rows, cols = grid.shape`) size the loops over them; a function returning a name bound to an image or array returns its size', async () => {
    const unpacked = await factsOfSource(`import numpy as np
from PIL import Image

def _scanned_form():
    form = Image.new("L", (1240, 1754), 250)
    form.putpixel((0, 0), 0)
    return form

FORM = _scanned_form()

def blank(i):
    scan = FORM.copy()
    width, height = scan.size
    rows, cols = np.zeros((30, 40)).shape
    for y in range(height // 2, height):
        for x in range(width):
            pass
    return rows * cols
`);
    const blank = unpacked.functions.find((f) => f.qualname === 'blank') as FunctionFacts;
    const functions = (name: string): FunctionFacts | undefined => unpacked.functions.find((f) => f.qualname === name);
    const size = (name: string): Size | undefined => evaluateSize({ name }, { local: blank.sizes, module: unpacked.module.sizes, functions });
    assert.deepEqual(size('width'), { kind: 'int', value: 1240 });
    assert.deepEqual(size('height'), { kind: 'int', value: 1754 });
    assert.deepEqual(size('rows'), { kind: 'int', value: 30 });
    assert.deepEqual(size('cols'), { kind: 'int', value: 40 });
    const counts = blank.loops.map((loop) => loop.count && evaluateSize(loop.count, { local: blank.sizes, module: unpacked.module.sizes, functions })?.value);
    assert.deepEqual(counts, [877, 1240]);
  });

  it('a buffer of a length too deeply nested to read is not told, and evaluating what it is part of does not fail (the whole file\'s analysis did)', async () => {
    const module = await factsOfSource(
      [
        'import random',
        'def media(parts=3, part_bytes=12_000_000):',
        '    rnd = random.Random(3)',
        '    essence = rnd.randbytes(2_000_000)',
        '    return [(b"\\x06\\x0e" + bytes(60)) * 1_000 + (essence * (part_bytes // len(essence)))[: part_bytes // 2] + rnd.randbytes(part_bytes // 2) for _ in range(parts)]',
      ].join('\n'),
    );
    const media = module.functions.find((f) => f.qualname === 'media') as FunctionFacts;
    assert.ok(media.returnSize);
    const returned = evaluateSize(media.returnSize, { local: media.sizes, module: module.module.sizes });
    assert.equal(returned?.value, 3);
  });

  it('an image made from an array is of its pixels, through numpy\'s own functions (`np.clip(field, 0, 255)`, not a method of `np`), ImageOps\' passes and a helper\'s return', async () => {
    const rows = await factsOfSource(
      [
        'import numpy as np',
        'from PIL import Image, ImageFilter, ImageOps',
        'PIXELS = 2_400',
        'def _slide(k):',
        '    field = np.random.default_rng(k).normal(180, 12, (PIXELS, PIXELS))',
        '    return Image.fromarray(np.clip(field, 0, 255).astype(np.uint8), "L")',
        'def counts(i):',
        '    slide = ImageOps.autocontrast(_slide(i % 4).filter(ImageFilter.GaussianBlur(3)), cutoff=1)',
        '    rounded = np.round(np.zeros((30, 40)), 2)',
        '    return slide.point(lambda v: 255 if v < 60 else 0).filter(ImageFilter.MaxFilter(3)).histogram()',
      ].join('\n'),
    );
    const counts = rows.functions.find((f) => f.qualname === 'counts') as FunctionFacts;
    const functions = (name: string): SizedFunction | undefined => rows.functions.find((f) => f.qualname === name);
    const size = (expr: SizeExpr | undefined): Size | undefined => expr && evaluateSize(expr, { local: counts.sizes, module: rows.module.sizes, functions });
    assert.deepEqual(size(counts.sizes?.slide), { kind: 'array', value: 5_760_000, shape: [2_400, 2_400] });
    assert.deepEqual(size(counts.sizes?.rounded), { kind: 'array', value: 1_200, shape: [30, 40] });
    assert.deepEqual(size(counts.calls.find((c) => c.rankWindow === 3)?.receiverSize), { kind: 'array', value: 5_760_000, shape: [2_400, 2_400] });
    assert.equal(counts.calls.find((c) => c.callee === '_slide')?.constantArgs, true, 'a remainder by 4 takes the same few values');
  });

  it('an array unpacked into names gives each a row of it (`x, y = rng.uniform(1, 254, size=2)`: numpy scalars); `np.repeat`, `np.tile` and `pd.date_range(periods=)` are sized', async () => {
    const rows = await factsOfSource(
      [
        'import numpy as np',
        'import pandas as pd',
        'def flow(i, days=45):',
        '    rng = np.random.default_rng(i)',
        '    x, y = rng.uniform(1, 254, size=2)',
        '    first, second = rng.random((3, 5))',
        '    stamps = pd.date_range("2026-10-01", periods=days * 96, freq="15min")',
        '    times = np.tile(stamps, 60)',
        '    names = np.repeat(np.arange(60), stamps.size)',
        '    spans = pd.date_range("2026-10-01", "2026-11-01")',
        '    return np.clip(x - 1, 1, 254), first, times, names, spans',
      ].join('\n'),
    );
    const flow = rows.functions.find((f) => f.qualname === 'flow') as FunctionFacts;
    const size = (expr: SizeExpr | undefined): Size | undefined => expr && evaluateSize(expr, { local: flow.sizes, module: rows.module.sizes });
    assert.deepEqual(size(flow.sizes?.x), { kind: 'array', value: 1, shape: [] });
    assert.deepEqual(size(flow.sizes?.first), { kind: 'array', value: 5, shape: [5] });
    assert.deepEqual(size(flow.sizes?.stamps), { kind: 'array', value: 4_320, shape: [4_320] });
    assert.deepEqual(size(flow.sizes?.times), { kind: 'array', value: 259_200, shape: [259_200] });
    assert.deepEqual(size(flow.sizes?.names), { kind: 'array', value: 259_200, shape: [259_200] });
    assert.equal(size(flow.sizes?.spans), undefined, 'between two dates: not told');
    assert.deepEqual(size(flow.calls.find((c) => c.callee === 'np.clip')?.argSize), { kind: 'array', value: 1, shape: [] });
  });

  it("a file a builder writes once, handed to a write-once helper, is read back at the records the builder's loop writes: by lines and by an XML stream parser, while a path it does not write stays assumed", async () => {
    const reports = await analyzeTree({
      'fab/__init__.py': '',
      'fab/settings.py': [
        'import os',
        '',
        'def written_once(name, build):',
        '    path = os.path.join("/tmp", name)',
        '    if not os.path.exists(path):',
        '        partial = f"{path}.part"',
        '        build(partial)',
        '        os.replace(partial, path)',
        '    return path',
        '',
      ].join('\n'),
      'fab/logs.py': [
        'from lxml import etree',
        'from .settings import written_once',
        '',
        'MESSAGES = 15_000',
        '',
        'def _write_log(path):',
        '    with open(path, "w") as out:',
        '        for k in range(MESSAGES):',
        '            out.write(f"<message id=\'{k}\'/>\\n")',
        '',
        'def by_lines(i):',
        '    path = written_once("log.xml", _write_log)',
        '    total = 0',
        '    with open(path) as log:',
        '        for line in log:',
        '            total += len(line.strip()) % 7',
        '    return total',
        '',
        'def by_elements(i):',
        '    path = written_once("log.xml", _write_log)',
        '    total = 0',
        '    for _, message in etree.iterparse(path, tag="message"):',
        '        total += int(message.get("id")) % 7',
        '    return total',
        '',
        'def not_built(i):',
        '    total = 0',
        '    with open("/var/log/fab.log") as log:',
        '        for line in log:',
        '            total += len(line.strip()) % 7',
        '    return total',
        '',
      ].join('\n'),
    });
    const functions = new Map((reports.get('fab/logs.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const loopEvidence = (name: string): string | undefined => functions.get(name)?.evidence.find((e) => e.reason.startsWith('for loop'))?.reason;
    assert.match(loopEvidence('by_lines') ?? '', /\(15,000 items\)/);
    assert.match(loopEvidence('by_elements') ?? '', /\(15,000 items\)/);
    assert.match(loopEvidence('not_built') ?? '', /~100 items assumed/);
    assert.equal(functions.get('by_elements')?.verdict, 'cpu', functions.get('by_elements')?.evidence.map((e) => e.reason).join(' | '));
    // iterparse builds each of the 15,000 records it yields (~2.5 µs a record, GIL held): a pool pays at the size told, no break-even judged.
    const elements = functions.get('by_elements')?.evidence.map((e) => e.reason).join(' | ') ?? '';
    assert.match(elements, /iterparse: parses as the loop asks/);
    assert.match(elements, /predicted ≈\d\.\d× in processes/);
  });

  it('stops at cycles and reads sizes in words', () => {
    assert.equal(evaluateSize({ name: 'a' }, { local: { a: { name: 'b' }, b: { name: 'a' } } }), undefined);
    assert.equal(describeSize({ kind: 'items', value: 3000 }), '3,000 items');
    assert.equal(describeSize({ kind: 'bytes', value: 64 * 1024 }), '64 KiB');
    assert.equal(describeSize({ kind: 'array', value: 250_000, shape: [500, 500] }), 'a 500×500 array');
  });
});
