// Bundles the extension, the CLI, the analysis host and the parsing worker with esbuild, and copies the
// tree-sitter runtime and Python grammar (.wasm) beside them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, '..', 'dist');

const wasmDir = path.dirname(require.resolve('@vscode/tree-sitter-wasm'));
mkdirSync(path.join(dist, 'wasm'), { recursive: true });
for (const file of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) {
  copyFileSync(path.join(wasmDir, file), path.join(dist, 'wasm', file));
}
// The benchmark harness runs in the user's interpreter, beside the bundle that starts it.
copyFileSync(path.join(root, '..', 'src', 'core', 'bench', 'harness.py'), path.join(dist, 'harness.py'));
// The live panel's chart library styles.
copyFileSync(path.join(path.dirname(require.resolve('uplot')), 'uPlot.min.css'), path.join(dist, 'uPlot.min.css'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

// Code that needs the TypeScript compiler lives in bundles of its own, loaded on demand: every other bundle
// refers to src/core/typescript/index.ts as the external ./typescriptAnalysis.js beside it.
const typescriptChunk = path.join(root, '..', 'src', 'core', 'typescript', 'index.ts');
const typescriptAsChunk = {
  name: 'typescript-chunk',
  setup(build) {
    build.onResolve({ filter: /typescript$|typescript\/index$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, args.path);
      return resolved === typescriptChunk.replace(/\.ts$/, '') || resolved === typescriptChunk
        ? { path: './typescriptAnalysis.js', external: true }
        : undefined;
    });
  },
};

// The analyzer's bundle is split in three, so that an open file's first answer (which parses, never type-checks)
// loads the compiler alone: typescriptCompiler.js (the TypeScript compiler that ts-morph wraps: one copy, shared),
// typescriptAnalysis.js (the analyzer, which takes `ts` from it) and typescriptProject.js (ts-morph, its wrappers
// and the lib .d.ts texts: a third of the bytes), required when the type checker's first `Project` is made.
const tsMorphCompiler = path.join(path.dirname(require.resolve('@ts-morph/common')), 'typescript.js');
// ts-morph's require of the compiler it wraps (@ts-morph/common's ./typescript) is the compiler's bundle.
const compilerAsChunk = {
  name: 'typescript-compiler-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/typescript$/ }, (args) =>
      path.resolve(args.resolveDir, 'typescript.js') === tsMorphCompiler ? { path: './typescriptCompiler.js', external: true } : undefined,
    );
  },
};
// The analyzer's `ts-morph`: `ts` is the compiler's bundle; `Project` requires ts-morph's on first use (esbuild's
// import interop reads it only then).
const tsMorphAsChunks = {
  name: 'ts-morph-chunks',
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: 'ts-morph', namespace: 'ts-morph-chunks' }));
    build.onResolve({ filter: /^\.\/typescript(Compiler|Project)\.js$/ }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'ts-morph-chunks' }, () => ({
      contents: "exports.ts = require('./typescriptCompiler.js');\nObject.defineProperty(exports, 'Project', { enumerable: true, get: () => require('./typescriptProject.js').Project });\n",
      loader: 'js',
    }));
  },
};

// The Python host's code is loaded with V8's code cache (src/core/host/cachedBundle.ts), and Node 20 cannot run a
// dynamic import() in code compiled from a code cache ("A dynamic import callback was not specified"): those of
// tree-sitter's Emscripten glue, which only fetch Node's built-in modules, are the bundle's own require of them.
const treeSitterGlue = path.join(wasmDir, 'tree-sitter.js');
const BUILTIN_IMPORT = /await import\("([a-z/]+)"\)/g;
const noDynamicImport = {
  name: 'tree-sitter-without-dynamic-import',
  setup(build) {
    build.onLoad({ filter: /tree-sitter\.js$/ }, async (args) => {
      if (args.path !== treeSitterGlue) return undefined;
      const contents = await readFile(args.path, 'utf8');
      if (!contents.match(BUILTIN_IMPORT)) throw new Error(`${args.path} no longer imports Node's modules with import(): check that it still runs from a code cache`);
      return { contents: contents.replace(BUILTIN_IMPORT, '__requireBuiltin("$1")'), loader: 'js' };
    });
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [typescriptAsChunk] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [typescriptAsChunk] },
  { ...common, entryPoints: ['src/core/python/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' },
  // The Python host: a small worker script that loads the host's bundle with V8's code cache.
  { ...common, entryPoints: ['src/core/host/cachedBundle.ts'], outfile: 'dist/analysisHost.js', define: { HOST_BUNDLE: '"analysisHostMain.js"' } },
  { ...common, entryPoints: ['src/core/python/analysisHost.ts'], outfile: 'dist/analysisHostMain.js', banner: { js: 'const __requireBuiltin = require;' }, plugins: [noDynamicImport] },
  // The compiler's whitespace goes in the development build too: a third of its bytes, each read and parsed before a first answer.
  { ...common, entryPoints: [tsMorphCompiler], outfile: 'dist/typescriptCompiler.js', minifyWhitespace: true },
  { ...common, entryPoints: ['src/core/typescript/index.ts'], outfile: 'dist/typescriptAnalysis.js', plugins: [tsMorphAsChunks] },
  { ...common, entryPoints: [require.resolve('ts-morph')], outfile: 'dist/typescriptProject.js', plugins: [compilerAsChunk] },
  // The TS/JS analysis host (a worker thread): requires the chunks above at run time.
  { ...common, entryPoints: ['src/core/typescript/typescriptHost.ts'], outfile: 'dist/typescriptHost.js', plugins: [typescriptAsChunk] },
  // The Node benchmark harness: runs in the user's (or the extension host's) Node; its TS loader requires the chunk.
  { ...common, entryPoints: ['src/core/bench/nodeHarness.ts'], outfile: 'dist/nodeHarness.js', plugins: [typescriptAsChunk] },
  // The live panel's page: runs in the webview (a browser), one self-contained script.
  { ...common, entryPoints: ['src/panel/main.ts'], outfile: 'dist/panel.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync(path.join(dist, 'cli.js'), 0o755);
}
