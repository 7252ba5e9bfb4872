import * as fs from 'node:fs';
import * as path from 'node:path';
import { familyOfFileName, LANGUAGES } from './languages';

/** Folders never analyzed: dependencies, VCS data, caches, virtual environments. */
const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.venv', 'venv', '.eggs',
]);

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** TypeScript and JavaScript sources (declaration files, `.d.ts`, are skipped in folders). */
export const SCRIPT_EXTENSIONS: readonly string[] = LANGUAGES.typescript.extensions;

/** A TS/JS source file by its name: not a declaration file (`.d.ts`, `.d.mts`…) nor a minified bundle. */
export function isScriptFile(name: string): boolean {
  return familyOfFileName(name) === 'typescript';
}

export function isPythonFile(name: string): boolean {
  return familyOfFileName(name) === 'python';
}

export interface SourceFiles {
  python: string[];
  /** TypeScript and JavaScript. */
  scripts: string[];
}

/**
 * Python and TS/JS files under the given paths, skipping SKIPPED_DIRS, any folder holding a
 * `pyvenv.cfg` (a virtual environment), and paths matched by `exclude` globs. Files named on the
 * command line are taken as given: TS/JS by their extension, anything else as Python. In folders,
 * only regular files are listed, and symlinks follow the rule of `sourcePathWithin`: followed when
 * they lead inside the folder given (each real file listed once, under its real path; each real
 * folder walked once, so a loop ends), skipped when they lead outside it.
 */
export function findSourceFiles(paths: readonly string[], exclude: readonly string[] = []): SourceFiles {
  const excluded = exclude.map(globToRegExp);
  const isExcluded = (file: string, root: string): boolean => {
    const relative = path.relative(root, file).split(path.sep).join('/');
    return excluded.some((re) => re.test(relative) || re.test(file));
  };
  const python = new Set<string>();
  const scripts = new Set<string>();
  for (const given of paths) {
    const root = path.resolve(given);
    // A FIFO or a device named here is listed too: the reader then says why it is not analyzed.
    if (!fs.statSync(root).isDirectory()) {
      if (SCRIPT_EXTENSIONS.some((ext) => root.toLowerCase().endsWith(ext))) scripts.add(root);
      else python.add(root);
      continue;
    }
    const within = new RootedPaths(root);
    const add = (file: string): void => {
      const name = path.basename(file);
      if (isPythonFile(name)) python.add(file);
      else if (isScriptFile(name)) scripts.add(file);
    };
    // Real folders walked (loop protection); `linked`: reached through a symlink, so named by real paths.
    const walked = new Set<string>([within.realRoot]);
    const stack = [{ dir: root, real: within.realRoot, linked: false }];
    while (stack.length > 0) {
      const { dir, real, linked } = stack.pop() as (typeof stack)[number];
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      if (dir !== root && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if ((SKIPPED_DIRS.has(e.name) && !e.isFile()) || isExcluded(full, root)) continue;
        if (!linked && !e.isSymbolicLink()) {
          if (e.isFile()) add(full);
          else if (e.isDirectory()) {
            const realDir = path.join(real, e.name);
            if (!walked.has(realDir)) {
              walked.add(realDir);
              stack.push({ dir: full, real: realDir, linked: false });
            }
          }
          continue;
        }
        // Through a symlink: the real path decides, and must pass the same checks.
        const target = e.isSymbolicLink() ? within.resolve(full) : { real: path.join(real, e.name), isDirectory: e.isDirectory(), isFile: e.isFile() };
        if (!target) continue;
        const listed = within.listed(target.real);
        if (inSkippedFolder(within.relative(listed)) || isExcluded(listed, root)) continue;
        if (target.isFile) add(listed);
        else if (target.isDirectory && !walked.has(target.real) && !SKIPPED_DIRS.has(path.basename(listed))) {
          walked.add(target.real);
          stack.push({ dir: full, real: target.real, linked: true });
        }
      }
    }
  }
  return { python: [...python].sort(), scripts: [...scripts].sort() };
}

/**
 * Paths under one root (a folder given to the CLI, a workspace folder), with symlinks resolved the
 * way both the CLI and the editor follow them: a path whose real path lies inside the root's real
 * path stands for that real file, named under the root as given; one that leads outside the root,
 * dangles or loops stands for nothing.
 */
export class RootedPaths {
  readonly realRoot: string;
  /** Real paths of folders met so far (null: unreadable); a file that is no symlink costs one lstat. */
  private readonly realDirs = new Map<string, string | null>();

  constructor(readonly root: string) {
    this.realRoot = fs.realpathSync.native(root);
  }

  /** The real path of `file` and what it is, or null when it leads outside the root or nowhere. */
  resolve(file: string): { real: string; isDirectory: boolean; isFile: boolean } | null {
    try {
      const link = fs.lstatSync(file);
      const dir = link.isSymbolicLink() ? null : this.realDir(path.dirname(file));
      const real = dir === null ? fs.realpathSync.native(file) : path.join(dir, path.basename(file));
      if (!this.contains(real)) return null;
      const stat = link.isSymbolicLink() ? fs.statSync(real) : link;
      return { real, isDirectory: stat.isDirectory(), isFile: stat.isFile() };
    } catch {
      return null;
    }
  }

  private realDir(dir: string): string | null {
    let real = this.realDirs.get(dir);
    if (real === undefined) {
      try {
        real = fs.realpathSync.native(dir);
      } catch {
        real = null;
      }
      this.realDirs.set(dir, real);
    }
    return real;
  }

  /** A real path inside the root, named under the root as given. */
  listed(real: string): string {
    return real === this.realRoot ? this.root : path.join(this.root, path.relative(this.realRoot, real));
  }

  /** The root-relative path, with `/`. */
  relative(listed: string): string {
    return path.relative(this.root, listed).split(path.sep).join('/');
  }

  private contains(real: string): boolean {
    const relative = path.relative(this.realRoot, real);
    return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
  }
}

/**
 * The rule of `findSourceFiles` for one path met in a listing or a file watcher's event: the regular
 * file it stands for, named under `root`, or null when it is not a regular file (a FIFO, a device) or
 * a symlink leading outside the root.
 */
export function sourcePathWithin(root: RootedPaths, file: string): string | null {
  const target = root.resolve(file);
  return target?.isFile ? root.listed(target.real) : null;
}

/**
 * Python files under the given paths (files are taken as given), skipping SKIPPED_DIRS, any folder
 * holding a `pyvenv.cfg` (a virtual environment), and paths matched by `exclude` globs.
 */
export function findPythonFiles(paths: readonly string[], exclude: readonly string[] = []): string[] {
  const { python, scripts } = findSourceFiles(paths, exclude);
  // Files named explicitly are taken as given, whatever their extension.
  const explicit = paths.map((p) => path.resolve(p)).filter((p) => scripts.includes(p));
  return explicit.length === 0 ? python : [...python, ...explicit].sort();
}

/** True when a workspace-relative path (with `/`) lies in a folder that is never analyzed. */
export function inSkippedFolder(relative: string): boolean {
  const parts = relative.split('/');
  return parts.slice(0, -1).some((part) => SKIPPED_DIRS.has(part));
}

/** `**` crosses folders, `*` and `?` do not; a pattern without `/` matches a name at any depth. */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.replace(/\\/g, '/');
  if (!pattern.includes('/')) pattern = `**/${pattern}`;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${re}(?:/.*)?$`);
}

export type LoadedSource = { source: string } | { error: string };

/** Reads a source file, refusing special, huge, binary and undecodable files with a message. */
export function readSource(file: string): LoadedSource {
  const read = readRegularFile(file, MAX_FILE_BYTES);
  return 'error' in read ? read : decodeSource(read.bytes);
}

/** Not on Windows, where there are no FIFOs to block on. */
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/**
 * The bytes of a regular file, at most `limit` of them. Anything else (a FIFO, a device such as
 * /dev/zero, whether named directly or through a symlink) is refused before it is read: a FIFO without
 * a writer would block forever, /dev/zero never ends. The limit holds on the bytes read, not on the
 * size `stat` gave, since the file may grow meanwhile.
 */
export function readRegularFile(file: string, limit: number): { bytes: Buffer } | { error: string } {
  let fd: number | undefined;
  try {
    // stat first, so that a device is never opened (opening one may do something); fstat after, in
    // case the file was replaced in between; O_NONBLOCK so that opening a FIFO returns at once.
    const special = specialKind(fs.statSync(file));
    if (special) return { error: `${special}, not a regular file: not analyzed` };
    fd = fs.openSync(file, fs.constants.O_RDONLY | O_NONBLOCK);
    const stat = fs.fstatSync(fd);
    const replaced = specialKind(stat);
    if (replaced) return { error: `${replaced}, not a regular file: not analyzed` };
    if (stat.size > limit) return { error: overLimit(limit, stat.size) };
    let buffer = Buffer.allocUnsafe(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) return { error: overLimit(limit) };
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const count = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (count === 0) break;
      length += count;
    }
    return { bytes: buffer.subarray(0, length) };
  } catch (e) {
    return { error: `cannot read file: ${(e as Error).message}` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The contents of a small text file, or undefined when it is not a regular file of at most MAX_FILE_BYTES (for `ts.sys.readFile`). */
export function readTextFile(file: string): string | undefined {
  const read = readRegularFile(file, MAX_FILE_BYTES);
  return 'bytes' in read ? read.bytes.toString('utf8') : undefined;
}

function specialKind(stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'a special file';
}

/** `size` when `stat` gave it; unknown when more than `limit` bytes came from a file `stat` said was smaller. */
function overLimit(limit: number, size?: number): string {
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
  return `file is ${size === undefined ? '' : `${mb(size)} MB, `}over the ${mb(limit)} MB limit: not analyzed`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeSource(bytes: Uint8Array): LoadedSource {
  if (bytes.includes(0)) return { error: 'binary file (contains NUL bytes): not analyzed' };
  try {
    return { source: utf8.decode(bytes) };
  } catch {
    const latin1 = declaredLatin1(bytes);
    if (latin1) return { source: latin1 };
    return { error: 'file is not valid UTF-8 and declares no other encoding: not analyzed' };
  }
}

/** PEP 263: a coding cookie on line 1 or 2 naming a single-byte Latin encoding. */
function declaredLatin1(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1').split('\n').slice(0, 2).join('\n');
  const cookie = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/m.exec(head)?.[1]?.toLowerCase();
  if (!cookie || !/^(latin-?1|iso-?8859-?1|iso-latin-1|cp1252|windows-1252)$/.test(cookie)) return null;
  return new TextDecoder(cookie.startsWith('cp') || cookie.startsWith('windows') ? 'windows-1252' : 'latin1').decode(bytes);
}
