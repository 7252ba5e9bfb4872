import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringTable } from '../cache/strings';
import type { ClassFacts, FileFacts, FunctionFacts } from './facts';
import type { ArgumentSizes, SizeExpr } from './sizes';

/** One analyzed Python module: a workspace file or a library file read through `sys.path`. */
export interface ModuleEntry {
  path: string;
  /** Dotted module name (`reports.generator`), derived from the `__init__.py` chain above the file. */
  moduleName: string;
  isPackage: boolean;
  library: boolean;
  facts: FileFacts;
  functions: Map<string, FunctionFacts>;
  classes: Map<string, ClassFacts>;
  /** Local name -> absolute dotted target. */
  imports: Map<string, string>;
  starImports: string[];
}

/** File names of compiled extension modules: `_json.cpython-311-x86_64-linux-gnu.so`, `_bcrypt.abi3.so`, `_foo.cp311-win_amd64.pyd`. */
const EXTENSION_SUFFIX = /\.(?:so|pyd)$/;
const MAX_EXTENSION_DEPTH = 8;
/** Marks a recorded lookup of a compiled extension module (see `extensionModuleOf`), not of a Python module. */
export const EXTENSION_LOOKUP = 'extension:';

/** Facts that other code cannot see (the work inside bodies) or that do not change what it sees (lines). */
const NOT_IN_SHAPE = new Set(['line', 'endLine', 'calls', 'loops', 'kept', 'arithmeticInLoops']);
const visibleJson = (value: unknown): string => JSON.stringify(value, (key, item: unknown) => (NOT_IN_SHAPE.has(key) ? undefined : item));

/** Reads and parses a library file; null when it cannot be read. */
export type LibraryParser = (file: string) => FileFacts | null;

/**
 * The modules the analyzer knows: the workspace's files, plus library modules loaded on demand from
 * the interpreter's `sys.path` (each read and parsed at most once).
 */
export class PythonProgram {
  private readonly byPath = new Map<string, ModuleEntry>();
  private readonly byName = new Map<string, ModuleEntry[]>();
  private readonly libraryLookups = new Map<string, ModuleEntry | null>();
  /** Modification time of each library file read, to notice a reinstalled package. */
  private readonly libraryMtimes = new Map<string, number>();
  private readonly packageDirs = new Map<string, boolean>();
  private readonly realWorkspaceModules = new WeakMap<ModuleEntry, boolean>();
  private readonly extensionFiles = new Map<string, string | null>();
  private readonly folderListings = new Map<string, string[]>();
  /** One copy of the strings that facts, summaries and reports repeat (see `StringTable`, `shareStrings`). */
  readonly strings = new StringTable();
  /** Bumped whenever a workspace file changes, so memoized summaries can be checked. */
  generation = 0;
  /**
   * Bumped when what other code can see of a workspace file changes (see `shapeOf`): how names resolve
   * anywhere may then differ. An edit inside a function's body leaves it alone.
   */
  shapeGeneration = 0;
  /** The highest shape generation given out: a new shape gets a number never used before. */
  private lastShapeGeneration = 0;
  /**
   * The last change of a file's shape: the edit that undoes it (a block broken, then mended) brings every file's shape
   * back to what it was in the generation before, and that generation back with it.
   */
  private lastShapeChange: { file: string; shapeBefore: string | undefined; generationBefore: number; generationAfter: number } | undefined;
  /** Facts of functions no longer in their file's registered facts: summaries of them are stale. */
  private readonly retired = new WeakSet<FunctionFacts>();
  private readonly shapes = new WeakMap<FileFacts, string>();
  private readonly functionShapes = new WeakMap<FunctionFacts, string>();
  /** Bumped when library files read earlier changed on disk. */
  libraryGeneration = 0;
  /**
   * When recording (a reports cache is kept): per module file, the names looked up while resolving in its
   * scope and the file each led to (null: none). What a module's reports depend on, beyond its own text.
   */
  private lookups: Map<string, Map<string, string | null>> | undefined;
  private lookupScope: string | undefined;

  constructor(
    private readonly libraryPaths: readonly string[] | null,
    private readonly parseLibrary: LibraryParser | null,
  ) {}

  get followsLibraries(): boolean {
    return this.libraryPaths !== null && this.parseLibrary !== null;
  }

  setFile(file: string, facts: FileFacts): ModuleEntry {
    const old = this.detach(file, facts);
    // Facts retired by an edit come back with the text that made them (an edit undone, a block broken and mended).
    for (const fn of facts.functions) this.retired.delete(fn);
    this.retired.delete(facts.module);
    // A file read for the first time has no shape to compare: its shape is made (and kept) only when it is edited.
    const shapeBefore = old && this.shapeOf(old.facts);
    const shape = old && this.shapeOf(facts);
    if (!old || shapeBefore !== shape) this.changeShape(file, shapeBefore, shape);
    const { moduleName, isPackage } = this.moduleNameOf(file);
    const entry = makeEntry(file, moduleName, isPackage, false, facts);
    this.register(entry);
    this.generation++;
    return entry;
  }

  removeFile(file: string): void {
    if (!this.detach(file)) return;
    this.changeShape(file, undefined, undefined);
    this.generation++;
  }

  /** The one earlier shape generation an edit can bring back (see `lastShapeChange`). */
  get restorableShapeGeneration(): number | undefined {
    return this.lastShapeChange?.generationBefore;
  }

  private changeShape(file: string, before: string | undefined, after: string | undefined): void {
    const last = this.lastShapeChange;
    const undone = last !== undefined && after !== undefined && last.file === file && last.shapeBefore === after && last.generationAfter === this.shapeGeneration;
    const generation = undone ? last.generationBefore : ++this.lastShapeGeneration;
    this.lastShapeChange = { file, shapeBefore: before, generationBefore: this.shapeGeneration, generationAfter: generation };
    this.shapeGeneration = generation;
  }

  /** The function's file was re-read or removed since these facts were made. */
  isRetired(fn: FunctionFacts): boolean {
    return this.retired.has(fn);
  }

  /** Unregisters a file; its functions' facts are retired, except those its next facts (`next`) reuse. */
  private detach(file: string, next?: FileFacts): ModuleEntry | undefined {
    const entry = this.byPath.get(file);
    if (!entry) return undefined;
    this.byPath.delete(file);
    const sameName = this.byName.get(entry.moduleName)?.filter((e) => e !== entry) ?? [];
    if (sameName.length > 0) this.byName.set(entry.moduleName, sameName);
    else this.byName.delete(entry.moduleName);
    const kept = new Set(next?.functions);
    for (const fn of entry.facts.functions) if (!kept.has(fn)) this.retired.add(fn);
    if (entry.facts.module !== next?.module) this.retired.add(entry.facts.module);
    return entry;
  }

  /**
   * What other code can see of a file: its imports, classes, module-level names and sizes, and each
   * function's signature, bindings, returns and kind, without lines. The work inside bodies (calls,
   * loops) reaches callers only through summaries, which are checked one by one.
   */
  private shapeOf(facts: FileFacts): string {
    let shape = this.shapes.get(facts);
    if (shape === undefined) {
      // JSON holds no raw line break: one line per function joins them unambiguously.
      shape = [visibleJson({ imports: facts.imports, classes: facts.classes, module: facts.module }), ...facts.functions.map((fn) => this.functionShapeOf(fn))].join('\n');
      this.shapes.set(facts, shape);
    }
    return shape;
  }

  /** A function's part of `shapeOf`, once per facts object: an edit re-extracts only the functions it touched. */
  private functionShapeOf(fn: FunctionFacts): string {
    let shape = this.functionShapes.get(fn);
    if (shape === undefined) {
      shape = visibleJson(fn);
      this.functionShapes.set(fn, shape);
    }
    return shape;
  }

  entry(file: string): ModuleEntry | undefined {
    return this.byPath.get(file);
  }

  /** Starts recording the lookups made in each module's scope (see `lookupsOf`). */
  recordLookups(): void {
    this.lookups ??= new Map();
  }

  /** Stops recording and forgets what was recorded (nothing of this session will be kept). */
  stopRecordingLookups(): void {
    this.lookups = undefined;
  }

  /** Runs `work` with the lookups it makes counted as made in `entry`'s scope. */
  inScopeOf<T>(entry: ModuleEntry, work: () => T): T {
    if (!this.lookups) return work();
    const outer = this.lookupScope;
    this.lookupScope = entry.path;
    try {
      return work();
    } finally {
      this.lookupScope = outer;
    }
  }

  /** The recorded lookups, per module file. */
  recordedLookups(): ReadonlyMap<string, ReadonlyMap<string, string | null>> {
    return this.lookups ?? new Map();
  }

  private record(name: string, file: string | null): void {
    if (!this.lookups || this.lookupScope === undefined) return;
    let names = this.lookups.get(this.lookupScope);
    if (!names) {
      names = new Map();
      this.lookups.set(this.lookupScope, names);
    }
    names.set(name, file);
  }

  /** Workspace modules first (preferring one next to `from`), then the library. */
  module(name: string, from?: ModuleEntry): ModuleEntry | null {
    const found = this.findModule(name, from);
    this.record(name, found?.path ?? null);
    return found;
  }

  private findModule(name: string, from?: ModuleEntry): ModuleEntry | null {
    const candidates = this.byName.get(name);
    if (candidates && candidates.length > 0) {
      if (candidates.length === 1 || !from) return candidates[0] as ModuleEntry;
      const near = candidates.find((c) => path.dirname(c.path) === path.dirname(from.path));
      return near ?? (candidates[0] as ModuleEntry);
    }
    return this.loadLibrary(name);
  }

  /** Whether the dotted `name` is a module of the workspace (never looked for on the library path). */
  isWorkspaceModule(name: string): boolean {
    return this.byName.get(name)?.some((candidate) => !candidate.library) ?? false;
  }

  /**
   * The file a library module name is read from (a workspace file lying on `sys.path` included), or null,
   * found without reading it: to check that a name still leads where it led.
   */
  locateLibrary(name: string): string | null {
    if (!this.libraryPaths || !this.parseLibrary) return null;
    const relative = name.split('.');
    for (const dir of this.libraryPaths) {
      const base = path.join(dir, ...relative);
      for (const file of [`${base}.py`, path.join(base, '__init__.py')]) if (fs.existsSync(file)) return file;
    }
    return null;
  }

  /** The modification time of a library file when it was read (undefined: not read). */
  libraryStamp(file: string): number | undefined {
    return this.libraryMtimes.get(file);
  }

  /**
   * The module Python imports under this name is the real one: a library read through `sys.path`, or
   * a workspace file lying where the interpreter's `sys.path` finds it (the workspace is that library).
   * A workspace module that merely shares a library's name (`requests/` in a project) is not.
   */
  isRealModule(entry: ModuleEntry): boolean {
    if (entry.library) return true;
    if (!this.libraryPaths) return false;
    let known = this.realWorkspaceModules.get(entry);
    if (known === undefined) {
      const relative = entry.moduleName.split('.');
      const tail = entry.isPackage ? path.join(...relative, '__init__.py') : `${path.join(...relative)}.py`;
      known = this.libraryPaths.some((dir) => path.join(dir, tail) === entry.path);
      this.realWorkspaceModules.set(entry, known);
    }
    return known;
  }

  /**
   * True when the top-level package of the dotted `name` is a workspace module that is not the real
   * library of that name: Python imports the workspace's, so knowledge about the library does not apply.
   */
  shadowedByWorkspace(name: string): boolean {
    const dot = name.indexOf('.');
    const top = dot < 0 ? name : name.slice(0, dot);
    const candidates = this.byName.get(top);
    return candidates !== undefined && candidates.some((candidate) => !this.isRealModule(candidate));
  }

  /**
   * The compiled extension module (`.so`, `.pyd`) on the interpreter's `sys.path` that the dotted
   * `name` lies in (`msgpack._cmsgpack.packb` -> `msgpack/_cmsgpack.cpython-311-….so`), or null.
   */
  extensionModuleOf(name: string): { moduleName: string; file: string } | null {
    const found = this.findExtensionModule(name);
    this.record(`${EXTENSION_LOOKUP}${name}`, found?.file ?? null);
    return found;
  }

  private findExtensionModule(name: string): { moduleName: string; file: string } | null {
    if (!this.libraryPaths) return null;
    const parts = name.split('.').slice(0, MAX_EXTENSION_DEPTH);
    for (let k = parts.length; k > 0; k--) {
      const moduleName = parts.slice(0, k).join('.');
      let file = this.extensionFiles.get(moduleName);
      if (file === undefined) {
        file = null;
        const base = parts[k - 1] as string;
        for (const dir of this.libraryPaths) {
          const folder = path.join(dir, ...parts.slice(0, k - 1));
          const found = this.filesIn(folder).find((candidate) => candidate.startsWith(`${base}.`) && EXTENSION_SUFFIX.test(candidate));
          if (found) {
            file = path.join(folder, found);
            break;
          }
        }
        this.extensionFiles.set(moduleName, file);
      }
      if (file) return { moduleName, file };
    }
    return null;
  }

  private filesIn(folder: string): string[] {
    let files = this.folderListings.get(folder);
    if (!files) {
      try {
        files = fs.readdirSync(folder);
      } catch {
        files = [];
      }
      this.folderListings.set(folder, files);
    }
    return files;
  }

  /** Turns a relative import target into an absolute one, seen from `entry`. */
  absolute(target: string, entry: ModuleEntry): string {
    if (!target.startsWith('.')) return target;
    const dots = /^\.+/.exec(target)?.[0].length ?? 0;
    const rest = target.slice(dots);
    const packageParts = entry.moduleName.split('.');
    if (!entry.isPackage) packageParts.pop();
    for (let k = 1; k < dots; k++) packageParts.pop();
    return [...packageParts, ...(rest ? [rest] : [])].filter(Boolean).join('.');
  }

  private register(entry: ModuleEntry): void {
    this.byPath.set(entry.path, entry);
    const list = this.byName.get(entry.moduleName);
    if (list) list.push(entry);
    else this.byName.set(entry.moduleName, [entry]);
    for (const [local, target] of entry.imports) entry.imports.set(local, this.absolute(target, entry));
    entry.starImports = entry.starImports.map((target) => this.absolute(target, entry));
  }

  private loadLibrary(name: string): ModuleEntry | null {
    if (!this.libraryPaths || !this.parseLibrary) return null;
    const cached = this.libraryLookups.get(name);
    if (cached !== undefined) return cached;
    let found: ModuleEntry | null = null;
    const relative = name.split('.');
    for (const dir of this.libraryPaths) {
      const base = path.join(dir, ...relative);
      for (const [file, isPackage] of [[`${base}.py`, false], [path.join(base, '__init__.py'), true]] as const) {
        if (!fs.existsSync(file)) continue;
        const workspaceCopy = this.byPath.get(file);
        if (workspaceCopy) {
          found = workspaceCopy;
        } else {
          const facts = this.parseLibrary(file);
          this.libraryMtimes.set(file, mtimeOf(file));
          if (facts) {
            found = makeEntry(file, name, isPackage, true, shareStrings(facts, this.strings));
            for (const [local, target] of found.imports) found.imports.set(local, this.absolute(target, found));
            found.starImports = found.starImports.map((target) => this.absolute(target, found as ModuleEntry));
          }
        }
        break;
      }
      if (found) break;
    }
    this.libraryLookups.set(name, found);
    return found;
  }

  /** The library files read and parsed so far. */
  libraryFilesRead(): string[] {
    return [...this.libraryMtimes.keys()];
  }

  /**
   * Forgets library modules whose files changed or vanished since they were read (a package was
   * upgraded), and modules that were not found (one may have been installed). Returns true when
   * anything was forgotten.
   */
  revalidateLibraries(): boolean {
    let changed = false;
    for (const [name, entry] of this.libraryLookups) {
      const stale = entry === null || (entry.library && mtimeOf(entry.path) !== this.libraryMtimes.get(entry.path));
      if (!stale) continue;
      this.libraryLookups.delete(name);
      if (entry) this.libraryMtimes.delete(entry.path);
      changed = true;
    }
    if (changed) {
      this.extensionFiles.clear();
      this.folderListings.clear();
      this.libraryGeneration++;
      this.generation++;
    }
    return changed;
  }

  private moduleNameOf(file: string): { moduleName: string; isPackage: boolean } {
    const base = path.basename(file).replace(/\.pyi?$/, '');
    const isPackage = base === '__init__';
    const parts = isPackage ? [] : [base];
    let dir = path.dirname(file);
    while (this.isPackageDir(dir)) {
      parts.unshift(path.basename(dir));
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return { moduleName: parts.join('.') || base, isPackage };
  }

  private isPackageDir(dir: string): boolean {
    let known = this.packageDirs.get(dir);
    if (known === undefined) {
      known = fs.existsSync(path.join(dir, '__init__.py'));
      this.packageDirs.set(dir, known);
    }
    return known;
  }
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function makeEntry(file: string, moduleName: string, isPackage: boolean, library: boolean, facts: FileFacts): ModuleEntry {
  const functions = new Map<string, FunctionFacts>();
  for (const fn of facts.functions) if (!functions.has(fn.qualname)) functions.set(fn.qualname, fn);
  const classes = new Map<string, ClassFacts>();
  for (const cls of facts.classes) if (!classes.has(cls.qualname)) classes.set(cls.qualname, cls);
  const imports = new Map<string, string>();
  const starImports: string[] = [];
  for (const binding of facts.imports) {
    if (binding.star) starImports.push(binding.target);
    else imports.set(binding.local, binding.target);
  }
  return { path: file, moduleName, isPackage, library, facts, functions, classes, imports, starImports };
}

/**
 * Frozen empties that every function or class with nothing of a kind shares (most functions have no decorator, many no
 * loop or local): a structured clone from a worker gives each its own. Facts are not changed once shared; a change
 * would throw here instead of reaching another function's facts.
 */
const NO_ITEMS: readonly never[] = Object.freeze([]);
const NO_FIELDS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Replaces, in place, the strings that recur across a program's functions (names, callees, parameters,
 * class names, decorators, returned and assigned chains) with `strings`' one copy of each, the size
 * expressions (of call arguments, loops, names, returns: 200,000 over the stdlib, 23,000 of them distinct) and the
 * argument sizes of calls (47,000, 25,000 distinct: 4 MB less live heap)
 * with one shared copy of each, and empty lists and records with shared empties; returns `facts`. Only those: walking every fact would cost more time than
 * the rest saves memory.
 */
export function shareStrings(facts: FileFacts, strings: StringTable): FileFacts {
  replaceSharedValues(facts, (value) => strings.internValue(value));
  return shareNames(facts, strings);
}

/** The values `shareStrings` shares one copy of: size expressions and the argument sizes of calls. */
export type SharedValue = SizeExpr | ArgumentSizes;

/**
 * Replaces, in place, each value of `facts` that `shareStrings` shares with `replace(value)`: a worker sends them as
 * indices into a table of its batch's distinct values (see `BatchSender`), the main thread puts the shared copies back.
 */
export function replaceSharedValues(facts: FileFacts, replace: (value: SharedValue) => SharedValue): void {
  const replaceSize = (value: SizeExpr): SizeExpr => replace(value) as SizeExpr;
  for (const fn of [...facts.functions, facts.module]) {
    for (const call of fn.calls) {
      if (call.argSize !== undefined) call.argSize = replaceSize(call.argSize);
      if (call.receiverSize !== undefined) call.receiverSize = replaceSize(call.receiverSize);
      if (call.argumentSizes !== undefined) call.argumentSizes = replace(call.argumentSizes) as ArgumentSizes;
    }
    for (const loop of fn.loops) if (loop.count !== undefined) loop.count = replaceSize(loop.count);
    if (fn.sizes) for (const name in fn.sizes) fn.sizes[name] = replaceSize(fn.sizes[name] as SizeExpr);
    if (fn.returnSize !== undefined) fn.returnSize = replaceSize(fn.returnSize);
  }
}

/** `shareStrings` without the shared values (see `replaceSharedValues`). */
export function shareNames(facts: FileFacts, strings: StringTable): FileFacts {
  replaceSharedNames(facts, (name) => strings.intern(name));
  return shareEmpties(facts);
}

/**
 * Replaces, in place, each string of `facts` that `shareStrings` shares with `replace(name)`: a worker sends them as
 * indices into a table of its batch's distinct names (see `BatchSender`), the main thread puts the shared copies back.
 */
export function replaceSharedNames(facts: FileFacts, replace: (name: string) => string): void {
  const replaceList = (list: string[]): void => {
    for (let k = 0; k < list.length; k++) list[k] = replace(list[k] as string);
  };
  const replaceRecord = (record: Record<string, string>): void => {
    for (const key in record) record[key] = replace(record[key] as string);
  };
  for (const fn of [...facts.functions, facts.module]) {
    fn.name = replace(fn.name);
    if (fn.className !== null) fn.className = replace(fn.className);
    replaceList(fn.params);
    replaceList(fn.decorators);
    replaceList(fn.returns);
    replaceRecord(fn.locals);
    for (const call of fn.calls) {
      call.callee = replace(call.callee);
      if (call.firstArgName !== undefined) call.firstArgName = replace(call.firstArgName);
    }
  }
  for (const cls of facts.classes) {
    replaceList(cls.bases);
    replaceRecord(cls.attributes);
  }
}

/** Replaces, in place, the empty lists and records of `facts` that `shareStrings` shares with the shared empties; returns `facts`. */
export function shareEmpties(facts: FileFacts): FileFacts {
  const list = <T>(items: T[]): T[] => (items.length === 0 ? (NO_ITEMS as never[]) : items);
  const record = (fields: Record<string, string>): Record<string, string> => {
    for (const _key in fields) return fields;
    return NO_FIELDS as Record<string, string>;
  };
  for (const fn of [...facts.functions, facts.module]) {
    fn.params = list(fn.params);
    fn.decorators = list(fn.decorators);
    fn.returns = list(fn.returns);
    fn.locals = record(fn.locals);
    fn.calls = list(fn.calls);
    fn.loops = list(fn.loops);
  }
  for (const cls of facts.classes) {
    cls.bases = list(cls.bases);
    cls.attributes = record(cls.attributes);
  }
  return facts;
}
