import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../src/extension/runHistory';
import { acceptingTheCallBox, api, waitFor, workspaceFile } from './helpers';

/** A module with a call site of `total` in a function that walks an exported array (outside the workspace: no other test sees it). */
const SIZES_SCRIPT = `export const SIZES = [20_000_000, 30_000_000];

export function total(n: number): number {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += k;
  return sum;
}

export function main(): void {
  for (const size of SIZES) console.log(total(size));
}
`;

const SERVER_FILE = 'server.ts';

/** Runs last (files run in name order): until here no TS/JS document was opened. */
describe('TypeScript/JavaScript in the editor', () => {
  it('a workspace that has only had Python documents open has not started the TS/JS analyzer (ts-morph)', async () => {
    const lens = await api();
    assert.deepEqual(lens.analyzers(), ['python']);
  });

  it('opening a .ts file starts it: verdict lenses for every function, and its findings as diagnostics', async () => {
    const lens = await api();
    const uri = workspaceFile(SERVER_FILE);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const titles = await waitFor(
      'four verdict lenses',
      async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        const verdicts = lenses.flatMap((lens) => (lens.command?.command === 'concurrencyLens.showEvidence' ? [lens.command.title] : []));
        return verdicts.length === 4 ? verdicts : undefined;
      },
      60_000,
    );
    assert.deepEqual(lens.analyzers(), ['python', 'typescript']);
    // A predicted speedup follows the advice once the TS/JS engine predicts one; a verdict judged at the break-even of an
    // assumed size (fib of an n the code does not tell) says its low confidence.
    const predicted = '( ≈\\d+\\.\\d× on \\d+ cores?)?( · low confidence \\(\\d+%\\))?';
    const expected = ['\\$\\(flame\\) CPU-bound · use worker_threads', '\\$\\(sync\\) async I/O · use async', '\\$\\(cloud-download\\) I/O-bound · use async'];
    titles.slice(0, 3).forEach((title, index) => assert.match(title, new RegExp(`^${expected[index] ?? ''}${predicted}$`)));
    assert.equal(titles[3], '$(dash) too small to parallelize');
    const report = await lens.getFileReport(uri);
    assert.equal(report.language, 'typescript');
    const diagnostics = await waitFor('the CL101 diagnostic', () => {
      const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Concurrency Lens');
      return ours.length > 0 ? ours : undefined;
    });
    assert.deepEqual(
      diagnostics.map((d) => `${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}@${d.range.start.line + 1}`),
      ['CL101@13'],
    );
  });

  it('the lens row offers worker_threads and child_process runs; Compare runs the function for real in Node', async () => {
    const uri = workspaceFile(SERVER_FILE);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const fibLine = lenses.find((lens) => lens.command?.title.includes('worker_threads'))?.range.start.line;
    const row = lenses.filter((lens) => lens.range.start.line === fibLine).map((lens) => lens.command?.title);
    assert.match(row[0] ?? '', /^\$\(flame\) CPU-bound · use worker_threads/);
    assert.deepEqual(row.slice(1), ['Run in worker_threads', 'Run in child_process', 'Compare', 'Edit Call…']);
    const run = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.compare', uri, 'fib', { call: 'fib(22 + (i % 3))', tasks: 4, workers: [2] });
    assert.ok(run, 'the run completed');
    assert.deepEqual(run.runs.map((r) => `${r.mode}x${r.workers}`), ['sequentialx1', 'worker_threadsx2', 'child_processx2']);
    assert.ok(run.runs.every((r) => r.error === null && r.wallSeconds > 0), JSON.stringify(run.runs));
    assert.equal(run.interpreter?.runtime, 'node');
    assert.deepEqual(run.staticVerdict, { verdict: 'cpu', recommendation: 'worker_threads' });
  });

  it('Compare pre-fills the call from a call site, a for-of over an exported array as an index of i', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-calls-ts-'));
    const script = vscode.Uri.file(path.join(folder, 'sizes.ts'));
    fs.writeFileSync(script.fsPath, SIZES_SCRIPT);
    await vscode.window.showTextDocument(script);
    const run = await acceptingTheCallBox(vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.compare', script, 'total', { tasks: 2, workers: [2] }));
    assert.ok(run, 'the run completed');
    assert.equal(run.target.call, 'total(SIZES[i % SIZES.length])');
    assert.ok(run.runs.every((r) => r.error === null), JSON.stringify(run.runs));
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
