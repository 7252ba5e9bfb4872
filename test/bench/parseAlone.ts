/**
 * Tree-sitter parsing alone (read, decode, parse, free the tree: no extraction) of every Python file
 * under a folder, on as many worker threads as the analyzer uses, against CPython's `ast.parse` of the
 * same files (ast_parse.py), runs alternating. What the analysis cannot beat with the parser it must use.
 *
 *     npm run compile-tests && node out/test/bench/parseAlone.js [ROOT] [RUNS] [WORKERS]
 *
 * Prints one JSON line per run and the medians; CPU seconds are the whole process's (all threads).
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { findPythonFiles, readSource } from '../../src/core/files';
import { normalizeLineEnds } from '../../src/core/python/lexical';
import { loadPython } from '../../src/core/python/treeSitter';

const PYTHON = process.env.BENCH_PYTHON ?? 'python3';

interface ParseRun {
  seconds: number;
  cpuSeconds: number;
  files: number;
}

async function parseFiles(files: readonly string[]): Promise<number> {
  const parser = (await loadPython()).newParser();
  let parsed = 0;
  for (const file of files) {
    const loaded = readSource(file);
    if (!('source' in loaded)) continue;
    const tree = parser.parse(normalizeLineEnds(loaded.source));
    tree?.delete();
    parsed++;
  }
  parser.delete();
  return parsed;
}

/** One run, in a fresh process (so that its CPU time is its own). */
function oneRun(root: string, workers: number): ParseRun {
  return JSON.parse(execFileSync(process.execPath, [__filename, '--run', root, String(workers)], { encoding: 'utf8' })) as ParseRun;
}

async function runHere(root: string, workers: number): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const files = findPythonFiles([root]);
  let parsed = 0;
  if (workers <= 1) {
    parsed = await parseFiles(files);
  } else {
    // Files dealt round-robin, as the analyzer's batches spread them.
    const shares = Array.from({ length: workers }, (_, k) => files.filter((_file, index) => index % workers === k));
    const counts = await Promise.all(shares.map((share) => new Promise<number>((resolve, reject) => {
      const worker = new Worker(__filename, { workerData: share });
      worker.once('message', (count: number) => {
        resolve(count);
        void worker.terminate();
      });
      worker.once('error', reject);
    })));
    parsed = counts.reduce((a, b) => a + b, 0);
  }
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, files: parsed })}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function main(): void {
  const root = process.argv[2] || execFileSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const runs = Number(process.argv[3] ?? 3);
  const workers = Number(process.argv[4] ?? os.availableParallelism());
  const astScript = path.join(__dirname, '..', '..', '..', 'test', 'bench', 'ast_parse.py');
  const wall: number[] = [];
  const cpu: number[] = [];
  const single: number[] = [];
  for (let k = 0; k < runs; k++) {
    const ast = JSON.parse(execFileSync(PYTHON, [astScript, root], { encoding: 'utf8' })) as { seconds: number; cpuSeconds: number; files: number };
    const ours = oneRun(root, workers);
    const one = oneRun(root, 1);
    console.log(JSON.stringify({ ast, treeSitter: ours, treeSitterOneThread: one }));
    wall.push(ours.seconds / ast.seconds);
    cpu.push(ours.cpuSeconds / ast.cpuSeconds);
    single.push(one.cpuSeconds / ast.cpuSeconds);
  }
  console.log(`tree-sitter parse alone / ast.parse (medians of ${runs}): wall on ${workers} workers ${median(wall).toFixed(2)}x; CPU ${median(cpu).toFixed(2)}x; CPU on one thread ${median(single).toFixed(2)}x`);
}

if (!isMainThread) {
  void parseFiles(workerData as string[]).then((count) => parentPort?.postMessage(count));
} else if (process.argv[2] === '--run') {
  void runHere(process.argv[3] as string, Number(process.argv[4]));
} else {
  main();
}
