// The unit tier's measured fixtures and Dask tests run third-party Python libraries on Debian's
// /usr/bin/python3 (there is no PyPI here): their Debian packages are installed when missing and we are
// root (as in CI), otherwise this fails with the command to run. Never a silent skip.
//
//   node scripts/ensure-python-libraries.mjs
import { spawnSync } from 'node:child_process';
import { Failure, ensureDebianPackages } from './debianPackages.mjs';

/** Debian package → the module it provides, imported once installed to check it works. */
export const PYTHON_LIBRARIES = {
  'python3-requests': 'requests',
  'python3-pil': 'PIL',
  'python3-yaml': 'yaml',
  'python3-lxml': 'lxml',
  'python3-bcrypt': 'bcrypt',
  'python3-numpy': 'numpy',
  'python3-markdown': 'markdown',
  'python3-networkx': 'networkx',
  'python3-pandas': 'pandas',
  'python3-sqlalchemy': 'sqlalchemy',
  'python3-zstandard': 'zstandard',
  'python3-msgpack': 'msgpack',
  'python3-regex': 'regex',
  'python3-bs4': 'bs4',
  'python3-jinja2': 'jinja2',
  'python3-cryptography': 'cryptography',
  'python3-distributed': 'distributed',
  'python3-sympy': 'sympy',
  // libkit3's (test/fixtures/measured/libkit3).
  'python3-scipy': 'scipy',
  'python3-pygments': 'pygments',
  'python3-openpyxl': 'openpyxl',
  'python3-lz4': 'lz4',
  'python3-brotli': 'brotli',
};
export const DEBIAN_PYTHON = '/usr/bin/python3';

const log = (message) => process.stderr.write(`[ensure-python-libraries] ${message}\n`);

async function main() {
  const packages = Object.keys(PYTHON_LIBRARIES);
  await ensureDebianPackages({
    packages: ['python3', ...packages],
    requiredFiles: { python3: DEBIAN_PYTHON },
    offDebian: `the unit tier expects Debian's ${DEBIAN_PYTHON} with ${packages.join(', ')}.`,
    log,
  });
  const modules = Object.values(PYTHON_LIBRARIES);
  const check = spawnSync(DEBIAN_PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (check.status !== 0) throw new Failure(`${DEBIAN_PYTHON} cannot import ${modules.join(', ')}:\n${(check.stderr || String(check.error)).trim()}`);
}

main().catch((error) => {
  log(`error: ${error instanceof Failure ? error.message : (error.stack ?? String(error))}`);
  process.exitCode = 1;
});
