import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempTree } from './helpers';

const WRITE_DELAY_MS = 50;
const HOST = path.join(__dirname, '..', '..', 'src', 'core', 'typescript', 'typescriptHost.js');

/** Each load in a Node of its own, as each window's host is (V8 also caches compilations within a process). */
function loadWithCodeCache(bundle: string, cache: string): { exports: unknown; cacheUsed: boolean } {
  const script = `const { exports, cacheUsed } = require(${JSON.stringify(HOST)}).loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cache)}, ${WRITE_DELAY_MS});
process.stdout.write(JSON.stringify({ exports, cacheUsed }));
setTimeout(() => undefined, ${WRITE_DELAY_MS * 4}); // alive as a host is, until the cache is written`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { exports: unknown; cacheUsed: boolean };
}

describe("the TS/JS analysis host's start: its analyzer bundle compiled with V8's code cache", () => {
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
