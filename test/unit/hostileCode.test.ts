import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderAnalysisTable } from '../../src/cli/table';
import { BUSY_MACHINE_GRACE, Deadline } from '../../src/core/budget';
import type { AnalysisReport, FileReport, FunctionReport } from '../../src/core/model';
import { functionDescription, verdictSummary } from '../../src/core/verdictText';
import { PythonAnalyzer, type AnalyzerOptions } from '../../src/core/python/analyzer';
import { OpenDocuments } from '../../src/core/python/documents';
import { scanLexically } from '../../src/core/python/lexical';
import { factsOfSource, MAX_SHALLOW_STATEMENT } from '../../src/core/python/parse';
import { VerdictEngine } from '../../src/core/python/verdicts';
import { CL005 } from '../../src/core/rules/cl005';
import { CL101 } from '../../src/core/rules/cl101';
import { TypeScriptAnalyzer } from '../../src/core/typescript/index';
import { ScriptVerdictEngine } from '../../src/core/typescript/verdicts';
import { analyzeTree, cli, tempTree } from './helpers';
import { analyzeScripts } from './typescriptHelpers';

/** `f0` calls `f1` calls ... `f{depth}`, which sleeps: every function of the chain waits on I/O. */
function callChain(depth: number): string {
  const lines = ['import time', ''];
  for (let k = 0; k < depth; k++) lines.push(`def f${k}():`, `    return f${k + 1}()`, '');
  lines.push(`def f${depth}():`, '    time.sleep(1)', '');
  return lines.join('\n');
}

const WAITS = 'import time\n\ndef wait():\n    time.sleep(1)\n';

/** Runs `make` and says how long it took (ms). */
async function timed<T>(make: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await make();
  return { value, ms: performance.now() - start };
}

/** Runs `body` with `object[method]` replaced by a version that throws for the function named `name` (the patch's `fnOf` finds it in the arguments). */
async function throwingFor<T extends object, K extends keyof T>(object: T, method: K, name: string, fnOf: (args: unknown[]) => { name: string }, body: () => Promise<void> | void): Promise<void> {
  const original = object[method] as (...args: unknown[]) => unknown;
  object[method] = function (this: unknown, ...args: unknown[]) {
    if (fnOf(args).name === name) throw new TypeError(`forced failure in ${name}`);
    return original.apply(this, args);
  } as T[K];
  try {
    await body();
  } finally {
    object[method] = original as T[K];
  }
}

describe('hostile code: deep, huge or odd files', () => {
  describe("a bug in one function's analysis costs that function alone", () => {
    const PYTHON = 'import time\n\nasync def boom():\n    time.sleep(1)\n\nasync def slow():\n    time.sleep(1)\n\ndef wait():\n    time.sleep(1)\n';
    const SCRIPT = "import { execSync } from 'node:child_process';\nexport async function boom() {\n  execSync('make');\n}\nexport async function slow() {\n  execSync('make');\n}\nexport function wait() {\n  execSync('sleep 1');\n}\n";

    it('Python: its verdict is unknown with the failure as evidence and as the file\'s error at its line; the others keep theirs', async () => {
      await throwingFor(VerdictEngine.prototype, 'forecast', 'boom', (args) => args[1] as { name: string }, async () => {
        const report = (await analyzeTree({ 'app.py': PYTHON })).get('app.py') as FileReport;
        const boom = report.functions.find((fn) => fn.name === 'boom');
        assert.equal(boom?.verdict, 'unknown');
        assert.equal(boom?.confidence, 0);
        assert.deepEqual(boom?.evidence, [{ line: 3, reason: 'analysis failed: forced failure in boom' }]);
        assert.equal(boom?.failure, 'analysis failed: forced failure in boom');
        assert.equal(verdictSummary(boom as FunctionReport), '$(warning) not analyzed: the analyzer failed on it (see why) · measure it');
        assert.equal(functionDescription(boom as FunctionReport), 'not analyzed: the analyzer failed on it');
        assert.deepEqual(report.errors, [{ line: 3, message: 'boom: analysis failed: forced failure in boom' }]);
        assert.deepEqual(report.functions.filter((fn) => fn.name !== 'boom').map((fn) => `${fn.name}:${fn.verdict}`), ['slow:io', 'wait:io']);
        assert.deepEqual(report.findings.map((f) => `${f.rule}@${f.line}`), ['CL005@4', 'CL005@7']);
      });
    });

    it("Python: a rule that fails on one function loses that function's findings only", async () => {
      await throwingFor(CL005, 'checkFunction', 'boom', (args) => (args[0] as { fn: { name: string } }).fn, async () => {
        const report = (await analyzeTree({ 'app.py': PYTHON })).get('app.py') as FileReport;
        assert.deepEqual(report.findings.map((f) => `${f.rule}@${f.line}`), ['CL005@7']);
        assert.deepEqual(report.errors, [{ line: 3, message: 'boom: analysis failed: forced failure in boom' }]);
        assert.deepEqual(report.functions.map((fn) => `${fn.name}:${fn.verdict}`), ['boom:io', 'slow:io', 'wait:io']);
      });
    });

    it('TS/JS: the same for a verdict and for a rule', async () => {
      await throwingFor(ScriptVerdictEngine.prototype, 'forecast', 'boom', (args) => args[0] as { name: string }, () => {
        const report = analyzeScripts({ 'app.ts': SCRIPT }).get('app.ts') as FileReport;
        const boom = report.functions.find((fn) => fn.name === 'boom');
        assert.equal(boom?.verdict, 'unknown');
        assert.deepEqual(boom?.evidence, [{ line: 2, reason: 'analysis failed: forced failure in boom' }]);
        assert.deepEqual(report.errors, [{ line: 2, message: 'boom: analysis failed: forced failure in boom' }]);
        assert.deepEqual(report.functions.filter((fn) => fn.name !== 'boom').map((fn) => fn.verdict), ['io', 'io']);
        assert.deepEqual(report.findings.map((f) => `${f.rule}@${f.line}`), ['CL101@3', 'CL101@6']);
      });
      await throwingFor(CL101, 'checkFunction', 'boom', (args) => (args[0] as { fn: { name: string } }).fn, () => {
        const report = analyzeScripts({ 'app.ts': SCRIPT }).get('app.ts') as FileReport;
        assert.deepEqual(report.findings.map((f) => `${f.rule}@${f.line}`), ['CL101@6']);
        assert.deepEqual(report.errors, [{ line: 2, message: 'boom: analysis failed: forced failure in boom' }]);
        assert.equal(report.functions.length, 3);
      });
    });
  });

  it('a package importing its own compiled submodule (no Python source: bcrypt\'s `from . import _bcrypt`) is resolved without looping', async () => {
    const reports = await analyzeTree({
      'pkg/__init__.py': 'from . import _native\n\ndef hashpw(data):\n    return _native.hashpw(data)\n',
      'app.py': 'import pkg\n\ndef register(data):\n    return pkg.hashpw(data) + pkg._native.salt()\n',
    });
    const app = reports.get('app.py') as FileReport;
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.functions.map((fn) => fn.qualname), ['register']);
  });

  describe('call chains thousands of functions deep', () => {
    it('a chain of 6,000 functions each calling the next gets verdicts, and the other files still do', async () => {
      const reports = await analyzeTree({ 'chain.py': callChain(6000), 'waits.py': WAITS });
      const chain = reports.get('chain.py') as FileReport;
      assert.deepEqual(chain.errors, []);
      assert.equal(chain.functions.length, 6001);
      // Each caller folds its callee in with a decay: the sleep shows a few levels up, not 6,000.
      assert.equal(chain.functions.find((fn) => fn.name === 'f5998')?.verdict, 'io');
      assert.ok(chain.functions.every((fn) => fn.evidence.length > 0));
      assert.equal(reports.get('waits.py')?.functions[0]?.verdict, 'io');
    });

    it('analyze --json prints the report of every file when one is a 1,000-deep chain', () => {
      const root = tempTree({ 'chain.py': callChain(1000), 'waits.py': WAITS });
      try {
        const { status, stdout } = cli(['analyze', root, '--json', '--no-follow']);
        assert.equal(status, 0);
        const report = JSON.parse(stdout) as AnalysisReport;
        const byName = new Map(report.files.map((file) => [path.basename(file.path), file]));
        assert.equal(byName.get('chain.py')?.functions.length, 1001);
        assert.equal(byName.get('waits.py')?.functions[0]?.verdict, 'io');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('an open editor with a 6,000-deep chain is reported, and a workspace pass reports every file', async () => {
      const analyzer = await PythonAnalyzer.create({ python: null });
      const documents = new OpenDocuments(analyzer);
      try {
        const report = documents.update('/w/chain.py', callChain(6000));
        assert.equal(report.functions.length, 6001);
        analyzer.setSource('/w/waits.py', WAITS);
        const reports = new Map<string, FileReport>();
        const pass = await analyzer.reportsInSlices(['/w/chain.py', '/w/waits.py'], { sliceMs: 10, pause: async () => undefined, onReport: (file, made) => reports.set(file, made) });
        assert.equal(pass?.files, 2);
        assert.equal(reports.get('/w/waits.py')?.functions[0]?.verdict, 'io');
        assert.equal(reports.get('/w/chain.py')?.functions.length, 6001);
      } finally {
        documents.dispose();
        analyzer.dispose();
      }
    });
  });

  describe('expressions nested past what CPython compiles, in seconds and as that file\'s error', () => {
    const cases: Array<[string, () => string, RegExp]> = [
      ['a 900 KB sum of 300,000 terms', () => `x = ${Array(300_000).fill('1').join('+')}\n`, /too deeply nested/],
      ['300,000 unclosed brackets', () => `x = ${'('.repeat(300_000)}\n`, /too many nested parentheses/],
      ['g(g(g(…))) 50,000 calls deep', () => `x = ${'g('.repeat(50_000)}${')'.repeat(50_000)}\n`, /too many nested parentheses/],
      ['x.f().f()… 20,000 calls long', () => `x = y${'.f()'.repeat(20_000)}\n`, /too deeply nested/],
      ['the same chain inside an f-string', () => `x = f"{y${'.f()'.repeat(20_000)}}"\n`, /too deeply nested/],
    ];
    for (const [name, source, error] of cases) {
      it(name, async () => {
        const { value: facts, ms } = await timed(() => factsOfSource(source()));
        assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);
        assert.equal(facts.syntaxErrors.length, 1);
        assert.match(facts.syntaxErrors[0]?.message ?? '', error);
        assert.equal(facts.syntaxErrors[0]?.line, 1);
      });
    }

    it('through the worker threads of a 50-file analysis too: that file\'s error, the others analyzed', () => {
      const files: Record<string, string> = { 'sum.py': `x = ${Array(300_000).fill('1').join('+')}\n` };
      for (let k = 0; k < 49; k++) files[`waits${k}.py`] = WAITS;
      const root = tempTree(files);
      try {
        const { status, stdout } = cli(['analyze', root, '--json', '--no-follow']);
        assert.equal(status, 0);
        const report = JSON.parse(stdout) as AnalysisReport;
        assert.equal(report.files.length, 50);
        const sum = report.files.find((file) => file.path.endsWith('sum.py'));
        assert.match(sum?.errors[0]?.message ?? '', /too deeply nested/);
        assert.ok(report.files.filter((file) => file !== sum).every((file) => file.functions[0]?.verdict === 'io'));
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('a long docstring or comment does not make its statement long (it cannot nest); an f-string does', () => {
      const prose = 'word '.repeat(2_000);
      assert.ok(scanLexically(`def f():\n    """${prose}"""\n    return 1\n`).longestLogicalLine < 100);
      assert.ok(scanLexically(`x = (1,  # ${prose}\n     2)\n`).longestLogicalLine < 100);
      assert.ok(scanLexically(`x = f"${prose}"\n`).longestLogicalLine > MAX_SHALLOW_STATEMENT);
    });

    it('150 nested calls plus a sum of 2,500 terms (which CPython compiles) are analyzed', async () => {
      const facts = await factsOfSource(`def f(g):\n    return ${'g('.repeat(150)}${')'.repeat(150)} + ${Array(2500).fill('1').join('+')}\n`);
      assert.deepEqual(facts.syntaxErrors, []);
      // The 150 calls, and the `+` of the outermost call's result and the first term (an operator, priced where it is numpy's).
      assert.equal(facts.functions[0]?.calls.length, 151);
    });

    it('a call chain 400 calls long (under the depth bound) is analyzed in linear time', async () => {
      const { value: facts, ms } = await timed(() => factsOfSource(`def f(y):\n    return y${'.strip()'.repeat(400)}.upper()\n`));
      assert.ok(ms < 5000, `took ${Math.round(ms)} ms`);
      assert.equal(facts.functions[0]?.calls.length, 401);
      assert.ok(facts.functions[0]?.calls.every((call) => call.callee.length <= 1000));
    });
  });

  describe('TypeScript/JavaScript nested thousands of levels deep', () => {
    const ADD = 'export function sum(items: number[]) { let t = 0; for (const x of items) for (const y of items) t += x * y; return t; }\n';

    it('10,000 nested arrays and 1,000 nested ifs are those files\' errors; the other files are analyzed', () => {
      const reports = analyzeScripts({
        'arrays.ts': `export const x = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`,
        'ifs.js': `function f(a) {\n${'if (a) {\n'.repeat(1000)}${'}\n'.repeat(1000)}}\n`,
        'sum.ts': ADD,
      });
      for (const file of ['arrays.ts', 'ifs.js']) {
        assert.deepEqual(reports.get(file)?.errors, [{ line: null, message: 'skipped: the code is nested too deeply to analyze' }], file);
      }
      assert.equal(reports.get('sum.ts')?.functions[0]?.verdict, 'cpu');
    });

    it('an open editor with 10,000 nested arrays reports it, and its next edit analyzes again', () => {
      const analyzer = new TypeScriptAnalyzer({ project: false });
      try {
        analyzer.setSource('/w/a.ts', `export const x = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`);
        assert.match(analyzer.fileReport('/w/a.ts').errors[0]?.message ?? '', /nested too deeply/);
        analyzer.setSource('/w/a.ts', ADD);
        assert.equal(analyzer.fileReport('/w/a.ts').functions[0]?.verdict, 'cpu');
      } finally {
        analyzer.dispose();
      }
    });

    it('a chain of 3,000 functions each calling the next gets verdicts', () => {
      const chain = Array.from({ length: 3000 }, (_, k) => `function f${k}() { return f${k + 1}(); }\n`).join('') + 'function f3000() { let t = 0; for (let i = 0; i < 1e8; i++) t += i; return t; }\n';
      const report = analyzeScripts({ 'chain.ts': chain }, { project: false }).get('chain.ts') as FileReport;
      assert.deepEqual(report.errors, []);
      assert.equal(report.functions.length, 3001);
      assert.equal(report.functions.find((fn) => fn.name === 'f2999')?.verdict, 'cpu');
    });
  });

  describe('a per-file time budget', () => {
    it('is a budget of work: waiting for a core on a busy machine does not spend it, up to a grace of a few budgets', () => {
      const idle = (ms: number): void => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      };
      const spinCpu = (ms: number): void => {
        const start = process.cpuUsage();
        for (;;) {
          const used = process.cpuUsage(start);
          if ((used.user + used.system) / 1000 >= ms) return;
        }
      };
      const waiting = new Deadline(60);
      idle(90);
      assert.equal(waiting.passed, false, 'past its wall time without using the CPU: not passed');
      spinCpu(70);
      assert.equal(waiting.passed, true, 'once it has also used its budget of CPU time');
      const blocked = new Deadline(20);
      idle(20 * BUSY_MACHINE_GRACE + 30);
      assert.equal(blocked.passed, true, 'waiting longer than the grace: passed all the same');
    });

    it('a file whose analysis outlasts the budget is reported as skipped; the others are analyzed', async () => {
      const big = Array.from({ length: 20_000 }, (_, k) => `def f${k}(x):\n    return sum(i * x for i in range(x))\n`).join('\n');
      const options: AnalyzerOptions = { python: null, fileBudgetMs: 50 };
      const reports = await analyzeTree({ 'big.py': big, 'waits.py': WAITS }, options);
      const skipped = reports.get('big.py') as FileReport;
      assert.deepEqual(skipped.functions, []);
      assert.equal(skipped.errors.length, 1);
      assert.match(skipped.errors[0]?.message ?? '', /^skipped: analyzing this file took longer than 0\.05 s/);
      assert.equal(reports.get('waits.py')?.functions[0]?.verdict, 'io');
    });

    it('the worker threads that parse a large tree keep the budget too', async () => {
      const files: Record<string, string> = { 'big.py': Array.from({ length: 20_000 }, (_, k) => `def f${k}(x):\n    return x\n`).join('\n') };
      for (let k = 0; k < 49; k++) files[`waits${k}.py`] = WAITS;
      const root = tempTree(files);
      const analyzer = await PythonAnalyzer.create({ python: null, fileBudgetMs: 50 });
      try {
        await analyzer.loadFiles(Object.keys(files).map((file) => path.join(root, file)), { workers: 2 });
        assert.match(analyzer.fileReport(path.join(root, 'big.py')).errors[0]?.message ?? '', /^skipped: /);
        assert.equal(analyzer.fileReport(path.join(root, 'waits0.py')).functions[0]?.verdict, 'io');
      } finally {
        analyzer.dispose();
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('a TS/JS file whose parse and extraction outlast the budget is reported as skipped; the others are analyzed', () => {
      const big = Array.from({ length: 20_000 }, (_, k) => `export function f${k}(x: number) { return x + ${k}; }`).join('\n');
      const reports = analyzeScripts({ 'big.ts': big, 'sum.ts': 'export function sum(items: number[]) { let t = 0; for (const x of items) for (const y of items) t += x * y; return t; }\n' }, { project: false, fileBudgetMs: 50 });
      assert.match(reports.get('big.ts')?.errors[0]?.message ?? '', /^skipped: analyzing this file took longer than 0\.05 s/);
      assert.equal(reports.get('sum.ts')?.functions[0]?.verdict, 'cpu');
    });

    it('an open editor whose analysis outlasts the budget reports that as its error', async () => {
      const analyzer = await PythonAnalyzer.create({ python: null, fileBudgetMs: 50 });
      const documents = new OpenDocuments(analyzer);
      try {
        const big = Array.from({ length: 20_000 }, (_, k) => `def f${k}(x):\n    return x\n`).join('\n');
        const report = documents.update('/w/big.py', big);
        assert.match(report.errors[0]?.message ?? '', /^skipped: /);
        assert.equal(documents.update('/w/small.py', WAITS).functions[0]?.verdict, 'io');
      } finally {
        documents.dispose();
        analyzer.dispose();
      }
    });
  });

  describe('what CPython reports and tree-sitter does not see', () => {
    it('CR-only line ends: no syntax errors, functions on the lines CPython counts', async () => {
      const facts = await factsOfSource('import time\r\rdef wait():\r    time.sleep(1)\r\rdef add(a, b):\r    return a + b\r');
      assert.deepEqual(facts.syntaxErrors, []);
      assert.deepEqual(facts.functions.map((fn) => `${fn.name}:${fn.line}`), ['wait:3', 'add:6']);
    });

    for (const [name, source, line, message] of [
      ['a TabError', 'def f():\n\tif x:\n\t\tpass\n        return 1\n', 4, 'TabError: inconsistent use of tabs and spaces in indentation'],
      ['an IndentationError (unindent)', 'def f():\n    if x:\n        pass\n  return 1\n', 4, 'IndentationError: unindent does not match any outer indentation level'],
      ['an unexpected indent', 'import time\n    time.sleep(1)\n', 2, 'IndentationError: unexpected indent'],
      ['a block that is not indented', 'def f():\n    # nothing yet\n\nreturn 1\n', 4, 'IndentationError: expected an indented block'],
      ['too many levels of indentation', Array.from({ length: 101 }, (_, k) => `${' '.repeat(k)}if x:\n`).join(''), 101, 'IndentationError: too many levels of indentation'],
    ] as const) {
      it(`${name} is in the file's errors, at CPython's line`, async () => {
        const facts = await factsOfSource(source);
        assert.deepEqual(facts.syntaxErrors.map((e) => `${e.line}: ${e.message}`), [`${line}: ${message}`]);
      });
    }

    it('raw ESC and BEL bytes from a source file do not reach the terminal table', async () => {
      const reports = await analyzeTree({ 'e\x1b]0;t\x07.py': 'import time\n\ndef f():\n    time.sleep(1)\n    x = \x1b[2J\x1b]0;title\x07 + 1\n' });
      const report: AnalysisReport = { interpreter: null, files: [...reports.values()] };
      assert.ok(report.files[0]?.errors.some((e) => e.message.includes('\x1b')), 'the syntax error quotes the ESC byte');
      for (const color of [false, true]) {
        const table = renderAnalysisTable(report, { color });
        assert.doesNotMatch(table.replace(/\x1b\[\d+m/g, ''), /[\x00-\x08\x0b-\x1f\x7f]/);
        assert.match(table, /syntax error near `\[2J\]`/);
        assert.match(table, /e\]0;t\.py/);
      }
    });

    it('indentation inside brackets, strings and continuations is not checked', async () => {
      const facts = await factsOfSource('def f(x):\n    y = (1,\n  2)\n    s = """\n\t  text\n"""\n    z = 1 + \\\n\t 2\n    return y\n');
      assert.deepEqual(facts.syntaxErrors, []);
    });
  });
});
