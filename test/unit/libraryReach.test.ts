import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PythonAnalyzer } from '../../src/core/python/analyzer';
import { DEBIAN_PYTHON, tempTree } from './helpers';

/** Lines of the `.py` files under `folder`, each file's counted once. */
function linesOf(files: Iterable<string>): number {
  let lines = 0;
  for (const file of files) lines += fs.readFileSync(file, 'utf8').split('\n').length - 1;
  return lines;
}

function pythonFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const pending = [folder];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) pending.push(full);
      else if (item.name.endsWith('.py')) found.push(full);
    }
  }
  return found;
}

/** The folder of a package Debian's interpreter imports, or null when it cannot import it. */
function packageFolder(name: string): string | null {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', `import ${name}, os; print(os.path.dirname(${name}.__file__))`], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

/** The share of a package's lines the analyzer parsed to report one workspace file that calls into it. */
async function shareParsed(source: string, packageRoot: string): Promise<{ share: number; verdicts: Record<string, string> }> {
  const root = tempTree({ 'work.py': source });
  const analyzer = await PythonAnalyzer.create({ python: DEBIAN_PYTHON });
  try {
    const file = path.join(root, 'work.py');
    await analyzer.loadFiles([file]);
    const report = analyzer.fileReport(file);
    const parsed = analyzer.program.libraryFilesRead().filter((read) => read.startsWith(`${packageRoot}${path.sep}`));
    return {
      share: linesOf(parsed) / linesOf(pythonFilesUnder(packageRoot)),
      verdicts: Object.fromEntries(report.functions.map((fn) => [fn.qualname, fn.verdict])),
    };
  } finally {
    analyzer.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('libraries are read as far as the workspace reaches into them', function () {
  this.timeout(60_000);

  it('a file calling sympy.integrate parses under 5 % of sympy\'s lines, and its verdict is still CPU work', async function () {
    const sympy = packageFolder('sympy');
    if (!sympy) {
      console.log(`      skipped: ${DEBIAN_PYTHON} cannot import sympy (Debian package python3-sympy)`);
      this.skip();
    }
    const { share, verdicts } = await shareParsed(
      ['import sympy', '', 'def integrate_all(exprs):', "    x = sympy.Symbol('x')", '    return [sympy.integrate(e, x) for e in exprs]', ''].join('\n'),
      sympy,
    );
    assert.ok(share < 0.05, `parsed ${(100 * share).toFixed(1)} % of sympy's lines`);
    assert.deepEqual(verdicts, { integrate_all: 'cpu' });
  });
});
