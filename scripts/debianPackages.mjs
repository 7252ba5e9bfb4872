// Debian packages a test tier needs: present, or installed with apt-get when running as root (as CI does),
// or else a failure that prints the exact command to run. Never a silent skip.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export class Failure extends Error {}

/** Runs a command with its output on stderr; resolves to its exit code. */
export function run(command, args, options = {}) {
  const log = options.log ?? ((message) => process.stderr.write(`${message}\n`));
  return new Promise((resolve, reject) => {
    log(`$ ${[command, ...args].join(' ')}`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    child.stdout.on('data', (chunk) => process.stderr.write(chunk));
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          log(`${command} did not finish within ${options.timeoutMs / 60_000} minutes; stopping it`);
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Failure(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

export function commandExists(name) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure `packages` are installed. `requiredFiles` maps a package to a file it must have provided (a
 * package can be "installed" yet broken); off Debian only those files are checked, and `offDebian`
 * explains what is expected.
 */
export async function ensureDebianPackages({ packages, requiredFiles = {}, offDebian, log }) {
  const installed = (name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    if (result.error || result.status !== 0 || !result.stdout.includes('install ok installed')) return false;
    const file = requiredFiles[name];
    return file === undefined || existsSync(file);
  };
  if (!commandExists('dpkg-query')) {
    const missingFiles = Object.values(requiredFiles).filter((file) => !existsSync(file));
    if (missingFiles.length === 0) return;
    throw new Failure(`missing ${missingFiles.join(', ')}; ${offDebian}`);
  }
  const missing = packages.filter((name) => !installed(name));
  if (missing.length === 0) {
    log(`Debian packages present: ${packages.join(', ')}`);
    return;
  }
  const installArgs = ['install', '-y', '--no-install-recommends', ...missing];
  const manual = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !commandExists('apt-get')) {
    throw new Failure(`missing Debian packages: ${missing.join(', ')}. Install them first (as root):\n    ${root ? manual : `sudo sh -c '${manual}'`}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing missing Debian packages: ${missing.join(', ')}`);
  if ((await run('apt-get', installArgs, { env, log })) !== 0) {
    // Usually a fresh machine without package lists: update them once and try again.
    log('apt-get install failed; running apt-get update and trying again');
    if ((await run('apt-get', ['update'], { env, log })) !== 0) throw new Failure(`apt-get update failed. Run it by hand:\n    ${manual}`);
    if ((await run('apt-get', installArgs, { env, log })) !== 0) throw new Failure(`apt-get install failed. Run it by hand:\n    ${manual}`);
  }
  const stillMissing = packages.filter((name) => !installed(name));
  if (stillMissing.length > 0) throw new Failure(`after apt-get install, still missing: ${stillMissing.join(', ')}`);
}
