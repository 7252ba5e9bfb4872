import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { PythonAnalyzer, type AnalyzerOptions } from '../../src/core/python/analyzer';
import type { HarnessEvent } from '../../src/core/bench/events';
import type { FileReport, FunctionReport } from '../../src/core/model';

/** The heap in use after a full collection (bytes). */
export function liveHeap(): number {
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Writes `files` (relative path -> source) into a fresh temporary folder and returns its path. */
export function tempTree(files: Record<string, string | Uint8Array>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clens-test-'));
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(root, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

/** Analyzes a tree of files; returns the report of each file by relative path. */
export async function analyzeTree(
  files: Record<string, string>,
  options: AnalyzerOptions = { python: null },
): Promise<Map<string, FileReport>> {
  const root = tempTree(files);
  const analyzer = await PythonAnalyzer.create(options);
  try {
    const paths = Object.keys(files).map((relative) => path.join(root, relative));
    await analyzer.loadFiles(paths, { workers: 1 });
    return new Map(Object.keys(files).map((relative) => [relative, analyzer.fileReport(path.join(root, relative))]));
  } finally {
    analyzer.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Analyzes one module and returns its functions by qualname. */
export async function analyzeModule(source: string, options?: AnalyzerOptions): Promise<Map<string, FunctionReport>> {
  const reports = await analyzeTree({ 'module.py': source }, options);
  const report = reports.get('module.py') as FileReport;
  return new Map(report.functions.map((fn) => [fn.qualname, fn]));
}

export function fn(functions: Map<string, FunctionReport>, qualname: string): FunctionReport {
  const found = functions.get(qualname);
  if (!found) throw new Error(`no function ${qualname}; have ${[...functions.keys()].join(', ')}`);
  return found;
}

/** python3 is on the machines this project supports; the suite uses it for library following. */
export const PYTHON = process.env.CONCURRENCY_LENS_TEST_PYTHON ?? 'python3';

/** Debian's interpreter: the third-party libraries the unit tier reads and runs are installed for it (there is no PyPI here). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** The Python analysis host's worker as compiled for the tests. */
export const PYTHON_HOST = path.join(__dirname, '..', '..', 'src', 'core', 'python', 'analysisHost.js');

/** Fails, with the command that installs them, when Debian's interpreter cannot import `modules`: never a silent skip. */
export function requireDebianModules(modules: readonly string[]): void {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`${DEBIAN_PYTHON} cannot import ${modules.join(', ')}: install the Debian packages with \`node scripts/ensure-python-libraries.mjs\` (as root) (${(probe.stderr || String(probe.error)).trim()})`);
  }
}

/** The repository's root (the tests run compiled, from out/test/unit). */
export const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');

/** Builds this repository's sources with a copy of scripts/build.mjs (which writes beside itself) into a temporary folder; returns its dist/. */
export function buildCopy(): string {
  const build = fs.mkdtempSync(path.join(os.tmpdir(), 'clens-build-'));
  fs.mkdirSync(path.join(build, 'scripts'));
  fs.copyFileSync(path.join(REPO, 'scripts', 'build.mjs'), path.join(build, 'scripts', 'build.mjs'));
  fs.symlinkSync(path.join(REPO, 'src'), path.join(build, 'src'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(build, 'node_modules'));
  execFileSync(process.execPath, [path.join(build, 'scripts', 'build.mjs')], { cwd: build, stdio: 'pipe' });
  return path.join(build, 'dist');
}

/**
 * Runs the compiled CLI (in the repository, without colour). A `bench` that names no workspace does
 * not store its result: the repository is no test's workspace.
 */
export function cli(args: string[], cwd = REPO): { status: number | null; stdout: string; stderr: string } {
  const storeless = args[0] === 'bench' && !args.includes('--workspace') ? ['--no-store'] : [];
  // The tests never read or fill the user's cache; the tests of the cache name their own folder.
  const cacheless = (args[0] === 'analyze' || args[0] === 'report') && !args.includes('--cache-dir') ? ['--no-cache'] : [];
  const result = spawnSync(process.execPath, [CLI, ...args, ...storeless, ...cacheless], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Pids a harness reported: itself (hello) and its worker processes. */
export function pidsOf(events: readonly HarnessEvent[]): number[] {
  return events.flatMap((event) => (event.type === 'hello' || event.type === 'worker' ? [event.pid] : []));
}

/** Live processes whose command line mentions `text` (zombies have none), from /proc; none elsewhere. */
export function processesMentioning(text: string): string[] {
  if (process.platform !== 'linux') return [];
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (command.includes(text) && Number(pid) !== process.pid) found.push(`${pid}: ${command}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Whether a process of this pid exists (a zombie counts until it is reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Expected calibration error of the confidences: verdicts binned by confidence (tenths), each bin's
 * |share right - mean confidence| weighted by its size. 0: of the verdicts given confidence c, a share c is right.
 */
export function expectedCalibrationError(outcomes: ReadonlyArray<{ confidence: number; right: boolean }>): number {
  const bins = confidenceBins(outcomes);
  let error = 0;
  for (const { count, right, confidence } of bins) error += Math.abs(right / count - confidence / count) * count;
  return outcomes.length === 0 ? 0 : error / outcomes.length;
}

/** Outcomes binned by tenths of confidence, as the expected calibration error bins them: count, right and summed confidence per bin. */
export function confidenceBins(outcomes: ReadonlyArray<{ confidence: number; right: boolean }>): Array<{ count: number; right: number; confidence: number }> {
  const bins = new Map<number, { count: number; right: number; confidence: number }>();
  for (const { confidence, right } of outcomes) {
    const bin = Math.min(9, Math.floor(confidence * 10));
    const entry = bins.get(bin) ?? { count: 0, right: 0, confidence: 0 };
    entry.count++;
    entry.right += right ? 1 : 0;
    entry.confidence += confidence;
    bins.set(bin, entry);
  }
  return [...bins.values()];
}
