/** Command IDs and setting keys, in one place (a test checks them against package.json). */
export const Commands = {
  analyzeActiveFile: 'concurrencyLens.analyzeActiveFile',
  showOutput: 'concurrencyLens.showOutput',
} as const;

export const SECTION = 'concurrencyLens';

export const Settings = {
  pythonPath: 'pythonPath',
  analysisExclude: 'analysis.exclude',
  followLibraries: 'analysis.followLibraries.enable',
} as const;
