import * as assert from 'node:assert/strict';
import { factsOfSource } from '../../src/core/python/parse';
import type { FunctionFacts } from '../../src/core/python/facts';
import { PythonProgram, type ModuleEntry } from '../../src/core/python/program';
import { MAX_MEMOIZED_FUNCTIONS, Resolver, type Sym } from '../../src/core/python/resolve';
import { analyzeModule, fn, liveHeap } from './helpers';

describe('Resolver', () => {
  it('keeps the callee resolutions of a bounded number of functions, resolving the same after it forgets them', async () => {
    const count = 2 * MAX_MEMOIZED_FUNCTIONS + 10;
    const source = ['import time', ...Array.from({ length: count }, (_, k) => `def f${k}():\n    time.sleep(1)`)].join('\n');
    const program = new PythonProgram(null, null);
    const entry = program.setFile('/work/many.py', await factsOfSource(source));
    const resolver = new Resolver(program);
    const functions = entry.facts.functions;
    assert.equal(functions.length, count);
    for (const fn of functions) assert.deepEqual(resolver.resolveCallee('time.sleep', entry, fn), { kind: 'external', name: 'time.sleep', instance: false });
    assert.ok(resolver.memoizedFunctions <= 2 * MAX_MEMOIZED_FUNCTIONS, `${resolver.memoizedFunctions} functions memoized`);
    assert.deepEqual(resolver.resolveCallee('time.sleep', entry, functions[0]!), { kind: 'external', name: 'time.sleep', instance: false });
  });

  it("indexes for parameter typing only the calls of the file's own module functions, not every call of a plain name (`len(row)`)", async () => {
    const workers = Array.from({ length: 400 }, (_, k) => `def work_${k}(rows):\n${'    n = len(rows) + abs(n) + min(n, 3) + max(n, 4) + int(n) + round(n)\n'.repeat(8)}    return n`);
    const source = ['import random', 'def _score(rnd):\n    return rnd.random()', 'def scores(i):\n    rnd = random.Random(i)\n    return _score(rnd)', ...workers].join('\n');
    // The heap's own growth between two collections varies by tens of KB with what ran before in the process (a whole
    // unit tier): the least of three fresh programs is what the index holds (all of the 19,200 calls would be MBs).
    const heldByIndex = async (): Promise<number> => {
      const program = new PythonProgram(null, null);
      const resolver = new Resolver(program);
      const typed = (entry: ModuleEntry): Sym => resolver.resolveCallee('rnd.random', entry, entry.functions.get('_score') as FunctionFacts);
      // What the first resolution loads once (the knowledge base's tables) is not the index.
      typed(program.setFile('/work/small.py', await factsOfSource(source.split('\n').slice(0, 6).join('\n'))));
      const entry = program.setFile('/work/scores.py', await factsOfSource(source));
      const before = liveHeap();
      assert.deepEqual(typed(entry), { kind: 'external', name: 'random.Random.random', instance: false });
      return liveHeap() - before;
    };
    const held = Math.min(await heldByIndex(), await heldByIndex(), await heldByIndex());
    assert.ok(held < 400_000, `19,200 calls of built-ins: ${held} bytes held after typing one parameter`);
  });

  it("types a module function's parameter by what every call of it in the module passes: a name bound the same way (`_score(claim, rnd)` with `rnd = random.Random(i)`)", async () => {
    const reports = await analyzeModule(`import random
import requests

def _score(claim, rnd):
    return claim % 7 + rnd.random()

def _split(rnd, depth):
    if depth == 0:
        return [rnd.randint(0, 9)]
    return _split(rnd, depth - 1) + _split(rnd, depth - 1)

def _download(session, url):
    return session.get(url).content

def scores(i):
    rnd = random.Random(i)
    return [_score(claim, rnd) for claim in range(1_000_000)]

def rooms(i):
    rnd = random.Random(i)
    return _split(rnd, 12)

def pages(i):
    session = requests.Session()
    return [_download(session, f"http://localhost/{k}") for k in range(4)]

def _either(rng):
    return rng.random()

def mixed_a(i):
    rng = random.Random(i)
    return _either(rng)

def mixed_b(i):
    rng = object()
    return _either(rng)
`, { python: null });
    const reasons = (name: string): string => fn(reports, name).evidence.map((e) => e.reason).join('\n');
    assert.equal(fn(reports, 'scores').verdict, 'cpu', reasons('scores'));
    assert.doesNotMatch(reasons('scores'), /cannot tell what this calls/);
    assert.doesNotMatch(reasons('_split'), /rnd\.randint: cannot tell/, 'a recursive call passing its own parameter on does not hide the others');
    assert.equal(fn(reports, 'pages').verdict, 'io', reasons('pages'));
    // Callers that bind the name differently type nothing.
    assert.match(reasons('_either'), /rng\.random: cannot tell what this calls/);
  });

  it('a name rebound to a value made from its own (`card = card.filter(blur)`) denotes what that makes from its earlier binding; without one, what it denoted before', async () => {
    const reports = await analyzeModule(`from PIL import Image, ImageFilter
import hashlib

def render(i):
    total = 0
    for k in range(40):
        card = Image.new("RGB", (1_800, 750), (255, 255, 255))
        card = card.filter(ImageFilter.GaussianBlur(12))
        printable = card.resize((900, 375)).convert("L")
        total += printable.histogram()[0]
    return total

def digest(data):
    data = data.strip()
    return hashlib.sha256(data).hexdigest()
`, { python: null });
    const reasons = (name: string): string => fn(reports, name).evidence.map((e) => e.reason).join('\n');
    assert.doesNotMatch(reasons('render'), /cannot tell what this calls/);
    assert.equal(fn(reports, 'render').verdict, 'native', reasons('render'));
    assert.doesNotMatch(reasons('digest'), /cannot tell/, 'a parameter rebound to its own method is not a chain through itself');
  });

  it('an attribute set from a local name (`rnd = random.Random(i)`, then `self.rnd = rnd`) holds what the name was bound to', async () => {
    const reports = await analyzeModule(`import random

class Model:
    def __init__(self, i):
        rnd = random.Random(i)
        self.rnd = rnd
        self.seed = i

    def simulate(self, runs=1_000):
        total = 0.0
        for _ in range(runs):
            total += sum(self.rnd.random() for _ in range(1_000))
        return total
`, { python: null });
    const reasons = fn(reports, 'Model.simulate').evidence.map((e) => e.reason).join('\n');
    assert.doesNotMatch(reasons, /cannot tell what this calls/);
    assert.match(reasons, /self\.rnd\.random.*pseudo-random/);
    assert.equal(fn(reports, 'Model.simulate').verdict, 'cpu', reasons);
  });

  it("an item of a collection a scope binds to values made in place is typed by them: a mapping's value (`SWATCHES[name]` of `{name: rng.integers(…) for …}`), a list's item (`DOORS[k]` of `[Door(k) for …]`); a name rebound to anything else is not", async () => {
    const reports = await analyzeModule(`import numpy as np

CHARACTERS = ["knight", "archer", "mage"]
SWATCHES = {name: np.random.default_rng(n).integers(0, 256, (16, 16, 3), dtype=np.uint8) for n, name in enumerate(CHARACTERS)}


class Door:
    def __init__(self, k):
        self.k = k

    def swing(self):
        total = 0
        for step in range(2_000_000):
            total += step * self.k
        return total


DOORS = [Door(k) for k in range(4)]
OTHERS = [Door(k) for k in range(4)]
OTHERS = load()


def accent(i):
    return SWATCHES[CHARACTERS[i % 3]].reshape(-1, 3).mean(axis=0)


def swing(i):
    return DOORS[i % 4].swing()


def swing_other(i):
    return OTHERS[i % 4].swing()
`, { python: null });
    const reasons = (name: string): string => fn(reports, name).evidence.map((e) => e.reason).join('\n');
    assert.match(reasons('accent'), /SWATCHES\[\]\.reshape\(…\)\.mean: numpy/);
    assert.match(reasons('swing'), /DOORS\[\]\.swing: calls Door\.swing/);
    assert.equal(fn(reports, 'swing').verdict, 'cpu', reasons('swing'));
    assert.match(reasons('swing_other'), /OTHERS\[\]\.swing: cannot tell what this calls/);
  });

  it("a subscript of a library's attribute is an item of what it gives: `frame.loc[rows]` of a DataFrame is a frame (its methods pandas'), of at most the frame's rows", async () => {
    const reports = await analyzeModule(`import pandas as pd


def occupancy(i):
    stays = pd.DataFrame({"site": list(range(90_000)), "nights": list(range(90_000))})
    nights = stays.loc[stays.index.repeat(stays["nights"])].copy()
    return nights.groupby("site").size().max()
`, { python: null });
    const reasons = fn(reports, 'occupancy').evidence.map((e) => e.reason).join('\n');
    assert.doesNotMatch(reasons, /cannot tell what this calls/, reasons);
    assert.match(reasons, /nights\.groupby: vectorized pandas/);
  });

  it("types a module function's parameter by the call every caller passes it (`_trace(random.Random(i), n)`: a random generator), as by a name bound to that call", async () => {
    const reports = await analyzeModule(`import requests


def _fetch(session, n):
    return [session.get(f"https://example.org/{k}", timeout=10).status_code for k in range(n)]


def by_call(i):
    return _fetch(requests.Session(), 20)


def again(i):
    return _fetch(requests.Session(), 5)
`, { python: null });
    const reasons = fn(reports, '_fetch').evidence.map((e) => e.reason).join('\n');
    assert.match(reasons, /session\.get \(in a loop\): HTTP request/, reasons);
    assert.equal(fn(reports, '_fetch').verdict, 'io', reasons);
  });

  it("types a module function's parameter by what a pool or an executor passes it (`pool.submit(_notify, session, b)`, `loop.run_in_executor(None, _notify, session, b)`), as a call of it would", async () => {
    const reports = await analyzeModule(`import asyncio
from concurrent.futures import ThreadPoolExecutor

import requests


def _notify(session, broadcaster):
    return session.post(f"https://example.org/{broadcaster}/notices", timeout=10).status_code


async def notify_async(i):
    loop = asyncio.get_running_loop()
    session = requests.Session()
    return await asyncio.gather(*(loop.run_in_executor(None, _notify, session, b) for b in ("bbc", "itv")))


def notify_pooled(i):
    session = requests.Session()
    with ThreadPoolExecutor(4) as pool:
        return [f.result() for f in [pool.submit(_notify, session, b) for b in ("bbc", "itv")]]
`, { python: null });
    const reasons = fn(reports, '_notify').evidence.map((e) => e.reason).join('\n');
    assert.match(reasons, /session\.post: HTTP request/, reasons);
    assert.equal(fn(reports, '_notify').verdict, 'io', reasons);
    const handed = fn(reports, 'notify_async').evidence.map((e) => e.reason);
    assert.ok(handed.some((r) => /_notify runs in the loop's executor, e\.g\. session\.post: HTTP request/.test(r)), handed.join('\n'));
    assert.ok(!handed.some((r) => /waits on the network.*\(holding the GIL\)/.test(r)), 'the task\'s GIL-holding share does not cite its wait');
  });
});
