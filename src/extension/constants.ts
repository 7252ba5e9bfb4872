/** Command IDs, view IDs and setting keys, in one place (a test checks them against package.json). */
export const Commands = {
  analyzeActiveFile: 'concurrencyLens.analyzeActiveFile',
  showOutput: 'concurrencyLens.showOutput',
  showEvidence: 'concurrencyLens.showEvidence',
  exportReport: 'concurrencyLens.exportReport',
  refreshWorkspace: 'concurrencyLens.refreshWorkspace',
  revealLocation: 'concurrencyLens.revealLocation',
  ignoreFinding: 'concurrencyLens.ignoreFinding',
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
  analysisExclude: 'analysis.exclude',
  followLibraries: 'analysis.followLibraries.enable',
  codeLensEnable: 'codeLens.enable',
  diagnosticsEnable: 'diagnostics.enable',
  diagnosticsSeverity: 'diagnostics.severity',
} as const;
