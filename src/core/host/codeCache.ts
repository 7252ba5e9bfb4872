/**
 * V8's code cache for the analysis hosts' bundles: compiling a bundle (and the functions an open file's first answer
 * runs) is much of a host's start, before that first answer. The cache belongs to the bundles, not to a workspace or
 * an editor, and a host may start before the editor gives it a folder (as the extension's module loads): it is kept in
 * the command line's cache folder, one file per bundle and Node version (V8 rejects a cache that does not fit, and it
 * is then written again).
 */
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The code cache is written this long after the start (ms): after the open files' first answers, with the functions they compiled. */
const CODE_CACHE_DELAY_MS = 3000;

/**
 * Loads a CommonJS file as `require` would (and registers it in `require.cache`), compiled with the V8
 * code cache kept in `cacheDirectory` for this file's size, time and Node version; `cacheUsed` says
 * whether V8 accepted the cache. Without one, or with one V8 rejects (corrupt, another build), the cache
 * is written `writeDelayMs` later, with the functions compiled meanwhile, and the caches of earlier
 * builds of the file are removed.
 */
export function loadWithCodeCache(file: string, cacheDirectory: string, writeDelayMs = CODE_CACHE_DELAY_MS): { exports: unknown; cacheUsed: boolean } {
  const { size, mtimeMs } = fs.statSync(file);
  const prefix = `${path.basename(file, '.js')}-`;
  const cacheFile = path.join(cacheDirectory, `${prefix}${process.version}-${size}-${Math.round(mtimeMs)}.v8`);
  const cachedData = readIfPresent(cacheFile);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, ...(cachedData && { cachedData }) });
  const loaded = new Module(file, module);
  loaded.filename = file;
  require.cache[file] = loaded;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(loaded.exports, loaded.exports, createRequire(file), loaded, file, path.dirname(file));
  loaded.loaded = true;
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  if (!cacheUsed) setTimeout(() => writeCodeCache(script, cacheDirectory, cacheFile, prefix), writeDelayMs).unref();
  return { exports: loaded.exports, cacheUsed };
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the code cache (through a temporary file: another window may read it meanwhile) and removes the caches of other bundles. */
function writeCodeCache(script: vm.Script, directory: string, file: string, prefix: string): void {
  try {
    fs.mkdirSync(directory, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, file);
    for (const name of fs.readdirSync(directory)) {
      if (name.startsWith(prefix) && name.endsWith('.v8') && path.join(directory, name) !== file) fs.rmSync(path.join(directory, name), { force: true });
    }
  } catch {
    // A cache that cannot be written costs the next start its compile time, nothing else.
  }
}
