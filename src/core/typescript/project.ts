import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Project, ts } from 'ts-morph';
import { readTextFile } from '../files';
import { ITERATING_METHODS, ONCE_CALLBACK_METHODS, SCANNING_METHODS } from '../knowledge/node';
import type { TsFunctionFacts } from './facts';
import type { CheckedTarget, ScriptEntry, ScriptProgram } from './program';
import { ScriptResolver } from './resolve';

export interface ProjectStats {
  /** Files whose calls were looked at. */
  files: number;
  /** Calls the type checker was asked about, and how many it resolved to workspace functions. */
  asked: number;
  resolved: number;
  /** The tsconfig.json / jsconfig.json whose compiler options were used, if any. */
  config: string | null;
  ms: number;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** The nearest tsconfig.json / jsconfig.json at or above `dir`. */
export function findConfig(dir: string): string | null {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(current, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (path.dirname(current) === current) return null;
  }
}

function commonDir(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let common = path.dirname(files[0] as string);
  for (const file of files) {
    while (!(file === common || file.startsWith(common.endsWith(path.sep) ? common : common + path.sep))) {
      const parent = path.dirname(common);
      if (parent === common) return common;
      common = parent;
    }
  }
  return common;
}

/** The deepest identifier starting at `pos`. */
function identifierAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let node: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (child) => {
      if (child.pos <= pos && pos < child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    if (!next) break;
    node = next;
  }
  return (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.getStart(sf) === pos ? node : undefined;
}

/**
 * Project-level resolution with ts-morph: the workspace's TS/JS files in one `Project` (compiler
 * options from its tsconfig.json / jsconfig.json, `allowJs` on), and the type checker asked about the
 * calls that syntax alone did not resolve (`svc.run()` on a value returned by a factory, a method
 * through an interface's implementation, path aliases, barrel files). Its answers are stored on the
 * program's entries and used by every later verdict, edits included, until the next resolution.
 * Off the per-edit path: run after loading, and by the analysis host on a workspace pass.
 */
export class ProjectResolver {
  private project: Project | undefined;
  private config: string | null = null;
  /** A resolution was started and did not finish (cancelled): the next one runs whatever the texts. */
  private unfinished = false;
  /** The text the project holds for each file. */
  private readonly held = new Map<string, string>();

  constructor(private readonly program: ScriptProgram) {}

  /** True when a resolution would see changes: texts differ from the program's, or the last one did not finish. */
  get stale(): boolean {
    if (this.unfinished || this.held.size !== this.program.size) return true;
    for (const file of this.program.files()) {
      if (this.held.get(file) !== this.program.entry(file)?.text) return true;
    }
    return false;
  }

  private create(): Project {
    const files = this.program.files();
    this.config = findConfig(commonDir(files));
    // Only the compiler options of the configuration are used: the files are the program's, and
    // nothing else is loaded (no lib, no @types, no imports outside the workspace): the checker only
    // has to say which declaration a call names.
    const overrides: ts.CompilerOptions = {
      allowJs: true,
      checkJs: false,
      noLib: true,
      types: [],
      noResolve: true,
      skipLibCheck: true,
      noEmit: true,
    };
    let options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    if (this.config) {
      // Read like sources: a FIFO or a symlink to /dev/zero named tsconfig.json must not hang or fill memory.
      const host: ts.ParseConfigHost = { ...ts.sys, readFile: readTextFile };
      const read = ts.readConfigFile(this.config, readTextFile);
      if (!read.error) {
        const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(this.config), undefined, this.config);
        options = parsed.options;
      }
    }
    return new Project({ compilerOptions: { ...options, ...overrides }, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, skipLoadingLibFiles: true });
  }

  /** Brings the project up to date with the program and asks the checker again; no-op when nothing changed. */
  resolve(): ProjectStats {
    const steps = this.steps();
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /**
   * The same in slices of about `sliceMs` (one file's calls at a time), with `pause` between them, so
   * that a host answers edits meanwhile; `cancelled` abandons it (the next resolution starts over).
   * Making the compiler's program and binding its files is one step of its own.
   */
  async resolveInSlices(options: { sliceMs: number; pause: () => Promise<void>; cancelled?: () => boolean }): Promise<ProjectStats | null> {
    const steps = this.steps();
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (options.cancelled?.()) return null;
      if (performance.now() - sliceStart >= options.sliceMs) {
        await options.pause();
        if (options.cancelled?.()) return null;
        sliceStart = performance.now();
      }
    }
  }

  private *steps(): Generator<void, ProjectStats, void> {
    const started = performance.now();
    const stats: ProjectStats = { files: 0, asked: 0, resolved: 0, config: this.config, ms: 0 };
    if (!this.stale) return stats;
    this.unfinished = true;
    const project = (this.project ??= this.create());
    stats.config = this.config;
    for (const file of [...this.held.keys()]) {
      if (this.program.has(file)) continue;
      const sf = project.getSourceFile(file);
      if (sf) project.removeSourceFile(sf);
      this.held.delete(file);
    }
    for (const file of this.program.files()) {
      const entry = this.program.entry(file);
      if (!entry || this.held.get(file) === entry.text) continue;
      project.createSourceFile(file, entry.text, { overwrite: true });
      this.held.set(file, entry.text);
      yield;
    }
    const compiler = project.getProgram().compilerObject;
    const checker = compiler.getTypeChecker();
    yield;
    const resolver = new ScriptResolver(this.program);
    for (const file of this.program.files()) {
      const entry = this.program.entry(file);
      const sf = compiler.getSourceFile(file);
      // A file whose text changed since the program was made is left to the next resolution.
      if (!entry || !sf || sf.text !== entry.text) continue;
      stats.files++;
      const checked = new Map<string, CheckedTarget>();
      for (const fn of entry.facts.functions) {
        for (const call of fn.calls) {
          const key = `${fn.qualname}\0${call.callee}`;
          if (checked.has(key) || !this.worthAsking(resolver, entry, fn, call.callee)) continue;
          stats.asked++;
          const node = identifierAt(sf, call.pos);
          if (!node) continue;
          let symbol = checker.getSymbolAtLocation(node);
          if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
          for (const decl of symbol?.declarations ?? []) {
            const target = this.program.entry(path.normalize(decl.getSourceFile().fileName));
            if (!target) continue;
            const name = ts.getNameOfDeclaration(decl) ?? decl;
            const namePos = name.getStart(decl.getSourceFile());
            const fnTarget = target.byNamePos.get(namePos);
            const clsTarget = target.classesByNamePos.get(namePos);
            const qualname = fnTarget?.reported ? fnTarget.qualname : clsTarget ? `class:${clsTarget.name}` : undefined;
            if (qualname !== undefined) {
              checked.set(key, { file: target.file, qualname });
              stats.resolved++;
              break;
            }
          }
        }
      }
      if (!sameTargets(entry.checked, checked)) this.program.setChecked(file, checked);
      yield;
    }
    this.unfinished = false;
    stats.ms = performance.now() - started;
    return stats;
  }

  /** Calls that syntax did not resolve and that are not built-in methods of values. */
  private worthAsking(resolver: ScriptResolver, entry: ScriptEntry, fn: TsFunctionFacts, chain: string): boolean {
    const sym = resolver.resolve(chain, entry, fn, 0);
    if (sym.kind !== 'unknown') return false;
    const method = sym.method;
    return method === undefined || !(SCANNING_METHODS.has(method) || ITERATING_METHODS.has(method) || ONCE_CALLBACK_METHODS.has(method));
  }

  dispose(): void {
    this.project = undefined;
    this.held.clear();
  }
}

function sameTargets(a: Map<string, CheckedTarget> | undefined, b: Map<string, CheckedTarget>): boolean {
  if (!a) return b.size === 0;
  if (a.size !== b.size) return false;
  for (const [key, target] of b) {
    const other = a.get(key);
    if (!other || other.file !== target.file || other.qualname !== target.qualname) return false;
  }
  return true;
}
