import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { FileReport, Finding, InterpreterInfo } from '../core/model';
import { AnalysisHostClient, PYTHON_HOST_LIMITS } from '../core/host/client';
import type { TextChange } from '../core/host/protocol';
import type { CallSuggestion, SourceFile } from '../core/bench/callSuggestion';
import type { QuickFix } from '../core/edits';
import { affects, affectsAnalyzer, readConfig, type RuleSeverity } from './config';
import { Contexts, Settings } from './constants';
import { chooseInterpreter, onDidChangePythonEnvironment } from './interpreter';
import { FAMILIES, LANGUAGES } from '../core/languages';
import { FAMILY_FILES, familyOf, familyOfFile, type Family } from './languages';
import { analyzedFilter, findWorkspaceFiles, sourceResolver } from './workspaceIndex';
import type { WorkspaceReports } from './workspaceReports';

/** The views and the status bar hear of changed reports at most this often (ms); editors hear at once. */
const WORKSPACE_EVENT_MS = 150;
/** Edits and saves are gathered this long before the workspace is re-analyzed (ms). */
const WORKSPACE_DEBOUNCE_MS = 400;

interface Analysis {
  /** The analyzer, in a worker thread. */
  host: AnalysisHostClient;
  /** Stops the workspace indexing of this analyzer. */
  stop: AbortController;
}

/** One language family's analyzer and the state of its workspace analysis. */
interface Backend {
  readonly family: Family;
  analysis: Promise<Analysis> | undefined;
  /** `analysis` has started (its reports replace the first answers). */
  analysisReady: boolean;
  /**
   * Python's first answers while its analyzer starts: a host with no interpreter, no `sys.path` and no
   * index, answering the open documents from their own text (and the facts cache); stopped once the
   * analyzer is ready. Its start is what the open documents wait for, so the analyzer starts after it.
   */
  firstAnswers: { host: Promise<AnalysisHostClient>; answered: Promise<unknown> } | undefined;
  indexing: Promise<void>;
  indexingActive: boolean;
  /** The workspace files indexed so far, while indexing. */
  indexProgress: { done: number; total: number } | undefined;
  pass: { timer?: NodeJS.Timeout; running?: Promise<void>; generation: number };
}

/**
 * Verdict reports for the open documents, re-analyzed incrementally on each edit, over an index of
 * the workspace's files (so calls into other modules are followed); and the reports of the whole
 * workspace, re-decided in the background after the index changes. Each language family has its
 * analyzer in a worker thread (an analysis host): this class sends it the editors' text and keeps the
 * reports. Python's starts on first use; TypeScript/JavaScript's (ts-morph, heavy) only once a TS/JS
 * document is opened, so a Python-only workspace never loads it.
 */
export class AnalysisService implements WorkspaceReports, vscode.Disposable {
  private readonly backends = Object.fromEntries(FAMILIES.map((family) => [family, newBackend(family)])) as Record<Family, Backend>;
  /** Open documents by fsPath: their editor text wins over the file on disk. */
  private readonly open = new Map<string, vscode.TextDocument>();
  /** Open documents' reports by URI, with the document version they were made from (pending while the host works). */
  private readonly openReports = new Map<string, { version: number; report: Promise<FileReport | undefined> }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly workspaceChanged = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Subscribed on first use (asking for the Python extension's API activates it). */
  private environmentListener: Promise<vscode.Disposable> | undefined;
  /** The workspace files in the analysis (fsPaths), and their latest reports. */
  private readonly indexed = new Set<string>();
  private readonly workspace = new Map<string, FileReport>();
  /** `workspace` with the configured severities applied; rebuilt on demand. */
  private configured: FileReport[] | undefined;
  private severity: Record<string, RuleSeverity> = readConfig().severity;
  private interpreterInfo: InterpreterInfo | null = null;
  private workspaceChangeTimer: NodeJS.Timeout | undefined;
  /** Fires after an open document's report changed. */
  readonly onDidChangeReport = this.changed.event;
  readonly onDidChange = this.workspaceChanged.event;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    /** Where the analysis host caches facts between sessions (the extension's global storage). */
    private readonly cacheDirectory: string,
  ) {
    for (const family of FAMILIES) {
      const watcher = vscode.workspace.createFileSystemWatcher(FAMILY_FILES[family].include);
      this.subscriptions.push(
        watcher,
        watcher.onDidCreate((uri) => void this.diskChanged(uri)),
        watcher.onDidChange((uri) => void this.diskChanged(uri)),
        watcher.onDidDelete((uri) => void this.diskDeleted(uri)),
      );
    }
    this.subscriptions.push(
      this.changed,
      this.workspaceChanged,
      vscode.workspace.onDidOpenTextDocument((doc) => void this.analyzeDocument(doc)),
      vscode.workspace.onDidChangeTextDocument((event) => void this.analyzeDocument(event.document, event.contentChanges)),
      vscode.workspace.onDidCloseTextDocument((doc) => void this.closed(doc)),
      // Other files' verdicts may depend on a saved one (the watcher skips open documents).
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const family = familyOf(doc.languageId);
        if (family && this.backends[family].analysis) this.scheduleWorkspacePass(family);
      }),
      // Back from a terminal where a package may have been installed or upgraded.
      vscode.window.onDidChangeWindowState((state) => {
        if (!state.focused) return;
        for (const { family, analysis } of this.started()) if (analysis && LANGUAGES[family].interpreter) void this.revalidateLibraries(family);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsAnalyzer(event) || affects(event, Settings.analysisExclude)) void this.restart();
        else if (affects(event, Settings.diagnosticsSeverity)) {
          this.severity = readConfig().severity;
          this.configured = undefined;
          this.workspaceChanged.fire();
        }
      }),
      // Trust lets the Python extension's interpreter (often a workspace virtual environment) be asked, and the workspace's .python-version apply.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
    );
  }

  /** Analyzes the documents already open when the extension starts. */
  start(): void {
    for (const doc of vscode.workspace.textDocuments) void this.analyzeDocument(doc);
    // Asked for a document that has gone since.
    prestartedAnswers.clear();
    // Started for a document that has gone since.
    for (const family of FAMILIES) {
      if (!this.backends[family].firstAnswers && !this.backends[family].analysis) void takePrestartedHost(family)?.host.then((client) => client.dispose(), () => undefined);
    }
  }

  /** The current report of a file (as analyzed: findings at their rules' default severities), analyzing it first when needed. */
  async getFileReport(uri: vscode.Uri): Promise<FileReport> {
    return this.documentReport(await vscode.workspace.openTextDocument(uri));
  }

  /** The report of a document's current version. */
  async documentReport(doc: vscode.TextDocument): Promise<FileReport> {
    const known = this.openReports.get(doc.uri.toString());
    if (!familyOf(doc.languageId)) throw new Error(`${doc.uri.fsPath} is not a Python, TypeScript or JavaScript file`);
    const report = await (known && known.version === doc.version ? known.report : this.analyzeDocument(doc));
    if (!report) throw new Error(`${doc.uri.fsPath} could not be analyzed (see Concurrency Lens: Show Output)`);
    return report;
  }

  /** The edit that fixes `finding` in `doc` as it is now; null when the code is not shaped for it. */
  async quickFix(doc: vscode.TextDocument, finding: Finding): Promise<QuickFix | null> {
    const family = familyOf(doc.languageId);
    if (!family) return null;
    const text = doc.getText();
    const { host } = await this.ready(family);
    return host.call({ kind: 'quickFix', text, finding: { line: finding.line, ...(finding.fix && { fix: finding.fix }) } });
  }

  /** The call a benchmark of `qualname` (at `line` of `doc`) pre-fills, from a call site among `files` (the document included), else its signature. */
  async callSuggestion(doc: vscode.TextDocument, qualname: string, line: number, files: SourceFile[]): Promise<CallSuggestion> {
    const family = familyOf(doc.languageId);
    if (!family) throw new Error(`${doc.uri.fsPath} is not a Python, TypeScript or JavaScript file`);
    const { host } = await this.ready(family);
    return host.call({ kind: 'callSuggestion', file: doc.uri.fsPath, qualname, line, files });
  }

  /** Resolves when the workspace indexes in progress (if any) are complete; starts the analyzers that need no document of theirs if none runs. */
  async whenIndexed(): Promise<void> {
    const started = this.started();
    const byDefault = FAMILIES.filter((family) => !LANGUAGES[family].startsWithItsDocuments).map((family) => this.backends[family]);
    for (const backend of started.length > 0 ? started : byDefault) {
      await this.ready(backend.family);
      await backend.indexing;
    }
  }

  /** The language families whose analyzer has been started (TS/JS only after a TS/JS document opened). */
  get startedFamilies(): Family[] {
    return this.started().map((backend) => backend.family);
  }

  /** The families whose analyzer has been started. */
  private started(): Backend[] {
    return FAMILIES.map((family) => this.backends[family]).filter((backend) => backend.analysis !== undefined);
  }

  get interpreter(): InterpreterInfo | null {
    return this.interpreterInfo;
  }

  /** Workspace files indexed so far, of the files to index, while any family's index fills. */
  get indexing(): { done: number; total: number } | undefined {
    let progress: { done: number; total: number } | undefined;
    for (const family of FAMILIES) {
      const indexed = this.backends[family].indexProgress;
      if (indexed) progress = { done: (progress?.done ?? 0) + indexed.done, total: (progress?.total ?? 0) + indexed.total };
    }
    return progress;
  }

  get busy(): boolean {
    return FAMILIES.some((family) => {
      const { indexingActive, pass } = this.backends[family];
      return indexingActive || pass.timer !== undefined || pass.running !== undefined;
    });
  }

  reports(): readonly FileReport[] {
    this.configured ??= [...this.workspace.values()].map((report) => withSeverities(report, this.severity));
    return this.configured;
  }

  /** The findings of one report with the configured severities (rules set to `off` removed). */
  configuredFindings(report: FileReport): Finding[] {
    return withSeverities(report, this.severity).findings;
  }

  async whenAnalyzed(): Promise<void> {
    await this.whenIndexed();
    for (const { family, pass } of this.started()) {
      while (pass.timer || pass.running) {
        if (pass.timer) {
          clearTimeout(pass.timer);
          pass.timer = undefined;
          void this.startPass(family);
        }
        await pass.running;
      }
    }
  }

  async refresh(): Promise<void> {
    await this.restart();
    await this.whenAnalyzed();
  }

  /**
   * Sends the document's text as it is now (with the edits that made it, when there are) to the host.
   * Called synchronously from the change event, so that every edit reaches the host, in order, with
   * the text it produced: the host's syntax tree then follows the document edit by edit.
   */
  private analyzeDocument(doc: vscode.TextDocument, changes?: readonly TextChange[]): Promise<FileReport | undefined> {
    const family = familyOf(doc.languageId);
    if (!family || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return Promise.resolve(undefined);
    const file = documentFile(doc);
    const key = doc.uri.toString();
    const version = doc.version;
    const known = this.openReports.get(key);
    if (known && known.version === version) return known.report;
    const text = doc.getText();
    this.open.set(file, doc);
    const current = (): boolean => this.openReports.get(key)?.version === version;
    let analyzedYet = false;
    const firstAnswer = this.firstAnswer(family, file, text)?.then((result) => {
      if (result && !analyzedYet && current()) this.publish(doc, result);
      return result;
    });
    const analyzed = this.ready(family)
      .then(({ host }) => host.call({ kind: 'update', file, text, ...(changes && changes.length > 0 && { changes: changes.map(plainChange) }) }))
      .then(
        (result) => {
          analyzedYet = true;
          if (current()) this.publish(doc, result);
          return result;
        },
        (error: Error) => {
          this.output.error(`analysis of ${doc.uri.fsPath} failed: ${error.stack ?? String(error)}`);
          return undefined;
        },
      );
    const report = firstAnswer ? firstReport(firstAnswer, analyzed) : analyzed;
    this.openReports.set(key, { version, report });
    return report;
  }

  /**
   * The document's report from its own text, while the family's analyzer starts (see `Backend.firstAnswers`);
   * undefined once the analyzer is ready, or for a family that starts without an interpreter anyway.
   */
  private firstAnswer(family: Family, file: string, text: string): Promise<FileReport | undefined> | undefined {
    const backend = this.backends[family];
    if (!LANGUAGES[family].interpreter || backend.analysisReady) return undefined;
    const asked = takePrestartedAnswer(file, text);
    if (!backend.firstAnswers) {
      const early = takePrestartedHost(family);
      const started = early?.since ?? Date.now();
      const host = early?.host ?? startHostWithoutInterpreter(family, this.cacheDirectory);
      const answer = asked ?? host.then((client) => client.call({ kind: 'update', file, text }));
      if (!asked) {
        answer.then(
          () => this.output.info(`first answer for ${path.basename(file)} in ${Date.now() - started} ms (the file alone: no interpreter, no index yet)`),
          (error: Error) => this.output.warn(`no first answer for ${path.basename(file)}: ${error.message}`),
        );
      }
      backend.firstAnswers = { host, answered: answer.catch(() => undefined) };
      return answer.catch(() => undefined);
    }
    return asked ?? backend.firstAnswers.host.then((client) => client.call({ kind: 'update', file, text })).catch(() => undefined);
  }

  /** A report of the document's latest version (sent, or re-decided after another module changed). */
  private publish(doc: vscode.TextDocument, report: FileReport): void {
    const key = doc.uri.toString();
    const known = this.openReports.get(key);
    if (known) known.report = Promise.resolve(report);
    if (this.indexed.has(report.path)) this.setWorkspaceReport(report);
    this.changed.fire(doc.uri);
  }

  private setWorkspaceReport(report: FileReport): void {
    this.workspace.set(report.path, report);
    this.workspaceDidChange();
  }

  /** Many reports change at once (a pass, typing): the views hear of it once. */
  private workspaceDidChange(): void {
    this.configured = undefined;
    if (this.workspaceChangeTimer) return;
    this.workspaceChangeTimer = setTimeout(() => {
      this.workspaceChangeTimer = undefined;
      this.workspaceChanged.fire();
    }, WORKSPACE_EVENT_MS);
  }

  /** After another module changed, open documents' verdicts may have changed too, and so may any other file's. */
  private async republishOpen(family: Family): Promise<void> {
    const { host } = await this.ready(family);
    for (const [file, doc] of this.open) {
      if (familyOf(doc.languageId) !== family) continue;
      const version = doc.version;
      const report = await host.call({ kind: 'report', file });
      if (this.openReports.get(doc.uri.toString())?.version === version) this.publish(doc, report);
    }
    this.scheduleWorkspacePass(family);
  }

  private scheduleWorkspacePass(family: Family): void {
    const { pass } = this.backends[family];
    if (pass.timer) clearTimeout(pass.timer);
    pass.generation++;
    pass.timer = setTimeout(() => {
      pass.timer = undefined;
      void this.startPass(family);
    }, WORKSPACE_DEBOUNCE_MS);
  }

  /** Starts a pass of the current generation (the host then cancels the one running, if any). */
  private startPass(family: Family): Promise<void> {
    const { pass } = this.backends[family];
    const running: Promise<void> = this.analyzeWorkspace(family, pass.generation)
      .finally(() => {
        if (pass.running !== running) return;
        pass.running = undefined;
        this.workspaceDidChange(); // no longer busy
      });
    pass.running = running;
    return running;
  }

  /**
   * Re-decides every workspace file's report in the analysis host (which yields between slices, so
   * that edits are answered meanwhile); the reports that changed arrive as the pass goes.
   */
  private async analyzeWorkspace(family: Family, generation: number): Promise<void> {
    const backend = this.backends[family];
    if (generation !== backend.pass.generation) return;
    try {
      const { host } = await this.ready(family);
      await backend.indexing;
      const started = performance.now();
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Concurrency Lens: analyzing ${FAMILY_FILES[family].noun} files` },
        async () => {
          const pass = await host.call({ kind: 'pass' }, (event) => {
            if (event.kind !== 'reports') return;
            for (const report of event.reports) {
              if (this.indexed.has(report.path) && !this.open.has(report.path)) this.workspace.set(report.path, report);
            }
            this.workspaceDidChange();
          });
          if (!pass) return;
          for (const file of this.workspace.keys()) {
            if (!this.indexed.has(file) && familyOfFile(file) === family) this.workspace.delete(file);
          }
          this.workspaceDidChange();
          void vscode.commands.executeCommand('setContext', Contexts.workspaceAnalyzed, true);
          const took = Math.round(performance.now() - started);
          this.output.info(`analyzed ${pass.files} workspace ${FAMILY_FILES[family].noun} files in ${took} ms in the analysis host (${pass.slices} slices, longest ${pass.longestSliceMs.toFixed(1)} ms)`);
        },
      );
    } catch (error) {
      this.output.error(`analyzing the workspace failed: ${(error as Error).stack ?? String(error)}`);
    }
  }

  private async revalidateLibraries(family: Family): Promise<void> {
    const { host } = await this.ready(family);
    if (await host.call({ kind: 'revalidateLibraries' })) await this.republishOpen(family);
  }

  private async closed(doc: vscode.TextDocument): Promise<void> {
    const file = documentFile(doc);
    const family = familyOf(doc.languageId);
    if (!this.open.delete(file) || !family) return;
    this.openReports.delete(doc.uri.toString());
    const { host } = await this.ready(family);
    // Back to the file on disk (the editor may have closed without saving).
    const report = await host.call({ kind: 'close', file });
    if (report && this.indexed.has(file)) this.setWorkspaceReport(report);
  }

  /**
   * A file changed on disk: its analyzer reads it (TS/JS only once that analyzer runs: a disk change
   * does not start it). A symlink is read as the file it leads to inside the workspace; one leading
   * outside, a FIFO or a device (a checkout can make them) is not read, and leaves the analysis.
   */
  private async diskChanged(changed: vscode.Uri): Promise<void> {
    const uri = sourceResolver()(changed);
    if (!uri) return this.diskDeleted(changed);
    const family = familyOfFile(uri.fsPath);
    if (!family || this.open.has(uri.fsPath) || !analyzedFilter()(uri)) return;
    if (LANGUAGES[family].startsWithItsDocuments && !this.backends[family].analysis) return;
    const { host } = await this.ready(family);
    await this.backends[family].indexing;
    await host.call({ kind: 'load', files: [uri.fsPath] });
    this.indexed.add(uri.fsPath);
    await this.republishOpen(family);
  }

  private async diskDeleted(uri: vscode.Uri): Promise<void> {
    const family = familyOfFile(uri.fsPath);
    if (!family || this.open.has(uri.fsPath) || !this.backends[family].analysis) return;
    const { host } = await this.ready(family);
    await this.backends[family].indexing;
    await host.call({ kind: 'remove', file: uri.fsPath });
    this.indexed.delete(uri.fsPath);
    if (this.workspace.delete(uri.fsPath)) this.workspaceDidChange();
    await this.republishOpen(family);
  }

  private ready(family: Family): Promise<Analysis> {
    const backend = this.backends[family];
    if (!backend.analysis) {
      // The open documents' first answers go first: the analyzer's start (an interpreter to run, libraries to read) competes with them for the cores.
      const firstAnswered = backend.firstAnswers?.answered ?? Promise.resolve();
      const analysis = firstAnswered.then(() => (LANGUAGES[family].interpreter ? this.createPythonAnalysis() : this.createTypeScriptAnalysis(family)));
      backend.analysis = analysis.then((started) => {
        backend.analysisReady = true;
        void stopFirstAnswers(backend);
        backend.indexing = this.indexWorkspace(family, started);
        return started;
      });
      backend.analysis.catch((error: Error) => {
        this.output.error(`the ${FAMILY_FILES[family].noun} analyzer could not start: ${error.stack ?? error.message}`);
        void vscode.window
          .showErrorMessage(`Concurrency Lens could not start its ${FAMILY_FILES[family].noun} analyzer: ${error.message}`, 'Show Output')
          .then((choice) => choice && this.output.show());
      });
    }
    return backend.analysis;
  }

  /** The TS/JS analyzer: ts-morph in its own worker, loaded now (the first TS/JS document), never at activation. */
  private async createTypeScriptAnalysis(family: Family): Promise<Analysis> {
    const early = takePrestartedHost(family);
    const started = early?.since ?? Date.now();
    const host = await (early?.host ?? startHostWithoutInterpreter(family, this.cacheDirectory));
    this.output.info(`TypeScript/JavaScript analyzer ready in ${Date.now() - started} ms`);
    return { host, stop: new AbortController() };
  }

  private async createPythonAnalysis(): Promise<Analysis> {
    const config = readConfig();
    const started = Date.now();
    if (!this.environmentListener) {
      this.environmentListener = onDidChangePythonEnvironment(() => {
        if (!readConfig().pythonPath) void this.restart();
      });
    }
    const interpreter = await chooseInterpreter(config.pythonPath, this.output);
    const host = await AnalysisHostClient.start({ python: interpreter.path, followLibraries: config.followLibraries, interpreterCwd: interpreter.cwd, cacheDirectory: this.cacheDirectory }, path.join(__dirname, 'analysisHost.js'), PYTHON_HOST_LIMITS);
    if (host.warning) {
      void vscode.window.showWarningMessage(`Concurrency Lens: ${host.warning}. Verdicts use the knowledge base only.`);
    }
    const info = host.interpreter;
    this.interpreterInfo = info;
    this.output.info(
      `analyzer ready in ${Date.now() - started} ms; interpreter (from the ${interpreter.source}): ${info ? `${info.path} ${info.version}${info.gilEnabled ? '' : ' (free-threaded)'}` : 'none (knowledge base only)'}`,
    );
    return { host, stop: new AbortController() };
  }

  /** Has the host read and parse the workspace's files of its family, with progress in the status bar. */
  private async indexWorkspace(family: Family, { host, stop }: Analysis): Promise<void> {
    const backend = this.backends[family];
    const noun = FAMILY_FILES[family].noun;
    backend.indexingActive = true;
    this.workspaceDidChange();
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Concurrency Lens: indexing ${noun} files` },
        async (progress) => {
          const started = Date.now();
          const files = (await findWorkspaceFiles(family)).map((uri) => uri.fsPath);
          let reported = 0;
          backend.indexProgress = { done: 0, total: files.length };
          this.workspaceDidChange();
          await host.call({ kind: 'index', files }, (event) => {
            if (event.kind !== 'progress') return;
            backend.indexProgress = { done: event.done, total: event.total };
            this.workspaceDidChange();
            const percent = Math.floor((100 * event.done) / event.total);
            if (percent > reported) {
              progress.report({ message: `${event.done}/${event.total}`, increment: percent - reported });
              reported = percent;
            }
          });
          if (stop.signal.aborted) return;
          for (const file of files) this.indexed.add(file);
          this.output.info(`indexed ${files.length} ${noun} files in ${Date.now() - started} ms`);
          // Calls into the modules just read may change the open documents' verdicts.
          await this.republishOpen(family);
          backend.pass.generation++;
          void this.startPass(family);
        },
      );
    } catch (error) {
      if (!stop.signal.aborted) this.output.error(`indexing the workspace's ${noun} files failed: ${(error as Error).message}`);
    } finally {
      if (!stop.signal.aborted) {
        backend.indexingActive = false;
        backend.indexProgress = undefined;
        this.workspaceDidChange();
      }
    }
  }

  /** Every started analyzer again from scratch (settings changed, trust granted, Re-analyze Workspace). */
  private async restart(): Promise<void> {
    const previous = this.started();
    this.openReports.clear();
    this.open.clear();
    this.indexed.clear();
    this.workspace.clear();
    const stopping = previous.flatMap((backend) => [disposeAnalysis(backend.analysis), stopFirstAnswers(backend)]);
    for (const backend of previous) {
      clearTimeout(backend.pass.timer);
      Object.assign(backend, newBackend(backend.family), { pass: { generation: backend.pass.generation + 1 } });
    }
    this.workspaceDidChange();
    if (previous.length === 0) return;
    await Promise.all(stopping);
    this.start();
    // The workspace was being analyzed (the views, diagnostics): it still is, under the new settings.
    for (const backend of previous) void this.ready(backend.family);
  }

  dispose(): void {
    for (const family of FAMILIES) {
      const backend = this.backends[family];
      backend.pass.generation++;
      clearTimeout(backend.pass.timer);
      void disposeAnalysis(backend.analysis);
      void stopFirstAnswers(backend);
    }
    clearTimeout(this.workspaceChangeTimer);
    for (const s of this.subscriptions) s.dispose();
    void this.environmentListener?.then((listener) => listener.dispose());
  }
}

function newBackend(family: Family): Backend {
  return { family, analysis: undefined, analysisReady: false, firstAnswers: undefined, indexing: Promise.resolve(), indexingActive: false, indexProgress: undefined, pass: { generation: 0 } };
}

/**
 * A host that runs no interpreter: for Python, the one that answers open documents from their own text
 * alone (no libraries); for TS/JS, the analyzer's own (it needs none).
 */
function startHostWithoutInterpreter(family: Family, cacheDirectory: string | undefined): Promise<AnalysisHostClient> {
  const python = LANGUAGES[family].interpreter;
  return AnalysisHostClient.start({ python: null, followLibraries: false, cacheDirectory }, path.join(__dirname, python ? 'analysisHost.js' : 'typescriptHost.js'), python ? PYTHON_HOST_LIMITS : undefined);
}

/** Per family, the host started as the extension's module loaded, until the extension takes it. */
const prestarted = new Map<Family, { host: Promise<AnalysisHostClient>; since: number }>();
/**
 * The open documents' first answers asked of the prestarted hosts, by file (Python's only: the TS/JS host
 * is that family's analyzer), until the extension takes them.
 */
const prestartedAnswers = new Map<string, { text: string; report: Promise<FileReport | undefined> }>();

/**
 * Starts, as the extension's module loads, the host that first answers each open document's family
 * (Python's first answers, the TS/JS analyzer), and asks it for the open Python documents' first answers:
 * VS Code loads an extension's module and its context (storage) side by side and calls `activate` after
 * both, and the window, busy starting, answers for the context late (0.5 s to 2 s after the module
 * loaded); a host's start (a worker, the parser's WASM, the TypeScript compiler) and a first answer fit
 * in that wait, and `activate` finds the answer ready. Without the context, such a host has no cache of
 * facts (the TS/JS host keeps its compiled code's cache in the command line's cache folder wherever it starts).
 */
export function prestartHosts(output: vscode.LogOutputChannel): vscode.Disposable {
  const start = (doc: vscode.TextDocument): void => {
    const family = familyOf(doc.languageId);
    if (!family || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return;
    if (!prestarted.has(family)) {
      const since = Date.now();
      const host = startHostWithoutInterpreter(family, undefined);
      host.then(
        ({ startup }) => output.info(`${FAMILY_FILES[family].noun} host started as the module loaded: ready in ${Date.now() - since} ms (its script loaded after ${startup.loadedAt - since} ms, its analyzer after ${startup.readyAt - since} ms)${atTime(Date.now())}`),
        () => undefined,
      );
      prestarted.set(family, { host, since });
    }
    const early = prestarted.get(family);
    if (!early || !LANGUAGES[family].interpreter) return;
    const file = documentFile(doc);
    const text = doc.getText();
    const report = early.host
      .then((client) => client.call({ kind: 'update', file, text }))
      .then(
        (answer) => {
          output.info(`first answer for ${path.basename(file)} in ${Date.now() - early.since} ms, asked as the module loaded (the file alone: no interpreter, no index yet)${atTime(Date.now())}`);
          return answer;
        },
        (error: Error) => {
          output.warn(`no first answer for ${path.basename(file)}: ${error.message}`);
          return undefined;
        },
      );
    prestartedAnswers.set(file, { text, report });
  };
  vscode.workspace.textDocuments.forEach(start);
  // The document that activates the extension may reach this thread just after its module.
  return vscode.workspace.onDidOpenTextDocument(start);
}

/** The first answer asked as the module loaded for this text of `file`, taken once. */
function takePrestartedAnswer(file: string, text: string): Promise<FileReport | undefined> | undefined {
  const answer = prestartedAnswers.get(file);
  prestartedAnswers.delete(file);
  return answer?.text === text ? answer.report : undefined;
}

/** What the hosts call a document: its path, or its URI when it has none on disk. */
function documentFile(doc: vscode.TextDocument): string {
  return doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
}

/**
 * A log line's own time, for lines logged before `activate`: the log channel writes them only once the
 * window has answered its creation, with the time they were written.
 */
export function atTime(at: number): string {
  return ` (at ${new Date(at).toISOString()})`;
}

function takePrestartedHost(family: Family): { host: Promise<AnalysisHostClient>; since: number } | undefined {
  const taken = prestarted.get(family);
  prestarted.delete(family);
  return taken;
}

async function stopFirstAnswers(backend: Backend): Promise<void> {
  const host = backend.firstAnswers?.host;
  backend.firstAnswers = undefined;
  await (await host?.catch(() => undefined))?.dispose();
}

/** The first report to arrive of the two; the analyzer's when the first answer has none. */
function firstReport(firstAnswer: Promise<FileReport | undefined>, analyzed: Promise<FileReport | undefined>): Promise<FileReport | undefined> {
  return new Promise((resolve) => {
    void firstAnswer.then((report) => report && resolve(report));
    void analyzed.then(resolve);
  });
}

async function disposeAnalysis(analysis: Promise<Analysis> | undefined): Promise<void> {
  const started = await analysis?.catch(() => undefined);
  if (!started) return;
  const { host, stop } = started;
  stop.abort();
  await host.dispose();
}

/** VS Code's ranges are class instances: the host gets plain data. */
function plainChange(change: TextChange): TextChange {
  const { start, end } = change.range;
  return {
    rangeOffset: change.rangeOffset,
    rangeLength: change.rangeLength,
    text: change.text,
    range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
  };
}

function withSeverities(report: FileReport, severity: Record<string, RuleSeverity>): FileReport {
  if (report.findings.every((finding) => (severity[finding.rule] ?? finding.severity) === finding.severity)) return report;
  const findings: Finding[] = [];
  for (const finding of report.findings) {
    const configured = severity[finding.rule] ?? finding.severity;
    if (configured !== 'off') findings.push({ ...finding, severity: configured });
  }
  return { ...report, findings };
}
