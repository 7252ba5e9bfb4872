import type { Node, Query } from '@vscode/tree-sitter-wasm';
import type { Deadline } from '../budget';
import { addMissingTokenError, bindInsertedTables, extractMethod, extractNode, forgetGrownSizes, suppressedRules, type ClassComposition, type MethodFacts } from './extract';
import type { FileFacts, FunctionFacts } from './facts';
import type { SizeExpr } from './sizes';

interface Fragment {
  /** Row the statement started on when its facts were extracted. */
  row: number;
  facts: FileFacts;
  /** Of a class composed of its methods: their entries in `FragmentCache.methods`, kept while the class is. */
  methods?: ReadonlyArray<[string, MethodFragment]>;
}

interface MethodFragment {
  row: number;
  method: MethodFacts;
}

/** Each function's facts as JSON, made once per facts object when first compared (see `keepUnchangedFunctions`). */
const functionJson = new WeakMap<FunctionFacts, string>();

function jsonOf(fn: FunctionFacts): string {
  let json = functionJson.get(fn);
  if (json === undefined) {
    json = JSON.stringify(fn);
    functionJson.set(fn, json);
  }
  return json;
}

/**
 * Facts of a file assembled from its top-level statements, each extracted once and reused while its
 * text is unchanged (moved statements only get their line numbers shifted). An edit inside one
 * function re-extracts that function (or its class) alone, and the class's other methods keep their facts objects.
 */
export class FragmentCache {
  private fragments = new Map<string, Fragment>();
  /**
   * The statements of the extraction before the last: a keystroke that breaks a block (a name typed at the start of a
   * blank line inside a class ends it) and the next that mends it find the block's statements here, not re-extracted.
   */
  private previous = new Map<string, Fragment>();
  /** The top level's facts of the last extraction, and their JSON. */
  private module: { facts: FunctionFacts; json: string } | undefined;
  /** The methods of the classes, each extracted alone (see `ClassComposition`), as `fragments` and `previous` hold statements. */
  private methods = new Map<string, MethodFragment>();
  private previousMethods = new Map<string, MethodFragment>();

  extract(root: Node, query: Query, deadline?: Deadline): FileFacts {
    const next = new Map<string, Fragment>();
    const nextMethods = new Map<string, MethodFragment>();
    let methodsOfStatement: Array<[string, MethodFragment]> = [];
    // A class is composed of its methods: a keystroke in one re-extracts that one alone.
    const composition: ClassComposition = {
      method: (node, ownerQualname, moduleSizes) => {
        const key = methodKey(node, ownerQualname, moduleSizes);
        const row = node.startPosition.row;
        const known = this.methods.get(key) ?? this.previousMethods.get(key) ?? nextMethods.get(key);
        if (known) {
          nextMethods.set(key, known);
          methodsOfStatement.push([key, known]);
          return known.row === row ? known.method : { ...known.method, facts: shiftFacts(known.method.facts, row - known.row) };
        }
        const fragment = { row, method: extractMethod(node, query, ownerQualname, moduleSizes, deadline) };
        nextMethods.set(key, fragment);
        methodsOfStatement.push([key, fragment]);
        return fragment.method;
      },
    };
    const parts: FileFacts[] = [];
    const extracted: FileFacts[] = [];
    for (const child of root.children) {
      if (!child || (child.type === 'comment' && suppressedRules(child.text) === undefined)) continue;
      const text = child.text;
      const row = child.startPosition.row;
      const known = this.fragments.get(text) ?? this.previous.get(text) ?? next.get(text);
      if (known) {
        next.set(text, known);
        for (const [key, method] of known.methods ?? []) nextMethods.set(key, method);
        parts.push(known.row === row ? known.facts : shiftFacts(known.facts, row - known.row));
      } else {
        methodsOfStatement = [];
        const facts = extractNode(child, query, text, deadline, composition);
        next.set(text, { row, facts, ...(methodsOfStatement.length > 0 && { methods: methodsOfStatement }) });
        parts.push(facts);
        extracted.push(facts);
      }
    }
    if (extracted.length > 0) this.keepUnchangedFunctions(extracted, next);
    this.previous = this.fragments;
    this.fragments = next;
    this.previousMethods = this.methods;
    this.methods = nextMethods;
    const facts = mergeFacts(parts, root.endPosition.row + 1);
    addMissingTokenError(root, facts);
    // The top level's facts kept as the same object while unchanged, as a function's are.
    const moduleJson = JSON.stringify(facts.module);
    if (this.module && this.module.json === moduleJson) facts.module = this.module.facts;
    else this.module = { facts: facts.module, json: moduleJson };
    return facts;
  }

  /**
   * Puts back the facts objects of functions that a re-extracted statement holds unchanged (a class's other methods,
   * lines included): summaries are kept by facts object, so a keystroke in one method re-decides that method and its
   * callers, not the whole class and every caller of any of its methods.
   */
  private keepUnchangedFunctions(extracted: readonly FileFacts[], next: ReadonlyMap<string, Fragment>): void {
    const gone = new Map<string, FunctionFacts>();
    for (const fragments of [this.fragments, this.previous]) {
      for (const [text, fragment] of fragments) {
        if (next.has(text)) continue;
        for (const fn of fragment.facts.functions) gone.set(jsonOf(fn), fn);
      }
    }
    if (gone.size === 0) return;
    for (const facts of extracted) {
      facts.functions = facts.functions.map((fn) => gone.get(jsonOf(fn)) ?? fn);
    }
  }
}

/** A method's facts depend on its text, its class and what its class's statements bound before it (`moduleSizes`). */
function methodKey(node: Node, ownerQualname: string, moduleSizes: Readonly<Record<string, SizeExpr>> | undefined): string {
  return `${ownerQualname}\n${node.startPosition.column}\n${moduleSizes ? JSON.stringify(moduleSizes) : ''}\n${node.text}`;
}

function shiftFunction(fn: FunctionFacts, delta: number): FunctionFacts {
  return {
    ...fn,
    line: fn.line + delta,
    endLine: fn.endLine + delta,
    calls: fn.calls.map((c) => ({ ...c, line: c.line + delta })),
    loops: fn.loops.map((l) => ({ ...l, line: l.line + delta })),
    ...(fn.kept && { kept: fn.kept.map((k) => ({ ...k, line: k.line + delta })) }),
  };
}

/** A copy of `facts` moved down (or up) by `delta` lines. */
export function shiftFacts(facts: FileFacts, delta: number): FileFacts {
  return {
    ...facts,
    functions: facts.functions.map((fn) => shiftFunction(fn, delta)),
    classes: facts.classes.map((cls) => ({ ...cls, line: cls.line + delta })),
    module: shiftFunction(facts.module, delta),
    syntaxErrors: facts.syntaxErrors.map((e) => ({ ...e, line: e.line + delta })),
    ...(facts.suppressions && {
      suppressions: Object.fromEntries(Object.entries(facts.suppressions).map(([line, ids]) => [Number(line) + delta, ids])),
    }),
  };
}

/** The facts of consecutive statements as one file. */
export function mergeFacts(parts: readonly FileFacts[], lineCount: number): FileFacts {
  const module: FunctionFacts = {
    name: '<module>', qualname: '<module>', line: 1, endLine: lineCount, async: false, className: null,
    decorators: [], params: [], calls: [], loops: [], arithmeticInLoops: 0, locals: {}, returns: [],
  };
  const merged: FileFacts = { functions: [], classes: [], imports: [], module, syntaxErrors: [], lineCount };
  const grown = new Set<string>();
  for (const part of parts) {
    for (const name of part.grownNames ?? []) grown.add(name);
    merged.functions.push(...part.functions);
    merged.classes.push(...part.classes);
    merged.imports.push(...part.imports);
    merged.syntaxErrors.push(...part.syntaxErrors);
    if (part.suppressions) merged.suppressions = { ...merged.suppressions, ...part.suppressions };
    const m = part.module;
    // Loop indices are per part: shift them past the loops merged so far.
    const shift = module.loops.length;
    module.calls.push(...(shift === 0 ? m.calls : m.calls.map((c) => (c.loop === undefined ? c : { ...c, loop: c.loop + shift }))));
    module.loops.push(...(shift === 0 ? m.loops : m.loops.map((l) => (l.parent === undefined ? l : { ...l, parent: l.parent + shift }))));
    if (m.kept) (module.kept ??= []).push(...(shift === 0 ? m.kept : m.kept.map((k) => (k.loop === undefined ? k : { ...k, loop: k.loop + shift }))));
    if (m.engineSchemes) (module.engineSchemes ??= []).push(...m.engineSchemes);
    for (const [table, inserts] of Object.entries(m.insertedRows ?? {})) ((module.insertedRows ??= {})[table] ??= []).push(...inserts);
    module.returns.push(...m.returns);
    module.arithmeticInLoops += m.arithmeticInLoops;
    Object.assign(module.locals, m.locals);
    if (m.shortCollections) (module.shortCollections ??= []).push(...m.shortCollections);
    if (m.sizes) module.sizes = { ...module.sizes, ...m.sizes };
    if (m.patterns) module.patterns = { ...module.patterns, ...m.patterns };
  }
  if (grown.size > 0) {
    forgetGrownSizes(module, grown);
    merged.grownNames = [...grown].sort();
  }
  bindInsertedTables(module);
  return merged;
}
