import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FunctionReport } from '../../../src/core/model';
import { JOBS_EXPECTED as EXPECTED, JOBS_FILE } from '../expected';
import { api, waitFor, workspaceFile } from './helpers';

const NEW_FUNCTION = ['', '', 'def crunch(n):', '    total = 0', '    for i in range(n):', '        total += i * i % 7', '    return total', ''].join('\n');

function byName(functions: readonly FunctionReport[], name: string): FunctionReport | undefined {
  return functions.find((fn) => fn.name === name);
}

describe('getFileReport on the fixture workspace', () => {
  const uri = workspaceFile(JOBS_FILE);

  it('gives each function of jobs.py its verdict and recommendation', async () => {
    const report = await (await api()).getFileReport(uri);
    assert.equal(report.language, 'python');
    assert.deepEqual(report.errors, []);
    assert.deepEqual(
      report.functions.map((fn) => ({ name: fn.name, verdict: fn.verdict, recommendation: fn.recommendation })),
      EXPECTED,
    );
  });

  it('reports where each function is, with evidence and a confidence', async () => {
    const report = await (await api()).getFileReport(uri);
    const lines = (await vscode.workspace.openTextDocument(uri)).getText().split('\n');
    for (const fn of report.functions) {
      const defLine = lines.findIndex((line) => new RegExp(`^(async )?def ${fn.name}\\(`).test(line)) + 1;
      assert.equal(fn.line, defLine, `${fn.name} is defined on line ${defLine}`);
      assert.ok(fn.confidence > 0 && fn.confidence <= 1, `${fn.name}: confidence ${fn.confidence}`);
      if (fn.verdict !== 'trivial') assert.ok(fn.evidence.length > 0, `${fn.name} has evidence`);
    }
  });

  it('reflects an edit made through a WorkspaceEdit in the next report', async () => {
    const lens = await api();
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, doc.lineAt(doc.lineCount - 1).range.end, NEW_FUNCTION);
      assert.equal(await vscode.workspace.applyEdit(edit), true, 'the edit applies');
      assert.ok(doc.getText().includes('def crunch('), 'the document has the new function');
      // The service re-analyzes on the change event; allow it the time of one incremental parse.
      const crunch = await waitFor('crunch in the report', async () => byName((await lens.getFileReport(uri)).functions, 'crunch'), 5000);
      assert.equal(crunch.verdict, 'cpu');
      assert.equal(crunch.recommendation, 'processes');
      assert.equal(crunch.line, doc.getText().split('\n').indexOf('def crunch(n):') + 1);
      assert.equal(byName((await lens.getFileReport(uri)).functions, 'count_primes')?.verdict, 'cpu', 'the other verdicts stay');
    } finally {
      // Back to the file as committed (the workspace is a copy, but later tests expect the original).
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    const reverted = await waitFor('the report without crunch', async () => {
      const report = await lens.getFileReport(uri);
      return byName(report.functions, 'crunch') ? undefined : report;
    }, 5000);
    assert.equal(reverted.functions.length, EXPECTED.length);
  });
});
