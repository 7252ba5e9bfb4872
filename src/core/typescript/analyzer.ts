import * as path from 'node:path';
import type { ts } from 'ts-morph';
import { analysisFailure, Deadline, failedFunctionReport, FILE_BUDGET_MS, FunctionFailures } from '../budget';
import { withDispatchers } from '../dispatch';
import { findSourceFiles, readSource } from '../files';
import type { FileReport } from '../model';
import { reportsInSlices, type SliceOptions, type SlicedReports } from '../slices';
import { scriptDispatchSites } from './dispatchers';
import { extractFacts, languageOf, parseSource, updateSource } from './extract';
import { scriptFindings } from './findings';
import { locateOnDisk, namedModules, ScriptProgram } from './program';
import { ProjectResolver, type ProjectStats } from './project';
import { ScriptVerdictEngine } from './verdicts';

export interface ScriptAnalyzerOptions {
  /** Resolve calls across files with the type checker (ts-morph) after loading; default true. */
  project?: boolean;
  /** How long one file's parse and extraction, and then its report, may take (ms); default FILE_BUDGET_MS. */
  fileBudgetMs?: number;
}

/**
 * The TypeScript/JavaScript analyzer: the files' facts (one pass over each syntax tree), the verdict
 * engine over them, and project-level resolution with the type checker. Open documents keep their
 * syntax tree, so an edit re-parses incrementally.
 */
export class TypeScriptAnalyzer {
  readonly program = new ScriptProgram();
  readonly engine = new ScriptVerdictEngine(this.program);
  private project: ProjectResolver | null;
  /** Why project-level resolution was turned off (the compiler failed on this project), if it was. */
  projectError: string | undefined;
  private readonly fileErrors = new Map<string, string>();
  /** Syntax trees of documents being edited. */
  private readonly trees = new Map<string, ts.SourceFile>();

  private readonly fileBudgetMs: number;

  constructor(options: ScriptAnalyzerOptions = {}) {
    this.project = options.project === false ? null : new ProjectResolver(this.program);
    this.fileBudgetMs = options.fileBudgetMs ?? FILE_BUDGET_MS;
  }

  /** Reads, parses and registers files from disk. */
  loadFiles(files: readonly string[], onProgress?: (done: number, total: number) => void): void {
    let done = 0;
    for (const file of files) {
      const loaded = readSource(file);
      if ('error' in loaded) {
        this.fileErrors.set(file, loaded.error);
        this.program.removeFile(file);
        this.trees.delete(file);
      } else {
        this.parseAndRegister(file, () => parseSource(file, loaded.source));
      }
      onProgress?.(++done, files.length);
    }
  }

  /**
   * Reads the files that the loaded ones import (relative imports, `require`s, re-exports, worker
   * scripts), and theirs, for resolution only: a file analyzed alone still sees what its calls do.
   * Returns the files added. `node_modules` is not entered (packages are known by the knowledge base).
   */
  loadImports(limit = 2000): string[] {
    const queue = this.program.files();
    const seen = new Set(queue);
    const added: string[] = [];
    while (queue.length > 0 && added.length < limit) {
      const entry = this.program.entry(queue.shift() as string);
      if (!entry) continue;
      for (const base of namedModules(entry.file, entry.facts)) {
        const file = locateOnDisk(base);
        if (file === null || seen.has(file) || file.split(path.sep).includes('node_modules')) continue;
        seen.add(file);
        this.loadFiles([file]);
        if (!this.program.has(file)) continue;
        added.push(file);
        queue.push(file);
      }
    }
    return added;
  }

  /**
   * Parses (`parse`) and registers a file; a file the compiler or the extraction cannot handle (nested
   * so deeply that they overflow the stack, or past the time budget: the compiler's parse cannot be
   * interrupted, the extraction after it stops) becomes that file's error, not the whole analysis's.
   */
  private parseAndRegister(file: string, parse: () => ts.SourceFile): ts.SourceFile | null {
    try {
      const deadline = new Deadline(this.fileBudgetMs);
      const sf = parse();
      this.program.setFile(file, languageOf(file), sf.text, extractFacts(sf, deadline));
      this.fileErrors.delete(file);
      return sf;
    } catch (error) {
      this.fileErrors.set(file, analysisFailure(error));
      this.program.removeFile(file);
      this.trees.delete(file);
      return null;
    }
  }

  /**
   * Registers (or replaces) a file from text in memory: an open editor. The document's previous tree
   * is re-used (incremental parse of the changed span) and the new one kept for the next edit.
   */
  setSource(file: string, text: string): void {
    const old = this.trees.get(file);
    const sf = this.parseAndRegister(file, () => (old ? updateSource(old, text) : parseSource(file, text)));
    if (sf) this.trees.set(file, sf);
  }

  /** The document closed: its tree is dropped (the file's facts stay until it is reloaded or removed). */
  forgetTree(file: string): void {
    this.trees.delete(file);
  }

  removeFile(file: string): void {
    this.fileErrors.delete(file);
    this.trees.delete(file);
    this.program.removeFile(file);
  }

  has(file: string): boolean {
    return this.program.has(file) || this.fileErrors.has(file);
  }

  /** Cross-file resolution with the type checker (no-op when nothing changed or when disabled). */
  resolveProject(): ProjectStats | null {
    try {
      return this.project?.resolve() ?? null;
    } catch (error) {
      return this.giveUpProject(error);
    }
  }

  /** The same in slices (a host answers edits between them); null when cancelled or disabled. */
  async resolveProjectInSlices(options: { sliceMs: number; pause: () => Promise<void>; cancelled?: () => boolean }): Promise<ProjectStats | null> {
    try {
      return (await this.project?.resolveInSlices(options)) ?? null;
    } catch (error) {
      return this.giveUpProject(error);
    }
  }

  /** The compiler failed on this project (a configuration it cannot read…): verdicts go on from syntax alone. */
  private giveUpProject(error: unknown): null {
    this.projectError = (error as Error).message ?? String(error);
    this.project?.dispose();
    this.project = null;
    return null;
  }

  /** True when a project resolution would see changes. */
  get projectStale(): boolean {
    return this.project?.stale ?? false;
  }

  fileReport(file: string): FileReport {
    const error = this.fileErrors.get(file);
    const entry = this.program.entry(file);
    if (error !== undefined || !entry) {
      return { path: file, language: languageOf(file), functions: [], findings: [], errors: [{ line: null, message: error ?? 'not analyzed' }] };
    }
    try {
      const deadline = new Deadline(this.fileBudgetMs);
      const failures = new FunctionFailures();
      const reported = entry.facts.functions.filter((fn) => fn.reported);
      const functions = reported.map((fn) => failures.guard(fn, () => this.engine.reportFunction(entry, fn, deadline), (failure) => failedFunctionReport(fn, failure)));
      const findings = scriptFindings(this.engine, this.program, entry, failures);
      return {
        path: file,
        language: entry.language,
        functions: withDispatchers(functions, reported, (fn) => failures.guard(fn, () => scriptDispatchSites(this.engine, this.program, entry, fn), () => []), findings),
        findings,
        errors: [...entry.facts.syntaxErrors.map((e) => ({ line: e.line, message: e.message })), ...failures.errors],
      };
    } catch (error) {
      return { path: file, language: entry.language, functions: [], findings: [], errors: [{ line: null, message: analysisFailure(error) }] };
    }
  }

  /** Reports of many files, in slices of about `sliceMs` with a pause between them (as the Python analyzer's). */
  reportsInSlices(files: readonly string[], options: SliceOptions): Promise<SlicedReports | null> {
    return reportsInSlices(files, (file) => this.fileReport(file), options);
  }

  dispose(): void {
    this.project?.dispose();
    this.trees.clear();
  }
}

export interface AnalyzeScriptsOptions extends ScriptAnalyzerOptions {
  exclude?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/**
 * The CLI's analysis of TS/JS files: `files` as given (already found), reports with paths relative
 * to the working folder.
 */
export function analyzeScriptFiles(files: readonly string[], options: AnalyzeScriptsOptions = {}): FileReport[] {
  const analyzer = new TypeScriptAnalyzer(options);
  try {
    analyzer.loadFiles(files, options.onProgress);
    analyzer.loadImports();
    analyzer.resolveProject();
    const cwd = process.cwd();
    return files.map((file) => ({ ...analyzer.fileReport(file), path: path.relative(cwd, file) || file }));
  } finally {
    analyzer.dispose();
  }
}

/** Finds the TS/JS files under `paths` and analyzes them. */
export function analyzeScriptPaths(paths: readonly string[], options: AnalyzeScriptsOptions = {}): FileReport[] {
  return analyzeScriptFiles(findSourceFiles(paths, options.exclude).scripts, options);
}
