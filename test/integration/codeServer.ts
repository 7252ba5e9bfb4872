/**
 * Starting and stopping a real VS Code (code-server 4.100.3 = VS Code 1.100.3) and Debian's Chromium, for
 * the integration runner (runInCodeServer.ts) and the end-to-end smoke (test/e2e/smoke.ts). Plain Node; see
 * shared/REAL-VSCODE.md for why each flag and setting is here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps dialing out of this closed network. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** User settings that keep the workbench quiet and predictable for automation. */
const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'files.hotExit': 'off',
  // Tests edit fixture files and revert them; code-server (unlike desktop VS Code) saves after 1 s by default.
  'files.autoSave': 'off',
  'chat.commandCenter.enabled': false,
};

export function say(label: string, message: string): void {
  process.stdout.write(`[${label}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Processes

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [state, ppid, pgid] = fields;
    if (state === undefined || ppid === undefined || pgid === undefined) return undefined;
    return { pid, state, ppid: Number(ppid), pgid: Number(pgid) };
  } catch {
    return undefined; // Gone meanwhile, or not Linux.
  }
}

function allProcesses(): ProcInfo[] {
  if (!existsSync('/proc')) return [];
  const list: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info) list.push(info);
  }
  return list;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Live (not zombie) processes of a process group. */
export function processesInGroup(pgid: number): number[] {
  return allProcesses()
    .filter((p) => p.pgid === pgid && p.state !== 'Z')
    .map((p) => p.pid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
}

/** Stops a whole process group: SIGTERM, a grace period, then SIGKILL. Returns the pids still alive. */
export async function stopProcessGroup(pgid: number, graceMs = 5000): Promise<number[]> {
  if (processesInGroup(pgid).length === 0) return [];
  signalGroup(pgid, 'SIGTERM');
  if (await waitUntil(() => processesInGroup(pgid).length === 0, graceMs)) return [];
  signalGroup(pgid, 'SIGKILL');
  await waitUntil(() => processesInGroup(pgid).length === 0, 3000);
  return processesInGroup(pgid);
}

// ---------------------------------------------------------------------------------------------------------
// Cleanup, signals, overall timeout

type CleanupStep = (exitCode: number) => Promise<void> | void;

/** Cleanup steps run last-added first, each bounded in time; process groups are also killed on a hard exit. */
export class Cleanup {
  private readonly steps: { label: string; run: CleanupStep }[] = [];
  private readonly groups = new Set<number>();

  constructor(private readonly label: string) {
    // The last resort, when something calls process.exit() before the steps ran: no group outlives us.
    process.on('exit', () => {
      for (const pgid of this.groups) signalGroup(pgid, 'SIGKILL');
    });
  }

  add(label: string, run: CleanupStep): void {
    this.steps.push({ label, run });
  }

  trackGroup(pgid: number): void {
    this.groups.add(pgid);
  }

  forgetGroup(pgid: number): void {
    this.groups.delete(pgid);
  }

  async runAll(exitCode: number): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop();
      if (!step) break;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(() => step.run(exitCode)),
          new Promise<void>((_, reject) => {
            timer = setTimeout(() => reject(new Error('did not finish within 20 s')), 20_000);
          }),
        ]);
      } catch (error) {
        say(this.label, `cleanup "${step.label}" failed: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

export interface GuardedRun {
  label: string;
  /** The tests' time, counted from `restartClock()` (called once code-server is installed). */
  timeoutMs: number;
  /** The time until `restartClock()`: ensuring code-server (a first install takes a minute or more). */
  setupTimeoutMs: number;
  /** Printed after cleanup as the very last line: the `N passed, N failed` summary. */
  closingLine: (exitCode: number) => string;
}

/**
 * Runs `body` with an overall timeout and SIGINT/SIGTERM/SIGHUP handling; whatever happens, the cleanup steps
 * run, the closing line is printed, and the process exits with the body's code (1 on error or timeout).
 */
export async function runGuarded(
  options: GuardedRun,
  body: (cleanup: Cleanup, restartClock: () => void) => Promise<number>,
): Promise<void> {
  const cleanup = new Cleanup(options.label);
  let finishing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const finish = (code: number, reason?: string): Promise<void> => {
    finishing ??= (async () => {
      clearTimeout(timer);
      if (reason) say(options.label, reason);
      await cleanup.runAll(code);
      process.stdout.write(`${options.closingLine(code)}\n`);
      process.exit(code);
    })();
    return finishing;
  };
  const startClock = (ms: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => void finish(1, `error: ${what} timed out after ${Math.round(ms / 1000)} s`), ms);
  };
  const restartClock = () => startClock(options.timeoutMs, 'the run');
  startClock(options.setupTimeoutMs, 'ensuring code-server');
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    // `on`, not `once`: a second Ctrl+C during cleanup must not kill us before the servers are stopped.
    process.on(signal, () => void finish(code, `interrupted by ${signal}; cleaning up`));
  }
  try {
    const code = await body(cleanup, restartClock);
    await finish(code);
  } catch (error) {
    await finish(1, `error: ${(error as Error).stack ?? String(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The run folder

export interface RunFolder {
  root: string;
  userData: string;
  extensions: string;
  /** HOME (Chromium's), TMPDIR, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME for code-server and Chromium. */
  home: string;
  tmp: string;
  xdgConfig: string;
  xdgData: string;
  xdgCache: string;
  chromiumProfile: string;
  logs: string;
}

/** A fresh folder for one run; removed at the end when the run passed (kept for a look when it failed). */
export function createRunFolder(label: string, cleanup: Cleanup): RunFolder {
  // Short: code-server puts a Unix socket (108 bytes at most for its path) in TMPDIR.
  const root = mkdtempSync(path.join(os.tmpdir(), `cl-${label}-`));
  const sub = (name: string) => {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const run: RunFolder = {
    root,
    userData: sub('user-data'),
    extensions: sub('extensions'),
    home: sub('home'),
    tmp: sub('tmp'),
    xdgConfig: sub('xdg/config'),
    xdgData: sub('xdg/data'),
    xdgCache: sub('xdg/cache'),
    chromiumProfile: sub('chromium-profile'),
    logs: sub('logs'),
  };
  cleanup.add('remove the run folder', (exitCode) => {
    // Kept after a failure (logs, user data); an interrupted run (exit code 128 + signal) has nothing to show.
    const failed = exitCode !== 0 && exitCode < 128;
    if (!failed && !process.env.CONCURRENCY_LENS_KEEP_RUN) rmSync(root, { recursive: true, force: true });
    else say(label, `run folder kept for inspection: ${root}`);
  });
  return run;
}

/** Keeps what code-server and Chromium write (configs, caches, IPC sockets) inside the run folder. */
function runEnv(run: RunFolder): Record<string, string> {
  return { TMPDIR: run.tmp, XDG_CONFIG_HOME: run.xdgConfig, XDG_DATA_HOME: run.xdgData, XDG_CACHE_HOME: run.xdgCache };
}

// ---------------------------------------------------------------------------------------------------------
// code-server

export interface CodeServerInstall {
  version: string;
  dir: string;
  entry: string;
}

/** Runs scripts/ensure-code-server.mjs (installs offline on first use, a no-op afterwards). */
export async function ensureCodeServer(repoRoot: string): Promise<CodeServerInstall> {
  const script = path.join(repoRoot, 'scripts', 'ensure-code-server.mjs');
  const child = spawn(process.execPath, [script, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit ?? 1));
  });
  if (code !== 0) throw new Error(`scripts/ensure-code-server.mjs failed (exit ${code}); see its message above`);
  const last = stdout.trim().split('\n').pop() ?? '';
  const parsed: unknown = JSON.parse(last);
  const { version, dir, entry } = (parsed ?? {}) as Partial<Record<keyof CodeServerInstall, unknown>>;
  if (typeof version !== 'string' || typeof dir !== 'string' || typeof entry !== 'string') {
    throw new Error(`unexpected output of ensure-code-server.mjs: ${last}`);
  }
  return { version, dir, entry };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServer {
  port: number;
  pid: number;
  origin: string;
  logFile: string;
  /** The URI under which the workbench sees a file of this machine (for the `payload` parameter). */
  remoteUri(fsPath: string): string;
  /** The workbench URL opening `folder`, with test-electron style parameters in `payload`. */
  workbenchUrl(folder: string, payload?: ReadonlyArray<readonly [string, string]>): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  label: string;
  install: CodeServerInstall;
  run: RunFolder;
  cleanup: Cleanup;
  /** A packaged extension to install first (instead of, or besides, a development path in the payload). */
  vsix?: string;
  /** Workspace trust on: a folder opened for the first time is untrusted (Restricted Mode). Default: off. */
  workspaceTrust?: boolean;
  /** Where the server starts; its extension host inherits it (as after `cd repo && code .`). Default: the run folder. */
  cwd?: string;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { label, install, run, cleanup } = options;
  const port = await freePort();
  const config = path.join(run.root, 'config.yaml');
  writeFileSync(
    config,
    [
      `bind-addr: 127.0.0.1:${port}`,
      'auth: none',
      'cert: false',
      'disable-telemetry: true',
      'disable-update-check: true',
      ...(options.workspaceTrust ? [] : ['disable-workspace-trust: true']),
      '',
    ].join('\n'),
  );
  // With trust on, no startup dialog asks: the folder simply stays untrusted.
  const settings = options.workspaceTrust
    ? { ...USER_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
    : USER_SETTINGS;
  mkdirSync(path.join(run.userData, 'User'), { recursive: true });
  writeFileSync(path.join(run.userData, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  const baseArgs = ['--config', config, '--user-data-dir', run.userData, '--extensions-dir', run.extensions];
  // An empty gallery: no marketplace look-ups (this network is closed, and a test must not depend on one).
  const env = { ...process.env, ...runEnv(run), EXTENSIONS_GALLERY: '{}' };

  if (options.vsix) {
    say(label, `installing ${options.vsix}`);
    const result = spawnSync(process.execPath, [install.entry, ...baseArgs, '--install-extension', options.vsix], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0) {
      throw new Error(`code-server --install-extension ${options.vsix} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
    }
  }

  const logFile = path.join(run.logs, 'code-server.log');
  const logFd = openSync(logFile, 'a');
  const started = Date.now();
  // detached: its own session and process group (setsid), so one kill reaches the file watcher and the
  // extension host it forks.
  const child = spawn(process.execPath, [install.entry, ...baseArgs, '--ignore-last-opened'], {
    env,
    cwd: options.cwd ?? run.root,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) {
    throw await new Promise<Error>((resolve) => child.once('error', (error) => resolve(new Error(`cannot start code-server: ${error.message}`))));
  }
  cleanup.trackGroup(pid);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ?? String(code)));

  const origin = `http://127.0.0.1:${port}`;
  // Once: a runner may stop it early, before the cleanup step does.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const left = await stopProcessGroup(pid);
      if (left.length > 0) throw new Error(`code-server processes still alive after SIGKILL: ${left.join(', ')}`);
      cleanup.forgetGroup(pid);
      say(label, `code-server stopped (process group ${pid})`);
    })());
  cleanup.add('stop code-server', stop);

  const healthy = await waitUntilAsync(async () => {
    if (exited !== undefined) return true;
    try {
      return (await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
    } catch {
      return false;
    }
  }, 60_000);
  if (exited !== undefined || !healthy) {
    throw new Error(
      `code-server ${exited !== undefined ? `exited (${exited})` : 'did not answer /healthz within 60 s'}; its log:\n${tail(logFile)}`,
    );
  }
  say(label, `code-server ${install.version} up on ${origin} in ${Date.now() - started} ms (process group ${pid})`);

  return {
    port,
    pid,
    origin,
    logFile,
    remoteUri: (fsPath) => `vscode-remote://127.0.0.1:${port}${encodeURI(path.resolve(fsPath))}`,
    workbenchUrl: (folder, payload = []) => {
      const query = new URLSearchParams({ folder: path.resolve(folder) });
      if (payload.length > 0) query.set('payload', JSON.stringify(payload));
      return `${origin}/?${query.toString()}`;
    },
    stop,
  };
}

async function waitUntilAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
}

/** The last lines of a log file, for an error message. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(cannot read ${file})`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Chromium

export interface ChromiumSession {
  context: BrowserContext;
  page: Page;
  /** Appends the page's console and errors to logs/page.log (not to stdout: the workbench is chatty). */
  pageLog: string;
  stop(): Promise<void>;
}

export async function launchChromium(label: string, run: RunFolder, cleanup: Cleanup): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`node scripts/ensure-code-server.mjs\` (it installs Debian's chromium)`);
  }
  const context = await chromium.launchPersistentContext(run.chromiumProfile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: run.home, ...runEnv(run) },
    viewport: { width: 1440, height: 900 },
    // Our own handlers stop code-server too; Playwright's would exit before that.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // Playwright starts the browser detached (its own process group): find that group to be able to kill it
  // even when the browser no longer answers.
  const browser = allProcesses().find((p) => p.ppid === process.pid && commandLine(p.pid).includes(run.chromiumProfile));
  if (browser) cleanup.trackGroup(browser.pgid);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.race([context.close().catch(() => undefined), sleep(10_000)]);
      if (browser) {
        const left = await stopProcessGroup(browser.pgid, 2000);
        if (left.length > 0) throw new Error(`Chromium processes still alive after SIGKILL: ${left.join(', ')}`);
        cleanup.forgetGroup(browser.pgid);
      }
      say(label, 'Chromium closed');
    })());
  cleanup.add('close Chromium', stop);

  const page = context.pages()[0] ?? (await context.newPage());
  const pageLog = path.join(run.logs, 'page.log');
  const append = (line: string) => writeFileSync(pageLog, `${line}\n`, { flag: 'a' });
  page.on('console', (message) => append(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => append(`[pageerror] ${error.stack ?? error.message}`));
  return { context, page, pageLog, stop };
}

// ---------------------------------------------------------------------------------------------------------
// The workbench's automation hooks

/** Formats console arguments the way a console would: printf-style, `%c` styles dropped. */
export function formatConsoleArgs(args: readonly unknown[]): string {
  const [first, ...rest] = args;
  if (typeof first !== 'string') return args.map((a) => (typeof a === 'string' ? a : format('%o', a))).join(' ');
  const queue = [...rest];
  const text = first.replace(/%[csdifoOj%]/g, (spec) => {
    if (spec === '%%') return '%';
    if (queue.length === 0) return spec;
    const value = queue.shift();
    return spec === '%c' ? '' : format(spec, value);
  });
  return [text, ...queue.map((a) => (typeof a === 'string' ? a : format('%o', a)))].join(' ');
}

export interface AutomationHooks {
  /** A line of the extension host's console (mocha's output among them). */
  onLog(type: string, text: string): void;
  /** The suite's end: the exit code the workbench reports. */
  onExit(code: number): void;
}

/** Must run before the page navigates: the workbench looks the functions up when it starts. */
export async function exposeAutomation(page: Page, hooks: AutomationHooks): Promise<void> {
  await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
    hooks.onLog(typeof type === 'string' ? type : 'log', formatConsoleArgs(Array.isArray(args) ? (args as unknown[]) : [args]));
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    hooks.onExit(typeof code === 'number' && Number.isInteger(code) ? code : 1);
  });
}

/**
 * On a failed run (a failed test, an error, the overall timeout; not an interrupt), before Chromium closes:
 * a screenshot of what the page showed, and the tails of the page's and code-server's logs.
 */
export function reportOnFailure(label: string, cleanup: Cleanup, session: ChromiumSession, server: CodeServer, screenshot: string): void {
  cleanup.add('report the failure', async (exitCode) => {
    if (exitCode === 0 || exitCode >= 128) return;
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await session.page.screenshot({ path: screenshot, timeout: 10_000 }).then(
      () => say(label, `screenshot of the failure: ${screenshot}`),
      (error: Error) => say(label, `no screenshot: ${error.message}`),
    );
    say(label, `--- page console (tail) ---\n${tail(session.pageLog)}\n--- code-server log (tail) ---\n${tail(server.logFile)}`);
  });
}

/** Where screenshots and logs of the runs go (gitignored). */
export function resultsFolder(resultsDir: string, name: string): string {
  const dir = path.join(resultsDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
