import * as assert from 'node:assert/strict';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
import { OpenDocuments } from '../../src/core/python/documents';
import type { FileFacts } from '../../src/core/python/facts';
import { liveHeap } from './helpers';

/**
 * Summaries outlive edits elsewhere: after each edit the incremental report must equal the report of a
 * fresh analyzer given the same files, and functions the edit cannot affect keep their summaries.
 */
describe('summaries kept across edits', () => {
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

  /** The reports a fresh analyzer gives `files` (what the incremental ones must equal). */
  async function fresh(files: Record<string, string>): Promise<Record<string, string[]>> {
    const other = await PythonAnalyzer.create({ python: null });
    try {
      for (const [file, text] of Object.entries(files)) other.setSource(file, text);
      return Object.fromEntries(Object.keys(files).map((file) => [file, verdicts(other.fileReport(file).functions)]));
    } finally {
      other.dispose();
    }
  }
  const verdicts = (functions: ReadonlyArray<{ qualname: string; verdict: string; recommendation: string; confidence: number }>): string[] =>
    functions.map((fn) => `${fn.qualname}:${fn.verdict}:${fn.recommendation}:${fn.confidence}`);
  function current(files: Record<string, string>): Record<string, string[]> {
    return Object.fromEntries(Object.keys(files).map((file) => [file, verdicts(analyzer.fileReport(file).functions)]));
  }

  /** Notes the summary of jobs.py's `idle`, which no edit of another file reaches; the check tells whether it is still the same object. */
  function idleSummaryKept(): () => boolean {
    const entry = analyzer.program.entry('/w/jobs.py');
    const idle = entry?.functions.get('idle');
    assert.ok(entry && idle);
    const before = analyzer.engine.summarize(entry, idle, 0);
    return () => analyzer.engine.summarize(entry, idle, 0) === before;
  }

  const HELPERS = 'import time\n\ndef fetch(i):\n    time.sleep(0.5)\n\ndef spare():\n    time.sleep(1)\n';
  const JOBS = 'from helpers import fetch\n\ndef job(i):\n    return fetch(i)\n\ndef idle():\n    return 1\n';

  it('an edit inside a callee\'s body re-decides its callers in other files, and only them', async () => {
    const files = { '/w/helpers.py': HELPERS, '/w/jobs.py': JOBS };
    documents.update('/w/helpers.py', HELPERS);
    documents.update('/w/jobs.py', JOBS);
    assert.match(current(files)['/w/jobs.py']?.[0] ?? '', /^job:io:/);
    const idleKept = idleSummaryKept();

    const edited = HELPERS.replace('time.sleep(0.5)', 'sum(k * k for k in range(5_000_000))');
    files['/w/helpers.py'] = edited;
    documents.update('/w/helpers.py', edited);
    assert.match(current(files)['/w/jobs.py']?.[0] ?? '', /^job:cpu:/);
    assert.deepEqual(current(files), await fresh(files));
    assert.ok(idleKept(), 'a function the edit cannot reach was summarized again');
  });

  it('an edit that changes what a body keeps alive (a container appended) is an edit inside a body: other files keep their summaries', async () => {
    // It returns the list's length: what it returns (the list, its items' type and size) is visible to other files.
    const rows = 'from helpers import fetch\n\ndef table(n):\n    rows = []\n    for k in range(n):\n        rows.append(k)\n    return len(rows)\n';
    const files = { '/w/helpers.py': HELPERS, '/w/jobs.py': JOBS, '/w/rows.py': rows };
    for (const [file, text] of Object.entries(files)) documents.update(file, text);
    const idleKept = idleSummaryKept();
    const keeping = rows.replace('rows.append(k)', 'rows.append({"id": k, "tags": [k]})');
    files['/w/rows.py'] = keeping;
    documents.update('/w/rows.py', keeping);
    assert.ok((analyzer.program.entry('/w/rows.py')?.functions.get('table')?.kept ?? []).length > 0, 'the edit keeps containers');
    assert.deepEqual(current(files), await fresh(files));
    assert.ok(idleKept(), 'an edit inside another file\'s body made every summary stale');
  });

  it('an edit undone (a class broken by a keystroke, then mended) brings back every summary made before it', async () => {
    const store = 'import time\n\nclass Store:\n    def load(self):\n        time.sleep(1)\n\n    def save(self):\n        self.load()\n\ndef idle():\n    return 1\n';
    const files = { '/w/store.py': store };
    documents.update('/w/store.py', store);
    const summaries = (): Map<string, unknown> => {
      const entry = analyzer.program.entry('/w/store.py');
      assert.ok(entry);
      return new Map(entry.facts.functions.map((fn) => [fn.qualname, analyzer.engine.summarize(entry, fn, 0)]));
    };
    const before = summaries();
    // `x` typed at the start of the blank line between the methods ends the class: `save` becomes a module function.
    const broken = store.replace('\n\n    def save', '\nx\n    def save');
    documents.update('/w/store.py', broken);
    assert.ok(!analyzer.program.entry('/w/store.py')?.functions.has('Store.save'), 'the keystroke breaks the class');
    assert.notEqual(summaries().get('idle'), before.get('idle'), 'a change of shape re-decides the file');
    documents.update('/w/store.py', store);
    assert.deepEqual(summaries(), before);
    for (const [qualname, summary] of summaries()) assert.equal(summary, before.get(qualname), `${qualname} was summarized again`);
    assert.deepEqual(current(files), await fresh(files));
  });

  it('a summary is kept for an undo only while that undo can come: two changes of shape between its reports keep none', () => {
    documents.update('/w/jobs.py', JOBS);
    const entry = analyzer.program.entry('/w/jobs.py');
    const idle = entry?.functions.get('idle');
    assert.ok(entry && idle);
    analyzer.engine.summarize(entry, idle, 0);
    analyzer.setSource('/w/other.py', 'def extra():\n    return 2\n');
    analyzer.setSource('/w/other.py', 'def other():\n    return 3\n');
    analyzer.engine.summarize(entry, idle, 0);
    const engine = analyzer.engine as unknown as { superseded: WeakMap<object, unknown> };
    assert.equal(engine.superseded.get(idle), undefined, 'a summary no undo can bring back was kept');
  });

  it('a function added or renamed (a change other files can see) re-resolves the calls to it', async () => {
    const jobs = 'from helpers import fetch, later\n\ndef job(i):\n    return later(i)\n';
    const files = { '/w/helpers.py': HELPERS, '/w/jobs.py': jobs };
    documents.update('/w/helpers.py', HELPERS);
    documents.update('/w/jobs.py', jobs);
    const added = `${HELPERS}\ndef later(i):\n    time.sleep(2)\n`;
    files['/w/helpers.py'] = added;
    documents.update('/w/helpers.py', added);
    assert.match(current(files)['/w/jobs.py']?.[0] ?? '', /^job:io:/);
    assert.deepEqual(current(files), await fresh(files));
    const renamed = added.replace('def later(i)', 'def later_one(i)').replace('def spare()', 'def later(i)');
    files['/w/helpers.py'] = renamed;
    documents.update('/w/helpers.py', renamed);
    assert.deepEqual(current(files), await fresh(files));
  });

  /** Replaces `length` characters at `offset` of the open `file`'s `text` with `inserted`, as an editor's one change; returns the new text. */
  function replaceIn(file: string, text: string, offset: number, length: number, inserted: string): string {
    const edited = text.slice(0, offset) + inserted + text.slice(offset + length);
    const lines = text.slice(0, offset).split('\n');
    const start = { line: lines.length - 1, character: (lines[lines.length - 1] as string).length };
    const endLines = text.slice(0, offset + length).split('\n');
    const end = { line: endLines.length - 1, character: (endLines[endLines.length - 1] as string).length };
    documents.update(file, edited, [{ rangeOffset: offset, rangeLength: length, text: inserted, range: { start, end } }]);
    return edited;
  }

  it('an edit of what a caller passes (its bindings unchanged) re-decides the callee whose parameter it typed', async () => {
    const source = 'import random, time\n\nclass Clock:\n    def random(self):\n        time.sleep(0.2)\n\ndef _draw(rnd):\n    return sum(rnd.random() for _ in range(1_000_000))\n\ndef run(i):\n    rnd = random.Random(i)\n    clock = Clock()\n    _draw(rnd)\n    return 1\n';
    documents.update('/w/draws.py', source);
    assert.deepEqual(current({ '/w/draws.py': source }), await fresh({ '/w/draws.py': source }));
    const files = { '/w/draws.py': replaceIn('/w/draws.py', source, source.lastIndexOf('_draw(rnd)') + '_draw('.length, 'rnd'.length, 'clock') };
    const after = current(files);
    assert.deepEqual(after, await fresh(files));
    assert.ok(after['/w/draws.py']?.some((line) => line.startsWith('_draw:io')), JSON.stringify(after));
  });

  it('an edit of a function that does not call the one whose parameter its file\'s calls typed keeps that summary', async () => {
    const source = 'import random, time\n\ndef _draw(rnd):\n    return sum(rnd.random() for _ in range(1_000_000))\n\ndef run(i):\n    rnd = random.Random(i)\n    return _draw(rnd)\n\ndef pause():\n    time.sleep(0.1)\n';
    documents.update('/w/typed.py', source);
    const entry = analyzer.program.entry('/w/typed.py');
    const draw = entry?.functions.get('_draw');
    assert.ok(entry && draw);
    const before = analyzer.engine.summarize(entry, draw, 0);
    assert.match(current({ '/w/typed.py': source })['/w/typed.py']?.[0] ?? '', /^_draw:cpu:/);
    const files = { '/w/typed.py': replaceIn('/w/typed.py', source, source.indexOf('0.1'), 3, '0.2') };
    const after = analyzer.program.entry('/w/typed.py');
    assert.ok(after && after.functions.get('_draw') === draw, 'the edit keeps _draw\'s facts object');
    assert.equal(analyzer.engine.summarize(after, draw, 0), before);
    assert.deepEqual(current(files), await fresh(files));
  });

  it('a call added by an edit (the first that passes a bound name) types the callee\'s parameter', async () => {
    const source = 'import random\n\ndef _draw(rnd):\n    return sum(rnd.random() for _ in range(1_000_000))\n\ndef run(i):\n    rnd = random.Random(i)\n    return 1\n';
    documents.update('/w/later.py', source);
    assert.deepEqual(current({ '/w/later.py': source }), await fresh({ '/w/later.py': source }));
    const files = { '/w/later.py': replaceIn('/w/later.py', source, source.indexOf('    return 1'), 0, '    _draw(rnd)\n') };
    const after = current(files);
    assert.deepEqual(after, await fresh(files));
    assert.ok(after['/w/later.py']?.some((entry) => entry.startsWith('_draw:cpu')), JSON.stringify(after));
  });

  it('an edit of the rows a set-up function inserts into a table re-decides the statements over that table in other functions', async () => {
    const source = [
      'import sqlalchemy as sa',
      '',
      'postings = sa.Table("postings", sa.MetaData(), sa.Column("account", sa.String), sa.Column("amount", sa.Float))',
      'ENGINE = sa.create_engine("sqlite:///ledger.db")',
      '',
      'def fill(rows=300):',
      '    with ENGINE.begin() as conn:',
      '        conn.execute(postings.insert(), [{"account": f"A{k % 50}", "amount": k * 0.5} for k in range(rows)])',
      '',
      'def totals(i):',
      '    query = sa.select(postings.c.account, sa.func.sum(postings.c.amount)).group_by(postings.c.account)',
      '    with ENGINE.connect() as conn:',
      '        return len(conn.execute(query).all())',
      '',
    ].join('\n');
    documents.update('/w/ledger.py', source);
    assert.deepEqual(current({ '/w/ledger.py': source }), await fresh({ '/w/ledger.py': source }));
    assert.ok(current({ '/w/ledger.py': source })['/w/ledger.py']?.some((line) => line.startsWith('totals:trivial')));
    const files = { '/w/ledger.py': replaceIn('/w/ledger.py', source, source.indexOf('rows=300') + 'rows=300'.length, 0, '_000') };
    const after = current(files);
    assert.deepEqual(after, await fresh(files));
    assert.ok(after['/w/ledger.py']?.some((line) => line.startsWith('totals:native')), JSON.stringify(after));
  });

  it('a call cycle broken by an edit: the other function of the cycle is re-decided', async () => {
    const cycle = 'import time\n\ndef a(n):\n    time.sleep(0.1)\n    return b(n - 1)\n\ndef b(n):\n    return a(n)\n\ndef c(n):\n    return b(n)\n';
    const files = { '/w/cycle.py': cycle };
    documents.update('/w/cycle.py', cycle);
    const broken = cycle.replace('    return b(n - 1)\n', '    return n\n');
    files['/w/cycle.py'] = broken;
    documents.update('/w/cycle.py', broken);
    assert.deepEqual(current(files), await fresh(files));
  });

  it('typing through a file keystroke by keystroke ends where a fresh analysis of the final text is', async () => {
    const start = 'import hashlib, time\n\ndef wait(i):\n    time.sleep(1)\n\ndef run(i):\n    return wait(i)\n';
    const typed = 'def digest(i):\n    return hashlib.sha256(b"x" * 10_000_000).hexdigest()\n\n';
    let text = start;
    documents.update('/w/typed.py', text);
    const at = text.indexOf('def run');
    for (let k = 1; k <= typed.length; k++) {
      const next = text.slice(0, at) + typed.slice(0, k) + start.slice(at);
      const previous = text;
      text = next;
      const offset = at + k - 1;
      const lines = previous.slice(0, offset).split('\n');
      documents.update('/w/typed.py', text, [{ rangeOffset: offset, rangeLength: 0, text: typed[k - 1] as string, range: { start: { line: lines.length - 1, character: (lines[lines.length - 1] as string).length }, end: { line: lines.length - 1, character: (lines[lines.length - 1] as string).length } } }]);
    }
    const edited = text.replace('return wait(i)', 'return digest(i)');
    const offset = text.indexOf('return wait(i)') + 'return '.length;
    const lines = text.slice(0, offset).split('\n');
    const position = { line: lines.length - 1, character: (lines[lines.length - 1] as string).length };
    documents.update('/w/typed.py', edited, [{ rangeOffset: offset, rangeLength: 4, text: 'digest', range: { start: position, end: { line: position.line, character: position.character + 4 } } }]);
    assert.deepEqual(current({ '/w/typed.py': edited }), await fresh({ '/w/typed.py': edited }));
  });
  it('random edits (typing, deleting, undoing, breaking the syntax, breaking a block and mending it) leave every report equal to a fresh analyzer\'s of the same facts, and the facts equal to a fresh parse\'s', async () => {
    const texts: Record<string, string> = {
      '/w/tools.py': [
        'import hashlib, time',
        '',
        'def checksum(data):',
        '    return hashlib.sha256(data * 1000).hexdigest()',
        '',
        'def pause(seconds):',
        '    time.sleep(seconds)',
        '',
        'class Store:',
        '    def __init__(self):',
        '        self.rows = []',
        '',
        '    def add(self, row):',
        '        self.rows.append(row)',
        '',
        '    def total(self):',
        '        return sum(len(r) for r in self.rows)',
        '',
      ].join('\n'),
      '/w/app.py': [
        'import functools, random',
        'from tools import checksum, pause, Store',
        '',
        'SIZES = [3, 5, 8]',
        '',
        'def _draw(rnd, n):',
        '    return sum(rnd.random() for _ in range(n))',
        '',
        'class Worker:',
        '    STEPS = 1_000_000',
        '',
        '    def __init__(self, name):',
        '        self.name = name',
        '        self.store = Store()',
        '        self.done = []',
        '',
        '    @functools.lru_cache(maxsize=None)',
        '    def crunch(self, i):',
        '        total = 0',
        '        self.done.append(Store())',
        '        for k in range(STEPS):',
        '            total += k * i',
        '        return total',
        '',
        '    def wait(self, i):',
        '        pause(0.5)',
        '        return self.crunch(i)',
        '',
        '    def digest(self, blob):',
        '        return checksum(blob)',
        '',
        'def run(i):',
        '    rnd = random.Random(i)',
        '    w = Worker("a")',
        '    w.wait(i)',
        '    return _draw(rnd, 1000)',
        '',
        'def main():',
        '    for size in SIZES:',
        '        run(size)',
        '',
      ].join('\n'),
    };
    const snippets = ['x', ' ', '(', ')', ':', '\n', '\n    ', '#', 'pause(1)', 'self.crunch(i)', 'checksum(b"abc")', 'for j in range(10**7):\n        total += j\n', 'def extra(self):\n        return 1\n    ', 'STEPS = 10**7\n    ', 'self.done = self.store\n        ', 'time.sleep(2)', 'rnd'];
    let seed = 20;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const history: Array<[string, string]> = [];
    for (const [file, text] of Object.entries(texts)) documents.update(file, text);
    for (let step = 0; step < 160; step++) {
      const file = random(5) === 0 ? '/w/tools.py' : '/w/app.py';
      const text = texts[file] as string;
      const operation = random(10);
      let edited: string;
      if (operation < 2 && history.length > 0) {
        // Undo: the text of an earlier edit comes back, as do its statements' facts.
        const [undoneFile, undone] = history.pop() as [string, string];
        const current = texts[undoneFile] as string;
        edited = replaceIn(undoneFile, current, 0, current.length, undone);
        texts[undoneFile] = edited;
      } else if (operation >= 5 && text.includes('\n\n') && random(4) === 0) {
        // A name typed on a blank line: the block above it ends there (a class's later methods become functions).
        const starts = [...text.matchAll(/\n(?=\n)/g)].map((match) => (match.index as number) + 1);
        const offset = starts[random(starts.length)] as number;
        history.push([file, text]);
        edited = replaceIn(file, text, offset, 0, 'x');
        texts[file] = edited;
      } else {
        const offset = random(text.length + 1);
        const length = operation < 5 ? 1 + random(12) : 0;
        const inserted = operation < 5 ? '' : (snippets[random(snippets.length)] as string);
        history.push([file, text]);
        edited = replaceIn(file, text, offset, Math.min(length, text.length - offset), inserted);
        texts[file] = edited;
      }
      const other = await PythonAnalyzer.create({ python: null });
      try {
        for (const name of Object.keys(texts)) {
          const facts = analyzer.program.entry(name)?.facts;
          assert.ok(facts, name);
          const parsed = JSON.parse(JSON.stringify(other.parser.facts(texts[name] as string))) as FileFacts;
          const registered = JSON.parse(JSON.stringify(facts)) as FileFacts;
          // Over broken syntax tree-sitter's recovery after an incremental parse may differ from a fresh parse's; over
          // sound syntax the facts must be the same (a text that parses worse keeps the functions of the last good one).
          if (parsed.syntaxErrors.length === 0) assert.deepEqual(registered, parsed, `step ${step}: ${name}`);
          other.setFacts(name, structuredClone(facts));
        }
        for (const name of Object.keys(texts)) assert.deepEqual(analyzer.fileReport(name), other.fileReport(name), `step ${step}: ${name}\n${texts[name]}`);
      } finally {
        other.dispose();
      }
    }
  });

  it('a report is kept only for a summary reported again: a cold pass keeps none, a later pass reuses it', () => {
    analyzer.setSource('/w/helpers.py', HELPERS);
    const entry = analyzer.program.entry('/w/helpers.py');
    const fetch = entry?.functions.get('fetch');
    assert.ok(entry && fetch);
    const first = analyzer.engine.reportFunction(entry, fetch);
    const second = analyzer.engine.reportFunction(entry, fetch);
    const third = analyzer.engine.reportFunction(entry, fetch);
    assert.deepEqual(second, first);
    assert.notEqual(second.evidence, first.evidence, 'the first report was kept');
    assert.equal(third.evidence, second.evidence, 'the second report was not kept');
  });
  it('a summary keeps what it folded in once per callee and summary, however often it calls it (the memo of a cold pass)', () => {
    const callers = Array.from({ length: 300 }, (_, k) => `def caller_${k}(x):\n${'    helper(x)\n'.repeat(200)}`).join('\n');
    analyzer.setSource('/w/many.py', `def helper(x):\n    return x + 1\n\n${callers}`);
    const entry = analyzer.program.entry('/w/many.py');
    assert.ok(entry);
    for (const fn of entry.facts.functions) analyzer.engine.summarize(entry, fn, 0);
    const engine = analyzer.engine as unknown as { memo: WeakMap<object, unknown> };
    const before = liveHeap();
    engine.memo = new WeakMap();
    const held = before - liveHeap();
    // 60,000 calls of one function: a pair per call would hold ~4 MB.
    assert.ok(held < 1_000_000, `the memo of 301 summaries holds ${held} bytes`);
    assert.equal(analyzer.fileReport('/w/many.py').functions.length, 301);
  });
});
