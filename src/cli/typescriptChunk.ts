/**
 * The TS/JS analyzer, loaded only when a command meets TS/JS files: the build turns this require into
 * one of dist/typescriptAnalysis.js (which requires the TypeScript compiler's bundle). A `require`, not `import()`:
 * Node's ESM loader would first scan the whole bundle for its exports (about 0.6 s).
 */
export function loadTypeScriptAnalysis(): typeof import('../core/typescript/index') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../core/typescript/index') as typeof import('../core/typescript/index');
}
