import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPythonFiles, findSourceFiles, isScriptFile } from '../../src/core/files';
import { VERDICTS } from '../../src/core/model';
import { cli, tempTree } from './helpers';

const TS = `import { readFileSync } from 'node:fs';
export function crunch(n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += (i * j) % 7;
  return total;
}
export async function fetchAll(urls: string[]): Promise<string[]> {
  return Promise.all(urls.map(async (url) => (await fetch(url)).text()));
}
export async function config(): Promise<string> {
  return readFileSync('config.json', 'utf8');
}
`;
const JS = `const { execFileSync } = require('node:child_process');
const { crunch } = require('./work');
function convert(file) { return execFileSync('convert', [file, 'out.png']); }
function slug(title) { return title.toLowerCase().replace(/\\s+/g, '-'); }
function batch(ns) { return ns.map((n) => crunch(n)); }
module.exports = { convert, slug, batch };
`;

interface JsonFile {
  path: string;
  language: string;
  functions: Array<{ qualname: string; verdict: string; recommendation: string; line: number; evidence: unknown[] }>;
  findings: Array<{ rule: string; line: number; severity: string; message: string }>;
  errors: unknown[];
}

describe('CLI analyze on TypeScript and JavaScript', function () {
  this.timeout(60_000);
  let root: string;

  before(() => {
    root = tempTree({
      'work.ts': TS,
      'tools.js': JS,
      'legacy.py': 'import time\n\ndef wait():\n    time.sleep(1)\n',
      'types.d.ts': 'export declare function crunch(n: number): number;\n',
      'vendor.min.js': 'function a(){for(;;){}}\n',
      'node_modules/dep/index.js': 'module.exports = function () { for (;;) {} };\n',
      'esm/job.mjs': 'export async function later() { await new Promise((r) => setTimeout(r, 10)); }\n',
      'esm/job.cts': 'export function one(): number { return 1; }\n',
    });
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('--json: one document; each file\'s language, its functions\' verdicts and Node recommendations, findings', () => {
    const { status, stdout, stderr } = cli(['analyze', path.join(root, 'work.ts'), path.join(root, 'tools.js'), '--json']);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout) as { interpreter: unknown; files: JsonFile[] };
    assert.equal(report.interpreter, null, 'TS/JS alone: no Python interpreter is asked');
    const byName = new Map(report.files.map((f) => [path.basename(f.path), f]));
    assert.deepEqual([...byName.keys()], ['tools.js', 'work.ts']);
    assert.equal(byName.get('work.ts')?.language, 'typescript');
    assert.equal(byName.get('tools.js')?.language, 'javascript');
    const verdicts = (file: string): Record<string, string> => Object.fromEntries((byName.get(file)?.functions ?? []).map((f) => [f.qualname, `${f.verdict} ${f.recommendation}`]));
    assert.deepEqual(verdicts('work.ts'), { crunch: 'cpu worker_threads', fetchAll: 'async-io async', config: 'trivial sequential' });
    assert.deepEqual(verdicts('tools.js'), { convert: 'io async', slug: 'trivial sequential', batch: 'cpu worker_threads' });
    for (const file of report.files) {
      assert.deepEqual(Object.keys(file).sort(), ['errors', 'findings', 'functions', 'language', 'path']);
      for (const fn of file.functions) assert.ok(VERDICTS.includes(fn.verdict as never));
    }
    const findings = byName.get('work.ts')?.findings ?? [];
    assert.deepEqual(findings.map((f) => `${f.rule}@${f.line}:${f.severity}`), ['CL101@11:warning']);
  });

  it('a file analyzed alone still sees the modules it imports (read for resolution, not reported)', () => {
    const { status, stdout } = cli(['analyze', path.join(root, 'tools.js'), '--json']);
    assert.equal(status, 0);
    const files = (JSON.parse(stdout) as { files: JsonFile[] }).files;
    assert.deepEqual(files.map((f) => path.basename(f.path)), ['tools.js']);
    const batch = files[0]?.functions.find((f) => f.qualname === 'batch');
    assert.equal(`${batch?.verdict} ${batch?.recommendation}`, 'cpu worker_threads');
  });

  it('a folder: Python and TS/JS side by side, sorted by path; .d.ts, .min.js and node_modules skipped', () => {
    const { status, stdout } = cli(['analyze', root, '--json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as { files: JsonFile[] };
    const names = report.files.map((f) => path.relative(root, path.resolve(f.path)).split(path.sep).join('/'));
    assert.deepEqual(names, ['esm/job.cts', 'esm/job.mjs', 'legacy.py', 'tools.js', 'work.ts']);
    const languages = report.files.map((f) => f.language);
    assert.deepEqual(languages, ['typescript', 'javascript', 'python', 'javascript', 'typescript']);
    assert.equal(report.files.find((f) => f.path.endsWith('legacy.py'))?.functions[0]?.verdict, 'io');
  });

  it('the table shows TS/JS functions and their findings; --help names the languages', () => {
    const { status, stdout } = cli(['analyze', root]);
    assert.equal(status, 0);
    assert.match(stdout, /crunch:2\s+\S.*\s+worker_threads/);
    assert.match(stdout, /CL101 line 11: `readFileSync` blocks the event loop/);
    const help = cli(['--help']).stdout;
    assert.match(help, /TypeScript and JavaScript/);
    assert.match(help, /\.ts \.tsx \.mts \.cts \.js \.jsx \.mjs \.cjs/);
    assert.match(help, /"typescript" or "javascript"/);
  });

  it('report writes TS/JS verdicts and CL1xx findings', () => {
    const { status, stdout } = cli(['report', path.join(root, 'work.ts'), '--format', 'json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as { summary: { byRule: Record<string, number> }; files: JsonFile[] };
    assert.equal(report.files[0]?.language, 'typescript');
    assert.equal(JSON.stringify(report.summary).includes('CL101'), true);
  });

  it('a Python-only analysis never loads the TypeScript compiler', () => {
    const python = tempTree({ 'a.py': 'def f():\n    return 1\n' });
    const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
    const probe = `const Module = require('module'); const load = Module._load;
Module._load = function (request) { if (/core[/]typescript|ts-morph/.test(request)) process.stderr.write('LOADED ' + request + '\\n'); return load.apply(this, arguments); };
require(${JSON.stringify(main)}).main(['analyze', ${JSON.stringify(python)}, '--json']).then((code) => process.exit(code));`;
    try {
      const pythonOnly = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
      assert.equal(pythonOnly.status, 0, pythonOnly.stderr);
      assert.doesNotMatch(pythonOnly.stderr, /LOADED/);
      const withTs = spawnSync(process.execPath, ['-e', probe.replace(JSON.stringify(python), JSON.stringify(root))], { encoding: 'utf8' });
      assert.match(withTs.stderr, /LOADED .*typescript/, 'the probe sees the load when there are TS files');
    } finally {
      fs.rmSync(python, { recursive: true, force: true });
    }
  });

  it('finds files by extension: TS/JS beside Python; explicit files are taken as given', () => {
    assert.equal(isScriptFile('a.ts'), true);
    assert.equal(isScriptFile('a.d.ts'), false);
    assert.equal(isScriptFile('a.d.mts'), false);
    assert.equal(isScriptFile('lib.min.js'), false);
    assert.equal(isScriptFile('a.jsx'), true);
    assert.equal(isScriptFile('a.py'), false);
    const found = findSourceFiles([root], ['esm/**']);
    assert.deepEqual(found.scripts.map((f) => path.basename(f)), ['tools.js', 'work.ts']);
    assert.deepEqual(found.python.map((f) => path.basename(f)), ['legacy.py']);
    assert.deepEqual(findPythonFiles([root]).map((f) => path.basename(f)), ['legacy.py'], 'the Python finder is unchanged');
    assert.deepEqual(findPythonFiles([path.join(root, 'work.ts')]).map((f) => path.basename(f)), ['work.ts'], 'an explicit file is taken as given');
  });
});
