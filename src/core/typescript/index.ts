/**
 * Everything that needs the TypeScript compiler (ts-morph), in one bundle (`dist/typescriptAnalysis.js`)
 * loaded on demand: the extension's TS/JS analysis host, the CLI and the Node benchmark harness
 * require it only when a TS/JS file is involved, so a Python-only workspace never loads it. Built, it
 * requires the compiler (`dist/typescriptCompiler.js`) as it loads and ts-morph (`dist/typescriptProject.js`)
 * when the type checker's first project is made (scripts/build.mjs).
 * Import it as `…/core/typescript/index` (the build rewrites exactly that path into a runtime require).
 */
export { transpileForRun } from './transpile';
export { scriptCallSuggestion } from './callSites';
export { TypeScriptAnalyzer, analyzeScriptFiles, analyzeScriptPaths, type AnalyzeScriptsOptions, type ScriptAnalyzerOptions } from './analyzer';
export { languageOf, SCRIPT_EXTENSIONS } from './extract';
export type { ProjectStats } from './project';
