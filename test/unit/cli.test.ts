import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { POOL_KINDS, RECOMMENDATIONS, VERDICTS } from '../../src/core/model';
import { cli, tempTree } from './helpers';

describe('CLI analyze', () => {
  it('--json prints exactly one document following the contract', () => {
    const { status, stdout } = cli(['analyze', 'examples', '--json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(report).sort(), ['files', 'interpreter']);
    const interpreter = report.interpreter as Record<string, unknown> | null;
    if (interpreter) {
      assert.equal(typeof interpreter.path, 'string');
      assert.match(String(interpreter.version), /^\d+\.\d+\.\d+$/);
      assert.equal(typeof interpreter.gilEnabled, 'boolean');
    }
    const files = report.files as Array<Record<string, unknown>>;
    assert.ok(files.length >= 8);
    for (const file of files) {
      assert.deepEqual(Object.keys(file).sort(), ['errors', 'findings', 'functions', 'language', 'path']);
      assert.equal(file.language, String(file.path).endsWith('.ts') ? 'typescript' : 'python');
      for (const fn of file.functions as Array<Record<string, unknown>>) {
        const dispatcher = fn.verdict === 'dispatcher';
        // A dispatcher's prediction is its task's: none when the task is not a function the analysis sees.
        const predicts: boolean = !dispatcher || (fn.dispatch as { task?: unknown }).task !== undefined;
        assert.deepEqual(Object.keys(fn).sort(), ['async', 'confidence', ...(dispatcher ? ['dispatch'] : []), 'endLine', 'evidence', 'line', 'name', ...(predicts ? ['predicted'] : []), 'qualname', 'recommendation', 'verdict']);
        if (dispatcher) {
          const dispatch = fn.dispatch as { pool: string; line: number; whole: { verdict: string; recommendation: string; confidence: number } };
          assert.ok(POOL_KINDS.includes(dispatch.pool as never), dispatch.pool);
          assert.ok(Number.isInteger(dispatch.line));
          assert.ok(VERDICTS.includes(dispatch.whole.verdict as never) && dispatch.whole.verdict !== 'dispatcher', dispatch.whole.verdict);
          assert.ok(RECOMMENDATIONS.includes(dispatch.whole.recommendation as never));
        }
        if (predicts) {
          const predicted = fn.predicted as { tasks: number; cores: number; seconds: Record<string, number>; best: string; speedup: number };
          assert.ok(predicted.tasks > 0 && predicted.cores > 0 && predicted.speedup > 0);
          assert.ok(['sequential', 'threads', 'processes'].every((mode) => typeof predicted.seconds[mode] === 'number'));
          assert.ok(RECOMMENDATIONS.includes(predicted.best as never), predicted.best);
        }
        assert.ok(VERDICTS.includes(fn.verdict as never), String(fn.verdict));
        assert.ok(RECOMMENDATIONS.includes(fn.recommendation as never), String(fn.recommendation));
        assert.ok(Number.isInteger(fn.line) && (fn.line as number) >= 1 && (fn.endLine as number) >= (fn.line as number));
        for (const e of fn.evidence as Array<Record<string, unknown>>) {
          assert.ok(Number.isInteger(e.line));
          assert.equal(typeof e.reason, 'string');
        }
      }
    }
    const verdicts = new Set(files.flatMap((f) => (f.functions as Array<{ verdict: string }>).map((fn) => fn.verdict)));
    for (const v of ['cpu', 'io', 'native', 'async-io', 'dispatcher', 'trivial']) assert.ok(verdicts.has(v), `examples/ show a ${v} function`);
    const node = files.find((f) => String(f.path).endsWith('catalog.ts'));
    assert.deepEqual(
      (node?.functions as Array<{ name: string; recommendation: string }> | undefined)?.map((fn) => `${fn.name}:${fn.recommendation}`),
      ['similarityMatrix:worker_threads', 'loadCatalog:async', 'fetchPrices:async', 'discounts:async', 'fingerprint:sequential'],
    );
  });

  it('prints a table with the verdict of each function and a summary', () => {
    const { status, stdout } = cli(['analyze', 'examples']);
    assert.equal(status, 0);
    assert.match(stdout, /similarity_matrix:\d+\s+CPU \(GIL\)\s+processes/);
    assert.match(stdout, /fetch:\d+\s+I\/O\s+threads/);
    // A function that maps its work over a pool of its own: the mode its tasks want, and the call that hands them over.
    assert.match(stdout, /build_report:\d+\s+dispatcher\s+processes\s+[\d.]+\s+L10 hands `report_section` to a process pool and waits/);
    assert.match(stdout, /\d+ functions in \d+ files/);
  });

  it('--json of a Python tree, written one file at a time, is the whole report as JSON.stringify writes it', () => {
    const root = tempTree({ 'a.py': 'import time\n\ndef wait():\n    time.sleep(1)\n', 'b.py': 'def bad(:\n    pass\n', 'empty/notes.txt': '' });
    for (const tree of [root, `${root}/empty`]) {
      const { status, stdout } = cli(['analyze', tree, '--json']);
      assert.equal(status, 0);
      assert.equal(stdout, `${JSON.stringify(JSON.parse(stdout), null, 2)}\n`);
    }
    fs.rmSync(root, { recursive: true });
  });

  it('reports syntax errors and still exits 0', () => {
    const root = tempTree({ 'broken.py': 'def ok():\n    return 1\n\ndef bad(:\n    pass\n' });
    const { status, stdout } = cli(['analyze', root, '--json']);
    assert.equal(status, 0);
    const file = (JSON.parse(stdout) as { files: Array<{ errors: Array<{ line: number }>; functions: unknown[] }> }).files[0];
    assert.equal(file?.errors[0]?.line, 4);
    assert.ok((file?.functions.length ?? 0) >= 1);
    fs.rmSync(root, { recursive: true });
  });

  it('exits 2 with a message on usage errors', () => {
    for (const args of [['analyze'], ['analyze', 'no/such/path'], ['frobnicate'], ['analyze', 'examples', '--bogus'], ['analyze', 'examples', '--python', '/no/such/python']]) {
      const { status, stderr } = cli(args);
      assert.equal(status, 2, `${args.join(' ')} -> ${stderr}`);
      assert.match(stderr, /concurrency-lens: /);
    }
    assert.match(cli(['analyze', 'examples', '--python', '/no/such/python']).stderr, /'\/no\/such\/python' could not be run: not found/);
  });

  it('reports findings in the JSON (rule, line, severity, message) and under the file in the table', () => {
    const root = tempTree({
      'jobs.py': [
        'from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor',
        'def crunch(n):',
        '    return sum(k * k for k in range(n))',
        'def run(ns):',
        '    with ThreadPoolExecutor() as pool:',
        '        return list(pool.map(crunch, ns))',
        'pool = ProcessPoolExecutor()',
        '',
      ].join('\n'),
    });
    try {
      const json = cli(['analyze', root, '--json']);
      assert.equal(json.status, 0);
      const [file] = (JSON.parse(json.stdout) as { files: Array<{ findings: Array<Record<string, unknown>> }> }).files;
      assert.deepEqual(file?.findings.map((f) => `${String(f.rule)}@${String(f.line)}:${String(f.severity)}`), ['CL001@6:warning', 'CL004@7:warning']);
      for (const f of file?.findings ?? []) assert.deepEqual(Object.keys(f).sort(), ['fix', 'line', 'message', 'rule', 'severity']);
      const table = cli(['analyze', root]);
      assert.match(table.stdout, /CL001 line 6: `crunch` is CPU work that holds the GIL/);
      assert.match(table.stdout, /2 findings/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds one mistake of each Python rule in legacy_batch.py (with a quick fix where one is safe) and CL101 in node/catalog.ts', () => {
    const { status, stdout } = cli(['analyze', 'examples', '--json']);
    assert.equal(status, 0);
    const files = (JSON.parse(stdout) as { files: Array<{ path: string; findings: Array<{ rule: string; line: number; fix?: { kind: string } }> }> }).files;
    const found = files.flatMap((file) => file.findings.map((f) => `${file.path.split('/').pop() ?? ''}:${f.rule}@${f.line}:${f.fix?.kind ?? 'no fix'}`));
    assert.deepEqual(found, [
      'legacy_batch.py:CL001@15:use-processes',
      'legacy_batch.py:CL002@21:use-threads',
      'legacy_batch.py:CL003@27:no fix',
      'legacy_batch.py:CL005@34:await-to-thread',
      'legacy_batch.py:CL005@35:await-to-thread',
      'legacy_batch.py:CL006@44:no fix',
      'legacy_batch.py:CL004@50:main-guard',
      'catalog.ts:CL101@41:no fix',
    ]);
  });

  it('--help and --version exit 0', () => {
    assert.equal(cli(['--help']).status, 0);
    assert.match(cli(['--help']).stdout, /concurrency-lens analyze PATH/);
    assert.match(cli(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
