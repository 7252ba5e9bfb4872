import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calibrationFrom, machineCalibration } from '../../src/core/cost/calibration';
import type { FunctionReport } from '../../src/core/model';
import { single, range, sequence, type Cost } from '../../src/core/cost/model';
import { predict, type Workload } from '../../src/core/cost/predict';
import { childProgram, childRun } from '../../src/core/knowledge/programs';
import { extractFacts, parseSource } from '../../src/core/typescript/extract';
import { TypeScriptAnalyzer } from '../../src/core/typescript/index';
import { nodeLabelOf, nodePolicy } from '../../src/core/typescript/nodePolicy';
import { ScriptVerdictEngine, type ModuleLoad } from '../../src/core/typescript/verdicts';
import { tempTree } from './helpers';
import { analyzeScripts, findingIds, lineOf, scriptFn, scriptFunctions } from './typescriptHelpers';

/**
 * The TS/JS verdicts on the one cost model: seconds per call read from the sizes the code tells, Node's
 * policy (worker_threads without a lock but with start-up and message copies, the event loop overlapping
 * awaited waits), and the TS/JS fixtures' label rule on the predicted times.
 */
describe('TypeScript/JavaScript verdicts from the cost model', function () {
  this.timeout(60_000);

  /** The priors alone: these tests do not depend on the machine's calibration. */
  const constants = calibrationFrom(undefined);
  const policy = nodePolicy(constants, 2);
  const workload: Workload = { tasks: 8, cores: 2, argumentBytes: 64, resultBytes: 64 };
  const labelOf = (cost: Cost, coroutine = false): string => nodeLabelOf(predict(cost, { ...workload, coroutine }, policy));

  /** Reports and module loads of a tree of files under the priors on 2 cores (not this machine's calibration). */
  function withPriors(files: Record<string, string>, given = constants): { report: (file: string, qualname: string) => FunctionReport; load: (file: string) => ModuleLoad } {
    const root = tempTree(files);
    const analyzer = new TypeScriptAnalyzer();
    try {
      analyzer.loadFiles(Object.keys(files).map((relative) => path.join(root, relative)));
      analyzer.resolveProject();
      const engine = new ScriptVerdictEngine(analyzer.program, given, 2);
      const entryOf = (file: string) => {
        const entry = analyzer.program.entry(path.join(root, file));
        if (!entry) throw new Error(`${file} not loaded`);
        return entry;
      };
      const reports = new Map<string, FunctionReport>();
      for (const file of Object.keys(files)) {
        const entry = entryOf(file);
        for (const fn of entry.facts.functions.filter((candidate) => candidate.reported)) reports.set(`${file}::${fn.qualname}`, engine.reportFunction(entry, fn));
      }
      const loads = new Map(Object.keys(files).map((file) => [file, engine.moduleLoad(entryOf(file))]));
      return {
        report: (file, qualname) => reports.get(`${file}::${qualname}`) ?? assert.fail(`no ${file}::${qualname}`),
        load: (file) => loads.get(file) ?? assert.fail(`no load of ${file}`),
      };
    } finally {
      analyzer.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  /** A function of ~25 ms of JavaScript per call (worth 2 workers when they start bare). */
  const CRUNCH = `export function crunch(i: number): number {
  let total = i;
  for (let n = 0; n < 4_000_000; n++) total = (total + n * 3) ^ (n >> 2);
  return total;
}
`;

  it('each worker loads the task\'s module again: module-level data built at load (templates, objects) is paid per worker, so a 25 ms task is not worth a pool there', () => {
    const data = `const READERS = Array.from({ length: 300_000 }, (_, n) => ({ id: n, name: \`reader \${String(n).padStart(6, '0')}\`, minutes: (n * 7919) % 10_007 }));
export function reader(n: number) { return READERS[n]; }
`;
    const { report, load } = withPriors({ 'bare.ts': CRUNCH, 'heavy.ts': data + CRUNCH });
    assert.equal(report('bare.ts', 'crunch').verdict, 'cpu', 'a bare worker start is paid back');
    assert.ok(load('heavy.ts').seconds > 0.2, `300,000 objects and strings built at load: ${load('heavy.ts').seconds} s`);
    assert.ok(load('bare.ts').seconds < 0.01, `a module without data loads in milliseconds: ${load('bare.ts').seconds} s`);
    const heavy = report('heavy.ts', 'crunch');
    assert.equal(`${heavy.verdict} ${heavy.recommendation}`, 'trivial sequential');
    assert.match(heavy.evidence.map((e) => e.reason).join('\n'), /each new worker loads this module before its first task \(~\d+ ms, most of it the top-level code of heavy\.ts building its data\)/);
  });

  it('a cache a task fills on its first call is filled again in every new worker (the warm-up filled only the calling thread\'s): a lookup in an index built on first use is not worth a pool', () => {
    const index = `let index: Map<string, number[]> | null = null;
function wordIndex(): Map<string, number[]> {
  if (index === null) {
    index = new Map();
    for (let doc = 0; doc < 6_000; doc++) {
      for (let w = 0; w < 150; w++) {
        const word = \`w\${(doc * 31 + w * 7) % 5_000}\`;
        const postings = index.get(word);
        if (postings) postings.push(doc);
        else index.set(word, [doc]);
      }
    }
  }
  return index;
}
`;
    const search = `export function search(i: number): number[] {
  const scores = new Map<number, number>();
  for (const doc of wordIndex().get(\`w\${i}\`) ?? []) scores.set(doc, (scores.get(doc) ?? 0) + (doc % 7) / 7);
  return [...scores.keys()].slice(0, 20);
}
`;
    const { report } = withPriors({ 'search.ts': index + search });
    const found = report('search.ts', 'search');
    assert.equal(`${found.verdict} ${found.recommendation}`, 'trivial sequential', found.evidence.map((e) => e.reason).join('\n'));
    assert.match(found.evidence.map((e) => e.reason).join('\n'), /then fills on that task the caches of the memoized functions it calls \(~\d+ ms/);
    assert.ok((found.predicted?.seconds.threads ?? 0) > 0.2, `900,000 words indexed in each worker: ${found.predicted?.seconds.threads} s`);
  });

  it('a module\'s load counts the workspace modules it imports (their data too), its core modules and packages, and its source per byte', () => {
    const data = 'export const ROWS = Array.from({ length: 200_000 }, (_, n) => ({ id: n, label: `row ${n}` }));\n';
    const { load } = withPriors({
      'data.ts': data,
      'uses.ts': `import { ROWS } from './data';\nimport * as zlib from 'node:zlib';\nimport * as crypto from 'node:crypto';\nimport express from 'express';\nexport function first() { return ROWS[0]; }\n`,
      'alone.ts': 'export function first() { return 1; }\n',
    });
    const uses = load('uses.ts');
    assert.equal(uses.modules, 2);
    const own = constants['node.module_load_ts_byte'] * 200;
    const expected = load('data.ts').seconds + 2 * constants['node.builtin_import'] + 0.01;
    assert.ok(Math.abs(uses.seconds - expected) < own, `${uses.seconds} s vs ${expected} s`);
    assert.ok(load('alone.ts').seconds < 1e-4, `${load('alone.ts').seconds} s`);
  });

  it('a module\'s load follows edits: the data of a module it imports, edited, is priced again', () => {
    const root = tempTree({ 'data.ts': 'export const ROWS = Array.from({ length: 1_000 }, (_, n) => ({ id: n }));\n', 'uses.ts': "import { ROWS } from './data';\nexport function first() { return ROWS[0]; }\n" });
    const analyzer = new TypeScriptAnalyzer({ project: false });
    try {
      const [data, uses] = ['data.ts', 'uses.ts'].map((file) => path.join(root, file)) as [string, string];
      analyzer.loadFiles([data, uses]);
      const loadOfUses = (): number => analyzer.engine.moduleLoad(analyzer.program.entry(uses) ?? assert.fail('uses.ts not loaded')).seconds;
      const small = loadOfUses();
      assert.equal(loadOfUses(), small, 'memoized');
      analyzer.setSource(data, 'export const ROWS = Array.from({ length: 1_000_000 }, (_, n) => ({ id: n }));\n');
      assert.ok(loadOfUses() > 100 * small, `a thousand times the objects: ${loadOfUses()} s vs ${small} s`);
    } finally {
      analyzer.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('module data is priced by what builds it: fresh buffers per byte (Buffer.alloc, randomBytes; sizes through <<), JSON.stringify of an object literal by its JSON', () => {
    const { load } = withPriors({
      'firmware.ts': "import * as crypto from 'node:crypto';\nconst CHUNK = 1 << 20;\nexport const IMAGE = Buffer.alloc(64 * CHUNK, 0x5a);\nexport const NOISE = crypto.randomBytes(8 * CHUNK);\n",
      'payloads.ts': 'export const PAYLOADS = Array.from({ length: 10_000 }, (_, n) => JSON.stringify({ meter: `m-${n}`, slot: n, kwh: n / 100 }));\n',
    });
    const fresh = (64 + 8) * 2 ** 20 * constants['node.buffer_fill_byte'] + 8 * 2 ** 20 * constants['node.random_byte'];
    const firmware = load('firmware.ts').seconds;
    assert.ok(firmware > fresh && firmware < fresh + 0.01, `64 MB filled and 8 MB of random bytes: ${firmware} s vs ${fresh} s`);
    // ~50 bytes of JSON each, not the buffer of unknown size (16 KiB) a JSON.stringify argument is otherwise taken to be.
    const payloads = load('payloads.ts').seconds;
    assert.ok(payloads < 0.05, `10,000 small objects serialized: ${payloads} s`);
  });

  it('a disk flush (fsyncSync, FileHandle.sync) waits as long as the calibration measured this machine\'s disk to flush, not a fixed prior', () => {
    const journal = "const fs = require('node:fs');\nfunction appendJournal(fd) {\n  for (let n = 0; n < 30; n++) fs.fsyncSync(fd);\n}\nmodule.exports = { appendJournal };\n";
    const fastDisk = calibrationFrom({ schema: 1, constants: { 'node.fsync': { seconds: 2e-4 } } });
    const slow = withPriors({ 'journal.js': journal }).report('journal.js', 'appendJournal').predicted?.seconds.sequential ?? 0;
    const fast = withPriors({ 'journal.js': journal }, fastDisk).report('journal.js', 'appendJournal').predicted?.seconds.sequential ?? 0;
    assert.ok(Math.abs(slow - 8 * 30 * constants['node.fsync']) < 1e-3, `8 calls of 30 flushes at the prior: ${slow} s`);
    assert.ok(Math.abs(fast - 8 * 30 * 2e-4) < 1e-3, `8 calls of 30 flushes of 0.2 ms: ${fast} s`);
  });

  it('a signer\'s update gives the signer back: `createSign(alg).update(text).sign(key)` in a loop signs each time (CPU on the calling thread), not "cannot tell"', () => {
    const source = `import { createSign, createVerify, KeyObject } from 'node:crypto';
export function signAll(texts: string[], key: KeyObject, publicKey: KeyObject): number {
  let valid = 0;
  for (const text of texts) {
    const signature = createSign('sha256').update(text).sign(key);
    if (createVerify('sha256').update(text).verify(publicKey, signature)) valid++;
  }
  return valid;
}
`;
    const { report } = withPriors({ 'sign.ts': source });
    const reasons = report('sign.ts', 'signAll').evidence.map((e) => e.reason);
    assert.ok(!reasons.some((r) => /cannot tell/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^createSign\(…\)\.update\(…\)\.sign \(in a loop\): signs in native code/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /verifies a signature in native code/.test(r)), reasons.join('\n'));
  });

  it('short local waits: sync file system calls of a size the code does not tell are taken to be short (trivial), a command-line tool run to completion is still judged a wait worth the async API', () => {
    const source = `import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
export function writeManifest(file: string, text: string): number {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}
export function checksum(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).slice(0, 16);
}
`;
    const { report } = withPriors({ 'local.ts': source });
    const manifest = report('local.ts', 'writeManifest');
    assert.equal(`${manifest.verdict} ${manifest.recommendation}`, 'trivial sequential', manifest.evidence.map((e) => e.reason).join('\n'));
    assert.equal(report('local.ts', 'checksum').verdict, 'io');
  });

  it('a file a function writes and reads back (`writeFileSync(file, text)` then `readFileSync(file)`) is as large as what it wrote: a small settings file parsed is trivial, a file it does not write is judged at a larger size', () => {
    const source = `import * as fs from 'node:fs';
import * as path from 'node:path';
export function readSettings(i: number): number {
  const file = path.join('/tmp', 'settings.json');
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify({ currency: 'EUR', pageSize: 50 }));
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  return settings.pageSize + i;
}
export function readTheirs(i: number): number {
  const file = path.join('/tmp', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  return settings.pageSize + i;
}
`;
    const { report } = withPriors({ 'settings.ts': source });
    const mine = report('settings.ts', 'readSettings');
    assert.equal(`${mine.verdict} ${mine.recommendation}`, 'trivial sequential', mine.evidence.map((e) => e.reason).join('\n'));
    assert.equal(report('settings.ts', 'readTheirs').verdict, 'io');
  });

  it('libuv\'s pool is CPU on the cores: one awaited compression per call gains from calls at once (async-io), pieces a call already runs at once do not (trivial)', () => {
    const source = `import * as zlib from 'node:zlib';
import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
const gzip = promisify(zlib.gzip);
export async function archiveWhole(log: Buffer): Promise<number> {
  return (await gzip(log, { level: 6 })).length;
}
export async function archiveInParts(log: Buffer): Promise<number> {
  const size = Math.ceil(log.length / 4);
  const parts = await Promise.all(Array.from({ length: 4 }, (_, k) => gzip(log.subarray(k * size, (k + 1) * size), { level: 6 })));
  return parts.reduce((sum, part) => sum + part.length, 0);
}
export async function digestBoth(a: Uint8Array, b: Uint8Array): Promise<number> {
  const digests = await Promise.all([a, b].map((blob) => crypto.subtle.digest('SHA-256', blob)));
  return digests.length;
}
`;
    const { report } = withPriors({ 'pool.ts': source });
    const describe = (name: string): string => `${report('pool.ts', name).verdict} ${report('pool.ts', name).recommendation}`;
    assert.equal(describe('archiveWhole'), 'async-io async');
    assert.equal(describe('archiveInParts'), 'trivial sequential', report('pool.ts', 'archiveInParts').evidence.map((e) => e.reason).join('\n'));
    assert.equal(describe('digestBoth'), 'trivial sequential');
  });

  it('a loop over a parameter runs as many times as the caller\'s argument tells (`lane(20_000)` at load, `mix(4_000_000)` in a task); without an argument of known size it is assumed', () => {
    const source = `export function mix(rounds: number): number {
  let total = 0;
  for (let n = 0; n < rounds; n++) total = (total + n * 3) ^ (n >> 2);
  return total;
}
export function mixMany(i: number): number {
  return mix(4_000_000) + i;
}
export function mixSome(i: number): number {
  return mix(i);
}
`;
    const { report } = withPriors({ 'mix.ts': source });
    const many = report('mix.ts', 'mixMany');
    assert.equal(`${many.verdict} ${many.recommendation}`, 'cpu worker_threads', many.evidence.map((e) => e.reason).join('\n'));
    assert.match(many.evidence.map((e) => e.reason).join('\n'), /4,000,000 items/);
    assert.match(report('mix.ts', 'mixSome').evidence.map((e) => e.reason).join('\n'), /~100 items assumed/);
  });

  it('a string built by `+=` in a loop is a new string per append, priced per append (module data built that way makes each worker\'s load long)', () => {
    const lane = `function lane(reads: number): string[] {
  const lines: string[] = [];
  let state = 7;
  for (let n = 0; n < reads; n++) {
    let read = '';
    for (let k = 0; k < 100; k++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      read += 'ACGT'[state >>> 30];
    }
    lines.push(read);
  }
  return lines;
}
`;
    const { load } = withPriors({ 'lane.ts': `${lane}export const LANE = lane(20_000);\n`, 'counts.ts': `${lane.replace("let read = '';", 'let read = 0;').replace("read += 'ACGT'[state >>> 30];", 'read += state >>> 30;').replace('string[]', 'number[]').replace('lines: string[]', 'lines: number[]')}export const COUNTS = lane(20_000);\n` });
    const appends = constants['node.string_append'] * 2_000_000;
    assert.ok(load('lane.ts').seconds > appends, `2,000,000 appends at load: ${load('lane.ts').seconds} s`);
    assert.ok(load('counts.ts').seconds < appends / 4, `the same loops summing numbers: ${load('counts.ts').seconds} s`);
  });

  it('a field a module function writes in place in the object it returns is as large as the code tells where it is destructured (`const { header } = delivery(i)`), and a split of a sized text has at most one part more than its characters', () => {
    const source = `import { createHmac } from 'node:crypto';
const SECRET = 'hook-secret';
function delivery(i: number): { body: string; header: string } {
  const body = JSON.stringify({ order: \`ord_\${i}\` });
  return { body, header: \`t=\${1_700_000_000 + i},v1=\${i % 97}\` };
}
function hooked(i: number, raw: string): { header: string } {
  return { header: raw };
}
export function checkHook(i: number): boolean {
  const { body, header } = delivery(i);
  const fields = Object.fromEntries(header.split(',').map((part) => part.split('=')));
  return createHmac('sha256', SECRET).update(\`\${fields.t}.\${body}\`).digest().length === 32;
}
export function checkRawHook(i: number, raw: string): number {
  const { header } = hooked(i, raw);
  return Object.fromEntries(header.split(',').map((part) => part.split('='))).t?.length ?? 0;
}
`;
    const { report } = withPriors({ 'hook.ts': source });
    const checked = report('hook.ts', 'checkHook');
    const reasons = checked.evidence.map((e) => e.reason).join('\n');
    assert.equal(`${checked.verdict} ${checked.recommendation}`, 'trivial sequential', reasons);
    assert.doesNotMatch(reasons, /items assumed|pays off above/);
    // A field the function does not write in place (a parameter) leaves the loop over its parts assumed.
    assert.match(report('hook.ts', 'checkRawHook').evidence.map((e) => e.reason).join('\n'), /items assumed|pays off above/);
  });

  it('an entry of a module\'s constant table has fields as large as the largest entry writes (`const { bands } = TARIFFS[zone]`, `ZONES[k].stops`): a loop over one is that long, not an assumed count; a table whose entries the code does not write in place tells nothing', () => {
    const source = `type Zone = 'A' | 'B' | 'C';
const TARIFFS: Record<Zone, { bands: { from: number; to: number; cents: number }[]; cap: number }> = {
  A: { bands: [{ from: 8, to: 18, cents: 420 }, { from: 18, to: 22, cents: 250 }], cap: 3_200 },
  B: { bands: [{ from: 8, to: 20, cents: 260 }], cap: 1_800 },
  C: { bands: [{ from: 0, to: 24, cents: 90 }], cap: 700 },
};
const ZONES = [{ name: 'north', stops: [3, 9, 14] }, { name: 'south', stops: [2, 5] }];
const LOADED = [load('north'), load('south')];
function load(name: string): { stops: number[] } {
  return { stops: name.split('').map((c) => c.charCodeAt(0)) };
}
export function fee(i: number): number {
  const zone = (['A', 'B', 'C'] as const)[i % 3] as Zone;
  const { bands, cap } = TARIFFS[zone];
  let cents = 0;
  for (const band of bands) cents += Math.max(0, Math.min(i % 24, band.to) - band.from) * band.cents;
  return Math.min(cents, cap);
}
export function stopsAfter(i: number): number {
  let after = 0;
  for (const stop of ZONES[i % 2].stops) if (stop > i % 10) after++;
  return after;
}
export function loadedStopsAfter(i: number): number {
  let after = 0;
  for (const stop of LOADED[i % 2].stops) if (stop > i % 10) after++;
  return after;
}
`;
    const { report } = withPriors({ 'tariffs.ts': source });
    for (const name of ['fee', 'stopsAfter']) {
      const reasons = report('tariffs.ts', name).evidence.map((e) => e.reason).join('\n');
      assert.equal(`${report('tariffs.ts', name).verdict} ${report('tariffs.ts', name).recommendation}`, 'trivial sequential', `${name}: ${reasons}`);
      assert.doesNotMatch(reasons, /items assumed|pays off above/, name);
    }
    assert.match(report('tariffs.ts', 'loadedStopsAfter').evidence.map((e) => e.reason).join('\n'), /items assumed|pays off above/);
  });

  it('a one-shot signature with a callback (`crypto.sign(alg, data, key, cb)`) runs in libuv\'s pool: many signed at once already use the cores (trivial), the same signatures without the callback are CPU on the calling thread (node.sign, tens of microseconds each)', () => {
    const source = `import * as crypto from 'node:crypto';
const KEYS = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
export async function signPassesAsync(i: number): Promise<number> {
  const signed = await Promise.all(
    Array.from({ length: 5_000 }, (_, k) => new Promise<Buffer>((resolve, reject) => crypto.sign('sha256', Buffer.from(\`pass|\${i}|\${k}\`), KEYS.privateKey, (error, signature) => (error ? reject(error) : resolve(signature))))),
  );
  return signed.length;
}
export function signPasses(i: number): number {
  let total = 0;
  for (let k = 0; k < 2_500; k++) total += crypto.sign('sha256', Buffer.from(\`pass|\${i}|\${k}\`), KEYS.privateKey).length;
  return total;
}
`;
    const { report } = withPriors({ 'passes.ts': source });
    const pooledSigns = report('passes.ts', 'signPassesAsync');
    const reasons = pooledSigns.evidence.map((e) => e.reason).join('\n');
    assert.equal(`${pooledSigns.verdict} ${pooledSigns.recommendation}`, 'trivial sequential', reasons);
    assert.match(reasons, /libuv's thread pool/);
    // The executor's resolve and reject settle the promise: built-ins, not calls of unknown kind.
    assert.doesNotMatch(reasons, /cannot tell what this calls/);
    // 2,500 signatures of tens of microseconds each on the calling thread: CPU work worth the workers (not at 10 µs a signature).
    assert.equal(report('passes.ts', 'signPasses').verdict, 'cpu', report('passes.ts', 'signPasses').evidence.map((e) => e.reason).join('\n'));
  });

  it('a call concurrent inside already (`Promise.all` over its parts in libuv\'s pool, the callback named: `parts.map(gzip)`) gains nothing from calls at once (trivial); its parts one at a time do (async-io)', () => {
    const source = `const zlib = require('node:zlib');
const PARTS = Array.from({ length: 6 }, (_, part) => Buffer.alloc(1_000_000, part));
const gzip = (buffer) => new Promise((resolve, reject) => zlib.gzip(buffer, { level: 6 }, (error, packed) => (error ? reject(error) : resolve(packed))));
async function packParts(i) {
  const packed = await Promise.all(PARTS.map(gzip));
  return packed.length + i;
}
async function packPartsOneByOne(i) {
  let total = i;
  for (const part of PARTS) total += (await gzip(part)).length;
  return total;
}
module.exports = { packParts, packPartsOneByOne };
`;
    const { report } = withPriors({ 'natives.js': source });
    const atOnce = report('natives.js', 'packParts');
    assert.equal(atOnce.verdict, 'trivial', atOnce.evidence.map((e) => e.reason).join('\n'));
    const oneByOne = report('natives.js', 'packPartsOneByOne');
    assert.equal(oneByOne.verdict, 'async-io', oneByOne.evidence.map((e) => e.reason).join('\n'));
  });

  it('file system calls wait in libuv\'s pool of 4 threads: 32 reads under `Promise.all` take a quarter of the time one by one take, and 8 such calls at once gain nothing (trivial)', () => {
    const source = `const fs = require('node:fs');
const FILES = Array.from({ length: 32 }, (_, k) => \`/srv/exports/part-\${k}.csv\`);
async function readParts(i) {
  const texts = await Promise.all(FILES.map((file) => fs.promises.readFile(file)));
  return texts.length + i;
}
async function readPartsOneByOne(i) {
  let total = i;
  for (const file of FILES) total += (await fs.promises.readFile(file)).length;
  return total;
}
module.exports = { readParts, readPartsOneByOne };
`;
    const { report } = withPriors({ 'exports.js': source });
    const atOnce = report('exports.js', 'readParts');
    assert.equal(atOnce.verdict, 'trivial', atOnce.evidence.map((e) => e.reason).join('\n'));
    const together = atOnce.predicted?.seconds.sequential ?? assert.fail('no prediction');
    const oneByOne = report('exports.js', 'readPartsOneByOne').predicted?.seconds.sequential ?? assert.fail('no prediction');
    assert.ok(Math.abs(together / oneByOne - 0.25) < 0.02, `sequential: ${together} s under Promise.all, ${oneByOne} s one by one`);
  });

  it('many small pieces hashed: an element of a collection built from a template, and `String(n)`, are as small as the code tells, not buffers of an assumed 16 KiB', () => {
    const source = `import { createHash } from 'node:crypto';
const SAMPLE_IDS: string[] = Array.from({ length: 40_000 }, (_, n) => \`lab-7/run-\${n >> 8}/S\${String(n).padStart(6, '0')}\`);
export function hashSampleIds(i: number): number {
  const seen = new Set<string>();
  for (const id of SAMPLE_IDS) seen.add(createHash('sha1').update(id).update(String(i)).digest('base64url').slice(0, 10));
  return seen.size;
}
`;
    const { report } = withPriors({ 'ids.ts': source });
    const hashed = report('ids.ts', 'hashSampleIds');
    const sequential = hashed.predicted?.seconds.sequential ?? assert.fail('no prediction');
    // 8 calls of 40,000 × 2 updates of ~30 bytes (each a call's overhead, ~2 µs): about a second, not the ~20 s of 16 KiB pieces.
    assert.ok(sequential > 0.3 && sequential < 3, `8 calls: ${sequential} s`);
    assert.doesNotMatch(hashed.evidence.map((e) => e.reason).join('\n'), /16 KiB assumed/);
  });

  it('a text a module function builds from short pieces (a template of ids and codes) is short wherever it is called: an HMAC of it is a call\'s overhead, not a buffer of an assumed 16 KiB', () => {
    const source = `import { createHmac, timingSafeEqual } from 'node:crypto';
const SECRET = 'door-code-secret';
function doorClaims(site: number, badge: number): string {
  return \`door|site=\${site}|badge=b_\${badge}|exp=\${1_746_000_000 + badge * 60}\`;
}
function signedNote(site: number, body: string): string {
  if (site < 0) return 'none';
  return 'note:' + body;
}
export function checkDoorBadge(i: number): boolean {
  const claims = doorClaims(i % 40, i);
  const mac = createHmac('sha256', SECRET).update(claims).digest();
  const presented = createHmac('sha256', SECRET).update(claims).digest();
  return timingSafeEqual(mac, presented);
}
export function checkNote(i: number, body: string): boolean {
  return createHmac('sha256', SECRET).update(signedNote(i, body)).digest().length === 32;
}
`;
    const { report } = withPriors({ 'door.ts': source });
    const checked = report('door.ts', 'checkDoorBadge');
    assert.equal(`${checked.verdict} ${checked.recommendation}`, 'trivial sequential', checked.evidence.map((e) => e.reason).join('\n'));
    assert.doesNotMatch(checked.evidence.map((e) => e.reason).join('\n'), /KiB assumed|larger inputs/);
    // A returned text the code does not write in place (a parameter appended) leaves the size untold.
    assert.match(report('door.ts', 'checkNote').evidence.map((e) => e.reason).join('\n'), /larger inputs|pays off above/);
  });

  it('a pool of two workers loads the task\'s module side by side, each slower than one alone (node.worker_load_contention): a 50 ms task beside a 100 ms module load is not worth the pool', () => {
    const task = single('gil', range(0.05), 1, 'a key derivation');
    assert.equal(nodeLabelOf(predict(task, workload, nodePolicy(constants, 2, 0.1))), 'trivial');
    assert.equal(nodeLabelOf(predict(task, workload, nodePolicy({ ...constants, 'node.worker_load_contention': 0 }, 2, 0.1))), 'cpu', 'loads that did not slow each other would be paid back');
    assert.equal(nodePolicy(constants, 1, 0.1).threadStart, constants['node.worker_start'] + 0.1, 'one worker loads alone');
  });

  it('a locale formatter\'s calls (Intl.DateTimeFormat\'s format and formatToParts, a formatter kept in a map) are CPU in ICU priced per call (node.intl_format), not calls of unknown kind', () => {
    const { report } = withPriors({
      'zones.ts': `const ZONES = ['Europe/Berlin', 'Asia/Tokyo', 'America/New_York'];
export function reachable(i: number, students = 2_000): number {
  const formatters = new Map(ZONES.map((zone) => [zone, new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' })]));
  const direct = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', weekday: 'short' });
  let count = 0;
  for (let hour = 0; hour < 168; hour++) {
    const at = new Date(Date.UTC(2024, 2, 25) + hour * 3_600_000 + i);
    if (direct.format(at) === 'Sun') continue;
    for (let s = 0; s < students; s++) {
      const parts = (formatters.get(ZONES[s % 3] as string) as Intl.DateTimeFormat).formatToParts(at);
      if (Number(parts.find((part) => part.type === 'hour')?.value) >= 8) count++;
    }
  }
  return count;
}
`,
    });
    const reachable = report('zones.ts', 'reachable');
    assert.equal(reachable.verdict, 'cpu', JSON.stringify(reachable.evidence));
    assert.ok(!reachable.evidence.some((e) => /cannot tell/.test(e.reason)), JSON.stringify(reachable.evidence));
    const sequential = reachable.predicted?.seconds.sequential ?? 0;
    // 8 calls of 168 × 2,000 formatToParts.
    assert.ok(sequential >= 8 * 168 * 2_000 * constants['node.intl_format'], `${sequential} s`);
  });

  it('a date\'s own fields and fixed formats (toDateString, toISOString, getFullYear) are cheap, not calls of unknown kind', () => {
    const { report } = withPriors({
      'letters.ts': `export function letterDates(i: number, letters = 20_000): number {
  let total = 0;
  for (let k = 0; k < letters; k++) {
    const start = new Date(Date.UTC(2025, 0, 1) + (k + i) * 86_400_000);
    total += start.toDateString().length + start.toISOString().length + start.getUTCFullYear();
  }
  return total;
}
`,
    });
    const dates = report('letters.ts', 'letterDates');
    assert.ok(!dates.evidence.some((e) => /cannot tell/.test(e.reason)), JSON.stringify(dates.evidence));
    assert.notEqual(dates.verdict, 'unknown');
  });

  it('a loop over text rows pays each split, date parsed from text, number parsed and number formatted at its calibrated price per call; a date made from a number the code computes parses nothing', () => {
    const { report } = withPriors({
      'meters.js': `function partnerTotals(i, rows = 40_000) {
  const lines = Array.from({ length: rows }, (_, k) => 'CDR' + k + ',P' + (k % 12) + ',2026-03-0' + (1 + (k % 9)) + 'T10:00:00Z,' + (k * 0.37));
  const totals = new Map();
  for (let k = 0; k < lines.length; k++) {
    const fields = lines[k].split(',');
    const hour = new Date(fields[2]).getUTCHours();
    totals.set(fields[1], (totals.get(fields[1]) ?? 0) + Number.parseFloat(fields[3]) * hour + i);
  }
  return [...totals.values()].map((kwh) => kwh.toFixed(2)).join(';');
}
function hourlyStamps(i, hours = 40_000) {
  let total = 0;
  for (let k = 0; k < hours; k++) total += new Date(Date.UTC(2026, 0, 1) + (k + i) * 3_600_000).getUTCHours();
  return total;
}
module.exports = { partnerTotals, hourlyStamps };
`,
    });
    const totals = report('meters.js', 'partnerTotals');
    const reasons = totals.evidence.map((e) => e.reason).join('\n');
    assert.match(reasons, /split \(in a loop\): splits a text/);
    assert.match(reasons, /Date \(in a loop\): parses a date text/);
    assert.match(reasons, /parseFloat \(in a loop\): parses a number from text/);
    const perRow = constants['node.string_split'] + constants['node.date_parse'] + constants['node.number_parse'];
    const sequential = totals.predicted?.seconds.sequential ?? 0;
    assert.ok(sequential >= 8 * 40_000 * perRow, `8 calls of 40,000 rows: ${sequential} s, at least ${8 * 40_000 * perRow} s`);
    const stamps = report('meters.js', 'hourlyStamps');
    assert.doesNotMatch(stamps.evidence.map((e) => e.reason).join('\n'), /parses a date text/);
  });

  it('a loop that makes a template literal or an object literal per item pays each interpolated part and each object at its calibrated price (kept until joined); at a module\'s load, at the load prices', () => {
    const { report } = withPriors({
      'fleet.js': `function fleetLines(i, count = 14_000) {
  const lines = [];
  for (let k = 0; k < count; k++) lines.push(\`\${i},RCV-\${k % 60},\${k * 7},\${k % 13},\${k % 5}\`);
  return lines.join('\\n').length;
}
function fleetRecords(i, count = 14_000) {
  const records = [];
  for (let k = 0; k < count; k++) records.push({ id: k, vehicle: k % 60, odometer: k * 7 + i });
  return records.length;
}
module.exports = { fleetLines, fleetRecords };
`,
    });
    const lines = report('fleet.js', 'fleetLines');
    assert.match(lines.evidence.map((e) => e.reason).join('\n'), /making 5 template parts an item/);
    const linesSeconds = lines.predicted?.seconds.sequential ?? 0;
    assert.ok(linesSeconds >= 8 * 14_000 * 5 * constants['node.string_part'], `8 calls of 14,000 lines of 5 parts: ${linesSeconds} s`);
    const records = report('fleet.js', 'fleetRecords').predicted?.seconds.sequential ?? 0;
    assert.ok(records >= 8 * 14_000 * constants['node.loop_object'], `8 calls of 14,000 records: ${records} s`);
  });

  it('a file made when missing (`if (!fs.existsSync(file)) { …build…; fs.writeFileSync(file, …) }`) is built on a first call only: later calls find it in place', () => {
    const { report } = withPriors({
      'export.js': `const fs = require('node:fs');
function exportedLength(i) {
  const file = '/tmp/concurrency-lens-export-' + 'once.csv';
  if (!fs.existsSync(file)) {
    const lines = [];
    for (let k = 0; k < 400_000; k++) lines.push(\`\${k};m-\${k % 25_000};\${k % 31}\`);
    fs.writeFileSync(file, lines.join('\\n'));
  }
  return fs.statSync(file).size + i;
}
module.exports = { exportedLength };
`,
    });
    const exported = report('export.js', 'exportedLength');
    const sequential = exported.predicted?.seconds.sequential ?? 0;
    // 400,000 lines of 3 parts each call would be ~0.5 s for 8 calls.
    assert.ok(sequential < 8 * 400_000 * constants['node.string_part'], `${sequential} s`);
    assert.doesNotMatch(exported.evidence.map((e) => e.reason).join('\n'), /400,000 items/);
  });

  it('a keyed cache builds once per distinct key: called with keys that take the same few values every call (`i % 3`, the index over a fixed count) it answers from the cache; with the task index, it builds every call', () => {
    const { report } = withPriors({
      'tills.js': `const TILLS = 6;
const journals = new Map();
const manifests = new Map();
function tillJournal(till) {
  if (!journals.has(till)) {
    const lines = [];
    for (let r = 0; r < 40_000; r++) lines.push(\`BON \${till}-\${r} KASSE \${r % 7}\`);
    journals.set(till, lines.join('\\n'));
  }
  return journals.get(till);
}
function manifestText(id) {
  const rows = [];
  for (let k = 0; k < 40_000; k++) rows.push(\`\${id}/\${k}.pak,\${k % 3}\`);
  return rows.join(';');
}
function tillTotals(i) {
  return Array.from({ length: TILLS }, (_, till) => tillJournal(till).length + i);
}
function tillOfTask(i) {
  return tillJournal(i).length;
}
function cachedManifest(i) {
  const id = \`dlc-\${i % 3}\`;
  if (!manifests.has(id)) manifests.set(id, manifestText(id));
  return manifests.get(id).length;
}
module.exports = { tillTotals, tillOfTask, cachedManifest };
`,
    });
    // One journal built: 40,000 lines of 3 parts.
    const build = 40_000 * 3 * constants['node.string_part'];
    const sequential = (qualname: string): number => report('tills.js', qualname).predicted?.seconds.sequential ?? 0;
    assert.ok(sequential('tillOfTask') >= 8 * build, `tillOfTask: ${sequential('tillOfTask')} s`);
    assert.ok(sequential('tillTotals') < build, `tillTotals: ${sequential('tillTotals')} s`);
    assert.ok(sequential('cachedManifest') < build, `cachedManifest: ${sequential('cachedManifest')} s`);
  });

  it('a compressor child given text drawn at random (words or digits from a random generator) is priced at its measured cost per byte of such text, not of records whose fields repeat', () => {
    const { report } = withPriors({
      'tmx.js': `const { execFileSync } = require('node:child_process');
const WORDS = ['install', 'the', 'driver', 'before', 'printer', 'open', 'tray', 'and', 'insert', 'paper'];
function drawnText() {
  const lines = [];
  for (let k = 0; k < 40_000; k++) lines.push(\`<seg>\${WORDS[Math.floor(Math.random() * 10)]} \${WORDS[Math.floor(Math.random() * 10)]}</seg>\`);
  return lines.join('\\n');
}
function cycledText() {
  const lines = [];
  for (let k = 0; k < 40_000; k++) lines.push(\`<seg>\${WORDS[k % 10]} \${WORDS[(k + 3) % 10]}</seg>\`);
  return lines.join('\\n');
}
function packDrawn(i) {
  return execFileSync('xz', ['-1', '-c'], { input: drawnText() }).length + i;
}
function packCycled(i) {
  return execFileSync('xz', ['-1', '-c'], { input: cycledText() }).length + i;
}
module.exports = { packDrawn, packCycled };
`,
    });
    const xz = childProgram('xz');
    const perByte = xz?.kind === 'computing' ? xz : undefined;
    assert.ok(perByte?.drawnPerByte !== undefined && perByte.drawnPerByte >= 3 * perByte.cpuPerByte, JSON.stringify(xz));
    const drawn = report('tmx.js', 'packDrawn');
    const cycled = report('tmx.js', 'packCycled');
    const child = (fn: FunctionReport): number => (fn.predicted?.seconds.sequential ?? 0);
    assert.ok(child(drawn) > 2 * child(cycled), `drawn ${child(drawn)} s, cycled ${child(cycled)} s`);
  });

  it('`%` where a literal of at least 2^16 takes part leaves int32 (V8\'s fmod, ~15 ns): priced per operation, a small int32 remainder is not', () => {
    const facts = extractFacts(parseSource('mod.ts', `export function wide(n: number) {
  let total = 0;
  for (let i = 0; i < n; i++) total = (total * 31 + i * i) % 1_000_003;
  for (let i = 0; i < n; i++) total += (i * 7) % 13;
  return total;
}
`));
    const wide = facts.functions.find((fn) => fn.name === 'wide');
    assert.deepEqual(wide?.loops.map((loop) => loop.wideModulo ?? 0), [1, 0]);
    const { report } = withPriors({
      'crunch.js': 'function crunch(i, rounds = 2_000_000) {\n  let total = i;\n  for (let n = 0; n < rounds; n++) total = (total * 31 + n * n) % 1_000_003;\n  return total;\n}\nmodule.exports = { crunch };\n',
    });
    const sequential = report('crunch.js', 'crunch').predicted?.seconds.sequential ?? 0;
    // 8 calls of 2,000,000 iterations, each with a wide `%`.
    assert.ok(sequential >= 8 * 2_000_000 * constants['node.modulo'], `${sequential} s`);
  });

  it('reads loop counts and sizes from the code: literals, consts (also of the module), Array.from({ length }), new Array(n), repeat, Buffer.alloc', () => {
    const facts = extractFacts(parseSource('sizes.ts', `const ROWS = 2_000;
const WORDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
export function f(n: number) {
  const size = 480;
  for (let i = 0; i < ROWS * 3; i++) {}
  for (let y = 0; y <= size; y += 2) {}
  for (const w of WORDS) {}
  for (const x of Array.from({ length: 5000 }, (_, k) => k)) {}
  for (let k = 10; k > 0; k--) { for (let j = 0; j < n; j++) {} }
  const text = 'ab'.repeat(size);
  hash(Buffer.alloc(1024 * 64), text, new Array(size * 2), \`id:\${n}\`);
}
`));
    const fn = facts.functions.find((candidate) => candidate.name === 'f');
    assert.deepEqual(fn?.loops.map((loop) => loop.count), [6000, 241, 10, 5000, 10, undefined]);
    assert.equal(fn?.loops[5]?.parent, 4, 'the inner loop knows the loop around it');
    const hash = fn?.calls.find((call) => call.callee === 'hash');
    assert.deepEqual(hash?.argSizes, [65_536, 960, 960, 3 + 8]);
    const perItem = facts.functions.find((candidate) => candidate.inline === 'per-item');
    assert.equal(perItem?.inlineCount, 5000, 'a callback of Array.from({ length: 5000 }) runs 5,000 times');
  });

  it('a typed array is as long as it is made (`new Uint16Array(n)`): a loop over its length runs that many times, stepped', () => {
    const facts = extractFacts(parseSource('counts.js', `function pack(i) {
  const events = new Uint16Array(1_500 * 4);
  for (let k = 0; k < events.length; k += 4) events[k] = (k * 7 + i) % 60;
  const weights = new Float64Array(events);
  for (const w of weights) i += w;
  return i;
}
`));
    assert.deepEqual(facts.functions.find((candidate) => candidate.name === 'pack')?.loops.map((loop) => loop.count), [1_500, 6_000]);
  });

  it('a parameter with a default is as large as its default (a call that omits it gets that); one without is unknown', () => {
    const facts = extractFacts(parseSource('defaults.js', `function crunch(i, rounds = 1_000_000, width) {
  let total = i;
  for (let n = 0; n < rounds; n++) total = (total * 31 + n * n) % 1_000_003;
  for (let x = 0; x < width; x++) total += x;
  return total;
}
`));
    assert.deepEqual(facts.functions.find((candidate) => candidate.name === 'crunch')?.loops.map((loop) => loop.count), [1_000_000, undefined]);
  });

  it('magnitude: a loop over a few hundred items is trivial, the same loop over millions is CPU work; the evidence names the size', () => {
    const fns = scriptFunctions(`const SMALL = 200;
export function smallTotal(): number {
  let total = 0;
  for (let i = 0; i < SMALL; i++) total += (i * 7) % 13;
  return total;
}
export function largeTotal(): number {
  let total = 0;
  for (let i = 0; i < 50_000_000; i++) total += (i * 7) % 13;
  return total;
}
`);
    assert.equal(`${scriptFn(fns, 'smallTotal').verdict} ${scriptFn(fns, 'smallTotal').recommendation}`, 'trivial sequential');
    assert.equal(`${scriptFn(fns, 'largeTotal').verdict} ${scriptFn(fns, 'largeTotal').recommendation}`, 'cpu worker_threads');
    assert.match(scriptFn(fns, 'largeTotal').evidence[0]?.reason ?? '', /for loop: runs JavaScript on the calling thread \(50,000,000 items\)/);
  });

  it('a call through a factory is followed: a closure a function returns (`const next = rng(seed); next()`) and an instance it builds (`makeStats().add(…)`) are priced, not unknown', () => {
    const fns = scriptFunctions(`function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    return (state >>> 0) / 2 ** 32;
  };
}
class Stats {
  total = 0;
  add(n: number): void {
    for (let k = 0; k < 20_000; k++) this.total += (n * k) % 7;
  }
}
function makeStats(): Stats {
  return new Stats();
}
export function noisy(seed: number): number {
  const next = rng(seed);
  let sum = 0;
  for (let k = 0; k < 5_000_000; k++) sum += next();
  return sum;
}
export function tally(n: number): number {
  const stats = makeStats();
  for (let k = 0; k < 2_000; k++) stats.add(n + k);
  return stats.total;
}
`);
    for (const name of ['noisy', 'tally']) {
      const fn = scriptFn(fns, name);
      assert.equal(`${fn.verdict} ${fn.recommendation}`, 'cpu worker_threads', `${name}: ${JSON.stringify(fn.evidence)}`);
      assert.ok(!fn.evidence.some((e) => /unknown kind|cannot tell/.test(e.reason)), name);
    }
  });

  it('a parameter of a module function is what every caller in the file passes it (`draw(rng(i), n)`: the closure `rng` returns), so its calls are priced; a parameter of an exported function, or of one handed on as a value, is still unknown', () => {
    const source = (exported: string, handed: string) => `function rng(seed: number): () => number {
  let state = seed >>> 0 || 7;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    return (state >>> 0) / 2 ** 32;
  };
}
${exported}function* draws(random: () => number, count: number): Generator<number> {
  for (let k = 0; k < count; k++) yield Math.floor(random() * 1_000) + Math.floor(random() * 10);
}
export function tally(i: number, count = 2_000_000): number {
  let total = 0;
  for (const draw of draws(rng(i + 1), count)) total += draw % 7;
  return total;
}
${handed}`;
    const judged = (exported: string, handed = ''): FunctionReport => scriptFn(scriptFunctions(source(exported, handed)), 'tally');
    const followed = judged('');
    assert.equal(`${followed.verdict} ${followed.recommendation}`, 'cpu worker_threads', JSON.stringify(followed.evidence));
    assert.ok(!followed.evidence.some((e) => /unknown kind|cannot tell/.test(e.reason)), JSON.stringify(followed.evidence));
    assert.equal(judged('export ').verdict, 'unknown', 'an exported function may be called from elsewhere with another callable');
    assert.equal(judged('', 'export const drawsOf = [draws];\n').verdict, 'unknown', 'a function handed on as a value may be called with another callable');
  });

  it('a generator that yields once per pass of a loop over its parameter yields as many items as the caller tells: a for…of over it runs that many times, not an assumed count; a yield the code cannot count leaves it assumed', () => {
    const fns = scriptFunctions(`function* readings(count: number): Generator<number> {
  for (let k = 0; k < count; k++) yield (k * 7919) % 1_000;
}
function* bursts(count: number): Generator<number> {
  for (let k = 0; k < count; k++) {
    yield k;
    if (k % 3 === 0) yield -k;
  }
}
export function total(i: number, count = 40): number {
  let sum = i;
  for (const value of readings(count)) sum += value % 7;
  return sum;
}
export function burstTotal(i: number): number {
  let sum = i;
  for (const value of bursts(40)) sum += value % 7;
  return sum;
}
`);
    const told = scriptFn(fns, 'total').evidence.map((e) => e.reason).join('\n');
    assert.match(told, /for…of loop: runs JavaScript on the calling thread \(40 items\)/);
    assert.equal(scriptFn(fns, 'total').verdict, 'trivial', told);
    assert.match(scriptFn(fns, 'burstTotal').evidence.map((e) => e.reason).join('\n'), /items assumed/);
  });

  it('a window around a value the code does not tell runs as many times as its width (`for (let r = row - k; r <= row + k; r++)`), and `if (cache) return cache; …; cache = built; return cache;` (or `return built;`) is lazy initialization', () => {
    const facts = extractFacts(parseSource('grid.ts', `let index: Map<string, number[]> | null = null;
function grid(): Map<string, number[]> {
  if (index) return index;
  const cells = new Map<string, number[]>();
  for (let k = 0; k < 25_000; k++) cells.set(String(k % 4_000), [k]);
  index = cells;
  return index;
}
function byLocal(): Map<string, number[]> {
  if (index) return index;
  const cells = new Map<string, number[]>();
  for (let k = 0; k < 25_000; k++) cells.set(String(k % 4_000), [k]);
  index = cells;
  return cells;
}
function unguarded(): Map<string, number[]> {
  if (index) return index;
  return new Map();
}
export function around(row: number, col: number, radius = 2): number {
  let seen = 0;
  for (let r = row - radius; r <= row + radius; r++) for (let c = col - 3; c < col + 3; c++) seen += r * c;
  for (let x = row; x < col; x++) seen++;
  return seen;
}
`));
    const fn = (name: string) => facts.functions.find((candidate) => candidate.name === name);
    assert.deepEqual(fn('around')?.loops.map((loop) => loop.count), [5, 6, undefined]);
    assert.equal(fn('grid')?.memoized, true);
    assert.equal(fn('byLocal')?.memoized, true, 'the local the cache was set to, returned, is the cached value');
    assert.equal(fn('unguarded')?.memoized, undefined, 'a value returned when set but never set here is not made here');
  });

  it('a module function that keeps the text or bytes it returns (lazy initialization) returns that many: a hash of its export, a parse of its JSON are priced at the length kept, and a join written into a template counts its text', () => {
    const fns = scriptFunctions(`const crypto = require('node:crypto');
let exportBuffer;
function exportData() {
  if (!exportBuffer) {
    const rows = [];
    for (let k = 0; k < 70_000; k++) rows.push(\`\${k % 9973},\${k % 12},\${k % 100_003},\${k % 50}\\n\`);
    exportBuffer = Buffer.from(rows.join(''));
  }
  return exportBuffer;
}
let catalogJson;
function catalogText() {
  if (!catalogJson) {
    const items = [];
    for (let k = 0; k < 40_000; k++) items.push(\`{"sku":"sku-\${k}","price":\${(k * 7919) % 100_003},"stock":\${k % 5}}\`);
    catalogJson = \`[\${items.join(',')}]\`;
  }
  return catalogJson;
}
function checksum(i) {
  return crypto.createHash('sha256').update(exportData()).update(String(i)).digest('hex');
}
function countSkus(i) {
  return JSON.parse(catalogText()).length + i;
}
module.exports = { checksum, countSkus };
`, 'export.js');
    const sequential = (name: string) => scriptFn(fns, name).predicted?.seconds.sequential ?? 0;
    // 8 calls: ~1.5 MB hashed and ~2.3 MB of JSON parsed per call (a few ns per byte), not a buffer or text of a few words.
    assert.ok(sequential('checksum') > 0.01, `checksum: ${sequential('checksum')} s`);
    assert.ok(sequential('countSkus') > 0.03, `countSkus: ${sequential('countSkus')} s`);
  });

  it('a cache returned early (`if (cache) return cache; … cache = built;`) is as long as what it keeps; `JSON.stringify` of an object written in place is its fields\' JSON; text joined by a separator splits back into its items', () => {
    const fns = scriptFunctions(`const zlib = require('node:zlib');
let monthClaims = null;
function claimsOfMonth() {
  if (monthClaims) return monthClaims;
  monthClaims = Buffer.from(Array.from({ length: 60_000 }, (_, k) => JSON.stringify({ claim: \`CLM-2025-06-\${String(k).padStart(6, '0')}\`, patient: 20_000 + k, clinic: \`clinic-\${k % 30}\`, status: k % 23 ? 'paid' : 'denied' })).join('\\n'));
  return monthClaims;
}
function exportClaims(i) {
  return zlib.gzipSync(claimsOfMonth(), { level: 6 }).length + i;
}
let cycleLog = null;
function quarterCycleLog() {
  if (cycleLog) return cycleLog;
  const lines = [];
  for (let k = 0; k < 200_000; k++) lines.push(\`clinic-\${k % 30};AC\${k % 4};cycle-\${k};\${(132 + (k % 50) / 10).toFixed(1)}C;PASS\`);
  cycleLog = lines.join('\\n');
  return cycleLog;
}
function audit(i) {
  let failed = 0;
  for (const line of quarterCycleLog().split('\\n')) if (line.endsWith('FAIL')) failed++;
  return failed + i;
}
module.exports = { exportClaims, audit };
`, 'records.js');
    const sequential = (name: string) => scriptFn(fns, name).predicted?.seconds.sequential ?? 0;
    const reasons = (name: string) => scriptFn(fns, name).evidence.map((e) => e.reason).join('\n');
    // 8 gzips of 60,000 lines of ~90 bytes (~5.4 MB a call), not of 60,000 lines of a word each (~0.5 MB).
    assert.ok(sequential('exportClaims') > 0.3, `exportClaims: ${sequential('exportClaims')} s`);
    // 200,000 lines a call, not one per character of the log (~7 million).
    assert.match(reasons('audit'), /200,000 items/);
    assert.doesNotMatch(reasons('audit'), /[1-9],\d{3},\d{3} items/);
  });

  it('a keyed cache filled on a miss (`let report = cache.get(month); if (report === undefined) { …; report = built; cache.set(month, report); } return report;`) returns what it builds: a gzip of it is priced at that size', () => {
    const fns = scriptFunctions(`const util = require('node:util');
const zlib = require('node:zlib');
const gzip = util.promisify(zlib.gzip);
const reports = new Map();
function monthReport(month) {
  let report = reports.get(month);
  if (report === undefined) {
    const lines = [];
    for (let k = 0; k < 14_000; k += 1) lines.push(\`\${month},RCV-\${k % 60},\${['walkround-ok', 'defect-minor', 'fuel'][k % 3]},\${((k % 3000) / 10).toFixed(1)},\${(k * 7919).toString(36)}\`);
    report = Buffer.from(lines.join('\\n'));
    reports.set(month, report);
  }
  return report;
}
async function archive(i) {
  const months = Array.from({ length: 3 }, (_, k) => (i + k) % 12);
  const packed = await Promise.all(months.map((month) => gzip(monthReport(month), { level: 7 })));
  return packed.map((buffer) => buffer.length);
}
module.exports = { archive };
`, 'reports.js');
    const archive = scriptFn(fns, 'archive');
    // Three gzips of 14,000 lines of ~40 bytes (~0.5 MB each) a call in libuv's pool, overlapping the next call's lines: an
    // awaited wait, not a short CPU task.
    assert.equal(archive.verdict, 'async-io', archive.evidence.map((e) => e.reason).join('\n'));
    assert.ok((archive.predicted?.seconds.sequential ?? 0) > 0.1, `sequential ${archive.predicted?.seconds.sequential}`);
  });

  it('`Buffer.concat(parts)` is as large as its parts (each as large as the code tells), and `bytes.subarray(k)` or `xs.slice(k)` at most as large as what it is taken from: a deflate of them is priced at that size', () => {
    const fns = scriptFunctions(`const zlib = require('node:zlib');
function bundle(i) {
  const parts = [];
  for (let k = 0; k < 15_000; k++) parts.push(Buffer.from(\`{"mesh":"props/crate_\${k % 90}","lod":\${k % 4},"materials":["wood","metal"]}\\n\`));
  const packed = Buffer.concat(parts);
  return zlib.deflateSync(packed.subarray(i % 5), { level: 9 }).length;
}
module.exports = { bundle };
`, 'bundle.js');
    const sequential = scriptFn(fns, 'bundle').predicted?.seconds.sequential ?? 0;
    // 8 calls of ~1 MB deflated each (~15 ns per byte), not a buffer of unknown size.
    assert.ok(sequential > 0.05, `bundle: ${sequential} s`);
  });

  it('a hash\'s digest is as long as its algorithm\'s output (`sha512`: 64 bytes, 128 hex characters): parts that mix text and digests are sized, and so is what concatenates them', () => {
    const fns = scriptFunctions(`const crypto = require('node:crypto');
const zlib = require('node:zlib');
let kept = null;
function bundleBytes() {
  if (kept === null) {
    const parts = [];
    for (let k = 0; k < 15_000; k++) {
      parts.push(Buffer.from(\`{"mesh":"props/crate_\${k % 90}","lod":\${k % 4}}\\n\`));
      if (k % 3 === 0) parts.push(crypto.createHash('sha512').update('seed').update(String(k)).digest());
    }
    kept = Buffer.concat(parts);
  }
  return kept;
}
function bundle(i) {
  return zlib.deflateSync(bundleBytes()).length + i;
}
module.exports = { bundle };
`, 'bundle.js');
    const sequential = scriptFn(fns, 'bundle').predicted?.seconds.sequential ?? 0;
    // 8 calls of ~1.5-2 MB deflated each (~15 ns per byte), not a buffer of unknown size (16 KiB).
    assert.ok(sequential > 0.1, `bundle: ${sequential} s`);
  });

  it('deflate and gzip are priced at the level the code states: levels 8 and 9 by their own calibrated constant, the default (6) and lower levels by deflate\'s; the level is read from a literal, a sum that starts with one, or zlib\'s named constants', () => {
    const source = `const zlib = require('node:zlib');
const ROWS = Buffer.alloc(2_000_000, 'sku-1,north,42\\n');
function atNine(i) { return zlib.gzipSync(ROWS, { level: 9 - (i % 2) }).length; }
function atBest(i) { return zlib.deflateSync(ROWS, { level: zlib.constants.Z_BEST_COMPRESSION }).length + i; }
function atDefault(i) { return zlib.gzipSync(ROWS).length + i; }
function atSix(i) { return zlib.deflateSync(ROWS, { level: 6 }).length + i; }
module.exports = { atNine, atBest, atDefault, atSix };
`;
    const facts = extractFacts(parseSource('levels.js', source));
    const levelOf = (name: string) => facts.functions.find((fn) => fn.name === name)?.calls.find((call) => call.callee.startsWith('zlib.'))?.level;
    assert.deepEqual(['atNine', 'atBest', 'atDefault', 'atSix'].map(levelOf), [9, 9, undefined, 6]);
    const fns = scriptFunctions(source, 'levels.js');
    const sequential = (name: string) => scriptFn(fns, name).predicted?.seconds.sequential ?? 0;
    const machine = machineCalibration();
    const best = machine['node.zlib_deflate_best_byte'] / machine['node.zlib_deflate_byte'];
    for (const name of ['atNine', 'atBest']) {
      const ratio = sequential(name) / sequential('atSix');
      assert.ok(Math.abs(ratio - best) < 0.1 * best, `${name}: ${ratio.toFixed(2)}x level 6, ${best.toFixed(2)}x calibrated`);
    }
    assert.ok(Math.abs(sequential('atDefault') / sequential('atSix') - 1) < 0.05, 'no level stated: level 6');
  });

  it('a callback with a block body returns a value as large as its `return` tells (its locals known), and a per-item callback\'s item is an element of what it runs over: six transcripts of 2,000 cues each, compressed one by one', () => {
    const facts = extractFacts(parseSource('transcripts.js', `const zlib = require('node:zlib');
function transcripts(show, episodes) {
  return Array.from({ length: episodes }, (_, e) => {
    const cues = [];
    for (let c = 0; c < 2_000; c++) cues.push(\`\${c}\\n\${show}-\${e}: so today we talk about the history of football\`);
    return Buffer.from(cues.join('\\n\\n'));
  });
}
function packAll(i) {
  return transcripts(i, 6).map((vtt) => zlib.deflateSync(vtt).length).reduce((a, b) => a + b, 0);
}
module.exports = { packAll };
`));
    const deflate = facts.functions.flatMap((fn) => fn.calls).find((call) => call.callee === 'zlib.deflateSync');
    // 2,000 cues of ~60 characters and their separators: ~120,000 bytes a transcript.
    const bytes = deflate?.argSizes?.[0] ?? 0;
    assert.ok(bytes > 100_000 && bytes < 200_000, `deflated ${bytes} bytes`);
  });

  it('Brotli is priced at the quality the code states (`params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 7 }`), 11 (its default) when none: quality 7 costs a few hundredths of the default, 9 about a seventh (brotli_quality_study.mjs)', () => {
    const source = `const zlib = require('node:zlib');
const ROWS = Buffer.alloc(2_000_000, 'sku-1,north,42\\n');
function atSeven(i) { return zlib.brotliCompressSync(ROWS, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 7 + (i % 2) } }).length; }
function atNine(i) { return zlib.brotliCompressSync(ROWS, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }).length + i; }
function atDefault(i) { return zlib.brotliCompressSync(ROWS).length + i; }
function atEleven(i) { return zlib.brotliCompressSync(ROWS, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length + i; }
module.exports = { atSeven, atNine, atDefault, atEleven };
`;
    const facts = extractFacts(parseSource('brotli.js', source));
    const levelOf = (name: string) => facts.functions.find((fn) => fn.name === name)?.calls.find((call) => call.callee.startsWith('zlib.'))?.level;
    assert.deepEqual(['atSeven', 'atNine', 'atDefault', 'atEleven'].map(levelOf), [7, 9, undefined, 11]);
    const fns = scriptFunctions(source, 'brotli.js');
    const share = (name: string) => (scriptFn(fns, name).predicted?.seconds.sequential ?? 0) / (scriptFn(fns, 'atDefault').predicted?.seconds.sequential ?? 1);
    assert.ok(share('atSeven') < 0.05, `quality 7: ${share('atSeven')} of the default`);
    assert.ok(share('atNine') > 0.1 && share('atNine') < 0.25, `quality 9: ${share('atNine')} of the default`);
    assert.ok(Math.abs(share('atEleven') - 1) < 0.01, 'quality 11 is the default');
  });

  it('JSON.parse costs more per byte beyond the first megabyte (its calibration stops below it): 8 MB parse at the large rate past the first', () => {
    const fns = scriptFunctions(`const SMALL = 'x'.repeat(1 << 20);
const LARGE = 'x'.repeat(8 << 20);
function parseSmall(i) { return JSON.parse(SMALL).length + i; }
function parseLarge(i) { return JSON.parse(LARGE).length + i; }
module.exports = { parseSmall, parseLarge };
`, 'parse.js');
    const perCall = (name: string) => (scriptFn(fns, name).predicted?.seconds.sequential ?? 0) / 8;
    const machine = machineCalibration();
    const expected = (1 << 20) * machine['node.json_parse_byte'] + (7 << 20) * machine['node.json_parse_large_byte'];
    assert.ok(machine['node.json_parse_large_byte'] > machine['node.json_parse_byte']);
    assert.ok(Math.abs(perCall('parseLarge') - expected) < 0.1 * expected, `${perCall('parseLarge')} s, not ${expected} s`);
    assert.ok(Math.abs(perCall('parseSmall') - (1 << 20) * machine['node.json_parse_byte']) < 0.1 * perCall('parseSmall'));
  });

  it('a module function that makes a collection of its argument\'s size: a call of it is that large (`roster(10).sort(…)` sorts 10 items), and its per-element callback runs as many times as the caller tells', () => {
    const fns = scriptFunctions(`function roster(size: number): { rating: number }[] {
  return Array.from({ length: size }, (_, k) => ({ rating: (k * 7919) % 3000 }));
}
const readings = (count: number) => Array.from({ length: count }, (_, k) => Math.sin(k) * Math.cos(k / 3) + Math.sqrt(k));
export function smallTeams(): number {
  const lobby = roster(10).sort((a, b) => b.rating - a.rating);
  let blue = 0;
  lobby.forEach((player, k) => { if (k % 2 === 0) blue += player.rating; });
  return blue;
}
export function hugeRoster(): number {
  return roster(3_000_000).sort((a, b) => b.rating - a.rating).length;
}
export function fewReadings(): number {
  return readings(40).length;
}
export function manyReadings(): number {
  return readings(20_000_000).length;
}
`);
    for (const [name, expected] of [['smallTeams', 'trivial'], ['hugeRoster', 'cpu'], ['fewReadings', 'trivial'], ['manyReadings', 'cpu']] as const) {
      const fn = scriptFn(fns, name);
      assert.equal(fn.verdict, expected, `${name}: ${JSON.stringify(fn.evidence)}`);
      assert.ok(!fn.evidence.some((e) => /assumed/.test(e.reason)), `${name} assumes no size: ${JSON.stringify(fn.evidence)}`);
    }
  });

  it('text a bounded pattern matched is at most as long as the pattern matches: a loop over a captured group (or its match) runs that many times, not an assumed count; an unbounded pattern tells nothing', () => {
    const fns = scriptFunctions(`const CODE = /^([A-Z]{4,8})(\\d{2})-([0-9A-Z]{4})$/;
export function checkCode(typed: string): boolean {
  const match = CODE.exec(typed.trim().toUpperCase());
  if (match === null) return false;
  const [, word = '', digits = '00', check = ''] = match;
  let sum = 0;
  for (const char of word + digits) sum = (sum * 31 + char.charCodeAt(0)) % 1_679_616;
  return sum.toString(36).slice(-4) === check;
}
export function plateDigits(typed: string): number {
  const found = typed.match(/[A-Z]{2}-\\d{3,4}/);
  if (!found) return 0;
  const [plate = ''] = found;
  let digits = 0;
  for (const char of plate) if (char >= '0' && char <= '9') digits++;
  return digits;
}
export function wordSum(typed: string): number {
  const match = /^(\\w+)-/.exec(typed);
  if (!match) return 0;
  const [, word = ''] = match;
  let sum = 0;
  for (const char of word) sum = (sum * 31 + char.charCodeAt(0)) % 1_679_616;
  return sum;
}
`);
    const reasons = (name: string): string => scriptFn(fns, name).evidence.map((e) => e.reason).join('\n');
    assert.match(reasons('checkCode'), /for…of loop: runs JavaScript on the calling thread \(30 items\)/, reasons('checkCode'));
    for (const name of ['checkCode', 'plateDigits']) {
      assert.equal(scriptFn(fns, name).verdict, 'trivial', reasons(name));
      assert.doesNotMatch(reasons(name), /assumed/);
    }
    assert.match(reasons('wordSum'), /~100 items assumed/);
  });

  it('a call through a member of a table\'s items (`RULES.filter((rule) => rule.holds(s))`, `for (const rule of RULES)`, `CHECKS[0].test(n)`) runs the functions the items hold, priced as the longest of them, not a call of unknown kind', () => {
    const fns = scriptFunctions(`interface Stats { streakDays: number; totalKm: number }
interface BadgeRule { badge: string; holds: (s: Stats) => boolean }
const RULES: BadgeRule[] = [
  { badge: 'week-streak', holds: (s) => s.streakDays >= 7 },
  { badge: 'hundred-club', holds: (s) => s.totalKm >= 100 },
];
const CHECKS = [
  { name: 'even', test: (n: number) => n % 2 === 0 },
  {
    name: 'prime',
    test: (n: number) => {
      let divisors = 0;
      for (let d = 1; d <= 50_000_000; d++) if (n % d === 0) divisors++;
      return divisors === 2;
    },
  },
];
export function earnedBadges(i: number): string[] {
  const stats = { streakDays: i % 40, totalKm: (i * 17) % 160 };
  return RULES.filter((rule) => rule.holds(stats)).map((rule) => rule.badge);
}
export function countEarned(stats: Stats): number {
  let earned = 0;
  for (const rule of RULES) if (rule.holds(stats)) earned++;
  return earned;
}
export function passedChecks(n: number): number {
  return CHECKS.filter((check) => check.test(n)).length;
}
export function firstCheck(n: number): boolean {
  return CHECKS[1].test(n);
}
`);
    const shown = (name: string): string => `${scriptFn(fns, name).verdict}: ${scriptFn(fns, name).evidence.map((e) => e.reason).join(' | ')}`;
    for (const [name, expected] of [['earnedBadges', 'trivial'], ['countEarned', 'trivial'], ['passedChecks', 'cpu'], ['firstCheck', 'cpu']] as const) {
      assert.equal(scriptFn(fns, name).verdict, expected, shown(name));
      assert.doesNotMatch(shown(name), /cannot tell what this calls/);
    }
  });

  it('a module function that fills an empty array by one push per pass of a loop over its argument returns that many items: a caller\'s loop over it runs as many times as the caller tells; pushes it cannot count leave the size untold', () => {
    const facts = extractFacts(parseSource('plays.ts', `function plays(seed: number, count: number): number[] {
  const history: number[] = [];
  for (let k = 0; k < count; k++) {
    const listener = (seed * k) % 97;
    history.push(listener);
  }
  return history;
}
function maybePlays(count: number): number[] {
  const history: number[] = [];
  for (let k = 0; k < count; k++) if (k % 3 === 0) history.push(k);
  history.push(-1);
  return history;
}
export function replay(i: number): number {
  const history = plays(i, 30_000);
  let total = 0;
  for (const play of history) total += play;
  return total;
}
export function replayMaybe(): number {
  let total = 0;
  for (const play of maybePlays(30_000)) total += play;
  return total;
}
`));
    const countsOf = (name: string) => facts.functions.find((fn) => fn.name === name)?.loops.map((loop) => loop.count ?? null);
    assert.deepEqual(countsOf('replay'), [30_000]);
    assert.deepEqual(countsOf('replayMaybe'), [null], 'pushed in a branch and once more: not told');
  });

  it('a join is as long as its items times their size and the separator: an array filled by pushes of sized text in counted loops, joined and compressed, is priced by that text', () => {
    const functions = scriptFunctions(`const zlib = require('node:zlib');
function exportTrack(i, points = 30_000) {
  const parts = ['<gpx version="1.1">'];
  for (let k = 0; k < points; k++) {
    parts.push(\`<trkpt lat="\${(48 + k / 1e5).toFixed(7)}" lon="\${(11 + i / 1e5).toFixed(7)}"><ele>520.0</ele><time>2024-05-01T06:00:00.000Z</time></trkpt>\`);
  }
  parts.push('</gpx>');
  return zlib.gzipSync(Buffer.from(parts.join('\\n')), { level: 9 }).length;
}
function exportFew(i) {
  const parts = ['<gpx version="1.1">'];
  for (let k = 0; k < 30; k++) parts.push(\`<trkpt lat="\${k}" lon="\${i}"></trkpt>\`);
  return zlib.gzipSync(Buffer.from(parts.join('\\n')), { level: 9 }).length;
}
module.exports = { exportTrack, exportFew };
`, 'gpx.js');
    const track = scriptFn(functions, 'exportTrack');
    assert.equal(track.verdict, 'cpu', track.evidence.map((e) => e.reason).join(' | '));
    assert.ok((track.predicted?.seconds.sequential ?? 0) > 100 * (scriptFn(functions, 'exportFew').predicted?.seconds.sequential ?? Infinity));
  });

  it('an array made inside a loop grows only by the loops inside that one: rows of 34 cells joined per student, not cells pushed across every student', () => {
    const functions = scriptFunctions(`const zlib = require('node:zlib');
function exportGrades(i, students = 30_000, assessments = 30) {
  const lines = ['student,email'];
  for (let s = 0; s < students; s++) {
    const row = [\`st-\${s}\`, \`student\${s}@learn.example.org\`];
    for (let a = 0; a < assessments; a++) row.push(String((s * 31 + a * 17 + i) % 101));
    row.push('A', 'B');
    lines.push(row.join(','));
  }
  return zlib.gzipSync(Buffer.from(lines.join('\\n')), { level: 9 }).length;
}
module.exports = { exportGrades };
`, 'grades.js');
    const grades = scriptFn(functions, 'exportGrades');
    // 30,000 lines of ~34 cells: a few MB to compress (seconds at most for 8 calls), not 30,000 × 900,000 cells.
    assert.ok((grades.predicted?.seconds.sequential ?? Infinity) < 60, `${grades.predicted?.seconds.sequential}: ${grades.evidence.map((e) => e.reason).join(' | ')}`);
  });

  it('a loop over a name is short only where that name holds a few items: not over a parameter that another function names for its own empty array, nor over an array filled since', () => {
    const facts = extractFacts(parseSource('fit.ts', `function standards(): number[] {
  const points: number[] = [];
  points.push(0.5);
  return points;
}
export function fit(points: number[]): number {
  let best = Infinity;
  for (const point of points) best = Math.min(best, point);
  return best;
}
export function filled(n: number): number {
  const xs: number[] = [];
  for (let k = 0; k < n; k++) xs.push(k);
  let total = 0;
  for (const x of xs) total += x;
  return total;
}
export function units(): string {
  const UNITS = ['B', 'KiB', 'MiB'];
  let out = '';
  for (const unit of UNITS) out += unit;
  return out;
}
`));
    const loopsOf = (name: string) => facts.functions.find((fn) => fn.name === name)?.loops.map((loop) => loop.kind) ?? [];
    assert.deepEqual(loopsOf('fit'), ['for-of'], "`points` is fit's parameter, not standards' empty array");
    assert.deepEqual(loopsOf('filled'), ['for', 'for-of'], 'xs has n items once the loop pushed them');
    assert.deepEqual(loopsOf('units'), [], 'three units: not a loop over data');
  });

  it('an index write into an array of known length keeps its length (a swap, an in-place update); writes that fill an empty array, or append at `xs.length`, do not keep it', () => {
    const facts = extractFacts(parseSource('queue.ts', `export function shuffled(seed: number): number[] {
  const queue = Array.from({ length: 300 }, (_, k) => k);
  for (let k = queue.length - 1; k > 0; k--) {
    const pick = (seed * k) % (k + 1);
    const held = queue[k];
    queue[k] = queue[pick] ?? 0;
    queue[pick] = held ?? 0;
  }
  for (let k = 0; k < queue.length; k++) queue[k] = (queue[k] ?? 0) * 2;
  let total = 0;
  for (let k = 1; k < queue.length - 1; k++) total += queue[k] ?? 0;
  return total;
}
export function filled(n: number): number {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out[k] = k;
  let total = 0;
  for (let k = 0; k < out.length; k++) total += out[k] ?? 0;
  return total;
}
export function appended(): number {
  const xs = [1, 2, 3];
  for (let k = 0; k < 40; k++) xs[xs.length] = k;
  let total = 0;
  for (let k = 0; k < xs.length; k++) total += xs[k] ?? 0;
  return total;
}
`));
    const countsOf = (name: string) => facts.functions.find((fn) => fn.name === name)?.loops.map((loop) => loop.count ?? null);
    assert.deepEqual(countsOf('shuffled'), [299, 300, 298], 'swaps and in-place updates keep the 300 items');
    assert.deepEqual(countsOf('filled'), [null, null], 'an empty array filled by index for an unknown count: unknown');
    assert.deepEqual(countsOf('appended'), [40, 43], 'three items and one appended per pass of a loop of 40');
  });

  it('a sliding window is as large as the code tells: `xs.slice(k - this.width, k)` has `width` items (a readonly field initialized to a size), and a loop from `this.width` to a known length runs that many times less', () => {
    const fns = scriptFunctions(`export class DropWatch {
  private readonly width = 12;
  private readonly wide = 200_000;
  scan(seed: number): number[] {
    const readings: number[] = [];
    for (let k = 0; k < 600; k++) readings.push(Math.sin(seed + k));
    const alerts: number[] = [];
    for (let k = this.width; k < readings.length; k++) {
      const recent = readings.slice(k - this.width, k);
      if (recent.reduce((sum, x) => sum + x, 0) / recent.length - readings[k] > 3) alerts.push(k);
    }
    return alerts;
  }
  scanWide(seed: number): number {
    const readings: number[] = [];
    for (let k = 0; k < 400_000; k++) readings.push(Math.sin(seed + k));
    let alerts = 0;
    for (let k = this.wide; k < readings.length; k += 1_000) {
      const recent = readings.slice(k - this.wide, k);
      if (recent.reduce((sum, x) => sum + x, 0) / recent.length - readings[k] > 3) alerts++;
    }
    return alerts;
  }
}
`);
    const narrow = scriptFn(fns, 'DropWatch.scan');
    assert.equal(narrow.verdict, 'trivial', JSON.stringify(narrow.evidence));
    assert.ok(!narrow.evidence.some((e) => /assumed/.test(e.reason)), `assumes no size: ${JSON.stringify(narrow.evidence)}`);
    assert.ok(narrow.evidence.some((e) => /588 items/.test(e.reason)), JSON.stringify(narrow.evidence));
    const wide = scriptFn(fns, 'DropWatch.scanWide');
    assert.equal(wide.verdict, 'cpu', JSON.stringify(wide.evidence));
    assert.ok(!wide.evidence.some((e) => /assumed/.test(e.reason)), `assumes no size: ${JSON.stringify(wide.evidence)}`);
  });

  it('a file the module makes once, when missing, is made once (a command run on it waits: io), and a sync read of it is a copy from the page cache as large as the file (CPU), not a short wait', () => {
    const fns = scriptFunctions(`import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
function snapshotFile(): string {
  const file = '/tmp/depot/parcels.jsonl';
  if (!fs.existsSync(file)) {
    const lines: string[] = [];
    for (let k = 0; k < 400_000; k++) lines.push(JSON.stringify({ parcel: \`PCL\${k}\`, bay: k % 120 }));
    fs.writeFileSync(\`\${file}.partial\`, lines.join('\\n'));
    fs.renameSync(\`\${file}.partial\`, file);
  }
  return file;
}
export function checksumWithCli(i: number): string {
  return \`\${i}:\${execFileSync('sha256sum', [snapshotFile()], { encoding: 'utf8' }).slice(0, 64)}\`;
}
export function countInBay(i: number): number {
  const text = fs.readFileSync(snapshotFile(), 'utf8');
  const marker = \`"bay":\${i},\`;
  let count = 0;
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length)) count++;
  return count;
}
export function readSettings(path: string): number {
  return fs.readFileSync(path, 'utf8').length;
}
`);
    const shown = (name: string): string => `${scriptFn(fns, name).verdict} ${scriptFn(fns, name).recommendation}`;
    assert.equal(shown('checksumWithCli'), 'io async', JSON.stringify(scriptFn(fns, 'checksumWithCli').evidence));
    assert.match(scriptFn(fns, 'checksumWithCli').evidence.map((e) => e.reason).join('\n'), /snapshotFile is memoized/);
    assert.equal(shown('countInBay'), 'cpu worker_threads', JSON.stringify(scriptFn(fns, 'countInBay').evidence));
    assert.match(scriptFn(fns, 'countInBay').evidence.map((e) => e.reason).join('\n'), /reads a file the module makes once: from the page cache/);
    assert.equal(shown('readSettings'), 'trivial sequential');
  });

  it('a computing child given a file the module makes (`spawnSync(\'bzip2\', [\'-c\', returnFile()])`) is priced on that file\'s bytes, not on the 4 MB assumed when the code does not tell', () => {
    const fns = scriptFunctions(`const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
function returnFile() {
  const file = path.join(os.tmpdir(), 'quarterly-return.csv');
  if (!fs.existsSync(file)) {
    const rows = ['ward,stream,week,tonnes'];
    for (let k = 0; k < 16_000; k += 1) rows.push(\`W\${k % 40},glass,\${1 + (k % 13)},\${(k % 80) / 4}\`);
    fs.writeFileSync(\`\${file}.part\`, rows.join('\\n'));
    fs.renameSync(\`\${file}.part\`, file);
  }
  return file;
}
function packReturn(i) {
  return spawnSync('bzip2', ['-c', i % 2 ? '-9' : '-6', returnFile()], { maxBuffer: 64 * 1024 * 1024 }).stdout.length;
}
module.exports = { packReturn };
`, 'returns.js');
    const pack = scriptFn(fns, 'packReturn');
    const sequential = pack.predicted?.seconds.sequential ?? 0;
    // ~16,000 rows of ~20 bytes (~0.3 MB) at bzip2's ~0.14 µs a byte, 8 calls: tenths of a second, not 4.5 s.
    assert.ok(sequential > 0.1 && sequential < 1.5, `sequential ${sequential}`);
    assert.doesNotMatch(pack.evidence.map((e) => e.reason).join('\n'), /MB assumed/);
  });

  it('work a helper does once (a file made when missing, a value kept in a cache map) through a callback handed to it is made once per process: not priced at every call of the caller', () => {
    const fns = scriptFunctions(`const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const tables = new Map();
function studioFile(name, build) {
  const file = path.join('/tmp/studio', name);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, build());
  }
  return file;
}
function cachedTable(name, build) {
  if (!tables.has(name)) tables.set(name, build());
  return tables.get(name);
}
function checksumMaster(i) {
  const file = studioFile('master.wav', () => crypto.randomBytes(48 * 1024 * 1024));
  return execFileSync('sha1sum', [file], { encoding: 'utf8' }).slice(0, 8 + (i % 4));
}
function readDump(i) {
  const file = studioFile('dump.tsv', () => {
    const lines = [];
    for (let k = 0; k < 900_000; k++) lines.push(\`row \${k}\\n\`);
    return lines.join('');
  });
  return fs.readFileSync(file).length + i;
}
function lookupRate(i) {
  const rates = cachedTable('rates', () => Array.from({ length: 2_000_000 }, (_, k) => Math.sqrt(k)));
  return rates[i % 100] ?? 0;
}
module.exports = { checksumMaster, readDump, lookupRate };
`, 'studio.js');
    const shown = (name: string): string => `${scriptFn(fns, name).verdict} ${scriptFn(fns, name).recommendation}`;
    const reasons = (name: string): string => scriptFn(fns, name).evidence.map((e) => e.reason).join('\n');
    assert.equal(shown('checksumMaster'), 'io async', reasons('checksumMaster'));
    assert.doesNotMatch(reasons('checksumMaster'), /randomBytes/);
    assert.match(reasons('checksumMaster'), /studioFile is memoized/);
    assert.match(reasons('readDump'), /reads a file the module makes once: from the page cache/);
    assert.doesNotMatch(reasons('readDump'), /900,000 items/);
    assert.equal(shown('lookupRate'), 'trivial sequential', reasons('lookupRate'));
    assert.match(reasons('lookupRate'), /cachedTable is memoized/);
  });

  it('a signature with an RSA key costs what its modulus makes it (RSA-3072: ~1.7 ms), told by an RSA padding or by a module that makes only RSA key pairs; an Ed25519 signature stays tens of microseconds', () => {
    const rsa = scriptFunctions(`const crypto = require('node:crypto');
const KEYS = crypto.generateKeyPairSync('rsa', { modulusLength: 3_072 });
function sealReports(i) {
  let bytes = 0;
  for (let till = 0; till < 48; till++) bytes += crypto.sign('sha256', Buffer.from(\`z-\${i}-\${till}\`), KEYS.privateKey).length;
  return bytes;
}
function sealPss(i, key) {
  let bytes = 0;
  for (let till = 0; till < 48; till++) bytes += crypto.sign('sha256', Buffer.from(\`z-\${i}-\${till}\`), { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING }).length;
  return bytes;
}
module.exports = { sealReports, sealPss };
`, 'tills.js');
    const ed = scriptFunctions(`const crypto = require('node:crypto');
const KEYS = crypto.generateKeyPairSync('ed25519');
function sealReports(i) {
  let bytes = 0;
  for (let till = 0; till < 48; till++) bytes += crypto.sign(null, Buffer.from(\`z-\${i}-\${till}\`), KEYS.privateKey).length;
  return bytes;
}
module.exports = { sealReports };
`, 'tills.js');
    const reasons = (fns: typeof rsa, name: string): string => scriptFn(fns, name).evidence.map((e) => e.reason).join('\n');
    assert.match(reasons(rsa, 'sealReports'), /signs with an RSA-3072 key/);
    assert.equal(scriptFn(rsa, 'sealReports').verdict, 'cpu', reasons(rsa, 'sealReports'));
    // A key handed in, an RSA padding asked for: the modulus of the RSA key pairs the module makes.
    assert.match(reasons(rsa, 'sealPss'), /signs with an RSA-3072 key/);
    assert.doesNotMatch(reasons(ed, 'sealReports'), /RSA/);
    assert.equal(scriptFn(ed, 'sealReports').verdict, 'trivial', reasons(ed, 'sealReports'));
  });

  it('a write-once helper of the early-return form (`if (fs.existsSync(file)) return file;`, then written and renamed into place) makes its file on a first call, whatever name a caller gives it; a read of it through a wrapper is a copy from the page cache of what the builder made (its lines the rows it joined)', () => {
    const fns = scriptFunctions(`const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
function writtenOnce(name, build) {
  const file = path.join(os.tmpdir(), \`depot-\${name}\`);
  if (fs.existsSync(file)) return file;
  const partial = \`\${file}.\${process.pid}.part\`;
  fs.writeFileSync(partial, build());
  fs.renameSync(partial, file);
  return file;
}
function manifestFile() {
  return writtenOnce('manifest.csv', () => {
    const rows = [];
    for (let k = 0; k < 300_000; k++) rows.push(\`P\${k},bay-\${k % 40},\${(k * 0.37).toFixed(2)}\`);
    return rows.join('\\n');
  });
}
function bayImage(bay) {
  return writtenOnce(\`bay-\${bay}.raw\`, () => {
    const image = Buffer.alloc(8 * 1024 * 1024);
    for (let b = 0; b < image.length; b += 4) image.writeUInt32LE(b * 2654435761, b);
    return image;
  });
}
function manifestLength(i) {
  return fs.readFileSync(manifestFile(), 'utf8').length + i;
}
function bayTotals(i) {
  const totals = new Map();
  const lines = fs.readFileSync(manifestFile(), 'utf8').split('\\n');
  for (let k = 0; k < lines.length; k++) {
    const [, bay, weight] = lines[k].split(',');
    totals.set(bay, (totals.get(bay) ?? 0) + Number.parseFloat(weight) * (i + 1));
  }
  return totals.size;
}
async function packBaysAsync(i) {
  const packed = await Promise.all(['north', 'south'].map((bay) => new Promise((resolve) => zlib.gzip(fs.readFileSync(bayImage(bay)).subarray(0, 1024), { level: 1 + (i % 3) }, (_, out) => resolve(out)))));
  return packed.length;
}
module.exports = { manifestLength, bayTotals, packBaysAsync };
`, 'depot.js');
    const reasons = (name: string): string => scriptFn(fns, name).evidence.map((e) => e.reason).join('\n');
    assert.match(reasons('manifestLength'), /reads a file the module makes once: from the page cache/);
    assert.doesNotMatch(reasons('manifestLength'), /writeFileSync|300,000 items/);
    assert.notEqual(scriptFn(fns, 'manifestLength').verdict, 'io', reasons('manifestLength'));
    // The lines of the file are the rows its builder joined: the loop over them is sized, not assumed.
    assert.match(reasons('bayTotals'), /for loop: runs JavaScript on the calling thread \(300,000 items\)/);
    assert.doesNotMatch(reasons('packBaysAsync'), /writeFileSync|writeUInt32LE|2,097,152/);
    assert.match(reasons('packBaysAsync'), /bayImage, which does little work/);
    assert.match(reasons('packBaysAsync'), /reads a file the module makes once/);
  });

  it('a stream of a file a write-once helper makes is as large as the file: its gzip stage is priced on those bytes in libuv\'s pool, and the pipeline waits for nothing but its stages', () => {
    const fns = scriptFunctions(`const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { pipeline } = require('node:stream/promises');
function writtenOnce(name, build) {
  const file = path.join(os.tmpdir(), \`scans-\${name}\`);
  if (fs.existsSync(file)) return file;
  const partial = \`\${file}.\${process.pid}.part\`;
  fs.writeFileSync(partial, build());
  fs.renameSync(partial, file);
  return file;
}
function scan(k) {
  return writtenOnce(\`scan-\${k}.raw\`, () => {
    const page = Buffer.alloc(1024 * 1024);
    for (let b = 0; b < page.length; b += 4) page.writeUInt32LE((b * 2654435761) >>> 0, b);
    return page;
  });
}
async function archiveScansAsync(i) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-'));
  await Promise.all(Array.from({ length: 8 }, (_, k) => pipeline(fs.createReadStream(scan(k)), zlib.createGzip({ level: 1 + ((i + k) % 3) }), fs.createWriteStream(path.join(folder, \`scan-\${k}.gz\`)))));
  fs.rmSync(folder, { recursive: true, force: true });
  return i;
}
function scanDigest(k) {
  return new Promise((resolve) => {
    const hash = fs.createReadStream(scan(k)).pipe(crypto.createHash('sha256'));
    hash.on('finish', () => resolve(hash.digest('hex')));
  });
}
module.exports = { archiveScansAsync, scanDigest };
`, 'scans.js');
    const reasons = (name: string): string => scriptFn(fns, name).evidence.map((e) => e.reason).join('\n');
    // 8 MB gzipped a call, 8 pieces at once in libuv's pool: one call keeps both cores busy, calls at once gain nothing.
    assert.match(reasons('archiveScansAsync'), /zlib\.createGzip: .*priced by the bytes piped through it/);
    assert.doesNotMatch(reasons('archiveScansAsync'), /pipeline: streams data through/);
    assert.equal(scriptFn(fns, 'archiveScansAsync').verdict, 'trivial', reasons('archiveScansAsync'));
    const sequential = scriptFn(fns, 'archiveScansAsync').predicted?.seconds.sequential ?? 0;
    assert.ok(sequential > 0.2, `8 calls of 8 MB of gzip: ${sequential} s in sequence`);
    // A hash piped from the file hashes its megabyte on the calling thread.
    assert.match(reasons('scanDigest'), /crypto\.createHash: hashes in native code on the calling thread.*piped through it/);
  });

  it('a file written with the promise API (`await fsp.writeFile(file, rows.join(…))`) is as large as what was written: its stream through gzip is priced by those bytes, and the calls gain at once (async-io), as holdkit31 punctualityReturnAsync measured', () => {
    const fns = scriptFunctions(`const fsp = require('node:fs/promises');
const fs = require('node:fs');
const { pipeline } = require('node:stream/promises');
const zlib = require('node:zlib');
async function returnAsync(i) {
  const rows = Array.from({ length: 30000 }, (_, k) => \`P\${i},\${k},\${(k * 37 + i) % 45},\${k % 3 === 0 ? 'on-time' : 'late'}\`);
  const plain = '/tmp/return.csv';
  await fsp.writeFile(plain, rows.join('\\n'));
  await pipeline(fs.createReadStream(plain), zlib.createGzip({ level: 9 }), fs.createWriteStream('/tmp/return.csv.gz'));
  return i;
}
module.exports = { returnAsync };
`, 'returns.js');
    const reasons = scriptFn(fns, 'returnAsync').evidence.map((e) => e.reason).join('\n');
    assert.match(reasons, /zlib\.createGzip: .*priced by the bytes piped through it/);
    assert.equal(scriptFn(fns, 'returnAsync').verdict, 'async-io', reasons);
  });

  it('work under a test that a module or closure variable is still unset, which it then sets, runs on a first call only, and the rest of the function reads the value made there at its size', () => {
    const fns = scriptFunctions(`const crypto = require('node:crypto');
let samplePhoto = null;
let table;
function fingerprint(i) {
  if (samplePhoto === null) samplePhoto = crypto.randomBytes(200 * 1024);
  return crypto.createHash('sha256').update(samplePhoto).update(String(i)).digest('hex').slice(0, 16);
}
function lookup(i) {
  if (!table) {
    table = [];
    for (let k = 0; k < 3_000_000; k++) table.push(Math.sqrt(k));
  }
  return table[i % 100];
}
function closest(points) {
  let best = null;
  for (const p of points) {
    if (best === null) best = crypto.createHash('sha256').update(p).digest('hex');
  }
  return best;
}
module.exports = { fingerprint, lookup, closest };
`, 'photos.js');
    const reasons = (name: string): string => scriptFn(fns, name).evidence.map((e) => e.reason).join('\n');
    const shown = (name: string): string => `${scriptFn(fns, name).verdict} ${scriptFn(fns, name).recommendation}`;
    assert.equal(shown('fingerprint'), 'trivial sequential', reasons('fingerprint'));
    assert.doesNotMatch(reasons('fingerprint'), /randomBytes|assumed|larger inputs/);
    assert.equal(shown('lookup'), 'trivial sequential', reasons('lookup'));
    assert.doesNotMatch(reasons('lookup'), /3,000,000/);
    // A local set when still unset is not a first call's work: it runs in every call.
    assert.match(reasons('closest'), /createHash/);
  });

  it('a DataView and its accessors are built-ins reading one number each, not calls of unknown kind', () => {
    const fns = scriptFunctions(`const header = new Uint8Array(33);
export function imageSize(i: number): number {
  const view = new DataView(header.buffer);
  view.setUint32(16, 4032 + i);
  return view.getUint32(16) * view.getUint32(20);
}
`);
    const report = scriptFn(fns, 'imageSize');
    assert.equal(report.verdict, 'trivial', JSON.stringify(report.evidence));
    assert.doesNotMatch(report.evidence.map((e) => e.reason).join('\n'), /cannot tell|not in the knowledge base/);
  });

  it('a date kept in an object\'s field and a buffer in an array are known by their own methods (toUTCString, readUInt16BE), not calls of unknown kind', () => {
    const fns = scriptFunctions(`interface Episode { title: string; published: Date }
function episodes(n: number): Episode[] {
  return Array.from({ length: n }, (_, k) => ({ title: \`Episode \${k}\`, published: new Date(Date.UTC(2019, 0, 1) + k * 86_400_000) }));
}
export function feed(i: number): number {
  const items: string[] = [];
  for (const episode of episodes(300 + i)) items.push(\`<item><title>\${episode.title}</title><pubDate>\${episode.published.toUTCString()}</pubDate></item>\`);
  return items.join('').length;
}
function photos(n: number): Buffer[] {
  return Array.from({ length: n }, (_, k) => Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 4 + k]));
}
export function segmentLength(i: number): number {
  let total = 0;
  for (const photo of photos(4 + i)) total += photo.readUInt16BE(4) + photo.readUint8(0);
  return total;
}
`);
    for (const name of ['feed', 'segmentLength']) {
      const report = scriptFn(fns, name);
      assert.notEqual(report.verdict, 'unknown', JSON.stringify(report.evidence));
      assert.doesNotMatch(report.evidence.map((e) => e.reason).join('\n'), /cannot tell|not in the knowledge base/);
    }
  });

  it('typed arrays are made per element: `new Float64Array(n)` of a size the code tells is fresh memory filled (8 bytes each), not a call of unknown kind', () => {
    const fns = scriptFunctions(`export function grid(): number {
  const cells = new Float64Array(40_000_000);
  return cells.length;
}
export function row(): number {
  const cells = new Int32Array(64);
  return cells.length;
}
`);
    assert.equal(`${scriptFn(fns, 'grid').verdict} ${scriptFn(fns, 'grid').recommendation}`, 'cpu worker_threads');
    assert.match(scriptFn(fns, 'grid').evidence[0]?.reason ?? '', /Float64Array: allocates a typed array/);
    assert.equal(scriptFn(fns, 'row').verdict, 'trivial');
    assert.ok(!scriptFn(fns, 'row').evidence.some((e) => /cannot tell/.test(e.reason)));
  });

  it('dominance: a short awaited request followed by a sort of a million items is CPU work (worker_threads), not async I/O', () => {
    const fns = scriptFunctions(`export async function rankAfterFetch(url: string): Promise<number> {
  await fetch(url);
  const scores = Array.from({ length: 1_000_000 }, (_, k) => (k * 7919) % 1009);
  scores.sort((a, b) => b - a);
  return scores[0] ?? 0;
}
export async function fetchOnly(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}
`);
    assert.equal(`${scriptFn(fns, 'rankAfterFetch').verdict} ${scriptFn(fns, 'rankAfterFetch').recommendation}`, 'cpu worker_threads');
    assert.equal(`${scriptFn(fns, 'fetchOnly').verdict} ${scriptFn(fns, 'fetchOnly').recommendation}`, 'async-io async');
  });

  it('a string method returned from an async function is a value, not a promise: the sync wait before it makes the function io', () => {
    const fns = scriptFunctions(`import { execFileSync } from 'node:child_process';
export async function loadConfig(path: string): Promise<string> {
  const text = execFileSync('git', ['show', path], { encoding: 'utf8' });
  return text.trim();
}
`);
    assert.equal(`${scriptFn(fns, 'loadConfig').verdict} ${scriptFn(fns, 'loadConfig').recommendation}`, 'io async');
  });

  it('a child process running a computing program (gzip) is its start and its CPU on the machine\'s cores, per byte of its input when told; a waiting one (curl), a command-line run', () => {
    const fns = scriptFunctions(`import { execFileSync } from 'node:child_process';
export function packLog(file: string): number {
  return execFileSync('gzip', ['-6', '-c', file]).length;
}
export function postNotice(url: string): string {
  return execFileSync('curl', ['-sS', url], { encoding: 'utf8' });
}
const LOG = Buffer.alloc(8_000_000, 'GET /index.html 200\\n');
export function packKnownLog(): number {
  return execFileSync('gzip', ['-c'], { input: LOG }).length;
}
`);
    const gzip = childRun('gzip', 0);
    const pack = scriptFn(fns, 'packLog').predicted?.seconds;
    assert.ok(Math.abs((pack?.sequential ?? 0) - 8 * gzip.seconds) < 1e-9, `8 gzip runs: ${pack?.sequential}`);
    assert.ok((pack?.threads ?? 0) >= (8 * (gzip.childCpu ?? 0)) / 2, `threads ${pack?.threads}: 8 children's CPU on 2 cores`);
    assert.ok(Math.abs((scriptFn(fns, 'postNotice').predicted?.seconds.sequential ?? 0) - 8 * 0.05) < 1e-9);
    // Its `input` told: gzip's CPU per byte of it, not the assumed file's.
    const known = scriptFn(fns, 'packKnownLog').predicted?.seconds.sequential ?? 0;
    assert.ok(Math.abs(known - 8 * childRun('gzip', 0, 8_000_000).seconds) < 1e-9, `8 gzip runs of 8 MB: ${known}`);
  });

  it('fills `predicted` for TS/JS functions, with Node mode names, and says the predicted speedup in the evidence', () => {
    const fns = scriptFunctions('export function crunch(): number { let t = 0; for (let i = 0; i < 50_000_000; i++) t += i % 7; return t; }\n');
    const crunch = scriptFn(fns, 'crunch');
    assert.equal(crunch.predicted?.best, 'worker_threads');
    assert.equal(crunch.predicted?.tasks, 8);
    assert.ok((crunch.predicted?.seconds.threads ?? Infinity) < (crunch.predicted?.seconds.sequential ?? 0));
    assert.match(crunch.evidence.map((e) => e.reason).join('\n'), /predicted ≈\d\.\d× in worker_threads on \d+ cores?/);
  });

  it('Node\'s policy: worker_threads run CPU in parallel (no lock) after their start-up; the event loop overlaps only awaited waits', () => {
    assert.equal(policy.threadsSerializeLockedCpu, false);
    const cpu = single('gil', range(0.05), 1, 'a loop');
    const syncWait = single('wait', range(0.05), 1, 'execFileSync');
    const awaited = single('wait', range(0.05), 1, 'fetch', true);
    assert.equal(labelOf(cpu), 'cpu');
    assert.equal(labelOf(syncWait), 'io');
    assert.equal(labelOf(awaited, true), 'async-io');
    assert.equal(labelOf(single('gil', range(1e-4), 1, 'a few calls')), 'trivial', 'no pool pays for a worker\'s start-up');
    // CPU in a task that awaits: the event loop overlaps the wait but runs the CPU one task at a time.
    assert.equal(labelOf(sequence([awaited, single('gil', range(0.2), 2, 'a sort')]), true), 'cpu');
    const threads = predict(cpu, workload, policy).seconds.threads as number;
    assert.ok(threads > 0.2 && threads < 0.4, `8 × 50 ms on 2 workers plus their start-up: ${threads}`);
  });

  it('CL101 counts seconds of event-loop CPU per call: small nested loops in a handler are not heavy, large ones are', () => {
    const source = `const SIZES = Array.from({ length: 40 }, (_, k) => k);
export function light(req: unknown, res: { end(s: string): void }) {
  let total = 0;
  for (const a of SIZES) { for (const b of SIZES) total += (a ^ b) % 3; } // light
  res.end(String(total));
}
export function heavy(req: unknown, res: { end(s: string): void }) {
  let total = 0;
  for (let i = 0; i < 20_000; i++) { for (let j = 0; j < 5_000; j++) total += (i ^ j) % 3; } // heavy
  res.end(String(total));
}
`;
    const findings = analyzeScripts({ 'server.ts': source }).get('server.ts')?.findings ?? [];
    assert.deepEqual(findingIds(findings), [`CL101@${lineOf(source, '// heavy')}`]);
  });

  it('a `for` loop tested `i < n && more` runs at most n times (the other tests end it sooner, as a `break` does), however n is told', () => {
    const facts = extractFacts(parseSource('panel.ts', `export function firstFreeHour(i: number, people = 5): number {
  for (let hour = 0; hour < 336; hour++) {
    let free = true;
    for (let p = 0; p < people && free; p++) free = (hour * 7 + p * i) % 11 !== 0;
    if (free) return hour;
  }
  return -1;
}
export function firstFreeOf(limit: number, found: boolean): number {
  let k = 0;
  for (; k < limit && !found; k++) found = k % 97 === 96;
  for (let j = 0; j < limit && !found && j * j < 1e6; j++) found = j % 89 === 88;
  return k;
}
`));
    const fn = (name: string) => facts.functions.find((f) => f.name === name);
    assert.deepEqual(fn('firstFreeHour')?.loops.map((loop) => loop.count ?? null), [336, 5]);
    // Bounded by a parameter: a caller's argument may tell the count.
    assert.deepEqual(fn('firstFreeOf')?.loops.map((loop) => loop.countParam ?? null), [null, 0]);
  });

  it('an Intl formatter\'s `formatToParts` returns a few parts (one per field and the literals between them): a search of them is not a loop over data of unknown size', () => {
    const fns = scriptFunctions(`const zoned = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });
export function localHour(i: number): number {
  const parts = zoned.formatToParts(new Date(Date.UTC(2024, 0, 1) + i * 3_600_000));
  return Number(parts.find((part) => part.type === 'hour')?.value);
}
`);
    const fn = scriptFn(fns, 'localHour');
    assert.doesNotMatch(fn.evidence.map((e) => e.reason).join('\n'), /items assumed/);
    assert.equal(fn.verdict, 'trivial');
  });
});
