import * as assert from 'node:assert/strict';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
import type { TextChange } from '../../src/core/host/protocol';
import { OpenDocuments } from '../../src/core/python/documents';

/** Applies an edit to text and describes it as an editor would. */
function edit(text: string, offset: number, removed: number, inserted: string): { text: string; change: TextChange } {
  const position = (index: number): { line: number; character: number } => {
    const before = text.slice(0, index).split('\n');
    return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
  };
  return {
    text: text.slice(0, offset) + inserted + text.slice(offset + removed),
    change: { rangeOffset: offset, rangeLength: removed, text: inserted, range: { start: position(offset), end: position(offset + removed) } },
  };
}

const SOURCE = 'import time\n\ndef slow():\n    time.sleep(1)\n\ndef add(a, b):\n    return a + b\n';

describe('open documents (incremental re-analysis)', () => {
  let analyzer: PythonAnalyzer;
  let documents: OpenDocuments;
  beforeEach(async () => {
    analyzer = await PythonAnalyzer.create({ python: null });
    documents = new OpenDocuments(analyzer);
  });
  afterEach(() => {
    documents.dispose();
    analyzer.dispose();
  });

  it('an incremental edit gives the same report as a fresh parse', () => {
    documents.update('/w/a.py', SOURCE);
    const { text, change } = edit(SOURCE, SOURCE.indexOf('return a + b'), 'return a + b'.length, 'return sum(x * x for x in range(a))');
    const incremental = documents.update('/w/a.py', text, [change]);
    const fresh = new OpenDocuments(analyzer).update('/w/b.py', text);
    assert.deepEqual({ ...incremental, path: '' }, { ...fresh, path: '' });
    assert.equal(incremental.functions.find((f) => f.name === 'add')?.verdict, 'cpu');
  });

  it('keeps ignore comments across edits, at their moved lines', () => {
    const source = [
      'from concurrent.futures import ProcessPoolExecutor',
      'pool = ProcessPoolExecutor()  # concurrency-lens: ignore[CL004]',
      'other = ProcessPoolExecutor()',
      '',
    ].join('\n');
    const rules = (report: { findings: Array<{ rule: string; line: number }> }): string[] => report.findings.map((f) => `${f.rule}@${f.line}`);
    assert.deepEqual(rules(documents.update('/w/c.py', source)), ['CL004@3']);
    const { text, change } = edit(source, 0, 0, 'import os\n\n');
    assert.deepEqual(rules(documents.update('/w/c.py', text, [change])), ['CL004@5']);
  });

  it('keeps the last good functions while a line is half typed, and reports the error', () => {
    documents.update('/w/a.py', SOURCE);
    // An unclosed call swallows the next function: the new parse is worse than the last good one.
    const { text, change } = edit(SOURCE, SOURCE.indexOf('(1)') + 2, 1, '');
    const report = documents.update('/w/a.py', text, [change]);
    assert.ok(report.errors.length > 0);
    assert.deepEqual(report.functions.map((f) => f.name), ['slow', 'add']);
    const fixed = edit(text, SOURCE.indexOf('(1)') + 2, 0, ')');
    const repaired = documents.update('/w/a.py', fixed.text, [fixed.change]);
    assert.deepEqual(repaired.errors, []);
  });

  it('several changes in one event apply in reverse document order', () => {
    documents.update('/w/a.py', SOURCE);
    const first = edit(SOURCE, SOURCE.indexOf('time.sleep(1)'), 0, 'for i in range(3):\n        ');
    const second = edit(first.text, first.text.indexOf('return a + b'), 0, '# sum\n    ');
    // Offsets of both changes refer to the text before the event: shift the second back.
    const shifted = { ...second.change, rangeOffset: second.change.rangeOffset - first.change.text.length, range: { start: { line: 5, character: 4 }, end: { line: 5, character: 4 } } };
    const report = documents.update('/w/a.py', second.text, [first.change, shifted]);
    assert.equal(report.errors.length, 0);
    assert.deepEqual(report.functions.map((f) => [f.name, f.line]), [['slow', 3], ['add', 7]]);
  });
});

describe('fragment cache', () => {
  it('assembles the same facts as a whole-file extraction, before and after lines move', async () => {
    const { execFileSync } = await import('node:child_process');
    const fs = await import('node:fs');
    const { FactsParser } = await import('../../src/core/python/parse');
    const { FragmentCache } = await import('../../src/core/python/fragments');
    const file = execFileSync('python3', ['-c', 'import difflib; print(difflib.__file__)'], { encoding: 'utf8' }).trim();
    const parser = await FactsParser.create();
    const cache = new FragmentCache();
    let text = fs.readFileSync(file, 'utf8');
    for (const edit of [(t: string) => t, (t: string) => `import os\n\n${t}`, (t: string) => t.replace('def _count_leading', '# moved\ndef _count_leading')]) {
      text = edit(text);
      const tree = parser.tree(text);
      assert.deepEqual(cache.extract(tree.rootNode, parser.query), parser.facts(text));
      tree.delete();
    }
    parser.dispose();
  });

  it('a keystroke that breaks a class and the next that mends it: the class is not re-extracted', async () => {
    const { FactsParser } = await import('../../src/core/python/parse');
    const { FragmentCache } = await import('../../src/core/python/fragments');
    const parser = await FactsParser.create();
    const cache = new FragmentCache();
    const text = 'class Ledger:\n    def total(self, rows):\n        return sum(rows)\n\n    def count(self, rows):\n        return len(rows)\n';
    const broken = text.replace('\n\n', '\nx\n');
    const extract = (source: string): ReturnType<typeof cache.extract> => {
      const tree = parser.tree(source);
      const facts = cache.extract(tree.rootNode, parser.query);
      tree.delete();
      return facts;
    };
    const before = extract(text);
    extract(broken);
    const mended = extract(text);
    assert.deepEqual(mended, before);
    assert.equal(mended.functions.length, 2);
    mended.functions.forEach((fn, k) => assert.equal(fn, before.functions[k], `${fn.qualname} is the same facts object`));
    parser.dispose();
  });

  it('a keystroke inside one method of a class (a syntax error too) re-extracts that method alone; the class\'s facts stay a whole extraction\'s', async () => {
    const { FactsParser } = await import('../../src/core/python/parse');
    const { FragmentCache } = await import('../../src/core/python/fragments');
    const extract = await import('../../src/core/python/extract');
    const parser = await FactsParser.create();
    const cache = new FragmentCache();
    const text = [
      'import functools',
      '',
      'class Ledger:',
      '    ROWS = 100_000',
      '',
      '    def __init__(self, rows):',
      '        self.rows = list(rows)',
      '        self.seen = []',
      '',
      '    @functools.lru_cache(maxsize=None)',
      '    def total(self):',
      '        for k in range(self.ROWS):',
      '            self.seen.append(Entry(k))',
      '        return sum(self.rows)',
      '',
      '    def count(self, blob):',
      '        self.cached = blob',
      '        return len(blob) * ROWS',
      '',
    ].join('\n');
    const methodsExtracted = (source: string): number => {
      let count = 0;
      const original = extract.extractMethod;
      const counting: typeof original = (...args) => {
        count++;
        return original(...args);
      };
      (extract as { extractMethod: typeof original }).extractMethod = counting;
      try {
        const tree = parser.tree(source);
        assert.deepEqual(cache.extract(tree.rootNode, parser.query), parser.facts(source));
        tree.delete();
      } finally {
        (extract as { extractMethod: typeof original }).extractMethod = original;
      }
      return count;
    };
    assert.equal(methodsExtracted(text), 3);
    const typed = text.replace('sum(self.rows)', 'sum(self.rowsx)');
    assert.equal(methodsExtracted(typed), 1, 'a keystroke in total()');
    assert.equal(methodsExtracted(typed.replace('len(blob) * ROWS', 'len(blob)) * ROWS')), 1, 'a syntax error typed in count()');
    const newline = typed.replace('    def count', '\n    def count');
    assert.equal(methodsExtracted(newline), 0, 'a blank line typed between methods moves them');
    const added = newline.replace('    def count', '    def extra(self):\n        self.rows = self.seen\n\n    def count');
    assert.equal(methodsExtracted(added), 1, 'a method added');
    assert.equal(methodsExtracted(added.replace('ROWS = 100_000', 'ROWS = 200_000')), 4, 'what the class binds reaches every method');
    parser.dispose();
  });

  it('assembles every module-level fact a whole-file extraction has (kept containers, database URLs)', async () => {
    const { FactsParser } = await import('../../src/core/python/parse');
    const { FragmentCache } = await import('../../src/core/python/fragments');
    const parser = await FactsParser.create();
    const text = [
      'import sqlalchemy',
      'ENGINE = sqlalchemy.create_engine("sqlite:///orders.db")',
      'CACHE = []',
      'for k in range(1000):',
      '    CACHE.append({"id": k, "tags": [k]})',
      'def report():',
      '    return len(CACHE)',
      '',
    ].join('\n');
    const tree = parser.tree(text);
    const whole = parser.facts(text);
    assert.ok(whole.module.kept?.length && whole.module.engineSchemes?.length, 'the whole-file facts have both');
    assert.deepEqual(new FragmentCache().extract(tree.rootNode, parser.query), whole);
    tree.delete();
    parser.dispose();
  });
});
