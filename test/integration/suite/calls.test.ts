import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { JOBS_FILE } from '../expected';
import type { RunRecord } from '../../../src/extension/runHistory';
import { acceptingTheCallBox, api, extension, workspaceFile } from './helpers';

/** A module with a call site of `total` in a loop over a module-level list (outside the workspace: no other test sees it). */
const SIZES_MODULE = `SIZES = [2_000_000, 3_000_000]


def total(n):
    return sum(range(n))


if __name__ == "__main__":
    for size in SIZES:
        print(total(size))
`;

describe('calls worth timing (what a benchmark runs per task)', function () {
  this.timeout(120_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-calls-'));
  const uri = vscode.Uri.file(path.join(folder, 'sizes.py'));
  before(() => fs.writeFileSync(uri.fsPath, SIZES_MODULE));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('Compare pre-fills the call from a call site, its loop variable as an index of i, and remembers it', async () => {
    const run = await acceptingTheCallBox(vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.compare', uri, 'total', { tasks: 2, workers: [2] }));
    assert.ok(run, 'the run completed');
    assert.equal(run.target.call, 'total(SIZES[i % len(SIZES)])');
    assert.ok(run.runs.every((r) => r.error === null), JSON.stringify(run.runs));
  });

  it('Edit Call changes the remembered call: the next Compare runs it without asking; from the Runs view it re-runs that run', async () => {
    const edited = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.editCall', uri, 'total', { call: 'total(100_000 + i)', tasks: 2, workers: [2] });
    assert.equal(edited?.target.call, 'total(100_000 + i)');
    const again = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.compare', uri, 'total', { tasks: 2, workers: [2] });
    assert.equal(again?.target.call, 'total(100_000 + i)', 'remembered, not asked for again');

    const threads = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.runInThreads', uri, 'total', { tasks: 2, workers: [2] });
    assert.ok(threads);
    const rerun = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.editCall', { run: threads }, undefined, { call: 'total(50_000 + i)', tasks: 2, workers: [2] });
    assert.equal(rerun?.target.call, 'total(50_000 + i)');
    assert.deepEqual(rerun?.runs.map((r) => r.mode), ['sequential', 'threads'], 'the same kind of run as the one edited');
    assert.equal((await api()).runs.list()[0]?.id, rerun?.id);
  });

  it('lenses: Edit Call… beside Compare; no pool runs on a function too small to parallelize, Compare still', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile(JOBS_FILE));
    const row = (qualname: string): Array<string | undefined> =>
      lenses.filter((lens) => lens.command?.command !== 'concurrencyLens.showEvidence' && lens.command?.arguments?.[1] === qualname).map((lens) => lens.command?.title);
    assert.deepEqual(row('count_primes'), ['Run in threads', 'Run in processes', 'Compare', 'Edit Call…']);
    assert.deepEqual(row('add'), ['Compare', 'Edit Call…']);
  });

  it('Benchmark Function at Cursor is offered in TS/JS editors too', () => {
    const palette = (extension().packageJSON as { contributes: { menus: { commandPalette: Array<{ command: string; when: string }> } } }).contributes.menus.commandPalette;
    const when = palette.find((entry) => entry.command === 'concurrencyLens.benchmarkAtCursor')?.when ?? '';
    const pattern = /^editorLangId =~ \/(.*)\/$/.exec(when)?.[1];
    assert.ok(pattern, `a language pattern: ${when}`);
    for (const language of ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact']) assert.match(language, new RegExp(pattern));
  });
});
