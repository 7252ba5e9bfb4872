/**
 * What a session costs that the previous ones make cheaper, and what libraries cost as they are reached:
 *  - the whole standard library as a workspace with a cache folder: the first (cold) pass, then a re-open
 *    of the unchanged workspace (warm), each in its own process (goal: warm <= 0.1x cold);
 *  - the share of sympy's lines parsed for a one-file workspace calling sympy.integrate, and one calling
 *    integrate and solve, through Debian's interpreter (goal < 5 %).
 *
 *     npm run compile-tests && node out/test/bench/reach.js
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
import type { StdlibRun } from './stdlibRun';

const PYTHON = process.env.BENCH_PYTHON ?? 'python3';
const DEBIAN_PYTHON = '/usr/bin/python3';

function pythonLines(files: Iterable<string>): number {
  let lines = 0;
  for (const file of files) lines += fs.readFileSync(file, 'utf8').split('\n').length - 1;
  return lines;
}

function pythonFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const pending = [folder];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) pending.push(full);
      else if (item.name.endsWith('.py')) found.push(full);
    }
  }
  return found;
}

/** The stdlib analyzed twice on one fresh cache folder: cold, then re-opened unchanged. */
export function stdlibReopenBench(): { cold: StdlibRun; warm: StdlibRun } {
  const stdlib = execFileSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-cache-'));
  const run = (): StdlibRun => JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'stdlibRun.js'), stdlib, cache], { encoding: 'utf8' })) as StdlibRun;
  try {
    const cold = run();
    const warm = run();
    return { cold, warm };
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

const SYMPY_WORKSPACES: Record<string, string> = {
  integrate: "import sympy\n\ndef integrate_all(exprs):\n    x = sympy.Symbol('x')\n    return [sympy.integrate(e, x) for e in exprs]\n",
  'integrate and solve': "import sympy\nfrom sympy import symbols, solve\n\ndef integrate_all(exprs):\n    x = symbols('x')\n    return [sympy.integrate(e, x) for e in exprs]\n\ndef solve_all(eqs):\n    x = symbols('x')\n    return [solve(e, x) for e in eqs]\n",
};

export interface ReachRun {
  parsed: number;
  total: number;
  share: number;
  ms: number;
  /** The verdict of each function of the workspace file. */
  verdicts: Record<string, string>;
}

/** The folder of a package Debian's interpreter imports, or null when it cannot import it. */
export function packageFolder(name: string): string | null {
  try {
    return execFileSync(DEBIAN_PYTHON, ['-c', `import os, ${name}; print(os.path.dirname(${name}.__file__))`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** How much of the package at `packageRoot` the analyzer parses to report a one-file workspace of `source` (through Debian's interpreter). */
export async function shareParsed(source: string, packageRoot: string): Promise<ReachRun> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-reach-'));
  const file = path.join(folder, 'work.py');
  fs.writeFileSync(file, source);
  const analyzer = await PythonAnalyzer.create({ python: DEBIAN_PYTHON });
  try {
    const t0 = performance.now();
    await analyzer.loadFiles([file]);
    const report = analyzer.fileReport(file);
    const ms = performance.now() - t0;
    const parsed = pythonLines(analyzer.program.libraryFilesRead().filter((read) => read.startsWith(`${packageRoot}${path.sep}`)));
    const total = pythonLines(pythonFilesUnder(packageRoot));
    return { parsed, total, share: parsed / total, ms, verdicts: Object.fromEntries(report.functions.map((fn) => [fn.qualname, fn.verdict])) };
  } finally {
    analyzer.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export async function reachBench(): Promise<void> {
  const sympy = packageFolder('sympy');
  if (sympy) {
    for (const [workspace, source] of Object.entries(SYMPY_WORKSPACES)) {
      const { parsed, total, share, ms } = await shareParsed(source, sympy);
      console.log(`sympy (${workspace}): ${parsed.toLocaleString('en')} of ${total.toLocaleString('en')} lines parsed (${(100 * share).toFixed(1)} %) in ${(ms / 1000).toFixed(1)} s; goal < 5 %: ${share < 0.05 ? 'met' : 'NOT met'}`);
    }
  } else {
    console.log(`sympy: not measured (${DEBIAN_PYTHON} cannot import sympy)`);
  }
  const { cold, warm } = stdlibReopenBench();
  const ratio = warm.seconds / cold.seconds;
  console.log(`stdlib with a cache: cold ${cold.seconds.toFixed(2)} s (peak ${cold.maxRssMB.toFixed(0)} MB), warm re-open ${warm.seconds.toFixed(2)} s (peak ${warm.maxRssMB.toFixed(0)} MB), ratio ${ratio.toFixed(3)} (${warm.functions} functions); goal <= 0.1: ${ratio <= 0.1 ? 'met' : 'NOT met'}`);
}

if (require.main === module) void reachBench();
