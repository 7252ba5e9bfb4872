import { BUILTIN_NAMES, hasEntriesBelow, lookupApi, matchApi } from '../knowledge/python';
import { own } from '../own';
import { splitChain } from './chain';
import type { CallFact, ClassFacts, FileFacts, FunctionFacts } from './facts';
import type { ModuleEntry, PythonProgram } from './program';

/** What a name or chain denotes, as far as the analyzer can tell. */
export type Sym =
  | { kind: 'module'; entry: ModuleEntry }
  /** A function or method in the workspace or a followed library. */
  | { kind: 'function'; entry: ModuleEntry; fn: FunctionFacts }
  /** `inside`: `self` or `cls` in one of the class's own methods. */
  | { kind: 'class'; entry: ModuleEntry; cls: ClassFacts; inside?: true }
  | { kind: 'instance'; entry: ModuleEntry; cls: ClassFacts; inside?: true }
  /**
   * A qualified name outside the analyzed code: `time.sleep`, or an instance type `requests.Session`.
   * `beyond`: a name library code imports from another module, left unread past the following bound.
   */
  | { kind: 'external'; name: string; instance: boolean; beyond?: true }
  /** An object of unknown type; `name` is the last attribute, for duck-typed method lookups. */
  | { kind: 'unknown'; name: string; method: boolean };

const MAX_CHAIN_DEPTH = 8;

const PLAIN_NAME = /^[A-Za-z_]\w*$/;
/** A call of one of the file's own module functions, in its file's scope number `scope` (0 the top level, then its functions in order). */
interface CallSite {
  caller: FunctionFacts;
  scope: number;
  call: CallFact;
}

/**
 * Calls of the file's own module functions by plain name (`_split_rooms(rnd, 1, 1)`), by the name called: per
 * file's facts, made when first asked. Calls of other names (`len(x)`, most of a file's) type no parameter here.
 */
const callSites = new WeakMap<FileFacts, Map<string, CallSite[]>>();

function callSitesOf(entry: ModuleEntry): Map<string, CallSite[]> {
  let sites = callSites.get(entry.facts);
  if (!sites) {
    sites = new Map();
    const scopes = [entry.facts.module, ...entry.facts.functions];
    for (const [scope, caller] of scopes.entries()) {
      for (const call of caller.calls) {
        // `pool.submit(_notify, session, b)` calls `_notify(session, b)`.
        const [callee, site] = call.taskArgNames && call.firstArgName ? [call.firstArgName, { ...call, argNames: call.taskArgNames }] : [call.callee, call];
        if (!entry.functions.has(callee) || !PLAIN_NAME.test(callee)) continue;
        const list = sites.get(callee);
        if (list) list.push({ caller, scope, call: site });
        else sites.set(callee, [{ caller, scope, call: site }]);
      }
    }
    callSites.set(entry.facts, sites);
  }
  return sites;
}

/**
 * What `argumentOf` reads of the calls of a workspace file's function `name`: which scopes call it and the names each
 * passes. The rest it reads (bindings, returns, signatures) is in the file's shape (`PythonProgram.shapeOf`), so a
 * summary typed through these calls stays right, within its shape generation, while they read the same.
 */
export interface ArgumentSites {
  file: string;
  name: string;
  signature: string;
}

/** One `ArgumentSites` per file's facts and name, made when first asked. */
const argumentSites = new WeakMap<FileFacts, Map<string, ArgumentSites>>();

export function argumentSitesOf(entry: ModuleEntry, name: string): ArgumentSites {
  let byName = argumentSites.get(entry.facts);
  if (!byName) {
    byName = new Map();
    argumentSites.set(entry.facts, byName);
  }
  let sites = byName.get(name);
  if (!sites) {
    const signature = (callSitesOf(entry).get(name) ?? []).map(({ scope, call }) => `${scope} ${JSON.stringify(call.argNames ?? null)}`).join('\n');
    sites = { file: entry.path, name, signature };
    byName.set(name, sites);
  }
  return sites;
}

const BUILTIN_TYPES = new Set(['str', 'bytes', 'bytearray', 'list', 'dict', 'set', 'frozenset', 'tuple', 'int', 'float']);
const MAX_BASES = 4;
const CLASS_NAME = /^_?[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/;
/**
 * Functions whose callees' resolutions are kept, in each of two generations (the functions used lately, and
 * those before). A function's callees are resolved again mostly while its summary is being made and its
 * file reported: a whole-workspace pass that kept every function's held tens of MB.
 */
export const MAX_MEMOIZED_FUNCTIONS = 4096;

/** Resolves chains (see chain.ts) in the scope of one function of one module. */
export class Resolver {
  private callees = new Map<FunctionFacts, Map<string, Sym>>();
  /**
   * While set, collects the calls of workspace functions read to type a parameter (`argumentOf`): a summary made
   * meanwhile is right while they read the same.
   */
  argumentSites: Set<ArgumentSites> | undefined;
  /** The generation before `callees`: dropped when `callees` is full. */
  private olderCallees = new Map<FunctionFacts, Map<string, Sym>>();

  constructor(
    private readonly program: PythonProgram,
    /**
     * Reads no module but the one it resolves in: a name imported from elsewhere is what the knowledge
     * base says of it, or `beyond`. For library code at the following bound, whose library callees are
     * not summarized anyway: reading their modules only to learn so would parse most of a large package.
     */
    private readonly confined = false,
  ) {}

  /** resolveChain for the callees of `fn`, memoized until `forget()` (a function repeats its callees) or it is long unused. */
  resolveCallee(chain: string, entry: ModuleEntry, fn: FunctionFacts): Sym {
    let known = this.callees.get(fn);
    if (!known) {
      if (this.callees.size >= MAX_MEMOIZED_FUNCTIONS) {
        this.olderCallees = this.callees;
        this.callees = new Map();
      }
      known = this.olderCallees.get(fn) ?? new Map<string, Sym>();
      this.callees.set(fn, known);
    }
    let sym = known.get(chain);
    if (!sym) {
      sym = this.program.inScopeOf(entry, () => this.resolveChain(chain, entry, fn));
      known.set(chain, sym);
    }
    return sym;
  }

  /** Functions whose callees' resolutions are memoized now. */
  get memoizedFunctions(): number {
    return this.callees.size + this.olderCallees.size;
  }

  /** Drops memoized resolutions (the program changed). */
  forget(): void {
    this.callees = new Map();
    this.olderCallees = new Map();
  }

  /**
   * A module function's parameter that every call of it in its module passes as a name bound the same way
   * (`_split_rooms(rnd, …)` where the caller bound `rnd = random.Random(i)`): what that binding denotes. A call that
   * passes the function's own parameter on (recursion) tells nothing either way; any other call decides nothing.
   */
  private argumentOf(fn: FunctionFacts, name: string, entry: ModuleEntry, depth: number): Sym | undefined {
    if (fn.className !== null || fn.qualname !== fn.name) return undefined;
    const index = fn.params.indexOf(name);
    if (index < 0) return undefined;
    // Library files change only all at once (`PythonProgram.revalidateLibraries`), which every summary is made again after.
    if (this.argumentSites && !entry.library) this.argumentSites.add(argumentSitesOf(entry, fn.name));
    const sites = callSitesOf(entry).get(fn.name);
    if (!sites) return undefined;
    let bound: { chain: string; caller: FunctionFacts } | undefined;
    for (const { caller, call } of sites) {
      const arg = call.argNames?.[index];
      if (caller === fn && arg === name) continue;
      // A plain name is what the caller bound it to (not a name bound to itself); a call's chain (`random.Random()`) is itself.
      const named = typeof arg === 'string' && PLAIN_NAME.test(arg);
      const chain = named ? own(caller.locals, arg) : (arg ?? undefined);
      if (chain === undefined || (named && chain === arg) || (bound !== undefined && chain !== bound.chain)) return undefined;
      bound ??= { chain, caller };
    }
    if (!bound) return undefined;
    return this.resolveChain(bound.chain, entry, bound.caller, depth + 1);
  }

  /** The symbol a callee chain denotes when written inside `fn` (the `<module>` pseudo-function for top level). */
  resolveChain(chain: string, entry: ModuleEntry, fn: FunctionFacts, depth = 0): Sym {
    const parts = splitChain(chain);
    const head = parts[0];
    if (!head || depth > MAX_CHAIN_DEPTH) return unknown(chain, false);
    const held = head.subscript && !head.call && depth < MAX_CHAIN_DEPTH ? heldItemsOf(head.name, entry, fn) : undefined;
    let sym = held ? this.resolveChain(held.items, entry, held.scope, depth + 1)
      : head.name === '' || head.name === "''" ? stringOrUnknown(head.name) : this.resolveName(head.name, entry, fn, depth);
    if (!held) sym = this.applySuffixes(sym, head, depth);
    for (let k = 1; k < parts.length; k++) {
      const part = parts[k] as (typeof parts)[number];
      const owner = sym;
      sym = this.applySuffixes(this.attribute(sym, part.name, depth), part, depth, owner);
    }
    return sym;
  }

  /**
   * A part's call and subscript: `rows[]` an item; `_scans()[]` an item of what a workspace function returns, and
   * `self.loans[]` one of a list an instance grows, typed by their appends.
   */
  private applySuffixes(sym: Sym, part: { name: string; call: boolean; subscript: boolean }, depth: number, owner?: Sym): Sym {
    const callee = sym;
    if (part.call) sym = this.returnOf(sym, depth);
    if (!part.subscript) return sym;
    if (depth < MAX_CHAIN_DEPTH && part.call && callee.kind === 'function' && callee.fn.returnedItems !== undefined) {
      return this.resolveChain(callee.fn.returnedItems, callee.entry, callee.fn, depth + 1);
    }
    const items = depth < MAX_CHAIN_DEPTH && !part.call && owner?.kind === 'instance' ? own(owner.cls.attributeItems ?? {}, part.name) : undefined;
    if (owner?.kind === 'instance' && items) {
      const init = owner.entry.functions.get(`${owner.cls.qualname}.__init__`) ?? owner.entry.facts.module;
      return this.resolveChain(items, owner.entry, init, depth + 1);
    }
    return itemOf(sym, part.name);
  }

  /** Name lookup: locals, enclosing functions, self/cls, nested defs, module globals, imports, builtins. */
  resolveName(name: string, entry: ModuleEntry, fn: FunctionFacts, depth: number): Sym {
    for (let scope: FunctionFacts | undefined = fn; scope; scope = enclosingScope(entry, scope)) {
      const bound = own(scope.locals, name);
      if (bound !== undefined && bound !== name) {
        const sym = this.resolveChain(bound, entry, scope, depth + 1);
        const operands = sym.kind === 'unknown' ? own(scope.operandBindings ?? {}, name) : undefined;
        return operands?.bound === bound ? this.firstTyped(operands.others, entry, scope, depth + 1) ?? sym : sym;
      }
      if (scope !== entry.facts.module) {
        const local = `${scope.qualname}.<locals>.${name}`;
        const nested = entry.functions.get(local);
        if (nested) return { kind: 'function', entry, fn: nested };
        const nestedClass = entry.classes.get(local);
        if (nestedClass) return { kind: 'class', entry, cls: nestedClass };
        if (scope === fn && fn.className && (name === 'self' || name === 'cls') && fn.params[0] === name) {
          const cls = entry.classes.get(fn.className);
          if (cls) return { kind: name === 'self' ? 'instance' : 'class', entry, cls, inside: true };
        }
        if (scope.params.includes(name)) return this.argumentOf(scope, name, entry, depth) ?? unknown(name, false);
      }
    }
    return this.globalName(name, entry, depth);
  }

  /** The first of `chains` (an arithmetic's operands) that resolves to something: as callees (memoized) from a verdict's
   *  call, at `depth` from inside a chain's resolution. */
  firstTyped(chains: readonly string[], entry: ModuleEntry, fn: FunctionFacts, depth = 0): Sym | undefined {
    for (const chain of chains) {
      const sym = depth === 0 ? this.resolveCallee(chain, entry, fn) : this.resolveChain(chain, entry, fn, depth);
      if (sym.kind !== 'unknown') return sym;
    }
    return undefined;
  }

  private globalName(name: string, entry: ModuleEntry, depth: number): Sym {
    const fn = entry.functions.get(name);
    if (fn) return { kind: 'function', entry, fn };
    const cls = entry.classes.get(name);
    if (cls) return { kind: 'class', entry, cls };
    const bound = own(entry.facts.module.locals, name);
    if (bound !== undefined && bound !== name) return this.resolveChain(bound, entry, entry.facts.module, depth + 1);
    const target = entry.imports.get(name);
    if (target !== undefined) return this.resolveDotted(target, entry, depth + 1);
    for (const star of entry.starImports) {
      if (this.confined) {
        if (this.knowledgeApplies(`${star}.${name}`)) return { kind: 'external', name: `${star}.${name}`, instance: false };
        continue;
      }
      const module = this.program.module(star, entry);
      if (module && depth < MAX_CHAIN_DEPTH) {
        const sym = this.attribute({ kind: 'module', entry: module }, name, depth + 1);
        if (sym.kind !== 'external' && sym.kind !== 'unknown') return sym;
      }
    }
    if (BUILTIN_NAMES.has(name)) return { kind: 'external', name: `builtins.${name}`, instance: false };
    const star = entry.starImports[0];
    if (this.confined && star !== undefined) return beyond(`${star}.${name}`);
    return unknown(name, false);
  }

  /**
   * A fully qualified dotted name: the knowledge base first, then workspace modules, then libraries.
   * `depth` counts the imports followed to get here: a package that imports its own compiled submodule
   * (`from . import _bcrypt`, with no Python source for `_bcrypt`) leads back to the same name.
   */
  resolveDotted(name: string, from?: ModuleEntry, depth = 0): Sym {
    if (this.knowledgeApplies(name)) return { kind: 'external', name, instance: false };
    if (this.confined) return beyond(name);
    const parts = name.split('.');
    for (let k = parts.length; k > 0; k--) {
      const module = this.program.module(parts.slice(0, k).join('.'), from);
      if (!module) continue;
      let sym: Sym = { kind: 'module', entry: module };
      for (const part of parts.slice(k)) sym = this.attribute(sym, part, depth + 1);
      return sym;
    }
    return { kind: 'external', name, instance: false };
  }

  /**
   * Whether the knowledge base speaks for the dotted `name`. Never for a workspace module that merely
   * shares a library's name (Python imports the workspace's). A wildcard `pkg.*` speaks for the names
   * of `pkg` itself and of its types, not for the names of a submodule whose source can be read
   * (`requests.utils.quote` is urllib's, re-exported), nor for a name `pkg` imports from another package
   * (`urllib.request.quote` is `urllib.parse.quote`): those are resolved through the source, and the
   * wildcard applies to what stays opaque there (compiled code, star imports).
   */
  private knowledgeApplies(name: string): boolean {
    const match = matchApi(name);
    if (!match || this.program.shadowedByWorkspace(name)) return false;
    if (!match.wildcard) return true;
    const rest = name.slice(match.prefix.length + 1);
    const dot = rest.indexOf('.');
    const first = dot < 0 ? rest : rest.slice(0, dot);
    if (hasEntriesBelow(`${match.prefix}.${first}`)) return true;
    if (this.program.module(`${match.prefix}.${first}`)) return false;
    const imported = this.program.module(match.prefix)?.imports.get(first);
    return imported === undefined || imported.startsWith(`${match.prefix}.`);
  }

  attribute(sym: Sym, name: string, depth: number): Sym {
    switch (sym.kind) {
      case 'module': {
        const { entry } = sym;
        const qualified = `${entry.moduleName}.${name}`;
        if (this.program.isRealModule(entry) && this.knowledgeApplies(qualified)) return { kind: 'external', name: qualified, instance: false };
        const fn = entry.functions.get(name);
        if (fn) return { kind: 'function', entry, fn };
        const cls = entry.classes.get(name);
        if (cls) return { kind: 'class', entry, cls };
        const bound = own(entry.facts.module.locals, name);
        if (bound !== undefined && depth < MAX_CHAIN_DEPTH) return this.resolveChain(bound, entry, entry.facts.module, depth + 1);
        const target = entry.imports.get(name);
        if (target !== undefined && depth < MAX_CHAIN_DEPTH) return this.resolveDotted(target, entry, depth + 1);
        if (this.confined) return beyond(qualified);
        const submodule = this.program.module(qualified, entry);
        if (submodule) return { kind: 'module', entry: submodule };
        return { kind: 'external', name: qualified, instance: false };
      }
      case 'class':
      case 'instance': {
        // Used from outside, a library type's knowledge comes before its source (as for the functions of
        // a library module); its own methods calling each other are its implementation, read from source.
        if (!sym.inside && this.program.isRealModule(sym.entry)) {
          const known = this.knownMember(sym.entry, sym.cls, name);
          if (known) return known;
        }
        const found = this.member(sym.entry, sym.cls, name, depth, 0);
        if (found) return found;
        return sym.kind === 'instance' ? unknown(name, true) : unknown(name, true);
      }
      case 'external':
        return sym.beyond ? beyond(`${sym.name}.${name}`) : { kind: 'external', name: `${sym.name}.${name}`, instance: false };
      case 'function':
        return unknown(name, true);
      case 'unknown':
        return unknown(name, true);
    }
  }

  /**
   * The knowledge entry of a library type's member, under the type's own module or under the name its
   * top-level package exports it by (`requests.sessions.Session` is `requests.Session`).
   */
  private knownMember(entry: ModuleEntry, cls: ClassFacts, name: string): Sym | null {
    const qualified = `${entry.moduleName}.${cls.qualname}.${name}`;
    if (this.knowledgeApplies(qualified)) return { kind: 'external', name: qualified, instance: false };
    const top = entry.moduleName.split('.')[0] as string;
    if (top === entry.moduleName || cls.qualname !== cls.name) return null;
    const exported = this.program.module(top)?.imports.get(cls.name);
    if (exported !== `${entry.moduleName}.${cls.name}`) return null;
    const publicName = `${top}.${cls.name}.${name}`;
    return this.knowledgeApplies(publicName) ? { kind: 'external', name: publicName, instance: false } : null;
  }

  /** Method or `self.x` attribute of a class, looking through its bases. */
  private member(entry: ModuleEntry, cls: ClassFacts, name: string, depth: number, baseDepth: number): Sym | null {
    const method = entry.functions.get(`${cls.qualname}.${name}`);
    if (method) return { kind: 'function', entry, fn: method };
    const attribute = own(cls.attributes, name);
    if (attribute !== undefined && depth < MAX_CHAIN_DEPTH) {
      const init = entry.functions.get(`${cls.qualname}.__init__`) ?? entry.facts.module;
      return this.resolveChain(attribute, entry, init, depth + 1);
    }
    if (baseDepth >= MAX_BASES) return null;
    for (const base of cls.bases) {
      const baseSym = this.resolveChain(base, entry, entry.facts.module, depth + 1);
      if (baseSym.kind === 'class') {
        const found = this.member(baseSym.entry, baseSym.cls, name, depth + 1, baseDepth + 1);
        if (found) return found;
      } else if (baseSym.kind === 'external' && !baseSym.beyond) {
        // An unread base (`beyond`) is passed over: its members are then looked up by their names alone, as unknown ones.
        return { kind: 'external', name: `${baseSym.name}.${name}`, instance: false };
      }
    }
    return null;
  }

  /** The value a call of `sym` returns (for typing the receiver of the next attribute). */
  returnOf(sym: Sym, depth: number): Sym {
    switch (sym.kind) {
      case 'function': {
        if (depth >= MAX_CHAIN_DEPTH) return unknown('', false);
        for (const chain of sym.fn.returns) {
          const value = this.resolveChain(chain, sym.entry, sym.fn, depth + 1);
          // `return self`: the caller holds the instance from outside (its knowledge applies again).
          if (value.kind === 'instance' && value.inside) return { kind: 'instance', entry: value.entry, cls: value.cls };
          if (value.kind !== 'unknown') return value;
        }
        return unknown('', false);
      }
      case 'class':
        return { kind: 'instance', entry: sym.entry, cls: sym.cls };
      case 'external': {
        if (sym.beyond) return sym;
        const api = lookupApi(sym.name);
        if (api?.returns) return { kind: 'external', name: api.returns, instance: true };
        // A method of a known library type that the knowledge base does not describe: what its source returns.
        const method = api ? null : this.sourceMethod(sym.name, depth);
        if (method) return this.returnOf(method, depth + 1);
        // A class by Python's naming convention (`json.JSONEncoder`): its methods are looked up under its type.
        if (CLASS_NAME.test(sym.name.slice(sym.name.lastIndexOf('.') + 1))) return { kind: 'external', name: sym.name, instance: true };
        if (sym.name.startsWith('builtins.')) {
          const type = sym.name.slice('builtins.'.length);
          if (BUILTIN_TYPES.has(type)) return { kind: 'external', name: type, instance: true };
        }
        return unknown(sym.name.slice(sym.name.lastIndexOf('.') + 1), false);
      }
      default:
        return unknown('', false);
    }
  }

  /**
   * `pkg.Type.method` read from the library's source, past the knowledge base (which speaks for the type but
   * not for this method): the function, or null when the type's source is not found.
   */
  private sourceMethod(name: string, depth: number): Sym | null {
    if (depth >= MAX_CHAIN_DEPTH) return null;
    const cut = name.lastIndexOf('.');
    const typeCut = name.lastIndexOf('.', cut - 1);
    if (typeCut < 0) return null;
    const module = this.program.module(name.slice(0, typeCut));
    if (!module || !this.program.isRealModule(module)) return null;
    const typeName = name.slice(typeCut + 1, cut);
    const imported = module.imports.get(typeName);
    const type: Sym | undefined = module.classes.get(typeName) ? { kind: 'class', entry: module, cls: module.classes.get(typeName) as ClassFacts } : imported ? this.resolveDotted(imported, module, depth + 1) : undefined;
    if (type?.kind !== 'class') return null;
    const found = this.member(type.entry, type.cls, name.slice(cut + 1), depth + 1, 0);
    return found?.kind === 'function' ? found : null;
  }
}

/**
 * The scope a name read in `scope` is looked up in next: the function it is nested in (the innermost one defined), then
 * the module; undefined past the module. A loop over these instead of a generator: name lookups are the reports' most
 * frequent call.
 */
function enclosingScope(entry: ModuleEntry, scope: FunctionFacts): FunctionFacts | undefined {
  if (scope === entry.facts.module) return undefined;
  let qualname = scope.qualname;
  for (;;) {
    const cut = qualname.lastIndexOf('.<locals>.');
    if (cut < 0) return entry.facts.module;
    qualname = qualname.slice(0, cut);
    const enclosing = entry.functions.get(qualname);
    if (enclosing) return enclosing;
  }
}

/** `WORKERS[k]`: the chain of the items of the collection a name is bound to, in the nearest scope that binds the name. */
function heldItemsOf(name: string, entry: ModuleEntry, fn: FunctionFacts): { items: string; scope: FunctionFacts } | undefined {
  const module = entry.facts.module;
  for (let scope: FunctionFacts | undefined = fn; scope && scope !== module; scope = enclosingScope(entry, scope)) {
    if (own(scope.locals, name) === undefined) continue;
    const items = own(scope.heldItems ?? {}, name);
    return items === undefined ? undefined : { items, scope };
  }
  const items = own(module.heldItems ?? {}, name);
  return items === undefined ? undefined : { items, scope: module };
}

/** An item of a value (`x[k]`, or a loop over it): typed when the knowledge base says what iterating its type gives. */
function itemOf(sym: Sym, name: string): Sym {
  if (sym.kind === 'external') {
    // `frame.loc[rows]`: an item of what a library attribute gives (an indexer, a property), as of a value of that type.
    const type = sym.instance ? sym.name : lookupApi(sym.name)?.returns;
    const item = type && lookupApi(`${type}.__iter__`)?.returns;
    if (item) return { kind: 'external', name: item, instance: true };
  }
  return unknown(name, false);
}

function beyond(name: string): Sym {
  return { kind: 'external', name, instance: false, beyond: true };
}

function unknown(name: string, method: boolean): Sym {
  return { kind: 'unknown', name, method };
}

function stringOrUnknown(name: string): Sym {
  return name === "''" ? { kind: 'external', name: 'str', instance: true } : unknown(name, false);
}
