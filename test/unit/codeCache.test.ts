import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisHostClient } from '../../src/core/host/client';
import { buildCopy, tempTree } from './helpers';

const WRITE_DELAY_MS = 50;
const CODE_CACHE = path.join(__dirname, '..', '..', 'src', 'core', 'host', 'codeCache.js');

/** Each load in a Node of its own, as each window's host is (V8 also caches compilations within a process). */
function loadWithCodeCache(bundle: string, cache: string): { exports: unknown; cacheUsed: boolean } {
  const script = `const { exports, cacheUsed } = require(${JSON.stringify(CODE_CACHE)}).loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cache)}, ${WRITE_DELAY_MS});
process.stdout.write(JSON.stringify({ exports, cacheUsed }));
setTimeout(() => undefined, ${WRITE_DELAY_MS * 4}); // alive as a host is, until the cache is written`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { exports: unknown; cacheUsed: boolean };
}

describe("an analysis host's start: a bundle compiled with V8's code cache", () => {
  let root: string;
  beforeEach(() => {
    root = tempTree({ 'bundle.js': "const path = require('node:path');\nfunction square(n) { return n * n; }\nmodule.exports = { answer: square(6) + 6, base: path.basename(__filename), here: __dirname };\n" });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const caches = (): string[] => fs.readdirSync(path.join(root, 'cache')).filter((name) => name.endsWith('.v8'));

  it('writes the cache after a first load, and a second load uses it with the same exports', async () => {
    const bundle = path.join(root, 'bundle.js');
    const cache = path.join(root, 'cache');
    const first = loadWithCodeCache(bundle, cache);
    assert.deepEqual(first.exports, { answer: 42, base: 'bundle.js', here: root });
    assert.equal(first.cacheUsed, false);
    assert.equal(caches().length, 1);
    const second = loadWithCodeCache(bundle, cache);
    assert.deepEqual(second.exports, first.exports);
    assert.equal(second.cacheUsed, true);
  });

  it('never trusts a corrupt cache, writes it again, and drops the cache of an earlier build', async () => {
    const bundle = path.join(root, 'bundle.js');
    const cache = path.join(root, 'cache');
    loadWithCodeCache(bundle, cache);
    const [written = ''] = caches();
    fs.writeFileSync(path.join(cache, written), 'not a code cache');
    const corrupt = loadWithCodeCache(bundle, cache);
    assert.equal(corrupt.cacheUsed, false);
    assert.deepEqual(corrupt.exports, { answer: 42, base: 'bundle.js', here: root });
    assert.equal(loadWithCodeCache(bundle, cache).cacheUsed, true, 'written again');
    fs.appendFileSync(bundle, 'module.exports.rebuilt = true;\n');
    const rebuilt = loadWithCodeCache(bundle, cache);
    assert.equal(rebuilt.cacheUsed, false);
    assert.equal((rebuilt.exports as { rebuilt?: boolean }).rebuilt, true);
    assert.equal(caches().length, 1, `only the new build's cache is kept: ${caches().join(', ')}`);
  });
});

const MODULE = 'def checksum(blob):\n    total = 0\n    for byte in blob:\n        total = (total * 31 + byte) % 65521\n    return total\n';

describe("the built Python host (dist/analysisHost.js) loads its bundle with the code cache", function () {
  this.timeout(120_000);
  let dist: string;
  let root: string;
  before(() => {
    dist = buildCopy();
    root = tempTree({ 'checksum.py': MODULE });
  });
  after(() => {
    fs.rmSync(path.dirname(dist), { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A host with no interpreter (the open file's first answers) and its report of checksum.py, with XDG_CACHE_HOME in `root`. */
  async function firstAnswer(): Promise<{ host: AnalysisHostClient; verdicts: string[] }> {
    const previous = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = path.join(root, 'xdg-cache');
    let host: AnalysisHostClient;
    try {
      host = await AnalysisHostClient.start({ python: null, followLibraries: false }, path.join(dist, 'analysisHost.js'));
    } finally {
      if (previous === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = previous;
    }
    const report = await host.call({ kind: 'update', file: path.join(root, 'checksum.py'), text: MODULE });
    return { host, verdicts: report.functions.map((fn) => `${fn.qualname}: ${fn.verdict}`) };
  }

  it('writes the cache after its first answers; a host started from it (tree-sitter and all) answers the same, and V8 accepts the cache', async () => {
    const cacheFolder = path.join(root, 'xdg-cache', 'concurrency-lens');
    const caches = (): string[] => (fs.existsSync(cacheFolder) ? fs.readdirSync(cacheFolder).filter((name) => name.endsWith('.v8')) : []);
    const first = await firstAnswer();
    try {
      for (let waited = 0; waited < 20_000 && caches().length === 0; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await first.host.dispose();
    }
    assert.deepEqual(caches().map((name) => name.replace(/-v\d.*$/, '')), ['analysisHostMain']);
    const second = await firstAnswer();
    await second.host.dispose();
    assert.deepEqual(second.verdicts, first.verdicts);
    assert.match(first.verdicts.join('; '), /^checksum: [a-z-]+$/);
    assert.equal(loadWithCodeCache(path.join(dist, 'analysisHostMain.js'), cacheFolder).cacheUsed, true);
  });
});
