import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaryReleasesGil, importedSymbols } from '../../src/core/native/extensionImports';
import { analyzeTree, DEBIAN_PYTHON, fn, requireDebianModules, tempTree } from './helpers';

/** The file of each extension module, as the interpreter imports it; fails loudly when a package is missing. */
function extensionFiles(modules: string[]): Map<string, string> {
  const script = `import importlib\nfor name in ${JSON.stringify(modules)}:\n    print(getattr(importlib.import_module(name), '__file__', '(built in)'))`;
  requireDebianModules(modules);
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', script], { encoding: 'utf8' });
  const files = probe.stdout.trim().split('\n');
  return new Map(modules.map((name, k) => [name, files[k] as string]));
}

function hasGcc(): boolean {
  return spawnSync('gcc', ['--version']).status === 0;
}

describe('compiled extension modules: does the binary ever release the GIL', () => {
  it('reads the import tables of real extension modules: bcrypt, regex, zstandard and _bz2 can release the GIL; msgpack, yaml and _json never do', () => {
    // Cross-checked with `nm -D --undefined-only FILE | grep PyEval_SaveThread` on Debian 12.
    const expected: Record<string, boolean> = {
      'bcrypt._bcrypt': true,
      'regex._regex': true,
      'zstandard.backend_c': true,
      _bz2: true,
      'msgpack._cmsgpack': false,
      'yaml._yaml': false,
      _json: false,
    };
    const files = extensionFiles(Object.keys(expected));
    for (const [module, releases] of Object.entries(expected)) {
      const file = files.get(module) as string;
      assert.match(file, /\.so$/, `${module} is a file on this machine`);
      assert.equal(binaryReleasesGil(file), releases, `${module}: ${file}`);
      assert.ok([...(importedSymbols(file) ?? [])].some((symbol) => symbol.startsWith('Py')), `${module} imports the C API`);
    }
  });

  it('a shared object built here with gcc: referencing PyEval_SaveThread or not (skipped only when gcc is absent)', function () {
    if (!hasGcc()) {
      this.skip();
      return;
    }
    const root = tempTree({
      'releases.c': 'extern void *PyEval_SaveThread(void);\nextern void PyEval_RestoreThread(void *);\nvoid work(void) { void *state = PyEval_SaveThread(); PyEval_RestoreThread(state); }\n',
      'holds.c': 'extern long PyLong_AsLong(void *);\nlong work(void *value) { return PyLong_AsLong(value) * 2; }\n',
    });
    try {
      for (const name of ['releases', 'holds']) {
        const built = spawnSync('gcc', ['-shared', '-fPIC', '-o', path.join(root, `${name}.so`), path.join(root, `${name}.c`)], { encoding: 'utf8' });
        assert.equal(built.status, 0, built.stderr);
      }
      assert.equal(binaryReleasesGil(path.join(root, 'releases.so')), true);
      assert.equal(binaryReleasesGil(path.join(root, 'holds.so')), false);
      assert.ok(importedSymbols(path.join(root, 'holds.so'))?.has('PyLong_AsLong'));
      assert.ok(!importedSymbols(path.join(root, 'holds.so'))?.has('work'), 'a defined symbol is not an import');

      // The answer is cached by path, modification time and size: a rebuilt file is read again.
      fs.copyFileSync(path.join(root, 'releases.so'), path.join(root, 'holds.so'));
      fs.utimesSync(path.join(root, 'holds.so'), new Date(), new Date(Date.now() + 5000));
      assert.equal(binaryReleasesGil(path.join(root, 'holds.so')), true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('answers null for what it cannot read: text, a truncated ELF, a missing file, a Mach-O or PE binary (no reader yet)', () => {
    const elf = fs.readFileSync(extensionFiles(['_json']).get('_json') as string);
    const root = tempTree({
      'text.so': 'not a binary',
      'truncated.so': elf.subarray(0, 200),
      'macho.so': Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0, 0, 0, 0]),
      'pe.pyd': Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
    });
    try {
      for (const name of ['text.so', 'truncated.so', 'macho.so', 'pe.pyd', 'missing.so']) {
        assert.equal(binaryReleasesGil(path.join(root, name)), null, name);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a call into a compiled module with no knowledge entry: a binary that never references PyEval_SaveThread holds the GIL', async () => {
    extensionFiles(['audioop', '_json']);
    const source = [
      'import _json',
      'from audioop import lin2lin',
      '',
      'def widen_all(fragments):',
      '    return [lin2lin(f, 1, 2) for f in fragments]',
      '',
      'def scan_all(documents):',
      '    return [_json.scanstring(d, 1) for d in documents]',
      '',
    ].join('\n');
    const reports = await analyzeTree({ 'packing.py': source }, { python: DEBIAN_PYTHON });
    const functions = new Map((reports.get('packing.py')?.functions ?? []).map((f) => [f.qualname, f]));
    for (const name of ['widen_all', 'scan_all']) {
      const report = fn(functions, name);
      assert.equal(report.verdict, 'cpu', name);
      assert.equal(report.recommendation, 'processes', name);
      assert.ok(report.evidence.some((e) => /never releases the GIL: its binary does not reference PyEval_SaveThread/.test(e.reason)), name);
    }
  });

  it('a wildcard\'s guess that a library\'s compiled calls release the GIL gives way to the binary of the extension module the package imports the function from (scipy.sparse.csgraph\'s graph searches never can)', async () => {
    extensionFiles(['scipy.sparse.csgraph._shortest_path', 'scipy.sparse.csgraph._min_spanning_tree']);
    const source = [
      'from scipy.sparse.csgraph import minimum_spanning_tree, shortest_path',
      '',
      'def routes(i, graph):',
      '    return shortest_path(graph, directed=False, indices=[i])',
      '',
      'def backbone(i, graph):',
      '    return minimum_spanning_tree(graph)',
      '',
    ].join('\n');
    const reports = await analyzeTree({ 'network.py': source }, { python: DEBIAN_PYTHON });
    const functions = new Map((reports.get('network.py')?.functions ?? []).map((f) => [f.qualname, f]));
    for (const [name, module] of [['routes', '_shortest_path'], ['backbone', '_min_spanning_tree']]) {
      const reasons = fn(functions, name as string).evidence.map((e) => e.reason).join('\n');
      assert.match(reasons, new RegExp(`scipy\\.sparse\\.csgraph\\.${module} is compiled code that never releases the GIL`), name);
      assert.doesNotMatch(reasons, /scipy kernels run in C\/Fortran and release the GIL/, name);
    }
  });

  it('scipy\'s linear_sum_assignment (its module _lsap never releases the GIL) is priced by the cells of its cost matrix', async () => {
    const source = [
      'import numpy as np',
      'from scipy.optimize import linear_sum_assignment',
      '',
      'def assign(i, side=1_500):',
      '    costs = np.random.default_rng(i).random((side, side))',
      '    rows, columns = linear_sum_assignment(costs)',
      '    return float(costs[rows, columns].sum())',
      '',
    ].join('\n');
    const reports = await analyzeTree({ 'slots.py': source }, { python: DEBIAN_PYTHON });
    const report = fn(new Map((reports.get('slots.py')?.functions ?? []).map((f) => [f.qualname, f])), 'assign');
    const reasons = report.evidence.map((e) => e.reason).join('\n');
    assert.match(reasons, /linear_sum_assignment: solves the assignment in C\+\+ holding the GIL/);
    assert.equal(report.verdict, 'cpu', reasons);
    assert.equal(report.recommendation, 'processes', reasons);
  });

  it('a standard-library name re-exported from its C accelerator (`collections.deque` is `_collections.deque` in the library source) is known by its public name, not "not in the knowledge base"', async () => {
    const source = [
      'from collections import deque, defaultdict',
      'from io import StringIO',
      '',
      'def flood_fill(grid, start):',
      '    seen, pending, sizes = set(), deque([start]), defaultdict(int)',
      '    while pending:',
      '        cell = pending.popleft()',
      '        sizes[grid[cell]] += 1',
      '        for step in (1, -1):',
      '            if cell + step in grid and cell + step not in seen:',
      '                seen.add(cell + step)',
      '                pending.append(cell + step)',
      '    return sizes',
      '',
      'def render(rows):',
      '    out = StringIO()',
      '    for row in rows:',
      '        out.write(row)',
      '    return out.getvalue()',
      '',
    ].join('\n');
    const reports = await analyzeTree({ 'cells.py': source }, { python: DEBIAN_PYTHON });
    const functions = new Map((reports.get('cells.py')?.functions ?? []).map((f) => [f.qualname, f]));
    for (const name of ['flood_fill', 'render']) {
      const report = fn(functions, name);
      assert.notEqual(report.verdict, 'unknown', name);
      assert.ok(!report.evidence.some((e) => /not in the knowledge base/.test(e.reason)), `${name}: ${report.evidence.map((e) => e.reason).join('; ')}`);
    }
  });

  it('knows which calls of widely used compiled libraries release the GIL (checked with test/fixtures/gil/check.py)', async () => {
    const source = [
      'import bcrypt, msgpack, regex, yaml, zstandard',
      'from lxml import etree',
      'from cryptography.fernet import Fernet',
      '',
      'def hash_passwords(passwords, salt):',
      '    return [bcrypt.hashpw(p, salt) for p in passwords]',
      '',
      'def pack_rows(rows):',
      '    return [msgpack.packb(r) for r in rows]',
      '',
      'def load_documents(texts):',
      '    return [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts]',
      '',
      'def parse_feeds(blobs):',
      '    return [etree.fromstring(b) for b in blobs]',
      '',
      'WORDS = regex.compile(r"\\w+")',
      '',
      'def count_words(texts):',
      '    return [len(WORDS.findall(t)) for t in texts]',
      '',
      'def first_words(texts):',
      '    return [WORDS.search(t) for t in texts]',
      '',
      'def squash(blobs):',
      '    compressor = zstandard.ZstdCompressor(level=6)',
      '    return [compressor.compress(b) for b in blobs]',
      '',
      'def seal(key, payloads):',
      '    box = Fernet(key)',
      '    return [box.encrypt(p) for p in payloads]',
      '',
    ].join('\n');
    const reports = await analyzeTree({ 'libs.py': source }, { python: null });
    const functions = new Map((reports.get('libs.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const expected: Record<string, string> = {
      hash_passwords: 'native',
      pack_rows: 'cpu',
      load_documents: 'cpu',
      parse_feeds: 'native',
      // findall builds a match object per match, taking the GIL back each time: measured 4x slower in threads.
      count_words: 'cpu',
      first_words: 'native',
      squash: 'native',
      seal: 'cpu',
    };
    for (const [name, verdict] of Object.entries(expected)) {
      const report = fn(functions, name);
      assert.equal(report.verdict, verdict, `${name}: ${report.evidence.map((e) => e.reason).join(' | ')}`);
    }
  });
});
