import * as assert from 'node:assert/strict';
import { factsOfSource } from '../../src/core/python/parse';
import { PythonProgram } from '../../src/core/python/program';
import { MAX_MEMOIZED_FUNCTIONS, Resolver } from '../../src/core/python/resolve';

describe('Resolver', () => {
  it('keeps the callee resolutions of a bounded number of functions, resolving the same after it forgets them', async () => {
    const count = 2 * MAX_MEMOIZED_FUNCTIONS + 10;
    const source = ['import time', ...Array.from({ length: count }, (_, k) => `def f${k}():\n    time.sleep(1)`)].join('\n');
    const program = new PythonProgram(null, null);
    const entry = program.setFile('/work/many.py', await factsOfSource(source));
    const resolver = new Resolver(program);
    const functions = entry.facts.functions;
    assert.equal(functions.length, count);
    for (const fn of functions) assert.deepEqual(resolver.resolveCallee('time.sleep', entry, fn), { kind: 'external', name: 'time.sleep', instance: false });
    assert.ok(resolver.memoizedFunctions <= 2 * MAX_MEMOIZED_FUNCTIONS, `${resolver.memoizedFunctions} functions memoized`);
    assert.deepEqual(resolver.resolveCallee('time.sleep', entry, functions[0]!), { kind: 'external', name: 'time.sleep', instance: false });
  });
});
