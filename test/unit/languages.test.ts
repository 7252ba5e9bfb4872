import * as assert from 'node:assert/strict';
import { compareModes, familyOfFileName, familyOfLanguage, LANGUAGES, runnableFamilyOf } from '../../src/core/languages';

describe('the table of languages', () => {
  it('names the family of an editor language id, of a source file name and of a file a benchmark runs', () => {
    assert.deepEqual(['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'go'].map(familyOfLanguage), ['python', 'typescript', 'typescript', 'typescript', 'typescript', undefined]);
    assert.deepEqual(['a.py', 'b.pyw', 'c.ts', 'd.tsx', 'e.mjs', 'f.d.ts', 'g.d.mts', 'h.min.js', 'i.txt'].map(familyOfFileName), ['python', 'python', 'typescript', 'typescript', 'typescript', undefined, undefined, undefined, undefined]);
    // JSX has no transpiler in the Node harness; anything not Node's goes to Python's harness.
    assert.deepEqual(['a.py', 'b.ts', 'c.tsx', 'd.cjs', 'e.jsx'].map(runnableFamilyOf), ['python', 'typescript', 'typescript', 'typescript', undefined]);
  });

  it('gives each family its comment token, pool words and compared modes', () => {
    assert.deepEqual([LANGUAGES.python.lineComment, LANGUAGES.typescript.lineComment], ['#', '//']);
    assert.deepEqual(LANGUAGES.typescript.pools, { threads: 'worker_threads', processes: 'child_process' });
    assert.deepEqual(compareModes('python', false), ['sequential', 'threads', 'processes']);
    assert.deepEqual(compareModes('python', true), ['sequential', 'asyncio', 'threads', 'processes']);
    assert.deepEqual(compareModes('typescript', true), ['sequential', 'async', 'worker_threads', 'child_process']);
  });
});
