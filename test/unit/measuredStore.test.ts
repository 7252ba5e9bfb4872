import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MAX_ENTRIES,
  clearMeasured,
  functionSourceHash,
  measuredEntryOf,
  measuredFor,
  measuredSummary,
  readMeasured,
  recordMeasured,
  storePath,
  withMeasured,
  type MeasuredEntry,
} from '../../src/core/measuredStore';
import type { FunctionReport } from '../../src/core/model';
import { cli, tempTree } from './helpers';

function entry(overrides: Partial<MeasuredEntry> = {}): MeasuredEntry {
  return {
    file: 'pkg/work.py',
    qualname: 'crunch',
    sourceHash: 'aaaa',
    interpreter: 'python 3.11.7 /usr/bin/python3',
    recommendation: 'processes',
    speedup: 1.9,
    at: '2026-12-04T10:00:00.000Z',
    ...overrides,
  };
}

const SOURCE = 'import math\n\ndef crunch(n):\n    total = 0\n    for k in range(n):\n        total += k\n    return total\n\ndef other():\n    pass\n';

describe('measured results store', () => {
  let root: string;
  beforeEach(() => {
    root = tempTree({ 'pkg/work.py': SOURCE });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('hashes only the function\'s lines, ignoring trailing whitespace and line endings', () => {
    const hash = functionSourceHash(SOURCE, 3, 7);
    assert.equal(functionSourceHash(SOURCE.replace(/\n/g, '  \r\n'), 3, 7), hash);
    assert.equal(functionSourceHash(SOURCE.replace('pass', 'return 1'), 3, 7), hash, 'another function changed');
    assert.equal(functionSourceHash(`# a comment above\n${SOURCE}`, 4, 8), hash, 'the function moved down a line');
    assert.notEqual(functionSourceHash(SOURCE.replace('total += k', 'total += k * k'), 3, 7), hash);
  });

  it('stores a result in .concurrency-lens/ with a .gitignore of *, and reads it back', () => {
    recordMeasured(root, entry());
    assert.deepEqual(readMeasured(root), [entry()]);
    const ignore = fs.readFileSync(path.join(root, '.concurrency-lens', '.gitignore'), 'utf8');
    assert.ok(ignore.split('\n').includes('*'), ignore);
    assert.deepEqual(fs.readdirSync(path.join(root, '.concurrency-lens')).sort(), ['.gitignore', 'measured.json'], 'no temporary or lock file left');
  });

  it('keeps one entry per file, qualname, hash and interpreter: the newest', () => {
    recordMeasured(root, entry());
    recordMeasured(root, entry({ recommendation: 'threads', at: '2026-12-04T11:00:00.000Z' }));
    recordMeasured(root, entry({ interpreter: 'python 3.13.1 /opt/py313/bin/python3', at: '2026-12-04T09:00:00.000Z' }));
    recordMeasured(root, entry({ sourceHash: 'bbbb', at: '2026-12-04T08:00:00.000Z' }));
    const entries = readMeasured(root);
    assert.equal(entries.length, 3);
    assert.equal(entries.find((e) => e.sourceHash === 'aaaa' && e.interpreter.startsWith('python 3.11'))?.recommendation, 'threads');
  });

  it('says the newest result for the current source, else the newest for older source as stale', () => {
    const entries = [
      entry({ sourceHash: 'old', recommendation: 'threads', at: '2026-12-04T12:00:00.000Z' }),
      entry({ sourceHash: 'now', at: '2026-12-04T10:00:00.000Z' }),
      entry({ qualname: 'other', sourceHash: 'now', recommendation: 'sequential' }),
    ];
    assert.deepEqual(measuredFor(entries, 'pkg/work.py', 'crunch', 'now'), { recommendation: 'processes', speedup: 1.9, stale: false, at: '2026-12-04T10:00:00.000Z' });
    assert.deepEqual(measuredFor(entries, 'pkg/work.py', 'crunch', 'edited'), { recommendation: 'threads', speedup: 1.9, stale: true, at: '2026-12-04T12:00:00.000Z' });
    assert.equal(measuredFor(entries, 'pkg/other.py', 'crunch', 'now'), undefined);
  });

  it('gives each function of a file its result by hashing the current text', () => {
    const functions: FunctionReport[] = [
      { name: 'crunch', qualname: 'crunch', line: 3, endLine: 7, async: false, verdict: 'cpu', recommendation: 'processes', confidence: 0.9, evidence: [] },
      { name: 'other', qualname: 'other', line: 9, endLine: 10, async: false, verdict: 'trivial', recommendation: 'sequential', confidence: 0.9, evidence: [] },
    ];
    const entries = [entry({ sourceHash: functionSourceHash(SOURCE, 3, 7) })];
    const [crunch, other] = withMeasured(functions, entries, 'pkg/work.py', SOURCE);
    assert.equal(crunch?.measured?.stale, false);
    assert.equal(other?.measured, undefined);
    assert.equal(functions[0]?.measured, undefined, 'the analyzer\'s report is not changed');
    const edited = SOURCE.replace('total += k', 'total += 2 * k');
    assert.equal(withMeasured(functions, entries, 'pkg/work.py', edited)[0]?.measured?.stale, true);
  });

  for (const [what, text] of [
    ['not JSON', '{"format": "concurrency-lens/meas'],
    ['another tool\'s JSON', '{"entries": [{"file": "x"}]}'],
    ['a future version', JSON.stringify({ format: 'concurrency-lens/measured', version: 2, entries: [entry()] })],
    ['an array', '[1, 2, 3]'],
  ] as const) {
    it(`ignores a store that is ${what}, and a write replaces it`, () => {
      fs.mkdirSync(path.join(root, '.concurrency-lens'));
      fs.writeFileSync(storePath(root), text);
      assert.deepEqual(readMeasured(root), []);
      recordMeasured(root, entry());
      assert.deepEqual(readMeasured(root), [entry()]);
    });
  }

  it('skips entries of the wrong shape and keeps the others', () => {
    fs.mkdirSync(path.join(root, '.concurrency-lens'));
    const bad = [
      { ...entry(), speedup: 'fast' },
      { ...entry(), at: 'yesterday' },
      { ...entry(), qualname: 'x'.repeat(10_000) },
      { ...entry(), recommendation: 42 },
      null,
      'entry',
    ];
    fs.writeFileSync(storePath(root), JSON.stringify({ format: 'concurrency-lens/measured', version: 1, entries: [...bad, entry()] }));
    assert.deepEqual(readMeasured(root), [entry()]);
  });

  it('does not read a store that is not a file, and reads none when the folder is missing', () => {
    assert.deepEqual(readMeasured(root), []);
    fs.mkdirSync(storePath(root), { recursive: true });
    assert.deepEqual(readMeasured(root), []);
  });

  it(`keeps the newest ${MAX_ENTRIES} entries`, () => {
    const many = Array.from({ length: MAX_ENTRIES + 20 }, (_, k) => entry({ qualname: `f${k}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString() }));
    fs.mkdirSync(path.join(root, '.concurrency-lens'));
    fs.writeFileSync(storePath(root), JSON.stringify({ format: 'concurrency-lens/measured', version: 1, entries: many.slice(0, MAX_ENTRIES) }));
    for (const extra of many.slice(MAX_ENTRIES)) recordMeasured(root, extra);
    const kept = readMeasured(root);
    assert.equal(kept.length, MAX_ENTRIES);
    assert.ok(kept.some((e) => e.qualname === `f${MAX_ENTRIES + 19}`));
    assert.ok(!kept.some((e) => e.qualname === 'f0'), 'the oldest went');
  });

  it('two processes writing at once keep each other\'s entries', async () => {
    const store = path.join(__dirname, '../../src/core/measuredStore.js');
    const writer = (name: string) => `
      const { recordMeasured } = require(${JSON.stringify(store)});
      for (let k = 0; k < 40; k++) recordMeasured(${JSON.stringify(root)}, { file: 'w.py', qualname: '${name}' + k, sourceHash: 'h', interpreter: 'python', recommendation: 'threads', speedup: 1.5, at: new Date().toISOString() });`;
    const exits = ['a', 'b'].map((name) => new Promise<number | null>((resolve) => spawn(process.execPath, ['-e', writer(name)], { stdio: 'inherit' }).on('close', resolve)));
    assert.deepEqual(await Promise.all(exits), [0, 0]);
    const names = new Set(readMeasured(root).map((e) => e.qualname));
    assert.equal(names.size, 80);
  });

  it('clears the store', () => {
    recordMeasured(root, entry());
    clearMeasured(root);
    assert.equal(fs.existsSync(path.join(root, '.concurrency-lens')), false);
    assert.deepEqual(readMeasured(root), []);
  });

  it('stores a finished or inconclusive run, never a stopped one or one where nothing finished', () => {
    const target = { file: 'pkg/work.py', qualname: 'crunch', sourceHash: 'h' };
    const at = new Date('2026-12-04T10:00:00Z');
    const interpreter = { path: '/usr/bin/python3', version: '3.11.7', gilEnabled: true, runtime: 'python' as const };
    const best = { mode: 'processes' as const, workers: 2, speedup: 1.87 };
    assert.deepEqual(measuredEntryOf({ recommendation: 'processes', best, interpreter }, target, at), {
      ...target, interpreter: 'python 3.11.7 /usr/bin/python3', recommendation: 'processes', speedup: 1.87, at: '2026-12-04T10:00:00.000Z',
    });
    const inconclusive = measuredEntryOf({ recommendation: null, best, interpreter, inconclusive: 'the machine was busy' }, target, at);
    assert.equal(inconclusive?.recommendation, null);
    assert.equal(inconclusive?.speedup, null);
    assert.equal(inconclusive?.inconclusive, 'the machine was busy');
    assert.equal(measuredEntryOf({ recommendation: 'processes', best, interpreter, stopped: 'cancelled' }, target, at), undefined);
    assert.equal(measuredEntryOf({ recommendation: null, best: null, interpreter }, target, at), undefined);
  });

  it('stores the recommended mode\'s speedup with its spread and repetitions (a cheaper mode within 10 % of the fastest)', () => {
    const target = { file: 'pkg/work.py', qualname: 'crunch', sourceHash: 'h' };
    const interpreter = { path: '/usr/bin/python3', version: '3.11.7', gilEnabled: true, runtime: 'python' as const };
    const run = (mode: 'sequential' | 'threads' | 'processes', workers: number, wallSeconds: number, speedup: number, speedupSpread: number | null) => ({
      mode, workers, wallSeconds, cpuSeconds: wallSeconds, speedup, efficiency: null, gilContention: null, otherLoad: null,
      latency: { p50: null, p95: null, max: null }, completed: 8, error: null, repeats: 5, spread: 0.01, speedupSpread, samples: [], contended: false,
    });
    const runs = [run('sequential', 1, 2.0, 1, 0), run('threads', 2, 1.05, 1.9, 0.12), run('processes', 2, 1.0, 2.0, 0.3)];
    const best = { mode: 'processes' as const, workers: 2, speedup: 2.0 };
    const entry = measuredEntryOf({ recommendation: 'threads', best, interpreter, runs }, target, new Date('2026-12-04T10:00:00Z'));
    assert.equal(entry?.speedup, 1.9);
    assert.equal(entry?.speedupSpread, 0.12);
    assert.equal(entry?.repeats, 5);
    const shown = measuredFor(entry ? [entry] : [], 'pkg/work.py', 'crunch', 'h');
    assert.equal(shown && measuredSummary(shown, 'threads'), 'measured: threads 1.9× ± 0.1 ✓');
  });

  it('says the result in a few words beside the static verdict', () => {
    const measured = { recommendation: 'processes', speedup: 1.94, stale: false, at: '2026-12-04T10:00:00.000Z' };
    assert.equal(measuredSummary(measured, 'processes'), 'measured: processes 1.9× ✓');
    assert.equal(measuredSummary({ ...measured, recommendation: 'threads' }, 'processes'), 'measured: threads 1.9× — static said processes');
    assert.equal(measuredSummary({ ...measured, stale: true }, 'processes'), 'measured (older code): processes 1.9× ✓');
    assert.equal(measuredSummary({ ...measured, recommendation: null, speedup: null }, 'processes'), 'measured: inconclusive');
    assert.equal(measuredSummary({ ...measured, recommendation: 'sequential', speedup: 1 }, 'sequential'), 'measured: sequential ✓');
  });
});

describe('CLI: bench stores its result, analyze and report show it', function () {
  this.timeout(120_000);
  const WORK = 'def crunch(n):\n    total = 0\n    for k in range(n):\n        total += k\n    return total\n\ndef idle():\n    return 0\n';

  it('bench --workspace stores; analyze --json gains "measured", stale after an edit; report carries it', () => {
    const root = tempTree({ 'work.py': WORK });
    try {
      const bench = cli(['bench', `${path.join(root, 'work.py')}:crunch`, '--call', 'crunch(20000)', '--tasks', '2', '--workers', '2', '--modes', 'sequential,threads', '--workspace', root, '--json']);
      assert.equal(bench.status, 0, bench.stderr);
      const record = JSON.parse(bench.stdout) as { recommendation: string | null; runs: Array<{ mode: string; wallSeconds: number; speedup: number | null; repeats: number }> };
      assert.ok(fs.existsSync(path.join(root, '.concurrency-lens', '.gitignore')));

      const measuredOf = (args: string[]): Record<string, unknown> | undefined => {
        const analyzed = cli(args);
        assert.equal(analyzed.status, 0, analyzed.stderr);
        const document = JSON.parse(analyzed.stdout) as { files: Array<{ functions: Array<{ qualname: string; measured?: Record<string, unknown> }> }> };
        const functions = document.files.flatMap((file) => file.functions);
        assert.equal(functions.find((fn) => fn.qualname === 'idle')?.measured, undefined, 'a function never run has no "measured"');
        return functions.find((fn) => fn.qualname === 'crunch')?.measured;
      };
      const measured = measuredOf(['analyze', root, '--json', '--workspace', root]);
      const keys = Object.keys(measured ?? {});
      for (const key of ['at', 'recommendation', 'speedup', 'stale']) assert.ok(keys.includes(key), `"measured" has ${key}`);
      assert.deepEqual(keys.filter((key) => !['at', 'recommendation', 'speedup', 'stale', 'speedupSpread', 'repeats', 'inconclusive'].includes(key)), []);
      assert.equal(measured?.recommendation, record.recommendation);
      const recommended = record.runs.filter((run) => run.mode === record.recommendation).sort((a, b) => a.wallSeconds - b.wallSeconds)[0];
      assert.equal(measured?.speedup, recommended?.speedup ?? null);
      if (recommended) assert.equal(measured?.repeats, recommended.repeats);
      assert.equal(measured?.stale, false);
      assert.ok(!Number.isNaN(Date.parse(String(measured?.at))) && String(measured?.at).endsWith('Z'));
      assert.equal(measuredOf(['analyze', root, '--json', '--workspace', path.join(root, '..')]), undefined, 'another workspace has no store entry for it');

      assert.equal(measuredOf(['report', root, '--format', 'json', '--workspace', root])?.stale, false, 'the JSON export carries it');
      const markdown = cli(['report', root, '--format', 'md', '--workspace', root]).stdout;
      assert.match(markdown, /\| measured \|/);

      fs.writeFileSync(path.join(root, 'work.py'), WORK.replace('total += k', 'total += k * k'));
      assert.equal(measuredOf(['analyze', root, '--json', '--workspace', root])?.stale, true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('bench --no-store leaves the workspace as it was; a missing --workspace is an input error', () => {
    const root = tempTree({ 'work.py': WORK });
    try {
      const bench = cli(['bench', `${path.join(root, 'work.py')}:crunch`, '--call', 'crunch(1000)', '--tasks', '2', '--workers', '2', '--modes', 'sequential,threads', '--workspace', root, '--no-store', '--json']);
      assert.equal(bench.status, 0, bench.stderr);
      assert.deepEqual(fs.readdirSync(root), ['work.py']);
      assert.equal(cli(['bench', `${path.join(root, 'work.py')}:crunch`, '--call', 'crunch(1)', '--workspace', path.join(root, 'nope')]).status, 2);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
