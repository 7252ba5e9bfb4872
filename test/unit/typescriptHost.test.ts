import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport } from '../../src/core/model';
import { AnalysisHostClient } from '../../src/core/host/client';
import type { HostEvent } from '../../src/core/host/protocol';
import { tempTree } from './helpers';

/** Nested loops over `n`: CPU work at any size the cost model may assume (a single short loop is not). */
const WORK = 'export function crunch(n: number): number {\n  let total = 0;\n  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += (i * j) % 7;\n  return total;\n}\n';
const CALLER = "import { crunch } from './work';\n\nexport function run(n: number): number {\n  return crunch(n);\n}\n";
const MISTAKE = "const fs = require('node:fs');\n\nasync function load(file) {\n  return fs.readFileSync(file, 'utf8');\n}\nmodule.exports = { load };\n";
/** The compiled host (this file runs from out/test/unit). */
const HOST = path.join(__dirname, '..', '..', 'src', 'core', 'typescript', 'typescriptHost.js');

async function pass(host: AnalysisHostClient): Promise<Map<string, FileReport>> {
  const sent = new Map<string, FileReport>();
  const summary = await host.call({ kind: 'pass' }, (event: HostEvent) => {
    if (event.kind === 'reports') for (const report of event.reports) sent.set(path.basename(report.path), report);
  });
  assert.ok(summary, 'the pass completed');
  return sent;
}

describe('the TypeScript/JavaScript analysis host (a worker thread)', function () {
  this.timeout(60_000);
  let root: string;
  let host: AnalysisHostClient;
  const file = (name: string): string => path.join(root, name);
  /** Indexes the tree once, for whichever test runs first (each may run alone with --grep); the progress it reported. */
  let indexing: Promise<number[]> | undefined;
  const indexed = (): Promise<number[]> =>
    (indexing ??= (async () => {
      const progress: number[] = [];
      await host.call({ kind: 'index', files: ['work.ts', 'caller.ts', 'mistake.js'].map(file) }, (event) => {
        if (event.kind === 'progress') progress.push(event.done);
      });
      return progress;
    })());

  before(async () => {
    root = tempTree({ 'work.ts': WORK, 'caller.ts': CALLER, 'mistake.js': MISTAKE });
    host = await AnalysisHostClient.start({ python: null, followLibraries: false }, HOST);
  });

  after(async () => {
    await host.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts without an interpreter, indexes with progress, and a pass sends every report once, then only changes', async () => {
    assert.equal(host.interpreter, null);
    assert.deepEqual(await indexed(), [1, 2, 3]);
    const first = await pass(host);
    assert.deepEqual([...first.keys()].sort(), ['caller.ts', 'mistake.js', 'work.ts']);
    assert.equal(first.get('caller.ts')?.functions[0]?.verdict, 'cpu', 'calls into another module are followed');
    assert.equal(first.get('caller.ts')?.language, 'typescript');
    assert.equal(first.get('mistake.js')?.language, 'javascript');
    assert.deepEqual(first.get('mistake.js')?.findings.map((f) => `${f.rule}@${f.line}`), ['CL101@4']);
    assert.equal((await pass(host)).size, 0, 'nothing changed: nothing sent');
  });

  it('an open document wins over the disk edit by edit, its dependents follow on the next pass, closing goes back to disk', async () => {
    await indexed();
    const text = WORK.replace('  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += (i * j) % 7;\n', "  await fetch('https://example.com/' + n);\n").replace('export function', 'export async function');
    const report = await host.call({ kind: 'update', file: file('work.ts'), text });
    assert.equal(report.functions[0]?.verdict, 'async-io');
    // Another edit (the host re-parses from the previous tree; `changes` may be left out).
    const edited = text.replace("'https://example.com/'", "'https://example.org/'");
    const again = await host.call({ kind: 'update', file: file('work.ts'), text: edited });
    assert.deepEqual(again, await host.call({ kind: 'report', file: file('work.ts') }));
    const sent = await pass(host);
    assert.equal(sent.get('caller.ts')?.functions[0]?.verdict, 'async-io', 'the caller is re-decided');
    const closed = await host.call({ kind: 'close', file: file('work.ts') });
    assert.equal(closed?.functions[0]?.verdict, 'cpu', 'closing goes back to the file on disk');
  });

  it('answers quick fixes with null and library revalidation with false; loads, removes and forgets files', async () => {
    assert.equal(await host.call({ kind: 'quickFix', text: MISTAKE, finding: { line: 4 } }), null);
    assert.equal(await host.call({ kind: 'revalidateLibraries' }), false);
    fs.writeFileSync(file('later.ts'), "export const twice = (n: number): number => n * 2;\n");
    await host.call({ kind: 'load', files: [file('later.ts')] });
    assert.equal((await pass(host)).get('later.ts')?.functions[0]?.verdict, 'trivial');
    await host.call({ kind: 'remove', file: file('later.ts') });
    const untitled = file('scratch.ts');
    await host.call({ kind: 'update', file: untitled, text: 'export function f() { return 1; }\n' });
    assert.equal(await host.call({ kind: 'close', file: untitled }), null, 'a document not in the index is forgotten when closed');
  });

  it('answers an edit while a pass runs, and a newer pass cancels the one running', async () => {
    await indexed();
    const many: Record<string, string> = {};
    for (let k = 0; k < 300; k++) many[`m${k}.ts`] = `import { crunch } from './work';\nexport function f${k}(ns: number[]) { return ns.map((n) => crunch(n)); }\n`;
    const extra = tempTree(many);
    try {
      fs.copyFileSync(file('work.ts'), path.join(extra, 'work.ts'));
      await host.call({ kind: 'index', files: [...Object.keys(many), 'work.ts'].map((name) => path.join(extra, name)) });
      const first = host.call({ kind: 'pass' });
      const edit = host.call({ kind: 'update', file: file('caller.ts'), text: CALLER.replace('crunch(n)', 'crunch(n + 1)') });
      const second = host.call({ kind: 'pass' });
      assert.equal((await edit).functions[0]?.verdict, 'cpu');
      assert.equal(await first, null, 'the first pass was cancelled');
      const summary = await second;
      assert.ok(summary && summary.files >= 300);
    } finally {
      fs.rmSync(extra, { recursive: true, force: true });
    }
  });
});
