import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { functionSourceHash, recordMeasured } from '../../../src/core/measuredStore';
import type { RunRecord } from '../../../src/extension/runHistory';
import { JOBS_FILE } from '../expected';
import { api, waitFor, workspaceFile } from './helpers';

/** The measured lens of the function whose `def` is on 1-based `line`, once one is there. */
async function measuredLens(uri: vscode.Uri, line: number, pattern: RegExp): Promise<string> {
  return waitFor(`a lens matching ${pattern} on line ${line}`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = lenses.filter((lens) => lens.range.start.line === line - 1).map((lens) => lens.command?.title ?? '');
    return titles.find((title) => pattern.test(title));
  }, 20_000);
}

describe('measured results in the editor (.concurrency-lens/)', function () {
  this.timeout(120_000);
  const uri = workspaceFile(JOBS_FILE);
  const root = path.dirname(uri.fsPath);

  after(async () => {
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('concurrencyLens.clearMeasured');
  });

  it('a Compare stores its result: the lens, the hover and the Functions view show it beside the static verdict', async () => {
    const lens = await api();
    const run = await vscode.commands.executeCommand<RunRecord | undefined>('concurrencyLens.compare', uri, 'count_primes', { call: 'count_primes(30_000 + i)', tasks: 4, workers: [2] });
    assert.ok(run && run.stopped === undefined, 'the run completed');
    assert.ok(fs.readFileSync(path.join(root, '.concurrency-lens', '.gitignore'), 'utf8').split('\n').includes('*'));

    const countPrimes = (await lens.getFileReport(uri)).functions.find((fn) => fn.qualname === 'count_primes');
    assert.ok(countPrimes);
    const expected = run.recommendation === null
      ? /^measured: inconclusive$/
      : run.recommendation === 'processes'
        ? /^measured: processes \d+\.\d× ✓$/
        : new RegExp(`^measured: ${run.recommendation}( \\d+\\.\\d×)? — static said processes$`);
    const title = await measuredLens(uri, countPrimes.line, expected);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(countPrimes.line - 1, 6));
    // The hover's Markdown escapes text: spaces as &nbsp;, punctuation with a backslash.
    const hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.ok(hover.includes(title), `the hover says "${title}": ${hover}`);

    const functions = lens.views.functions;
    const groups = (await functions.getChildren()) ?? [];
    const items = (await Promise.all(groups.map(async (group) => (await functions.getChildren(group)) ?? []))).flat();
    const item = (await Promise.all(items.map((element) => functions.getTreeItem(element)))).find((i) => i.label === 'count_primes');
    assert.ok(String(item?.description).includes(title), `the Functions view says "${title}": ${String(item?.description)}`);

    // An edit of the function (unsaved) marks the result as measured on older code; undoing it does not.
    // (The run's panel may have taken the editor's place: the edit goes through the document.)
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(countPrimes.line, 0), '    # tuned\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await measuredLens(uri, countPrimes.line, /^measured \(older code\): /);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await measuredLens(uri, countPrimes.line, expected);
  });

  it('a result the CLI stores shows up (the file is watched), an inconclusive one as such; Clear Measured Results removes them', async () => {
    const lens = await api();
    const document = await vscode.workspace.openTextDocument(uri);
    const add = (await lens.getFileReport(uri)).functions.find((fn) => fn.qualname === 'add');
    assert.ok(add);
    // What `concurrency-lens bench jobs.py:add ...` writes from a terminal, in another process.
    recordMeasured(root, {
      file: JOBS_FILE,
      qualname: 'add',
      sourceHash: functionSourceHash(document.getText(), add.line, add.endLine),
      interpreter: 'python 3.11.7 /usr/bin/python3',
      recommendation: null,
      speedup: null,
      inconclusive: 'other programs kept the cores busy',
      at: new Date().toISOString(),
    });
    await measuredLens(uri, add.line, /^measured: inconclusive$/);

    await vscode.commands.executeCommand('concurrencyLens.clearMeasured');
    assert.equal(fs.existsSync(path.join(root, '.concurrency-lens')), false);
    await waitFor('no measured lens left', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return lenses.some((l) => l.command?.title.startsWith('measured')) ? undefined : true;
    });
  });
});
