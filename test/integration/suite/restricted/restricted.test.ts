import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../../src/extension/runHistory';
import { Commands } from '../../../../src/extension/constants';
import { HOSTILE_APP, HOSTILE_APP_EXPECTED, markersLeft } from '../../hostileWorkspace';
import { api, waitFor, workspaceFile } from '../helpers';

describe('Restricted Mode: an untrusted folder whose files shadow the modules an interpreter imports', () => {
  const folder = (): string => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? assert.fail('no workspace folder is open');

  it('the folder is open untrusted, and the extension host runs in it (as after `code .` in a terminal)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(process.cwd(), folder());
  });

  it('the analysis works: the interpreter is known, app.py gets its verdicts', async () => {
    const lens = await api();
    const uri = workspaceFile(HOSTILE_APP);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const functions = await waitFor('the verdicts of app.py', async () => {
      const found = (await lens.getFileReport(uri)).functions.map((fn) => `${fn.qualname}:${fn.verdict}`);
      return found.length === HOSTILE_APP_EXPECTED.length ? found : undefined;
    }, 20_000);
    assert.deepEqual(functions, HOSTILE_APP_EXPECTED);
    // The first report may come from the file alone, before the interpreter answered (the open file first).
    await lens.whenIndexed();
    assert.ok(lens.workspace.interpreter, 'the interpreter was asked for its sys.path and GIL state');
  });

  it('nothing of the folder ran: neither its json.py, sysconfig.py, os.py, site.py nor the workspace-level pythonPath', () => {
    assert.deepEqual(markersLeft(folder()), []);
  });

  it('the lenses offer no run actions', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile(HOSTILE_APP));
    const commands = lenses.map((lens) => lens.command?.command);
    assert.ok(commands.includes(Commands.showEvidence), `a verdict lens: ${commands.join(', ')}`);
    for (const run of [Commands.runInThreads, Commands.runInProcesses, Commands.compare]) assert.ok(!commands.includes(run), `${run} offered`);
  });

  it('the benchmark commands refuse, and app.py is never imported', async () => {
    const uri = workspaceFile(HOSTILE_APP);
    for (const command of [Commands.compare, Commands.runInThreads, Commands.runInProcesses]) {
      const run = await vscode.commands.executeCommand<RunRecord | undefined>(command, uri, 'crunch', { call: 'crunch(10)', tasks: 1, workers: [1] });
      assert.equal(run, undefined, `${command} ran`);
    }
    assert.equal((await api()).benchmarkRunning(), undefined);
    assert.deepEqual(markersLeft(folder()), []);
  });
});
