import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, ignoreComment } from '../../src/core/edits';
import { quickFix } from '../../src/core/python/fixes';
import { FactsParser } from '../../src/core/python/parse';
import { analyzeScriptFiles } from '../../src/core/typescript/index';
import { analyzeTree, tempTree } from './helpers';

/** Analyzes `source`, applies the quick fix of its first `rule` finding, and returns the new text. */
async function fix(source: string, rule: string): Promise<{ title: string; text: string; remaining: string[] }> {
  const report = (await analyzeTree({ 'module.py': source })).get('module.py');
  const finding = report?.findings.find((f) => f.rule === rule);
  assert.ok(finding, `no ${rule} finding in:\n${source}\nfound: ${JSON.stringify(report?.findings)}`);
  const parser = await FactsParser.create();
  try {
    const fixed = quickFix(parser, source, finding);
    assert.ok(fixed, `no quick fix for ${JSON.stringify(finding)}`);
    const text = applyEdits(source, fixed.edits);
    const after = (await analyzeTree({ 'module.py': text })).get('module.py');
    return { title: fixed.title, text, remaining: (after?.findings ?? []).map((f) => f.rule) };
  } finally {
    parser.dispose();
  }
}

async function hasNoFix(source: string, rule: string): Promise<void> {
  const report = (await analyzeTree({ 'module.py': source })).get('module.py');
  const finding = report?.findings.find((f) => f.rule === rule);
  assert.ok(finding, `no ${rule} finding`);
  const parser = await FactsParser.create();
  try {
    assert.equal(quickFix(parser, source, finding), null);
  } finally {
    parser.dispose();
  }
}

const CRUNCH = `
def crunch(n):
    total = 0
    for k in range(n):
        total += k * k % 7
    return total
`;
const FETCH = `
def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read()
`;

describe('quick fixes', () => {
  it('CL001: a ThreadPoolExecutor bound by `with` becomes a ProcessPoolExecutor, import renamed', async () => {
    const { title, text, remaining } = await fix(`from concurrent.futures import ThreadPoolExecutor
${CRUNCH}
def run(items):
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(crunch, items))
`, 'CL001');
    assert.equal(title, 'Use ProcessPoolExecutor instead of ThreadPoolExecutor');
    assert.equal(text, `from concurrent.futures import ProcessPoolExecutor
${CRUNCH}
def run(items):
    with ProcessPoolExecutor(4) as pool:
        return list(pool.map(crunch, items))
`);
    assert.deepEqual(remaining, []);
  });

  it('CL001: keeps ThreadPoolExecutor imported when it is still used elsewhere', async () => {
    const { text } = await fix(`import urllib.request
from concurrent.futures import ThreadPoolExecutor
${CRUNCH}${FETCH}
def run(items):
    pool = ThreadPoolExecutor()
    futures = [pool.submit(crunch, n) for n in items]
    with ThreadPoolExecutor() as io:
        pages = list(io.map(fetch, items))
    return futures, pages
`, 'CL001');
    assert.match(text, /^from concurrent\.futures import ThreadPoolExecutor, ProcessPoolExecutor$/m);
    assert.match(text, /pool = ProcessPoolExecutor\(\)/);
    assert.match(text, /with ThreadPoolExecutor\(\) as io:/);
  });

  it('CL001: a qualified pool is renamed in place; threading.Thread becomes multiprocessing.Process with its import', async () => {
    const executor = await fix(`import concurrent.futures as cf
${CRUNCH}
def run(items):
    with cf.ThreadPoolExecutor() as pool:
        return list(pool.map(crunch, items))
`, 'CL001');
    assert.match(executor.text, /with cf\.ProcessPoolExecutor\(\) as pool:/);
    const thread = await fix(`import threading
${CRUNCH}
def run():
    worker = threading.Thread(target=crunch, args=(10_000_000,))
    worker.start()
    worker.join()
`, 'CL001');
    assert.match(thread.text, /^import multiprocessing\nimport threading\n/);
    assert.match(thread.text, /worker = multiprocessing\.Process\(target=crunch, args=\(10_000_000,\)\)/);
  });

  it('CL001: ThreadPool from multiprocessing.pool becomes multiprocessing.Pool', async () => {
    const { text } = await fix(`from multiprocessing.pool import ThreadPool
${CRUNCH}
def run(items):
    with ThreadPool(2) as pool:
        return pool.map(crunch, items)
`, 'CL001');
    assert.match(text, /^from multiprocessing import Pool$/m);
    assert.match(text, /with Pool\(2\) as pool:/);
    assert.doesNotMatch(text, /ThreadPool/);
  });

  it('CL001: the pool swapped is the one bound where the task is handed over (the name is rebound later)', async () => {
    const { text, remaining } = await fix(`from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
${CRUNCH}
def run(items):
    with ThreadPoolExecutor() as pool:
        a = list(pool.map(crunch, items))
    with ProcessPoolExecutor() as pool:
        b = list(pool.map(crunch, items))
    return a, b
`, 'CL001');
    assert.match(text, /^from concurrent\.futures import ProcessPoolExecutor\n/);
    assert.equal((text.match(/with ProcessPoolExecutor\(\) as pool:/g) ?? []).length, 2);
    assert.deepEqual(remaining, []);
  });

  it('CL001: no fix when if/else bind the pool twice (swapping one branch would not fix it)', async () => {
    await hasNoFix(`from concurrent.futures import ThreadPoolExecutor
${CRUNCH}
def run(items, small):
    if small:
        pool = ThreadPoolExecutor(2)
    else:
        pool = ThreadPoolExecutor(8)
    return list(pool.map(crunch, items))
`, 'CL001');
  });

  it('CL001: no fix for a method target (it may not pickle) or a pool kept on self', async () => {
    await hasNoFix(`from concurrent.futures import ThreadPoolExecutor

class Job:
    def crunch(self, n):
        total = 0
        for k in range(n):
            total += k * k % 7
        return total

    def run(self, items):
        with ThreadPoolExecutor() as pool:
            return list(pool.map(self.crunch, items))
`, 'CL001');
  });

  it('CL002: ProcessPoolExecutor, multiprocessing.Pool and Process go to their thread counterparts', async () => {
    const executor = await fix(`import urllib.request
from concurrent.futures import ProcessPoolExecutor, as_completed
${FETCH}
def run(urls):
    with ProcessPoolExecutor() as pool:
        return [f.result() for f in as_completed([pool.submit(fetch, u) for u in urls])]
`, 'CL002');
    assert.match(executor.text, /^from concurrent\.futures import ThreadPoolExecutor, as_completed$/m);
    assert.deepEqual(executor.remaining, []);
    const pool = await fix(`import urllib.request
from multiprocessing import Pool, cpu_count
${FETCH}
def run(urls):
    with Pool(cpu_count()) as pool:
        return pool.map(fetch, urls)
`, 'CL002');
    assert.match(pool.text, /^from multiprocessing import cpu_count\nfrom multiprocessing\.pool import ThreadPool$/m);
    assert.match(pool.text, /with ThreadPool\(cpu_count\(\)\) as pool:/);
    const process = await fix(`import multiprocessing, urllib.request
${FETCH}
def run(url):
    p = multiprocessing.Process(target=fetch, args=(url,))
    p.start()
`, 'CL002');
    assert.match(process.text, /^import threading\nimport multiprocessing, urllib\.request$/m);
    assert.match(process.text, /p = threading\.Thread\(target=fetch, args=\(url,\)\)/);
  });

  it('CL004: wraps the module-level run in a __main__ guard, not the definitions after it', async () => {
    const { title, text, remaining } = await fix(`from concurrent.futures import ProcessPoolExecutor
${CRUNCH}
pool = ProcessPoolExecutor()
# crunch a few
results = list(pool.map(crunch, [10, 20]))
print("""totals:
%s""" % results)

def later():
    return 1
`, 'CL004');
    assert.equal(title, 'Wrap in if __name__ == "__main__":');
    assert.equal(text, `from concurrent.futures import ProcessPoolExecutor
${CRUNCH}
if __name__ == "__main__":
    pool = ProcessPoolExecutor()
    # crunch a few
    results = list(pool.map(crunch, [10, 20]))
    print("""totals:
%s""" % results)

def later():
    return 1
`);
    assert.deepEqual(remaining, []);
  });

  it('CL007: gc.freeze() before the statement that makes the pool, importing gc; then the finding is gone', async function () {
    if (process.platform !== 'linux') this.skip(); // CL007 is about forked workers: Linux's default before Python 3.14
    const { title, text, remaining } = await fix(`import pandas
from concurrent.futures import ProcessPoolExecutor
${CRUNCH}
def run(items):
    with ProcessPoolExecutor(2) as pool:
        return list(pool.map(crunch, items))
`, 'CL007');
    assert.equal(title, 'Call gc.freeze() before the pool starts');
    assert.equal(text, `import gc
import pandas
from concurrent.futures import ProcessPoolExecutor
${CRUNCH}
def run(items):
    gc.freeze()
    with ProcessPoolExecutor(2) as pool:
        return list(pool.map(crunch, items))
`);
    assert.deepEqual(remaining, []);
    const assigned = await fix(`import gc as collector
import pandas, multiprocessing
${CRUNCH}
def run(items):
    if items:
        pool = multiprocessing.Pool(2)
        return pool.map(crunch, items)
`, 'CL007');
    assert.match(assigned.text, /\n    if items:\n        collector\.freeze\(\)\n        pool = multiprocessing\.Pool\(2\)\n/);
    assert.ok(!assigned.text.includes('import gc\n'), 'gc is imported already, under its alias');
  });

  it('CL005: time.sleep becomes await asyncio.sleep, importing asyncio', async () => {
    const { text, remaining } = await fix(`"""Doc."""
import time

async def tick():
    time.sleep(0.5)
`, 'CL005');
    assert.equal(text, `"""Doc."""
import asyncio
import time

async def tick():
    await asyncio.sleep(0.5)
`);
    assert.deepEqual(remaining, []);
  });

  it('CL005: a blocking call (direct or through a helper) runs in a thread; parenthesized before an attribute', async () => {
    const { text, remaining } = await fix(`import asyncio as aio
import requests

def load(path):
    with open(path) as f:
        return f.read()

async def handler(url, path):
    body = requests.get(url, timeout=5).json()
    data = load(path)
    await aio.sleep(0)
    return body, data
`, 'CL005');
    assert.match(text, /body = \(await aio\.to_thread\(requests\.get, url, timeout=5\)\)\.json\(\)/);
    assert.deepEqual(remaining, ['CL005']);
    const second = await fix(text, 'CL005');
    assert.match(second.text, /data = await aio\.to_thread\(load, path\)/);
    assert.deepEqual(second.remaining, []);
  });
});

describe('ignore comments', () => {
  const SOURCE = 'import time\n\nasync def tick():\n    time.sleep(1)   \n    return 1\n';

  it('appends an ignore comment to the line, which then suppresses the finding', async () => {
    const edit = ignoreComment(SOURCE, 4, 'CL005');
    assert.ok(edit);
    const text = applyEdits(SOURCE, [edit]);
    assert.equal(text.split('\n')[3], '    time.sleep(1)  # concurrency-lens: ignore[CL005]');
    const report = (await analyzeTree({ 'module.py': text })).get('module.py');
    assert.deepEqual(report?.findings, []);
  });

  it('adds the rule to an existing list, and does nothing when the line already ignores it', () => {
    const listed = 'pool.map(f, xs)  # concurrency-lens: ignore[CL006]\n';
    const edit = ignoreComment(listed, 1, 'CL001');
    assert.ok(edit);
    assert.equal(applyEdits(listed, [edit]), 'pool.map(f, xs)  # concurrency-lens: ignore[CL006, CL001]\n');
    assert.equal(ignoreComment(listed, 1, 'CL006'), null);
    assert.equal(ignoreComment('x()  # concurrency-lens: ignore\n', 1, 'CL001'), null);
  });

  it('writes a // comment in TS/JS, which the TS/JS analyzer honours', () => {
    const source = "import { readFileSync } from 'node:fs';\nexport async function load(p: string) {\n  return readFileSync(p, 'utf8');\n}\n";
    const edit = ignoreComment(source, 3, 'CL101', '//');
    assert.ok(edit);
    const text = applyEdits(source, [edit]);
    assert.equal(text.split('\n')[2], "  return readFileSync(p, 'utf8');  // concurrency-lens: ignore[CL101]");
    assert.equal(ignoreComment(text, 3, 'CL101', '//'), null);
    const dir = tempTree({ 'load.ts': source, 'ignored.ts': text });
    try {
      const [ignored, flagged] = analyzeScriptFiles([path.join(dir, 'ignored.ts'), path.join(dir, 'load.ts')]);
      assert.deepEqual(flagged?.findings.map((f) => f.rule), ['CL101']);
      assert.deepEqual(ignored?.findings, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a CRLF line ending and refuses a line past the end', () => {
    const crlf = 'a()\r\nb()\r\n';
    const edit = ignoreComment(crlf, 2, 'CL002');
    assert.ok(edit);
    assert.equal(applyEdits(crlf, [edit]), 'a()\r\nb()  # concurrency-lens: ignore[CL002]\r\n');
    assert.equal(ignoreComment(crlf, 9, 'CL002'), null);
  });
});
