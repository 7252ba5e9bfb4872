import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VERDICTS, type AnalysisReport, type FunctionReport, type Verdict } from '../../src/core/model';
import { formatCores, formatPercent, formatSeconds, formatSpeedup } from '../../src/core/bench/numbers';
import { renderBenchMarkdown, type BenchRecord } from '../../src/core/bench/record';
import { renderReport } from '../../src/core/report';
import { cli } from './helpers';

function functionReport(qualname: string, line: number, verdict: Verdict, reason: string): FunctionReport {
  const recommendation = verdict === 'cpu' ? 'processes' : verdict === 'async-io' ? 'asyncio' : verdict === 'trivial' ? 'sequential' : 'threads';
  return { name: qualname, qualname, line, endLine: line + 3, async: verdict === 'async-io', verdict, recommendation, confidence: 0.876, evidence: [{ line: line + 1, reason }] };
}

const REPORT: AnalysisReport = {
  interpreter: { path: '/usr/bin/python3', version: '3.12.1', gilEnabled: true },
  files: [
    {
      path: 'pkg/workers.py',
      language: 'python',
      functions: [
        functionReport('fetch', 20, 'io', 'urllib.request.urlopen: HTTP request'),
        functionReport('crunch', 3, 'cpu', 'for loop: runs Python bytecode, which holds the GIL'),
        functionReport('Cache.lookup', 40, 'trivial', 'no loops'),
      ],
      findings: [
        { rule: 'CL004', line: 50, severity: 'warning', message: 'pool at module level <script>alert(1)</script>' },
        { rule: 'CL001', line: 12, severity: 'warning', message: '`crunch` is CPU work | handed to threads' },
      ],
      errors: [],
    },
    {
      path: 'app/main.py',
      language: 'python',
      functions: [
        functionReport('main', 1, 'async-io', 'asyncio.open_connection'),
        functionReport('digest', 9, 'native', 'hashlib.sha256'),
        functionReport('both', 15, 'mixed', 'fetch and parse'),
        functionReport('mystery', 30, 'unknown', 'calls __init__ via fetch_all'),
      ],
      findings: [{ rule: 'CL003', line: 7, severity: 'error', message: 'a lambda cannot be pickled' }],
      errors: [{ line: 44, message: 'syntax error near `def broken(`' }],
    },
  ],
};
const AT = new Date('2024-05-01T12:00:00Z');

describe('report export', () => {
  it('json: the report, sorted, with a summary and an empty list of runs', () => {
    const document = renderReport(REPORT, 'json', { generatedAt: AT });
    assert.ok(document.endsWith('}\n'));
    const parsed = JSON.parse(document) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['generatedAt', 'interpreter', 'summary', 'files', 'runs']);
    assert.equal(parsed.generatedAt, '2024-05-01T12:00:00.000Z');
    assert.deepEqual(parsed.runs, []);
    assert.deepEqual(parsed.summary, {
      files: 2,
      filesWithErrors: 1,
      functions: 7,
      findings: 3,
      functionsByVerdict: { cpu: 1, io: 1, native: 1, mixed: 1, 'async-io': 1, dispatcher: 0, trivial: 1, unknown: 1 },
      findingsByRule: { CL001: 1, CL003: 1, CL004: 1 },
    });
    const files = parsed.files as AnalysisReport['files'];
    assert.deepEqual(files.map((file) => file.path), ['app/main.py', 'pkg/workers.py']);
    assert.deepEqual(files[1]?.functions.map((f) => f.line), [3, 20, 40]);
    assert.deepEqual(files[1]?.findings.map((f) => f.line), [12, 50]);
    assert.deepEqual(JSON.parse(renderReport(REPORT, 'json', { runs: [{ mode: 'threads' }] })).runs, [{ mode: 'threads' }]);
  });

  it('md: summary, findings and per-file tables, escaped pipes, rule anchors', () => {
    const md = renderReport(REPORT, 'md', { generatedAt: AT, title: 'Nightly' });
    assert.match(md, /^# Nightly\n/);
    assert.match(md, /Generated 2024-05-01T12:00:00\.000Z/);
    assert.match(md, /Interpreter: `\/usr\/bin\/python3`, Python 3\.12\.1, GIL enabled/);
    assert.match(md, /\| verdict \| functions \|\n\| --- \| ---: \|\n\| cpu \| 1 \|/);
    assert.ok(md.includes('| `pkg/workers.py:12` | [CL001](https://github.com/concurrency-lens/concurrency-lens#cl001) | warning | `crunch` is CPU work \\| handed to threads |'));
    assert.ok(md.includes('#cl003'));
    // Findings by file, then line.
    assert.ok(md.indexOf('`app/main.py:7`') < md.indexOf('`pkg/workers.py:12`'));
    assert.ok(md.indexOf('`pkg/workers.py:12`') < md.indexOf('`pkg/workers.py:50`'));
    assert.ok(md.includes('\\<script\\>'), 'raw HTML is escaped');
    assert.ok(md.includes('line 31: calls \\_\\_init\\_\\_ via fetch_all |'), 'emphasis marks are escaped, underscores inside words kept');
    assert.match(md, /### `app\/main\.py`\n\n\| function \| line \| verdict \| recommendation \| confidence \| main reason \|/);
    assert.ok(md.includes('| `crunch` | 3 | cpu | processes | 88% | line 4: for loop: runs Python bytecode, which holds the GIL |'));
    assert.ok(md.includes('- line 44: syntax error near `def broken(`'));
    assert.ok(!md.includes('## Runs'));
    assert.match(renderReport({ interpreter: null, files: [] }, 'md'), /No interpreter: knowledge base only/);
  });

  it('md: the recommendation says the predicted speedup, and a dispatcher\'s pool and what its tasks want', () => {
    const predicted = { tasks: 8, cores: 2, seconds: { sequential: 0.4, threads: 0.41, processes: 0.21 }, best: 'processes' as const, speedup: 1.9 };
    const crunch = { ...functionReport('crunch', 3, 'cpu', 'for loop'), predicted };
    const runAll: FunctionReport = {
      ...functionReport('run_all', 10, 'dispatcher', 'hands `crunch` to a thread pool and waits'),
      recommendation: 'processes',
      dispatch: { pool: 'thread', line: 12, task: { name: 'crunch', verdict: 'cpu', recommendation: 'processes', confidence: 0.9 }, suits: false, rule: 'CL001', whole: { verdict: 'cpu', recommendation: 'processes', confidence: 0.8 } },
    };
    const md = renderReport({ interpreter: null, files: [{ path: 'jobs.py', language: 'python', functions: [crunch, runAll], findings: [], errors: [] }] }, 'md', { generatedAt: AT });
    assert.ok(md.includes('| `crunch` | 3 | cpu | processes ≈1.9× on 2 cores | 88% | line 4: for loop |'), md);
    assert.ok(md.includes('| `run_all` | 10 | dispatcher | in a thread pool · tasks want processes | 88% | line 11: hands `crunch` to a thread pool and waits |'), md);
    assert.match(md, /\| dispatcher \| 1 \|/);
  });

  it('html: one self-contained, escaped page with verdict and severity badges', () => {
    const html = renderReport({ ...REPORT, interpreter: { ...REPORT.interpreter!, gilEnabled: false } }, 'html', { generatedAt: AT, title: 'A & B' });
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /<title>A &amp; B<\/title>/);
    assert.match(html, /prefers-color-scheme: dark/);
    assert.match(html, /free-threaded/);
    assert.ok(!/<script/i.test(html));
    assert.ok(html.includes('pool at module level &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('<code>crunch</code> is CPU work | handed to threads'));
    const remote = html.match(/https?:\/\/[^"'\s<>]*/g) ?? [];
    assert.deepEqual([...new Set(remote)].sort(), ['cl001', 'cl003', 'cl004'].map((id) => `https://github.com/concurrency-lens/concurrency-lens#${id}`));
    assert.ok(html.includes('<a href="https://github.com/concurrency-lens/concurrency-lens#cl001">CL001</a>'));
    assert.ok(!/\bsrc=|@import|url\(/.test(html), 'nothing loaded from elsewhere');
    for (const verdict of VERDICTS) assert.ok(html.includes(`<span class="badge verdict-${verdict}">${verdict}</span>`), verdict);
    assert.ok(html.includes('<span class="badge severity-error">error</span>'));
    assert.ok(html.indexOf('<h3><code>app/main.py</code></h3>') < html.indexOf('<h3><code>pkg/workers.py</code></h3>'));
  });

  it('renders benchmark runs as a table of the keys they have', () => {
    const runs = [{ mode: 'threads', workers: 4, wallSeconds: 1.25, speedup: 3.1 }, { mode: 'processes', error: 'PicklingError <x>' }, 'not a run'];
    const md = renderReport(REPORT, 'md', { runs });
    assert.match(md, /## Runs\n\n\| mode \| workers \| wall time \| speedup \| error \|\n\| --- \| ---: \| ---: \| ---: \| --- \|\n\| threads \| 4 \| 1\.25 s \| 3\.10× \|  \|\n\| processes \|  \|  \|  \| PicklingError \\<x\\> \|\n\|  \|  \|  \|  \|  \|/);
    assert.ok(renderReport(REPORT, 'html', { runs }).includes('<td>PicklingError &lt;x&gt;</td>'));
  });

  it('runs table: numbers for people under plain headings, with the call and the noise warning; JSON keeps full precision', () => {
    const warning = 'other programs kept 1.7 of 2 cores busy during the threads ×2 run: the timings may be off';
    const run = { function: 'primes_below', call: 'primes_below(20_000 + i)', startedAt: '2026-12-04T16:53:14.123Z', recommendation: 'threads' };
    const runs = [
      { ...run, mode: 'sequential', workers: 1, wallSeconds: 1.0020244697123493, cpuSeconds: 0.998877, speedup: 1, otherLoad: 1.72, error: null, warning },
      { ...run, mode: 'threads', workers: 2, wallSeconds: 0.000123456, cpuSeconds: 0.0456789, speedup: 8116.4321, otherLoad: null, error: null, warning, spread: 0.0000123, repeats: 5 },
    ];
    for (const format of ['md', 'html'] as const) {
      const text = renderReport(REPORT, format, { runs });
      assert.ok(!text.includes('1.0020244697123493') && !text.includes('wallSeconds') && !text.includes('cpuSeconds') && !text.includes('otherLoad'), format);
      for (const shown of ['wall time', 'spread (±)', '12.3 µs', 'repeats', 'CPU time', 'other load', 'measured verdict', '1.00 s', '999 ms', '123 µs', '45.7 ms', '8116.43×', '1.7 cores', '2026-12-04 16:53 UTC', 'primes_below(20_000 + i)']) {
        assert.ok(text.includes(shown), `${format}: ${shown}`);
      }
      assert.equal(text.split(warning).length - 1, 1, `${format}: the warning once per run`);
    }
    assert.ok(renderReport(REPORT, 'md', { runs }).includes('| `primes_below` | `primes_below(20_000 + i)` | 2026-12-04 16:53 UTC | sequential | 1 | 1.00 s |  |  | 999 ms | 1.00× | 1.7 cores | threads |  |'));
    assert.equal((JSON.parse(renderReport(REPORT, 'json', { runs })) as { runs: Array<{ wallSeconds: number }> }).runs[0]?.wallSeconds, 1.0020244697123493);
  });
});

describe('numbers for people', () => {
  it('durations in their unit with three significant digits, speedups with two decimals, shares and cores rounded', () => {
    assert.deepEqual([1.0020244697123493, 0.998877, 0.0456789, 0.000123456, 0, 123.456, 12.345].map(formatSeconds), ['1.00 s', '999 ms', '45.7 ms', '123 µs', '0 s', '123 s', '12.3 s']);
    assert.deepEqual([1.0020244697123493, null].map(formatSpeedup), ['1.00×', '']);
    assert.deepEqual([0.934, null, undefined].map(formatPercent), ['93 %', '', '']);
    assert.deepEqual([1.72, null].map(formatCores), ['1.7 cores', '']);
  });

  it('the bench Markdown export: times in their unit, speedups as ×, no raw floats', () => {
    const record: BenchRecord = {
      target: { file: 'work.py', function: 'crunch', call: 'crunch(i)' },
      interpreter: { path: 'python3', version: '3.11.7', gilEnabled: true, runtime: 'python' },
      cores: 2,
      tasks: 4,
      runs: [
        { mode: 'sequential', workers: 1, wallSeconds: 1.0020244697123493, cpuSeconds: 0.9988771234, speedup: 1, efficiency: 1, gilContention: null, error: null },
        { mode: 'processes', workers: 2, wallSeconds: 0.51234567, cpuSeconds: 1.0123456, speedup: 1.955738, efficiency: 0.977869, gilContention: null, error: null },
      ],
      best: { mode: 'processes', workers: 2, speedup: 1.955738 },
      recommendation: 'processes',
      reason: 'processes ×2 ran 1.96× faster than sequential',
      staticVerdict: null,
    };
    const markdown = renderBenchMarkdown(record);
    assert.ok(markdown.includes('| mode | workers | wall time | CPU time | speedup | efficiency | GIL wait | error |'));
    assert.ok(markdown.includes('| sequential | 1 | 1.00 s | 999 ms | 1.00× | 100 % |  |  |'));
    assert.ok(markdown.includes('| processes | 2 | 512 ms | 1.01 s | 1.96× | 98 % |  |  |'));
    assert.doesNotMatch(markdown, /\d\.\d{4,}/, 'no raw floats');
  });
});

describe('CLI report', () => {
  it('--format json prints the document on stdout', () => {
    const { status, stdout } = cli(['report', 'examples', '--format', 'json', '--no-follow']);
    assert.equal(status, 0);
    const parsed = JSON.parse(stdout) as { summary: { functions: number; files: number }; files: unknown[]; runs: unknown[] };
    assert.ok(parsed.summary.functions > 10);
    assert.equal(parsed.summary.files, parsed.files.length);
    assert.deepEqual(parsed.runs, []);
  });

  it('--output writes the file in the format its extension names, creating its folder', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clens-report-'));
    try {
      const output = path.join(root, 'out', 'r.html');
      const { status, stdout, stderr } = cli(['report', 'examples', '--no-follow', '--output', output]);
      assert.equal(status, 0, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, new RegExp(`^wrote ${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ functions, \\d+ findings\\)\\n$`));
      assert.ok(fs.readFileSync(output, 'utf8').startsWith('<!DOCTYPE html>'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('exits 2 on a bad --format or a missing PATH', () => {
    for (const args of [['report', 'examples', '--format', 'pdf'], ['report']]) {
      const { status, stderr } = cli(args);
      assert.equal(status, 2, `${args.join(' ')} -> ${stderr}`);
      assert.match(stderr, /concurrency-lens: /);
    }
    assert.match(cli(['report', 'examples', '--format', 'pdf']).stderr, /--format must be one of md, html, json, not 'pdf'/);
  });
});
