import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConcurrencyLensApi } from '../../../src/extension/extension';
import { api, waitFor, workspaceFile } from './helpers';

/** FIFOs and /dev/zero: POSIX only. */
const describePosix = process.platform === 'win32' ? describe.skip : describe;

/** The workspace reports of files with this name. */
function reportsNamed(lens: ConcurrencyLensApi, name: string): string[] {
  return lens.workspace.reports().map((report) => report.path).filter((file) => path.basename(file) === name);
}

/**
 * Writes a Python file after the hostile ones and waits until a workspace pass reports it: the file
 * watcher's events are handled in order, so by then the analysis host has seen the hostile files too
 * (and had it blocked on one, the pass would never come).
 */
async function writeMarkerAndWait(lens: ConcurrencyLensApi, name: string): Promise<void> {
  fs.writeFileSync(workspaceFile(name).fsPath, 'def marker(n):\n    return sum(i * i for i in range(n))\n');
  await waitFor(`${name} in the workspace reports (the analysis host still answers)`, () => (reportsNamed(lens, name).length > 0 ? true : undefined), 20_000);
}

/** Removes files from the workspace and waits until the marker left the reports, so later suites see the fixture as it was. */
async function removeAndWait(lens: ConcurrencyLensApi, names: readonly string[], marker: string): Promise<void> {
  for (const name of names) fs.rmSync(workspaceFile(name).fsPath, { force: true });
  await waitFor(`${marker} gone from the workspace reports`, () => (reportsNamed(lens, marker).length === 0 ? true : undefined), 20_000);
}

/** Files that appear in the open workspace the way a checkout of a hostile branch makes them. */
describePosix('special files and symlinks appearing in the open workspace', function () {
  this.timeout(60_000);

  it('a FIFO named x.py is not read: the analysis host goes on (it blocked forever)', async () => {
    const lens = await api();
    await lens.workspace.whenAnalyzed();
    execFileSync('mkfifo', [workspaceFile('x.py').fsPath]);
    try {
      await writeMarkerAndWait(lens, 'after_fifo.py');
      assert.deepEqual(reportsNamed(lens, 'x.py'), []);
    } finally {
      await removeAndWait(lens, ['x.py', 'after_fifo.py'], 'after_fifo.py');
    }
  });

  it('a symlink to /dev/zero named zz.py is not read: the extension host keeps its memory (it grew by GBs)', async () => {
    const lens = await api();
    await lens.workspace.whenAnalyzed();
    const rssBefore = process.memoryUsage().rss;
    fs.symlinkSync('/dev/zero', workspaceFile('zz.py').fsPath);
    try {
      await writeMarkerAndWait(lens, 'after_zero.py');
      assert.deepEqual(reportsNamed(lens, 'zz.py'), []);
      const grewMB = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
      assert.ok(grewMB < 300, `the extension host grew by ${grewMB.toFixed(0)} MB`);
    } finally {
      await removeAndWait(lens, ['zz.py', 'after_zero.py'], 'after_zero.py');
    }
  });

  it('symlinks follow the CLI rule: one leading outside the workspace is not analyzed, one inside stands for its real file', async () => {
    const lens = await api();
    await lens.workspace.whenAnalyzed();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'clens-outside-'));
    fs.writeFileSync(path.join(outside, 'elsewhere.py'), 'import time\n\ndef wait():\n    time.sleep(1)\n');
    fs.symlinkSync(path.join(outside, 'elsewhere.py'), workspaceFile('outside_link.py').fsPath);
    fs.symlinkSync('jobs.py', workspaceFile('inside_link.py').fsPath);
    const check = (when: string): void => {
      assert.deepEqual(reportsNamed(lens, 'outside_link.py'), [], `${when}: the symlink leading outside`);
      assert.deepEqual(reportsNamed(lens, 'elsewhere.py'), [], when);
      assert.deepEqual(reportsNamed(lens, 'inside_link.py'), [], `${when}: the symlink inside is jobs.py`);
      assert.deepEqual(reportsNamed(lens, 'jobs.py'), [workspaceFile('jobs.py').fsPath], when);
    };
    try {
      // The file watcher's events, then the workspace listing (vscode.workspace.findFiles follows every symlink).
      await writeMarkerAndWait(lens, 'after_links.py');
      check('after the watcher');
      await lens.workspace.refresh();
      check('after re-analyzing the workspace');
    } finally {
      await removeAndWait(lens, ['outside_link.py', 'inside_link.py', 'after_links.py'], 'after_links.py');
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
