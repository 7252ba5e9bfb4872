/** Command IDs, view IDs and setting keys, in one place (a test checks them against package.json). */
export const Commands = {
  analyzeActiveFile: 'concurrencyLens.analyzeActiveFile',
  showOutput: 'concurrencyLens.showOutput',
  showEvidence: 'concurrencyLens.showEvidence',
  exportReport: 'concurrencyLens.exportReport',
  refreshWorkspace: 'concurrencyLens.refreshWorkspace',
  revealLocation: 'concurrencyLens.revealLocation',
  ignoreFinding: 'concurrencyLens.ignoreFinding',
  benchmarkFunction: 'concurrencyLens.benchmarkFunction',
  benchmarkAtCursor: 'concurrencyLens.benchmarkAtCursor',
  stopBenchmark: 'concurrencyLens.stopBenchmark',
  runInThreads: 'concurrencyLens.runInThreads',
  runInProcesses: 'concurrencyLens.runInProcesses',
  compare: 'concurrencyLens.compare',
  editCall: 'concurrencyLens.editCall',
  showRun: 'concurrencyLens.showRun',
  showMonitor: 'concurrencyLens.showMonitor',
  deleteRun: 'concurrencyLens.deleteRun',
  clearRuns: 'concurrencyLens.clearRuns',
  clearMeasured: 'concurrencyLens.clearMeasured',
} as const;

export const Views = {
  container: 'concurrencyLens',
  functions: 'concurrencyLens.functions',
  findings: 'concurrencyLens.findings',
  runs: 'concurrencyLens.runs',
} as const;

/** Context keys (`when` clauses in package.json). */
export const Contexts = {
  /** True once the workspace has been analyzed (the views' welcome texts wait for it). */
  workspaceAnalyzed: 'concurrencyLens.workspaceAnalyzed',
} as const;

export const SECTION = 'concurrencyLens';

export const Settings = {
  pythonPath: 'pythonPath',
  nodePath: 'nodePath',
  analysisExclude: 'analysis.exclude',
  followLibraries: 'analysis.followLibraries.enable',
  codeLensEnable: 'codeLens.enable',
  runActionsEnable: 'codeLens.runActions.enable',
  diagnosticsEnable: 'diagnostics.enable',
  diagnosticsSeverity: 'diagnostics.severity',
  benchmarkTasks: 'benchmark.tasks',
  benchmarkWorkers: 'benchmark.workers',
  benchmarkStartMethod: 'benchmark.startMethod',
  benchmarkTimeout: 'benchmark.timeoutSeconds',
  benchmarkTimeBudget: 'benchmark.timeBudget',
  monitorInterval: 'monitor.intervalMs',
} as const;
