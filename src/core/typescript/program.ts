import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Language } from '../model';
import { own } from '../own';
import { keepUnchangedFunctions, sameShape, type TsClassFacts, type TsFileFacts, type TsFunctionFacts } from './facts';

/** What the type checker said a call denotes: a function (or a class) of the workspace. */
export interface CheckedTarget {
  file: string;
  /** The function's qualname, or `class:Name` (names survive edits that move offsets). */
  qualname: string;
}

export interface ScriptEntry {
  file: string;
  language: Exclude<Language, 'python'>;
  text: string;
  facts: TsFileFacts;
  /** Functions by the offset of their name: where type-checker answers land. */
  byNamePos: Map<number, TsFunctionFacts>;
  classesByNamePos: Map<number, TsClassFacts>;
  /** Named functions by qualname. */
  byQualname: Map<string, TsFunctionFacts>;
  /** Function expressions whose work counts for the function around them, by that function's id. */
  inlined: Map<number, TsFunctionFacts[]>;
  /** Answers of the last project-level resolution: `${function qualname}\0${callee}` -> target. */
  checked?: Map<string, CheckedTarget>;
}

const RESOLUTION_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** TypeScript's ESM imports name the emitted file: `./util.js` is `./util.ts` in the sources. */
const EMITTED_TO_SOURCE: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};

/**
 * The TS/JS files of a workspace (or of a CLI run) with their facts, and module resolution between
 * them. `generation` changes on every change; `shapeGeneration` when what resolution reads changes (a file added or
 * removed, its imports, classes or functions' names and scopes, the type checker's answers), so that memoized verdicts can
 * be dropped. An edit inside bodies keeps the facts objects of the functions it left unchanged (`keepUnchangedFunctions`).
 */
export class ScriptProgram {
  private readonly entries = new Map<string, ScriptEntry>();
  private readonly resolutions = new Map<string, string | null>();
  /** The functions of the files' current facts. */
  private readonly current = new WeakSet<TsFunctionFacts>();
  generation = 0;
  shapeGeneration = 0;

  setFile(file: string, language: ScriptEntry['language'], text: string, facts: TsFileFacts): ScriptEntry {
    const previous = this.entries.get(file);
    if (previous) {
      keepUnchangedFunctions(previous.facts, facts);
      for (const fn of previous.facts.functions) this.current.delete(fn);
    }
    for (const fn of facts.functions) this.current.add(fn);
    const byNamePos = new Map<number, TsFunctionFacts>();
    const byQualname = new Map<string, TsFunctionFacts>();
    for (const fn of facts.functions) {
      if (fn.namePos >= 0) byNamePos.set(fn.namePos, fn);
      if (fn.reported && !byQualname.has(fn.qualname)) byQualname.set(fn.qualname, fn);
    }
    const classesByNamePos = new Map<number, TsClassFacts>();
    for (const cls of Object.values(facts.classes)) classesByNamePos.set(cls.namePos, cls);
    const inlined = new Map<number, TsFunctionFacts[]>();
    for (const fn of facts.functions) {
      if (fn.reported || fn.inline === undefined || fn.inline === 'separate') continue;
      const siblings = inlined.get(fn.parent);
      if (siblings) siblings.push(fn);
      else inlined.set(fn.parent, [fn]);
    }
    // Checked answers stay valid for calls whose function and callee are unchanged (keyed by qualname).
    const entry: ScriptEntry = { file, language, text, facts, byNamePos, classesByNamePos, byQualname, inlined, ...(previous?.checked && { checked: previous.checked }) };
    this.entries.set(file, entry);
    if (!previous) this.resolutions.clear();
    this.generation++;
    if (!previous || !sameShape(previous.facts, facts)) this.shapeGeneration = this.generation;
    return entry;
  }

  removeFile(file: string): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    this.entries.delete(file);
    for (const fn of entry.facts.functions) this.current.delete(fn);
    this.resolutions.clear();
    this.generation++;
    this.shapeGeneration = this.generation;
  }

  /** `fn` is a function of a file's current facts (not one an edit replaced). */
  isCurrent(fn: TsFunctionFacts): boolean {
    return this.current.has(fn);
  }

  entry(file: string): ScriptEntry | undefined {
    return this.entries.get(file);
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  files(): string[] {
    return [...this.entries.keys()];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Project-level answers for a file (replacing the previous ones). */
  setChecked(file: string, checked: Map<string, CheckedTarget>): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    entry.checked = checked;
    this.generation++;
    this.shapeGeneration = this.generation;
  }

  /** The workspace file a relative import names, if it is one of ours. */
  resolveModule(from: string, specifier: string): ScriptEntry | undefined {
    if (!specifier.startsWith('.') && !path.isAbsolute(specifier)) return undefined;
    const key = `${from}\0${specifier}`;
    let resolved = this.resolutions.get(key);
    if (resolved === undefined) {
      resolved = this.locate(path.resolve(path.dirname(from), specifier));
      this.resolutions.set(key, resolved);
    }
    return resolved === null ? undefined : this.entries.get(resolved);
  }

  /** A file of the program at `base`, `base` + an extension, `base/index` + an extension, or its TS source. */
  locate(base: string): string | null {
    if (this.entries.has(base)) return base;
    const ext = path.extname(base);
    for (const source of own(EMITTED_TO_SOURCE, ext) ?? []) {
      const candidate = base.slice(0, -ext.length) + source;
      if (this.entries.has(candidate)) return candidate;
    }
    for (const extension of RESOLUTION_EXTENSIONS) {
      if (this.entries.has(base + extension)) return base + extension;
    }
    for (const extension of RESOLUTION_EXTENSIONS) {
      const index = path.join(base, `index${extension}`);
      if (this.entries.has(index)) return index;
    }
    return null;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The source file on disk an import names (`./util` -> `./util.ts`, `./util.js` -> `./util.ts`, `./dir` -> `./dir/index.ts`). */
export function locateOnDisk(base: string): string | null {
  const ext = path.extname(base);
  for (const source of EMITTED_TO_SOURCE[ext] ?? []) {
    const candidate = base.slice(0, -ext.length) + source;
    if (isFile(candidate)) return candidate;
  }
  if (RESOLUTION_EXTENSIONS.includes(ext) && isFile(base)) return base;
  for (const extension of RESOLUTION_EXTENSIONS) {
    if (isFile(base + extension)) return base + extension;
  }
  for (const extension of RESOLUTION_EXTENSIONS) {
    const index = path.join(base, `index${extension}`);
    if (isFile(index)) return index;
  }
  return null;
}

/** Relative modules a file names: imports, `require`s, re-exports, worker scripts (absolute paths). */
export function namedModules(file: string, facts: TsFileFacts): string[] {
  const dir = path.dirname(file);
  const out = new Set<string>();
  for (const imported of Object.values(facts.imports)) {
    if (imported.module.startsWith('.')) out.add(path.resolve(dir, imported.module.replace(/\.(?:default|promises)$/, '')));
  }
  for (const reexport of facts.reexports) if (reexport.from.startsWith('.')) out.add(path.resolve(dir, reexport.from));
  for (const fn of facts.functions) {
    for (const call of fn.calls) if (call.script !== undefined && call.script !== '<self>') out.add(call.script);
  }
  return [...out];
}
