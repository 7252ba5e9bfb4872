import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { JOBS_FILE } from '../expected';
import { extension, waitFor, workspaceFile } from './helpers';

// Runs first (files load in name order): nothing has activated the extension yet (it never activates at start-up).
describe('activation', () => {
  it('the extension is present in this VS Code', () => {
    const ext = extension();
    assert.equal(ext.packageJSON.main, './dist/extension.js');
  });

  it('opening a Python file of the workspace activates it (onLanguage:python)', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile(JOBS_FILE));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'python');
    const ext = extension();
    // Activation on onLanguage may come a little after the editor opens; it must come by itself.
    await waitFor('activation on onLanguage:python', () => (ext.isActive ? true : undefined), 20_000);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.getFileReport, 'function');
  });
});
