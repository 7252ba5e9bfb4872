import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisHostClient } from '../../src/core/host/client';
import { buildCopy, tempTree } from './helpers';

/** The engine is reached through a factory's return value: only the type checker (ts-morph's project) resolves `engine.optimize`. */
const ENGINE =
  'export class Engine { optimize(n: number) { let best = 0; for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) best = Math.max(best, (a * b) % 97); return best; } }\n' +
  'export function createEngine() { return new Engine(); }\n';
const PRICE = "import { createEngine } from './engine';\nexport function bestPrice(n: number) { const engine = createEngine(); return engine.optimize(n); }\n";

/**
 * In a Node of its own: the built analyzer's first report of price.ts from its text alone, then the project
 * resolved with the type checker; which of the analyzer's bundles each step loaded, and whether ts-morph's
 * compiler is the analyzer's.
 */
const FIRST_REPORT_THEN_PROJECT = `
const path = require('node:path');
const [dist, root] = process.argv.slice(1);
const loaded = () => Object.keys(require.cache).map((file) => path.basename(file)).filter((name) => name.startsWith('typescript')).sort();
const { TypeScriptAnalyzer } = require(path.join(dist, 'typescriptAnalysis.js'));
const analyzer = new TypeScriptAnalyzer();
const price = path.join(root, 'price.ts');
analyzer.setSource(price, require('node:fs').readFileSync(price, 'utf8'));
const first = { verdict: analyzer.fileReport(price).functions[0].verdict, loaded: loaded() };
analyzer.loadFiles([path.join(root, 'engine.ts')]);
analyzer.resolveProject();
const resolved = { verdict: analyzer.fileReport(price).functions[0].verdict, loaded: loaded() };
const sharedCompiler = require(path.join(dist, 'typescriptProject.js')).ts.createSourceFile === require(path.join(dist, 'typescriptCompiler.js')).createSourceFile;
process.stdout.write(JSON.stringify({ first, resolved, sharedCompiler }));
`;

/** The code caches in `directory` once the host has written them (a few seconds after its start), by bundle. */
async function codeCaches(directory: string): Promise<string[]> {
  const bundles = (): string[] => (fs.existsSync(directory) ? fs.readdirSync(directory).filter((name) => name.endsWith('.v8')).map((name) => name.replace(/-v\d.*$/, '')).sort() : []);
  for (let waited = 0; waited < 20_000 && bundles().length < 2; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
  return bundles();
}

describe("the TS/JS analyzer's bundles (scripts/build.mjs)", function () {
  this.timeout(120_000);
  let dist: string;
  let sources: string;

  before(() => {
    dist = buildCopy();
    sources = tempTree({ 'engine.ts': ENGINE, 'price.ts': PRICE });
  });

  after(() => {
    fs.rmSync(path.dirname(dist), { recursive: true, force: true });
    fs.rmSync(sources, { recursive: true, force: true });
  });

  it("answers a file from its text with the compiler's bundle alone; the type checker's project loads ts-morph's, which shares that compiler", () => {
    const run = JSON.parse(execFileSync(process.execPath, ['-e', FIRST_REPORT_THEN_PROJECT, dist, sources], { encoding: 'utf8' })) as {
      first: { verdict: string; loaded: string[] };
      resolved: { verdict: string; loaded: string[] };
      sharedCompiler: boolean;
    };
    assert.deepEqual(run.first.loaded, ['typescriptAnalysis.js', 'typescriptCompiler.js'], 'ts-morph is not loaded for a first report');
    assert.notEqual(run.first.verdict, 'cpu', 'from syntax alone engine.optimize is not resolved');
    assert.deepEqual(run.resolved.loaded, ['typescriptAnalysis.js', 'typescriptCompiler.js', 'typescriptProject.js']);
    assert.equal(run.resolved.verdict, 'cpu', 'the type checker resolves engine.optimize');
    assert.equal(run.sharedCompiler, true, 'one TypeScript compiler, not a copy in each bundle');
  });

  it("the built host answers from the compiler's bundle and keeps the code caches of it and of the analyzer's in the machine's cache folder, beside no folder of facts", async () => {
    const facts = path.join(sources, 'facts');
    const xdgCache = path.join(sources, 'xdg-cache');
    const previous = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = xdgCache;
    const start = (cacheDirectory?: string): Promise<AnalysisHostClient> =>
      AnalysisHostClient.start({ python: null, followLibraries: false, ...(cacheDirectory && { cacheDirectory }) }, path.join(dist, 'typescriptHost.js'));
    let hosts: AnalysisHostClient[];
    try {
      // As the extension's module loads (no folder yet), and later with the editor's storage folder.
      hosts = await Promise.all([start(), start(facts)]);
    } finally {
      if (previous === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = previous;
    }
    try {
      for (const host of hosts) {
        const report = await host.call({ kind: 'update', file: path.join(sources, 'price.ts'), text: PRICE });
        assert.deepEqual(report.functions.map((fn) => fn.qualname), ['bestPrice']);
      }
      assert.deepEqual(await codeCaches(path.join(xdgCache, 'concurrency-lens')), ['typescriptAnalysis', 'typescriptCompiler']);
      assert.deepEqual(fs.existsSync(facts) ? fs.readdirSync(facts).filter((name) => name.endsWith('.v8')) : [], [], 'one place for the code caches');
    } finally {
      await Promise.all(hosts.map((host) => host.dispose()));
    }
  });
});
