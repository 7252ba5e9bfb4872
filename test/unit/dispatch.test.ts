import * as assert from 'node:assert/strict';
import { asDispatcher, measurableVerdict } from '../../src/core/dispatch';
import type { FunctionReport, PredictedResult } from '../../src/core/model';
import { applyEdits } from '../../src/core/edits';
import { quickFix } from '../../src/core/python/fixes';
import { FactsParser } from '../../src/core/python/parse';
import { dispatchExplanation, functionDescription, predictedLine, verdictSummary } from '../../src/core/verdictText';
import { analyzeTree, fn } from './helpers';
import { analyzeScripts, lineOf, scriptFn } from './typescriptHelpers';

const CRUNCH = `from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def crunch(start):
    total = 0
    for n in range(start, start + 2_000_000):
        total = (total * 31 + n * n) % 1_000_003
    return total
`;

async function pythonReports(source: string): Promise<{ functions: Map<string, FunctionReport>; rules: string[] }> {
  const report = (await analyzeTree({ 'module.py': source })).get('module.py');
  assert.ok(report);
  return { functions: new Map(report.functions.map((f) => [f.qualname, f])), rules: report.findings.map((f) => `${f.rule}@${f.line}`) };
}

describe('pool dispatchers (verdict `dispatcher`)', () => {
  it('a function running a CPU task in a process pool: runs its tasks in a process pool, tasks CPU-bound ✓', async () => {
    const { functions } = await pythonReports(`${CRUNCH}

def score_all(i):
    with ProcessPoolExecutor(max_workers=2) as pool:
        return sum(pool.map(crunch, range(i, i + 8)))
`);
    const report = fn(functions, 'score_all');
    assert.equal(report.verdict, 'dispatcher');
    assert.equal(report.recommendation, 'processes');
    assert.deepEqual({ pool: report.dispatch?.pool, task: report.dispatch?.task?.name, verdict: report.dispatch?.task?.verdict, suits: report.dispatch?.suits }, { pool: 'process', task: 'crunch', verdict: 'cpu', suits: true });
    assert.equal(verdictSummary(report), '$(server-process) runs its tasks in a process pool · tasks: CPU-bound ✓');
    assert.equal(fn(functions, 'crunch').verdict, 'cpu', 'the task keeps its own verdict');
    assert.equal(fn(functions, 'crunch').dispatch, undefined);
    // Its pool already keeps both cores busy: several calls of it at once cannot go faster (measured:
    // libkit/ops.py::audit_log_in_workers, trivial).
    assert.deepEqual({ verdict: report.dispatch?.whole.verdict, recommendation: report.dispatch?.whole.recommendation }, { verdict: 'trivial', recommendation: 'sequential' });
  });

  it('the same in a thread pool says CL001; after the CL001 quick fix the lens reads ✓, not I/O-bound', async () => {
    const source = `${CRUNCH}

def score_all(i):
    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(pool.map(crunch, range(i, i + 8)))
`;
    const before = await pythonReports(source);
    const threaded = fn(before.functions, 'score_all');
    assert.equal(threaded.verdict, 'dispatcher');
    assert.equal(threaded.recommendation, 'processes');
    assert.equal(threaded.dispatch?.pool, 'thread');
    assert.equal(threaded.dispatch?.suits, false);
    assert.equal(threaded.dispatch?.rule, 'CL001');
    assert.deepEqual(before.rules, [`CL001@${lineOf(source, 'pool.map')}`]);
    assert.equal(verdictSummary(threaded), '$(server-process) runs its tasks in a thread pool · tasks: CPU-bound → use processes (CL001)');

    const report = (await analyzeTree({ 'module.py': source })).get('module.py');
    const finding = report?.findings[0];
    assert.ok(finding);
    const parser = await FactsParser.create();
    let fixed: string;
    try {
      const edit = quickFix(parser, source, finding);
      assert.ok(edit);
      fixed = applyEdits(source, edit.edits);
    } finally {
      parser.dispose();
    }
    const after = await pythonReports(fixed);
    const pooled = fn(after.functions, 'score_all');
    assert.deepEqual(after.rules, []);
    assert.equal(pooled.verdict, 'dispatcher', 'still a dispatcher: the lens does not flip to I/O-bound');
    assert.equal(pooled.recommendation, threaded.recommendation, 'the same advice before and after the fix');
    assert.equal(verdictSummary(pooled), '$(server-process) runs its tasks in a process pool · tasks: CPU-bound ✓');
    // As a whole it only waits on the pool now: that is what a run of it measures.
    assert.notEqual(pooled.dispatch?.whole.verdict, 'cpu');
    assert.deepEqual(measurableVerdict(pooled), pooled.dispatch?.whole);
  });

  it('a thread pool of a library call that releases the GIL (zlib.compress) keeps every core busy: its task is native, the function as a whole trivial', async () => {
    const { functions } = await pythonReports(`import zlib
from concurrent.futures import ThreadPoolExecutor, as_completed

LOGS = [b"lane %d " % n * 200_000 for n in range(4)]


def compress_logs(i):
    with ThreadPoolExecutor(len(LOGS)) as pool:
        futures = [pool.submit(zlib.compress, log, 9) for log in LOGS]
        return sum(len(f.result()) for f in as_completed(futures)) + i
`);
    const report = fn(functions, 'compress_logs');
    assert.equal(report.verdict, 'dispatcher');
    assert.deepEqual({ task: report.dispatch?.task?.name, verdict: report.dispatch?.task?.verdict, suits: report.dispatch?.suits }, { task: 'zlib.compress', verdict: 'native', suits: true });
    assert.deepEqual({ verdict: measurableVerdict(report).verdict, recommendation: measurableVerdict(report).recommendation }, { verdict: 'trivial', recommendation: 'sequential' });
  });

  it('threading.Thread, joblib and a task the analysis cannot see', async () => {
    const { functions } = await pythonReports(`${CRUNCH}
import threading
from joblib import Parallel, delayed


def in_a_thread():
    t = threading.Thread(target=crunch, args=(1,))
    t.start()
    t.join()


def with_joblib(items):
    return Parallel(n_jobs=2)(delayed(crunch)(x) for x in items)


def unseen(work, items):
    with ProcessPoolExecutor() as pool:
        return list(pool.map(work, items))


def not_a_dispatcher(items):
    return list(map(crunch, items))
`);
    assert.deepEqual([fn(functions, 'in_a_thread').dispatch?.pool, fn(functions, 'in_a_thread').dispatch?.rule], ['thread', 'CL001']);
    assert.deepEqual([fn(functions, 'with_joblib').dispatch?.pool, fn(functions, 'with_joblib').dispatch?.task?.name], ['process', 'crunch']);
    const unseen = fn(functions, 'unseen');
    assert.equal(unseen.verdict, 'dispatcher');
    assert.equal(unseen.dispatch?.task, undefined);
    assert.equal(unseen.recommendation, 'processes', 'without a task: the pool it uses');
    assert.ok(unseen.confidence <= 0.4);
    assert.equal(verdictSummary(unseen), '$(server-process) runs its tasks in a process pool · tasks: not found, measure them · low confidence (40%)'.replace('40%', `${Math.round(unseen.confidence * 100)}%`));
    assert.notEqual(fn(functions, 'not_a_dispatcher').verdict, 'dispatcher');
  });

  it('TS/JS: a function that runs a CPU-bound worker script in a piscina pool, and one that sends I/O to a Worker (CL102)', () => {
    const main = `import Piscina from 'piscina';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';

const pool = new Piscina({ filename: path.join(__dirname, 'hash-worker.js') });

export async function hashAll(items: string[]): Promise<number[]> {
  return Promise.all(items.map((item) => pool.run(item)));
}

export function fetchInWorker(url: string): Promise<string> {
  return new Promise((resolve) => {
    const worker = new Worker(path.join(__dirname, 'fetch-worker.js'), { workerData: url });
    worker.on('message', resolve);
  });
}
`;
    const cpuWorker = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (n) => {
  let total = 0;
  for (let i = 0; i < 1000000; i++) { for (let j = 0; j < n; j++) total = (total * 31 + i * j) % 1000003; }
  parentPort.postMessage(total);
});
`;
    const ioWorker = `const { parentPort } = require('node:worker_threads');
const fs = require('node:fs/promises');
parentPort.on('message', async (file) => parentPort.postMessage(await fs.readFile(file, 'utf8')));
`;
    const report = analyzeScripts({ 'main.ts': main, 'hash-worker.js': cpuWorker, 'fetch-worker.js': ioWorker }).get('main.ts');
    assert.ok(report);
    const functions = new Map(report.functions.map((f) => [f.qualname, f]));
    const hashAll = scriptFn(functions, 'hashAll');
    assert.equal(hashAll.verdict, 'dispatcher');
    assert.deepEqual({ pool: hashAll.dispatch?.pool, task: hashAll.dispatch?.task?.name, verdict: hashAll.dispatch?.task?.verdict, suits: hashAll.dispatch?.suits }, { pool: 'worker_threads', task: 'hash-worker.js', verdict: 'cpu', suits: true });
    assert.equal(hashAll.recommendation, 'worker_threads');
    assert.equal(verdictSummary(hashAll), '$(server-process) runs its tasks in worker threads · tasks: CPU-bound ✓');
    const fetchInWorker = scriptFn(functions, 'fetchInWorker');
    assert.equal(fetchInWorker.verdict, 'dispatcher');
    assert.equal(fetchInWorker.dispatch?.line, lineOf(main, 'new Worker'));
    assert.equal(fetchInWorker.dispatch?.suits, false);
    assert.equal(fetchInWorker.dispatch?.rule, 'CL102');
    assert.equal(fetchInWorker.recommendation, 'async');
    assert.match(verdictSummary(fetchInWorker), /^\$\(server-process\) runs its tasks in worker threads · tasks: (I\/O-bound|async I\/O) → use async \(CL102\)$/);
  });
});

const PREDICTED: PredictedResult = { tasks: 8, cores: 2, seconds: { sequential: 0.4, threads: 0.41, processes: 0.21 }, best: 'processes', speedup: 1.9 };

function report(overrides: Partial<FunctionReport>): FunctionReport {
  return { name: 'work', qualname: 'work', line: 3, endLine: 9, async: false, verdict: 'cpu', recommendation: 'processes', confidence: 0.9, evidence: [{ line: 5, reason: 'for loop' }], ...overrides };
}

describe('verdict words: lens title, hover, Functions view', () => {
  it('the lens title says the predicted speedup when the prediction agrees with the recommendation', () => {
    assert.equal(verdictSummary(report({ predicted: PREDICTED })), '$(flame) CPU-bound · use processes ≈1.9× on 2 cores');
    assert.equal(verdictSummary(report({ predicted: { ...PREDICTED, best: 'threads' } })), '$(flame) CPU-bound · use processes', 'no speedup for another mode than the advice');
    assert.equal(verdictSummary(report({})), '$(flame) CPU-bound · use processes', 'no prediction (the TS/JS engine): as before');
    assert.equal(verdictSummary(report({ confidence: 0.45, predicted: PREDICTED })), '$(flame) CPU-bound · use processes ≈1.9× on 2 cores · low confidence (45%)');
  });

  it('no pool pays at an assumed size: the lens says how large it must be', () => {
    const small = { ...PREDICTED, best: 'sequential' as const, speedup: 1, breakEven: 'pays off above ~3,000 items (line 4: ~1,000 items assumed)' };
    assert.equal(verdictSummary(report({ predicted: small })), '$(flame) CPU-bound · too small: pays off above ~3,000 items');
    assert.equal(functionDescription(report({ predicted: small })), 'too small: pays off above ~3,000 items');
    assert.equal(predictedLine(report({ predicted: small })), 'Predicted: no pool pays at the sizes assumed (8 calls: sequential 400 ms · threads 410 ms · processes 210 ms); pays off above ~3,000 items (line 4: ~1,000 items assumed)');
    assert.equal(verdictSummary(report({ verdict: 'trivial', recommendation: 'sequential', predicted: { ...small, breakEven: undefined } })), '$(dash) too small to parallelize');
  });

  it('the hover has a Predicted line with each mode\'s time; the Functions view the speedup', () => {
    assert.equal(predictedLine(report({ predicted: PREDICTED })), 'Predicted: ≈1.9× in processes on 2 cores (8 calls: sequential 400 ms · threads 410 ms · processes 210 ms)');
    assert.equal(predictedLine(report({ predicted: { ...PREDICTED, seconds: { ...PREDICTED.seconds, asyncio: 0.05 } } }))?.endsWith('· asyncio 50.0 ms)'), true);
    assert.equal(predictedLine(report({})), undefined);
    assert.equal(functionDescription(report({ predicted: PREDICTED })), 'processes ≈1.9× on 2 cores');
    assert.equal(functionDescription(report({})), 'processes');
  });

  it('a dispatcher: its recommendation, confidence and prediction are its task\'s; the hover explains; `whole` keeps the rest', () => {
    const task = report({ qualname: 'crunch', predicted: PREDICTED, confidence: 0.85 });
    const waits = report({ qualname: 'score_all', verdict: 'io', recommendation: 'threads', confidence: 0.7, predicted: { ...PREDICTED, best: 'threads' } });
    const findings = [{ rule: 'CL001', line: 12, severity: 'warning' as const, message: '`crunch` is CPU work' }];
    const dispatcher = asDispatcher(waits, [{ line: 12, pool: 'thread', task: { name: 'crunch', report: task } }], findings);
    assert.equal(dispatcher.verdict, 'dispatcher');
    assert.equal(dispatcher.recommendation, 'processes');
    assert.equal(dispatcher.confidence, 0.85);
    assert.equal(dispatcher.predicted, PREDICTED);
    assert.deepEqual(dispatcher.dispatch, {
      pool: 'thread',
      line: 12,
      task: { name: 'crunch', verdict: 'cpu', recommendation: 'processes', confidence: 0.85 },
      suits: false,
      rule: 'CL001',
      whole: { verdict: 'io', recommendation: 'threads', confidence: 0.7 },
    });
    assert.deepEqual(measurableVerdict(dispatcher), { verdict: 'io', recommendation: 'threads', confidence: 0.7 });
    assert.deepEqual(measurableVerdict(task), { verdict: 'cpu', recommendation: 'processes', confidence: 0.85 });
    assert.equal(dispatchExplanation(dispatcher), 'Hands crunch to a thread pool (line 12) and waits for it. The task is CPU-bound: it wants processes, and a thread pool is threads (CL001 says so at line 12). As a whole it is I/O-bound (it waits on the pool): that is what a run of the function itself measures.');
    assert.equal(predictedLine(dispatcher), 'Predicted: ≈1.9× in processes on 2 cores (8 calls of its task crunch: sequential 400 ms · threads 410 ms · processes 210 ms)');
    assert.equal(functionDescription(dispatcher), 'in a thread pool · tasks want processes');
    assert.match(dispatcher.evidence[0]?.reason ?? '', /^hands `crunch` to a thread pool and waits: the task is cpu \(processes\), which does not suit it: use processes \(CL001\)$/);
    assert.equal(asDispatcher(waits, [], findings), waits, 'no site: the report as it was');
  });
});
