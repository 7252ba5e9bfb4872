import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
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

  after(() => {
    analyzer.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('gives the same reports as one file at a time, pausing between slices', async () => {
    let pauses = 0;
    const pass = await analyzer.reportsInSlices(files, { sliceMs: 0, pause: async () => void pauses++ });
    assert.ok(pass);
    assert.equal(pauses, files.length, 'a zero-length slice pauses after every file');
    assert.equal(pass.slices, files.length + 1);
    for (const file of files) assert.deepEqual(pass.reports.get(file), analyzer.fileReport(file));
    assert.equal(pass.reports.get(files[1] as string)?.functions[0]?.verdict, 'cpu', 'a caller of a CPU-bound function in another module is CPU-bound');
  });

  it('hands each report over as it is made, and stops when cancelled', async () => {
    const made: string[] = [];
    await analyzer.reportsInSlices(files, { sliceMs: 50, pause: async () => undefined, onReport: (file) => made.push(file) });
    assert.deepEqual(made, files);
    let seen = 0;
    const cancelled = await analyzer.reportsInSlices(files, { sliceMs: 0, pause: async () => undefined, cancelled: () => seen++ > 3 });
    assert.equal(cancelled, null);
  });
});
