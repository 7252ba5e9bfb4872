import * as assert from 'node:assert/strict';
import type { CallFact } from '../../src/core/python/facts';
import { factsOfSource } from '../../src/core/python/parse';

const SOURCE = `import requests, os.path as osp
from concurrent.futures import ThreadPoolExecutor as TPE
from . import utils
from ..pkg.mod import (a as b,
    c)
from helpers import *

square = lambda x: x * x

class Downloader(Base):
    def __init__(self):
        self.session = requests.Session()

    def fetch(self, url: str, timeout=3, *args, **kw):
        with open(url) as f:
            data = f.read()
        for u in self.urls():
            for part in u:
                total += len(part) * 2
        return [x * x for x in range(10)]

    async def poll(self):
        await asyncio.sleep(1)
        def inner():
            return helper()
        return inner
`;

describe('fact extraction', () => {
  it('finds functions, methods, nested functions and named lambdas with Python qualnames', async () => {
    const facts = await factsOfSource(SOURCE);
    assert.deepEqual(
      facts.functions.map((f) => [f.qualname, f.line, f.endLine, f.async]),
      [
        ['square', 8, 8, false],
        ['Downloader.__init__', 11, 12, false],
        ['Downloader.fetch', 14, 20, false],
        ['Downloader.poll', 22, 26, true],
        ['Downloader.poll.<locals>.inner', 24, 25, false],
      ],
    );
    const fetch = facts.functions[2];
    assert.deepEqual(fetch?.params, ['self', 'url', 'timeout=', '*args', '**kw']);
    assert.equal(fetch?.className, 'Downloader');
  });

  it('records calls with their loop depth, awaits, loops, arithmetic and local bindings', async () => {
    const facts = await factsOfSource(SOURCE);
    const fetch = facts.functions.find((f) => f.name === 'fetch');
    assert.ok(fetch);
    const depths = Object.fromEntries(fetch.calls.map((c) => [c.callee, c.loopDepth ?? 0]));
    assert.equal(depths['open'], 0);
    const open = fetch.calls.find((c) => c.callee === 'open');
    assert.deepEqual(open && ['loopDepth' in open, 'awaited' in open], [false, false], 'defaults are left out of a call\'s facts');
    assert.equal(depths['self.urls'], 0, 'the iterable of a for loop runs once');
    assert.equal(depths['len'], 2);
    assert.deepEqual(fetch.loops.map((l) => [l.kind, l.depth]), [['for', 0], ['for', 1], ['comprehension', 0]]);
    assert.equal(fetch.arithmeticInLoops, 3);
    assert.equal(fetch.locals['f'], 'open()');
    assert.equal(fetch.locals['data'], 'f.read()');
    assert.equal(fetch.locals['url'], 'str()');
    const poll = facts.functions.find((f) => f.name === 'poll');
    assert.equal(poll?.calls[0]?.awaited, true);
    assert.deepEqual(facts.classes[0]?.attributes, { session: 'requests.Session()' });
  });

  it('a comprehension\'s first iterable is evaluated once, before it runs; a later clause\'s iterable and its body run per item', async () => {
    const facts = await factsOfSource(
      ['def clusters(graph, rows):', '    big = [c for c in components(graph) if len(c) > 1]', '    cells = [cell for row in read(rows) for cell in split(row)]', '    return big, cells', ''].join('\n'),
    );
    const f = facts.functions.find((fn) => fn.qualname === 'clusters');
    const depth = (callee: string): number | undefined => {
      const call = f?.calls.find((c) => c.callee === callee);
      return call && (call.loopDepth ?? 0);
    };
    assert.deepEqual([depth('components'), depth('len'), depth('read'), depth('split')], [0, 1, 0, 1]);
    assert.equal(f?.calls.find((call) => call.callee === 'components')?.loop, undefined);
  });

  it('names the program a child process runs (a string literal, a literal list\'s head) and the calls a gather awaits together', async () => {
    const facts = await factsOfSource(
      [
        'import asyncio, subprocess',
        'async def digest(path):',
        '    process = await asyncio.create_subprocess_exec("sha1sum", path)',
        '    return await process.communicate()',
        'async def manifest(paths):',
        '    subprocess.run(["gzip", "-c", paths[0]], check=True)',
        '    subprocess.run(COMMAND, check=True)',
        '    return await asyncio.gather(*(digest(p) for p in paths), digest(paths[0]))',
        '',
      ].join('\n'),
    );
    const calls = (name: string) => facts.functions.find((f) => f.name === name)?.calls ?? [];
    assert.equal(calls('digest').find((c) => c.callee === 'asyncio.create_subprocess_exec')?.program, 'sha1sum');
    const runs = calls('manifest').filter((c) => c.callee === 'subprocess.run');
    assert.deepEqual(runs.map((c) => c.program), ['gzip', undefined]);
    const digests = calls('manifest').filter((c) => c.callee === 'digest');
    assert.deepEqual(digests.map((c) => c.gathered), [true, true]);
    assert.equal(calls('manifest').find((c) => c.callee === 'asyncio.gather')?.gathered, undefined);
  });

  it('reads a call through a name bound to `functools.partial(f, …)` as a call of `f`: the partial\'s positional arguments first, its keywords unless the call gives them again', async () => {
    const facts = await factsOfSource(
      [
        'import functools',
        'from functools import partial',
        'from scipy.optimize import curve_fit',
        'SIMULATE = functools.partial(_simulate, 5000)',
        'def fit(x, y):',
        '    model = partial(curve_fit, _curve, x, y, maxfev=800)',
        '    params, _ = model(p0=[0.5], maxfev=50)',
        '    return params',
        'def run(i):',
        '    return SIMULATE(i, steps=20)',
        'def rebound(x):',
        '    model = partial(curve_fit, _curve, x)',
        '    model = make_model()',
        '    return model(x)',
      ].join('\n'),
    );
    const calls = (name: string): CallFact[] => facts.functions.find((f) => f.name === name)?.calls ?? [];
    const fitted = calls('fit').find((c) => c.line === 7);
    assert.deepEqual([fitted?.callee, fitted?.firstArgName, fitted?.argNames, fitted?.argumentSizes], ['curve_fit', '_curve', ['_curve', 'x', 'y'], { args: [], keywords: { p0: { seq: { n: 1 }, unit: 'items' }, maxfev: { n: 50 } } }]);
    const simulated = calls('run').find((c) => c.line === 10);
    assert.deepEqual([simulated?.callee, simulated?.argNames, simulated?.argumentSizes], ['_simulate', [null, 'i'], { args: [{ n: 5000 }], keywords: { steps: { n: 20 } } }]);
    assert.equal(calls('rebound').find((c) => c.line === 14)?.callee, 'model');
  });

  it('parses every import form', async () => {
    const facts = await factsOfSource(SOURCE);
    assert.deepEqual(facts.imports, [
      { local: 'requests', target: 'requests' },
      { local: 'osp', target: 'os.path' },
      { local: 'TPE', target: 'concurrent.futures.ThreadPoolExecutor' },
      { local: 'utils', target: '.utils' },
      { local: 'b', target: '..pkg.mod.a' },
      { local: 'c', target: '..pkg.mod.c' },
      { local: '*', target: 'helpers', star: true },
    ]);
  });

  it('keeps analyzing around syntax errors and reports their lines', async () => {
    const facts = await factsOfSource('def ok():\n    pass\n\ndef broken(:\n    pass\n\ndef after():\n    for i in x:\n        pass\n');
    assert.ok(facts.syntaxErrors.length > 0);
    assert.equal(facts.syntaxErrors[0]?.line, 4);
    const names = facts.functions.map((f) => f.name);
    assert.ok(names.includes('ok') && names.includes('after'), `functions around the error: ${names.join(', ')}`);
  });

  it('does not confuse Python names with JavaScript object members', async () => {
    const facts = await factsOfSource('def constructor():\n    toString = __proto__()\n    return hasOwnProperty.valueOf()\n');
    assert.equal(facts.functions[0]?.name, 'constructor');
  });
});
