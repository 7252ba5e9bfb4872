import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport } from '../../src/core/model';
import { AnalysisHostClient } from '../../src/core/host/client';
import type { Worker } from 'node:worker_threads';
import type { HostEvent, HostMessage, UpdateReply } from '../../src/core/host/protocol';
import { PYTHON_HOST, tempTree } from './helpers';

const WORK = 'def crunch(n):\n    total = 0\n    for i in range(n):\n        total += i * i % 7\n    return total\n';
const CALLER = 'from work import crunch\n\ndef run(n):\n    return crunch(n)\n';

/** Runs a pass and collects the reports it sends. */
async function pass(host: AnalysisHostClient): Promise<Map<string, FileReport>> {
  const sent = new Map<string, FileReport>();
  const summary = await host.call({ kind: 'pass' }, (event: HostEvent) => {
    if (event.kind === 'reports') for (const report of event.reports) sent.set(path.basename(report.path), report);
  });
  assert.ok(summary, 'the pass completed');
  return sent;
}

describe('the analysis host (a worker thread)', () => {
  let root: string;
  let host: AnalysisHostClient;
  const file = (name: string): string => path.join(root, name);
  /** Indexes the tree once, for whichever test runs first (each may run alone with --grep); the progress it reported. */
  let indexing: Promise<number[]> | undefined;
  const indexed = (): Promise<number[]> =>
    (indexing ??= (async () => {
      const progress: number[] = [];
      await host.call({ kind: 'index', files: ['work.py', 'caller.py', 'mistake.py'].map(file) }, (event) => {
        if (event.kind === 'progress') progress.push(event.done);
      });
      return progress;
    })());

  let startedBetween: { from: number; to: number };

  before(async () => {
    root = tempTree({ 'work.py': WORK, 'caller.py': CALLER, 'mistake.py': 'import time\n\nasync def tick():\n    time.sleep(1)\n' });
    const from = Date.now();
    host = await AnalysisHostClient.start({ python: null, followLibraries: false }, PYTHON_HOST);
    startedBetween = { from, to: Date.now() };
  });

  after(async () => {
    await host.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('indexes files with progress, then a pass sends every report once and only changes after', async () => {
    assert.deepEqual(await indexed(), [1, 2, 3]);
    const first = await pass(host);
    assert.deepEqual([...first.keys()].sort(), ['caller.py', 'mistake.py', 'work.py']);
    assert.equal(first.get('caller.py')?.functions[0]?.verdict, 'cpu', 'calls into another module are followed');
    assert.equal((await pass(host)).size, 0, 'nothing changed: nothing sent');
  });

  it('an open document wins over the disk, edit by edit, and its dependents follow on the next pass', async () => {
    await indexed();
    const text = WORK.replace('    total = 0\n    for i in range(n):\n        total += i * i % 7\n', '    import time\n    time.sleep(n)\n    total = 0\n');
    const report = await host.call({ kind: 'update', file: file('work.py'), text });
    assert.equal(report.functions[0]?.verdict, 'io');
    // One more edit, sent incrementally: `n` becomes `n + 1` in the sleep.
    const at = text.indexOf('time.sleep(n)') + 'time.sleep(n'.length;
    const line = text.slice(0, at).split('\n').length - 1;
    const character = at - text.lastIndexOf('\n', at - 1) - 1;
    const edited = `${text.slice(0, at)} + 1${text.slice(at)}`;
    const range = { start: { line, character }, end: { line, character } };
    const incremental = await host.call({ kind: 'update', file: file('work.py'), text: edited, changes: [{ rangeOffset: at, rangeLength: 0, text: ' + 1', range }] });
    assert.deepEqual(incremental.functions, (await host.call({ kind: 'report', file: file('work.py') })).functions);
    const sent = await pass(host);
    assert.equal(sent.get('caller.py')?.functions[0]?.verdict, 'io', 'the caller is re-decided');
    const closed = await host.call({ kind: 'close', file: file('work.py') });
    assert.equal(closed?.functions[0]?.verdict, 'cpu', 'closing goes back to the file on disk');
  });

  it('replies to an update after the first with the functions that changed, and the client rebuilds the whole report', async () => {
    const replies: unknown[] = [];
    const worker = (host as unknown as { worker: Worker }).worker;
    const listen = (message: HostMessage): void => {
      if (message.kind === 'reply') replies.push(message.result);
    };
    worker.on('message', listen);
    try {
      const edited = file('edited.py');
      const module = (wait: string, added = ''): string => `${WORK}\ndef wait(n):\n${wait}\n${added}\ndef twice(n):\n    return crunch(n) + crunch(n)\n`;
      const steps = [
        module('    import time\n    time.sleep(n)\n'),
        module('    squares = [i * i for i in range(n)]\n    return squares\n'),
        module('    squares = [i * i for i in range(n)]\n    return squares\n', 'def added(n):\n    import time\n    time.sleep(n)\n'),
        module('    squares = [i * i for i in range(n)\n    return squares\n'),
      ];
      for (const text of steps) {
        replies.length = 0;
        const report = await host.call({ kind: 'update', file: edited, text });
        const [sent] = replies as UpdateReply[];
        assert.deepEqual(report, await host.call({ kind: 'report', file: edited }));
        if (text === steps[1]) {
          assert.ok(sent && 'kind' in sent, 'a change, not the whole report');
          assert.deepEqual(sent.functions.map((fn) => (typeof fn === 'number' ? fn : fn.qualname)), [0, 'wait', 2], 'the functions not edited are sent as their index');
        }
      }
      await host.call({ kind: 'close', file: edited });
      replies.length = 0;
      assert.deepEqual(await host.call({ kind: 'update', file: edited, text: steps[0] as string }), await host.call({ kind: 'report', file: edited }));
      assert.ok(!('kind' in (replies[0] as UpdateReply)), 'after a close, the whole report again');
    } finally {
      worker.off('message', listen);
      await host.call({ kind: 'close', file: file('edited.py') });
    }
  });

  it('computes quick fixes, and answers requests while a pass runs', async () => {
    await indexed();
    const source = fs.readFileSync(file('mistake.py'), 'utf8');
    const [finding] = (await host.call({ kind: 'report', file: file('mistake.py') })).findings;
    assert.equal(finding?.rule, 'CL005');
    const running = host.call({ kind: 'pass' });
    const fix = await host.call({ kind: 'quickFix', text: source, finding });
    assert.equal(fix?.title, 'Use await asyncio.sleep(...)');
    assert.ok(await running);
  });

  it('a newer pass cancels the one running', async () => {
    // Enough files for a pass to span several slices, so the second request arrives during the first.
    const many: Record<string, string> = {};
    for (let k = 0; k < 400; k++) many[`m${k}.py`] = `from work import crunch\n\ndef f${k}(n):\n    return [crunch(i) for i in range(n)]\n`;
    const extra = tempTree(many);
    await host.call({ kind: 'index', files: Object.keys(many).map((name) => path.join(extra, name)) });
    const [older, newer] = await Promise.all([host.call({ kind: 'pass' }), host.call({ kind: 'pass' })]);
    fs.rmSync(extra, { recursive: true, force: true });
    assert.equal(older, null);
    assert.ok(newer);
  });

  it('says when its start loaded its script and readied its analyzer (the log\'s timeline of a window\'s start)', () => {
    const { loadedAt, readyAt } = host.startup;
    assert.ok(startedBetween.from <= loadedAt && loadedAt <= readyAt && readyAt <= startedBetween.to, JSON.stringify({ startedBetween, loadedAt, readyAt }));
  });

  it('goes on without an interpreter that cannot run, and says why', async () => {
    const other = await AnalysisHostClient.start({ python: path.join(root, 'no-such-python'), followLibraries: true }, PYTHON_HOST);
    try {
      assert.equal(other.interpreter, null);
      assert.match(other.warning ?? '', /no-such-python/);
    } finally {
      await other.dispose();
    }
    await assert.rejects(other.call({ kind: 'report', file: file('work.py') }), /stopped/);
  });
});

describe('an analysis host at its memory limit', () => {
  it('is ended, and its pending and later requests fail saying so (no hang)', async () => {
    // A stand-in host that keeps everything it allocates once asked anything.
    const root = tempTree({
      'greedy.js': "const { parentPort } = require('node:worker_threads');\n"
        + "parentPort.postMessage({ kind: 'started', interpreter: null, startup: { loadedAt: 0, readyAt: 0 } });\n"
        + 'parentPort.on(\'message\', () => { const kept = []; for (;;) kept.push(new Array(100000).fill(kept.length)); });\n',
    });
    try {
      const host = await AnalysisHostClient.start({ python: null, followLibraries: false }, path.join(root, 'greedy.js'), { maxOldGenerationSizeMb: 32 });
      const outOfMemory = /the analysis host failed: out of memory \(the limit: 32 MB of JavaScript heap\)/;
      await assert.rejects(host.call({ kind: 'pass' }), outOfMemory);
      await assert.rejects(host.call({ kind: 'report', file: 'x.py' }), outOfMemory);
      await host.dispose();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
