/**
 * Everything that needs the TypeScript compiler (ts-morph), in one bundle (`dist/typescriptAnalysis.js`)
 * loaded on demand: the extension's TS/JS analysis host, the CLI and the Node benchmark harness
 * require it only when a TS/JS file is involved, so a Python-only workspace never loads it.
 */
export { transpileForRun } from './transpile';
