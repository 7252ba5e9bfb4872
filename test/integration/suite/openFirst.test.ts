import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';

/** How long the interpreter below takes to start: far longer than a first answer needs. */
const INTERPRETER_DELAY_S = 8;

/** The lens title of `name` in the document (its verdict lens: the one that shows the evidence). */
async function verdictLens(uri: vscode.Uri, line: number): Promise<string | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.find((lens) => lens.range.start.line === line && lens.command?.command === 'concurrencyLens.showEvidence')?.command?.title;
}

describe('the open file first', () => {
  it("answers the open file from its own text before the interpreter starts and the workspace is indexed, then refines its lenses in place", async function () {
    this.timeout(90_000);
    const lens = await api();
    await lens.whenIndexed();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-slow-python-'));
    // An interpreter that answers late (a cold virtual environment on a slow disk): it leaves a mark when it starts answering.
    const answered = path.join(folder, 'answered');
    const python = path.join(folder, 'slow-python');
    fs.writeFileSync(python, `#!/bin/sh\nsleep ${INTERPRETER_DELAY_S}\ntouch '${answered}'\nexec python3 "$@"\n`, { mode: 0o755 });
    const doc = await vscode.workspace.openTextDocument(workspaceFile('pipeline.py'));
    await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((text) => text.startsWith('def download_all('));
    // Indexed: download_all calls fetch of jobs.py, which waits on I/O.
    assert.match((await verdictLens(doc.uri, line)) ?? '', /I\/O-bound/);
    const settings = vscode.workspace.getConfiguration('concurrencyLens');
    try {
      // A new interpreter: the analysis starts again, from the open file.
      await settings.update('pythonPath', python, vscode.ConfigurationTarget.Global);
      // The restart has begun once the workspace's reports are gone (until it is indexed again).
      await waitFor('the analysis to start again', () => (lens.workspace.reports().length === 0 ? true : undefined));
      const first = await lens.getFileReport(doc.uri);
      assert.equal(fs.existsSync(answered), false, 'the first report waited for the interpreter');
      assert.ok(first.functions.some((fn) => fn.qualname === 'download_all'), 'download_all is in the first report');
      const firstLens = await waitFor('a lens of download_all before the interpreter answers', () => verdictLens(doc.uri, line));
      assert.equal(fs.existsSync(answered), false, `the first lens ("${firstLens}") waited for the interpreter`);
      assert.equal(lens.workspace.reports().length, 0, 'the first lens waited for the workspace index');
      // Whether it says I/O-bound already depends on whether jobs.py (the callee) is open in an editor too:
      // the first answers come from the open documents' texts. Once indexed with the interpreter, it does.
      await waitFor('the workspace indexed with the new interpreter', () => (fs.existsSync(answered) && lens.workspace.reports().length > 0 ? true : undefined), 60_000);
      await waitFor('download_all to be I/O-bound once jobs.py is indexed', async () => {
        const title = await verdictLens(doc.uri, line);
        return title && /I\/O-bound/.test(title) ? title : undefined;
      }, 30_000);
    } finally {
      await settings.update('pythonPath', undefined, vscode.ConfigurationTarget.Global);
      // The analysis starts again with the usual interpreter: the next tests find it indexed.
      await waitFor('download_all to be I/O-bound again', async () => {
        const title = await verdictLens(doc.uri, line);
        return title && /I\/O-bound/.test(title) ? title : undefined;
      }, 60_000);
      await lens.whenIndexed();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
