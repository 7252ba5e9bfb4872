import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskCache } from '../../src/core/cache/diskCache';
import { analyzePaths } from '../../src/core/python/analyzer';
import { FactsParser } from '../../src/core/python/parse';
import { cli, tempTree } from './helpers';

/** The entry files under a cache folder. */
function entries(directory: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, item.name);
      if (item.isDirectory()) walk(file);
      else found.push(file);
    }
  };
  if (fs.existsSync(directory)) walk(directory);
  return found;
}

describe('the facts cache on disk', () => {
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cache-'));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('returns what was stored under a key, across instances (a new window)', () => {
    const first = new DiskCache(directory, 'v1');
    const key = first.key('facts', 'def f(): pass\n');
    first.set(key, { functions: [{ name: 'f', line: 1 }] });
    assert.deepEqual(new DiskCache(directory, 'v1').get(key), { functions: [{ name: 'f', line: 1 }] });
  });

  it('other text, another kind or other analyzer code never share a key', () => {
    const cache = new DiskCache(directory, 'v1');
    const key = cache.key('facts', 'x = 1\n');
    assert.notEqual(key, cache.key('facts', 'x = 2\n'));
    assert.notEqual(key, cache.key('other', 'x = 1\n'));
    assert.notEqual(key, new DiskCache(directory, 'v2').key('facts', 'x = 1\n'));
  });

  it('a corrupt, truncated or foreign entry is a miss, and deleted', () => {
    const cache = new DiskCache(directory, 'v1');
    const damage: Array<[string, (file: string) => void]> = [
      ['a flipped byte', (file) => {
        const data = fs.readFileSync(file);
        data[data.length - 3] = (data[data.length - 3] as number) ^ 0xff;
        fs.writeFileSync(file, data);
      }],
      ['a partial write', (file) => fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 30))],
      ['another entry copied over it', (file) => {
        const other = cache.key('facts', 'other text');
        cache.set(other, { other: true });
        fs.copyFileSync(entries(directory).find((f) => f.endsWith(other.slice(2))) as string, file);
      }],
      ['garbage', (file) => fs.writeFileSync(file, 'not a cache entry at all')],
    ];
    for (const [name, spoil] of damage) {
      const key = cache.key('facts', name);
      cache.set(key, { name });
      const file = entries(directory).find((f) => f.endsWith(key.slice(2))) as string;
      spoil(file);
      assert.equal(cache.get(key), undefined, name);
      assert.equal(fs.existsSync(file), false, `${name}: left on disk`);
    }
  });

  it('stays under its size bound by deleting the entries used longest ago', () => {
    const cache = new DiskCache(directory, 'v1', 40_000);
    const keys: string[] = [];
    for (let k = 0; k < 12; k++) {
      const key = cache.key('facts', `file ${k}`);
      keys.push(key);
      cache.set(key, 'x'.repeat(5_000));
      // Older entries by their time of use: the first one is read again, so it is the newest.
      const time = new Date(Date.now() - (12 - k) * 60_000);
      for (const file of entries(directory)) if (file.endsWith(key.slice(2))) fs.utimesSync(file, time, time);
      if (k === 3) assert.ok(cache.get(keys[0] as string));
    }
    const bytes = entries(directory).reduce((sum, file) => sum + fs.statSync(file).size, 0);
    assert.ok(bytes <= 40_000, `${bytes} bytes on disk`);
    assert.ok(cache.get(keys[0] as string), 'the entry read recently was evicted');
    assert.equal(cache.get(keys[1] as string), undefined, 'the entry used longest ago was kept');
    assert.ok(cache.get(keys[11] as string));
  });

  it('a cache folder that cannot be written leaves the analysis working, uncached', async () => {
    const blocked = path.join(directory, 'a-file');
    fs.writeFileSync(blocked, 'in the way of the cache folder');
    const parser = await FactsParser.create(new DiskCache(blocked, 'v1'));
    try {
      assert.equal(parser.facts('def f():\n    return 1\n').functions.length, 1);
      assert.equal(parser.facts('def f():\n    return 1\n').functions.length, 1);
    } finally {
      parser.dispose();
    }
  });

  it('an analysis served from the cache equals the one parsed; a file edited meanwhile is parsed again', async () => {
    const root = tempTree({
      'jobs.py': 'import time\n\ndef wait(i):\n    time.sleep(1)\n\ndef crunch(n):\n    return sum(k * k for k in range(n))\n',
    });
    try {
      const options = { python: null, cacheDirectory: directory, workers: 1 };
      const cold = await analyzePaths([root], options);
      assert.ok(entries(directory).length > 0, 'nothing cached');
      const warm = await analyzePaths([root], options);
      assert.deepEqual(warm, cold);
      fs.writeFileSync(path.join(root, 'jobs.py'), 'import time\n\ndef wait(i):\n    time.sleep(1)\n\ndef wait_more(i):\n    time.sleep(2)\n');
      const edited = await analyzePaths([root], options);
      assert.deepEqual(edited.files[0]?.functions.map((fn) => fn.name), ['wait', 'wait_more']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('the analysis workers of a large tree fill and read the same cache', async () => {
    const files: Record<string, string> = {};
    for (let k = 0; k < 50; k++) files[`m${k}.py`] = `import time\n\ndef wait${k}(i):\n    time.sleep(${k})\n`;
    const root = tempTree(files);
    try {
      const options = { python: null, cacheDirectory: directory, workers: 2 };
      const cold = await analyzePaths([root], options);
      // Each file's facts and report, and the graph of what the reports rest on.
      assert.equal(entries(directory).length, 2 * 50 + 1);
      assert.deepEqual(await analyzePaths([root], options), cold);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('the CLI keeps its cache in --cache-dir, reads it on the next run, and refuses --cache-dir with --no-cache', () => {
    const root = tempTree({ 'jobs.py': 'import time\n\ndef wait(i):\n    time.sleep(1)\n' });
    try {
      const first = cli(['analyze', root, '--json', '--no-follow', '--cache-dir', directory]);
      assert.equal(first.status, 0, first.stderr);
      assert.equal(entries(directory).length, 3, 'the file\'s facts and report, and the graph');
      const second = cli(['analyze', root, '--json', '--no-follow', '--cache-dir', directory]);
      assert.equal(second.stdout, first.stdout);
      const both = cli(['analyze', root, '--no-cache', '--cache-dir', directory]);
      assert.equal(both.status, 2);
      assert.match(both.stderr, /--cache-dir and --no-cache/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
