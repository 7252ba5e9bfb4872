import * as assert from 'node:assert/strict';
import { normalizeChain, splitChain } from '../../src/core/python/chain';

describe('chains', () => {
  it('collapses arguments, subscripts and string literals', () => {
    assert.equal(normalizeChain('difflib.SequenceMatcher(None, a,\n b).ratio'), 'difflib.SequenceMatcher().ratio');
    assert.equal(normalizeChain('rows[0].get'), 'rows[].get');
    assert.equal(normalizeChain('", ".join'), "''.join");
    assert.equal(normalizeChain('f("a)b")(x).y'), 'f()().y');
    assert.equal(normalizeChain("'''tri\n(ple'''.strip"), "''.strip");
  });

  it('splits a chain into named parts with call and subscript marks', () => {
    assert.deepEqual(splitChain('a.b().c'), [
      { name: 'a', call: false, subscript: false },
      { name: 'b', call: true, subscript: false },
      { name: 'c', call: false, subscript: false },
    ]);
    assert.deepEqual(splitChain('rows[]')[0], { name: 'rows', call: false, subscript: true });
  });
});
