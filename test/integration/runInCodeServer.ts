/**
 * Runs the integration suite (out/test/integration/suite) inside a real VS Code: code-server 4.100.3 driven by
 * Debian's Chromium, the test-electron way (extensionDevelopmentPath + extensionTestsPath, passed in the
 * workbench URL's `payload`). The same suite runs on desktop VS Code through runInElectron.ts.
 *
 * Builds nothing: `npm run test:integration` builds and compiles first.
 * Environment: CONCURRENCY_LENS_TEST_TIMEOUT_MS (default 300000, counted after code-server is ensured),
 * CONCURRENCY_LENS_KEEP_RUN=1 keeps the run folder, CONCURRENCY_LENS_CACHE moves the code-server cache.
 */
import path from 'node:path';
import {
  createRunFolder,
  ensureCodeServer,
  exposeAutomation,
  launchChromium,
  reportOnFailure,
  resultsFolder,
  runGuarded,
  say,
  startCodeServer,
} from './codeServer';
import { copyFixtureWorkspace, testPaths } from './paths';

const LABEL = 'integration';
const SUMMARY = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;

async function main(): Promise<void> {
  let summary: string | undefined;
  const timeoutMs = Number(process.env.CONCURRENCY_LENS_TEST_TIMEOUT_MS ?? 300_000);

  await runGuarded(
    {
      label: LABEL,
      timeoutMs,
      setupTimeoutMs: 25 * 60_000,
      closingLine: (exitCode) => {
        if (summary) return summary;
        say(LABEL, `the suite reported no summary (exit code ${exitCode})`);
        return '0 passed, 1 failed';
      },
    },
    async (cleanup, restartClock) => {
      const started = Date.now();
      const paths = testPaths();
      const install = await ensureCodeServer(paths.repoRoot);
      restartClock(); // The timeout is for the tests, not for a first install.
      const run = createRunFolder(LABEL, cleanup);
      const workspace = copyFixtureWorkspace(paths, run.root);
      const server = await startCodeServer({ label: LABEL, install, run, cleanup });
      const browser = await launchChromium(LABEL, run, cleanup);
      reportOnFailure(LABEL, cleanup, browser, server, path.join(resultsFolder(paths.resultsDir, 'integration'), 'failure.png'));

      let resolveExit: (code: number) => void = () => undefined;
      const exited = new Promise<number>((resolve) => (resolveExit = resolve));
      let summaryArrived: () => void = () => undefined;
      const summarySeen = new Promise<void>((resolve) => (summaryArrived = resolve));
      await exposeAutomation(browser.page, {
        onLog: (_type, text) => {
          for (const line of text.split('\n')) {
            process.stdout.write(`${line}\n`);
            if (SUMMARY.test(line.trim())) {
              summary = line.trim();
              summaryArrived();
            }
          }
        },
        onExit: (code) => resolveExit(code),
      });

      const url = server.workbenchUrl(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(paths.repoRoot)],
        ['extensionTestsPath', server.remoteUri(paths.suiteIndex)],
      ]);
      say(LABEL, `opening the workbench on ${workspace}`);
      await browser.page.goto(url, { waitUntil: 'domcontentloaded' });
      const code = await exited;
      // The last log lines travel separately from the exit call: give them a moment.
      await Promise.race([summarySeen, new Promise((resolve) => setTimeout(resolve, 3000))]);
      say(LABEL, `suite finished with exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (code === 0 && !summary) return 1;
      const match = summary ? SUMMARY.exec(summary) : null;
      return code === 0 && match && match[2] === '0' ? 0 : code || 1;
    },
  );
}

void main();
