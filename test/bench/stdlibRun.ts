/**
 * One timed analysis of a whole tree, in its own process so that its peak memory is its own, and in a worker
 * thread with the Python analysis host's limits, as the editor runs it.
 * Prints one JSON line: { seconds, files, functions, maxRssMB, phases }. `phases` splits the pass into
 * extraction (worker threads; this thread waits) and the reports (this thread): each one's wall and CPU
 * seconds (of the whole process: the workers' and the garbage collector's threads count), and the memory
 * between them (this thread's heap then holds the facts) and after the reports. With a cache folder (second argument), the analysis reads and
 * fills it, and keeps its reports for the next run. Under `node --expose-gc`, also what the heap holds live once every report is made
 * (collected after the peak is read: the other numbers are those of a run without the flag).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { findPythonFiles } from '../../src/core/files';
import { PYTHON_HOST_LIMITS } from '../../src/core/host/client';
import { PythonAnalyzer } from '../../src/core/python/analyzer';

const MB = 1024 * 1024;

/** What one run prints. */
export interface StdlibRun {
  seconds: number;
  files: number;
  functions: number;
  maxRssMB: number;
  phases: {
    extract: { seconds: number; cpuSeconds: number };
    reports: { seconds: number; cpuSeconds: number };
    /**
     * `rssMB` less `heapTotalMB` is what the process holds outside this thread's heap: the process itself (~45 MB), the
     * main thread's heap, the host's parser's WASM memory (`externalMB` counts it whole, but only its touched pages are
     * resident) and what the exited extraction workers' allocations left in malloc's arenas.
     */
    afterExtract: { rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number; maxRssMB: number };
    /**
     * This thread's heap once every report is made: `heapUsedMB` counts the garbage not collected yet (a whole-stdlib pass:
     * ~110 MB of its ~300), `liveMB` (under --expose-gc) what survives a full collection (the facts, the summaries).
     */
    afterReports: { rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number; liveMB?: number };
  };
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function memoryMB(usage: NodeJS.MemoryUsage): { rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number } {
  return { rssMB: usage.rss / MB, heapUsedMB: usage.heapUsed / MB, heapTotalMB: usage.heapTotal / MB, externalMB: usage.external / MB };
}

/** The heap's live MB after a full collection, when `node --expose-gc` gives one; undefined otherwise. */
function liveHeapMB(): number | undefined {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return undefined;
  collect();
  return process.memoryUsage().heapUsed / MB;
}

interface RunArguments {
  root: string;
  cacheDirectory: string | undefined;
}

async function run({ root, cacheDirectory }: RunArguments): Promise<StdlibRun> {
  const started = performance.now();
  const files = findPythonFiles([root]);
  const analyzer = await PythonAnalyzer.create({ cacheDirectory });
  const extractStarted = { wall: performance.now(), cpu: cpuSeconds() };
  await analyzer.loadFiles(files);
  const extracted = { wall: performance.now(), cpu: cpuSeconds() };
  const between = process.memoryUsage();
  const extractPeak = process.resourceUsage().maxRSS;
  let functions = 0;
  for (const file of files) functions += analyzer.fileReport(file).functions.length;
  analyzer.persistReports();
  const reported = { wall: performance.now(), cpu: cpuSeconds() };
  const afterReports = process.memoryUsage();
  const seconds = (reported.wall - started) / 1000;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  const liveMB = liveHeapMB();
  analyzer.dispose();
  const phases: StdlibRun['phases'] = {
    extract: { seconds: (extracted.wall - extractStarted.wall) / 1000, cpuSeconds: extracted.cpu - extractStarted.cpu },
    reports: { seconds: (reported.wall - extracted.wall) / 1000, cpuSeconds: reported.cpu - extracted.cpu },
    afterExtract: { ...memoryMB(between), maxRssMB: extractPeak / 1024 },
    afterReports: { ...memoryMB(afterReports), ...(liveMB !== undefined && { liveMB }) },
  };
  return { seconds, files: files.length, functions, maxRssMB, phases };
}

if (isMainThread) {
  const worker = new Worker(__filename, { workerData: { root: process.argv[2] as string, cacheDirectory: process.argv[3] } satisfies RunArguments, resourceLimits: PYTHON_HOST_LIMITS });
  worker.once('message', (result: StdlibRun) => process.stdout.write(`${JSON.stringify(result)}\n`));
  worker.once('error', (error) => {
    process.stderr.write(`${error.stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  void run(workerData as RunArguments).then((result) => parentPort?.postMessage(result));
}
