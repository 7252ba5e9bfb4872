/**
 * First lens: how long after a file opens its first verdict lens is drawn, in a fresh window of a real VS Code
 * (code-server 4.100.3 in Debian's Chromium) on a copy of examples/, the extension loaded for development (or from
 * CONCURRENCY_LENS_VSIX). One fresh server and browser per language (cold: no cache, no analyzer started), so
 * activation is included. Prints `first lens: python 0.8 s, typescript 1.7 s` and the extension's log of each
 * window; the goals (≤ 1.0 s, ≤ 2.0 s) are reported, not asserted: on a loaded machine the numbers wander.
 *
 * Measure with `node out/test/e2e/firstLens.js` on an idle machine. Builds nothing: `npm run test:e2e` builds
 * first. CONCURRENCY_LENS_FIRST_LENS_ROUNDS (default 1) repeats each window; CONCURRENCY_LENS_FIRST_LENS_LANGUAGES
 * (`python,typescript`) picks the files; each cold window is followed by a warm one, re-opened on the same
 * user-data folder and workspace (its first lens printed apart), unless CONCURRENCY_LENS_FIRST_LENS_WARM=0.
 * Each cold window is also measured with a bare extension loaded instead of ours (test/fixtures/bare-lens-extension:
 * it activates on the language and answers with one lens at once): VS Code's own floor, printed beside our number,
 * unless CONCURRENCY_LENS_FIRST_LENS_FLOOR=0. CONCURRENCY_LENS_FIRST_LENS_AFTER_MS (default 0) is how long the user
 * waits after the window shows its files before opening one: 0 opens it at once, while the window is still starting
 * its extension host. CONCURRENCY_LENS_FIRST_LENS_MACHINE_CACHE=1 gives each cold window the code caches of the hosts'
 * bundles (the .v8 files our hosts keep in the machine's cache folder) that the cold window before it of that language
 * left, one unmeasured window priming them: a fresh window and workspace on a machine where the extension ran before.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createRunFolder, ensureCodeServer, launchChromium, runGuarded, say, startCodeServer, type Cleanup, type CodeServerInstall, type RunFolder } from '../integration/codeServer';
import { testPaths, type TestPaths } from '../integration/paths';

const LABEL = 'first-lens';
const LENSES = '.codelens-decoration a';
const QUICK_INPUT = '.quick-input-widget';
/** The extension that measures VS Code's floor: it answers with one lens as soon as it is asked. */
const BARE_EXTENSION = path.join('test', 'fixtures', 'bare-lens-extension');
/** How long the user waits after the window shows its files before opening one (ms). */
const OPEN_AFTER_MS = Number(process.env.CONCURRENCY_LENS_FIRST_LENS_AFTER_MS ?? 0);
/** Where our hosts keep their code caches, under XDG_CACHE_HOME, and how long to wait for them after the first lens (ms). */
const MACHINE_CACHE = 'concurrency-lens';
const CODE_CACHE_WAIT_MS = 10_000;
/** Each cold window starts with the code caches an earlier window left (CONCURRENCY_LENS_FIRST_LENS_MACHINE_CACHE=1). */
const MACHINE_CACHE_KEPT = process.env.CONCURRENCY_LENS_FIRST_LENS_MACHINE_CACHE === '1';
/** How long to wait after the first lens for the log to show the workspace indexed (ms). */
const LOG_WAIT_MS = 30_000;

interface Target {
  language: string;
  /** Relative to examples/. */
  file: string;
  /** Text of the file that shows its editor rendered. */
  text: string;
  goalSeconds: number;
}

const TARGETS: readonly Target[] = [
  { language: 'python', file: 'reports/generator.py', text: 'def ', goalSeconds: 1.0 },
  { language: 'typescript', file: 'node/catalog.ts', text: 'function', goalSeconds: 2.0 },
];

/** Times from the page's clock: when the first lens appeared (a MutationObserver), and when the tab opened. */
const WATCH_LENSES = `(() => {
  window.__firstLensAt = undefined;
  const seen = () => document.querySelector(${JSON.stringify(LENSES)}) !== null;
  const observer = new MutationObserver(() => {
    if (window.__firstLensAt === undefined && seen()) {
      window.__firstLensAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
})()`;

interface FirstLens {
  seconds: number;
  lens: string;
  /** Epoch ms (the page's clock, which is this machine's): the Enter that opened the file, the first lens drawn. */
  openedAt: number;
  lensAt: number;
}

async function firstLens(page: Page, target: Target): Promise<FirstLens> {
  await page.evaluate(WATCH_LENSES);
  await page.keyboard.press('Control+P');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(path.basename(target.file));
  await page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`).filter({ hasText: path.basename(target.file) }).first().waitFor({ state: 'visible', timeout: 60_000 });
  const openedAt = await page.evaluate(() => performance.now());
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').filter({ hasText: target.text }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const lens = page.locator(LENSES).first();
  await lens.waitFor({ state: 'visible', timeout: 120_000 });
  const lensAt = await page.evaluate<number | undefined>('window.__firstLensAt');
  if (lensAt === undefined) throw new Error('a lens is shown but the page did not see it appear');
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  return { seconds: (lensAt - openedAt) / 1000, lens: (await lens.innerText()).trim(), openedAt: timeOrigin + openedAt, lensAt: timeOrigin + lensAt };
}

/** Log files under the user-data folder whose names end with `suffix`. */
function logFiles(userData: string, suffix: string): string[] {
  const found: string[] = [];
  const pending = [path.join(userData, 'logs')];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) pending.push(full);
      else if (entry.endsWith(suffix)) found.push(full);
    }
  }
  return found.sort();
}

/** The extension's output channel, as the window logged it (each line with its time). */
function extensionLog(userData: string): string {
  return logFiles(userData, 'Concurrency Lens.log').map((file) => readFileSync(file, 'utf8').trimEnd()).join('\n') || '(no log of the extension found)';
}

/** A log line's time (VS Code writes local time, `2026-12-05 05:21:31.057`) as epoch ms. */
function logTime(line: string): number | undefined {
  const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) /.exec(line);
  return match ? new Date(`${match[1]}T${match[2]}`).getTime() : undefined;
}

/**
 * The start of the window as one timeline, in ms after the Enter that opened the file: the extension host's
 * activations (ours, and the others that share its thread), the extension's log, and the first lens the page drew;
 * only what was logged `since` the window's server started.
 */
function timeline(userData: string, shown: FirstLens, since: number): string {
  const activation = logFiles(userData, 'exthost.log')
    .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
    .filter((line) => line.includes('_doActivateExtension') || line.includes('Eager extensions activated'))
    .map((line) => `${line.slice(0, 23)} [exthost] ${line.includes('_doActivateExtension') ? `activating ${/_doActivateExtension (\S+),/.exec(line)?.[1] ?? '?'} (${/activationEvent: '([^']+)'/.exec(line)?.[1] ?? '?'})` : 'eager extensions activated'}`);
  // A line logged before the extension activated carries its own time (the log writes it later).
  const lines = [...activation, ...extensionLog(userData).split('\n')]
    .map((line) => {
      const ownTime = /\(at (\S+Z)\)$/.exec(line)?.[1];
      return { at: ownTime ? new Date(ownTime).getTime() : logTime(line), text: line.slice(24) };
    })
    // A re-opened window's folder holds the logs of the windows before it too.
    .filter((entry): entry is { at: number; text: string } => entry.at !== undefined && entry.at >= since);
  lines.push({ at: shown.openedAt, text: '[page] Enter: the file opens' }, { at: shown.lensAt, text: `[page] first lens drawn ("${shown.lens}")` });
  lines.sort((a, b) => a.at - b.at);
  return lines.map(({ at, text }) => `${String(Math.round(at - shown.openedAt)).padStart(6)} ms  ${text}`).join('\n');
}

/**
 * The first lens in a window on `run` (a fresh one when none: a new user-data folder, a copy of examples/), its
 * server and browser started for it. The window's editors are closed at the end, so that a window re-opened on
 * the same folder (`warm`: the extension's global storage, VS Code's and Chromium's caches kept) opens the file
 * the same way instead of restoring it. `floor`: the bare extension instead of ours, in a fresh window.
 */
async function measureInWindow(
  target: Target,
  paths: TestPaths,
  install: CodeServerInstall,
  cleanup: Cleanup,
  options: { kept?: RunFolder; floor?: boolean; codeCaches?: string } = {},
): Promise<{ seconds: number; run: RunFolder }> {
  const { kept, floor, codeCaches } = options;
  const run = kept ?? createRunFolder(LABEL, cleanup);
  // The code caches a window before this one left (see CONCURRENCY_LENS_FIRST_LENS_MACHINE_CACHE), and this one's kept for the next.
  if (codeCaches) cpSync(codeCaches, path.join(run.xdgCache, MACHINE_CACHE), { recursive: true });
  const workspace = path.join(run.root, 'examples');
  if (!kept) cpSync(path.join(paths.repoRoot, 'examples'), workspace, { recursive: true });
  const vsix = process.env.CONCURRENCY_LENS_VSIX && !floor ? path.resolve(process.env.CONCURRENCY_LENS_VSIX) : undefined;
  const started = Date.now();
  const server = await startCodeServer({ label: LABEL, install, run, cleanup, vsix: kept ? undefined : vsix });
  const browser = await launchChromium(LABEL, run, cleanup);
  const label = `${target.language}${kept ? ' (warm: re-opened)' : ''}${floor ? ' (floor: the bare extension)' : ''}`;
  try {
    const { page } = browser;
    const developed = floor ? path.join(paths.repoRoot, BARE_EXTENSION) : paths.repoRoot;
    const payload: Array<[string, string]> = vsix ? [] : [['extensionDevelopmentPath', server.remoteUri(developed)]];
    await page.goto(server.workbenchUrl(workspace, payload), { waitUntil: 'domcontentloaded' });
    await page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: 'main.py' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(OPEN_AFTER_MS);
    const shown = await firstLens(page, target);
    say(LABEL, `${label}: first lens ${shown.seconds.toFixed(2)} s after ${target.file} opened ("${shown.lens}")`);
    // The rest of the start (the analyzer, the index) in the log, to see what came before the first lens and what after.
    const logged = kept ? extensionLog(run.userData).length : 0;
    for (let waited = 0; !floor && waited < LOG_WAIT_MS && !/\bindexed\b/.test(extensionLog(run.userData).slice(logged)); waited += 500) await page.waitForTimeout(500);
    say(LABEL, `${label}: the window's start, in ms after the file opened:\n    ${timeline(run.userData, shown, started).split('\n').join('\n    ')}`);
    await closeAllEditors(page);
    if (codeCaches) await keepCodeCaches(path.join(run.xdgCache, MACHINE_CACHE), codeCaches);
    return { seconds: shown.seconds, run };
  } finally {
    await browser.stop();
    await server.stop();
  }
}

/** Replaces the code caches in `kept` with those in `written`, once there (a host writes them a few seconds after it starts). */
async function keepCodeCaches(written: string, kept: string): Promise<void> {
  const caches = (): string[] => (existsSync(written) ? readdirSync(written).filter((name) => name.endsWith('.v8')) : []);
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  for (let waited = 0; waited < CODE_CACHE_WAIT_MS && caches().length === 0; waited += 250) await pause(250);
  // A host writes its bundles' caches one after another.
  await pause(1000);
  rmSync(kept, { recursive: true, force: true });
  mkdirSync(kept);
  for (const name of caches()) cpSync(path.join(written, name), path.join(kept, name));
  say(LABEL, `code caches kept for the next window: ${caches().join(', ') || 'none'}`);
}

async function closeAllEditors(page: Page): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>View: Close All Editors');
  await page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`).filter({ hasText: 'Close All Editors' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

async function main(): Promise<void> {
  const rounds = Math.max(1, Number(process.env.CONCURRENCY_LENS_FIRST_LENS_ROUNDS ?? 1));
  const measured = new Map<string, number[]>();
  await runGuarded(
    {
      label: LABEL,
      timeoutMs: Number(process.env.CONCURRENCY_LENS_TEST_TIMEOUT_MS ?? 300_000) * rounds,
      setupTimeoutMs: 25 * 60_000,
      closingLine: () => {
        const medians = TARGETS.filter((target) => measured.has(target.language)).map((target) => {
          const seconds = median(measured.get(target.language) ?? []);
          return { target, seconds };
        });
        const warm = TARGETS.filter((target) => measured.has(`${target.language} warm`)).map((target) => `${target.language} ${median(measured.get(`${target.language} warm`) ?? []).toFixed(1)} s`);
        const floors = TARGETS.filter((target) => measured.has(`${target.language} floor`)).map((target) => `${target.language} ${median(measured.get(`${target.language} floor`) ?? []).toFixed(1)} s`);
        const line = `first lens${MACHINE_CACHE_KEPT ? " (each window with an earlier window's code caches)" : ''}: ${medians.map(({ target, seconds }) => `${target.language} ${seconds.toFixed(1)} s`).join(', ') || 'not measured'}${warm.length > 0 ? `; re-opened (warm): ${warm.join(', ')}` : ''}${floors.length > 0 ? `; VS Code's floor (an extension that answers at once): ${floors.join(', ')}` : ''}`;
        const goals = medians.map(({ target, seconds }) => `${target.language} ${seconds <= target.goalSeconds ? 'meets' : 'misses'} ≤ ${target.goalSeconds.toFixed(1)} s`);
        return `${line}${rounds > 1 ? ` (medians of ${rounds})` : ''}${goals.length > 0 ? `; goal: ${goals.join(', ')}` : ''}`;
      },
    },
    async (cleanup, restartClock) => {
      const paths = testPaths();
      const install = await ensureCodeServer(paths.repoRoot);
      restartClock();
      const languages = process.env.CONCURRENCY_LENS_FIRST_LENS_LANGUAGES?.split(',');
      const targets = TARGETS.filter((target) => !languages || languages.includes(target.language));
      const warm = process.env.CONCURRENCY_LENS_FIRST_LENS_WARM !== '0';
      const floor = process.env.CONCURRENCY_LENS_FIRST_LENS_FLOOR !== '0';
      const add = (key: string, seconds: number): void => void measured.set(key, [...(measured.get(key) ?? []), seconds]);
      const codeCaches = new Map(targets.map((target) => [target.language, MACHINE_CACHE_KEPT ? mkdtempSync(path.join(os.tmpdir(), 'cl-code-caches-')) : undefined]));
      cleanup.add('code caches', () => {
        for (const folder of codeCaches.values()) if (folder) rmSync(folder, { recursive: true, force: true });
      });
      if (MACHINE_CACHE_KEPT) {
        for (const target of targets) await measureInWindow(target, paths, install, cleanup, { codeCaches: codeCaches.get(target.language) });
      }
      for (let round = 0; round < rounds; round++) {
        for (const target of targets) {
          const cold = await measureInWindow(target, paths, install, cleanup, { codeCaches: codeCaches.get(target.language) });
          add(target.language, cold.seconds);
          if (warm) add(`${target.language} warm`, (await measureInWindow(target, paths, install, cleanup, { kept: cold.run })).seconds);
          if (floor) add(`${target.language} floor`, (await measureInWindow(target, paths, install, cleanup, { floor: true })).seconds);
        }
      }
      return 0;
    },
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

void main();
