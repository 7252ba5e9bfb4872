import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { constantArguments, countPositionalArguments } from '../../src/core/python/extract';
import { PYTHON_RULES, RULE_DEFINITIONS, RULE_IDS, ruleDocumentation, SCRIPT_RULES } from '../../src/core/rules';
import { analyzeModule, fn } from './helpers';

/**
 * Rules that the measured fixtures (test/fixtures/measured) showed the analyzer needed: each with the
 * case it applies to and the case it must not swallow.
 */

const SOURCE = `import bisect, datetime, functools, gzip, hashlib, hmac, io, json, struct, urllib.request, zipfile
import xml.etree.ElementTree as ET
from functools import lru_cache

ZONES = [(1000, "A"), (20000, "B"), (40000, "C")]

@functools.lru_cache(maxsize=None)
def corpus(size=1_000_000):
    return [str(n) * 3 for n in range(size)]

@lru_cache
def table(seed):
    return [n * seed for n in range(2_000_000)]

def uses_cached_corpus(i):
    return corpus()[i]

def uses_cached_corpus_of_constant_size(i):
    return corpus(2 * 1024 * 1024)[i]

def uses_table_per_seed(i):
    return table(i)[0]

def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)

def order_total(i):
    order = get_json(f"http://orders/{i}")
    return sum(item["qty"] * item["price"] for item in order["items"])

def archive(path, data):
    with gzip.open(path, "wb", compresslevel=6) as out:
        out.write(data)

def read_config(path):
    with open(path) as f:
        return f.read()

def human_size(size):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TiB"

def retry_three_times(url):
    for attempt in range(3):
        return get_json(url)

def sum_squares(n):
    total = 0
    for k in range(2_000_000):
        total += k * k
    return total

def version_tuple(text):
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch

def cache_key(i):
    raw = f"orders:customer={i}"
    return "k:" + hashlib.md5(raw.encode()).hexdigest()

def row_fingerprints(lines):
    seen = set()
    for line in lines:
        seen.add(hashlib.sha1(line.encode()).hexdigest())
    return seen

def blob_digest(blob):
    return hashlib.sha256(blob).hexdigest()

def changed_pages(xml, month):
    root = ET.fromstring(xml)
    changed = []
    for url in root.iterfind("url"):
        if url.findtext("lastmod", "").startswith(month):
            changed.append(url.findtext("loc"))
    return changed

def next_business_day(i):
    day = datetime.date(2024, 3, 1) + datetime.timedelta(days=i)
    if day.weekday() >= 5:
        day += datetime.timedelta(days=7 - day.weekday())
    return day.isoformat()

async def stream_lines(reader, writer, lines):
    count = 0
    for line in lines:
        writer.write(line)
        await writer.drain()
        count += len(await reader.readline())
    return count

async def fetch_blocking(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)

def zone_of(postcode):
    bounds = [upper for upper, _ in ZONES]
    return ZONES[min(bisect.bisect_right(bounds, postcode), len(ZONES) - 1)][1]

def slowest(latencies):
    return max(latencies)

def sign_stream(key, chunks):
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for chunk in chunks:
        mac.update(chunk)
    return mac.hexdigest()

def zip_documents(documents):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in documents:
            bundle.writestr(name, data)
    return buffer.getvalue()

def header(length):
    return struct.pack(">HI", 7, length)
`;

describe('rules backed by the measured fixtures', () => {
  let functions: Awaited<ReturnType<typeof analyzeModule>>;
  before(async () => {
    functions = await analyzeModule(SOURCE, { python: null });
  });
  const verdict = (qualname: string): string => fn(functions, qualname).verdict;
  const reasons = (qualname: string): string => fn(functions, qualname).evidence.map((e) => e.reason).join('\n');

  it('a memoized function called with constant arguments is a cache lookup, not its work', () => {
    assert.equal(verdict('corpus'), 'cpu');
    assert.equal(verdict('uses_cached_corpus'), 'trivial', reasons('uses_cached_corpus'));
    assert.equal(verdict('uses_cached_corpus_of_constant_size'), 'trivial', reasons('uses_cached_corpus_of_constant_size'));
    assert.match(reasons('uses_cached_corpus'), /corpus is memoized/);
  });

  it('a memoized function called with varying arguments still does its work per call', () => {
    assert.equal(verdict('uses_table_per_seed'), 'cpu', reasons('uses_table_per_seed'));
  });

  it('a network round trip outweighs decoding and summing its response', () => {
    assert.equal(verdict('get_json'), 'io', reasons('get_json'));
    assert.equal(verdict('order_total'), 'io', reasons('order_total'));
  });

  it('opening a file is a metadata call: the writes decide (gzip compresses with the GIL released)', () => {
    assert.equal(verdict('archive'), 'native', reasons('archive'));
    assert.equal(verdict('read_config'), 'io', reasons('read_config'));
  });

  it('a loop over a short literal or a small range is a few statements, not a loop over data', () => {
    assert.equal(verdict('human_size'), 'trivial', reasons('human_size'));
    assert.equal(verdict('version_tuple'), 'trivial', reasons('version_tuple'));
    assert.equal(verdict('retry_three_times'), 'io', reasons('retry_three_times'));
    assert.equal(verdict('sum_squares'), 'cpu', 'range(2_000_000) is a real loop');
  });

  it('hashing a literal is trivial, hashing short text holds the GIL, hashing a buffer releases it', () => {
    assert.equal(verdict('cache_key'), 'trivial', reasons('cache_key'));
    assert.equal(verdict('row_fingerprints'), 'cpu', reasons('row_fingerprints'));
    assert.match(reasons('row_fingerprints'), /hashlib holds the GIL for buffers under 2 KiB/);
    assert.equal(verdict('blob_digest'), 'native', reasons('blob_digest'));
  });

  it('types loop variables through the knowledge base (ElementTree elements)', () => {
    assert.equal(verdict('changed_pages'), 'cpu', reasons('changed_pages'));
    assert.doesNotMatch(reasons('changed_pages'), /cannot tell/);
  });

  it('arithmetic keeps the left operand\'s type (date + timedelta is a date)', () => {
    assert.equal(verdict('next_business_day'), 'trivial', reasons('next_business_day'));
  });

  it('an awaited call is a coroutine even when its receiver is unknown; a guessed method is not called blocking', () => {
    assert.equal(verdict('stream_lines'), 'async-io', reasons('stream_lines'));
    assert.doesNotMatch(reasons('stream_lines'), /blocking call in async def/);
  });

  it('min/max of a few values compare them; of one iterable they iterate it', () => {
    assert.equal(verdict('zone_of'), 'trivial', reasons('zone_of'));
    assert.match(reasons('zone_of'), /compares 2 values/);
    assert.equal(verdict('slowest'), 'trivial', 'one max() over an iterable, no loop: still little work per call');
    assert.doesNotMatch(reasons('slowest'), /compares/);
  });

  it('a loop over a module constant of a few items is not a loop over data', () => {
    assert.doesNotMatch(reasons('zone_of'), /comprehension/);
  });

  it('streamed HMAC and ZIP compression release the GIL; struct with a literal format is tiny', () => {
    assert.equal(verdict('sign_stream'), 'native', reasons('sign_stream'));
    assert.equal(verdict('zip_documents'), 'native', reasons('zip_documents'));
    assert.equal(verdict('header'), 'trivial', reasons('header'));
  });

  it('an async def whose I/O is blocking is I/O for threads, with the blocking call named', () => {
    const report = fn(functions, 'fetch_blocking');
    assert.equal(`${report.verdict}/${report.recommendation}`, 'io/threads', reasons('fetch_blocking'));
    assert.match(reasons('fetch_blocking'), /blocking call in async def at line \d+/);
  });
});

describe('argument lists', () => {
  it('counts positional arguments, not keywords, nested commas or commas in strings', () => {
    assert.equal(countPositionalArguments('()'), 0);
    assert.equal(countPositionalArguments('(a, b)'), 2);
    assert.equal(countPositionalArguments('(items, key=len)'), 1);
    assert.equal(countPositionalArguments('(f(a, b), [1, 2], "x,y")'), 3);
    assert.equal(countPositionalArguments('(*values, **options)'), 1);
  });
});

describe('constant argument lists', () => {
  it('accepts literals, arithmetic on literals and keyword constants', () => {
    for (const text of ['()', '(16 * 1024 * 1024)', '(maxsize=None)', "('utf-8', errors='strict')", '(1e6, -3, 0x1F, True)', '( )']) {
      assert.ok(constantArguments(text), text);
    }
  });
  it('rejects names, f-strings and calls', () => {
    for (const text of ['(i)', '(size=n)', '(f"{i}")', '(len(x))', '(a == 1)', '(data[0])']) {
      assert.ok(!constantArguments(text), text);
    }
  });
});

describe('work handed to a thread pool runs in this process', () => {
  const POOLED = `import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

def score(start):
    total = 0
    for n in range(start, start + 60_000):
        total = (total * 31 + n * n) % 1_000_003
    return total

def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()

def scores_in_threads(starts):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return sum(pool.map(score, starts))

def fetches_in_threads(urls):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(fetch, urls))

def scores_in_processes(starts):
    with ProcessPoolExecutor() as pool:
        return sum(pool.map(score, starts))
`;

  it('GIL-bound tasks make the function CPU-bound; waiting tasks keep it I/O; a process pool of CPU tasks already uses every core', async () => {
    const functions = await analyzeModule(POOLED);
    // Each is a dispatcher; as a whole (what a run of it measures) it is what its pool makes of its tasks.
    const whole = (qualname: string): string | undefined => fn(functions, qualname).dispatch?.whole.verdict;
    assert.equal(whole('scores_in_threads'), 'cpu', 'measured: shopkit/pooled.py::score_ranges_threaded');
    assert.ok(fn(functions, 'scores_in_threads').evidence.some((e) => /calls score, which does CPU work/.test(e.reason)));
    assert.equal(whole('fetches_in_threads'), 'io', 'measured: shopkit/pooled.py::fetch_stock_threaded');
    // Its pool already keeps every core busy: another pool around it cannot go faster.
    assert.equal(whole('scores_in_processes'), 'trivial', 'measured: libkit/ops.py::audit_log_in_workers');
  });
});

describe('the rule registry', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const ids = new Set<string>(RULE_IDS);
  const sorted = (items: Iterable<string>): string[] => [...items].sort();
  /** `CL001–CL006` -> CL001, …, CL006. */
  const expandRanges = (text: string): string[] =>
    [...text.matchAll(/CL(\d{3})`?\s*[–-]\s*`?CL(\d{3})/g)].flatMap(([, from, to]) => {
      const ids: string[] = [];
      for (let n = Number(from); n <= Number(to); n++) ids.push(`CL${String(n).padStart(3, '0')}`);
      return ids;
    });
  /** GitHub's anchor for a heading: lowercased, punctuation dropped, spaces as dashes. */
  const anchorOf = (heading: string): string => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

  it('package.json has one severity setting per rule, with its default severity', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { properties?: Record<string, { default: string }> }> } };
    };
    const settings = manifest.contributes.configuration.properties['concurrencyLens.diagnostics.severity']?.properties ?? {};
    assert.deepEqual(sorted(Object.keys(settings)), sorted(ids));
    for (const rule of RULE_DEFINITIONS) assert.equal(settings[rule.id]?.default, rule.severity, rule.id);
  });

  it('every enumeration of rules in package.json (`CL001–CL006`, …) names the registry', () => {
    const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const enumerations = [...manifest.matchAll(/"(?:[^"\\]|\\.)*CL\d{3}`?\s*[–-]\s*`?CL\d{3}(?:[^"\\]|\\.)*"/g)].map(([text]) => text);
    assert.ok(enumerations.length >= 3, 'the diagnostics settings and the Findings view enumerate the rules');
    for (const text of enumerations) assert.deepEqual(sorted(new Set(expandRanges(text))), sorted(ids), text);
  });

  it("the README has a section per rule, a row in the rules table, and each rule's docs anchor", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const sections = [...readme.matchAll(/^### (CL\d{3})\s*$/gm)].map(([, id]) => id as string);
    assert.deepEqual(sorted(sections), sorted(ids));
    const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading as string)));
    const rows = [...readme.matchAll(/^\| \[(CL\d{3})\]\(#([\w-]+)\)/gm)];
    assert.deepEqual(sorted(rows.map(([, id]) => id as string)), sorted(ids));
    for (const rule of RULE_DEFINITIONS) {
      assert.ok(anchors.has(rule.docs), `${rule.id}: no README heading for #${rule.docs}`);
      assert.ok(rows.some(([, id, anchor]) => id === rule.id && anchor === rule.docs), `${rule.id}: the table links #${rule.docs}`);
      assert.equal(ruleDocumentation(rule.id), `https://github.com/concurrency-lens/concurrency-lens#${rule.docs}`);
    }
  });

  it('each rule is checked by the findings pass of its language, and quick-fix hints have one owner', () => {
    assert.deepEqual(sorted([...PYTHON_RULES, ...SCRIPT_RULES].map((rule) => rule.id)), sorted(ids));
    assert.ok(PYTHON_RULES.every((rule) => rule.checkCall ?? rule.checkFunction));
    assert.ok(SCRIPT_RULES.every((rule) => rule.checkWorkerCall ?? rule.checkFunction));
    const hints = PYTHON_RULES.flatMap((rule) => rule.quickFix?.hints ?? []);
    assert.equal(new Set(hints).size, hints.length);
  });
});
