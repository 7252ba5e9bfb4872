import * as assert from 'node:assert/strict';
import type { Finding, InterpreterInfo } from '../../src/core/model';
import { forksByDefault } from '../../src/core/python/verdicts';
import { analyzeTree } from './helpers';

/** Findings of one module, as `RULE@line`. */
async function findingsOf(source: string, python: string | null = null): Promise<Finding[]> {
  const report = (await analyzeTree({ 'module.py': source }, { python })).get('module.py');
  assert.ok(report);
  return report.findings;
}
const ids = (findings: Finding[]): string[] => findings.map((f) => `${f.rule}@${f.line}`);

const HELPERS = `import asyncio, hashlib, json, multiprocessing, threading, time, urllib.request, zlib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.pool import ThreadPool

def crunch(n):
    total = 0
    for k in range(n):
        total += k * k % 7
    return total

def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read()

def digest(blob):
    return hashlib.sha256(blob).hexdigest()
`;
const lines = (source: string): number => source.split('\n').length - 1;
const at = (offset: number): number => lines(HELPERS) + offset;

describe('findings (CL001-CL007)', () => {
  it('CL001: CPU-bound GIL-holding work handed to threads, but not native work', async () => {
    const body = `
def run(items):
    with ThreadPoolExecutor(4) as pool:
        a = list(pool.map(crunch, items))
        b = pool.submit(digest, b"x" * 10_000_000)
    t = threading.Thread(target=crunch, args=(10,))
    p = ThreadPool(2)
    return a, b, t, p.map(crunch, items)
`;
    const found = await findingsOf(HELPERS + body);
    assert.deepEqual(ids(found), [`CL001@${at(4)}`, `CL001@${at(6)}`, `CL001@${at(8)}`]);
    assert.match(found[0]?.message ?? '', /`crunch` is CPU work that holds the GIL .*Use ProcessPoolExecutor/);
    assert.equal(found[0]?.severity, 'warning');
  });

  it('CL001 is not reported for native work that releases the GIL (threads are right for it)', async () => {
    const found = await findingsOf(`${HELPERS}
def run(items):
    with ThreadPoolExecutor() as pool:
        return list(pool.map(digest, items))
`);
    assert.deepEqual(ids(found), []);
  });

  it('CL002: I/O-bound work handed to processes', async () => {
    const found = await findingsOf(`${HELPERS}
def run(urls):
    with ProcessPoolExecutor() as pool:
        return list(pool.map(fetch, urls))

def run_cpu(ns):
    with ProcessPoolExecutor() as pool:
        return list(pool.map(crunch, ns))
`);
    assert.deepEqual(ids(found), [`CL002@${at(4)}`]);
    assert.match(found[0]?.message ?? '', /`fetch` waits on I\/O.*Use ThreadPoolExecutor/);
  });

  it('CL003: lambdas and nested functions handed to a process pool (not to threads)', async () => {
    const found = await findingsOf(`${HELPERS}
def run(ns):
    def local(n):
        return crunch(n)
    with ProcessPoolExecutor() as pool:
        a = list(pool.map(lambda n: n * n, ns))
        b = pool.submit(local, 3)
    p = multiprocessing.Process(target=local)
    with ThreadPoolExecutor() as threads:
        c = threads.submit(local, 3)
    return a, b, p, c
`);
    assert.deepEqual(ids(found).filter((id) => id.startsWith('CL003')), [`CL003@${at(6)}`, `CL003@${at(7)}`, `CL003@${at(8)}`]);
    assert.ok(found.every((f) => f.rule !== 'CL003' || f.severity === 'error'));
  });

  it('CL004: processes started at module level without a __main__ guard', async () => {
    const found = await findingsOf(`${HELPERS}
pool = ProcessPoolExecutor()
worker = multiprocessing.Process(target=crunch, args=(5,))
threads = ThreadPoolExecutor()

if __name__ == "__main__":
    with ProcessPoolExecutor() as guarded:
        guarded.map(crunch, range(4))
`);
    assert.deepEqual(ids(found), [`CL004@${at(2)}`, `CL004@${at(3)}`]);
  });

  it('CL005: blocking calls in async def, directly and through the functions it calls', async () => {
    const found = await findingsOf(`${HELPERS}
async def direct():
    time.sleep(1)
    await asyncio.sleep(1)

async def through():
    body = fetch("http://example.com")
    await asyncio.sleep(0)
    return body

async def fine(reader):
    await asyncio.sleep(1)
    return await reader.readline()

async def send(host, line):
    reader, writer = await asyncio.open_connection(host, 80)
    writer.write(line)
    await writer.drain()
    return await reader.readline()

async def retry(host):
    while True:
        try:
            return await send(host, b"ping")
        except OSError:
            await asyncio.sleep(1)
`);
    assert.deepEqual(ids(found), [`CL005@${at(3)}`, `CL005@${at(7)}`]);
    assert.match(found[1]?.message ?? '', /`urllib\.request\.urlopen` blocks the event loop in async def `through` through fetch → urllib\.request\.urlopen: HTTP request/);
    assert.deepEqual(found.map((f) => f.fix), [{ kind: 'await-asyncio-sleep', callee: 'time.sleep' }, { kind: 'await-to-thread', callee: 'fetch' }]);
    // `writer.write` is only guessed to block, and `send` is a coroutine with its own report: neither is flagged.
  });

  it('CL006: a pool created inside a loop', async () => {
    const found = await findingsOf(`${HELPERS}
def run(batches):
    out = []
    for batch in batches:
        with ThreadPoolExecutor(4) as pool:
            out.extend(pool.map(digest, batch))
    return out
`);
    assert.deepEqual(ids(found), [`CL006@${at(5)}`]);
  });

  it('CL007: CPU work forked into processes from a parent whose imports left a large heap, unless gc.freeze() or another start method', async () => {
    const heavy = `import pandas, sqlalchemy\n${HELPERS}`;
    const run = `
def build(n):
    return [{"k": k, "v": [k]} for k in range(n)]

def run(sizes):
    with ProcessPoolExecutor(2) as pool:
        return list(pool.map(build, sizes))
`;
    const offset = (source: string, k: number): number => lines(source) + k;
    const found = await findingsOf(heavy + run);
    if (process.platform === 'linux') {
      assert.deepEqual(ids(found), [`CL007@${offset(heavy, 7)}`]);
      assert.match(found[0]?.message ?? '', /forks its workers from a process that imported pandas, sqlalchemy \(~72,000 objects .*Call `gc\.freeze\(\)` just before the pool starts/);
      assert.equal(found[0]?.severity, 'information');
    } else {
      assert.deepEqual(ids(found), [], 'macOS and Windows spawn their workers');
    }
    const frozen = `import gc\n${heavy}${run.replace('    with ProcessPoolExecutor(2)', '    gc.freeze()\n    with ProcessPoolExecutor(2)')}`;
    assert.deepEqual(ids(await findingsOf(frozen)), [], 'gc.freeze() keeps the parent heap out of the workers\' collections');
    const spawned = `${heavy}${run.replace('ProcessPoolExecutor(2)', 'ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))')}`;
    assert.deepEqual(ids(await findingsOf(spawned)), [], 'spawned workers inherit nothing');
    assert.deepEqual(ids(await findingsOf(HELPERS + run)), [], 'a light parent: nothing much to walk');
    const native = `${heavy}
def run(blobs):
    with ProcessPoolExecutor(2) as pool:
        return list(pool.map(digest, blobs))
`;
    assert.ok(!ids(await findingsOf(native)).some((id) => id.startsWith('CL007')), 'only GIL-bound Python work, which builds objects');
  });

  it('CL007 follows the default start method: fork on Linux before Python 3.14, forkserver from 3.14', () => {
    const at = (version: string): InterpreterInfo => ({ path: '/usr/bin/python3', version, gilEnabled: true });
    const linux = process.platform === 'linux';
    assert.equal(forksByDefault(at('3.11.2')), linux);
    assert.equal(forksByDefault(at('3.13.1')), linux);
    assert.equal(forksByDefault(at('3.14.0')), false);
    assert.equal(forksByDefault(null), linux);
  });

  describe('a name rebound in the function: each use refers to the binding that reaches it', () => {
    it('`with … as pool` twice: the process pool\'s use is not CL001, the thread pool\'s is not CL002', async () => {
      const found = await findingsOf(`${HELPERS}
def run(ns, urls):
    with ProcessPoolExecutor() as pool:
        counts = list(pool.map(crunch, ns))
    with ThreadPoolExecutor() as pool:
        pages = list(pool.map(fetch, urls))
    return counts, pages

def run_again(ns, urls):
    with ThreadPoolExecutor() as pool:
        pages = list(pool.map(fetch, urls))
    with ProcessPoolExecutor() as pool:
        counts = list(pool.map(crunch, ns))
    with ThreadPoolExecutor() as pool:
        slow = list(pool.map(crunch, ns))
    return counts, pages, slow
`);
      assert.deepEqual(ids(found), [`CL001@${at(15)}`]);
    });

    it('`pool = …` reassigned', async () => {
      const found = await findingsOf(`${HELPERS}
def run(ns, urls):
    pool = ProcessPoolExecutor()
    counts = list(pool.map(crunch, ns))
    pool = ThreadPoolExecutor()
    pages = list(pool.map(fetch, urls))
    pool = ProcessPoolExecutor()
    more = list(pool.map(fetch, urls))
    return counts, pages, more
`);
      assert.deepEqual(ids(found), [`CL002@${at(8)}`]);
    });

    it('after if/else binding different pools, only when every reaching binding would', async () => {
      const found = await findingsOf(`${HELPERS}
def either(ns, cpu):
    if cpu:
        pool = ProcessPoolExecutor()
    else:
        pool = ThreadPoolExecutor()
    return list(pool.map(crunch, ns))

def both(ns, small):
    if small:
        pool = ThreadPoolExecutor(2)
    elif ns:
        pool = ThreadPool(4)
    else:
        pool = ThreadPoolExecutor(8)
    return list(pool.map(crunch, ns))

def returns_early(ns, cpu):
    if cpu:
        pool = ProcessPoolExecutor()
        return list(pool.map(crunch, ns))
    pool = ThreadPoolExecutor()
    return list(pool.map(crunch, ns))

def given_or_own(ns, pool=None):
    if pool is None:
        pool = ThreadPoolExecutor()
    return list(pool.map(crunch, ns))
`);
      // The caller's pool may be a process pool: `given_or_own` is not reported.
      assert.deepEqual(ids(found), [`CL001@${at(16)}`, `CL001@${at(23)}`]);
    });

    it('`Thread(target=s.run)` where `s` iterates a list of instances built in the function', async () => {
      const found = await findingsOf(`${HELPERS}
class Crunch:
    def __init__(self, n):
        self.n = n

    def run(self):
        total = 0
        for k in range(self.n):
            total += k * k % 7
        return total

def start_all(ns):
    workers = [Crunch(n) for n in ns]
    threads = []
    for s in workers:
        t = threading.Thread(target=s.run)
        t.start()
        threads.append(t)
    return threads

def start_listed(a, b):
    for s in [Crunch(a), Crunch(b)]:
        threading.Thread(target=s.run).start()
`);
      assert.deepEqual(ids(found), [`CL001@${at(16)}`, `CL001@${at(23)}`]);
      assert.match(found[0]?.message ?? '', /`Crunch\.run` is CPU work that holds the GIL .*Use multiprocessing\.Process/);
      assert.equal(found[0]?.fix, undefined, 'a bound method may not pickle: no quick fix');
    });
  });

  it('an ignore comment suppresses the named rules on its line (all rules when none is named)', async () => {
    const found = await findingsOf(`${HELPERS}
def run(items):
    with ThreadPoolExecutor(4) as pool:
        a = list(pool.map(crunch, items))  # concurrency-lens: ignore[CL001]
        b = list(pool.map(crunch, items))  # concurrency-lens: ignore[CL002]
        c = list(pool.map(crunch, items))  # concurrency-lens: ignore
    return a, b, c
`);
    assert.deepEqual(ids(found), [`CL001@${at(5)}`]);
  });

  it('correct use of every pool has no findings', async () => {
    const found = await findingsOf(`${HELPERS}
async def download(session, urls):
    return await asyncio.gather(*(session.get(u) for u in urls))

async def offload(path):
    return await asyncio.to_thread(fetch, path)

def main(urls, blobs, ns):
    with ThreadPoolExecutor(8) as io_pool:
        pages = list(io_pool.map(fetch, urls))
        digests = list(io_pool.map(digest, blobs))
    with ProcessPoolExecutor() as cpu_pool:
        counts = list(cpu_pool.map(crunch, ns))
    with multiprocessing.Pool(2) as pool:
        more = pool.map(crunch, ns)
    return pages, digests, counts, more

if __name__ == "__main__":
    main([], [], [])
`);
    assert.deepEqual(ids(found), []);
  });
});
