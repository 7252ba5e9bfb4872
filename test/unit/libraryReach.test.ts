import * as assert from 'node:assert/strict';
import { packageFolder, shareParsed } from '../bench/reach';
import { DEBIAN_PYTHON } from './helpers';

describe('libraries are read as far as the workspace reaches into them', function () {
  this.timeout(60_000);

  it('a file calling sympy.integrate parses under 5 % of sympy\'s lines, and its verdict is still CPU work', async () => {
    const sympy = packageFolder('sympy');
    assert.ok(sympy, `${DEBIAN_PYTHON} cannot import sympy: apt-get install -y python3-sympy (scripts/ensure-python-libraries.mjs installs it before the unit tier)`);
    const { share, verdicts } = await shareParsed(
      ['import sympy', '', 'def integrate_all(exprs):', "    x = sympy.Symbol('x')", '    return [sympy.integrate(e, x) for e in exprs]', ''].join('\n'),
      sympy,
    );
    assert.ok(share < 0.05, `parsed ${(100 * share).toFixed(1)} % of sympy's lines`);
    assert.deepEqual(verdicts, { integrate_all: 'cpu' });
  });

  it('a file calling sympy.integrate and sympy.solve parses under 5 % of sympy\'s lines: at the last level of the library-following bound, calls resolve only in modules already read', async () => {
    const sympy = packageFolder('sympy');
    assert.ok(sympy, `${DEBIAN_PYTHON} cannot import sympy: apt-get install -y python3-sympy`);
    const { share, verdicts } = await shareParsed(
      [
        'import sympy',
        'from sympy import symbols, solve',
        '',
        'def integrate_all(exprs):',
        "    x = symbols('x')",
        '    return [sympy.integrate(e, x) for e in exprs]',
        '',
        'def solve_all(eqs):',
        "    x = symbols('x')",
        '    return [solve(e, x) for e in eqs]',
        '',
      ].join('\n'),
      sympy,
    );
    assert.ok(share < 0.05, `parsed ${(100 * share).toFixed(1)} % of sympy's lines`);
    assert.deepEqual(verdicts, { integrate_all: 'cpu', solve_all: 'cpu' });
  });
});
