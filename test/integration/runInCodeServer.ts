/**
 * Runs the integration suite (out/test/integration/suite) inside a real VS Code: code-server 4.100.3 driven by
 * Debian's Chromium, the test-electron way (extensionDevelopmentPath + extensionTestsPath, passed in the
 * workbench URL's `payload`). The same suite runs on desktop VS Code through runInElectron.ts.
 * Then the Restricted Mode suite (suite/restricted): a second code-server with workspace trust on, started
 * in an untrusted folder made by hostileWorkspace.ts. The last line sums both.
 *
 * Builds nothing: `npm run test:integration` builds and compiles first.
 * Environment: CONCURRENCY_LENS_TEST_TIMEOUT_MS (default 300000, counted after code-server is ensured),
 * CONCURRENCY_LENS_KEEP_RUN=1 keeps the run folders, CONCURRENCY_LENS_CACHE moves the code-server cache.
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
  type Cleanup,
  type CodeServerInstall,
} from './codeServer';
import { createHostileWorkspace } from './hostileWorkspace';
import { copyFixtureWorkspace, testPaths, type TestPaths } from './paths';

const LABEL = 'integration';
const SUMMARY = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;

/** One suite in its own code-server. */
interface Suite {
  label: string;
  suiteIndex: string;
  /** Makes the folder to open, inside the run folder. */
  workspace: (runRoot: string) => string;
  /** Workspace trust on, the folder untrusted, and the server (so the extension host) started in it. */
  restricted: boolean;
}

interface SuiteResult {
  code: number;
  counts: [passed: number, failed: number, skipped: number] | undefined;
}

async function runSuite(suite: Suite, paths: TestPaths, install: CodeServerInstall, cleanup: Cleanup): Promise<SuiteResult> {
  const { label } = suite;
  const run = createRunFolder(label, cleanup);
  const workspace = suite.workspace(run.root);
  const server = await startCodeServer({
    label,
    install,
    run,
    cleanup,
    ...(suite.restricted && { workspaceTrust: true, cwd: workspace }),
  });
  const browser = await launchChromium(label, run, cleanup);
  reportOnFailure(label, cleanup, browser, server, path.join(resultsFolder(paths.resultsDir, label), 'failure.png'));

  let summary: string | undefined;
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
    ['extensionTestsPath', server.remoteUri(suite.suiteIndex)],
  ]);
  const started = Date.now();
  say(label, `opening the workbench on ${workspace}${suite.restricted ? ' (workspace trust on, the folder untrusted)' : ''}`);
  await browser.page.goto(url, { waitUntil: 'domcontentloaded' });
  const exitCode = await exited;
  // The last log lines travel separately from the exit call: give them a moment.
  await Promise.race([summarySeen, new Promise((resolve) => setTimeout(resolve, 3000))]);
  say(label, `suite finished with exit code ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const match = summary ? SUMMARY.exec(summary) : null;
  const counts = match ? ([Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] as SuiteResult['counts']) : undefined;
  const code = exitCode === 0 && counts && counts[1] === 0 ? 0 : exitCode || 1;
  // A passed suite frees its ~1 GB now; a failed one stays up for the failure report at the end.
  if (code === 0) {
    await browser.stop();
    await server.stop();
  }
  return { code, counts };
}

async function main(): Promise<void> {
  const results: SuiteResult[] = [];
  const timeoutMs = Number(process.env.CONCURRENCY_LENS_TEST_TIMEOUT_MS ?? 300_000);

  await runGuarded(
    {
      label: LABEL,
      timeoutMs,
      setupTimeoutMs: 25 * 60_000,
      closingLine: (exitCode) => {
        if (results.length === 0 || results.some((result) => !result.counts)) {
          say(LABEL, `a suite reported no summary (exit code ${exitCode})`);
          return '0 passed, 1 failed';
        }
        const [passed, failed, skipped] = results.reduce<[number, number, number]>(
          (sum, { counts }) => [sum[0] + (counts?.[0] ?? 0), sum[1] + (counts?.[1] ?? 0), sum[2] + (counts?.[2] ?? 0)],
          [0, 0, 0],
        );
        return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
      },
    },
    async (cleanup, restartClock) => {
      const paths = testPaths();
      const install = await ensureCodeServer(paths.repoRoot);
      restartClock(); // The timeout is for the tests, not for a first install.
      const suites: Suite[] = [
        { label: LABEL, suiteIndex: paths.suiteIndex, workspace: (root) => copyFixtureWorkspace(paths, root), restricted: false },
        { label: 'restricted', suiteIndex: paths.restrictedSuiteIndex, workspace: createHostileWorkspace, restricted: true },
      ];
      for (const suite of suites) results.push(await runSuite(suite, paths, install, cleanup));
      return results.every((result) => result.code === 0) ? 0 : (results.find((result) => result.code !== 0)?.code ?? 1);
    },
  );
}

void main();
