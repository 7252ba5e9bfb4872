import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { calleeOf, probedTaskSeconds, SHORT_TASK_SECONDS, tasksToFill, type CallSuggestion, type SourceFile } from '../core/bench/callSuggestion';
import { DASK_INSTALL_HINT, type BenchMode } from '../core/bench/events';
import { agreement, benchRecord, renderBenchMarkdown } from '../core/bench/record';
import { DEFAULT_REPEATS, defaultWorkers } from '../core/bench/recommend';
import type { PanelRunInfo } from '../core/bench/panelProtocol';
import { runBench, type BenchOutcome, type BenchRequest } from '../core/bench/runner';
import { Monitor } from '../core/monitor/monitor';
import { measurableVerdict } from '../core/dispatch';
import { readTextFile } from '../core/files';
import type { FunctionReport } from '../core/model';
import type { AnalysisService } from './analysisService';
import { readConfig } from './config';
import { Commands, SECTION, Settings } from './constants';
import { BenchmarkPanel } from './benchmarkPanel';
import { chooseInterpreter } from './interpreter';
import { compareModes, FAMILIES, LANGUAGES, runnableFamilyOf } from '../core/languages';
import { familyOf, familyOfFile, isAnalyzedLanguage, type Family } from './languages';
import type { MeasuredResults } from './measuredResults';
import { innermostAt } from './verdictLenses';
import type { RunHistory, RunRecord } from './runHistory';

/** Which modes a benchmark compares: one pool against sequential, or all of them. */
export type BenchKind = 'threads' | 'processes' | 'compare';

/** What a caller (a test, another extension) may decide instead of asking. */
export interface BenchOptions {
  call?: string;
  tasks?: number;
  workers?: number[];
}

const RUNNING_CONTEXT = 'concurrencyLens.benchmarkRunning';
/** The probe of a new call: this many tasks, sequentially; a task running longer than PROBE_LONG_MS is long enough. */
const PROBE_TASKS = 3;
const PROBE_LONG_MS = 1000;
const PROBE_TIMEOUT_SECONDS = 20;
/** Call sites are looked for in at most this many of the workspace's files. */
const MAX_CALL_SITE_FILES = 2000;
/**
 * The setting that adds the dask mode to Compare: `local` (a LocalCluster of worker processes here) or a
 * scheduler's address (`tcp://HOST:PORT`); empty: no dask. Opt-in: a cluster's start-up would slow every
 * Compare. Restricted in untrusted workspaces.
 */
const DASK_SCHEDULER_SETTING = 'dask.scheduler';
const LOCAL_CLUSTER = 'local';

/**
 * Runs the user's functions for real (the harness in their interpreter): commands, the lens actions,
 * progress with cancel, one run at a time, the results as a document, each run kept in the history.
 */
export class Benchmarks implements vscode.Disposable {
  private current: { label: string; controller: AbortController; info?: PanelRunInfo } | undefined;
  private readonly daskAvailable = new Map<string, Promise<boolean>>();
  private readonly panel: BenchmarkPanel;
  private readonly status = vscode.window.createStatusBarItem('concurrencyLens.benchmark', vscode.StatusBarAlignment.Left, -101);
  private readonly subscriptions: vscode.Disposable[];
  /** Python's parser, loaded the first time a call is suggested. */

  constructor(
    extensionUri: vscode.Uri,
    private readonly analysis: AnalysisService,
    private readonly history: RunHistory,
    private readonly state: vscode.Memento,
    private readonly output: vscode.LogOutputChannel,
    private readonly measured: MeasuredResults,
  ) {
    this.panel = new BenchmarkPanel(extensionUri, {
      stop: () => this.current?.controller.abort(),
      export: (format, runId) => void this.exportRun(format, runId),
      restored: (state) => this.restoredPanel(state),
    });
    this.status.name = 'Concurrency Lens benchmark';
    this.status.command = Commands.stopBenchmark;
    const target = (kind: BenchKind) => (uri: vscode.Uri, qualname: string, options?: BenchOptions) => this.run(uri, qualname, kind, options);
    this.subscriptions = [
      this.status,
      this.panel,
      vscode.commands.registerCommand(Commands.runInThreads, target('threads')),
      vscode.commands.registerCommand(Commands.runInProcesses, target('processes')),
      vscode.commands.registerCommand(Commands.compare, target('compare')),
      vscode.commands.registerCommand(Commands.editCall, (on: vscode.Uri | { run: RunRecord }, qualname?: string, options?: BenchOptions) => this.editCall(on, qualname, options)),
      vscode.commands.registerCommand(Commands.benchmarkFunction, () => this.pickAndRun()),
      vscode.commands.registerCommand(Commands.benchmarkAtCursor, () => this.runAtCursor()),
      vscode.commands.registerCommand(Commands.stopBenchmark, () => this.current?.controller.abort()),
      vscode.commands.registerCommand(Commands.showRun, (id: string) => this.showRun(id)),
      vscode.commands.registerCommand(Commands.showMonitor, () => this.showMonitor()),
    ];
  }

  /** The function being benchmarked, if one is. */
  get running(): string | undefined {
    return this.current?.label;
  }

  /** Kinds of the messages sent to the live panel so far (for tests). */
  get panelMessages(): readonly string[] {
    return this.panel.posted;
  }

  /**
   * Benchmarks `qualname` of `uri`: asks for the call the first time (then remembers it), runs the
   * harness with progress and cancel, stores the run, and offers the results. Resolves to the stored
   * run (undefined when nothing ran).
   */
  async run(uri: vscode.Uri, qualname: string, kind: BenchKind, options: BenchOptions = {}, typed = false): Promise<RunRecord | undefined> {
    // Messages are not awaited: the command settles at once, whether or not they are answered.
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Concurrency Lens: running your code needs a trusted workspace.', 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    const running = this.current;
    if (running) {
      void vscode.window.showWarningMessage(`Concurrency Lens: a benchmark of ${running.label} is running; one runs at a time.`, 'Stop It').then((choice) => {
        if (choice) running.controller.abort();
      });
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const report = await this.analysis.documentReport(doc);
    const fn = report.functions.find((f) => f.qualname === qualname);
    let call = options.call;
    if (call === undefined) {
      typed = this.state.get<string>(callKey(uri, qualname)) === undefined;
      call = await this.callFor(doc, qualname, fn);
    }
    if (!call) return undefined;
    if (doc.isDirty) await doc.save();
    const ranText = doc.getText();

    const settings = readConfig(uri);
    const config = settings.benchmark;
    const family = runnableFamilyOf(uri.fsPath) ?? 'python';
    let tasks = options.tasks ?? this.state.get<number>(tasksKey(uri, qualname)) ?? config.tasks;
    const workers = options.workers ?? (config.workers.length > 0 ? config.workers : defaultWorkers(os.availableParallelism(), fn && measurableVerdict(fn).verdict));
    const modes = benchModes(kind, family, fn?.async ?? false);
    const runtime = LANGUAGES[family].runtime === 'node'
      ? { runtime: 'node' as const, ...(settings.nodePath && { node: settings.nodePath }) }
      : { runtime: 'python' as const, python: (await chooseInterpreter(settings.pythonPath, this.output)).path ?? 'python3' };
    // Compare adds a Dask cluster when the setting asks for one and the interpreter has distributed; without it the mode is left out, and the log says why.
    const daskSetting = vscode.workspace.isTrusted ? vscode.workspace.getConfiguration(SECTION, uri).get<string>(DASK_SCHEDULER_SETTING, '').trim() : '';
    const daskScheduler = daskSetting === LOCAL_CLUSTER ? '' : daskSetting;
    if (runtime.runtime === 'python' && kind === 'compare' && daskSetting !== '') {
      if (await this.hasDask(runtime.python)) modes.push('dask');
      else this.output.info(`the dask mode is unavailable with ${runtime.python}: distributed is not installed (${DASK_INSTALL_HINT})`);
    }
    const cwd = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    // A call just typed is timed once first: a task of microseconds measures the pools' overhead, not the work.
    while (typed) {
      const decision = await this.probe(qualname, call, tasks, { ...runtime, file: uri.fsPath, qualname, call, cwd, startMethod: config.startMethod });
      if (decision === undefined) return undefined;
      if (typeof decision === 'number') {
        tasks = decision;
        break;
      }
      call = await this.callFor(doc, qualname, fn, true);
      if (!call) return undefined;
    }
    const controller = new AbortController();
    const label = qualname;
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const info: PanelRunInfo = {
      id,
      function: qualname,
      file: vscode.workspace.asRelativePath(uri),
      call,
      tasks,
      cores: os.availableParallelism(),
      modes,
      workers,
      staticVerdict: fn ? measurableVerdict(fn) : null,
    };
    this.current = { label, controller, info };
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
    const started = new Date();
    try {
      const outcome = await this.runWithProgress(label, {
        ...runtime,
        file: uri.fsPath,
        qualname,
        call,
        tasks,
        modes,
        workers,
        startMethod: config.startMethod,
        timeoutSeconds: config.timeoutSeconds,
        budgetSeconds: config.timeBudgetSeconds,
        ...(modes.includes('dask') && daskScheduler && { daskScheduler }),
        cwd,
        signal: controller.signal,
      });
      const run = await this.finished(id, uri, qualname, call, tasks, fn, outcome, started);
      // Kept per function and source (`.concurrency-lens/`): the lens, hover and views show it.
      if (run && fn) this.measured.record(uri, fn, ranText, run, started);
      return run;
    } finally {
      this.current = undefined;
      this.status.hide();
      void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    }
  }

  /** Whether `python` can import distributed (the dask mode), asked once per interpreter (a look-up, not the import). */
  private hasDask(python: string): Promise<boolean> {
    let known = this.daskAvailable.get(python);
    if (!known) {
      known = new Promise((resolve) => {
        execFile(python, ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("distributed") is None)'], { timeout: 10_000 }, (error) => resolve(error === null));
      });
      this.daskAvailable.set(python, known);
    }
    return known;
  }

  private runWithProgress(label: string, request: Parameters<typeof runBench>[0]): Thenable<BenchOutcome> {
    const monitor = new Monitor({ intervalMs: readConfig().monitorIntervalMs, onSample: (sample) => this.panel.post({ kind: 'sample', sample }) });
    let watching = false;
    const runsAhead = request.modes.reduce((count, mode) => count + (mode === 'sequential' ? 1 : request.workers.length), 0);
    const total = runsAhead * request.tasks;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Benchmarking ${label}`, cancellable: true },
      (progress, token) => {
        const stopOnCancel = token.onCancellationRequested(() => this.current?.controller.abort());
        let finishedTasks = 0;
        let reported = 0;
        let round = 1;
        return runBench({
          ...request,
          onEvent: (event) => {
            if (event.type === 'hello') monitor.watch(event.pid);
            if (event.type === 'worker') monitor.watch(event.pid);
            if (event.type === 'run-start' && !watching) {
              // The module imported and the function exists: the live view starts with the first run.
              watching = true;
              this.startPanel();
              monitor.start();
            }
            if (watching) this.panel.post({ kind: 'event', event });
            if (event.type === 'run-start') round = Math.max(round, event.round ?? 1);
            if (event.type === 'run-end') finishedTasks += request.tasks;
            if (event.type !== 'progress') return;
            // Every configuration runs once per round: at least DEFAULT_REPEATS rounds, more while they disagree.
            const planned = total * Math.max(DEFAULT_REPEATS, round);
            const percent = Math.min(100, (100 * (finishedTasks + event.done)) / planned);
            const what = `${event.mode}${event.mode === 'sequential' ? '' : ` ×${event.workers}`}: ${event.done}/${event.total}, round ${round}`;
            progress.report({ message: what, increment: Math.max(0, percent - reported) });
            reported = Math.max(reported, percent);
            this.status.text = `$(sync~spin) ${label}: ${what}`;
            this.status.tooltip = 'Concurrency Lens is benchmarking: click to stop';
            this.status.show();
          },
        }).finally(() => {
          stopOnCancel.dispose();
          monitor.stop();
        });
      },
    );
  }

  private async finished(
    id: string,
    uri: vscode.Uri,
    qualname: string,
    call: string,
    tasks: number,
    fn: FunctionReport | undefined,
    outcome: BenchOutcome,
    started: Date,
  ): Promise<RunRecord | undefined> {
    if (outcome.kind !== 'no-interpreter' && outcome.stderr.trim()) {
      this.output.info(`output of the benchmark of ${qualname} (stderr):\n${outcome.stderr.trimEnd()}`);
    }
    const family: Family = runnableFamilyOf(uri.fsPath) ?? 'python';
    if (outcome.kind === 'no-interpreter') {
      const [what, setting] = family === 'python' ? ['Python interpreter', Settings.pythonPath] : ['Node executable', Settings.nodePath];
      void vscode.window.showErrorMessage(`Concurrency Lens: ${outcome.message}. Choose the ${what} to run with.`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${setting}`);
      });
      return undefined;
    }
    if (outcome.kind === 'input-error') {
      const { error } = outcome;
      this.output.error(`benchmark of ${qualname}: ${error.exception}: ${error.message}\n${error.traceback}`);
      const language = LANGUAGES[family].runtimeNoun;
      const what = error.stage === 'import' ? `${vscode.workspace.asRelativePath(uri)} could not be loaded` : error.stage === 'call' ? `the call \`${call}\` is not a valid ${language} expression` : 'the benchmark could not start';
      const actions = ['Show Output', ...(error.stage === 'call' || error.stage === 'function' ? ['Change Call'] : [])];
      void vscode.window.showErrorMessage(`Concurrency Lens: ${what}: ${error.exception}: ${error.message}`, ...actions).then((choice) => {
        if (choice === 'Show Output') this.output.show();
        if (choice === 'Change Call') void vscode.commands.executeCommand(Commands.editCall, uri, qualname);
      });
      return undefined;
    }
    const record = benchRecord({ file: vscode.workspace.asRelativePath(uri), function: qualname, call }, tasks, outcome, fn && { ...fn, ...measurableVerdict(fn) }, os.availableParallelism(), readConfig(uri).benchmark.timeBudgetSeconds);
    const timeline = this.panel.recordedTimeline(id);
    const run: RunRecord = { ...record, id, startedAt: started.toISOString(), uri: uri.toString(), ...(timeline && { timeline }) };
    await this.history.add(run);
    this.panel.post({ kind: 'end', record: run });
    this.output.info(`benchmark of ${qualname}: ${record.recommendation ?? (record.inconclusive ? 'inconclusive' : 'no verdict')} (${record.reason})${record.stopped ? `; stopped: ${record.stopped}` : ''}`);
    const agrees = agreement(record);
    const verdict = record.recommendation ? `use ${record.recommendation}: ${record.reason}` : record.inconclusive ? `inconclusive: ${record.inconclusive}` : 'no mode finished';
    const comparison = agrees === null ? '' : agrees ? ' The static verdict agrees.' : ` The static verdict said ${record.staticVerdict?.recommendation}: the measurement settles it.`;
    const failed = record.runs.filter((r) => r.error !== null);
    const problems = record.stopped
      ? ` Stopped: ${record.stopped}.`
      : failed.length > 0
        ? ` ${failed.length} run(s) failed: ${failed[0]?.error ?? ''}`
        : record.warning
          ? ` Careful: ${record.warning}.`
          : '';
    const show = problems ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`${qualname}: ${verdict}.${comparison}${problems}`, 'Show Results').then((choice) => {
      if (choice) void this.showRun(run.id);
    });
    return run;
  }

  /**
   * The remembered call of a function, or the one the user types: pre-filled with `initial`, the
   * remembered call, or a suggestion (a call site in the workspace, else the signature). A typed call
   * is remembered (and the task count remembered with the previous call forgotten).
   */
  private async callFor(doc: vscode.TextDocument, qualname: string, fn: FunctionReport | undefined, ask = false, initial?: string): Promise<string | undefined> {
    const key = callKey(doc.uri, qualname);
    const remembered = this.state.get<string>(key);
    if (remembered && !ask) return remembered;
    const suggestion = (initial ?? remembered) === undefined ? await this.suggestedCall(doc, qualname, fn) : undefined;
    const value = initial ?? remembered ?? suggestion?.call ?? `${qualname}(i)`;
    const language = familyOf(doc.languageId) === 'typescript' ? 'JavaScript expression with the module\'s exports in scope (`await` allowed)' : 'Python expression in the module';
    const origin = suggestion ? ` Pre-filled from ${suggestion.from}.` : ' Remembered for this function until you edit it.';
    const call = await vscode.window.showInputBox({
      title: `Benchmark ${qualname}: the call`,
      prompt: `The call to run per task: a ${language}, with i = the task index (0, 1, …).${origin}`,
      value,
      valueSelection: [value.indexOf('(') + 1, value.lastIndexOf(')')],
      validateInput: (text) => (text.trim() === '' ? `Type the call, e.g. ${value}` : undefined),
      ignoreFocusOut: true,
    });
    if (!call) return undefined;
    await this.state.update(key, call.trim());
    await this.state.update(tasksKey(doc.uri, qualname), undefined);
    return call.trim();
  }

  /**
   * What the call box pre-fills: a runnable call site in the workspace's files of the same language
   * family, else one from the signature (asked of the language's analysis host).
   */
  private async suggestedCall(doc: vscode.TextDocument, qualname: string, fn: FunctionReport | undefined): Promise<CallSuggestion> {
    const family = familyOf(doc.languageId);
    const callee = calleeOf(qualname, family === 'typescript');
    if (!fn || !family) return { call: `${callee}(i)`, from: 'the function\'s name' };
    try {
      const target: SourceFile = { path: doc.uri.fsPath, text: doc.getText() };
      const others = this.analysis
        .reports()
        .filter((report) => familyOfFile(report.path) === family && report.path !== target.path)
        .slice(0, MAX_CALL_SITE_FILES)
        .map((report) => ({ path: report.path, text: openText(report.path) }))
        .filter((file): file is SourceFile => file.text !== undefined);
      return await this.analysis.callSuggestion(doc, qualname, fn.line, [target, ...others]);
    } catch (error) {
      this.output.warn(`no call suggestion for ${qualname}: ${error instanceof Error ? error.message : String(error)}`);
      return { call: `${callee}(i)`, from: 'the function\'s name' };
    }
  }

  /**
   * Times a few calls sequentially (a cancellable notification). Resolves to the task count to run
   * with, 'edit' to change the call, or undefined to run nothing; a task under SHORT_TASK_SECONDS is
   * said to be too short, with choices.
   */
  private async probe(qualname: string, call: string, tasks: number, request: Omit<BenchRequest, 'tasks' | 'modes' | 'workers' | 'timeoutSeconds'>): Promise<number | 'edit' | undefined> {
    const timed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Timing one call of ${qualname}…`, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let long: NodeJS.Timeout | undefined;
        let longEnough = false;
        try {
          const outcome = await runBench({
            ...request,
            tasks: PROBE_TASKS,
            modes: ['sequential'],
            workers: [1],
            timeoutSeconds: PROBE_TIMEOUT_SECONDS,
            signal: controller.signal,
            // One round, no repetitions: only how long a call takes matters here.
            repeats: 1,
            budgetSeconds: 0,
            onEvent: (event) => {
              if ((event.type !== 'warmup-start' && event.type !== 'run-start') || long) return;
              long = setTimeout(() => {
                longEnough = true;
                controller.abort();
              }, PROBE_LONG_MS);
            },
          });
          return { outcome, longEnough, cancelled: token.isCancellationRequested };
        } finally {
          clearTimeout(long);
          cancel.dispose();
        }
      },
    );
    if (timed.cancelled) return undefined;
    const perTask = probedTaskSeconds(timed.outcome);
    // Long tasks, and calls that fail (the full run reports why), run as asked.
    if (timed.longEnough || perTask === null || perTask >= SHORT_TASK_SECONDS) return tasks;
    const more = tasksToFill(perTask, tasks);
    const raise = more > tasks ? `Use ${more} Tasks` : undefined;
    const choice = await vscode.window.showWarningMessage(
      `Concurrency Lens: one call of \`${call}\` takes ${formatSeconds(perTask)}: under 1 ms, a pool's overhead outweighs the work and the comparison measures the overhead. Raise the argument (Edit Call…)${raise ? ' or the task count' : ''}, or run anyway.`,
      'Run Anyway',
      'Edit Call…',
      ...(raise ? [raise] : []),
    );
    if (choice === 'Run Anyway') return tasks;
    if (choice === 'Edit Call…') return 'edit';
    if (choice === raise && raise) {
      await this.state.update(tasksKey(vscode.Uri.file(request.file), qualname), more);
      return more;
    }
    return undefined;
  }

  /**
   * Edit Call…: from a lens (uri, qualname) or a run in the Runs view; asks for the call (pre-filled with
   * the run's or the remembered one), remembers it and runs again (a run's kind). A
   * caller may give the call in `options` instead of it being asked.
   */
  private async editCall(on: vscode.Uri | { run: RunRecord } | undefined, qualname?: string, options: BenchOptions = {}): Promise<RunRecord | undefined> {
    const run = on && !(on instanceof vscode.Uri) ? on.run : undefined;
    const uri = run ? vscode.Uri.parse(run.uri) : (on as vscode.Uri | undefined);
    const name = run?.target.function ?? qualname;
    if (!uri || !name) return undefined;
    const doc = await vscode.workspace.openTextDocument(uri);
    const fn = (await this.analysis.documentReport(doc)).functions.find((f) => f.qualname === name);
    const call = options.call ?? (await this.callFor(doc, name, fn, true, run?.target.call));
    if (!call) return undefined;
    if (options.call !== undefined) {
      await this.state.update(callKey(uri, name), call);
      await this.state.update(tasksKey(uri, name), undefined);
    }
    return this.run(uri, name, run ? kindOf(run) : 'compare', { ...options, call }, options.call === undefined);
  }

  /** Benchmark Function…: a quick pick of the workspace's functions (the active file's first), then the call. */
  private async pickAndRun(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    const reports = [...this.analysis.reports()];
    if (active && isAnalyzedLanguage(active.languageId)) {
      const own = await this.analysis.documentReport(active);
      if (!reports.some((r) => r.path === own.path)) reports.unshift(own);
      else reports.sort((a, b) => (a.path === own.path ? -1 : b.path === own.path ? 1 : 0));
    }
    const items = reports.flatMap((report) =>
      report.functions.map((fn) => ({
        label: fn.qualname,
        description: `${fn.verdict} · ${fn.recommendation}`,
        detail: `${vscode.workspace.asRelativePath(report.path)}:${fn.line}`,
        uri: vscode.Uri.file(report.path),
        fn,
      })),
    );
    if (items.length === 0) {
      void vscode.window.showInformationMessage('Concurrency Lens: no functions to benchmark yet (the workspace is still being analyzed, or has none).');
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Benchmark Function', placeHolder: 'The function to run for real', matchOnDescription: true, matchOnDetail: true });
    if (!picked) return;
    const doc = await vscode.workspace.openTextDocument(picked.uri);
    const call = await this.callFor(doc, picked.fn.qualname, picked.fn, true);
    if (call) await this.run(picked.uri, picked.fn.qualname, 'compare', { call }, true);
  }

  private async runAtCursor(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isAnalyzedLanguage(editor.document.languageId)) {
      void vscode.window.showInformationMessage('Concurrency Lens: put the cursor in a Python, TypeScript or JavaScript function to benchmark it.');
      return;
    }
    const line = editor.selection.active.line + 1;
    const report = await this.analysis.documentReport(editor.document);
    const fn = innermostAt(report.functions, line);
    if (!fn) {
      void vscode.window.showInformationMessage(`Concurrency Lens: no function at line ${line}.`);
      return;
    }
    const call = await this.callFor(editor.document, fn.qualname, fn, true);
    if (call) await this.run(editor.document.uri, fn.qualname, 'compare', { call }, true);
  }

  /** The live panel for the run in progress, from its start. */
  private startPanel(): void {
    const info = this.current?.info;
    if (!info) return;
    this.panel.show();
    this.panel.post({ kind: 'start', run: info });
  }

  /** Show Live Monitor: the run in progress (from now on), else the latest run's results. */
  private showMonitor(): void {
    const reopened = !this.panel.visible;
    this.panel.show(false);
    const info = this.current?.info;
    // An open panel already has the run (a `start` would clear its charts).
    if (info) {
      if (reopened) this.panel.post({ kind: 'start', run: info });
    } else {
      const latest = this.history.list()[0];
      if (latest) this.panel.post({ kind: 'show', record: latest });
    }
  }

  /**
   * A panel restored after a reload of the window, whose page last saved a run in progress: a reload ends every run
   * (and VS Code may have kept a state older than the page's last), so it shows the run's stored record, or that it
   * was interrupted.
   */
  private restoredPanel(state: unknown): void {
    const saved = state as { phase?: unknown; run?: { id?: unknown } } | undefined;
    const runId = saved?.phase === 'running' ? saved.run?.id : undefined;
    if (typeof runId !== 'string' || this.current?.info?.id === runId) return;
    const record = this.history.get(runId);
    this.panel.post(record ? { kind: 'show', record } : { kind: 'interrupted', runId });
  }

  private showRun(id: string): void {
    const run = this.history.get(id);
    if (!run) return;
    this.panel.show(false);
    this.panel.post({ kind: 'show', record: run });
  }

  /** The panel's Export: the run as Markdown or JSON, where the user says. */
  private async exportRun(format: 'md' | 'json', runId: string): Promise<void> {
    const run = this.history.get(runId);
    if (!run) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `benchmark-${run.target.function.replace(/[^\w.-]+/g, '_')}.${format}`;
    const target = await vscode.window.showSaveDialog({
      title: 'Concurrency Lens: Export Benchmark',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'md' ? { Markdown: ['md'] } : { JSON: ['json'] },
    });
    if (!target) return;
    const text = format === 'md' ? renderBenchMarkdown(run) : `${JSON.stringify(run, null, 2)}\n`;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(`Concurrency Lens: exported the benchmark of ${run.target.function} to ${vscode.workspace.asRelativePath(target)}`);
  }

  dispose(): void {
    this.current?.controller.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The modes a run compares: one pool against sequential (the language's threads or processes), or all of them. */
function benchModes(kind: BenchKind, family: Family, isAsync: boolean): BenchMode[] {
  return kind === 'compare' ? compareModes(family, isAsync) : ['sequential', LANGUAGES[family].pools[kind]];
}

function callKey(uri: vscode.Uri, qualname: string): string {
  return `concurrencyLens.call:${vscode.workspace.asRelativePath(uri)}:${qualname}`;
}

function tasksKey(uri: vscode.Uri, qualname: string): string {
  return `concurrencyLens.tasks:${vscode.workspace.asRelativePath(uri)}:${qualname}`;
}

/** A run's kind, from the modes it compared. */
function kindOf(run: RunRecord): BenchKind {
  const modes = new Set(run.runs.map((r) => r.mode));
  const threads = FAMILIES.some((family) => modes.has(LANGUAGES[family].pools.threads));
  const processes = FAMILIES.some((family) => modes.has(LANGUAGES[family].pools.processes));
  if (threads && !processes) return 'threads';
  if (processes && !threads) return 'processes';
  return 'compare';
}

/** The text of an open document, else of the file on disk; undefined when it cannot be read. */
function openText(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((doc) => doc.uri.fsPath === file);
  return open ? open.getText() : readTextFile(file);
}

function formatSeconds(seconds: number): string {
  return seconds >= 0.001 ? `${(seconds * 1000).toFixed(1)} ms` : `${(seconds * 1e6).toFixed(seconds < 1e-5 ? 1 : 0)} µs`;
}
