import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PythonAnalyzer, type SlicedReports, type SliceOptions } from '../../src/core/python/analyzer';
import type { FileReport } from '../../src/core/model';
import { tempTree } from './helpers';

describe('workspace reports in slices', () => {
  let root: string;
  let analyzer: PythonAnalyzer;
  let files: string[];

  before(async () => {
    const sources: Record<string, string> = { 'work.py': 'def crunch(n):\n    return sum(i * i for i in range(n))\n' };
    for (let k = 0; k < 20; k++) sources[`m${k}.py`] = `from work import crunch\n\ndef f${k}(n):\n    return crunch(n)\n`;
    root = tempTree(sources);
    files = Object.keys(sources).map((name) => path.join(root, name));
    analyzer = await PythonAnalyzer.create({ python: null });
    await analyzer.loadFiles(files, { workers: 1 });
  });

  /** A pass, and the reports it handed over (it keeps none). */
  async function pass(options: Omit<SliceOptions, 'onReport'>): Promise<{ result: SlicedReports | null; reports: Map<string, FileReport> }> {
    const reports = new Map<string, FileReport>();
    const result = await analyzer.reportsInSlices(files, { ...options, onReport: (file, report) => reports.set(file, report) });
    return { result, reports };
  }

  after(() => {
    analyzer.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('gives the same reports as one file at a time, pausing between slices', async () => {
    let pauses = 0;
    const { result, reports } = await pass({ sliceMs: 0, pause: async () => void pauses++ });
    assert.ok(result);
    const functions = files.reduce((count, file) => count + (analyzer.program.entry(file)?.facts.functions.length ?? 0), 0);
    assert.equal(pauses, files.length + functions, 'a zero-length slice pauses after every function\'s summary and every file');
    assert.equal(result.slices, pauses + 1);
    for (const file of files) assert.deepEqual(reports.get(file), analyzer.fileReport(file));
    assert.equal(reports.get(files[1] as string)?.functions[0]?.verdict, 'cpu', 'a caller of a CPU-bound function in another module is CPU-bound');
  });

  it('an edit between two summaries of a pass (a large file\'s report sliced) leaves the reports after it right', async () => {
    const work = files[0] as string;
    let edited = false;
    const { result, reports } = await pass({
      sliceMs: 0,
      pause: async () => {
        if (edited) return;
        edited = true;
        analyzer.setSource(work, 'import time\n\ndef crunch(n):\n    time.sleep(n)\n');
      },
    });
    assert.ok(result && edited);
    for (const file of files) assert.deepEqual(reports.get(file), analyzer.fileReport(file));
    assert.equal(reports.get(files[1] as string)?.functions[0]?.verdict, 'io');
    analyzer.setSource(work, 'def crunch(n):\n    return sum(i * i for i in range(n))\n');
  });

  it('hands each report over as it is made, keeps none, and stops when cancelled', async () => {
    const made: string[] = [];
    const result = await analyzer.reportsInSlices(files, { sliceMs: 50, pause: async () => undefined, onReport: (file) => made.push(file) });
    assert.deepEqual(made, files);
    assert.deepEqual(result && { ...result, slices: 0, longestSliceMs: 0 }, { files: files.length, slices: 0, longestSliceMs: 0 }, 'the pass counts the reports it handed over, and holds none');
    let seen = 0;
    const cancelled = await analyzer.reportsInSlices(files, { sliceMs: 0, pause: async () => undefined, cancelled: () => seen++ > 3 });
    assert.equal(cancelled, null);
  });
});
