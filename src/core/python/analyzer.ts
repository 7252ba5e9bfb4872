import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analysisFailure, Deadline, failedFunctionReport, FILE_BUDGET_MS, FunctionFailures } from '../budget';
import { withDispatchers } from '../dispatch';
import { findPythonFiles, MAX_FILE_BYTES, readRegularFile } from '../files';
import { reportsInSlices, type SliceOptions, type SlicedReports } from '../slices';
import type { AnalysisReport, FileReport, InterpreterInfo } from '../model';
import { codeDigest, DiskCache } from '../cache/diskCache';
import { mergeGraphs, unchangedFiles, type DependencyGraph, type GraphNode } from '../cache/dependencyGraph';
import type { CacheLocation } from './analysisWorker';
import { pythonDispatchSites } from './dispatchers';
import { extractInWorkers, extractionWorkers } from './extractionPool';
import type { FileFacts } from './facts';
import { findingsOf } from './findings';
import { findInterpreter, probeInterpreter, type InterpreterProbe } from './interpreter';
import { extractFile, FactsParser, type ExtractedFile } from './parse';
import { EXTENSION_LOOKUP, PythonProgram, shareStrings } from './program';
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

const REPORT_KIND = 'python-report';
const GRAPH_KIND = 'python-graph';

/** The reports of a session, kept on disk for the next one (see `PythonAnalyzer.loadFiles`). */
interface ReportStore {
  cache: DiskCache;
  /** What every report also depends on: the interpreter, its `sys.path`, library following, the cores. */
  identity: string;
}

/** The previous session's graph over this workspace, and its files still unchanged. */
interface PreviousSession {
  graphKey: string;
  graph: DependencyGraph | undefined;
  unchanged: Set<string>;
}
/** Below this many files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 48;

/**
 * The Python analyzer: a program (workspace modules + followed libraries) and the verdict engine
 * over it. Used by the CLI for whole trees and by the extension for the workspace and open editors.
 */
export class PythonAnalyzer {
  private readonly fileErrors = new Map<string, string>();
  /** Digest of the text of each file of the first batch (when reports are cached). */
  private readonly digests = new Map<string, string>();
  /** Reports of the previous session still right, served until anything changes. */
  private readonly servedReports = new Map<string, FileReport>();
  /** Files of the first batch whose facts are not loaded yet: until a report not served is asked for. */
  private deferredFiles: ReadonlySet<string> | null = null;
  private loadedAny = false;
  /** Nothing changed since the first batch: the reports of this session may be kept for the next. */
  private persistable = true;
  private previous: PreviousSession | undefined;

  private constructor(
    readonly parser: FactsParser,
    readonly interpreter: InterpreterProbe | null,
    readonly program: PythonProgram,
    readonly engine: VerdictEngine,
    /** How long one file's extraction, and then its report, may take (ms). */
    readonly fileBudgetMs: number,
    private readonly cache: CacheLocation | undefined,
    private readonly reportStore: ReportStore | undefined,
  ) {}

  static async create(options: AnalyzerOptions = {}): Promise<PythonAnalyzer> {
    const cache: CacheLocation | undefined = options.cacheDirectory ? { directory: options.cacheDirectory, version: codeDigest(__dirname) } : undefined;
    const diskCache = cache && new DiskCache(cache.directory, cache.version);
    const [parser, interpreter] = await Promise.all([
      FactsParser.create(diskCache),
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
    const cores = os.availableParallelism();
    let reportStore: ReportStore | undefined;
    if (diskCache) {
      program.recordLookups();
      // Reports come from the whole core (knowledge, cost model, calibration), not only this folder's code: compiled file by file, that is the folder above.
      const core = path.dirname(__dirname);
      const reportsCode = path.basename(core) === 'core' ? codeDigest(core, true) : '';
      reportStore = { cache: diskCache, identity: JSON.stringify([reportsCode, info, follow ? interpreter?.sysPath : null, cores]) };
    }
    return new PythonAnalyzer(parser, interpreter, program, new VerdictEngine(program, info, undefined, cores), options.fileBudgetMs ?? FILE_BUDGET_MS, cache, reportStore);
  }

  get interpreterInfo(): InterpreterInfo | null {
    const i = this.interpreter;
    return i ? { path: i.path, version: i.version, gilEnabled: i.gilEnabled } : null;
  }

  /**
   * Reads, parses and registers files (in worker threads when there are many). With a cache, the first
   * batch is checked against the previous session's reports first: the reports still right are served,
   * and no file is parsed until a report that is not is asked for, or something changes.
   */
  async loadFiles(files: readonly string[], options: LoadOptions = {}): Promise<void> {
    if (this.reportStore && !this.loadedAny) {
      this.loadedAny = true;
      this.openSession(this.reportStore, files);
      // With no report to serve (a first session), parse now, in the workers.
      if (this.servedReports.size > 0) {
        this.deferredFiles = new Set(files);
        return;
      }
    } else {
      this.changing();
    }
    this.loadedAny = true;
    const workers = extractionWorkers(files, options.workers ?? os.availableParallelism());
    const results = workers > 1 && files.length >= MIN_FILES_FOR_WORKERS
      ? await extractInWorkers(files, { ...options, workers, budgetMs: this.fileBudgetMs, cache: this.cache, strings: this.program.strings, extractHere: (batch) => this.extractHere(batch, { signal: options.signal }) })
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
    // The files' strings are shared now: the table's map of them (a tenth of the live heap after a whole-stdlib
    // load) would serve only the few files an edit re-reads.
    if (files.length >= MIN_FILES_FOR_WORKERS) this.program.strings.clear();
  }

  /** Finds the previous session's reports of `files` that are still right (see `unchangedFiles`). */
  private openSession(store: ReportStore, files: readonly string[]): void {
    for (const file of files) {
      // A FIFO or a device is refused unread; it is reported as such when loaded.
      const read = readRegularFile(file, MAX_FILE_BYTES);
      if ('bytes' in read) this.digests.set(file, `sha256:${crypto.createHash('sha256').update(read.bytes).digest('hex')}`);
    }
    const layout = crypto.createHash('sha256').update([...files].sort().join('\0')).digest('hex');
    const graphKey = store.cache.key(GRAPH_KIND, `${store.identity}\0${layout}`);
    const graph = store.cache.get<DependencyGraph>(graphKey);
    const unchanged = graph instanceof Map ? unchangedFiles(graph, { stampOf: (file) => this.stampNow(file), leadsTo: (name, led) => this.leadsTo(name, led) }) : new Set<string>();
    this.previous = { graphKey, graph: graph instanceof Map ? graph : undefined, unchanged };
    for (const file of files) {
      if (!unchanged.has(file)) continue;
      const report = store.cache.get<FileReport>(this.reportKey(store, file));
      if (report) this.servedReports.set(file, report);
    }
  }

  private reportKey(store: ReportStore, file: string): string {
    return store.cache.key(REPORT_KIND, `${store.identity}\0${this.previous?.graphKey ?? ''}\0${file}\0${this.digests.get(file) ?? ''}`);
  }

  /** A file's stamp (see `GraphNode.stamp`): its text's digest in the workspace, its modification time in a library. */
  private stampNow(file: string): string | undefined {
    const digest = this.digests.get(file);
    if (digest !== undefined) return digest;
    try {
      return `mtime:${fs.statSync(file).mtimeMs}`;
    } catch {
      return undefined;
    }
  }

  /** Where a recorded lookup leads now: a workspace module where it did (the files, hence names, are those of the key), else where `sys.path` leads. */
  private leadsTo(name: string, led: string | null): string | null {
    if (name.startsWith(EXTENSION_LOOKUP)) return this.program.extensionModuleOf(name.slice(EXTENSION_LOOKUP.length))?.file ?? null;
    if (led !== null && this.digests.has(led)) return led;
    return this.program.locateLibrary(name);
  }

  /**
   * Keeps this session's dependency graph for the next (the reports themselves are written as they are
   * made). Nothing is kept once the workspace changed after the first batch, nor when nothing was computed.
   */
  persistReports(): void {
    const store = this.reportStore;
    const previous = this.previous;
    if (!store || !previous || !this.persistable || this.deferredFiles) return;
    const recorded: DependencyGraph = new Map();
    // A library file as it was when read; a compiled extension module (never read) as it is.
    const stampOf = (file: string): string | undefined => {
      const mtime = this.program.libraryStamp(file);
      return mtime === undefined ? this.stampNow(file) : `mtime:${mtime}`;
    };
    const add = (file: string, lookups: GraphNode['lookups']): void => {
      const stamp = stampOf(file);
      if (stamp !== undefined && !recorded.has(file)) recorded.set(file, { stamp, lookups });
    };
    for (const [file, names] of this.program.recordedLookups()) {
      add(file, [...names]);
      for (const led of names.values()) if (led !== null) add(led, []);
    }
    for (const file of this.digests.keys()) add(file, []);
    store.cache.set(previous.graphKey, mergeGraphs(previous.graph, previous.unchanged, recorded));
  }

  /**
   * Forgets library modules changed on disk (see `PythonProgram.revalidateLibraries`), and the served
   * reports that rested on them. Returns true when anything was forgotten.
   */
  revalidateLibraries(): boolean {
    let changed = this.program.revalidateLibraries();
    const previous = this.previous;
    if (previous?.graph && this.servedReports.size > 0) {
      const unchanged = unchangedFiles(previous.graph, { stampOf: (file) => this.stampNow(file), leadsTo: (name, led) => this.leadsTo(name, led) });
      for (const file of this.servedReports.keys()) {
        if (unchanged.has(file)) continue;
        this.servedReports.delete(file);
        changed = true;
      }
    }
    return changed;
  }

  /** The workspace is about to change: reports served from the previous session may no longer be right. */
  private changing(): void {
    // A text set before the first batch (an open editor) is not the disk's: no report of that batch is served.
    this.loadedAny = true;
    this.loadDeferred();
    this.servedReports.clear();
    this.persistable = false;
    // Nothing of this session is kept now: edits need not record what they look up.
    this.program.stopRecordingLookups();
  }

  private loadDeferred(): void {
    const files = this.deferredFiles;
    if (!files) return;
    this.deferredFiles = null;
    for (const result of this.extractHere([...files], {})) {
      if (result.facts) this.program.setFile(result.path, result.facts);
      else this.fileErrors.set(result.path, result.error ?? 'not analyzed');
    }
  }

  private extractHere(files: readonly string[], options: LoadOptions): ExtractedFile[] {
    const results: ExtractedFile[] = [];
    for (const file of files) {
      if (options.signal?.aborted) throw new Error('analysis cancelled');
      const extracted = extractFile(this.parser, file, this.fileBudgetMs);
      if (extracted.facts) shareStrings(extracted.facts, this.program.strings);
      results.push(extracted);
      options.onProgress?.(results.length, files.length);
    }
    return results;
  }

  /** Registers (or replaces) one file from text already in memory, e.g. an open editor. */
  setSource(file: string, source: string): FileFacts {
    this.changing();
    const facts = this.parser.facts(source, new Deadline(this.fileBudgetMs));
    this.setFacts(file, facts);
    return facts;
  }

  setFacts(file: string, facts: FileFacts): void {
    this.changing();
    this.fileErrors.delete(file);
    this.program.setFile(file, facts);
  }

  /** Records that a file could not be analyzed (its report then holds `message` alone). */
  setFailure(file: string, message: string): void {
    this.changing();
    this.program.removeFile(file);
    this.fileErrors.set(file, message);
  }

  removeFile(file: string): void {
    this.changing();
    this.fileErrors.delete(file);
    this.program.removeFile(file);
  }

  /** The report of one registered file (or of a file that could not be read). */
  fileReport(file: string): FileReport {
    const served = this.servedReports.get(file);
    if (served) return served;
    if (this.deferredFiles?.has(file)) {
      // A file that cannot be read or parsed is reported as such: no need of the others for that.
      const extracted = extractFile(this.parser, file, this.fileBudgetMs);
      if (!extracted.facts) return failedReport(file, extracted.error ?? 'not analyzed');
    }
    this.loadDeferred();
    const error = this.fileErrors.get(file);
    const entry = this.program.entry(file);
    if (error !== undefined || !entry) return failedReport(file, error ?? 'not analyzed');
    let report: FileReport;
    try {
      report = this.program.inScopeOf(entry, () => {
        const deadline = new Deadline(this.fileBudgetMs);
        const failures = new FunctionFailures();
        const functions = entry.facts.functions.map((fn) =>
          failures.guard(fn, () => this.engine.reportFunction(entry, fn, deadline), (failure) => failedFunctionReport(fn, failure)),
        );
        const findings = findingsOf(this.engine, entry, failures);
        return {
          path: file,
          language: 'python',
          functions: withDispatchers(functions, entry.facts.functions, (fn) => failures.guard(fn, () => pythonDispatchSites(this.engine, entry, fn), () => []), findings),
          findings,
          errors: [...entry.facts.syntaxErrors.map((e) => ({ line: e.line, message: e.message })), ...failures.errors],
        };
      });
    } catch (failure) {
      return failedReport(file, analysisFailure(failure));
    }
    if (this.reportStore && this.persistable && this.digests.has(file)) this.reportStore.cache.set(this.reportKey(this.reportStore, file), report);
    return report;
  }

  /** The reports of many files in slices, pausing between them, also between the summaries of a file's functions (see `reportsInSlices`). */
  reportsInSlices(files: readonly string[], options: SliceOptions): Promise<SlicedReports | null> {
    return reportsInSlices(files, (file) => this.fileReport(file), options, (file) => this.summarySteps(file));
  }

  /**
   * The summaries `file`'s report will need, one function a step (the verdict engine keeps them for the report). Stops
   * once the program changed between two steps (an edit during a pass), or at a failure: the report then makes the rest.
   */
  private *summarySteps(file: string): Generator<void> {
    const entry = this.program.entry(file);
    if (!entry || this.servedReports.has(file) || this.deferredFiles || this.fileErrors.has(file)) return;
    const generation = this.program.generation;
    const deadline = new Deadline(this.fileBudgetMs);
    for (const fn of entry.facts.functions) {
      if (this.program.generation !== generation) return;
      try {
        this.program.inScopeOf(entry, () => this.engine.summarize(entry, fn, 0, deadline));
      } catch {
        return;
      }
      yield;
    }
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
  const { interpreter, files } = await analyzePathsLazily(paths, options);
  return { interpreter, files: [...files] };
}

/**
 * `analyzePaths` with each file's report made as `files` is iterated, so that a reader that writes it out keeps none
 * (the whole standard library's reports are 85 MB of JSON). The analyzer is disposed once `files` is read to its end (or left).
 */
export async function analyzePathsLazily(
  paths: readonly string[],
  options: AnalyzerOptions & LoadOptions & { exclude?: readonly string[] } = {},
): Promise<{ interpreter: InterpreterInfo | null; files: Generator<FileReport> }> {
  const files = findPythonFiles(paths, options.exclude);
  const analyzer = await PythonAnalyzer.create(options);
  try {
    await analyzer.loadFiles(files, options);
  } catch (error) {
    analyzer.dispose();
    throw error;
  }
  return { interpreter: analyzer.interpreterInfo, files: reportsOf(analyzer, files) };
}

function* reportsOf(analyzer: PythonAnalyzer, files: readonly string[]): Generator<FileReport> {
  try {
    const cwd = process.cwd();
    for (const file of files) yield { ...analyzer.fileReport(file), path: path.relative(cwd, file) || file };
    analyzer.persistReports();
  } finally {
    analyzer.dispose();
  }
}
