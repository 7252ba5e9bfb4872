import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';

describe('calls into other modules of the workspace', () => {
  it('follows imports into modules that are not open (the workspace index)', async () => {
    const lens = await api();
    await lens.whenIndexed();
    const report = await lens.getFileReport(workspaceFile('pipeline.py'));
    const verdicts = Object.fromEntries(report.functions.map((fn) => [fn.name, fn.verdict]));
    assert.deepEqual(verdicts, { download_all: 'io', prime_table: 'cpu' });
    const evidence = report.functions.find((fn) => fn.name === 'download_all')?.evidence[0]?.reason ?? '';
    assert.match(evidence, /calls fetch, which waits on I\/O/);
  });

  it('re-decides when a module it calls changes on disk', async () => {
    const lens = await api();
    await lens.whenIndexed();
    const pipeline = workspaceFile('pipeline.py');
    const helper = workspaceFile('slowmath.py');
    const original = await vscode.workspace.fs.readFile(pipeline);
    fs.writeFileSync(helper.fsPath, 'import time\n\ndef work(n):\n    time.sleep(n)\n');
    await vscode.workspace.fs.writeFile(pipeline, Buffer.from('from slowmath import work\n\ndef job(n):\n    return work(n)\n'));
    try {
      const verdict = await waitFor('job to be io', async () => {
        const fn = (await lens.getFileReport(pipeline)).functions.find((f) => f.name === 'job');
        return fn?.verdict === 'io' ? fn.verdict : undefined;
      });
      assert.equal(verdict, 'io');
      fs.writeFileSync(helper.fsPath, 'def work(n):\n    return sum(i * i for i in range(n))\n');
      await waitFor('job to become cpu after slowmath.py changed on disk', async () => {
        const fn = (await lens.getFileReport(pipeline)).functions.find((f) => f.name === 'job');
        return fn?.verdict === 'cpu' ? fn.verdict : undefined;
      });
    } finally {
      fs.rmSync(helper.fsPath, { force: true });
      await vscode.workspace.fs.writeFile(pipeline, original);
    }
  });
});
