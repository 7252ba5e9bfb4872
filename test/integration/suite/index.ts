/**
 * The mocha entry VS Code loads as `extensionTestsPath` (desktop through @vscode/test-electron, web through
 * code-server): runs the `*.test.js` files beside it and settles with the result. Its last line is the
 * summary `N passed, N failed` that the runners and CI read. The Restricted Mode suite (restricted/) has
 * its own entry over the same function.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}

/** Runs the `*.test.js` files of `folder` (not of its subfolders), in name order. */
export function runSuiteIn(folder: string): Promise<void> {
  // CONCURRENCY_LENS_TEST_GREP: only the tests whose titles match (a quicker loop while working on one).
  const grep = process.env.CONCURRENCY_LENS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec', ...(grep && { grep }) });
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(folder, file));
  }
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    try {
      const runner = mocha.run(() => {
        console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
        if (failed > 0) reject(new Error(`${failed} integration test(s) failed`));
        else if (passed === 0) reject(new Error('no integration test ran'));
        else resolve();
      });
      runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
      // Also counts failed hooks, which mocha reports through the same event.
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
      runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => skipped++);
    } catch (error) {
      console.log('0 passed, 1 failed');
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
