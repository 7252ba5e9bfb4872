import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../src/core/rules';
import { analyzeScripts, findingIds, lineOf } from './typescriptHelpers';

const findingsOf = (files: Record<string, string>, file: string) => analyzeScripts(files).get(file)?.findings ?? [];

const CRUNCH = 'export function crunch(n: number) { let t = 0; for (let i = 0; i < n; i++) { for (let j = 0; j < n; j++) t += (i * j) % 7; } return t; }\n';

describe('TypeScript/JavaScript findings (CL101-CL103)', function () {
  this.timeout(60_000);

  it('the rules are registered with their severity', () => {
    for (const rule of ['CL101', 'CL102', 'CL103'] as const) assert.equal(RULES[rule].severity, 'warning');
  });

  describe('CL101: the event loop blocked in an async function or a request handler', () => {
    it('a sync wait in an async function, directly and through a plain function; naming the async API', () => {
      const source = `import * as fs from 'node:fs';
import { execSync } from 'node:child_process';
function readConfig(file: string) { return JSON.parse(fs.readFileSync(file, 'utf8')); }
export async function start(file: string) {
  const config = readConfig(file); // through
  execSync('make build'); // direct
  return config;
}
`;
      const findings = findingsOf({ 'app.ts': source }, 'app.ts');
      assert.deepEqual(findingIds(findings), [`CL101@${lineOf(source, '// through')}`, `CL101@${lineOf(source, '// direct')}`]);
      assert.match(findings[0]?.message ?? '', /`fs\.readFileSync` blocks the event loop in async function `start` through readConfig → fs\.readFileSync: .* use fs\/promises\.readFile \(await it\)/);
      assert.match(findings[1]?.message ?? '', /`execSync` blocks the event loop .*child_process\.exec/);
      assert.equal(findings[0]?.severity, 'warning');
    });

    it('CPU-heavy work in request handlers: http.createServer, express-style routes, (req, res) functions', () => {
      const source = `import * as http from 'node:http';
import { pbkdf2Sync } from 'node:crypto';
import express from 'express';
import { crunch } from './work';
http.createServer((req, res) => {
  res.end(String(crunch(5000))); // server
}).listen(8080);
const app = express();
app.post('/login', (req, res) => {
  const key = pbkdf2Sync(req.body.password, 'salt', 100000, 64, 'sha512'); // route
  res.send(key.toString('hex'));
});
export function report(req: unknown, res: { end(s: string): void }) {
  let total = 0;
  for (let i = 0; i < 1e6; i++) { for (let j = 0; j < 100; j++) total += (i ^ j) % 3; } // loop
  res.end(String(total));
}
`;
      const findings = findingsOf({ 'server.ts': source, 'work.ts': CRUNCH }, 'server.ts');
      assert.deepEqual(findingIds(findings), [`CL101@${lineOf(source, '// server')}`, `CL101@${lineOf(source, '// route')}`, `CL101@${lineOf(source, '// loop')}`]);
      assert.match(findings[0]?.message ?? '', /`crunch` is CPU-bound \(work\.ts line 1: .*\) and runs on the event loop in the request handler at line 5.*worker_threads pool/);
      assert.match(findings[1]?.message ?? '', /`pbkdf2Sync` is CPU work on the event loop in the request handler at line 9: derives a key .*use `pbkdf2`, whose async form runs in libuv's thread pool/);
      assert.match(findings[2]?.message ?? '', /CPU-bound work on the event loop in request handler `report`/);
    });

    it('not for async APIs, plain functions, light loops, or calls into async functions (they have their own finding)', () => {
      const source = `import * as fs from 'node:fs';
import { readFile } from 'node:fs/promises';
export function build(file: string) { return fs.readFileSync(file, 'utf8'); }
export async function load(file: string) { return JSON.parse(await readFile(file, 'utf8')); }
export async function sum(rows: number[]) { let total = 0; for (const row of await Promise.resolve(rows)) total += row; return total; }
export async function inner(file: string) { return fs.readFileSync(file, 'utf8'); } // inner
export async function outer(file: string) { return inner(file); }
`;
      const findings = findingsOf({ 'ok.ts': source }, 'ok.ts');
      assert.deepEqual(findingIds(findings), [`CL101@${lineOf(source, '// inner')}`]);
    });

    it('an ignore comment suppresses it', () => {
      const source = "import * as fs from 'node:fs';\nexport async function f() { return fs.readFileSync('x'); } // concurrency-lens: ignore[CL101]\nexport async function g() { return fs.readFileSync('y'); } /* concurrency-lens: ignore[CL103] */\n";
      assert.deepEqual(findingIds(findingsOf({ 'a.ts': source }, 'a.ts')), ['CL101@3']);
    });

    it('a rebound name: each call is resolved by the binding that reaches it (`run = promisify(exec)` after `run = execSync`)', () => {
      const source = `import { exec, execSync } from 'node:child_process';
import { promisify } from 'node:util';
export async function build() {
  let run: any = execSync;
  run('make clean'); // sync
  run = promisify(exec);
  await run('make'); // async
}
`;
      const findings = findingsOf({ 'a.ts': source }, 'a.ts');
      assert.deepEqual(findingIds(findings), [`CL101@${lineOf(source, '// sync')}`]);
      assert.match(findings[0]?.message ?? '', /`execSync` blocks the event loop/);
    });

    it('an object rebound across if/else reaches the call only through its last bindings (a reaching binding from before the if is replaced)', () => {
      const source = `import * as fs from 'node:fs';
class SyncStore { get() { return fs.readFileSync('data.json'); } }
class AsyncStore { async get() { return fs.promises.readFile('data.json'); } }
export async function load(cached: boolean) {
  let store: any = new SyncStore();
  if (cached) { store = new AsyncStore(); } else { store = new AsyncStore(); }
  return await store.get(); // call
}
export async function loadEither(cached: boolean) {
  let store: any = new SyncStore();
  if (cached) store = new AsyncStore();
  return await store.get(); // either
}
export async function loadSync(cached: boolean) {
  let store: any = new AsyncStore();
  if (cached) { store = new SyncStore(); } else { store = new SyncStore(); }
  return await store.get(); // sync
}
`;
      assert.deepEqual(findingIds(findingsOf({ 'a.ts': source }, 'a.ts')), [`CL101@${lineOf(source, '// sync')}`]);
    });

    it('a pool object rebound across if/else: the work runs in the pool, not on the event loop, unless one branch keeps the inline runner', () => {
      const source = `import Piscina from 'piscina';
import { pbkdf2Sync } from 'node:crypto';
class InlineRunner { run(password: string) { return pbkdf2Sync(password, 'salt', 100000, 64, 'sha512'); } }
export async function hashAll(password: string, big: boolean) {
  let runner: any = new InlineRunner();
  if (big) { runner = new Piscina({ filename: './hash.js', maxThreads: 4 }); } else { runner = new Piscina({ filename: './hash.js' }); }
  return await runner.run(password); // pooled
}
export async function hashSome(password: string, big: boolean) {
  let runner: any = new InlineRunner();
  if (big) runner = new Piscina({ filename: './hash.js' });
  return await runner.run(password); // either
}
export async function hashInline(password: string, big: boolean) {
  let runner: any = new Piscina({ filename: './hash.js' });
  if (big) { runner = new InlineRunner(); } else { runner = new InlineRunner(); }
  return await runner.run(password); // inline
}
`;
      assert.deepEqual(findingIds(findingsOf({ 'a.ts': source }, 'a.ts')), [`CL101@${lineOf(source, '// inline')}`]);
    });

    it('a function that may be either of two: reported only when every binding reaching the call would be', () => {
      const source = `import * as fs from 'node:fs';
import { execSync } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
function heavySync(p: string) { return pbkdf2Sync(p, 'salt', 100000, 64, 'sha512'); }
async function lightAsync(p: string) { return fs.promises.readFile(p); }
export async function either(x: boolean) {
  let fn = heavySync;
  if (x) fn = lightAsync;
  return fn('a'); // either
}
export async function both(x: boolean) {
  let run = fs.readFileSync;
  if (x) run = execSync;
  run('a'); // both
}
export async function afterReturn(x: boolean) {
  let fn = heavySync;
  if (x) { fn = lightAsync; return; }
  fn('a'); // only heavy
}
`;
      assert.deepEqual(findingIds(findingsOf({ 'a.ts': source }, 'a.ts')), [`CL101@${lineOf(source, '// both')}`, `CL101@${lineOf(source, '// only heavy')}`]);
    });

    it('a rebinding the forward pass does not follow (in a closure) leaves the call to the declaration', () => {
      const source = `import { exec, execSync } from 'node:child_process';
import { promisify } from 'node:util';
export async function build(later: boolean) {
  let run: any = execSync;
  const swap = () => { run = promisify(exec); };
  if (later) swap();
  run('make'); // call
}
`;
      assert.deepEqual(findingIds(findingsOf({ 'a.ts': source }, 'a.ts')), [`CL101@${lineOf(source, '// call')}`]);
    });
  });

  describe('CL102: worker_threads for I/O-only work', () => {
    const io = "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', async (url) => {\n  const res = await fetch(url);\n  parentPort.postMessage(await res.text());\n});\n";
    const cpu = "const { parentPort } = require('node:worker_threads');\nconst { crunch } = require('./work');\nparentPort.on('message', (n) => parentPort.postMessage(crunch(n)));\n";
    const main = (script: string): string => `import { Worker } from 'node:worker_threads';\nimport * as path from 'node:path';\nexport function start() {\n  return new Worker(path.join(__dirname, '${script}')); // worker\n}\n`;

    it('a Worker whose script only waits on I/O', () => {
      const findings = findingsOf({ 'main.ts': main('fetcher.js'), 'fetcher.js': io }, 'main.ts');
      assert.deepEqual(findingIds(findings), ['CL102@4']);
      assert.match(findings[0]?.message ?? '', /the worker's task only waits on I\/O \(fetcher\.js, line 3: fetch: an HTTP request.*async calls \(Promise\.all\) on the main thread/);
    });

    it('not for a Worker that does CPU work, nor for a script it cannot find', () => {
      assert.deepEqual(findingsOf({ 'main.ts': main('cruncher.js'), 'cruncher.js': cpu, 'work.ts': CRUNCH }, 'main.ts'), []);
      assert.deepEqual(findingsOf({ 'main.ts': main('missing.js') }, 'main.ts'), []);
    });

    it('a script that is the file itself (new Worker(__filename)) and a worker script written in TypeScript', () => {
      const self = "const { Worker, isMainThread, parentPort } = require('node:worker_threads');\nconst fs = require('node:fs/promises');\nif (isMainThread) {\n  new Worker(__filename);\n} else {\n  parentPort.on('message', async (file) => parentPort.postMessage(await fs.readFile(file)));\n}\n";
      assert.deepEqual(findingIds(findingsOf({ 'self.js': self }, 'self.js')), ['CL102@4']);
      const tsWorker = "import { parentPort } from 'node:worker_threads';\nparentPort?.on('message', async (url: string) => parentPort?.postMessage(await (await fetch(url)).text()));\n";
      assert.deepEqual(findingIds(findingsOf({ 'main.ts': "import { Worker } from 'node:worker_threads';\nexport const w = new Worker(new URL('./fetch-worker.js', import.meta.url));\n", 'fetch-worker.ts': tsWorker }, 'main.ts')), ['CL102@2']);
    });
  });

  describe('CL103: a Worker per task in a loop', () => {
    it('in a loop, in a per-element callback, and through a function that creates one, called per task', () => {
      const source = `import { Worker } from 'node:worker_threads';
export function each(tasks: number[]) {
  for (const task of tasks) {
    const worker = new Worker('./task.js', { workerData: task }); // loop
    worker.on('message', console.log);
  }
}
export function mapped(tasks: number[]) {
  return tasks.map((task) => new Worker('./task.js', { workerData: task })); // map
}
function runTask(task: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker('./task.js', { workerData: task });
    worker.once('message', resolve).once('error', reject);
  });
}
export async function all(tasks: number[]) {
  return Promise.all(tasks.map(runTask)); // factory
}
`;
      const findings = findingsOf({ 'pool.ts': source }, 'pool.ts');
      assert.deepEqual(findingIds(findings), [`CL103@${lineOf(source, '// loop')}`, `CL103@${lineOf(source, '// map')}`, `CL103@${lineOf(source, '// factory')}`]);
      assert.match(findings[0]?.message ?? '', /a new Worker per task, inside a loop.*fixed pool/);
      assert.match(findings[2]?.message ?? '', /`runTask` creates a new Worker on every call \(line 13\)/);
    });

    it('not for a pool created once and reused', () => {
      const source = `import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
const workers = Array.from({ length: os.availableParallelism() }, () => new Worker('./task.js'));
export function submit(tasks: number[]) {
  tasks.forEach((task, k) => workers[k % workers.length]?.postMessage(task));
}
`;
      assert.deepEqual(findingsOf({ 'pool.ts': source }, 'pool.ts'), []);
    });
  });

  it('correct usage (test/fixtures/typescript/correct/) has no findings at all', () => {
    const dir = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'typescript', 'correct');
    const files = Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]));
    assert.ok(Object.keys(files).length >= 3);
    const reports = analyzeScripts(files);
    for (const [name, report] of reports) {
      assert.deepEqual(report.findings.map((f) => `${name}:${f.rule}@${f.line}: ${f.message}`), []);
      assert.ok(report.functions.length > 0, `${name} has functions`);
    }
  });
});
