/**
 * The TypeScript/JavaScript analysis host: a worker thread that owns the TS/JS analyzer (the
 * workspace's facts, the open documents' syntax trees, the type checker's project), speaking the
 * same protocol as the Python host (`../host/protocol.ts`), so the extension drives it with
 * the same client: `AnalysisHostClient.start(options, path.join(__dirname, 'typescriptHost.js'))`.
 *
 * Requests are handled one at a time, in order; a pass yields between slices so that edits are
 * answered while it runs. Before its reports a pass brings the project-level resolution (ts-morph and
 * the type checker) up to date when files changed, one file's calls per slice; making the compiler's
 * program and its type checker is the one step that holds the host's thread longer. Quick fixes are a Python feature (none here); there are no library
 * files to revalidate.
 *
 * The analyzer is reached through `../typescript/index` only: the build turns that import into a
 * runtime require of dist/typescriptAnalysis.js, so this bundle stays small; `loadAnalysis` compiles
 * that bundle and the compiler's with V8's code cache.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultCacheDirectory } from '../cache/diskCache';
import { HostBase, type LanguageRequest } from '../host/base';
import { loadWithCodeCache } from '../host/codeCache';
import { serveHost } from '../host/server';
import type { HostResults } from '../host/protocol';
import type { FileReport } from '../model';
import type * as Analysis from '../typescript/index';

export class TypeScriptHost extends HostBase {
  constructor(
    private readonly analysis: typeof Analysis,
    protected readonly analyzer = new analysis.TypeScriptAnalyzer(),
  ) {
    super();
  }

  protected async dispatch(request: LanguageRequest): Promise<HostResults[LanguageRequest['kind']]> {
    switch (request.kind) {
      case 'quickFix':
        return null;
      case 'callSuggestion':
        return this.analysis.scriptCallSuggestion(request.file, request.qualname, request.line, request.files);
      case 'revalidateLibraries':
        return false;
    }
  }

  protected loadFiles(files: readonly string[], onProgress?: (done: number) => void): Promise<void> {
    let done = 0;
    this.analyzer.loadFiles(files, onProgress && (() => onProgress(++done)));
    return Promise.resolve();
  }

  /** The document's previous tree is updated from the text's difference: `changes` are not needed. */
  protected setDocument(file: string, text: string): FileReport {
    this.analyzer.setSource(file, text);
    return this.analyzer.fileReport(file);
  }

  protected closeDocument(file: string): void {
    this.analyzer.forgetTree(file);
  }

  protected override passFiles(): readonly string[] {
    return [...new Set([...this.indexed, ...this.openTexts.keys()])];
  }

  /** Requests already queued (edits) go first; then calls across files are resolved with the type checker if anything changed, in slices too. */
  protected override async preparePass({ sliceMs, pause, cancelled }: { sliceMs: number; pause: () => Promise<void>; cancelled: () => boolean }): Promise<boolean> {
    await pause();
    if (cancelled()) return false;
    return !(this.analyzer.projectStale && (await this.analyzer.resolveProjectInSlices({ sliceMs, pause, cancelled })) === null && cancelled());
  }

  dispose(): void {
    this.cancelPass();
    this.analyzer.dispose();
  }
}

/**
 * The analyzer's module. Built, it is a bundle that requires the TypeScript compiler's (7 MB, 4 MB minified;
 * ts-morph's, a third bundle, is required only when the type checker's project is made), and compiling the
 * compiler is much of the host's start, before the open file's first answer: both are compiled with V8's code
 * cache (`../host/codeCache`).
 */
function loadAnalysis(): typeof Analysis {
  const bundle = path.join(__dirname, 'typescriptAnalysis.js');
  // Unbundled (the tests' compiled sources), the analyzer is plain modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, not when this module loads
  if (!fs.existsSync(bundle)) return require('../typescript/index') as typeof Analysis;
  // The compiler first: the analyzer's require of it then finds it loaded.
  const directory = defaultCacheDirectory();
  loadWithCodeCache(path.join(__dirname, 'typescriptCompiler.js'), directory);
  return loadWithCodeCache(bundle, directory).exports as typeof Analysis;
}

// Node analysis needs no interpreter.
serveHost(async () => ({ host: new TypeScriptHost(loadAnalysis()), interpreter: null }));
