import { canonicalApiName, lookupNodeApi, NODE_GLOBALS } from '../knowledge/node';
import type { TsCallFact, TsClassFacts, TsFileFacts, TsFunctionFacts } from './facts';
import type { ScriptEntry, ScriptProgram } from './program';

/** What a chain denotes. */
export type Sym =
  /** A module, or a member of one, by qualified name (`fs`, `fs.readFileSync`, `JSON.parse`). */
  | { kind: 'external'; name: string }
  /** A value of a known external type (`crypto.Hash`, `Response`, `pg.Pool`). */
  | { kind: 'value'; type: string }
  | { kind: 'function'; entry: ScriptEntry; fn: TsFunctionFacts }
  | { kind: 'class'; entry: ScriptEntry; cls: TsClassFacts }
  | { kind: 'instance'; entry: ScriptEntry; cls: TsClassFacts }
  /** A workspace module's namespace (`import * as util from './util'`, `require('./util')`). */
  | { kind: 'module'; entry: ScriptEntry }
  /** `method`: the last name, when the value it is read from is unknown. */
  | { kind: 'unknown'; method?: string };

const UNKNOWN: Sym = { kind: 'unknown' };
const MAX_DEPTH = 8;

interface Segment {
  name: string;
  /** Calls applied after the name (`f()()` has 2). */
  calls: number;
}

/** `crypto.createHash().update` -> crypto, createHash(), update. Element access (`[]`) ends a known chain. */
function segments(chain: string): Segment[] {
  const out: Segment[] = [];
  let k = 0;
  while (k < chain.length) {
    let name = '';
    if (chain.startsWith('""', k)) {
      name = '""';
      k += 2;
    } else if (chain.startsWith('[]', k) && out.length === 0) {
      name = '[]';
      k += 2;
    } else {
      while (k < chain.length && chain[k] !== '.' && chain[k] !== '(' && chain[k] !== '[') name += chain[k++];
    }
    let calls = 0;
    while (chain.startsWith('()', k) || chain.startsWith('[]', k)) {
      if (chain[k] === '[') {
        // An element of something: nothing known about it.
        out.push({ name, calls });
        out.push({ name: '[]', calls: 0 });
        name = '';
        calls = 0;
        k += 2;
        continue;
      }
      calls++;
      k += 2;
    }
    if (name !== '' || calls > 0) out.push({ name, calls });
    if (chain[k] === '.') k++;
  }
  return out;
}

/** Segments are parsed once per distinct chain. */
const segmentCache = new Map<string, Segment[]>();
function segmentsOf(chain: string): Segment[] {
  let cached = segmentCache.get(chain);
  if (!cached) {
    cached = segments(chain);
    if (segmentCache.size > 50_000) segmentCache.clear();
    segmentCache.set(chain, cached);
  }
  return cached;
}

/**
 * (The facts' records have no prototype (`dict()`): they are indexed directly, `constructor` included.)
 *
 * Resolves chains inside a function: local functions and classes, parameter and variable types,
 * variables' initializers, `this` in methods, imports (workspace modules through their exports,
 * packages and Node's modules by qualified name), globals; and the project-level answers of the type
 * checker where syntax alone cannot tell.
 */
export class ScriptResolver {
  /** Per file's facts: the calls of each name, with the function making them. */
  private readonly callers = new WeakMap<TsFileFacts, Map<string, { caller: TsFunctionFacts; call: TsCallFact }[]>>();

  constructor(private readonly program: ScriptProgram) {}

  /** What a call's callee denotes, asking the type checker's stored answer first. */
  resolveCallee(chain: string, entry: ScriptEntry, fn: TsFunctionFacts): Sym {
    const checked = entry.checked?.get(`${fn.qualname}\0${chain}`);
    if (checked) {
      const target = this.program.entry(checked.file);
      if (target && checked.qualname.startsWith('class:')) {
        const cls = target.facts.classes[checked.qualname.slice('class:'.length)];
        if (cls) return { kind: 'class', entry: target, cls };
      } else {
        const targetFn = target?.byQualname.get(checked.qualname);
        if (target && targetFn) return { kind: 'function', entry: target, fn: targetFn };
      }
    }
    return this.resolve(chain, entry, fn, 0);
  }

  resolve(chain: string, entry: ScriptEntry, fn: TsFunctionFacts, depth: number): Sym {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const parts = segmentsOf(chain);
    const [head] = parts;
    if (!head) return UNKNOWN;
    // `api.get` declared as an object literal's method in scope: the whole dotted name first.
    let start = 1;
    let sym: Sym | undefined;
    if (parts.length > 1 && parts.slice(0, -1).every((p) => p.calls === 0)) {
      const dotted = parts.map((p) => p.name).join('.');
      const found = this.lookupScope(dotted, entry, fn);
      if (found) {
        sym = found;
        start = parts.length;
        const last = parts[parts.length - 1] as Segment;
        for (let c = 0; c < last.calls; c++) sym = this.call(sym, depth);
        return sym;
      }
    }
    // `rule.holds` where `rule` is an item of a table (`RULES[]`): the table's items' member, `RULES.[].holds`.
    const item = parts.length > 1 && head.calls === 0 ? this.itemOfTable(head.name, entry, fn) : undefined;
    if (item !== undefined) {
      const found = this.lookupScope([item, '[]', ...parts.slice(1).map((p) => p.name)].join('.'), entry, fn);
      if (found && parts.slice(1, -1).every((p) => p.calls === 0)) {
        sym = found;
        for (let c = 0; c < (parts[parts.length - 1] as Segment).calls; c++) sym = this.call(sym, depth);
        return sym;
      }
    }
    sym = this.head(head.name, entry, fn, depth);
    for (let c = 0; c < head.calls; c++) sym = this.call(sym, depth);
    for (let k = start; k < parts.length; k++) {
      const part = parts[k] as Segment;
      sym = this.member(sym, part.name, depth);
      for (let c = 0; c < part.calls; c++) sym = this.call(sym, depth);
    }
    return sym;
  }

  /** The table whose item `name` is, when a function here or around it binds `name` to one (`RULES[]`). */
  private itemOfTable(name: string, entry: ScriptEntry, fn: TsFunctionFacts): string | undefined {
    const functions = entry.facts.functions;
    for (let scope: TsFunctionFacts | undefined = fn; scope; scope = scope.parent >= 0 ? functions[scope.parent] : undefined) {
      const local = scope.locals[name];
      if (local !== undefined) return /^[\w$]+\[\]$/.test(local) ? local.slice(0, -2) : undefined;
    }
    return undefined;
  }

  /** A function or class declared by that (dotted) name in this function or a function around it. */
  private lookupScope(name: string, entry: ScriptEntry, fn: TsFunctionFacts): Sym | undefined {
    const functions = entry.facts.functions;
    for (let scope: TsFunctionFacts | undefined = fn; scope; scope = scope.parent >= 0 ? functions[scope.parent] : undefined) {
      const found = scope.scope[name];
      if (found === undefined) continue;
      if (typeof found === 'number') {
        const target = functions[found];
        return target ? { kind: 'function', entry, fn: target } : undefined;
      }
      const cls = entry.facts.classes[found.slice('class:'.length)];
      return cls ? { kind: 'class', entry, cls } : undefined;
    }
    return undefined;
  }

  private head(name: string, entry: ScriptEntry, fn: TsFunctionFacts, depth: number): Sym {
    if (name === 'this') {
      const cls = this.enclosingClass(entry, fn);
      return cls ? { kind: 'instance', entry, cls } : UNKNOWN;
    }
    if (name === '[]') return { kind: 'value', type: 'Array' };
    if (name === '""') return { kind: 'value', type: 'String' };
    if (name === '?' || name === 'super' || name === '') return UNKNOWN;
    const scoped = this.lookupScope(name, entry, fn);
    if (scoped) return scoped;
    const functions = entry.facts.functions;
    for (let scope: TsFunctionFacts | undefined = fn; scope; scope = scope.parent >= 0 ? functions[scope.parent] : undefined) {
      const type = scope.types[name];
      if (type !== undefined) return this.typeNamed(type, entry, depth);
      const local = scope.locals[name];
      if (local !== undefined) return local === name ? UNKNOWN : this.resolve(local, entry, scope, depth + 1);
      if (scope.params.includes(name)) return this.passedTo(entry, scope, scope.params.indexOf(name), depth);
    }
    const imported = entry.facts.imports[name];
    if (imported) {
      const target = this.program.resolveModule(entry.file, imported.module);
      if (target) {
        if (imported.member === undefined) return { kind: 'module', entry: target };
        return this.exported(target, imported.member, depth) ?? (imported.member === 'default' ? { kind: 'module', entry: target } : UNKNOWN);
      }
      if (imported.module.startsWith('.')) return UNKNOWN;
      const module = canonicalApiName(imported.module);
      if (imported.member === undefined) return { kind: 'external', name: module };
      // A package's default import is the package itself (CommonJS interop), unless it has a `default` entry.
      if (imported.member === 'default') return { kind: 'external', name: lookupNodeApi(`${module}.default`) ? `${module}.default` : module };
      return { kind: 'external', name: canonicalApiName(`${module}.${imported.member}`) };
    }
    const cls = entry.facts.classes[name];
    if (cls) return { kind: 'class', entry, cls };
    if (NODE_GLOBALS.has(name)) return { kind: 'external', name };
    return UNKNOWN;
  }

  /**
   * What every caller passes a module function's parameter, when they all pass the same function of the workspace
   * (`plateReads(seededRandom(i + 1), n)`: the closure `seededRandom` returns). Only for a function of the module
   * that is neither exported nor handed on as a value: its calls in the file are all its calls.
   */
  private passedTo(entry: ScriptEntry, fn: TsFunctionFacts, index: number, depth: number): Sym {
    if (depth >= MAX_DEPTH || fn.parent !== 0 || fn.className !== undefined || !fn.reported) return UNKNOWN;
    if (Object.values(entry.facts.exports).includes(fn.name) || entry.facts.handedFunctions?.includes(fn.name)) return UNKNOWN;
    const sites = this.callersOf(entry.facts).get(fn.name);
    if (!sites) return UNKNOWN;
    let passed: Sym | undefined;
    for (const { caller, call } of sites) {
      const chain = call.passed?.[index];
      const sym = chain ? this.resolve(chain, entry, caller, depth + 1) : UNKNOWN;
      if (sym.kind !== 'function' || (passed?.kind === 'function' && passed.fn !== sym.fn)) return UNKNOWN;
      passed = sym;
    }
    return passed ?? UNKNOWN;
  }

  private callersOf(facts: TsFileFacts): Map<string, { caller: TsFunctionFacts; call: TsCallFact }[]> {
    let known = this.callers.get(facts);
    if (!known) {
      known = new Map();
      for (const caller of facts.functions) {
        for (const call of caller.calls) {
          const sites = known.get(call.callee);
          if (sites) sites.push({ caller, call });
          else known.set(call.callee, [{ caller, call }]);
        }
      }
      this.callers.set(facts, known);
    }
    return known;
  }

  /** The class whose `this` a function sees: its own, or that of the method an arrow function sits in. */
  private enclosingClass(entry: ScriptEntry, fn: TsFunctionFacts): TsClassFacts | undefined {
    const name = fn.className;
    return name === undefined ? undefined : entry.facts.classes[name];
  }

  /** A type annotation: a class of the workspace (an instance of it) or an imported type. */
  private typeNamed(type: string, entry: ScriptEntry, depth: number): Sym {
    const module = entry.facts.functions[0];
    if (!module) return UNKNOWN;
    const sym = this.resolve(type, entry, module, depth + 1);
    if (sym.kind === 'class') return { kind: 'instance', entry: sym.entry, cls: sym.cls };
    if (sym.kind === 'external') return { kind: 'value', type: sym.name };
    return UNKNOWN;
  }

  /** What a module exports by that name, following re-exports. */
  exported(entry: ScriptEntry, name: string, depth: number): Sym | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const module = entry.facts.functions[0];
    const local = entry.facts.exports[name];
    if (local !== undefined && module) {
      const sym = this.resolve(local, entry, module, depth + 1);
      return sym.kind === 'unknown' ? undefined : sym;
    }
    for (const reexport of entry.facts.reexports) {
      const target = this.program.resolveModule(entry.file, reexport.from);
      if (!target) continue;
      if (reexport.names) {
        const original = reexport.names[name];
        if (original !== undefined) return this.exported(target, original, depth + 1);
      } else {
        const found = this.exported(target, name, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  private member(sym: Sym, name: string, depth: number): Sym {
    if (name === '[]') return UNKNOWN;
    switch (sym.kind) {
      case 'external':
        return { kind: 'external', name: canonicalApiName(`${sym.name}.${name}`) };
      case 'value':
        return { kind: 'external', name: `${sym.type}.${name}` };
      case 'module':
        return this.exported(sym.entry, name, depth) ?? { kind: 'unknown', method: name };
      case 'class': {
        const method = sym.cls.methods[name];
        const fn = method === undefined ? undefined : sym.entry.facts.functions[method];
        return fn ? { kind: 'function', entry: sym.entry, fn } : { kind: 'unknown', method: name };
      }
      case 'instance':
        return this.instanceMember(sym.entry, sym.cls, name, depth) ?? { kind: 'unknown', method: name };
      default:
        return { kind: 'unknown', method: name };
    }
  }

  private instanceMember(entry: ScriptEntry, cls: TsClassFacts, name: string, depth: number): Sym | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const method = cls.methods[name];
    const fn = method === undefined ? undefined : entry.facts.functions[method];
    if (fn) return { kind: 'function', entry, fn };
    const field = cls.fields[name];
    const module = entry.facts.functions[0];
    if (field !== undefined && module) {
      if (field.startsWith('=')) {
        const sym = this.resolve(field.slice(1), entry, module, depth + 1);
        return sym.kind === 'unknown' ? undefined : sym;
      }
      const sym = this.typeNamed(field, entry, depth + 1);
      return sym.kind === 'unknown' ? undefined : sym;
    }
    if (cls.extends !== undefined && module) {
      const base = this.resolve(cls.extends, entry, module, depth + 1);
      if (base.kind === 'class') return this.instanceMember(base.entry, base.cls, name, depth + 1);
      if (base.kind === 'external') return { kind: 'external', name: `${base.name}.${name}` };
    }
    return undefined;
  }

  private call(sym: Sym, depth: number): Sym {
    switch (sym.kind) {
      case 'external': {
        const returns = lookupNodeApi(sym.name)?.returns;
        return returns ? { kind: 'value', type: returns } : UNKNOWN;
      }
      case 'class':
        return { kind: 'instance', entry: sym.entry, cls: sym.cls };
      case 'module': {
        const main = this.exported(sym.entry, 'default', 0);
        return main ? this.call(main, depth) : UNKNOWN;
      }
      case 'function': {
        // A factory: the function or instance it returns.
        const returned = sym.fn.returns;
        if (typeof returned === 'number') {
          const made = sym.entry.facts.functions[returned];
          return made ? { kind: 'function', entry: sym.entry, fn: made } : UNKNOWN;
        }
        if (returned === undefined || depth >= MAX_DEPTH) return UNKNOWN;
        const made = this.resolve(returned, sym.entry, sym.fn, depth + 1);
        return made.kind === 'function' || made.kind === 'instance' ? made : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /** The function a call runs, when it is one of the workspace (a class's constructor for `new`). */
  targetOf(sym: Sym): { entry: ScriptEntry; fn: TsFunctionFacts } | undefined {
    if (sym.kind === 'function') return { entry: sym.entry, fn: sym.fn };
    if (sym.kind === 'class') {
      const ctor = sym.cls.methods['constructor'];
      const fn = ctor === undefined ? undefined : sym.entry.facts.functions[ctor];
      return fn ? { entry: sym.entry, fn } : undefined;
    }
    if (sym.kind === 'module') {
      const main = this.exported(sym.entry, 'default', 0);
      return main ? this.targetOf(main) : undefined;
    }
    return undefined;
  }
}
