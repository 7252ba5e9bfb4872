/**
 * `npm run bench`: the performance goals of the analyzer, measured side by side in one run.
 *  1. The whole CPython standard library: our analysis time / CPython's ast.parse time (goal <= 0.5),
 *     and our peak memory (goal < 400 MB).
 *  2. A one-line edit in a 2,000-line file: re-parse + re-verdict latency, p50/p95 over 200 edits
 *     (goal p95 <= 15 ms).
 *  3. The extension's background pass over a workspace (the stdlib as one): the verdicts of every file
 *     in 12 ms slices next to one uninterrupted loop; the longest a timer on the same thread waited.
 * Medians of several alternating runs; the machine's core count is printed with the numbers.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPythonFiles } from '../../src/core/files';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
import { OpenDocuments, type TextChange } from '../../src/core/python/documents';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EDITS = 200;
const PYTHON = process.env.BENCH_PYTHON ?? 'python3';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function json<T>(command: string, args: string[]): T {
  return JSON.parse(execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as T;
}

function stdlibBench(): { ratio: number; ours: number; ast: number; rss: number; files: number; functions: number } {
  const stdlib = execFileSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const lines = execFileSync(PYTHON, ['-c', `import os,sys\nn=0\nfor d,ds,fs in os.walk(sys.argv[1]):\n ds[:]=[x for x in ds if x not in ('site-packages','__pycache__')]\n for f in fs:\n  if f.endswith('.py'): n+=open(os.path.join(d,f),'rb').read().count(b'\\n')\nprint(n)`, stdlib], { encoding: 'utf8' }).trim();
  console.log(`stdlib: ${stdlib} (${Number(lines).toLocaleString('en')} lines)`);
  const ours: number[] = [];
  const ast: number[] = [];
  const rss: number[] = [];
  let files = 0;
  let functions = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const a = json<{ seconds: number }>(PYTHON, [path.join(__dirname, '..', '..', '..', 'test', 'bench', 'ast_parse.py'), stdlib]);
    const o = json<{ seconds: number; maxRssMB: number; files: number; functions: number }>(process.execPath, [path.join(__dirname, 'stdlibRun.js'), stdlib]);
    ast.push(a.seconds);
    ours.push(o.seconds);
    rss.push(o.maxRssMB);
    files = o.files;
    functions = o.functions;
    console.log(`  round ${round}: ours ${o.seconds.toFixed(2)} s (peak ${o.maxRssMB.toFixed(0)} MB), ast.parse ${a.seconds.toFixed(2)} s, ratio ${(o.seconds / a.seconds).toFixed(2)}`);
  }
  const ratios = ours.map((o, k) => o / (ast[k] as number));
  return { ratio: median(ratios), ours: median(ours), ast: median(ast), rss: Math.max(...rss), files, functions };
}

/** A realistic 2,000-line module: the standard library's own difflib.py is about that size. */
function twoThousandLines(): string {
  const file = execFileSync(PYTHON, ['-c', 'import difflib; print(difflib.__file__)'], { encoding: 'utf8' }).trim();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  while (lines.length < 2000) lines.push(...lines.slice(0, 2000 - lines.length));
  return lines.slice(0, 2000).join('\n');
}

async function editBench(): Promise<{ p50: number; p95: number; max: number }> {
  const analyzer = await PythonAnalyzer.create({ python: PYTHON });
  const documents = new OpenDocuments(analyzer);
  let text = twoThousandLines();
  const file = path.join(os.tmpdir(), 'bench_edit.py');
  documents.update(file, text);
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const times: number[] = [];
  let typedAt = 0;
  for (let k = 0; k < EDITS + 20; k++) {
    // Type one character at the end of a random line, then delete that same character on the next edit.
    const insert = k % 2 === 0;
    if (insert) {
      const lines = text.split('\n');
      const line = random(lines.length);
      typedAt = lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + (lines[line] as string).length;
    }
    const inserted = insert ? 'x' : '';
    const removed = insert ? 0 : 1;
    const at = typedAt;
    const before = text.slice(0, at).split('\n');
    const start = { line: before.length - 1, character: (before[before.length - 1] as string).length };
    const change: TextChange = { rangeOffset: at, rangeLength: removed, text: inserted, range: { start, end: { line: start.line, character: start.character + removed } } };
    text = text.slice(0, at) + inserted + text.slice(at + removed);
    const t0 = performance.now();
    documents.update(file, text, [change]);
    const elapsed = performance.now() - t0;
    if (k >= 20) times.push(elapsed); // the first edits warm up the JIT and the library cache
  }
  documents.dispose();
  analyzer.dispose();
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) };
}

/** The slice the extension uses (`SLICE_MS` in src/extension/analysisService.ts). */
const SLICE_MS = 12;

async function workspacePassBench(): Promise<{ plain: number; sliced: number; longestSlice: number; timerLag: number; files: number }> {
  const stdlib = execFileSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const files = findPythonFiles([stdlib]);
  const analyzer = await PythonAnalyzer.create({ python: PYTHON });
  await analyzer.loadFiles(files);
  const plain: number[] = [];
  const sliced: number[] = [];
  const longest: number[] = [];
  const lags: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    analyzer.program.generation++; // drop memoized summaries: each pass starts cold, as after an edit
    let t0 = performance.now();
    for (const file of files) analyzer.fileReport(file);
    plain.push(performance.now() - t0);

    analyzer.program.generation++;
    let lag = 0;
    let last = performance.now();
    let ticking = true;
    const tick = (): void => {
      const now = performance.now();
      lag = Math.max(lag, now - last);
      last = now;
      if (ticking) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    t0 = performance.now();
    const pass = await analyzer.reportsInSlices(files, { sliceMs: SLICE_MS, pause: () => new Promise((resolve) => setImmediate(resolve)) });
    sliced.push(performance.now() - t0);
    ticking = false;
    longest.push(pass?.longestSliceMs ?? Number.NaN);
    lags.push(lag);
  }
  analyzer.dispose();
  return { plain: median(plain), sliced: median(sliced), longestSlice: Math.max(...longest), timerLag: Math.max(...lags), files: files.length };
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus().length} cores (nproc ${os.availableParallelism()}), ${os.cpus()[0]?.model ?? '?'}, node ${process.version}`);
  const stdlib = stdlibBench();
  const edit = await editBench();
  const pass = await workspacePassBench();
  const rows = [
    ['stdlib analysis / ast.parse', `${stdlib.ratio.toFixed(2)} (ours ${stdlib.ours.toFixed(2)} s, ast ${stdlib.ast.toFixed(2)} s; ${stdlib.files} files, ${stdlib.functions} functions)`, '<= 0.5', stdlib.ratio <= 0.5],
    ['stdlib analysis peak memory', `${stdlib.rss.toFixed(0)} MB`, '< 400 MB', stdlib.rss < 400],
    ['one-line edit, 2,000 lines, p50', `${edit.p50.toFixed(1)} ms`, '', true],
    ['one-line edit, 2,000 lines, p95', `${edit.p95.toFixed(1)} ms (max ${edit.max.toFixed(1)} ms)`, '<= 15 ms', edit.p95 <= 15],
    ['workspace pass, sliced / one loop', `${(pass.sliced / pass.plain).toFixed(2)} (${(pass.sliced / 1000).toFixed(2)} s vs ${(pass.plain / 1000).toFixed(2)} s; ${pass.files} files)`, '', true],
    ['workspace pass, longest slice', `${pass.longestSlice.toFixed(1)} ms (a 1 ms timer waited at most ${pass.timerLag.toFixed(1)} ms)`, '', true],
  ] as const;
  console.log('');
  for (const [name, value, goal, met] of rows) {
    console.log(`${name.padEnd(34)} ${value.padEnd(70)} ${goal ? `goal ${goal}: ${met ? 'met' : 'NOT met'}` : ''}`);
  }
}

void main();
