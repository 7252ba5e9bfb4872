import * as assert from 'node:assert/strict';
import { analyzeScripts, scriptFn, scriptFunctions } from './typescriptHelpers';
import { NODE_CONFIDENCE } from '../../src/core/typescript/nodePolicy';

/**
 * Verdicts of the TypeScript/JavaScript analyzer, one category at a time: what the function does,
 * which verdict and Node recommendation it gets, and the evidence line that decided it.
 */
describe('TypeScript/JavaScript verdicts', function () {
  this.timeout(60_000);

  const SOURCE = `import * as fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { execFileSync, execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import zlib from 'node:zlib';
import * as http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
    if (prime) count++;
  }
  return count;
}

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function deriveKey(password: string): Buffer {
  return crypto.pbkdf2Sync(password, 'salt', 200_000, 64, 'sha512');
}

export function packExport(data: Buffer): Buffer {
  return zlib.gzipSync(data, { level: 9 });
}

export function readConfig(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  return JSON.parse(text);
}

export function convertWithCli(file: string): string {
  return execFileSync('convert', [file, 'out.png'], { encoding: 'utf8' });
}

export async function fetchOrder(id: number): Promise<unknown> {
  const response = await fetch(\`https://shop.example/orders/\${id}\`);
  return response.json();
}

export async function loadAll(files: string[]): Promise<Buffer[]> {
  return Promise.all(files.map((file) => readFile(file)));
}

export function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => resolve(res.statusCode ?? 0)).on('error', reject);
  });
}

export function runTool(file: string, done: (out: string) => void): void {
  execFile('tool', [file], (_error, stdout) => done(stdout));
}

export async function pollUntilReady(): Promise<number> {
  let attempts = 0;
  while (attempts < 5) {
    await sleep(100);
    attempts++;
  }
  return attempts;
}

export async function deriveKeyAsync(password: string): Promise<Buffer> {
  return new Promise((resolve, reject) => crypto.pbkdf2(password, 'salt', 200_000, 64, 'sha512', (e, key) => (e ? reject(e) : resolve(key))));
}

export function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export function formatBytes(size: number): string {
  for (const unit of ['B', 'KiB', 'MiB']) {
    if (size < 1024) return \`\${size} \${unit}\`;
    size /= 1024;
  }
  return \`\${size} GiB\`;
}

export function totals(rows: { qty: number; price: number }[]): number[] {
  return rows.map((row) => row.qty * row.price).filter((value) => value > 0);
}

export function squares(): number[] {
  return Array.from({ length: 5_000_000 }, (_, k) => k).map((k) => k * k).filter((value) => value % 3 === 0);
}

export function digestAll(buffers: Buffer[]): string[] {
  return buffers.map((b) => crypto.createHash('sha256').update(b).digest('hex'));
}

export function cacheKey(id: number): string {
  return crypto.createHash('md5').update(\`orders:\${id}\`).digest('hex');
}

export function inTempDir(n: number): number {
  process.chdir('/tmp');
  let total = 0;
  for (let k = 0; k < n; k++) total += Math.sqrt(k) * k;
  return total;
}

export function mystery(thing: { run(): void; stop(): void }): void {
  thing.run();
  thing.stop();
}
`;
  const fns = scriptFunctions(SOURCE);
  const verdict = (name: string): string => `${scriptFn(fns, name).verdict} ${scriptFn(fns, name).recommendation}`;

  it('CPU work on the calling thread (loops, recursion, sync crypto and zlib): cpu, worker_threads', () => {
    assert.equal(verdict('countPrimes'), 'cpu worker_threads');
    assert.equal(verdict('fib'), 'cpu worker_threads');
    assert.equal(verdict('deriveKey'), 'cpu worker_threads');
    assert.equal(verdict('packExport'), 'cpu worker_threads');
    assert.equal(verdict('digestAll'), 'cpu worker_threads');
    assert.match(scriptFn(fns, 'fib').evidence.map((e) => e.reason).join('\n'), /recursive call/);
    assert.match(scriptFn(fns, 'deriveKey').evidence[0]?.reason ?? '', /crypto\.pbkdf2Sync: derives a key in native code on the calling thread/);
    assert.match(scriptFn(fns, 'countPrimes').evidence.at(-1)?.reason ?? '', /worker_threads run JavaScript in parallel/);
  });

  it('synchronous waits: io, async (the fix is the async API, named in the evidence)', () => {
    assert.equal(verdict('readConfig'), 'io async');
    assert.equal(verdict('convertWithCli'), 'io async');
    const evidence = scriptFn(fns, 'readConfig').evidence.map((e) => e.reason).join('\n');
    assert.match(evidence, /fs\.readFileSync: a synchronous file system call.*\(use fs\/promises\.readFile\)/);
    assert.match(evidence, /its async form \(fs\/promises\.readFile\)/);
  });

  it('awaited and callback I/O (fetch, fs/promises, http, child_process callbacks, timers, libuv pool crypto): async-io, async', () => {
    for (const name of ['fetchOrder', 'getStatus', 'runTool', 'pollUntilReady', 'deriveKeyAsync']) {
      assert.equal(verdict(name), 'async-io async', name);
    }
    // Its own reads under Promise.all already keep libuv's 4 threads busy: calls at once gain nothing (asyncinside28).
    assert.equal(verdict('loadAll'), 'trivial sequential');
    assert.equal(scriptFn(fns, 'fetchOrder').async, true);
    assert.equal(scriptFn(fns, 'getStatus').async, false);
    assert.match(scriptFn(fns, 'deriveKeyAsync').evidence[0]?.reason ?? '', /libuv's thread pool/);
  });

  it('a call through a rebound name is judged by the binding that reaches it, not by the declaration', () => {
    const rebound = scriptFunctions(`import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
export async function convertAll(files: string[]) {
  let run: any = execFileSync;
  run = promisify(execFile);
  for (const file of files) await run('convert', [file]);
}
export function convertAllSync(files: string[]) {
  let run: any = promisify(execFile);
  run = execFileSync;
  for (const file of files) run('convert', [file]);
}
`);
    const shown = (name: string): string => `${scriptFn(rebound, name).verdict} ${scriptFn(rebound, name).recommendation}`;
    assert.equal(shown('convertAll'), 'async-io async');
    assert.equal(shown('convertAllSync'), 'io async');
    assert.match(scriptFn(rebound, 'convertAllSync').evidence.map((e) => e.reason).join('\n'), /execFileSync \(in a loop\): /);
  });

  it('too little work (straight-line calls, a loop over a short literal, hashing a short string): trivial, sequential', () => {
    for (const name of ['slugify', 'clamp', 'formatBytes', 'cacheKey']) assert.equal(verdict(name), 'trivial sequential', name);
    assert.ok(scriptFn(fns, 'slugify').confidence >= 0.9, 'the cost model is sure no pool pays for a few string calls');
  });

  it('array methods with callbacks are loops over the data: CPU work when the data is large', () => {
    assert.equal(verdict('squares'), 'cpu worker_threads');
    assert.match(scriptFn(fns, 'squares').evidence.map((e) => e.reason).join('\n'), /callback run once per element/);
    // Over rows of unknown number (~100 assumed): a callback call per row is nanoseconds, no pool pays even for 100,000 rows.
    assert.equal(verdict('totals'), 'trivial sequential');
    assert.match(scriptFn(fns, 'totals').evidence.map((e) => e.reason).join('\n'), /callback run once per element/);
  });

  it('CPU work that needs the main thread (process.chdir) recommends child_process', () => {
    assert.equal(verdict('inTempDir'), 'cpu child_process');
    assert.match(scriptFn(fns, 'inTempDir').evidence.map((e) => e.reason).join('\n'), /process\.chdir.*not available in worker threads/);
  });

  it('confidence says what the verdict rests on: a worker pool for work of a size the code does not tell is right about 3 times in 4 on new code, for work of a told size about 4 times in 5; a wait overlapped on the event loop and a too-small task nearly always', () => {
    const rests = scriptFunctions(`export function scoreRows(rows: number[]): number {
  let total = 0;
  for (let k = 0; k < 1_000_000; k++) for (const row of rows) total += (row * 31 + k) % 7;
  return total;
}
export function scoreGrid(): number {
  let total = 0;
  for (let k = 0; k < 6_000; k++) for (let j = 0; j < 6_000; j++) total += (k * 31 + j) % 7;
  return total;
}
export async function fetchRow(id: number): Promise<unknown> {
  const response = await fetch(\`http://localhost/rows/\${id}\`);
  return response.json();
}
export function label(id: number): string {
  return \`row-\${id}\`;
}
`);
    const shown = (name: string): string => `${scriptFn(rests, name).verdict} ${scriptFn(rests, name).confidence}`;
    assert.equal(shown('scoreRows'), `cpu ${NODE_CONFIDENCE.assumedPoolPaysForScript}`);
    assert.ok(NODE_CONFIDENCE.assumedPoolPaysForScript < 0.8);
    assert.ok(scriptFn(rests, 'scoreRows').evidence.some((e) => /assumed/.test(e.reason)));
    assert.equal(shown('scoreGrid'), `cpu ${NODE_CONFIDENCE.sizesToldForWork}`);
    assert.ok((NODE_CONFIDENCE.sizesToldForWork ?? 1) < 0.85);
    assert.equal(shown('fetchRow'), `async-io ${NODE_CONFIDENCE.assumedPoolPays}`);
    assert.equal(scriptFn(rests, 'label').verdict, 'trivial');
    assert.ok(scriptFn(rests, 'label').confidence >= 0.9);
    assert.equal(shown('label'), `trivial ${NODE_CONFIDENCE.sizesTold}`);
  });

  it('a worker pool for JavaScript of a size the code does not tell is less sure than one for a key derivation or a synchronous wait of such a size (the pool losers of the band where two workers begin to pay are JavaScript)', () => {
    const rests = scriptFunctions(`import { execFileSync } from 'node:child_process';
import { scryptSync } from 'node:crypto';
export function scoreRows(rows: number[]): number {
  let total = 0;
  for (let k = 0; k < 1_000_000; k++) for (const row of rows) total += (row * 31 + k) % 7;
  return total;
}
export function deriveKeys(passwords: string[]): Buffer[] {
  return passwords.map((password) => scryptSync(password, 'salt', 64));
}
export function listAll(folders: string[]): string[] {
  return folders.map((folder) => execFileSync('ls', [folder], { encoding: 'utf8' }));
}
`);
    const shown = (name: string): string => `${scriptFn(rests, name).verdict} ${scriptFn(rests, name).confidence}`;
    assert.equal(shown('scoreRows'), `cpu ${NODE_CONFIDENCE.assumedPoolPaysForScript}`);
    assert.equal(shown('deriveKeys'), `cpu ${NODE_CONFIDENCE.assumedPoolPaysForWork}`);
    assert.equal(shown('listAll'), `io ${NODE_CONFIDENCE.assumedPoolPaysForWork}`);
    assert.ok(NODE_CONFIDENCE.assumedPoolPaysForScript < (NODE_CONFIDENCE.assumedPoolPaysForWork ?? 0) - 0.1);
  });

  it('a worker pool for JavaScript judged at the break-even (no pool pays at the sizes assumed, one would past them) is less sure than one paying at the sizes assumed: the band\'s pool losers are mostly there on new code', () => {
    const rests = scriptFunctions(`export function scoreRows(rows: number[]): number {
  let total = 0;
  for (let k = 0; k < 1_000_000; k++) for (const row of rows) total += (row * 31 + k) % 7;
  return total;
}
export function scoreFewRows(rows: number[]): number {
  let total = 0;
  for (let k = 0; k < 20_000; k++) for (const row of rows) total += (row * 31 + k) % 7;
  return total;
}
`);
    const fewRows = scriptFn(rests, 'scoreFewRows');
    assert.equal(`${fewRows.verdict} ${fewRows.predicted?.best}`, 'cpu sequential');
    assert.ok(fewRows.evidence.some((e) => /pays off above/.test(e.reason)));
    assert.equal(fewRows.confidence, NODE_CONFIDENCE.judgedAtBreakEvenForScript);
    assert.equal(`${scriptFn(rests, 'scoreRows').verdict} ${scriptFn(rests, 'scoreRows').confidence}`, `cpu ${NODE_CONFIDENCE.assumedPoolPaysForScript}`);
    assert.ok(NODE_CONFIDENCE.judgedAtBreakEvenForScript < NODE_CONFIDENCE.assumedPoolPaysForScript - 0.2);
  });

  it('calls of unknown kind only: unknown, low confidence', () => {
    assert.equal(scriptFn(fns, 'mystery').verdict, 'unknown');
    assert.ok(scriptFn(fns, 'mystery').confidence <= 0.3);
  });

  it('reports lines, end lines and the async flag of every named function', () => {
    const countPrimes = scriptFn(fns, 'countPrimes');
    assert.equal(countPrimes.line, 9);
    assert.equal(countPrimes.endLine, 17);
    assert.equal(fns.size, 21);
  });

  it('follows calls within a file, into other modules (ESM and CommonJS), and through class members', () => {
    const reports = analyzeScripts({
      'work.ts': 'export function crunch(n: number) { let t = 0; for (let i = 0; i < n; i++) { for (let j = 0; j < n; j++) t += i * j % 7; } return t; }\n' +
        'export class Client { async get(url: string) { return (await fetch(url)).text(); } }\n',
      'caller.ts': "import { crunch, Client } from './work';\nimport * as work from './work';\n" +
        'export function run(n: number) { return crunch(n); }\n' +
        'export function viaNamespace(n: number) { return work.crunch(n); }\n' +
        'export async function download(url: string) { const client = new Client(); return client.get(url); }\n' +
        'export class Service {\n  constructor(private readonly client: Client) {}\n  async refresh(url: string) { return this.client.get(url); }\n}\n' +
        'export function local(n: number) { return helper(n) + 1; }\nfunction helper(n: number) { let s = 0; for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += i * j; return s; }\n',
      'legacy.js': "const { crunch } = require('./work');\nconst work = require('./work.ts');\n" +
        'function batch(ns) { return ns.map((n) => crunch(n)); }\nfunction viaModule(n) { return work.crunch(n); }\nmodule.exports = { batch, viaModule };\n',
    });
    const caller = new Map(reports.get('caller.ts')?.functions.map((f) => [f.qualname, f]));
    assert.equal(caller.get('run')?.verdict, 'cpu');
    assert.match(caller.get('run')?.evidence[0]?.reason ?? '', /calls crunch, which runs CPU work/);
    assert.equal(caller.get('viaNamespace')?.verdict, 'cpu');
    assert.equal(caller.get('download')?.verdict, 'async-io');
    assert.equal(caller.get('Service.refresh')?.verdict, 'async-io');
    assert.equal(caller.get('local')?.verdict, 'cpu');
    const legacy = new Map(reports.get('legacy.js')?.functions.map((f) => [f.qualname, f]));
    assert.equal(reports.get('legacy.js')?.language, 'javascript');
    assert.equal(reports.get('caller.ts')?.language, 'typescript');
    assert.equal(legacy.get('batch')?.verdict, 'cpu');
    assert.equal(legacy.get('viaModule')?.verdict, 'cpu');
  });

  it('resolves what syntax cannot (a factory returning a registry\'s entry as a class) with the type checker, and only with it', () => {
    const files = {
      'engine.ts': 'export class Engine { optimize(n: number) { let best = 0; for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) best = Math.max(best, (a * b) % 97); return best; } }\n' +
        'const registry = new Map<string, unknown>();\nexport function createEngine() { return registry.get(\'main\') as Engine; }\n',
      'price.ts': "import { createEngine } from './engine';\nexport function bestPrice(n: number) { const engine = createEngine(); return engine.optimize(n); }\n",
    };
    const withProject = analyzeScripts(files).get('price.ts')?.functions[0];
    assert.equal(withProject?.verdict, 'cpu');
    assert.match(withProject?.evidence[0]?.reason ?? '', /calls Engine\.optimize/);
    const syntaxOnly = analyzeScripts(files, { project: false }).get('price.ts')?.functions[0];
    assert.notEqual(syntaxOnly?.verdict, 'cpu', 'without the type checker engine.optimize is not resolved');
  });

  it('names functions as they are written: declarations, arrows, methods, object literals, CommonJS exports', () => {
    const reports = analyzeScripts({
      'shapes.js': 'const api = { get(url) { return fetch(url); }, post: async (url) => fetch(url, { method: "POST" }) };\n' +
        'exports.one = function () { return 1; };\nmodule.exports.two = () => 2;\n' +
        'function Legacy() {}\nLegacy.prototype.run = function () { return 3; };\n' +
        'class Store { static open() { return new Store(); } handle = () => 4; }\n',
    });
    const names = reports.get('shapes.js')?.functions.map((f) => f.qualname).sort();
    assert.deepEqual(names, ['Legacy', 'Legacy.run', 'Store.handle', 'Store.open', 'api.get', 'api.post', 'one', 'two']);
  });

  it('a lazily initialized value is built once: calling its getter with constant arguments is a lookup', () => {
    const fns2 = scriptFunctions(`let table: number[] | undefined;
function lookupTable(): number[] {
  if (!table) {
    table = [];
    for (let k = 0; k < 1e6; k++) table.push(Math.sqrt(k) * k);
  }
  return table;
}
function buildTable(): number[] {
  const out: number[] = [];
  for (let k = 0; k < 1e6; k++) out.push(Math.sqrt(k) * k);
  return out;
}
let cached: number[] | undefined;
const viaNullish = (): number[] => (cached ??= buildTable());
export function cachedValue(i: number): number { return (lookupTable()[i] ?? 0) + (viaNullish()[i] ?? 0); }
export function rebuiltValue(i: number): number { return buildTable()[i] ?? 0; }
`);
    // The getter builds on its first call only; the calls a pool would run find the table built (as in Python).
    assert.equal(scriptFn(fns2, 'lookupTable').verdict, 'trivial', 'a first call builds, later calls look up');
    assert.equal(scriptFn(fns2, 'cachedValue').verdict, 'trivial');
    assert.match(scriptFn(fns2, 'cachedValue').evidence[0]?.reason ?? '', /lookupTable is memoized \(lazy initialization\)/);
    assert.equal(scriptFn(fns2, 'rebuiltValue').verdict, 'cpu');
  });

  it('a callback run later (an event, a promise reaction) that calls back into its function is not recursion', () => {
    const fns2 = scriptFunctions(`import { EventEmitter } from 'node:events';
const jobs: number[] = [];
const bus = new EventEmitter();
export function drain(): void {
  const job = jobs.shift();
  if (job === undefined) return;
  bus.once('done', () => drain());
  bus.emit('start', job);
}
export function walk(n: number): number {
  return n <= 0 ? 0 : walk(n - 1) + 1;
}
`);
    assert.equal(scriptFn(fns2, 'drain').verdict, 'trivial');
    assert.match(scriptFn(fns2, 'drain').evidence.map((e) => e.reason).join('\n'), /runs drain again later, from a callback/);
    assert.equal(scriptFn(fns2, 'walk').verdict, 'cpu');
  });

  it('keeps analyzing past syntax errors, and reports them with their line', () => {
    const report = analyzeScripts({ 'broken.ts': 'export function ok() { return 1; }\nexport function bad( {\n  return 2;\n}\nexport function after() { for (const x of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) console.log(x); }\n' }).get('broken.ts');
    assert.ok((report?.errors.length ?? 0) >= 1);
    assert.equal(report?.errors[0]?.line, 3);
    assert.match(report?.errors[0]?.message ?? '', /syntax error/);
    assert.ok(report?.functions.some((f) => f.qualname === 'ok'));
  });
});
