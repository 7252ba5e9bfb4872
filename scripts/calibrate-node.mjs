// Node micro-benchmarks of the cost model's constants, run by scripts/calibrate.mjs in its own process.
// The method is scripts/calibrate.py's: a constant is the minimum over several repetitions of a timed
// loop of at least MIN_LOOP_SECONDS, the loops a constant compares interleaved; per-byte constants are the
// slope between two sizes (the per-call overhead in the note); loops are timed in CPU time (see cpuClock).
//
// Forked by the benchmarks themselves with a child mode as argument: `first-message` (sends one message
// and exits) and `socket-echo` (a loopback TCP echo server whose port it sends; ends when its parent
// disconnects).
import { fork } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deflateSync } from 'node:zlib';

const MIN_LOOP_SECONDS = 0.02;
const MAX_GROWTH = 100;
const THIS_FILE = fileURLToPath(import.meta.url);

/** Keeps results alive, so that the JIT cannot drop the work that computed them. */
const sink = { value: 0 };

/**
 * Loops are timed in CPU time, so that waiting for a core while other programs run is not counted: this
 * process's (its workers' threads and V8's helper threads included: Node 20 cannot read one thread's),
 * plus that of a child process it works with. /proc/<pid>/schedstat is read only for a child that is
 * waiting meanwhile: for a running thread it lags by up to a scheduler tick.
 */
function processCpuSeconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

const CPU = { name: 'process CPU time', read: processCpuSeconds };
const WALL = { name: 'wall time', read: () => performance.now() / 1000 };

/** CPU seconds of the main thread of process `pid` so far (Linux), or undefined. */
function childCpuSeconds(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return undefined;
  }
}

/** The smallest count (grown geometrically) whose sample lasts MIN_LOOP_SECONDS, and that time. */
async function calibratedCount(sample, now) {
  let count = 1;
  for (;;) {
    const elapsed = await sample(count, now);
    if (elapsed >= MIN_LOOP_SECONDS) return { count, elapsed };
    const growth = elapsed > 0 ? (MIN_LOOP_SECONDS * 1.2) / elapsed : MAX_GROWTH;
    count = Math.max(count + 1, Math.floor(count * Math.min(MAX_GROWTH, Math.max(2, growth))));
  }
}

/** Seconds per unit of each sampler, `repetitions` times each, the samplers interleaved. */
async function perUnitTimes(samplers, clock, repetitions) {
  const counts = [];
  const times = [];
  for (const sample of samplers) {
    const { count, elapsed } = await calibratedCount(sample, clock.read);
    counts.push(count);
    times.push([elapsed / count]);
  }
  for (let repetition = 1; repetition < repetitions; repetition++) {
    for (const [index, sample] of samplers.entries()) {
      times[index].push((await sample(counts[index], clock.read)) / counts[index]);
    }
  }
  return times;
}

const minimum = (times) => Math.min(...times);

function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function how(times, clock) {
  const spread = median(times) / minimum(times) - 1;
  return `${clock.name}, min of ${times.length} loops of >= ${MIN_LOOP_SECONDS * 1000} ms, spread ${Math.round(spread * 100)}%`;
}

/** Seconds with a unit people read (3 significant digits). */
export function human(seconds) {
  for (const [unit, scale] of [['s', 1], ['ms', 1e-3], ['µs', 1e-6]]) {
    if (Math.abs(seconds) >= scale) return `${(seconds / scale).toPrecision(3)} ${unit}`;
  }
  return `${(seconds / 1e-9).toPrecision(3)} ns`;
}

async function perUnit(sample, clock, repetitions, what) {
  const [times] = await perUnitTimes([sample], clock, repetitions);
  return { seconds: minimum(times), note: `${what}; ${how(times, clock)}` };
}

/** The cost of one of the `operations` a pass of withIt does beyond a pass of without (CPU time). */
async function difference(withIt, without, operations, repetitions, what) {
  const [withTimes, withoutTimes] = await perUnitTimes([withIt, without], CPU, repetitions);
  const seconds = (minimum(withTimes) - minimum(withoutTimes)) / operations;
  if (!(seconds > 0)) throw new Error(`no measurable difference (${human(minimum(withTimes))} vs ${human(minimum(withoutTimes))} a pass)`);
  return {
    seconds,
    note: `${what}; ${operations} per pass, minus the same loop without them (${human(minimum(withoutTimes))} a pass); ${how(withTimes, CPU)}`,
  };
}

/** Seconds per unit of size between two sizes; makeSample(size) -> { sample, units }. */
async function slope(makeSample, small, large, clock, repetitions, unit, what) {
  const smaller = await makeSample(small);
  const larger = await makeSample(large);
  const [smallTimes, largeTimes] = await perUnitTimes([smaller.sample, larger.sample], clock, repetitions);
  const seconds = (minimum(largeTimes) - minimum(smallTimes)) / (larger.units - smaller.units);
  if (!(seconds > 0)) throw new Error(`the larger size was not slower (${human(minimum(largeTimes))} vs ${human(minimum(smallTimes))})`);
  const overhead = minimum(smallTimes) - seconds * smaller.units;
  // A negative intercept: the larger size costs more per unit (caches, allocation), no fixed cost shows.
  const fixed = overhead > 0 ? `per-call overhead ${human(overhead)}` : 'no per-call overhead measurable';
  const count = (units) => Math.round(units).toLocaleString('en-US');
  return { seconds, note: `${what}; slope between ${count(smaller.units)} and ${count(larger.units)} ${unit}s, ${fixed}; ${how(largeTimes, clock)}` };
}

/** The first message of a worker or child process; rejects if it ends or fails before sending one. */
function firstMessage(emitter) {
  return new Promise((resolve, reject) => {
    emitter.once('message', resolve);
    emitter.once('error', reject);
    emitter.once('exit', (code, signal) => reject(new Error(`it ended (${signal ?? `exit code ${code}`}) before its first message`)));
  });
}

/**
 * A sampler timing `run(count)`. The clock is read outside the function that loops: called inside it,
 * after a loop TurboFan compiled on stack, the call lacked type feedback and V8 deoptimized the loop at
 * every sample (10x slower, seen in one run of two).
 */
function timed(run) {
  return (count, now) => {
    const start = now();
    run(count);
    return now() - start;
  };
}

/** A sampler timing `work()` run `count` times. */
function repeating(work) {
  return timed((count) => {
    for (let index = 0; index < count; index++) work();
  });
}

/** A deterministic pseudo-random generator (an LCG), the same numbers on every run. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const textCache = new Map();

/** `size` bytes of ASCII words and lines (compresses about like prose), the same on every run. */
export function textLike(size) {
  if (!textCache.has(size)) {
    const random = generator(13);
    const letters = 'etaoinshrdlcumwfgypbvk';
    const pick = (items) => items[Math.floor(random() * items.length)];
    const words = Array.from({ length: 2000 }, () => Array.from({ length: 2 + Math.floor(random() * 8) }, () => pick(letters)).join(''));
    const lines = [];
    let length = 0;
    while (length < size) {
      const line = `${Array.from({ length: 12 }, () => pick(words)).join(' ')}.\n`;
      lines.push(line);
      length += line.length;
    }
    textCache.set(size, lines.join('').slice(0, size));
  }
  return textCache.get(size);
}

/** CSV rows as storekit's `exportData` writes them: a word of a short list with a number, another word, two numbers (an LCG). */
export function csvRows(size) {
  const words = ['sku', 'warehouse', 'north', 'south', 'boots', 'coats', 'ok', 'late', 'eu', 'us', 'returned', 'shipped'];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed >>> 8;
  };
  const rows = [];
  let length = 0;
  while (length < size) {
    const row = `${words[next() % 12]}-${next() % 9973},${words[next() % 12]},${next() % 100_003},${next() % 50}\n`;
    rows.push(row);
    length += row.length;
  }
  return Buffer.from(rows.join('').slice(0, size));
}

/** A list of `count` small objects, as JSON APIs and messages to workers look. */
function records(count) {
  return Array.from({ length: count }, (_, i) => ({
    id: i, name: `user${i}`, email: `user${i}@example.com`, score: i * 0.25, active: i % 3 === 0, tags: ['a', 'bb', 'ccc'],
  }));
}

function loopIteration(repetitions) {
  const sample = timed((count) => {
    let total = 0;
    for (let i = 0; i < count; i++) total = (total + i * 2) | 0;
    sink.value = total;
  });
  return perUnit(sample, CPU, repetitions, 'for (let i = 0; i < n; i++) total = (total + i * 2) | 0');
}

// Eight targets at one call site make it megamorphic: V8 cannot inline the call (a call it can inline costs ~0).
const ADDERS = [(v) => v + 1, (v) => v + 2, (v) => v + 3, (v) => v + 4, (v) => v + 5, (v) => v + 6, (v) => v + 7, (v) => v + 8];
const OFFSETS = [1, 2, 3, 4, 5, 6, 7, 8];

function functionCall(repetitions) {
  const calls = timed((count) => {
    let total = 0;
    for (let i = 0; i < count; i++) total = (total + ADDERS[i & 7](i)) | 0;
    sink.value = total;
  });
  const additions = timed((count) => {
    let total = 0;
    for (let i = 0; i < count; i++) total = (total + (i + OFFSETS[i & 7])) | 0;
    sink.value = total;
  });
  return difference(calls, additions, 1, repetitions, 'a call V8 cannot inline (8 functions at one call site) beyond the same addition inline');
}

function sortCompare(repetitions) {
  const makeSample = (n) => {
    const random = generator(n);
    const values = Array.from({ length: n }, () => Math.floor(random() * 2 ** 30));
    return { sample: repeating(() => values.slice().sort((a, b) => a - b)), units: n * Math.log2(n) };
  };
  return slope(makeSample, 1000, 30_000, CPU, repetitions, 'comparison', 'array.slice().sort((a, b) => a - b) of random ints, n*log2(n) comparisons at n = 1,000 and 30,000');
}

function jsonParseByte(repetitions) {
  const makeSample = (count) => {
    const text = JSON.stringify(records(count));
    return { sample: repeating(() => { sink.value = JSON.parse(text).length; }), units: Buffer.byteLength(text) };
  };
  return slope(makeSample, 50, 2000, CPU, repetitions, 'byte', 'JSON.parse() of a list of 50 and 2,000 small objects, per byte of input');
}

function jsonStringifyByte(repetitions) {
  const makeSample = (count) => {
    const value = records(count);
    return { sample: repeating(() => { sink.value = JSON.stringify(value).length; }), units: Buffer.byteLength(JSON.stringify(value)) };
  };
  return slope(makeSample, 50, 2000, CPU, repetitions, 'byte', 'JSON.stringify() of a list of 50 and 2,000 small objects, per byte of output');
}

/** Records in a megabyte of their JSON (about 115 bytes each): the size a "large" JSON text starts at. */
const RECORDS_PER_MB = 9_000;

function jsonParseLargeByte(repetitions) {
  const makeSample = (count) => {
    const text = JSON.stringify(records(count));
    return { sample: repeating(() => { sink.value = JSON.parse(text).length; }), units: Buffer.byteLength(text) };
  };
  return slope(makeSample, RECORDS_PER_MB, 8 * RECORDS_PER_MB, CPU, repetitions, 'byte', 'JSON.parse() of a list of 9,000 and 72,000 small objects (1 and 8 MB), per byte of input beyond the first megabyte');
}

async function structuredCloneByte(repetitions) {
  const worker = new Worker(
    "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (message) => parentPort.postMessage(message));",
    { eval: true },
  );
  try {
    const makeSample = (count) => {
      const value = records(count);
      const sample = async (repeat, now) => {
        const start = now();
        for (let index = 0; index < repeat; index++) {
          const reply = once(worker, 'message');
          worker.postMessage(value);
          await reply;
        }
        return now() - start;
      };
      return { sample, units: Buffer.byteLength(JSON.stringify(value)) };
    };
    const what = "postMessage() of a list of 50 and 2,000 small objects to a worker and back, per byte of its JSON (the worker's thread counted)";
    return await slope(makeSample, 50, 2000, CPU, repetitions, 'byte', what);
  } finally {
    await worker.terminate();
  }
}

function workerStart(repetitions) {
  const sample = async (count, now) => {
    let elapsed = 0;
    for (let index = 0; index < count; index++) {
      const start = now();
      const worker = new Worker("require('node:worker_threads').parentPort.postMessage('ready');", { eval: true });
      await firstMessage(worker);
      elapsed += now() - start;
      await worker.terminate();
    }
    return elapsed;
  };
  return perUnit(sample, CPU, repetitions, "new Worker(code, { eval: true }) + its first message, the worker's thread counted (terminate() not counted)");
}

/**
 * Two workers loading a module side by side (a pool of two starting) each take longer than one alone (memory
 * bandwidth, V8's GC helper threads competing for the cores): the wall time of both, over one's, less 1. In
 * wall time, so it means something only on an otherwise idle machine.
 */
async function workerLoadContention(repetitions) {
  const code = `const data = Array.from({ length: 150000 }, (_, k) => ({ id: k, name: \`row \${k} of \${k * 3}\` })); require('node:worker_threads').parentPort.postMessage(data.length);`;
  const loading = (workers) => async (count, now) => {
    let elapsed = 0;
    for (let index = 0; index < count; index++) {
      const start = now();
      const started = Array.from({ length: workers }, () => new Worker(code, { eval: true }));
      await Promise.all(started.map(firstMessage));
      elapsed += now() - start;
      await Promise.all(started.map((worker) => worker.terminate()));
    }
    return elapsed;
  };
  const [alone, sideBySide] = await perUnitTimes([loading(1), loading(2)], WALL, repetitions);
  const seconds = minimum(sideBySide) / minimum(alone) - 1;
  if (!(seconds > 0)) throw new Error(`two workers loading side by side were not slower than one (${human(minimum(sideBySide))} vs ${human(minimum(alone))})`);
  return {
    seconds,
    note: `two workers each building 150,000 objects at load, side by side, over one alone (${human(minimum(alone))}), less 1; ${how(sideBySide, WALL)}`,
  };
}

function childProcessStart(repetitions) {
  const sample = async (count, now) => {
    let elapsed = 0;
    for (let index = 0; index < count; index++) {
      const start = now();
      const child = fork(THIS_FILE, ['first-message'], { stdio: 'ignore' });
      const exited = once(child, 'exit');
      const childCpu = await firstMessage(child);
      elapsed += now() - start + childCpu;
      await exited;
    }
    return elapsed;
  };
  const clock = { name: "process CPU time and the child's until its first message", read: CPU.read };
  return perUnit(sample, clock, repetitions, 'child_process.fork() of an ES module + its first message (its exit not counted)');
}

function hashSha256Byte(repetitions) {
  const makeSample = (size) => {
    const data = randomBytes(size);
    return { sample: repeating(() => createHash('sha256').update(data).digest()), units: size };
  };
  return slope(makeSample, 4096, 1 << 20, CPU, repetitions, 'byte', "createHash('sha256').update(data).digest() on the main thread");
}

function zlibDeflateByte(repetitions) {
  const makeSample = (size) => {
    const text = Buffer.from(textLike(size), 'ascii');
    return { sample: repeating(() => deflateSync(text, { level: 6 })), units: size };
  };
  return slope(makeSample, 16 * 1024, 1 << 20, CPU, repetitions, 'byte', 'zlib.deflateSync(data, { level: 6 }) of text-like ASCII, per input byte');
}

function zlibDeflateBestByte(repetitions) {
  const makeSample = (size) => {
    const rows = csvRows(size);
    return { sample: repeating(() => deflateSync(rows, { level: 9 })), units: size };
  };
  return slope(makeSample, 16 * 1024, 1 << 20, CPU, repetitions, 'byte', 'zlib.deflateSync(data, { level: 9 }) of CSV rows (words of a short list, pseudo-random numbers), per input byte');
}

function regexByte(repetitions) {
  const pattern = /[0-9]{3}-[0-9]{4}/;
  const makeSample = (size) => {
    const text = textLike(size);
    return { sample: repeating(() => { sink.value = pattern.test(text) ? 1 : 0; }), units: size };
  };
  return slope(makeSample, 16 * 1024, 1 << 20, CPU, repetitions, 'byte', '/[0-9]{3}-[0-9]{4}/.test() over text with no match (the whole text searched)');
}

/**
 * A sampler timing `count` fresh workers, each running `code` (given `workerData`) until its first
 * message, the workers' threads counted: what a pool pays per worker before its first task.
 */
function workerRuns(code, workerData) {
  return async (count, now) => {
    let elapsed = 0;
    for (let index = 0; index < count; index++) {
      const start = now();
      const worker = new Worker(code, { eval: true, workerData });
      await firstMessage(worker);
      elapsed += now() - start;
      await worker.terminate();
    }
    return elapsed;
  };
}

/** Module data built in a fresh worker, at load (kept: module-level constants): `build(n)` is the expression. */
function loadTimeData(build, small, large, unitsPerItem, unit, what, repetitions) {
  const makeSample = (items) => ({
    sample: workerRuns(`const data = ${build(items)}; require('node:worker_threads').parentPort.postMessage(data.length);`),
    units: items * unitsPerItem,
  });
  return slope(makeSample, small, large, CPU, repetitions, unit, `${what}, in a fresh worker as a module's top-level code runs (the values kept)`);
}

function loadStringPart(repetitions) {
  const build = (n) => `Array.from({ length: ${n} }, (_, k) => \`row \${k} of \${k * 3} in \${k % 17}\`)`;
  return loadTimeData(build, 2_000, 60_000, 3, 'part', 'a template literal `row ${k} of ${k * 3} in ${k % 17}` per item, per interpolated value', repetitions);
}

function loadObject(repetitions) {
  const build = (n) => `Array.from({ length: ${n} }, (_, k) => ({ id: k, score: k * 3, group: k % 17, flag: k % 2 === 0 }))`;
  return loadTimeData(build, 2_000, 60_000, 1, 'object', 'an object literal of 4 properties per item', repetitions);
}

/**
 * Modules of about `bytes` bytes of ordinary code (functions never called, as most of a module's are),
 * in TypeScript, and the same as JavaScript.
 */
function generatedModule(bytes, typed) {
  const parts = [];
  let length = 0;
  for (let k = 0; length < bytes; k++) {
    const part = typed
      ? `export interface Row${k} { id: number; name: string; total: number }\nexport function summarize${k}(rows: Row${k}[], limit: number): number {\n  let total = 0;\n  for (const row of rows) if (row.id % ${k + 2} === 0 && row.name.length < limit) total += row.total * ${k + 1};\n  return total;\n}\n`
      : `function summarize${k}(rows, limit) {\n  let total = 0;\n  for (const row of rows) if (row.id % ${k + 2} === 0 && row.name.length < limit) total += row.total * ${k + 1};\n  return total;\n}\nexports.summarize${k} = summarize${k};\n`;
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

/** A worker that requires `workerData.file` and says so. */
const REQUIRING_WORKER = "require(require('node:worker_threads').workerData.file); require('node:worker_threads').parentPort.postMessage('ready');";

/**
 * A worker that loads `workerData.file` as the Node harness (src/core/bench/nodeHarness.ts) loads a
 * TypeScript target in a worker: the code its main thread transpiled (inline source map), compiled with
 * source maps enabled.
 */
const TS_WORKER = `
const Module = require('node:module');
const { parentPort, workerData } = require('node:worker_threads');
Module._extensions['.ts'] = (module, filename) => {
  process.setSourceMapsEnabled(true);
  module._compile(workerData.transpiled, filename);
};
require(workerData.file);
parentPort.postMessage('ready');
`;

async function moduleLoadByte(repetitions, typed) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'calibrate-module-'));
  try {
    const transpile = typed ? transpiler() : undefined;
    const makeSample = (bytes) => {
      const source = generatedModule(bytes, typed);
      const file = path.join(folder, `module-${bytes}.${typed ? 'ts' : 'js'}`);
      writeFileSync(file, source);
      const sample = typed ? workerRuns(TS_WORKER, { file, transpiled: transpile(source, file) }) : workerRuns(REQUIRING_WORKER, { file });
      return { sample, units: Buffer.byteLength(source) };
    };
    const what = typed
      ? 'a new worker loading a TypeScript module as the Node harness hands it over (transpiled by the main thread, inline source map, source maps on), per byte of its source'
      : 'a new worker requiring a JavaScript module (CommonJS), per byte of its source';
    return await slope(makeSample, 2_000, 200_000, CPU, repetitions, 'byte', what);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The compiler's transpilation as src/core/typescript/transpile.ts does it (the repository's own typescript). */
function transpiler() {
  const ts = createRequire(import.meta.url)('typescript');
  return (source, fileName) => ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false, inlineSourceMap: true },
  }).outputText;
}

const CORE_MODULES = ['node:crypto', 'node:zlib', 'node:http', 'node:child_process', 'node:fs', 'node:os'];

function builtinImport(repetitions) {
  const ready = "require('node:worker_threads').parentPort.postMessage('ready');";
  const importing = workerRuns(`${CORE_MODULES.map((name) => `require('${name}');`).join(' ')} ${ready}`);
  const bare = workerRuns(ready);
  return difference(importing, bare, CORE_MODULES.length, repetitions, `a core module required in a new worker (${CORE_MODULES.join(', ')})`);
}

function bufferFillByte(repetitions) {
  const makeSample = (size) => ({ sample: repeating(() => { sink.value = Buffer.alloc(size, 0x5a)[size - 1]; }), units: size });
  return slope(makeSample, 1 << 20, 32 << 20, CPU, repetitions, 'byte', 'Buffer.alloc(n, 0x5a): fresh memory, filled');
}

function randomByte(repetitions) {
  const makeSample = (size) => ({ sample: repeating(() => { sink.value = randomBytes(size)[0]; }), units: size });
  return slope(makeSample, 64 * 1024, 4 << 20, CPU, repetitions, 'byte', 'crypto.randomBytes(n)');
}

/** Flushes timed one by one: a disk shared with other programs makes some of them wait for those. */
const FLUSHES = 200;
const FLUSH_PERCENTILE = 0.1;

/**
 * A disk flush: fs.fsyncSync after a small write (wall time: the wait is the disk's, not CPU), each timed
 * alone, the 10th percentile (another program's writes queued before one make it wait for them too).
 */
function fsyncFlush(repetitions) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'calibrate-fsync-'));
  const fd = openSync(path.join(folder, 'journal.jsonl'), 'a');
  try {
    const line = `${JSON.stringify({ entry: 1, account: 2, amount: 1.5 })}\n`;
    const times = [];
    for (let index = 0; index < FLUSHES * Math.max(1, repetitions >> 1); index++) {
      writeSync(fd, line);
      const start = performance.now();
      fsyncSync(fd);
      times.push((performance.now() - start) / 1000);
    }
    times.sort((a, b) => a - b);
    const seconds = times[Math.floor(times.length * FLUSH_PERCENTILE)];
    return { seconds, note: `fs.fsyncSync() after a 48-byte write to a file in ${os.tmpdir()}, each of ${times.length} flushes timed alone (wall time), the 10th percentile (median ${human(median(times))})` };
  } finally {
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  }
}

function modulo(repetitions) {
  // Operands beyond int32: V8 takes its floating-point path (fmod), where `| 0` arithmetic stays in registers.
  const withModulo = timed((count) => {
    let total = 0;
    for (let i = 0; i < count; i++) total = (total * 31 + i * i) % 1_000_003;
    sink.value = total;
  });
  const without = timed((count) => {
    let total = 0;
    for (let i = 0; i < count; i++) total = (total * 31 + i * i) - 1_000_003;
    sink.value = total;
  });
  return difference(withModulo, without, 1, repetitions, '`%` of numbers beyond int32 ((total * 31 + i * i) % 1_000_003) beyond the same loop with a subtraction');
}

function stringAppend(repetitions) {
  // Strings built by `+=` and kept, at the volume of module data (millions of appends): each append makes a new
  // string that survives young-generation GC, which short loops (all garbage) never show.
  const build = (n) =>
    `(() => { const kept = []; let state = 7; for (let n = 0; n < ${n}; n++) { let text = ''; for (let k = 0; k < 100; k++) { state = (Math.imul(state, 1103515245) + 12345) >>> 0; text += 'ACGT'[state >>> 30]; } kept.push(text); } return kept; })()`;
  return loadTimeData(build, 2_000, 20_000, 100, 'append', "a character appended with `+=` to a string of 100 kept in an array (`text += 'ACGT'[k]`)", repetitions);
}

function intlFormatParts(repetitions) {
  // A formatter made once and reused, with a time zone, as date formatting in a loop does; each date a different hour.
  const formatter = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });
  const start = Date.UTC(2024, 2, 25);
  const withIt = timed((count) => {
    let total = 0;
    for (let i = 0; i < count; i++) total += formatter.formatToParts(new Date(start + i * 3_600_000)).length;
    sink.value = total;
  });
  const without = timed((count) => {
    let total = 0;
    for (let i = 0; i < count; i++) total += new Date(start + i * 3_600_000).getTime() & 1;
    sink.value = total;
  });
  return difference(withIt, without, 1, repetitions, "Intl.DateTimeFormat('en-GB', { timeZone, hour, weekday }).formatToParts(date) of a formatter made once, beyond the same loop making the dates");
}

/** 4,096 short texts of the kinds a loop over CSV rows or records parses (string_parse_study.mjs has the same and more). */
function shortTexts() {
  const random = generator(28);
  const rows = [];
  const isoDates = [];
  const decimals = [];
  const numbers = [];
  const words = [];
  for (let k = 0; k < 4_096; k++) {
    const when = Date.UTC(2026, 0, 1) + Math.floor(random() * 300 * 86_400_000);
    rows.push(`CDR${100_000 + k},PARTNER${k % 12},CH${Math.floor(random() * 8_000)},${Math.floor(when / 1000)},${Math.floor(random() * 600)},${(random() * 80).toFixed(3)},${(random() * 40).toFixed(2)},EUR`);
    isoDates.push(new Date(when).toISOString());
    const decimal = (random() * 90_000).toFixed(2);
    decimals.push(decimal);
    numbers.push(Number(decimal));
    words.push(`order-${k}-${k % 3 ? 'paid' : 'open'}`);
  }
  return { rows, isoDates, decimals, numbers, words };
}

/** Seconds per call of `operation(k)` on the k-th of 4,096 inputs, beyond the same loop reading the input (`read(k)`). */
function perShortText(operation, read, repetitions, what) {
  const loop = (body) => timed((count) => {
    let total = 0;
    for (let n = 0; n < count; n++) total += body(n & 4_095);
    sink.value = total;
  });
  return difference(loop(operation), loop(read), 1, repetitions, what);
}

function stringSplit(repetitions) {
  const { rows } = shortTexts();
  return perShortText((k) => rows[k].split(',').length, (k) => rows[k].length, repetitions, "row.split(',') of a CSV row of 8 fields and ~70 characters");
}

function dateParse(repetitions) {
  const { isoDates } = shortTexts();
  return perShortText((k) => new Date(isoDates[k]).getTime() & 1, (k) => isoDates[k].length, repetitions, 'new Date(text) of an ISO 8601 date-time (Date.parse alike)');
}

function numberParse(repetitions) {
  const { decimals } = shortTexts();
  return perShortText((k) => (Number.parseFloat(decimals[k]) > 1 ? 1 : 0), (k) => decimals[k].length, repetitions, 'Number.parseFloat of a decimal of 7-8 characters (parseInt and Number(text) alike)');
}

function numberFormat(repetitions) {
  const { numbers } = shortTexts();
  return perShortText((k) => numbers[k].toFixed(2).length, (k) => (numbers[k] > 1 ? 1 : 0), repetitions, 'number.toFixed(2) of a number below 90,000');
}

function regexReplace(repetitions) {
  const { words } = shortTexts();
  return perShortText((k) => words[k].replace(/-/g, '_').length, (k) => words[k].length, repetitions, "text.replace(/-/g, '_') of a word of ~14 characters");
}

/**
 * Seconds per item of `make(k)` pushed into the lines a loop keeps and joins every 14,000 items (a report or CSV builder),
 * beyond the same loop pushing a constant text (loop_body_study.mjs has the same and more).
 */
function perKeptItem(make, repetitions, what) {
  const { words } = shortTexts();
  const keeping = (item) => timed((count) => {
    let lines = [];
    let length = 0;
    for (let n = 0; n < count; n++) {
      lines.push(item(words, n & 4_095));
      if (lines.length === 14_000) {
        length += lines.join('\n').length;
        lines = [];
      }
    }
    sink.value = length + lines.join('\n').length;
  });
  return difference(keeping(make), keeping(() => 'constant'), 1, repetitions, what);
}

function stringPart(repetitions) {
  return perKeptItem((words, k) => `${k},RCV-${k % 60},${words[k]},${k * 7},${k % 13}`, repetitions, 'a template literal of 5 interpolated parts (integers and words) per item, kept until joined; per item (divide by 5 for a part)')
    .then(({ seconds, note }) => ({ seconds: seconds / 5, note: note.replace('per item (divide by 5 for a part)', 'a fifth of the item\'s price, per part') }));
}

function loopObject(repetitions) {
  return perKeptItem((words, k) => ({ id: k, sku: words[k], qty: k % 7, at: k * 3 }), repetitions, 'an object literal of 4 properties per item, kept until the pass ends');
}

/** One-shot `crypto.sign` (or `crypto.verify`) of a short token with an ECDSA P-256 key made once, SHA-256 (ES256, as web tokens sign). */
function signature(repetitions, operation) {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = Buffer.from('unlock|car=51234|drv=drv_3_4|exp=1746000900');
  const signed = sign('sha256', token, keys.privateKey);
  const sample = operation === 'sign' ? repeating(() => sign('sha256', token, keys.privateKey)) : repeating(() => verify('sha256', token, keys.publicKey, signed));
  return perUnit(sample, CPU, repetitions, `crypto.${operation}('sha256', a 44-byte token, an ECDSA P-256 key made once), per call`);
}

function rsaSignature(repetitions) {
  const keys = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const report = Buffer.from('z-report|store=214|till=7|day=2026-12-07|gross=1250000');
  const sample = repeating(() => sign('sha256', report, keys.privateKey));
  return perUnit(sample, CPU, repetitions, "crypto.sign('sha256', a 54-byte report, an RSA-3072 key made once), per call");
}

async function socketRoundtrip(repetitions) {
  const server = fork(THIS_FILE, ['socket-echo'], { stdio: 'ignore' });
  const exited = once(server, 'exit');
  try {
    const port = await firstMessage(server);
    const client = net.connect(port, '127.0.0.1');
    await once(client, 'connect');
    client.setNoDelay(true);
    const message = Buffer.alloc(100, 'm');
    let received = 0;
    let answered = () => {};
    client.on('data', (chunk) => {
      received += chunk.length;
      if (received >= message.length) {
        received -= message.length;
        answered();
      }
    });
    const sample = async (count, now) => {
      const start = now();
      for (let index = 0; index < count; index++) {
        await new Promise((resolve) => {
          answered = resolve;
          client.write(message);
        });
      }
      return now() - start;
    };
    try {
      const clock = childCpuSeconds(server.pid) === undefined ? WALL : { name: "process CPU time and the echo server's", read: () => CPU.read() + childCpuSeconds(server.pid) };
      return await perUnit(sample, clock, repetitions, '100 bytes written and echoed back over loopback TCP (setNoDelay), the echo server in another process');
    } finally {
      client.destroy();
    }
  } finally {
    if (server.connected) server.disconnect();
    await exited;
  }
}

/** Name -> { per, measure(repetitions) -> Promise<{ seconds, note }> }, in the order they are measured. */
export const NODE_CONSTANTS = {
  'node.loop_iteration': { per: 'iteration', measure: loopIteration },
  'node.function_call': { per: 'call', measure: functionCall },
  'node.sort_compare': { per: 'comparison', measure: sortCompare },
  'node.json_parse_byte': { per: 'byte', measure: jsonParseByte },
  'node.json_stringify_byte': { per: 'byte', measure: jsonStringifyByte },
  'node.json_parse_large_byte': { per: 'byte', measure: jsonParseLargeByte },
  'node.structured_clone_byte': { per: 'byte', measure: structuredCloneByte },
  'node.worker_start': { per: 'worker', measure: workerStart },
  'node.child_process_start': { per: 'process', measure: childProcessStart },
  'node.hash_sha256_byte': { per: 'byte', measure: hashSha256Byte },
  'node.zlib_deflate_byte': { per: 'byte', measure: zlibDeflateByte },
  'node.zlib_deflate_best_byte': { per: 'byte', measure: zlibDeflateBestByte },
  'node.regex_byte': { per: 'byte', measure: regexByte },
  'node.socket_roundtrip': { per: 'roundtrip', measure: socketRoundtrip },
  'node.modulo': { per: 'operation', measure: modulo },
  'node.string_append': { per: 'append', measure: stringAppend },
  'node.worker_load_contention': { per: 'second of load', measure: workerLoadContention },
  'node.fsync': { per: 'flush', measure: fsyncFlush },
  'node.buffer_fill_byte': { per: 'byte', measure: bufferFillByte },
  'node.random_byte': { per: 'byte', measure: randomByte },
  'node.load_string_part': { per: 'part', measure: loadStringPart },
  'node.load_object': { per: 'object', measure: loadObject },
  'node.module_load_byte': { per: 'byte', measure: (repetitions) => moduleLoadByte(repetitions, false) },
  'node.module_load_ts_byte': { per: 'byte', measure: (repetitions) => moduleLoadByte(repetitions, true) },
  'node.builtin_import': { per: 'module', measure: builtinImport },
  'node.intl_format': { per: 'call', measure: intlFormatParts },
  'node.sign': { per: 'call', measure: (repetitions) => signature(repetitions, 'sign') },
  'node.verify': { per: 'call', measure: (repetitions) => signature(repetitions, 'verify') },
  'node.rsa_sign': { per: 'call', measure: (repetitions) => rsaSignature(repetitions) },
  'node.string_split': { per: 'call', measure: stringSplit },
  'node.date_parse': { per: 'call', measure: dateParse },
  'node.number_parse': { per: 'call', measure: numberParse },
  'node.number_format': { per: 'call', measure: numberFormat },
  'node.regex_replace': { per: 'call', measure: regexReplace },
  'node.string_part': { per: 'part', measure: stringPart },
  'node.loop_object': { per: 'object', measure: loopObject },
};

function serveEcho() {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (data) => socket.write(data));
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
  process.on('disconnect', () => process.exit(0));
}

if (process.send && process.argv[1] === THIS_FILE) {
  if (process.argv[2] === 'first-message') {
    const usage = process.cpuUsage();
    process.send((usage.user + usage.system) / 1e6, () => process.disconnect());
  }
  else if (process.argv[2] === 'socket-echo') serveEcho();
}
