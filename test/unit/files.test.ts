import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPythonFiles, globToRegExp, readSource } from '../../src/core/files';
import { analyzePaths } from '../../src/core/python/analyzer';
import { tempTree } from './helpers';

describe('finding and reading files', () => {
  it('recurses into folders, skipping dependencies, caches and virtual environments', () => {
    const root = tempTree({
      'app/main.py': 'x = 1\n',
      'app/sub/deep.py': 'y = 2\n',
      'app/notes.txt': 'no',
      'node_modules/pkg/x.py': '',
      '.git/hooks/h.py': '',
      'app/__pycache__/main.cpython-311.py': '',
      'env/pyvenv.cfg': 'home = /usr/bin',
      'env/lib/site.py': '',
    });
    const files = findPythonFiles([root]).map((f) => path.relative(root, f));
    assert.deepEqual(files, ['app/main.py', 'app/sub/deep.py']);
    fs.rmSync(root, { recursive: true });
  });

  it('applies exclude globs the VS Code way', () => {
    assert.ok(globToRegExp('tests/**').test('tests/unit/a.py'));
    assert.ok(globToRegExp('**/migrations/*.py').test('app/migrations/0001.py'));
    assert.ok(globToRegExp('*_pb2.py').test('deep/down/api_pb2.py'));
    assert.ok(!globToRegExp('tests/**').test('src/tests_helper.py'));
    const root = tempTree({ 'a.py': '', 'tests/t.py': '', 'gen/x_pb2.py': '' });
    assert.deepEqual(findPythonFiles([root], ['tests/**', '*_pb2.py']).map((f) => path.relative(root, f)), ['a.py']);
    fs.rmSync(root, { recursive: true });
  });

  it('refuses binary, undecodable and huge files with a message', () => {
    const root = tempTree({
      'binary.py': new Uint8Array([0x64, 0x65, 0x66, 0x00, 0x01]),
      'latin.py': new Uint8Array([...Buffer.from('x = "'), 0xe9, ...Buffer.from('"\n')]),
      'cookie.py': new Uint8Array([...Buffer.from('# -*- coding: latin-1 -*-\nx = "'), 0xe9, ...Buffer.from('"\n')]),
      'huge.py': `x = 1\n${'#'.repeat(2 * 1024 * 1024)}\n`,
    });
    assert.match(errorOf(readSource(path.join(root, 'binary.py'))), /binary file/);
    assert.match(errorOf(readSource(path.join(root, 'latin.py'))), /not valid UTF-8/);
    assert.equal((readSource(path.join(root, 'cookie.py')) as { source: string }).source.includes('é'), true);
    assert.match(errorOf(readSource(path.join(root, 'huge.py'))), /over the 2 MB limit/);
    assert.match(errorOf(readSource(path.join(root, 'missing.py'))), /cannot read file/);
    fs.rmSync(root, { recursive: true });
  });

  it('lists bad files with an error in the report and analyzes the rest', async () => {
    const root = tempTree({ 'good.py': 'def f():\n    return 1\n', 'bad.py': new Uint8Array([0, 1, 2]) as unknown as string });
    const report = await analyzePaths([root], { python: null });
    const byName = new Map(report.files.map((f) => [path.basename(f.path), f]));
    assert.equal(byName.get('good.py')?.functions.length, 1);
    assert.equal(byName.get('bad.py')?.functions.length, 0);
    assert.match(byName.get('bad.py')?.errors[0]?.message ?? '', /binary/);
    assert.equal(byName.get('bad.py')?.errors[0]?.line, null);
    fs.rmSync(root, { recursive: true });
  });

  it('gives the same result through worker threads as on one thread', async () => {
    const files: Record<string, string> = {};
    for (let k = 0; k < 60; k++) files[`m${k}.py`] = `import time\ndef f${k}(x):\n    for i in x:\n        time.sleep(i)\n`;
    const root = tempTree(files);
    const threaded = await analyzePaths([root], { python: null, workers: 2 });
    const single = await analyzePaths([root], { python: null, workers: 1 });
    assert.deepEqual(threaded, single);
    assert.equal(threaded.files.length, 60);
    assert.ok(threaded.files.every((f) => f.functions[0]?.verdict === 'io'));
    fs.rmSync(root, { recursive: true });
  });
});

function errorOf(loaded: ReturnType<typeof readSource>): string {
  assert.ok('error' in loaded, 'expected an error');
  return loaded.error;
}
