import * as assert from 'node:assert/strict';
import {
  callFromCallSites,
  callFromSignature,
  calleeOf,
  MAX_SUGGESTED_TASKS,
  probedTaskSeconds,
  pythonParameters,
  tasksToFill,
  typescriptParameters,
  type SourceFile,
} from '../../src/core/bench/callSuggestion';
import type { BenchOutcome, BenchRun } from '../../src/core/bench/runner';
import { Deadline } from '../../src/core/budget';
import { FactsParser } from '../../src/core/python/parse';
import { scriptCallFromCallSites, scriptCallSuggestion } from '../../src/core/typescript/callSites';

const JOBS = `import urllib.request
URLS = ["https://a.example", "https://b.example"]
LIMIT = 200_000

def fetch(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()

def primes_below(limit: int) -> int:
    return sum(1 for n in range(2, limit))

def crawl(pages):
    return [fetch(page) for page in pages]

if __name__ == "__main__":
    for url in URLS:
        fetch(url, timeout=3)
    print(primes_below(LIMIT))
`;

describe('call suggestion (what a benchmark pre-fills)', () => {
  let parser: FactsParser;
  before(async () => {
    parser = await FactsParser.create();
  });
  after(() => parser.dispose());

  const files = (...more: SourceFile[]): SourceFile[] => [...more, { path: '/ws/jobs.py', text: JOBS }];

  it('takes the first runnable call site, its loop variable over a module-level list turned into an index of i', () => {
    // `fetch(page)` in crawl() loops over a parameter: not runnable in the module; the __main__ loop is.
    assert.deepEqual(callFromCallSites(parser, '/ws/jobs.py', 'fetch', files()), { call: 'fetch(URLS[i % len(URLS)], timeout=3)', from: 'the call at jobs.py:17' });
  });

  it('keeps an argument made of module-level names as written', () => {
    assert.deepEqual(callFromCallSites(parser, '/ws/jobs.py', 'primes_below', files()), { call: 'primes_below(LIMIT)', from: 'the call at jobs.py:18' });
  });

  it('a loop over range(N) becomes i % N; a call site in another file may use what it imports from the target module', () => {
    const other = { path: '/ws/app.py', text: 'from jobs import fetch, URLS\nfrom pathlib import Path\n\nfor k in range(8):\n    fetch(URLS[k])\nfetch(Path("x"))\n' };
    assert.deepEqual(callFromCallSites(parser, '/ws/jobs.py', 'fetch', [other, { path: '/ws/jobs.py', text: 'URLS = []\ndef fetch(url):\n    pass\n' }]), {
      call: 'fetch(URLS[(i % 8)])',
      from: 'the call at app.py:5',
    });
  });

  it('looks at other files only until its deadline has passed, at its own file always', () => {
    const other = { path: '/ws/app.py', text: 'from jobs import fetch\nfetch("https://c.example")\n' };
    const target = { path: '/ws/jobs.py', text: 'def fetch(url):\n    pass\n' };
    assert.equal(callFromCallSites(parser, '/ws/jobs.py', 'fetch', [other, target])?.call, 'fetch("https://c.example")');
    assert.equal(callFromCallSites(parser, '/ws/jobs.py', 'fetch', [other, target], new Deadline(-1)), null);
    assert.equal(callFromCallSites(parser, '/ws/jobs.py', 'primes_below', files(), new Deadline(-1))?.call, 'primes_below(LIMIT)');
  });

  it('finds nothing when every call uses local names, names the target module lacks, or is of a method', () => {
    const other = { path: '/ws/app.py', text: 'from jobs import fetch\nfrom pathlib import Path\nfetch(Path("x"))\ndef go(u):\n    fetch(u)\n' };
    assert.equal(callFromCallSites(parser, '/ws/jobs.py', 'fetch', [other, { path: '/ws/jobs.py', text: 'def fetch(url):\n    pass\n' }]), null);
    assert.equal(callFromCallSites(parser, '/ws/jobs.py', 'crawl', files()), null);
    assert.equal(callFromCallSites(parser, '/ws/jobs.py', 'Crawler.fetch', files()), null);
  });

  it('fills required parameters from their type hints, leaves defaults and *args out, passes keyword-only ones by name', () => {
    const source = 'def f(self, n: int, s: str, xs: list[str], ys: Optional[list[int]], blob: bytes, d=3, *args, k: float, **kw):\n    pass\n';
    const parameters = pythonParameters(parser, source, 1, 'f');
    assert.ok(parameters);
    assert.deepEqual(callFromSignature('T().f', parameters, false), {
      call: 'T().f(i, str(i), [str(k) for k in range(1000)], list(range(1000)), bytes(100_000), k=float(i))',
      from: 'the signature',
    });
    assert.equal(callFromSignature('g', pythonParameters(parser, '@cache\ndef g(url, retries=3):\n    pass\n', 1, 'g') ?? [], false).call, 'g(i)');
    assert.equal(pythonParameters(parser, source, 2, 'f'), null, 'no def of f from that line on');
  });

  it('reads a TS/JS signature: types, optional and default parameters, rest parameters, generics', () => {
    const parameters = typescriptParameters('export async function f(n: number, names: string[], map: Map<string, number>, flag?: boolean, limit = 5, ...rest: number[]): Promise<void> {');
    assert.deepEqual(parameters.map((p) => [p.name, p.type, p.optional, p.variadic]), [
      ['n', 'number', false, false],
      ['names', 'string[]', false, false],
      ['map', 'Map<string, number>', false, false],
      ['flag', 'boolean', true, false],
      ['limit', undefined, true, false],
      ['rest', 'number[]', false, true],
    ]);
    assert.equal(callFromSignature(calleeOf('Parser.parse', true), parameters, true).call, 'new Parser().parse(i, Array.from({ length: 1000 }, (_, k) => String(k)), i)');
    assert.equal(callFromSignature('fib', typescriptParameters('const fib = (n: number): number =>'), true).call, 'fib(i)');
  });

  it('raises a short task\'s count so a sequential run lasts about half a second, in 1/2/5 steps, within bounds', () => {
    assert.equal(tasksToFill(0.000_02, 20), MAX_SUGGESTED_TASKS, '25,000 wanted: capped');
    assert.equal(tasksToFill(0.0004, 20), 2000);
    assert.equal(tasksToFill(0.001, 20), 500);
    assert.equal(tasksToFill(0.1, 20), 20, 'never fewer than asked');
    assert.equal(tasksToFill(0, 20), MAX_SUGGESTED_TASKS);
  });

  it('reads a probe\'s median task time; no time from a failed, stopped or erroring probe', () => {
    const run = (over: Partial<BenchRun>): BenchRun => ({
      mode: 'sequential', workers: 1, wallSeconds: 0.03, cpuSeconds: 0.03, repeats: 1, spread: 0, samples: [0.03], speedup: null, speedupSpread: null, contended: false, efficiency: null, gilContention: null, otherLoad: null,
      latency: { p50: 0.000_004, p95: 0.01, max: 0.02 }, completed: 3, error: null, errorDetail: null, ...over,
    });
    const outcome = (runs: BenchRun[], kind: 'completed' | 'timed-out' = 'completed'): BenchOutcome =>
      kind === 'completed' ? { kind, hello: null, warmup: null, rounds: 1, runs, stderr: '' } : { kind, hello: null, warmup: null, rounds: 1, runs, stderr: '', message: 'timed out' };
    assert.equal(probedTaskSeconds(outcome([run({})])), 0.000_004, 'the median: the first call\'s warm-up does not count');
    assert.equal(probedTaskSeconds(outcome([run({ latency: { p50: null, p95: null, max: null } })])), 0.01);
    assert.equal(probedTaskSeconds(outcome([run({ error: 'TypeError: no' })])), null);
    assert.equal(probedTaskSeconds(outcome([run({})], 'timed-out')), null);
    assert.equal(probedTaskSeconds(outcome([])), null);
  });
});

const CATALOG = `import { readFileSync } from 'node:fs';
export const SKUS = ['a-1', 'b-2', 'c-3'];
export const PAGE = 200;
const LOCAL_LIMIT = 5;

export async function fetchPage(url: string, retries = 2): Promise<string> {
  return readFileSync(url, 'utf8') + retries;
}

export function checksum(sku: string, rounds: number): number {
  let total = 0;
  for (let k = 0; k < rounds; k++) total += sku.length * k;
  return total;
}

export function run(pages: string[]) {
  for (const page of pages) void fetchPage(page);
  for (const sku of SKUS) checksum(sku, LOCAL_LIMIT);
  for (const sku of SKUS) checksum(sku, PAGE);
}
`;

describe('call suggestion in TS/JS (what a benchmark pre-fills)', () => {
  const target: SourceFile = { path: '/w/src/catalog.ts', text: CATALOG };

  it('takes the first runnable call site: a for-of over an exported array becomes an index of i, exported constants stay', () => {
    // The Node harness evaluates the call among the module's exports: LOCAL_LIMIT is not one.
    assert.deepEqual(scriptCallFromCallSites(target.path, 'checksum', [target]), { call: 'checksum(SKUS[i % SKUS.length], PAGE)', from: 'the call at catalog.ts:19' });
    // `page` walks a parameter: not runnable in the module; no other call of fetchPage.
    assert.equal(scriptCallFromCallSites(target.path, 'fetchPage', [target]), null);
  });

  it('another file\'s call may use what it imports from the target module; a counter loop becomes i % N; forEach walks its array', () => {
    const commonJs: SourceFile = { path: '/w/src/legacy.js', text: `const ROWS = [1, 2];\nfunction sum(n) { return n; }\nfunction main() { for (const r of ROWS) sum(r); }\nmodule.exports = { sum, ROWS };\n` };
    assert.deepEqual(scriptCallFromCallSites(commonJs.path, 'sum', [commonJs]), { call: 'sum(ROWS[i % ROWS.length])', from: 'the call at legacy.js:3' });
    const job: SourceFile = {
      path: '/w/src/job.ts',
      text: `import { fetchPage, SKUS } from './catalog';\nconst HOSTS = ['h1', 'h2'];\nfor (let n = 0; n < 50; n++) fetchPage(SKUS[n]);\nHOSTS.forEach((host) => fetchPage(host));\n`,
    };
    assert.deepEqual(scriptCallFromCallSites(target.path, 'fetchPage', [target, job]), { call: 'fetchPage(SKUS[(i % 50)])', from: 'the call at job.ts:3' });
    const other: SourceFile = { path: '/w/src/other.ts', text: `import { fetchPage } from './catalog';\nconst HOSTS = ['h1'];\nHOSTS.forEach((host) => fetchPage(host));\n` };
    assert.equal(scriptCallFromCallSites(target.path, 'fetchPage', [target, other]), null, 'HOSTS is not a name of the target module');
    const mapped: SourceFile = { path: '/w/src/mapped.ts', text: `import { fetchPage, SKUS } from './catalog';\nSKUS.map((sku) => fetchPage(sku));\n` };
    assert.deepEqual(scriptCallFromCallSites(target.path, 'fetchPage', [target, mapped]), { call: 'fetchPage(SKUS[i % SKUS.length])', from: 'the call at mapped.ts:2' });
  });

  it('never a call of a method, of an aliased import, or with a callback argument; the signature otherwise', () => {
    const aliased: SourceFile = { path: '/w/src/a.ts', text: `import { checksum as sum, SKUS } from './catalog';\nsum(SKUS[0], 3);\nchecksum(SKUS[0], 3);\n` };
    assert.equal(scriptCallFromCallSites(target.path, 'checksum', [{ ...target, text: CATALOG.replace('checksum(sku, PAGE)', 'checksum(sku, () => PAGE)') }, aliased]), null);
    assert.deepEqual(scriptCallSuggestion(target.path, 'fetchPage', 5, [target]), { call: 'fetchPage(String(i))', from: 'the signature' });
  });
});
