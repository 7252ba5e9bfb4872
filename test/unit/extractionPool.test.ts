import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringTable } from '../../src/core/cache/strings';
import { extractInWorkers } from '../../src/core/python/extractionPool';
import { extractFile, FactsParser, type ExtractedFile } from '../../src/core/python/parse';
import { tempTree } from './helpers';

const BUDGET_MS = 10_000;

/** Each file's facts as JSON, by path: what a load registers, whichever thread extracted it. */
function byPath(results: readonly ExtractedFile[]): Map<string, string> {
  return new Map(results.map((result) => [result.path, JSON.stringify(result.facts ?? result.error)]));
}

describe('the extraction workers', () => {
  const source = (k: number): string => `import json\n\ndef load_${k}(path):\n    for row in range(10_000):\n        json.loads(path)\n`;
  let root: string;
  let files: string[];
  let parser: FactsParser;

  before(async () => {
    const tree = Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`m${k}.py`, source(k)]));
    root = tempTree(tree);
    files = Object.keys(tree).map((file) => path.join(root, file));
    parser = await FactsParser.create();
  });

  after(() => {
    parser.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const extractHere = (batches: string[][]) => (batch: readonly string[]): ExtractedFile[] => {
    batches.push([...batch]);
    return batch.map((file) => extractFile(parser, file, BUDGET_MS));
  };

  it('extracts every file in the workers, as this thread would', async () => {
    const here: string[][] = [];
    const results = await extractInWorkers(files, { workers: 2, budgetMs: BUDGET_MS, cache: undefined, strings: new StringTable(), extractHere: extractHere(here) });
    assert.deepEqual(here, [], 'no batch extracted here');
    assert.deepEqual(byPath(results), byPath(files.map((file) => extractFile(parser, file, BUDGET_MS))));
  });

  it('a worker out of memory does not fail the load: its batches, then the rest once no replacement is left, are extracted here', async () => {
    const here: string[][] = [];
    const results = await extractInWorkers(files, {
      workers: 2,
      budgetMs: BUDGET_MS,
      cache: undefined,
      strings: new StringTable(),
      extractHere: extractHere(here),
      // Too small for the grammar and a batch's facts: every worker runs out of memory.
      resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 },
    });
    assert.deepEqual(here.flat().sort(), [...files].sort(), 'every file extracted here, once');
    assert.deepEqual(byPath(results), byPath(files.map((file) => extractFile(parser, file, BUDGET_MS))));
  });
});
