import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { JOBS_FILE } from '../expected';
import { api, extension, workspaceFile } from './helpers';

/** The command ids package.json declares under contributes.commands. */
function declaredCommands(): string[] {
  const manifest: unknown = extension().packageJSON;
  const commands = (manifest as { contributes?: { commands?: unknown } }).contributes?.commands;
  assert.ok(Array.isArray(commands), 'package.json has contributes.commands');
  return commands.map((entry: unknown) => {
    const id = (entry as { command?: unknown }).command;
    assert.equal(typeof id, 'string', `a contributes.commands entry without a command id: ${JSON.stringify(entry)}`);
    return id as string;
  });
}

describe('commands', () => {
  before(async () => {
    await api();
  });

  it('registers concurrencyLens.analyzeActiveFile', async () => {
    const registered = await vscode.commands.getCommands(true);
    assert.ok(registered.includes('concurrencyLens.analyzeActiveFile'));
  });

  it('registers every command declared in package.json', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared = declaredCommands();
    assert.ok(declared.length > 0);
    assert.deepEqual(
      declared.filter((id) => !registered.has(id)),
      [],
      'declared in package.json but not registered',
    );
  });

  it('Analyze Active File opens a quick pick that settles when dismissed', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(JOBS_FILE)));
    let settled = false;
    const pending = Promise.resolve(vscode.commands.executeCommand('concurrencyLens.analyzeActiveFile')).finally(() => (settled = true));
    // The quick pick opens once the report is ready; keep closing until the command returns.
    const deadline = Date.now() + 10_000;
    while (!settled && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
    assert.equal(settled, true, 'the command returned after its quick pick was closed');
    await pending;
  });
});
