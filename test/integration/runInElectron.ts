/**
 * Runs the same integration suite as runInCodeServer.ts in desktop VS Code, with @vscode/test-electron.
 * It downloads VS Code (into .vscode-test/), so it runs on a developer's machine or a public CI, not on the
 * closed-network machines where `npm test` uses code-server. On a Linux machine without a display, run it
 * under `xvfb-run -a`.
 *
 * Environment: VSCODE_TEST_VERSION ('stable' by default, or 'insiders', or e.g. '1.90.0' for the minimum
 * version package.json's engines.vscode allows).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyFixtureWorkspace, testPaths } from './paths';

async function main(): Promise<number> {
  const paths = testPaths();
  const runRoot = mkdtempSync(path.join(os.tmpdir(), 'concurrency-lens-electron-'));
  try {
    const workspace = copyFixtureWorkspace(paths, runRoot);
    const launchArgs = [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      path.join(runRoot, 'user-data'),
      '--extensions-dir',
      path.join(runRoot, 'extensions'),
    ];
    // Electron refuses to start as root with its sandbox on.
    if (typeof process.getuid === 'function' && process.getuid() === 0) launchArgs.push('--no-sandbox');
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: paths.repoRoot,
      extensionTestsPath: paths.suiteIndex,
      launchArgs,
    });
  } finally {
    rmSync(runRoot, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runTests rejects when VS Code exits non-zero (a failed test) or cannot be downloaded or started.
    console.error(`[electron] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
