import * as assert from 'node:assert/strict';
import type { TsFunctionFacts } from '../../src/core/typescript/facts';
import { TypeScriptAnalyzer } from '../../src/core/typescript/index';

/**
 * The TS/JS edit path keeps what an edit did not touch: the facts objects of unchanged functions and the summaries that
 * read only those; the reports stay those of a fresh analysis of the same text.
 */
describe('TS/JS summaries kept across edits', () => {
  const FILE = '/w/jobs.ts';
  const TEXT = [
    "import * as fs from 'node:fs';",
    "import { createHash } from 'node:crypto';",
    '',
    'export function digest(data: Buffer): string {',
    "  return createHash('sha256').update(data).digest('hex');",
    '}',
    '',
    'export function load(path: string): Buffer {',
    '  return fs.readFileSync(path);',
    '}',
    '',
    'export function job(path: string): string {',
    '  return digest(load(path));',
    '}',
    '',
    'export function spin(n: number): number {',
    '  let total = 0;',
    '  for (let i = 0; i < n; i++) total += i % 7;',
    '  return total;',
    '}',
    '',
    'export class Store {',
    '  rows: string[] = [];',
    '  add(row: string): void {',
    '    this.rows.push(row);',
    '  }',
    '  total(): number {',
    '    return this.rows.map((row) => spin(row.length)).length;',
    '  }',
    '}',
    '',
    'export function even(n: number): boolean {',
    '  return n === 0 ? true : odd(n - 1);',
    '}',
    '',
    'export function odd(n: number): boolean {',
    '  return n === 0 ? false : even(n - 1);',
    '}',
    '',
    'export class Walker {',
    '  walk(n: number): number {',
    '    return n === 0 ? 0 : this.back(n - 1);',
    '  }',
    '  back(n: number): number {',
    '    return this.walk(n);',
    '  }',
    '}',
    '',
  ].join('\n');

  let analyzer: TypeScriptAnalyzer;
  beforeEach(() => {
    analyzer = new TypeScriptAnalyzer({ project: false });
    analyzer.setSource(FILE, TEXT);
  });
  afterEach(() => analyzer.dispose());

  const fnNamed = (qualname: string): TsFunctionFacts => {
    const fn = analyzer.program.entry(FILE)?.facts.functions.find((f) => f.qualname === qualname);
    assert.ok(fn, qualname);
    return fn;
  };
  const summaryOf = (qualname: string) => {
    const entry = analyzer.program.entry(FILE);
    assert.ok(entry);
    return analyzer.engine.summarize(entry, fnNamed(qualname));
  };
  function freshReport(text: string): string {
    const other = new TypeScriptAnalyzer({ project: false });
    try {
      other.setSource(FILE, text);
      return JSON.stringify(other.fileReport(FILE));
    } finally {
      other.dispose();
    }
  }

  it('an edit inside one function keeps the facts objects of the others, their offsets moved', () => {
    analyzer.fileReport(FILE);
    const spin = fnNamed('spin');
    const load = fnNamed('load');
    const edited = TEXT.replace('fs.readFileSync(path)', 'fs.readFileSync(path + "x")');
    analyzer.setSource(FILE, edited);
    assert.notEqual(fnNamed('load'), load);
    assert.equal(fnNamed('spin'), spin);
    assert.equal(spin.namePos, edited.indexOf('spin(n'));
    assert.equal(spin.calls.length, 0);
    const calls = analyzer.program.entry(FILE)?.facts.functions.flatMap((fn) => fn.calls);
    assert.equal(calls?.find((call) => call.callee === 'spin')?.pos, edited.indexOf('spin(row'));
  });

  it('an edit inside one function re-decides it and its callers, and keeps every other summary', () => {
    analyzer.fileReport(FILE);
    const before = new Map(['digest', 'load', 'job', 'spin', 'Store.total', 'even', 'odd'].map((name) => [name, summaryOf(name)]));
    analyzer.setSource(FILE, TEXT.replace('fs.readFileSync(path)', 'fs.readFileSync(path + "x")'));
    const after = new Map([...before.keys()].map((name) => [name, summaryOf(name)]));
    assert.deepEqual([...before.keys()].filter((name) => before.get(name) !== after.get(name)), ['load', 'job']);
  });

  it('an edit of a callee re-decides the callers that folded it in, through other callers', () => {
    analyzer.fileReport(FILE);
    const total = summaryOf('Store.total');
    const add = summaryOf('Store.add');
    analyzer.setSource(FILE, TEXT.replace('total += i % 7', 'total += i % 7 + i'));
    assert.notEqual(summaryOf('Store.total'), total);
    assert.equal(summaryOf('Store.add'), add);
  });

  it('an edit that changes what names resolve to (a function renamed) re-decides every summary', () => {
    analyzer.fileReport(FILE);
    const spin = summaryOf('spin');
    analyzer.setSource(FILE, TEXT.replace('export function load(', 'export function loadFile('));
    assert.notEqual(summaryOf('spin'), spin);
  });

  it('a call cycle broken by an edit inside a body: the other function of the cycle is re-decided', () => {
    analyzer.fileReport(FILE);
    const edited = TEXT.replace('n === 0 ? 0 : this.back(n - 1)', 'n + 1');
    analyzer.setSource(FILE, edited);
    assert.equal(JSON.stringify(analyzer.fileReport(FILE)), freshReport(edited));
  });

  it('an edit of a callee in another file re-decides its callers there, and keeps their other summaries', () => {
    const APP = "import { spin } from './jobs';\n\nexport function run(): number {\n  return spin(1_000_000);\n}\n\nexport function idle(): number {\n  return 1;\n}\n";
    analyzer.setSource('/w/app.ts', APP);
    analyzer.fileReport('/w/app.ts');
    const entry = () => analyzer.program.entry('/w/app.ts');
    const fnOf = (name: string) => entry()?.facts.functions.find((fn) => fn.qualname === name) as TsFunctionFacts;
    const run = analyzer.engine.summarize(entry()!, fnOf('run'));
    const idle = analyzer.engine.summarize(entry()!, fnOf('idle'));
    const edited = TEXT.replace('total += i % 7', 'total += fs.readFileSync("a").length');
    analyzer.setSource(FILE, edited);
    assert.notEqual(analyzer.engine.summarize(entry()!, fnOf('run')), run);
    assert.equal(analyzer.engine.summarize(entry()!, fnOf('idle')), idle);
    const other = new TypeScriptAnalyzer({ project: false });
    try {
      other.setSource(FILE, edited);
      other.setSource('/w/app.ts', APP);
      assert.equal(JSON.stringify(analyzer.fileReport('/w/app.ts')), JSON.stringify(other.fileReport('/w/app.ts')));
    } finally {
      other.dispose();
    }
  });

  it('random edits (typing, deleting, undoing, breaking the syntax) leave every report equal to a fresh analyzer\'s', () => {
    const snippets = ['x', ' ', '(', ')', '{', '}', ';', '\n', 'i', 'spin(1000)', 'load(path)', 'fs.readFileSync("a")', 'for (const r of this.rows) total += r.length;', 'even(n)', 'await ', 'digest'];
    let seed = 29;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let text = TEXT;
    const history: string[] = [];
    for (let step = 0; step < 150; step++) {
      const choice = random(10);
      if (choice < 2 && history.length > 0) {
        text = history.pop() as string;
      } else {
        history.push(text);
        const at = random(text.length + 1);
        text = choice < 4 ? text.slice(0, at) + text.slice(at + 1 + random(4)) : text.slice(0, at) + (snippets[random(snippets.length)] as string) + text.slice(at);
      }
      analyzer.setSource(FILE, text);
      assert.equal(JSON.stringify(analyzer.fileReport(FILE)), freshReport(text), `step ${step}`);
    }
  });
});
