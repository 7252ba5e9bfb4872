import * as assert from 'node:assert/strict';
import { calibrationFrom } from '../../src/core/cost/calibration';
import { single, range, sequence, type Cost } from '../../src/core/cost/model';
import { predict, type Workload } from '../../src/core/cost/predict';
import { extractFacts, parseSource } from '../../src/core/typescript/extract';
import { nodeLabelOf, nodePolicy } from '../../src/core/typescript/nodePolicy';
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

  it('a string method returned from an async function is a value, not a promise: the sync read before it makes the function io', () => {
    const fns = scriptFunctions(`import { readFileSync } from 'node:fs';
export async function loadConfig(path: string): Promise<string> {
  const text = readFileSync(path, 'utf8');
  return text.trim();
}
`);
    assert.equal(`${scriptFn(fns, 'loadConfig').verdict} ${scriptFn(fns, 'loadConfig').recommendation}`, 'io async');
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
});
