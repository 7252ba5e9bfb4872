import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unchangedFiles, type DependencyGraph } from '../../src/core/cache/dependencyGraph';
import { PythonAnalyzer, type AnalyzerOptions } from '../../src/core/python/analyzer';
import type { FileReport } from '../../src/core/model';
import { tempTree } from './helpers';

/**
 * Reports kept between sessions (two analyzers on one cache folder, as a window closed and opened again):
 * an unchanged workspace is answered from the cache without parsing a file; a file edited in between,
 * in the workspace or in a library, re-decides what depends on it, as a fresh analyzer would.
 */
describe('reports cached between sessions', function () {
  this.timeout(60_000);
  let cacheDirectory: string;
  let roots: string[];
  const savedPythonPath = process.env.PYTHONPATH;
  beforeEach(() => {
    cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-reports-'));
    roots = [];
  });
  afterEach(() => {
    for (const dir of [cacheDirectory, ...roots]) fs.rmSync(dir, { recursive: true, force: true });
    if (savedPythonPath === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = savedPythonPath;
  });

  function tree(files: Record<string, string>): string {
    const root = tempTree(files);
    roots.push(root);
    return root;
  }

  /** One session: every file's report, and whether any file had to be parsed. */
  async function session(files: string[], options: AnalyzerOptions): Promise<{ reports: Map<string, FileReport>; parsed: boolean }> {
    const analyzer = await PythonAnalyzer.create(options);
    try {
      await analyzer.loadFiles(files, { workers: 1 });
      const reports = new Map(files.map((file) => [file, analyzer.fileReport(file)]));
      analyzer.persistReports();
      return { reports, parsed: files.some((file) => analyzer.program.entry(file) !== undefined) };
    } finally {
      analyzer.dispose();
    }
  }

  const verdicts = (report: FileReport | undefined): string[] => (report?.functions ?? []).map((fn) => `${fn.qualname}:${fn.verdict}:${fn.recommendation}:${fn.confidence}`);

  const HELPERS = 'import time\n\ndef fetch(i):\n    time.sleep(0.5)\n\ndef spare():\n    return 1\n';
  const JOBS = 'from helpers import fetch\n\ndef job(i):\n    return fetch(i)\n\ndef idle():\n    return 2\n';
  const CPU_HELPERS = HELPERS.replace('time.sleep(0.5)', 'return sum(k * k for k in range(5_000_000))');

  it('an unchanged workspace is answered from the cache, parsing nothing, with the same reports', async () => {
    const root = tree({ 'helpers.py': HELPERS, 'jobs.py': JOBS });
    const files = ['helpers.py', 'jobs.py'].map((name) => path.join(root, name));
    const options = { python: null, cacheDirectory };
    const cold = await session(files, options);
    assert.ok(cold.parsed);
    const warm = await session(files, options);
    assert.equal(warm.parsed, false, 'a file was parsed although none changed');
    assert.deepEqual(warm.reports, cold.reports);
  });

  it('a workspace callee edited while closed: its caller in another file is re-decided, equal to a fresh analysis', async () => {
    const root = tree({ 'helpers.py': HELPERS, 'jobs.py': JOBS });
    const files = ['helpers.py', 'jobs.py'].map((name) => path.join(root, name));
    const options = { python: null, cacheDirectory };
    const first = await session(files, options);
    assert.match(verdicts(first.reports.get(files[1] as string))[0] ?? '', /^job:io:/);
    fs.writeFileSync(files[0] as string, CPU_HELPERS);
    const reopened = await session(files, options);
    const fresh = await session(files, { python: null });
    assert.match(verdicts(reopened.reports.get(files[1] as string))[0] ?? '', /^job:cpu:/);
    assert.deepEqual(reopened.reports, fresh.reports);
  });

  it('a library function edited while closed: the workspace function calling it is re-decided, equal to a fresh analysis', async () => {
    const library = tree({ 'slowlib.py': HELPERS });
    const root = tree({ 'jobs.py': 'import slowlib\n\ndef job(i):\n    return slowlib.fetch(i)\n' });
    process.env.PYTHONPATH = library;
    const files = [path.join(root, 'jobs.py')];
    const options = { python: 'python3', cacheDirectory };
    const first = await session(files, options);
    assert.match(verdicts(first.reports.get(files[0] as string))[0] ?? '', /^job:io:/);
    const edited = path.join(library, 'slowlib.py');
    fs.writeFileSync(edited, CPU_HELPERS);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(edited, later, later);
    const reopened = await session(files, options);
    const fresh = await session(files, { python: 'python3' });
    assert.match(verdicts(reopened.reports.get(files[0] as string))[0] ?? '', /^job:cpu:/);
    assert.deepEqual(reopened.reports, fresh.reports);
  });

  it('a file whose text is set before the workspace is loaded (an open editor) is reported from that text, not from the cache', async () => {
    const root = tree({ 'jobs.py': JOBS });
    const jobs = path.join(root, 'jobs.py');
    const options = { python: null, cacheDirectory };
    await session([jobs], options);
    const analyzer = await PythonAnalyzer.create(options);
    try {
      analyzer.setSource(path.join(root, 'helpers.py'), CPU_HELPERS);
      await analyzer.loadFiles([jobs], { workers: 1 });
      assert.match(verdicts(analyzer.fileReport(jobs))[0] ?? '', /^job:cpu:/);
    } finally {
      analyzer.dispose();
    }
  });

  it('a module added to the workspace while closed, under a name a file imported: that file is re-decided', async () => {
    const root = tree({ 'jobs.py': JOBS });
    const files = [path.join(root, 'jobs.py')];
    const options = { python: null, cacheDirectory };
    const first = await session(files, options);
    assert.doesNotMatch(verdicts(first.reports.get(files[0] as string))[0] ?? '', /^job:io:/);
    fs.writeFileSync(path.join(root, 'helpers.py'), HELPERS);
    const withHelpers = [path.join(root, 'helpers.py'), ...files];
    const reopened = await session(withHelpers, options);
    assert.deepEqual(reopened.reports, (await session(withHelpers, { python: null })).reports);
    assert.match(verdicts(reopened.reports.get(files[0] as string))[0] ?? '', /^job:io:/);
  });
});

describe('the dependency graph of cached reports', () => {
  /** A chain a0 -> a1 -> … -> a(n-1), each file looking up the next by name. */
  function chain(n: number): DependencyGraph {
    const graph: DependencyGraph = new Map();
    for (let k = 0; k < n; k++) graph.set(`a${k}`, { stamp: 's', lookups: k + 1 < n ? [[`m${k + 1}`, `a${k + 1}`]] : [] });
    return graph;
  }
  const leadsAsBefore = (_name: string, led: string | null): string | null => led;

  it('a change at the end of a chain 200,000 files deep taints the whole chain, without recursion', () => {
    const graph = chain(200_000);
    const unchanged = unchangedFiles(graph, { stampOf: (file) => (file === 'a199999' ? 'edited' : 's'), leadsTo: leadsAsBefore });
    assert.equal(unchanged.size, 0);
    assert.equal(unchangedFiles(graph, { stampOf: () => 's', leadsTo: leadsAsBefore }).size, 200_000);
  });

  it('a name that now leads elsewhere, or to a file the graph does not know, taints the files that reach it, and only them', () => {
    const graph = chain(4);
    graph.set('b', { stamp: 's', lookups: [] });
    const moved = unchangedFiles(graph, { stampOf: () => 's', leadsTo: (name, led) => (name === 'm2' ? 'elsewhere' : led) });
    assert.deepEqual([...moved].sort(), ['a2', 'a3', 'b']);
    graph.delete('a3');
    assert.deepEqual([...unchangedFiles(graph, { stampOf: () => 's', leadsTo: leadsAsBefore })].sort(), ['b']);
  });
});
