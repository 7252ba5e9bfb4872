// Installs code-server (= VS Code 1.100.3, server + web workbench) offline into a cache folder outside
// the project's node_modules, for the integration and end-to-end tiers (see shared/REAL-VSCODE.md).
//
//   node scripts/ensure-code-server.mjs          install when needed, progress on stderr
//   node scripts/ensure-code-server.mjs --json   same, then print {"version","dir","entry"} on stdout
//
// Cache: $CONCURRENCY_LENS_CACHE or $HOME/.cache/concurrency-lens, in code-server-<version>/. A marker file
// written only after a successful install makes a second run a no-op. Debian packages the tier needs are
// installed with apt-get when running as root; otherwise the script fails and prints the command to run.
import { spawnSync } from 'node:child_process';
import { Failure, ensureDebianPackages, run } from './debianPackages.mjs';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const VERSION = '4.100.3';
/** The @vscode/ripgrep version pinned inside code-server 4.100.3, and the ripgrep build it downloads. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BUILD = 'v13.0.0-10';
const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];
/** Files each Debian package must have provided (a package can be "installed" yet broken). */
const REQUIRED_FILES = { chromium: '/usr/bin/chromium', ripgrep: '/usr/bin/rg' };
const INSTALL_TIMEOUT_MS = 20 * 60_000;
const LOCK_WAIT_MS = 25 * 60_000;

const json = process.argv.includes('--json');
const log = (message) => process.stderr.write(`[ensure-code-server] ${message}\n`);

function cacheRoot() {
  const configured = process.env.CONCURRENCY_LENS_CACHE;
  if (configured) return path.resolve(configured);
  return path.join(os.homedir(), '.cache', 'concurrency-lens');
}

const installDir = path.join(cacheRoot(), `code-server-${VERSION}`);
const markerFile = path.join(installDir, '.concurrency-lens-installed.json');
const entryFile = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const lockDir = `${installDir}.lock`;

function isInstalled() {
  if (!existsSync(markerFile) || !existsSync(entryFile)) return false;
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8')).version === VERSION;
  } catch {
    return false;
  }
}

/** Runs a command (argument array, no shell) with output streamed to stderr; resolves to its exit code. */
/**
 * @vscode/ripgrep downloads rg in its install step, but looks in $TMPDIR/vscode-ripgrep-cache-<version>/
 * first: pack Debian's rg there under the expected name so the install succeeds offline.
 */
async function seedRipgrepCache(tmpDir) {
  const targets = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
  const target = process.platform === 'linux' ? targets[process.arch] : undefined;
  if (!target) throw new Failure(`no offline ripgrep recipe for ${process.platform}/${process.arch}; this tier supports Linux x64 and arm64`);
  const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_BUILD}-${target}.tar.gz`);
  if (existsSync(archive) && statSync(archive).size > 0) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = path.join(cacheDir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  copyFileSync('/usr/bin/rg', path.join(staging, 'rg'));
  chmodSync(path.join(staging, 'rg'), 0o755);
  const partial = `${archive}.partial`;
  if ((await run('tar', ['-czf', partial, '-C', staging, 'rg'], { log })) !== 0) throw new Failure(`cannot pack /usr/bin/rg into ${archive}`);
  copyFileSync(partial, archive);
  rmSync(partial, { force: true });
  rmSync(staging, { recursive: true, force: true });
  log(`seeded ${archive} from /usr/bin/rg`);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A lock folder, so two test runs that start at once do not install into the same folder together. */
async function withLock(body) {
  mkdirSync(path.dirname(lockDir), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // Being created right now: wait.
      }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        log(`removing a stale lock of process ${owner}`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) throw new Failure(`another install (lock ${lockDir}) did not finish in time`);
      if (Date.now() - started < 1500) log(`waiting for another install to finish (lock ${lockDir})`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

async function install() {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) log(`warning: code-server ${VERSION} declares engines.node "20"; this is Node ${process.versions.node}`);
  const tmpDir = os.tmpdir();
  await seedRipgrepCache(tmpDir);

  // A folder without the marker is a failed or interrupted install: start over.
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  writeFileSync(
    path.join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'concurrency-lens-code-server', private: true, description: 'Test tool cache; safe to delete.' }, null, 2)}\n`,
  );
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    // Its install script refuses root without this; node-pty's install step runs `npx node-gyp`.
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  log(`installing code-server ${VERSION} into ${installDir} (about 1.5 minutes, ~300 MB)`);
  const started = Date.now();
  const code = await run('npm', ['install', '--no-save', '--omit=dev', '--no-package-lock', `code-server@${VERSION}`], {
    cwd: installDir,
    env,
    timeoutMs: INSTALL_TIMEOUT_MS,
    log,
  });
  if (code !== 0) {
    throw new Failure(
      `npm install code-server@${VERSION} failed (exit ${code}); see the output above. The half-done folder ${installDir} is ` +
        'removed on the next run.',
    );
  }
  if (!existsSync(entryFile)) throw new Failure(`npm install finished but ${entryFile} is missing`);
  // Even --version writes a default config and logs under XDG folders: keep those out of the user's home.
  const scratch = mkdtempSync(path.join(tmpDir, 'code-server-check-'));
  const check = spawnSync(process.execPath, [entryFile, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(scratch, 'config'), XDG_DATA_HOME: path.join(scratch, 'data') },
  });
  rmSync(scratch, { recursive: true, force: true });
  if (check.status !== 0 || !check.stdout.includes(VERSION)) {
    throw new Failure(`the installed code-server does not run: ${(check.stderr || check.stdout || String(check.error)).trim()}`);
  }
  writeFileSync(
    markerFile,
    `${JSON.stringify({ version: VERSION, node: process.versions.node, installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  log(`code-server ${VERSION} installed in ${((Date.now() - started) / 1000).toFixed(1)} s (${check.stdout.trim().split('\n').pop()})`);
}

async function main() {
  // Needed to install (ripgrep, Kerberos headers) and to run the tests (Chromium), even with a cached install.
  await ensureDebianPackages({
    packages: DEBIAN_PACKAGES,
    requiredFiles: REQUIRED_FILES,
    offDebian: `this tier expects Debian's packages ${DEBIAN_PACKAGES.join(', ')} (Chromium at /usr/bin/chromium, ripgrep at /usr/bin/rg, the Kerberos headers for code-server's native module).`,
    log,
  });
  if (isInstalled()) {
    log(`code-server ${VERSION} already installed in ${installDir}`);
  } else {
    await withLock(async () => {
      if (!isInstalled()) await install();
    });
  }
  if (json) process.stdout.write(`${JSON.stringify({ version: VERSION, dir: installDir, entry: entryFile })}\n`);
}

main().catch((error) => {
  log(`error: ${error instanceof Failure ? error.message : (error.stack ?? String(error))}`);
  process.exitCode = 1;
});
