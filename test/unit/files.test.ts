import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPythonFiles, findSourceFiles, globToRegExp, readRegularFile, readSource, RootedPaths, sourcePathWithin } from '../../src/core/files';
import { analyzePaths } from '../../src/core/python/analyzer';
import { AnalysisHostClient } from '../../src/core/host/client';
import { PYTHON_HOST, tempTree } from './helpers';

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

/** FIFOs and /dev/zero: POSIX only. */
const describePosix = process.platform === 'win32' ? describe.skip : describe;

/** A fresh folder holding `hostile.py`s: a FIFO without a writer and a symlink to /dev/zero, plus one good file. */
function hostileTree(): string {
  const root = tempTree({ 'good.py': 'def f():\n    return 1\n', 'good.ts': 'export function g(): number {\n  return 1;\n}\n' });
  execFileSync('mkfifo', [path.join(root, 'x.py'), path.join(root, 'x.ts')]);
  fs.symlinkSync('/dev/zero', path.join(root, 'zz.py'));
  fs.symlinkSync('/dev/zero', path.join(root, 'zz.ts'));
  return root;
}

describePosix('special files and symlinks', function () {
  this.timeout(30_000);

  it('refuses a FIFO at once and a symlink to /dev/zero without reading it (in a child: today it blocks or fills memory)', () => {
    const root = hostileTree();
    const files = path.join(__dirname, '..', '..', 'src', 'core', 'files.js');
    const probe = `const { readSource } = require(${JSON.stringify(files)});
const started = Date.now();
const errors = ['x.py', 'zz.py'].map((name) => readSource(${JSON.stringify(root)} + '/' + name).error);
console.log(JSON.stringify({ errors, ms: Date.now() - started, rssMB: process.resourceUsage().maxRSS / 1024 }));`;
    try {
      const child = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(child.signal, null, 'the reader returned (it was killed after 10 s)');
      const result = JSON.parse(child.stdout) as { errors: string[]; ms: number; rssMB: number };
      assert.match(result.errors[0] ?? '', /a FIFO, not a regular file: not analyzed/);
      assert.match(result.errors[1] ?? '', /a device, not a regular file: not analyzed/);
      assert.ok(result.ms < 1000, `took ${result.ms} ms`);
      assert.ok(result.rssMB < 300, `peak RSS ${result.rssMB} MB`);
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  it('holds the limit on the bytes read, not on the size stat gives (a /proc file says 0 bytes)', function () {
    if (!fs.existsSync('/proc/self/maps')) this.skip();
    assert.equal(fs.statSync('/proc/self/maps').size, 0);
    assert.match(errorOf(readRegularFile('/proc/self/maps', 100)), /^file is over the 0 MB limit: not analyzed$/);
    const root = tempTree({ 'small.py': 'x = 1\n' });
    const read = readRegularFile(path.join(root, 'small.py'), 6);
    assert.ok('bytes' in read && read.bytes.toString() === 'x = 1\n');
    assert.match(errorOf(readRegularFile(path.join(root, 'small.py'), 5)), /over the/);
    assert.match(errorOf(readRegularFile(root, 100)), /a folder, not a regular file/);
    fs.rmSync(root, { recursive: true });
  });

  it('the analysis host answers after being asked to load a FIFO and a /dev/zero symlink: both listed with an error', async () => {
    const root = hostileTree();
    const host = await AnalysisHostClient.start({ python: null, followLibraries: false }, PYTHON_HOST);
    try {
      const files = ['x.py', 'zz.py', 'good.py'].map((name) => path.join(root, name));
      await host.call({ kind: 'load', files });
      const reports = await Promise.all(files.map((file) => host.call({ kind: 'report', file })));
      assert.match(reports[0]?.errors[0]?.message ?? '', /a FIFO, not a regular file/);
      assert.match(reports[1]?.errors[0]?.message ?? '', /a device, not a regular file/);
      assert.equal(reports[2]?.functions.length, 1);
    } finally {
      await host.dispose();
      fs.rmSync(root, { recursive: true });
    }
  });

  it('the TS/JS analysis host does the same with x.ts and zz.ts', async () => {
    const root = hostileTree();
    const hostScript = path.join(__dirname, '..', '..', 'src', 'core', 'typescript', 'typescriptHost.js');
    const host = await AnalysisHostClient.start({ python: null, followLibraries: false }, hostScript);
    try {
      const files = ['x.ts', 'zz.ts', 'good.ts'].map((name) => path.join(root, name));
      await host.call({ kind: 'index', files });
      const reports = await Promise.all(files.map((file) => host.call({ kind: 'report', file })));
      assert.match(reports[0]?.errors[0]?.message ?? '', /a FIFO, not a regular file/);
      assert.match(reports[1]?.errors[0]?.message ?? '', /a device, not a regular file/);
      assert.equal(reports[2]?.functions.length, 1);
    } finally {
      await host.dispose();
      fs.rmSync(root, { recursive: true });
    }
  });

  it('the CLI lists a FIFO and a /dev/zero symlink named on its command line with an error, at once', () => {
    const root = hostileTree();
    try {
      const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
      const names = ['x.py', 'zz.py', 'good.py'];
      const result = spawnSync(process.execPath, [main, 'analyze', ...names, '--json'], { cwd: root, encoding: 'utf8', timeout: 20_000 });
      assert.equal(result.signal, null, 'the CLI returned (it was killed after 20 s)');
      const report = JSON.parse(result.stdout) as { files: { path: string; functions: unknown[]; errors: { message: string }[] }[] };
      const byName = new Map(report.files.map((f) => [path.basename(f.path), f]));
      assert.deepEqual([...byName.keys()].sort(), ['good.py', 'x.py', 'zz.py']);
      assert.match(byName.get('x.py')?.errors[0]?.message ?? '', /a FIFO, not a regular file/);
      assert.match(byName.get('zz.py')?.errors[0]?.message ?? '', /a device, not a regular file/);
      assert.equal(byName.get('good.py')?.functions.length, 1);
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  it('a tsconfig.json that is a FIFO does not hang the TS/JS analysis: compiler defaults are used', () => {
    const root = tempTree({ 'a.ts': "import { g } from './b';\nexport function f(): number {\n  return g();\n}\n", 'b.ts': 'export function g(): number {\n  return 1;\n}\n' });
    execFileSync('mkfifo', [path.join(root, 'tsconfig.json')]);
    try {
      const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
      const result = spawnSync(process.execPath, [main, 'analyze', root, '--json'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(result.signal, null, 'the CLI returned (it was killed after 20 s)');
      assert.equal(result.status, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { files: { path: string; functions: unknown[] }[] };
      assert.deepEqual(report.files.map((f) => [path.basename(f.path), f.functions.length]), [['a.ts', 1], ['b.ts', 1]]);
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  it('CLI and editor rule: symlinks followed inside the root (each real file once, under its real path), never outside; loops end; special files skipped', () => {
    const outside = tempTree({ 'elsewhere.py': 'def e():\n    return 1\n', 'lib/other.py': '' });
    const root = hostileTree();
    fs.mkdirSync(path.join(root, 'app'));
    fs.writeFileSync(path.join(root, 'app', 'main.py'), 'def m():\n    return 1\n');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'not python');
    fs.mkdirSync(path.join(root, 'node_modules', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'pkg', 'dep.py'), '');
    const link = (target: string, name: string): void => fs.symlinkSync(target, path.join(root, name));
    link('app/main.py', 'alias.py');
    link('app', 'app_alias');
    link('..', 'app/up'); // a loop: app/up/app/up/…
    link('notes.txt', 'notes.py'); // its real file is not Python
    link('node_modules/pkg/dep.py', 'dep.py'); // its real file is in a skipped folder
    link(path.join(outside, 'elsewhere.py'), 'elsewhere.py');
    link(path.join(outside, 'lib'), 'lib');
    link('missing.py', 'dangling.py');
    try {
      const relative = (files: string[]): string[] => files.map((f) => path.relative(root, f));
      const found = findSourceFiles([root]);
      assert.deepEqual(relative(found.python), ['app/main.py', 'good.py']);
      assert.deepEqual(relative(found.scripts), ['good.ts']);
      // Exclusions hold on the real path too: a symlink does not bring an excluded file back.
      assert.deepEqual(relative(findPythonFiles([root], ['app/**'])), ['good.py']);
      // The same rule, one path at a time: the editor's listing and file watcher.
      const within = new RootedPaths(root);
      const rule = (name: string): string | null => {
        const file = sourcePathWithin(within, path.join(root, name));
        return file && path.relative(root, file);
      };
      assert.equal(rule('alias.py'), 'app/main.py');
      assert.equal(rule('app_alias/main.py'), 'app/main.py');
      assert.equal(rule('app/up/app_alias/main.py'), 'app/main.py');
      assert.equal(rule('good.py'), 'good.py');
      for (const refused of ['x.py', 'zz.py', 'elsewhere.py', 'lib/other.py', 'dangling.py', 'app']) assert.equal(rule(refused), null, refused);
      // Through a symlinked root, paths stay under the root as given.
      const viaLink = path.join(outside, 'project');
      fs.symlinkSync(root, viaLink);
      assert.deepEqual(findPythonFiles([viaLink]), [path.join(viaLink, 'app', 'main.py'), path.join(viaLink, 'good.py')]);
      assert.equal(sourcePathWithin(new RootedPaths(viaLink), path.join(viaLink, 'alias.py')), path.join(viaLink, 'app', 'main.py'));
    } finally {
      fs.rmSync(root, { recursive: true });
      fs.rmSync(outside, { recursive: true });
    }
  });
});

function errorOf(loaded: { error: string } | object): string {
  assert.ok('error' in loaded, 'expected an error');
  return loaded.error;
}
