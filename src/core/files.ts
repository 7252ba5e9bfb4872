import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders never analyzed: dependencies, VCS data, caches, virtual environments. */
const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.venv', 'venv', '.eggs',
]);

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** TypeScript and JavaScript sources (declaration files, `.d.ts`, are skipped in folders). */
export const SCRIPT_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** A TS/JS source file by its name: not a declaration file (`.d.ts`, `.d.mts`…) nor a minified bundle. */
export function isScriptFile(name: string): boolean {
  const lower = name.toLowerCase();
  if (!SCRIPT_EXTENSIONS.some((ext) => lower.endsWith(ext))) return false;
  return !/\.d\.[mc]?ts$|\.d\.[^.]+\.ts$|\.min\.[mc]?js$/.test(lower);
}

export function isPythonFile(name: string): boolean {
  return name.endsWith('.py') || name.endsWith('.pyw');
}

export interface SourceFiles {
  python: string[];
  /** TypeScript and JavaScript. */
  scripts: string[];
}

/**
 * Python and TS/JS files under the given paths, skipping SKIPPED_DIRS, any folder holding a
 * `pyvenv.cfg` (a virtual environment), and paths matched by `exclude` globs. Files named on the
 * command line are taken as given: TS/JS by their extension, anything else as Python.
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
    const stat = fs.statSync(root);
    if (stat.isFile()) {
      if (SCRIPT_EXTENSIONS.some((ext) => root.toLowerCase().endsWith(ext))) scripts.add(root);
      else python.add(root);
      continue;
    }
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      if (dir !== root && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name) && !isExcluded(full, root)) stack.push(full);
        } else if (e.isFile() && !isExcluded(full, root)) {
          if (isPythonFile(e.name)) python.add(full);
          else if (isScriptFile(e.name)) scripts.add(full);
        }
      }
    }
  }
  return { python: [...python].sort(), scripts: [...scripts].sort() };
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

/** Reads a source file, refusing huge, binary and undecodable files with a message. */
export function readSource(file: string): LoadedSource {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) return { error: `file is ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the 2 MB limit: not analyzed` };
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { error: `cannot read file: ${(e as Error).message}` };
  }
  return decodeSource(bytes);
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
