import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analysisFailure, Deadline, FILE_BUDGET_MS } from '../budget';
import { withDispatchers } from '../dispatch';
import { findPythonFiles } from '../files';
import { reportsInSlices, type SliceOptions, type SlicedReports } from '../slices';
import type { AnalysisReport, FileReport, InterpreterInfo } from '../model';
import { codeDigest, DiskCache } from '../cache/diskCache';
import type { CacheLocation, WorkerFileResult, WorkerRequest, WorkerResponse } from './analysisWorker';
import { pythonDispatchSites } from './dispatchers';
import type { FileFacts } from './facts';
import { findingsOf } from './findings';
import { findInterpreter, probeInterpreter, type InterpreterProbe } from './interpreter';
import { extractFile, FactsParser } from './parse';
import { PythonProgram } from './program';
import { VerdictEngine } from './verdicts';

export interface AnalyzerOptions {
  /** Interpreter to ask for `sys.path` and GIL state. Undefined: `python3`, then `python`. Null: none. */
  python?: string | null;
  /** Read library source through `sys.path` for calls the knowledge base does not cover (default true). */
  followLibraries?: boolean;
  /** Where the interpreter starts (see `ProbeOptions.cwd`); default: outside any workspace. */
  interpreterCwd?: string;
  /** How long one file's analysis may take (ms) before the file is reported as skipped; default FILE_BUDGET_MS. */
  fileBudgetMs?: number;
  /** A folder where facts are cached between runs (keyed by each file's text and this analyzer's code); none by default. */
  cacheDirectory?: string;
}

export type { SliceOptions, SlicedReports } from '../slices';

export interface LoadOptions {
  /** Worker threads for reading and parsing; default: one per core. 1 parses on this thread. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const BATCH = 24;
/** Below this many files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 48;

/**
 * The Python analyzer: a program (workspace modules + followed libraries) and the verdict engine
 * over it. Used by the CLI for whole trees and by the extension for the workspace and open editors.
 */
export class PythonAnalyzer {
  private readonly fileErrors = new Map<string, string>();

  private constructor(
    readonly parser: FactsParser,
    readonly interpreter: InterpreterProbe | null,
    readonly program: PythonProgram,
    readonly engine: VerdictEngine,
    /** How long one file's extraction, and then its report, may take (ms). */
    readonly fileBudgetMs: number,
    private readonly cache: CacheLocation | undefined,
  ) {}

  static async create(options: AnalyzerOptions = {}): Promise<PythonAnalyzer> {
    const cache: CacheLocation | undefined = options.cacheDirectory ? { directory: options.cacheDirectory, version: codeDigest(__dirname) } : undefined;
    const [parser, interpreter] = await Promise.all([
      FactsParser.create(cache && new DiskCache(cache.directory, cache.version)),
      options.python === null
        ? Promise.resolve(null)
        : options.python === undefined
          ? findInterpreter(['python3', 'python'], { cwd: options.interpreterCwd })
          : probeInterpreter(options.python, { cwd: options.interpreterCwd }),
    ]);
    const follow = options.followLibraries !== false && interpreter !== null;
    const program = new PythonProgram(
      follow && interpreter ? interpreter.sysPath : null,
      follow ? (file) => parser.factsOfFile(file) : null,
    );
    const info: InterpreterInfo | null = interpreter
      ? { path: interpreter.path, version: interpreter.version, gilEnabled: interpreter.gilEnabled }
      : null;
    return new PythonAnalyzer(parser, interpreter, program, new VerdictEngine(program, info), options.fileBudgetMs ?? FILE_BUDGET_MS, cache);
  }

  get interpreterInfo(): InterpreterInfo | null {
    const i = this.interpreter;
    return i ? { path: i.path, version: i.version, gilEnabled: i.gilEnabled } : null;
  }

  /** Reads, parses and registers files (in worker threads when there are many). */
  async loadFiles(files: readonly string[], options: LoadOptions = {}): Promise<void> {
    const workers = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), Math.ceil(files.length / BATCH)));
    const results = workers > 1 && files.length >= MIN_FILES_FOR_WORKERS
      ? await extractInWorkers(files, workers, this.fileBudgetMs, this.cache, options)
      : this.extractHere(files, options);
    for (const result of results) {
      if (result.facts) {
        this.fileErrors.delete(result.path);
        this.program.setFile(result.path, result.facts);
      } else {
        this.fileErrors.set(result.path, result.error ?? 'not analyzed');
        this.program.removeFile(result.path);
      }
    }
  }

  private extractHere(files: readonly string[], options: LoadOptions): WorkerFileResult[] {
    const results: WorkerFileResult[] = [];
    for (const file of files) {
      if (options.signal?.aborted) throw new Error('analysis cancelled');
      results.push(extractFile(this.parser, file, this.fileBudgetMs));
      options.onProgress?.(results.length, files.length);
    }
    return results;
  }

  /** Registers (or replaces) one file from text already in memory, e.g. an open editor. */
  setSource(file: string, source: string): FileFacts {
    const facts = this.parser.facts(source, new Deadline(this.fileBudgetMs));
    this.setFacts(file, facts);
    return facts;
  }

  setFacts(file: string, facts: FileFacts): void {
    this.fileErrors.delete(file);
    this.program.setFile(file, facts);
  }

  /** Records that a file could not be analyzed (its report then holds `message` alone). */
  setFailure(file: string, message: string): void {
    this.program.removeFile(file);
    this.fileErrors.set(file, message);
  }

  removeFile(file: string): void {
    this.fileErrors.delete(file);
    this.program.removeFile(file);
  }

  /** The report of one registered file (or of a file that could not be read). */
  fileReport(file: string): FileReport {
    const error = this.fileErrors.get(file);
    const entry = this.program.entry(file);
    if (error !== undefined || !entry) return failedReport(file, error ?? 'not analyzed');
    try {
      const functions = this.engine.report(entry, new Deadline(this.fileBudgetMs));
      const findings = findingsOf(this.engine, entry);
      return {
        path: file,
        language: 'python',
        functions: withDispatchers(functions, entry.facts.functions, (fn) => pythonDispatchSites(this.engine, entry, fn), findings),
        findings,
        errors: entry.facts.syntaxErrors.map((e) => ({ line: e.line, message: e.message })),
      };
    } catch (failure) {
      return failedReport(file, analysisFailure(failure));
    }
  }

  /** The reports of many files in slices, pausing between them (see `reportsInSlices`). */
  reportsInSlices(files: readonly string[], options: SliceOptions): Promise<SlicedReports | null> {
    return reportsInSlices(files, (file) => this.fileReport(file), options);
  }

  dispose(): void {
    this.parser.dispose();
  }
}

function failedReport(file: string, message: string): FileReport {
  return { path: file, language: 'python', functions: [], findings: [], errors: [{ line: null, message }] };
}

/** Analyzes files and folders: the CLI's `analyze`. */
export async function analyzePaths(
  paths: readonly string[],
  options: AnalyzerOptions & LoadOptions & { exclude?: readonly string[] } = {},
): Promise<AnalysisReport> {
  const files = findPythonFiles(paths, options.exclude);
  const analyzer = await PythonAnalyzer.create(options);
  try {
    await analyzer.loadFiles(files, options);
    const cwd = process.cwd();
    return {
      interpreter: analyzer.interpreterInfo,
      files: files.map((file) => ({ ...analyzer.fileReport(file), path: path.relative(cwd, file) || file })),
    };
  } finally {
    analyzer.dispose();
  }
}

function extractInWorkers(files: readonly string[], workerCount: number, budgetMs: number, cache: CacheLocation | undefined, options: LoadOptions): Promise<WorkerFileResult[]> {
  return new Promise((resolve, reject) => {
    const results: WorkerFileResult[] = [];
    const workers: Worker[] = [];
    let next = 0;
    let batchId = 0;
    let finished = false;
    const finish = (error?: Error): void => {
      if (finished) return;
      finished = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const onAbort = (): void => finish(new Error('analysis cancelled'));
    options.signal?.addEventListener('abort', onAbort);
    const feed = (worker: Worker): void => {
      if (next >= files.length) return;
      const batch = files.slice(next, next + BATCH);
      next += batch.length;
      worker.postMessage({ id: batchId++, files: batch, budgetMs, cache } satisfies WorkerRequest);
    };
    const script = path.join(__dirname, 'analysisWorker.js');
    for (let k = 0; k < workerCount; k++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on('message', (response: WorkerResponse) => {
        results.push(...response.results);
        options.onProgress?.(results.length, files.length);
        if (results.length === files.length) finish();
        else feed(worker);
      });
      worker.on('error', (error) => finish(new Error(`analysis worker failed: ${error.message}`)));
      feed(worker);
    }
  });
}
