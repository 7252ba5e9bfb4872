import type { Node, Query, Tree } from '@vscode/tree-sitter-wasm';
import { BudgetExceeded, type Deadline } from '../budget';
import { FEW_REMAINDERS } from '../cost/priors';
import { INTERPOLATED_TEXT } from '../knowledge/patterns';
import { AEAD_DATA_SECOND, BUILTIN_NAMES, CALLS_FUNCTION_ARGUMENT_PER_STEP } from '../knowledge/python';
import { own } from '../own';
import { receiverBindings } from './bindings';
import { normalizeChain } from './chain';
import type { CallFact, ClassFacts, FileFacts, FunctionFacts, ImportBinding, KeptFact, LoopFact, OperatorFact } from './facts';
import { argumentNodes as argumentNodesOf, argumentSizesOf, arrayMadeBy, collectionArgumentSizes, enumeratedItem, keywordArgument, lineOrWord, loopCountOf, mappingValueOf, numberLiteral, productOfLengths, readArgumentSize, recordHeld, replaceNames, scryptBlocks, ELEMENT_WISE_METHODS, isElementWiseOperator, REPLY_RECORD_BYTES, sizeExprOf, stringLiteralValue, structSize, unpackedSizes, type ArgumentSizes, type CallArguments, type SizeExpr } from './sizes';

/** Callees whose first argument is a function that runs once per item (or per task, or per step of a SciPy search). */
const FUNCTION_TAKING_CALLS = new Set([
  'map', 'filter', 'filterfalse', 'reduce', 'imap', 'imap_unordered', 'starmap', 'submit', 'apply', 'apply_async',
  'map_async', 'starmap_async', 'run_in_executor', 'to_thread', 'Thread', 'Process', 'delayed',
  ...[...CALLS_FUNCTION_ARGUMENT_PER_STEP].map((name) => name.slice(name.lastIndexOf('.') + 1)),
]);

export const SUPPRESSION = /#\s*concurrency-lens:\s*ignore(?:\[([^\]]*)\])?/;

/** `# concurrency-lens: ignore[CL001, CL004]` -> the rule IDs; a bare `ignore` -> [] (every rule); else undefined. */
export function suppressedRules(comment: string): string[] | undefined {
  const match = SUPPRESSION.exec(comment);
  if (!match) return undefined;
  return (match[1] ?? '').split(',').map((id) => id.trim().toUpperCase()).filter((id) => id !== '');
}

/**
 * `ignore` comments in `text` (which starts on row `firstRow`), by 1-based line. A text search rather
 * than a query capture: comments are numerous, suppressions rare.
 */
function findSuppressions(text: string, firstRow: number): Record<number, string[]> | undefined {
  if (!text.includes('concurrency-lens')) return undefined;
  let suppressions: Record<number, string[]> | undefined;
  text.split('\n').forEach((line, k) => {
    const ignored = suppressedRules(line);
    if (ignored) (suppressions ??= {})[firstRow + k + 1] = ignored;
  });
  return suppressions;
}

/** Callees whose positional arguments are counted (`min(a, b)` compares, `min(items)` iterates); only
 *  these, since call facts are the most numerous objects the analyzer keeps. */
const COUNTS_ARGUMENTS = new Set(['min', 'max']);

/** Callees that call a `key=` function per item. */
const TAKES_KEY_FUNCTION = new Set(['sorted', 'sort', 'min', 'max', 'nlargest', 'nsmallest']);

/** Callees whose task is given as `target=`. */
const TAKES_TARGET_KEYWORD = new Set(['Thread', 'Process']);
/** Names of constructors that start worker processes (or pools), for the `__main__` guard check. */
const POOL_CONSTRUCTORS = new Set(['ProcessPoolExecutor', 'Pool', 'Process', 'ThreadPoolExecutor', 'ThreadPool', 'InterpreterPoolExecutor']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
/** Callee text longer than this is not normalized whole: only its last name is kept (`….ratio`). */
const MAX_CALLEE_TEXT = 1000;
/**
 * A cache that is filled once: `if not os.path.exists(path):` (a file built on the first call), `if value is None:`
 * or `if self._value is None:` (a cache lookup that missed, see fillsCacheOnMiss). What runs under it runs on a
 * first call, not in the steady state a pool would run.
 */
const CACHE_MISS = /^not\s+(?:os\.path\.(?:exists|isfile|isdir)|[\w.]+\.(?:exists|is_file|is_dir))\(.*\)$|^((?:self\.)?\w+)\s+is\s+None$/s;
/** `CACHE[key] = value`, `self._by_id[key] = value`: a store into a mapping (group 1: the mapping). */
const SUBSCRIPT_STORE = /(?:^|\n)\s*(?:[\w.]+\s*=\s*)*([\w.]+)\[[^\]\n]+\]\s*=(?!=)/g;
/** How far up from an `if` its function's `global` statement is looked for. */
const MAX_GLOBAL_SEARCH_DEPTH = 64;
/** `if os.path.exists(path): return path`: a cache hit returns early; the rest of the function fills the cache. */
const CACHE_HIT = /^(?:os\.path\.(?:exists|isfile|isdir)|[\w.]+\.(?:exists|is_file|is_dir))\(.*\)$/s;
/** `create_engine("sqlite:///app.db")`, `create_engine(f"postgresql://{host}/db")`: the scheme of a literal database URL. */
const ENGINE_URL = /^\(\s*[rRfF]{0,2}['"]([a-z][a-z0-9+]*?)(?:\+[a-z0-9]+)?:\/\//;
/** Pattern methods whose first argument is the replacement and second the text worked on. */
const SUBSTITUTIONS = new Set(['sub', 'subn']);
/** Functions of re and regex that take the pattern before the text (`re.search(pattern, string)`, `re.sub(pattern, repl, string)`). */
const PATTERN_FIRST = /^(?:re|regex)\.(?:match|search|fullmatch|findall|finditer|split|splititer|sub|subn)$/;
/** `re.compile(pattern)`, `regex.compile(pattern)`: a pattern compiled once, used through the name it is bound to. */
const COMPILES_PATTERN = /^(?:re|regex)\.compile$/;
const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;

/** Literal node types and the builtin type of their value. */
const LITERAL_TYPES: Readonly<Record<string, string>> = {
  list: 'list', list_comprehension: 'list', dictionary: 'dict', dictionary_comprehension: 'dict',
  set: 'set', set_comprehension: 'set', tuple: 'tuple', string: 'str', concatenated_string: 'str',
  integer: 'int', float: 'float',
};

interface FunctionScope {
  kind: 'function';
  end: number;
  facts: FunctionFacts;
}
interface ClassScope {
  kind: 'class';
  end: number;
  facts: ClassFacts;
}
/** A loop, a comprehension or an anonymous lambda: code in it may run many times. */
interface LoopScope {
  kind: 'loop';
  end: number;
  /** Code before this index (a `for` loop's iterable) runs once. */
  bodyStart: number;
  /** A comprehension's first iterable (`[c for c in nx.connected_components(g)]`): evaluated once, before it runs. */
  once?: { start: number; end: number };
  /** A loop over a short literal (`for unit in ("B", "KiB")`): a fixed, small number of runs, not a loop over data. */
  fixed?: true;
  /** Index of its LoopFact in the function's `loops` (absent for fixed loops and anonymous lambdas). */
  index?: number;
}

/** random.py's draws of several items (`rnd.sample(pool, k)`, `random.choices(pool, k=n)`): priced by what they return. */
const DRAWS_ITEMS = new Set(['sample', 'choices']);

/** Keywords that tell the shape of what a call makes (a draw's `size=`, `np.full(shape=…)`): its positional arguments do not. */
const SHAPE_KEYWORDS = ['size', 'shape'];

/** Longest literal a loop may run over and still count as a few statements rather than a loop over data. */
const MAX_FIXED_TRIP_COUNT = 8;
/** Argument lists longer than this are not inspected for constants (and their text is not copied). */
const MAX_INSPECTED_ARGUMENTS = 160;
/** Methods that render a template with the data they are given (Jinja's `Template.render`, `generate`, `stream`). */
const TEMPLATE_RENDERS = new Set(['render', 'generate', 'stream']);
type Scope = FunctionScope | ClassScope | LoopScope;

/** A size bound to a name (`covariance = transition @ covariance @ transition.T`), where: see `bindPositionally`. */
interface SizeBinding {
  name: string;
  /** Where the binding's value is read (names in it denote what reaches here) and where the name holds it from. */
  start: number;
  end: number;
  /** The value as written. */
  size: SizeExpr;
  /** What the name's entry in the function's sizes was set to (replaced by position only while it is still this). */
  bound: SizeExpr | undefined;
}

/** A call or loop whose sizes may name the function's locals, and where it reads them. */
type SizeRead = { at: number; call: CallFact } | { at: number; loop: LoopFact };

function newFunction(
  name: string,
  qualname: string,
  line: number,
  endLine: number,
  className: string | null,
): FunctionFacts {
  return {
    name, qualname, line, endLine, async: false, className, decorators: [], params: [], calls: [], loops: [],
    arithmeticInLoops: 0, locals: {}, returns: [],
  };
}

const line = (node: Node): number => node.startPosition.row + 1;
const endLine = (node: Node): number => node.endPosition.row + 1;

/** Facts of a whole file (whose text is `source`): one query over the tree. */
export function extractFacts(tree: Tree, query: Query, source: string, deadline?: Deadline): FileFacts {
  const root = tree.rootNode;
  const facts = extractNode(root, query, source, deadline);
  addMissingTokenError(root, facts);
  bindInsertedTables(facts.module);
  return facts;
}

/** Pillow's filters that select in a window at every pixel (ImageFilter.RankFilter's size first, the others' only argument). */
const RANK_FILTERS = new Set(['MedianFilter', 'MinFilter', 'MaxFilter', 'RankFilter', 'ModeFilter']);
const DEFAULT_RANK_WINDOW = 3;

/** `axis=1` or `axis="columns"`: pandas applies a function to each row. */
function isRowAxis(axis: Node | null): boolean {
  return axis?.text === '1' || stringLiteralValue(axis) === 'columns';
}

/** `ImageFilter.MedianFilter(5)` given to a filter call: the window's side (its default, 3, when not written); undefined for any other filter. */
function rankWindowOf(filter: Node | null): number | undefined {
  const callee = filter?.type === 'call' ? filter.childForFieldName('function') : null;
  if (!callee || !RANK_FILTERS.has(callee.text.slice(callee.text.lastIndexOf('.') + 1))) return undefined;
  const args = filter?.childForFieldName('arguments');
  const size = args?.type === 'argument_list' ? (keywordArgument(args, 'size') ?? args.namedChild(0)) : null;
  return size?.type === 'integer' ? Number(size.text) : size ? undefined : DEFAULT_RANK_WINDOW;
}

/** Methods that run a statement with rows to insert (`conn.execute(t.insert(), rows)`, `session.execute(insert(t), rows)`). */
const INSERT_RUNNERS = new Set(['execute', 'executemany']);

/** `conn.execute(payments.insert(), rows)` or `execute(insert(payments), rows)`: the table and the size of the rows given. */
function insertedRows(args: readonly (Node | null)[]): { table: string; rows: SizeExpr } | undefined {
  const [statement, rows] = args;
  if (statement?.type !== 'call' || !rows || rows.type === 'keyword_argument') return undefined;
  const callee = statement.childForFieldName('function');
  const statementArgs = statement.childForFieldName('arguments');
  const table = callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'insert' && statementArgs?.namedChildCount === 0
    ? callee.childForFieldName('object')
    : /^(?:(?:sa|sqlalchemy)\.)?insert$/.test(callee?.text ?? '') ? (statementArgs?.namedChild(0) ?? null) : null;
  const size = table?.type === 'identifier' ? sizeExprOf(rows) : undefined;
  return table && size ? { table: table.text, rows: size } : undefined;
}

/**
 * Once a file's facts are whole: each table its code inserts rows into is as large as they are, unless the module binds
 * its name to a size itself (a call's result, `Table("t", metadata, Column("shot", String(12)))`, is no size of rows).
 */
export function bindInsertedTables(module: FunctionFacts): void {
  for (const [table, inserts] of Object.entries(module.insertedRows ?? {})) {
    const bound = own(module.sizes ?? {}, table);
    if (bound === undefined || 'result' in bound) (module.sizes ??= {})[table] = { inserted: inserts };
  }
}

/**
 * Facts of the code under `node` (the whole module, or one top-level statement): one pass over the
 * captures of the facts query, in document order, with a stack of open scopes; each capture is
 * attributed to the innermost function enclosing it.
 */
export function extractNode(root: Node, query: Query, text?: string, deadline?: Deadline, composition?: Composition): FileFacts {
  const module = newFunction('<module>', '<module>', 1, endLine(root), null);
  const functions: FunctionFacts[] = [];
  const classes: ClassFacts[] = [];
  const imports: ImportBinding[] = [];
  const syntaxErrors: FileFacts['syntaxErrors'] = [];
  const stack: Scope[] = [];
  const method = composition && 'owner' in composition ? composition : undefined;
  if (method) {
    stack.push({ kind: 'class', end: root.endIndex, facts: method.owner });
    if (method.moduleSizes) module.sizes = { ...method.moduleSizes };
  }
  const units = composition && 'method' in composition ? methodsOf(root) : [];
  let nextUnit = 0;
  /** Names grown in the methods extracted apart (see `Composition`). */
  const grownInUnits = new Set<string>();
  /** Start index of lambdas assigned to a name -> that name. */
  const namedLambdas = new Map<number, string>();
  /** Start index of calls directly under `await`. */
  const awaitedCalls = new Set<number>();
  /** Start index of calls whose awaitables `asyncio.gather` awaits together. */
  const gatheredCalls = new Set<number>();
  /** Names each function binds to a string literal (`raw = f"key:{i}"`): small buffers. */
  const literalStrings = new Map<FunctionFacts, Set<string>>();
  /** Names each function adds items to (`xs.append(x)`, `xs += more`): a collection that starts short does not stay so. */
  const grown = new Map<FunctionFacts, Set<string>>();
  const noteGrown = (fn: FunctionFacts, name: string): void => void grown.set(fn, (grown.get(fn) ?? new Set<string>()).add(name));
  /** Per function, what each growth of a name adds when every one of them is counted by its loops (see pushedSize); null otherwise. */
  const pushes = new Map<FunctionFacts, Map<string, SizeExpr[] | null>>();
  const notePush = (fn: FunctionFacts, name: string, size: SizeExpr | undefined): void => {
    const names = pushes.get(fn) ?? new Map<string, SizeExpr[] | null>();
    const before = names.has(name) ? names.get(name) : [];
    names.set(name, before && size ? [...before, size] : null);
    pushes.set(fn, names);
  };
  /** Returns whose size could not be read while names they read were still bound empty: read again once appends are counted. */
  const pendingReturns = new Map<FunctionFacts, { value: Node; size: SizeExpr }>();
  /** Per function, every size bound to a name and every size read, in source order (see `bindPositionally`). */
  const sizeBindings = new Map<FunctionFacts, SizeBinding[]>();
  const sizeReads = new Map<FunctionFacts, SizeRead[]>();
  /** Binds `name` to `size` in `fn`'s sizes from `end` on (`start`: where its value is read), as `bind` does it. */
  const bindSizeAt = (fn: FunctionFacts, name: string, size: SizeExpr, start: number, end: number, bind: () => void): void => {
    bind();
    const bindings = sizeBindings.get(fn) ?? [];
    bindings.push({ name, start, end, size, bound: own(fn.sizes ?? {}, name) });
    sizeBindings.set(fn, bindings);
  };
  const setSize = (fn: FunctionFacts, name: string, size: SizeExpr, start: number, end: number): void =>
    bindSizeAt(fn, name, size, start, end, () => void ((fn.sizes ??= {})[name] = size));
  /** Per function, where the return whose size it keeps is. */
  const returnsAt = new Map<FunctionFacts, number>();
  /** Per generator, what each `yield` adds to what it gives when its loops count it (see pushedSize); null once one does not. */
  const yielded = new Map<FunctionFacts, { sizes: SizeExpr[]; at: number } | null>();
  const noteSizeRead = (fn: FunctionFacts, read: SizeRead): void => {
    const reads = sizeReads.get(fn) ?? [];
    reads.push(read);
    sizeReads.set(fn, reads);
  };
  /** Start index of comprehensions unpacked into a few names (`a, b = (f(x) for x in s)`). */
  const unpackedComprehensions = new Set<number>();
  /** The bodies of the `if __name__ == "__main__":` statements around the current capture, outermost first. */
  const mainGuards: Array<{ start: number; end: number }> = [];
  /** The code around the current capture that fills a cache once (see CACHE_MISS), outermost first; `branches`: of a cache
   *  keyed by the process, the code under the fill's own conditions. */
  const cacheFills: Array<{ start: number; end: number; branches?: Array<{ start: number; end: number }> }> = [];
  /** Whether the code at `index` fills a cache (`CallFact.once`): `process` when every process fills it again. */
  const onceAt = (index: number): true | 'process' | undefined => {
    const within = (range: { start: number; end: number }): boolean => index >= range.start && index < range.end;
    for (let k = cacheFills.length - 1; k >= 0; k--) {
      const fill = cacheFills[k] as (typeof cacheFills)[number];
      if (within(fill)) return fill.branches && !fill.branches.some(within) ? 'process' : true;
    }
    return undefined;
  };
  /** Start index of calls whose result is kept alive (see CallFact.kept), marked before their capture comes. */
  const keptCalls = new Set<number>();
  /** Calls bound to a name in a loop, by start index, to mark one kept after its capture (`row = Row(x)` then `rows.append(row)`). */
  const callsByStart = new Map<number, CallFact | undefined>();
  /**
   * Per function, names bound to a collection of instances made in place (`staff = [Operator(b) for b in …]`) or grown by
   * appends (`scans.append(Image.fromarray(paper))`, see `agreedItem`): their items' chain (`Operator()`); null when the
   * appends disagree.
   */
  const itemChains = new Map<FunctionFacts, Map<string, string | null>>();
  /** A function's names bound to a collection made in place (`fringes = {name: Decimal(r) for …}`), not grown by appends. */
  const madeInPlace = new Map<FunctionFacts, Set<string>>();
  const itemChainOf = (fn: FunctionFacts, iterable: Node | null): string | undefined => (iterable?.type === 'identifier' ? (itemChains.get(fn)?.get(iterable.text) ?? undefined) : undefined);
  const noteAppendedItem = (fn: FunctionFacts, name: string, item: string | undefined): void => {
    const chains = itemChains.get(fn) ?? new Map<string, string | null>();
    itemChains.set(fn, chains.set(name, agreedItem(chains.get(name), item)));
  };
  /** Per function (the module's too), names bound to patterns compiled in place (`[regex.compile(f"…{{e<=1}}") for …]`): their pattern. */
  const itemPatterns = new Map<FunctionFacts, Map<string, string>>();
  /**
   * A loop's name bound to an item of `items` (a name, attribute or call): typed as one of its items, and holding the
   * pattern its items were compiled from when they were (in the function, else the module).
   */
  const bindLoopItem = (fn: FunctionFacts, name: string, items: Node): void => {
    fn.locals[name] = itemChainOf(fn, items) ?? `${normalizeChain(items.text)}[]`;
    const pattern = items.type === 'identifier' ? (itemPatterns.get(fn) ?? itemPatterns.get(module))?.get(items.text) : undefined;
    if (pattern !== undefined) (fn.patterns ??= {})[name] = pattern;
  };
  /** `for symptom, pattern in zip(SYMPTOMS, patterns)`: each name of the tuple takes an item of the iterable in its place. */
  const bindZippedItems = (fn: FunctionFacts, target: Node | null, iterable: Node | null): void => {
    if ((target?.type !== 'pattern_list' && target?.type !== 'tuple_pattern') || iterable?.type !== 'call' || iterable.childForFieldName('function')?.text !== 'zip') return;
    const zipped = (iterable.childForFieldName('arguments')?.namedChildren ?? []).filter((argument) => argument?.type !== 'keyword_argument');
    target.namedChildren.forEach((name, k) => {
      const items = zipped[k];
      if (name?.type === 'identifier' && items && CHAIN_NODES.has(items.type)) bindLoopItem(fn, name.text, items);
    });
  };
  /** Per function (the module's too), names bound to `functools.partial(f, …)`: the partial's arguments, `f` first. */
  const boundPartials = new Map<FunctionFacts, Map<string, Node>>();
  const partialBoundTo = (name: string, fn: FunctionFacts): Node | undefined => {
    const bound = boundPartials.get(fn)?.get(name);
    if (bound || fn === module) return bound;
    const global = boundPartials.get(module)?.get(name);
    return global && isModuleName(name, fn) ? global : undefined;
  };
  /** Per function, names bound inside a loop to a container literal or a call: kept if later appended or stored. */
  const boundInLoops = new Map<FunctionFacts, Map<string, { node: Node; loop: number | undefined }>>();
  /** `value` is kept alive where it is evaluated (`start`): a container literal is recorded, a call marked. */
  const keep = (value: Node | null, fn: FunctionFacts, at: number, loop = innermostLoopAt(at)): void => {
    let node = value;
    let within = loop;
    // A name leads to what it was bound to in a loop, which may be another name: followed once each (`a = b`, `b = a`).
    const followed = new Set<string>();
    for (;;) {
      while (node?.type === 'parenthesized_expression') node = node.namedChild(0);
      if (!node) return;
      if (node.type === 'call') {
        keptCalls.add(node.startIndex);
        const call = callsByStart.get(node.startIndex);
        if (call) call.kept = true;
        return;
      }
      if (KEPT_CONTAINERS.has(node.type)) {
        const kept: KeptFact = { line: line(node), objects: containersIn(node) };
        if (within !== undefined) kept.loop = within;
        (fn.kept ??= []).push(kept);
        return;
      }
      if (node.type !== 'identifier' || followed.has(node.text)) return;
      followed.add(node.text);
      const bound = boundInLoops.get(fn)?.get(node.text);
      if (!bound) return;
      node = bound.node;
      within = bound.loop ?? innermostLoopAt(at);
    }
  };

  const currentFunction = (): FunctionFacts => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const scope = stack[k] as Scope;
      if (scope.kind === 'function') return scope.facts;
    }
    return module;
  };
  /** Whether the code at `index` runs in the loop's body, once per iteration. */
  const inBody = (scope: LoopScope, index: number): boolean => index >= scope.bodyStart && !(scope.once && index >= scope.once.start && index < scope.once.end);
  const loopDepthAt = (index: number): number => {
    let depth = 0;
    for (let k = stack.length - 1; k >= 0; k--) {
      const scope = stack[k] as Scope;
      if (scope.kind === 'function') break;
      if (scope.kind === 'loop' && !scope.fixed && inBody(scope, index)) depth++;
    }
    return depth;
  };
  /** Index in the current function's `loops` of the innermost loop whose body holds `index`. */
  const innermostLoopAt = (index: number): number | undefined => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const scope = stack[k] as Scope;
      if (scope.kind === 'function') break;
      if (scope.kind === 'loop' && scope.index !== undefined && inBody(scope, index)) return scope.index;
    }
    return undefined;
  };
  /** Records a loop of the current function and opens its scope (`once`: code in it that runs before it, a comprehension's first iterable). */
  const openLoop = (loop: LoopFact, start: number, end: number, bodyStart: number, once?: Node | null): void => {
    const parent = innermostLoopAt(start);
    if (parent !== undefined) loop.parent = parent;
    const loops = currentFunction().loops;
    loops.push(loop);
    if (loop.count) noteSizeRead(currentFunction(), { at: start, loop });
    stack.push({ kind: 'loop', end, bodyStart, index: loops.length - 1, ...(once && { once: { start: once.startIndex, end: once.endIndex } }) });
  };
  /** The class whose method body we are in (directly), for `self.x = ...`. */
  const enclosingClassOfMethod = (): ClassFacts | undefined => {
    let sawFunction = false;
    for (let k = stack.length - 1; k >= 0; k--) {
      const scope = stack[k] as Scope;
      if (scope.kind === 'function') {
        if (sawFunction) return undefined;
        sawFunction = true;
      } else if (scope.kind === 'class') {
        return sawFunction ? scope.facts : undefined;
      }
    }
    return undefined;
  };
  const qualify = (name: string): { qualname: string; className: string | null } => {
    const parent = stack[stack.length - 1 - trailingLoops()] as FunctionScope | ClassScope | undefined;
    if (!parent) return { qualname: name, className: null };
    if (parent.kind === 'class') return { qualname: `${parent.facts.qualname}.${name}`, className: parent.facts.qualname };
    return { qualname: `${parent.facts.qualname}.<locals>.${name}`, className: null };
  };
  const trailingLoops = (): number => {
    let count = 0;
    for (let k = stack.length - 1; k >= 0 && (stack[k] as Scope).kind === 'loop'; k--) count++;
    return count;
  };

  const captures = query.captures(root, deadline && { progressCallback: () => deadline.passed });
  if (deadline?.passed) throw new BudgetExceeded(deadline.budgetMs);
  for (const capture of captures) {
    deadline?.check();
    const node = capture.node;
    const start = node.startIndex;
    while (stack.length > 0 && start >= (stack[stack.length - 1] as Scope).end) stack.pop();
    while (mainGuards.length > 0 && start >= (mainGuards[mainGuards.length - 1] as { end: number }).end) mainGuards.pop();
    while (cacheFills.length > 0 && start >= (cacheFills[cacheFills.length - 1] as { end: number }).end) cacheFills.pop();
    if (nextUnit < units.length && start >= (units[nextUnit] as Node).startIndex) {
      const owner = (stack[stack.length - 1] as ClassScope).facts;
      const part = (composition as ClassComposition).method(units[nextUnit++] as Node, owner.qualname, module.sizes);
      composeMethod(part, { functions, classes, imports, syntaxErrors, module, owner }, grownInUnits);
    }
    if (nextUnit > 0 && start < (units[nextUnit - 1] as Node).endIndex) continue;

    switch (capture.name) {
      case 'function': {
        const name = node.childForFieldName('name')?.text ?? '<anonymous>';
        const { qualname, className } = qualify(name);
        const facts = newFunction(name, qualname, line(node), endLine(node), className);
        facts.async = node.firstChild?.type === 'async';
        const parameters = node.childForFieldName('parameters');
        facts.params = parameterNames(parameters);
        const defaults = defaultSizes(parameters);
        if (defaults) facts.sizes = defaults;
        if (node.parent?.type === 'decorated_definition') facts.decorators = decoratorChains(node.parent);
        const annotated = returnAnnotationChain(node.childForFieldName('return_type'));
        if (annotated) facts.returns.push(annotated);
        functions.push(facts);
        stack.push({ kind: 'function', end: node.endIndex, facts });
        break;
      }
      case 'lambda': {
        const assignedName = namedLambdas.get(start);
        if (assignedName === undefined) {
          stack.push({ kind: 'loop', end: node.endIndex, bodyStart: start });
          break;
        }
        const { qualname, className } = qualify(assignedName);
        const facts = newFunction(assignedName, qualname, line(node), endLine(node), className);
        facts.params = parameterNames(node.childForFieldName('parameters'));
        functions.push(facts);
        stack.push({ kind: 'function', end: node.endIndex, facts });
        break;
      }
      case 'class': {
        const name = node.childForFieldName('name')?.text ?? '<anonymous>';
        const { qualname } = qualify(name);
        const superclasses = node.childForFieldName('superclasses');
        const bases = superclasses
          ? superclasses.namedChildren.filter((c): c is Node => c !== null && c.type !== 'keyword_argument').map((c) => normalizeChain(c.text))
          : [];
        const facts: ClassFacts = { name, qualname, line: line(node), bases, attributes: {} };
        classes.push(facts);
        stack.push({ kind: 'class', end: node.endIndex, facts });
        break;
      }
      case 'for': {
        const body = node.childForFieldName('body');
        const bodyStart = body?.startIndex ?? start;
        const iterable = node.childForFieldName('right');
        const target = node.childForFieldName('left');
        const itemName = target?.type === 'identifier' ? target : enumeratedItem(target, iterable);
        // What the loop's name takes an item of: the iterable, or what `enumerate(…)` is given.
        const items = !itemName ? null : itemName === target ? iterable : (iterable?.childForFieldName('arguments')?.namedChild(0) ?? null);
        // `for url in root.iterfind(...)`, `for k, frame in enumerate(frames)`: the name holds an item of the collection.
        if (itemName && items && CHAIN_NODES.has(items.type)) bindLoopItem(currentFunction(), itemName.text, items);
        else bindZippedItems(currentFunction(), target, iterable);
        // `for name, sheet in sheets.items()`, `for sheet in sheets.values()`: a value of a mapping made in place of one
        // callee's calls (`{n: book.create_sheet(n) for n in …}`).
        const mappingValue = mappingValueOf(target, iterable);
        const mappingItem = mappingValue && itemChainOf(currentFunction(), mappingValue.mapping);
        if (mappingValue && mappingItem) currentFunction().locals[mappingValue.name] = mappingItem;
        const over = itemName === target ? (items?.type === 'identifier' || items?.type === 'call' ? items : null) : items;
        const rows = itemName ? sizeExprOf(over) : undefined;
        // `for row in MATRIX`, `for k, row in enumerate(MATRIX)`, `for segment in _segments()`: a row of the array, an item of what the function returns.
        const linesOfFile = target?.type === 'identifier' && iterable?.type === 'identifier' && OPENED_FILE.test(own(currentFunction().locals, iterable.text) ?? '');
        if (itemName && rows && !linesOfFile && ('name' in rows || ('result' in rows && !rows.of))) setSize(currentFunction(), itemName.text, { item: rows }, start, bodyStart);
        // `for segment in resp.text.splitlines()`, `for line in log` of `with open(path) as log`: a line of a text (its
        // length the same prior as a reply's record).
        else if (target?.type === 'identifier' && (linesOfFile || (iterable?.type === 'call' && LINE_SPLITS.test(iterable.childForFieldName('function')?.text ?? '')))) {
          setSize(currentFunction(), target.text, { seq: { n: REPLY_RECORD_BYTES }, unit: 'bytes' }, start, bodyStart);
        }
        // `for key, value in TABLE.items()`, `for value in TABLE.values()`: a value of the mapping.
        if (mappingValue?.mapping.type === 'identifier') setSize(currentFunction(), mappingValue.name, { item: { name: mappingValue.mapping.text }, byKey: true }, start, bodyStart);
        if (isShortLiteral(iterable)) {
          stack.push({ kind: 'loop', end: node.endIndex, bodyStart, fixed: true });
          break;
        }
        const loop: LoopFact = { line: line(node), kind: 'for', depth: loopDepthAt(start) };
        const once = onceAt(start);
        if (once) loop.once = once;
        if (iterable?.type === 'identifier') loop.over = iterable.text;
        const count = loopCountOf(iterable);
        if (count) loop.count = count;
        openLoop(loop, start, node.endIndex, bodyStart);
        break;
      }
      case 'while':
      case 'comprehension': {
        if (capture.name === 'comprehension' && unpackedComprehensions.has(start)) {
          stack.push({ kind: 'loop', end: node.endIndex, bodyStart: start, fixed: true });
          break;
        }
        const loop: LoopFact = { line: line(node), kind: capture.name === 'while' ? 'while' : 'comprehension', depth: loopDepthAt(start) };
        const once = onceAt(start);
        if (once) loop.once = once;
        if (capture.name === 'while' && steppingSearch(node, currentFunction())) loop.stepping = true;
        // `while chunk := source.read(1 << 22)`: the name holds what the condition reads, in the loop's body.
        const condition = capture.name === 'while' ? node.childForFieldName('condition') : null;
        const bound = condition?.type === 'named_expression' ? condition.childForFieldName('name') : null;
        const read = bound?.type === 'identifier' ? sizeExprOf(condition?.childForFieldName('value') ?? null) : undefined;
        if (bound && read) setSize(currentFunction(), bound.text, read, start, node.childForFieldName('body')?.startIndex ?? start);
        if (capture.name === 'comprehension') {
          const iterable = firstIterable(node);
          const items = iterable?.type === 'call' ? sizeExprOf(iterable) : undefined;
          const target = firstTarget(node);
          // `(pack(segment) for segment in _segments())`: an item of what the function returns.
          // Not a method of a value (`for k in table.keys()`): the most common loops, and nothing a function returns.
          if (target?.type === 'identifier' && items && 'result' in items && !items.of) {
            setSize(currentFunction(), target.text, { item: items }, start, start);
            // …and of its type, when the function's appends tell it (see `returnedItems`).
            currentFunction().locals[target.text] = `${normalizeChain(iterable?.text ?? '')}[]`;
          }
          // `max(stack.weight() for stack in self.stacks)`: an item of the instance's list (see `attributeItems`).
          if (target?.type === 'identifier' && iterable?.type === 'attribute') currentFunction().locals[target.text] = `${normalizeChain(iterable.text)}[]`;
          if (iterable?.type === 'identifier') {
            loop.over = iterable.text;
            // `for block in BLOCKS`: the name holds an item of BLOCKS (sized when BLOCKS' items are).
            if (target?.type === 'identifier') setSize(currentFunction(), target.text, { item: { name: iterable.text } }, start, start);
            // `[op for op in staff if op.can_take(duty)]`, staff a list of Operator instances: op is one.
            // Otherwise, as a `for` statement's name, an item of whatever the iterable is bound to (`for event in bright`,
            // `bright = feed.xpath(...)`: an element of the node set).
            if (target?.type === 'identifier') bindLoopItem(currentFunction(), target.text, iterable);
          }
          bindZippedItems(currentFunction(), target, iterable);
          const count = comprehensionCount(node) ?? loopCountOf(iterable);
          if (count) loop.count = count;
        }
        openLoop(loop, start, node.endIndex, start, capture.name === 'comprehension' ? firstIterable(node) : null);
        if (capture.name === 'comprehension' && buildsCollection(node)) {
          // Every item of a list, set or dict it builds lives until the collection does.
          const body = node.childForFieldName('body');
          keep(body?.type === 'pair' ? body.childForFieldName('value') : body, currentFunction(), start);
        }
        break;
      }
      case 'call': {
        // The call's children, not the callee's siblings: a sibling is found through the parent, which
        // tree-sitter finds by descending from the root (quadratic in a deeply nested expression).
        const written = node.childForFieldName('function');
        if (!written) break;
        const fn = currentFunction();
        // `fit = partial(curve_fit, model, x, y, bounds=b)` then `fit(p0=p)`: a call of `curve_fit` with the partial's arguments.
        const writtenType = written.type;
        const partial = writtenType === 'identifier' && boundPartials.size > 0 ? partialBoundTo(written.text, fn) : undefined;
        const callee = partial?.namedChild(0) ?? written;
        const calleeType = partial ? callee.type : writtenType;
        const writtenChain = calleeChain(callee, calleeType);
        // `(net * (1 + VAT)).quantize`: a chain opening on parentheses may be a method of arithmetic's result.
        const [typedMethod, ...otherCallees] = (writtenChain.startsWith('(') && methodOfArithmetic(callee)) || [];
        const chain = typedMethod ?? writtenChain;
        const call: CallFact = { line: line(node), callee: chain };
        if (otherCallees.length > 0) call.otherCallees = otherCallees;
        const depth = loopDepthAt(start);
        if (depth > 0) call.loopDepth = depth;
        if (awaitedCalls.has(start)) call.awaited = true;
        if (gatheredCalls.has(start)) call.gathered = true;
        const once = onceAt(start);
        if (once) call.once = once;
        if (keptCalls.has(start)) call.kept = true;
        if (callsByStart.has(start)) callsByStart.set(start, call);
        const loop = innermostLoopAt(start);
        if (loop !== undefined) call.loop = loop;
        const lastName = chain.slice(chain.lastIndexOf('.') + 1);
        const grows = GROWING_METHOD.exec(chain);
        const args = node.childForFieldName('arguments');
        // Each `type`, `text` and child read calls into tree-sitter's WASM: read once, here, for the whole call.
        const { nodes: argumentNodes, listed, span, text: listText } = callArguments(args, partial);
        const argumentList = listed ? argumentNodes : null;
        const inspected = argumentList !== null && span <= MAX_INSPECTED_ARGUMENTS ? argumentList : null;
        const argumentCount = argumentNodes.length;
        const firstArgument = argumentNodes[0] ?? null;
        if (grows?.[1]) {
          noteGrown(fn, grows[1]);
          notePush(fn, grows[1], args ? growthOf(node, lastName, args) : undefined);
          if (lastName === 'append') noteAppendedItem(fn, grows[1], argumentCount === 1 ? itemChainOfValue(firstArgument, fn) : undefined);
        }
        const selfList = SELF_APPEND.exec(chain)?.[1];
        const owner = selfList === undefined ? undefined : enclosingClassOfMethod();
        if (selfList !== undefined && owner) {
          const item = argumentCount === 1 ? itemChainOfValue(firstArgument, fn) : undefined;
          (owner.attributeItems ??= {})[selfList] = agreedItem(own(owner.attributeItems ?? {}, selfList), item);
        }
        const storedArgument = KEEPING_METHODS.get(lastName);
        if (storedArgument !== undefined && calleeType === 'attribute' && argumentList) keep(argumentList[storedArgument] ?? null, fn, start);
        if (FUNCTION_TAKING_CALLS.has(lastName) && args) {
          const given = TAKES_TARGET_KEYWORD.has(lastName) ? keywordArgument(argumentNodes, 'target') : (argumentNodes[lastName === 'run_in_executor' ? 1 : 0] ?? null);
          // `run_in_executor(None, functools.partial(_notify, line, notice))`: the task is `_notify`, its arguments the partial's.
          const handed = given ? partialArguments(given) : undefined;
          const task = handed ? handed.namedChild(0) : given;
          if (task && (task.type === 'identifier' || task.type === 'attribute')) call.firstArgName = normalizeChain(task.text);
          else if (task?.type === 'lambda') call.lambdaArg = true;
          // `pool.submit(_notify, session, b)`, `loop.run_in_executor(None, _notify, session, b)`: the task's own arguments.
          const taskArgs = (handed || PASSES_TASK_ARGUMENTS.has(lastName)) && task?.type === 'identifier' && argumentList ? argumentNames(handed ?? argumentList, task.startIndex) : undefined;
          if (taskArgs) call.taskArgNames = taskArgs;
          const receivers = receiverBindings(node, chain, call.firstArgName);
          if (receivers) call.receiverBindings = receivers;
        }
        if (calleeType === 'identifier' && argumentList && !BUILTIN_NAMES.has(chain)) {
          const names = argumentNames(argumentList);
          if (names) call.argNames = names;
        }
        const sizedArguments = mayCallWorkspace(callee, calleeType, imports) && inspected && !BUILTIN_NAMES.has(chain) && mayTellSize(inspected, fn, module) ? toldSizes(argumentSizesOf(inspected), fn, module) : undefined;
        if (sizedArguments) call.argumentSizes = sizedArguments;
        if (fn === module && POOL_CONSTRUCTORS.has(lastName) && mainGuards.some((guard) => start >= guard.start)) call.mainGuarded = true;
        // A method called on another call's result (`art.crop(box).resize(size)`), on a subscript (`patch[:, 1].mean()`) or on
        // a parenthesized expression (`(gain @ innovation).ravel()`).
        const receiver = calleeType === 'attribute' ? callee.childForFieldName('object') : null;
        const receiverType = receiver?.type;
        if (receiverType === 'call' || receiverType === 'subscript' || receiverType === 'parenthesized_expression') {
          const size = sizeExprOf(receiver);
          if (size) call.receiverSize = size;
        }
        const argumentsText = inspected ? listText() : '';
        if (inspected) {
          const text = argumentsText;
          if (constantArguments(text) || sameFewArguments(inspected, fn)) call.constantArgs = true;
          const short = shortFirstArgument(firstArgument, literalStrings.get(fn), fn.locals);
          if (short) call.shortFirstArg = short;
          if (COUNTS_ARGUMENTS.has(lastName)) call.positionalArgs = countPositionalArguments(text);
          if (lastName === 'create_engine') (module.engineSchemes ??= []).push(ENGINE_URL.exec(text)?.[1] ?? '?');
        }
        const inserted = INSERT_RUNNERS.has(lastName) && argumentList ? insertedRows(argumentList) : undefined;
        if (inserted) ((module.insertedRows ??= {})[inserted.table] ??= []).push({ ...(fn !== module && { at: fn.qualname }), rows: inserted.rows });
        if (TAKES_KEY_FUNCTION.has(lastName) && argumentList && keywordArgument(argumentList, 'key')) call.keyFunction = true;
        // A keyword argument `quality=` is in the arguments' text: of the common lists, read only when it is.
        const quality = argumentList && (inspected === null || argumentsText.includes('quality')) ? keywordArgument(argumentList, 'quality') : null;
        if (quality?.type === 'integer') call.quality = Number(quality.text);
        if (lastName === 'apply' && calleeType === 'attribute' && argumentList && (inspected === null || argumentsText.includes('axis')) && isRowAxis(keywordArgument(argumentList, 'axis'))) call.rowWise = true;
        if (argumentList && (inspected === null || argumentsText.includes('unit')) && keywordArgument(argumentList, 'unit')) call.unitGiven = true;
        const window = lastName === 'filter' && calleeType === 'attribute' && argumentList ? rankWindowOf(firstArgument) : undefined;
        if (window !== undefined) call.rankWindow = window;
        if (argumentList && argumentCount > 0 && argumentList.every((arg) => isScalar(arg?.type === 'keyword_argument' ? arg.childForFieldName('value') : arg, fn))) call.scalarArgs = true;
        else if (TEMPLATE_RENDERS.has(lastName) && argumentList) {
          const collections = collectionArgumentSizes(argumentList, (value) => isScalar(value, fn));
          if (collections) call.collectionArgs = collections;
        }
        if (STARTS_CHILD.has(lastName) && argumentList) {
          const program = commandOf(firstArgument);
          if (program !== undefined) call.program = program;
        }
        if (lastName === 'gather' && argumentList) for (const awaitable of gatheredAwaitables(argumentList)) gatheredCalls.add(awaitable.startIndex);
        // sub(repl, string) of a compiled pattern, re.sub(pattern, repl, string), re.search(pattern, string): the work is over the string.
        if (PATTERN_FIRST.test(chain) || COMPILES_PATTERN.test(chain)) {
          const pattern = patternSource(firstArgument);
          if (pattern !== undefined) call.pattern = pattern;
        }
        const first = argumentNodes[(PATTERN_FIRST.test(chain) ? 1 : 0) + (SUBSTITUTIONS.has(lastName) && chain.includes('.') ? 1 : 0)];
        // What a call returns is sized from the call as written, whose arguments a partial's are not.
        const made = partial ? undefined : arrayMadeBy(node, callee, calleeType);
        const drawn = DRAWS_ITEMS.has(lastName) && calleeType === 'attribute' && !partial ? sizeExprOf(node) : undefined;
        if (lastName === 'crop' && calleeType === 'attribute' && !partial) {
          // Pillow's crop copies its box: the work is the box's pixels (the size of what the call returns).
          const box = sizeExprOf(node);
          if (box) call.argSize = box;
        } else if (drawn) {
          // random.py's sample(population, k), choices(…, k=n): the work is the items it draws (the size of what it returns).
          call.argSize = drawn;
        } else if (inserted) {
          // An insert run with a list of rows runs once per row: the work is the rows.
          call.argSize = inserted.rows;
          call.insertsRows = true;
        } else if (made) {
          // A numpy constructor or a Generator's draw: the work is the array it makes.
          call.argSize = made;
        } else if (chain === 'hashlib.scrypt' && argumentList) {
          // scrypt's work is its blocks, from its keywords (n, r, p), not the password it stretches.
          const blocks = scryptBlocks(argumentList);
          if (blocks) call.argSize = blocks;
        } else if (lastName === 'solve_ivp' && argumentList) {
          // An ODE solver's work is its steps: the span over the largest step, when the code gives one.
          const steps = integrationSteps(argumentList);
          if (steps) call.argSize = steps;
        } else if (first && first.type !== 'keyword_argument') {
          const size = sizeExprOf(first);
          if (size) call.argSize = readArgumentSize(chain, size);
        }
        // A single value first (`np.interp(12.4 + 0.1 * i, xp, fp)`): one element, whatever its value, and the call's work
        // is over the arrays it broadcasts over (read only then: sizing every call's arguments is a cost of its own).
        if (inspected && argumentCount > 1 && isScalar(firstArgument, fn) && !SHAPE_KEYWORDS.some((keyword) => keywordArgument(inspected, keyword))) {
          const positional = argumentSizesOf(inspected).args;
          positional[0] = { n: 1 };
          if (positional.length > 1) call.positionalSizes = positional;
        } else if (inspected && argumentCount > 1 && calleeType === 'attribute' && AEAD_DATA_SECOND.has(lastName)) {
          call.positionalSizes = argumentSizesOf(inspected).args;
        }
        fn.calls.push(call);
        if (call.argSize || call.receiverSize || call.argumentSizes || call.collectionArgs || call.positionalSizes) noteSizeRead(fn, { at: start, call });
        break;
      }
      case 'await': {
        const operand = node.lastChild;
        if (operand?.type === 'call') awaitedCalls.add(operand.startIndex);
        break;
      }
      case 'return': {
        const value = node.namedChild(0);
        const fn = currentFunction();
        if (value && (value.type === 'call' || value.type === 'identifier' || value.type === 'attribute')) {
          fn.returns.push(normalizeChain(value.text));
        }
        // `return [Image.fromarray(…) for …]` as `photos = […]; return photos`: the items are the instances made in place.
        const items = itemChainOf(fn, collectionReturned(value)) ?? (value ? instancesMadeIn(value) : undefined);
        if (items !== undefined) fn.returnedItems ??= items;
        keep(value, fn, start, undefined);
        if (fn.returnSize === undefined) returnsAt.set(fn, start);
        if (value?.type === 'expression_list' && fn.returnSize === undefined) {
          const positions = value.namedChildren.map((part) => (part && returnSizeReadable(part, fn) ? (sizeExprOf(part) ?? null) : null));
          if (positions.some((position) => position !== null)) fn.returnSize = { tuple: positions };
          break;
        }
        const size = value && fn.returnSize === undefined ? sizeExprOf(value) : undefined;
        if (size && value && returnSizeReadable(value, fn)) fn.returnSize = size;
        else if (size && value && !pendingReturns.has(fn)) pendingReturns.set(fn, { value, size });
        break;
      }
      case 'yield': {
        const fn = currentFunction();
        // `for k in range(chunks): yield chunk_of(k)`: the generator gives as many items as its loops count, each as large as
        // the value reads; `yield from` and a yield the loops do not count (under an `if`, a `while`) leave it untold.
        const value = node.child(1)?.type === 'from' ? null : node.namedChild(0);
        const before = yielded.has(fn) ? yielded.get(fn) : { sizes: [], at: start };
        const each = value && returnSizeReadable(value, fn) ? sizeExprOf(value) : undefined;
        const size = value ? pushedSize(node, value) : undefined;
        yielded.set(fn, before && size ? { sizes: [...before.sizes, each && 'seq' in size ? { ...size, each } : size], at: before.at } : null);
        break;
      }
      case 'arith': {
        const fn = currentFunction();
        const depth = loopDepthAt(start);
        if (depth > 0) fn.arithmeticInLoops++;
        const product = matrixProductCall(node) ?? elementWiseCall(node);
        if (product) {
          const call: CallFact = { line: line(node), callee: product.callee, operator: product.operator };
          if (product.otherCallees) call.otherCallees = product.otherCallees;
          if (depth > 0) call.loopDepth = depth;
          const loop = innermostLoopAt(start);
          if (loop !== undefined) call.loop = loop;
          const once = onceAt(start);
          if (once) call.once = once;
          if (product.argSize) call.argSize = product.argSize;
          if (product.receiverSize) call.receiverSize = product.receiverSize;
          fn.calls.push(call);
          noteSizeRead(fn, { at: start, call });
        }
        const target = node.type === 'augmented_assignment' ? node.childForFieldName('left') : null;
        if (target?.type === 'identifier') {
          noteGrown(fn, target.text);
          notePush(fn, target.text, undefined);
        }
        break;
      }
      case 'import':
        imports.push(...parseImport(node));
        break;
      case 'assign': {
        const right = node.childForFieldName('right');
        const rightType = right?.type;
        if (right && rightType !== undefined && COMPREHENSIONS.has(rightType) && unpacksIntoFewNames(node)) unpackedComprehensions.add(right.startIndex);
        const fn = currentFunction();
        const target = node.childForFieldName('left');
        const targetType = target?.type;
        if (target && targetType === 'identifier' && right) {
          const size = sizeExprOf(right);
          if (size) bindSizeAt(fn, target.text, size, start, node.endIndex, () => bindSize(fn, target.text, size));
          const record = structMadeBy(right);
          if (record !== undefined) (fn.sizes ??= {})[`${target.text}.size`] = { n: record };
          const item = instancesMadeIn(right);
          if (item) itemChains.set(fn, (itemChains.get(fn) ?? new Map<string, string | null>()).set(target.text, item));
          else itemChains.get(fn)?.delete(target.text);
          if (item && fn !== module) madeInPlace.set(fn, (madeInPlace.get(fn) ?? new Set<string>()).add(target.text));
          else madeInPlace.get(fn)?.delete(target.text);
          const itemPattern = rightType === undefined ? undefined : compiledPatternOfItems(right, rightType);
          if (itemPattern !== undefined) itemPatterns.set(fn, (itemPatterns.get(fn) ?? new Map<string, string>()).set(target.text, itemPattern));
          else itemPatterns.get(fn)?.delete(target.text);
          const partial = partialArguments(right);
          const bound = partial?.namedChild(0)?.type;
          if (partial && (bound === 'identifier' || bound === 'attribute')) boundPartials.set(fn, (boundPartials.get(fn) ?? new Map<string, Node>()).set(target.text, partial));
          else boundPartials.get(fn)?.delete(target.text);
        } else if (target && right) {
          for (const [name, size] of unpackedSizes(target, right)) setSize(fn, name, size, start, node.endIndex);
        }
        const stored = targetType === 'subscript' && target && right && fn !== module ? storedByCounter(node, target, right) : undefined;
        if (stored) {
          noteGrown(fn, stored.name);
          notePush(fn, stored.name, stored.size);
        }
        // `self.stacks = [Stack(bay, row) for …]`: the items of an instance's list are the instances made in place.
        const selfAttribute = targetType === 'attribute' && right ? SELF_ATTRIBUTE.exec(target?.text ?? '')?.[1] : undefined;
        const madeItems = selfAttribute === undefined || !right ? undefined : instancesMadeIn(right);
        const attributeOwner = madeItems === undefined ? undefined : enclosingClassOfMethod();
        if (selfAttribute !== undefined && attributeOwner) {
          (attributeOwner.attributeItems ??= {})[selfAttribute] = agreedItem(own(attributeOwner.attributeItems ?? {}, selfAttribute), madeItems);
        }
        if (right && fn !== module) {
          // Stored into a container or an attribute it stays; bound to a name it lives until the function returns,
          // or, in a loop, until the next iteration rebinds the name (unless it is appended or stored first).
          const loop = innermostLoopAt(start);
          if (targetType === 'subscript' || targetType === 'attribute' || (targetType === 'identifier' && loop === undefined)) keep(right, fn, start);
          else if (target && targetType === 'identifier') {
            const bound = boundInLoops.get(fn) ?? new Map<string, { node: Node; loop: number | undefined }>();
            bound.set(target.text, { node: right, loop });
            if (rightType === 'call') callsByStart.set(right.startIndex, undefined);
            boundInLoops.set(fn, bound);
          }
        }
        const bound = recordAssignment({ node, left: target, leftType: targetType, right, rightType }, fn, enclosingClassOfMethod(), namedLambdas);
        // `sheet = sheets[key]` of a collection made in place of one callee's calls: one of them.
        const subscripted = targetType === 'identifier' && rightType === 'subscript' ? itemChainOf(fn, right?.childForFieldName('value') ?? null) : undefined;
        if (target && subscripted) fn.locals[target.text] = subscripted;
        if (bound === 'literal-string') {
          const names = literalStrings.get(fn) ?? new Set<string>();
          names.add(target?.text ?? '');
          literalStrings.set(fn, names);
        } else if (bound === 'short-collection') {
          (fn.shortCollections ??= []).push(target?.text ?? '');
        }
        break;
      }
      case 'alias': {
        // `with open(p) as f`, `with requests.Session() as s`
        const value = node.namedChild(0);
        const alias = node.namedChild(1);
        if (value?.type === 'call' && alias?.type === 'as_pattern_target') {
          const target = alias.namedChild(0);
          if (target?.type === 'identifier') {
            const fn = currentFunction();
            fn.locals[target.text] = normalizeChain(value.text);
            // `with open(path) as log`: a file read by lines, of the records a builder wrote there (the `written` size).
            const file = sizeExprOf(value);
            if (file && 'written' in file) bindSizeAt(fn, target.text, file, start, node.endIndex, () => bindSize(fn, target.text, file));
          }
        }
        break;
      }
      case 'typedParam': {
        const name = node.namedChild(0);
        const type = node.childForFieldName('type');
        if (name?.type === 'identifier' && type) currentFunction().locals[name.text] = `${normalizeChain(type.text)}()`;
        break;
      }
      case 'if': {
        const consequence = node.childForFieldName('consequence');
        const condition = node.childForFieldName('condition')?.text.trim() ?? '';
        if (consequence && MAIN_GUARD.test(condition)) {
          mainGuards.push({ start: consequence.startIndex, end: consequence.endIndex });
        }
        const fn = currentFunction();
        if (consequence && fn !== module && node.childForFieldName('alternative') === null) {
          const missed = CACHE_MISS.exec(condition);
          if (missed && (missed[1] === undefined || fillsCacheOnMiss(node, missed[1], consequence, fn))) {
            const branches = missed[1] !== undefined && keyedByProcess(node, missed[1]) ? branchesIn(consequence) : undefined;
            cacheFills.push({ start: consequence.startIndex, end: consequence.endIndex, ...(branches && { branches }) });
          } else if (CACHE_HIT.test(condition) && consequence.namedChildCount === 1 && consequence.namedChild(0)?.type === 'return_statement') {
            const scope = [...stack].reverse().find((entry) => entry.kind === 'function');
            if (scope) cacheFills.push({ start: node.endIndex, end: scope.end });
          }
        }
        break;
      }
      case 'error':
        syntaxErrors.push({ line: line(node), message: describeError(node) });
        break;
    }
  }

  const grownAnywhere = new Set([...grown.values()].flatMap((names) => [...names]).concat([...grownInUnits]));
  for (const fn of [module, ...functions]) {
    const added = fn === module ? grownAnywhere : grown.get(fn);
    if (!added) continue;
    const counted = fn === module ? [] : [...(pushes.get(fn) ?? [])].flatMap(([name, growths]): Array<[string, SizeExpr[] | null]> => {
      const start = own(fn.sizes ?? {}, name);
      if (isEmptyCollection(start)) return [[name, growths]];
      const written = literalItems(start);
      return written ? [[name, growths && [written, ...growths]]] : [];
    });
    forgetGrownSizes(fn, added);
    for (const [name, growths] of counted) if (growths) (fn.sizes ??= {})[name] = allGrowths(growths);
    const pending = pendingReturns.get(fn);
    // `return study` of a list grown by counted appends: as many items as they add.
    const returnsCounted = pending?.value.type === 'identifier' && counted.some(([name, growths]) => growths !== null && name === pending.value.text);
    if (pending && fn.returnSize === undefined && counted.length > 0 && (returnsCounted || returnSizeReadable(pending.value, fn))) {
      fn.returnSize = pending.size;
      returnsAt.set(fn, pending.value.startIndex);
    }
  }
  for (const [fn, gives] of yielded) {
    if (gives && fn.returnSize === undefined && !fn.returns.length) {
      fn.returnSize = allGrowths(gives.sizes);
      returnsAt.set(fn, gives.at);
    }
  }
  for (const fn of [module, ...functions]) {
    const bindings = sizeBindings.get(fn);
    if (bindings) bindPositionally(fn, bindings, sizeReads.get(fn) ?? [], fn === module ? grownAnywhere : grown.get(fn), returnsAt.get(fn));
  }
  // The collections of made values bound to names, for subscripts of them: a module's anywhere in the file, a function's
  // made in place in its own body (`fringes = {name: Decimal(rate) for …}`, then `fringes[account] * amount`; a list it
  // grows by appends stays out: its items change with edits inside the body, which other files' summaries must survive).
  for (const [name, item] of itemChains.get(module) ?? []) if (item !== null) (module.heldItems ??= {})[name] = item;
  for (const fn of functions) {
    const made = madeInPlace.get(fn);
    for (const [name, item] of itemChains.get(fn) ?? []) if (item !== null && made?.has(name)) (fn.heldItems ??= {})[name] = item;
  }

  const facts: FileFacts = { functions, classes, imports, module, syntaxErrors, lineCount: endLine(root) };
  if (grownAnywhere.size > 0) facts.grownNames = [...grownAnywhere].sort();
  const suppressions = findSuppressions(text ?? root.text, root.startPosition.row);
  if (suppressions) facts.suppressions = suppressions;
  return facts;
}

/**
 * A class extracted as a skeleton plus its methods, each method apart (so that a keystroke in one re-extracts that one):
 * `method` gives a method's facts (see `extractMethod`) when the class's captures reach it, with what the class's own
 * statements bound before it. The composed facts are the class's whole extraction, field for field.
 */
export interface ClassComposition {
  method(node: Node, ownerQualname: string, moduleSizes: Readonly<Record<string, SizeExpr>> | undefined): MethodFacts;
}
/** One method extracted alone: `owner` collects what it writes to its class (`self.x = …`). */
interface MethodScope {
  owner: ClassFacts;
  moduleSizes: Readonly<Record<string, SizeExpr>> | undefined;
}
type Composition = ClassComposition | MethodScope;

/** A method's facts, and what it adds to its class and its file, as `composeMethod` folds them into the class's. */
export interface MethodFacts {
  facts: FileFacts;
  owner: Pick<ClassFacts, 'attributes' | 'attributeItems'>;
}

/** The methods of a class (its body's own `def`s, decorators left to the class: their calls are the module's). */
function methodsOf(root: Node): Node[] {
  const cls = root.type === 'decorated_definition' ? root.childForFieldName('definition') : root;
  const body = cls?.type === 'class_definition' ? cls.childForFieldName('body') : null;
  const methods: Node[] = [];
  for (const child of body?.namedChildren ?? []) {
    const definition = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    if (definition?.type === 'function_definition') methods.push(definition);
  }
  return methods;
}

/** The facts of `node`, a method of the class `ownerQualname`, extracted alone (see `ClassComposition`). */
export function extractMethod(
  node: Node,
  query: Query,
  ownerQualname: string,
  moduleSizes: Readonly<Record<string, SizeExpr>> | undefined,
  deadline?: Deadline,
): MethodFacts {
  const owner: ClassFacts = { name: ownerQualname, qualname: ownerQualname, line: 0, bases: [], attributes: {} };
  const facts = extractNode(node, query, '', deadline, { owner, moduleSizes });
  return { facts, owner: { attributes: owner.attributes, ...(owner.attributeItems && { attributeItems: owner.attributeItems }) } };
}

/** Folds a method extracted alone into its class's facts, where the whole extraction would have met it. */
function composeMethod(
  part: MethodFacts,
  into: { functions: FunctionFacts[]; classes: ClassFacts[]; imports: ImportBinding[]; syntaxErrors: FileFacts['syntaxErrors']; module: FunctionFacts; owner: ClassFacts },
  grown: Set<string>,
): void {
  const { facts } = part;
  into.functions.push(...facts.functions);
  into.classes.push(...facts.classes);
  into.imports.push(...facts.imports);
  into.syntaxErrors.push(...facts.syntaxErrors);
  for (const name of facts.grownNames ?? []) grown.add(name);
  Object.assign(into.owner.attributes, part.owner.attributes);
  for (const [name, item] of Object.entries(part.owner.attributeItems ?? {})) {
    const items = (into.owner.attributeItems ??= {});
    items[name] = item === null ? null : agreedItem(own(items, name), item);
  }
  if (facts.module.engineSchemes) (into.module.engineSchemes ??= []).push(...facts.module.engineSchemes);
  for (const [table, inserts] of Object.entries(facts.module.insertedRows ?? {})) ((into.module.insertedRows ??= {})[table] ??= []).push(...inserts);
}

/** What a name was bound to (`xs = []`, `total = 0`) is not its size once items are added to it (`added`). */
export function forgetGrownSizes(fn: FunctionFacts, added: ReadonlySet<string>): void {
  if (fn.shortCollections) {
    fn.shortCollections = fn.shortCollections.filter((name) => !added.has(name));
    if (fn.shortCollections.length === 0) delete fn.shortCollections;
  }
  for (const name of added) if (fn.sizes && Object.hasOwn(fn.sizes, name)) delete fn.sizes[name];
}

/** A tree with an error but no ERROR node has a token the parser had to invent: report where. */
export function addMissingTokenError(root: Node, facts: FileFacts): void {
  if (!root.hasError || facts.syntaxErrors.length > 0) return;
  const missing = firstMissing(root);
  facts.syntaxErrors.push({
    line: missing ? line(missing) : endLine(root),
    message: missing ? `syntax error: missing ${missing.type}` : 'syntax error',
  });
}

function describeError(node: Node): string {
  const text = node.text.split('\n', 1)[0]?.trim() ?? '';
  return text ? `syntax error near \`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\`` : 'syntax error';
}

/** Only reached for a tree with an error but no ERROR node: a token the parser had to invent (depth first, without recursion). */
function firstMissing(root: Node): Node | null {
  const pending: Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.isMissing) return node;
    if (!node.hasError) continue;
    const children = node.children;
    for (let k = children.length - 1; k >= 0; k--) {
      const child = children[k];
      if (child) pending.push(child);
    }
  }
  return null;
}

/** Annotations that say nothing about the class of what is returned. */
const UNTYPED_ANNOTATIONS = new Set(['Any', 'None', 'object', 'Self', 'NoReturn', 'Never']);
const ANNOTATED_CLASS = /^["']?([A-Za-z_][\w.]*)["']?$/;

/** `-> "Template"`, `-> Markdown`, `-> nodes.Node`: an instance of the class the annotation names, as a chain (`Template()`). */
function returnAnnotationChain(annotation: Node | null): string | undefined {
  const name = annotation && ANNOTATED_CLASS.exec(annotation.text.trim())?.[1];
  if (!name || UNTYPED_ANNOTATIONS.has(name.slice(name.lastIndexOf('.') + 1))) return undefined;
  return `${name}()`;
}

function parameterNames(parameters: Node | null): string[] {
  if (!parameters) return [];
  const names: string[] = [];
  for (const param of parameters.namedChildren) {
    if (!param) continue;
    switch (param.type) {
      case 'identifier':
        names.push(param.text);
        break;
      case 'typed_parameter': {
        const inner = param.namedChild(0);
        if (inner?.type === 'list_splat_pattern') names.push(`*${inner.namedChild(0)?.text ?? ''}`);
        else if (inner?.type === 'dictionary_splat_pattern') names.push(`**${inner.namedChild(0)?.text ?? ''}`);
        else if (inner) names.push(inner.text);
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter':
        names.push(`${param.childForFieldName('name')?.text ?? '?'}=`);
        break;
      case 'list_splat_pattern':
        names.push(`*${param.namedChild(0)?.text ?? ''}`);
        break;
      case 'dictionary_splat_pattern':
        names.push(`**${param.namedChild(0)?.text ?? ''}`);
        break;
      case 'keyword_separator':
      case 'positional_separator':
        break;
    }
  }
  return names;
}

/**
 * Whether the size of a returned value can be read from its expression: not a returned name (unless bound to an
 * array or an image of a shape in the code, which no append grows), nor an f-string (sized by its literal text only,
 * it would miss what it interpolates; an item of a comprehension may be one: its count is what matters), nor anything reading a name bound empty in the function (`jobs = {}` filled
 * in a loop): each would read as nearly empty.
 */
function returnSizeReadable(value: Node, fn: FunctionFacts): boolean {
  if (value.type === 'identifier') return 'shape' in (own(fn.sizes ?? {}, value.text) ?? {});
  if (value.descendantsOfType('interpolation').some((part) => part !== null && !inComprehension(part, value))) return false;
  return !value.descendantsOfType('identifier').some((name) => {
    const bound = name ? own(fn.sizes ?? {}, name.text) : undefined;
    return bound !== undefined && 'seq' in bound && 'n' in bound.seq && bound.seq.n === 0;
  });
}

/** `xs = []`, `{}`, `set()` as sizes.ts reads it: a collection of no items. */
function isEmptyCollection(size: SizeExpr | undefined): boolean {
  return size !== undefined && 'seq' in size && 'n' in size.seq && size.seq.n === 0;
}

/** A list literal of items as sizes.ts reads it (`["# Notes\n"]`): a count written in the code; undefined for anything else. */
function literalItems(size: SizeExpr | undefined): SizeExpr | undefined {
  return size !== undefined && 'seq' in size && 'n' in size.seq && size.unit === 'items' ? size : undefined;
}

/** Blocks an append may be skipped in (or run an unknown number of times in): the loops around it no longer count it. */
const UNCOUNTED_BLOCKS = new Set(['if_statement', 'while_statement', 'try_statement', 'conditional_expression', 'boolean_operator', 'lambda', ...COMPREHENSIONS]);

/**
 * `lines.append(f"{k} …")` run once per iteration of `for` loops of a count in the code (`for k in range(60_000)`),
 * not under an `if` or a `while`: the list it fills holds their product of items, each a line or a word (by what the
 * item is written as, not by its text: an edit of the appended value leaves what callers see unchanged). Undefined
 * when a loop around it has no count in the code.
 */
function pushedSize(call: Node, item: Node | null, items: SizeExpr = { n: 1 }): SizeExpr | undefined {
  let count = items;
  for (let at = call.parent; at && at.type !== 'function_definition' && at.type !== 'module'; at = at.parent) {
    if (UNCOUNTED_BLOCKS.has(at.type)) return undefined;
    if (at.type !== 'for_statement') continue;
    const over = loopCountOf(at.childForFieldName('right'));
    if (!over) return undefined;
    count = { op: '*', left: count, right: { len: over } };
  }
  return { seq: count, unit: 'items', each: lineOrWord(item) };
}

/**
 * `book[f"PLY-{k:03d}"] = {…}` run once per iteration of `for k in range(70)` (as pushedSize counts them), keyed by that loop's
 * counter: a new key each pass, so the mapping holds as many values, each the record stored (`values`, and the values it holds).
 * Undefined for a key that may repeat (`counts[word] = …`), or loops without a count in the code.
 */
function storedByCounter(assignment: Node, target: Node, value: Node): { name: string; size: SizeExpr } | undefined {
  const mapping = target.childForFieldName('value');
  const key = target.childForFieldName('subscript');
  if (mapping?.type !== 'identifier' || !key) return undefined;
  const counters = new Set<string>();
  for (let at = assignment.parent; at && at.type !== 'function_definition'; at = at.parent) {
    const iterable = at.type === 'for_statement' ? at.childForFieldName('right') : null;
    const counter = at.childForFieldName('left');
    if (iterable?.type === 'call' && iterable.childForFieldName('function')?.text === 'range' && counter?.type === 'identifier') counters.add(counter.text);
  }
  if (!keyOfCounter(key, counters)) return undefined;
  const pushed = pushedSize(assignment, value);
  if (!pushed || !('seq' in pushed)) return undefined;
  const values = sizeExprOf(value);
  const record = recordHeld(value);
  return { name: mapping.text, size: { seq: pushed.seq, unit: 'items', ...(values && { values }), ...(record && { held: { op: '*', left: pushed.seq, right: record } }) } };
}

/** A key that is a different one for each counter value: the counter itself, an f-string of it (`f"PLY-{k:03d}"`), a tuple holding it. */
function keyOfCounter(key: Node, counters: ReadonlySet<string>): boolean {
  const isCounter = (node: Node | null): boolean => node?.type === 'identifier' && counters.has(node.text);
  if (key.type === 'string') return key.namedChildren.some((part) => part?.type === 'interpolation' && isCounter(part.childForFieldName('expression')));
  if (key.type === 'tuple') return key.namedChildren.some(isCounter);
  return isCounter(key);
}

/** `solve_ivp(f, (0, hours), y0, max_step=0.2)`: its steps, the span over `max_step`; undefined without a `max_step` or a literal span. */
function integrationSteps(args: readonly (Node | null)[]): SizeExpr | undefined {
  const span = args.filter((arg) => arg?.type !== 'keyword_argument')[1];
  const ends = span?.type === 'tuple' || span?.type === 'list' ? span.namedChildren.map((end) => sizeExprOf(end)) : [];
  const step = sizeExprOf(keywordArgument(args, 'max_step'));
  const [start, end] = ends;
  if (ends.length !== 2 || !start || !end || !step) return undefined;
  return { op: '/', left: { op: '-', left: end, right: start }, right: step };
}

/** What one growth call adds to its list (see pushedSize): `xs.append(x)` an item, `xs.extend(f(k) for k in range(12))` its comprehension's. */
function growthOf(call: Node, method: string, args: Node): SizeExpr | undefined {
  if (method === 'append') return args.namedChildCount === 1 ? pushedSize(call, args.namedChild(0)) : undefined;
  if (method !== 'extend') return undefined;
  const added = args.type === 'generator_expression' ? args : args.namedChildCount === 1 ? args.namedChild(0) : null;
  if (!added || !COMPREHENSIONS.has(added.type)) return undefined;
  const count = sizeExprOf(added);
  return count && pushedSize(call, added.childForFieldName('body'), { len: count });
}

/** A list's items from all its growths (each as pushedSize gives it): their counts added, each item as large as the largest's. */
function allGrowths(growths: readonly SizeExpr[]): SizeExpr {
  const [first, ...rest] = growths as [SizeExpr, ...SizeExpr[]];
  if (rest.length === 0) return first;
  let count: SizeExpr | undefined;
  let each: SizeExpr | undefined;
  let eachBytes = -1;
  for (const growth of growths) {
    if (!('seq' in growth)) continue;
    count = count ? { op: '+', left: count, right: growth.seq } : growth.seq;
    const bytes = growth.each && 'seq' in growth.each && 'n' in growth.each.seq ? growth.each.seq.n : 0;
    if (bytes > eachBytes) {
      each = growth.each;
      eachBytes = bytes;
    }
  }
  return { seq: count ?? { n: 0 }, unit: 'items', ...(each && { each }) };
}

/** Whether `node` is inside a comprehension within `root` (or `root` itself): part of an item of a collection. */
function inComprehension(node: Node, root: Node): boolean {
  const span = root.endIndex - root.startIndex;
  for (let at = node.parent; at && at.endIndex - at.startIndex <= span; at = at.parent) if (COMPREHENSIONS.has(at.type)) return true;
  return false;
}

/**
 * Sizes of parameters' default values (`def page(rows, count=50)`, `chunk=1 << 20`): what a call that
 * leaves them out works on, taken as the likely size (an assignment in the body overrides it).
 */
function defaultSizes(parameters: Node | null): Record<string, SizeExpr> | undefined {
  let sizes: Record<string, SizeExpr> | undefined;
  for (const param of parameters?.namedChildren ?? []) {
    const type = param?.type;
    if (!param || (type !== 'default_parameter' && type !== 'typed_default_parameter')) continue;
    const name = param.childForFieldName('name');
    const size = sizeExprOf(param.childForFieldName('value'));
    if (name?.type === 'identifier' && size) (sizes ??= {})[name.text] = size;
  }
  return sizes;
}

/**
 * Binds `name` to `chain` in `fn`'s locals. A value made from the name's own (`card = card.filter(blur)`,
 * `df = df.dropna()`) is made from what the name held before: its binding there, substituted; without one
 * (a parameter, a global) the name keeps denoting that, not a chain through itself.
 */
function bindChain(fn: FunctionFacts, name: string, chain: string): void {
  const rest = chain.slice(name.length);
  if (!chain.startsWith(name) || !(rest.startsWith('.') || rest.startsWith('(') || rest.startsWith('['))) {
    fn.locals[name] = chain;
    return;
  }
  const before = own(fn.locals, name);
  if (before !== undefined && before !== name) fn.locals[name] = before + rest;
  else delete fn.locals[name];
}

/**
 * Binds `name` to `size` in `fn`'s sizes. A value made from the name's own (`tile = tile.convert("P")`) is made from what
 * the name held before: its size there, substituted; without one the name's size is not told.
 */
function bindSize(fn: FunctionFacts, name: string, size: SizeExpr): void {
  const before = own(fn.sizes ?? {}, name);
  const bound = !namesIt(size, name) ? size : before && replaceNames(size, (named) => (named === name ? before : undefined));
  if (bound) (fn.sizes ??= {})[name] = bound;
  else if (fn.sizes) delete fn.sizes[name];
}

/**
 * `while due.weekday() == 6 or due in CLOSED: due += timedelta(days=1)`: a loop whose body only steps names its condition
 * reads (`x += step`), returning or breaking when something holds: a search over a few values, not work over data. A
 * name the function is given (`while n: n -= 1`, `n` a parameter) steps as far as its caller says: not a search.
 */
function steppingSearch(loop: Node, fn: FunctionFacts): boolean {
  const condition = loop.childForFieldName('condition');
  const body = loop.childForFieldName('body');
  if (!condition || !body || loop.childForFieldName('alternative')) return false;
  const stepped = new Set<string>();
  const onlySteps = (statement: Node | null): boolean => {
    switch (statement?.type) {
      case 'pass_statement':
      case 'break_statement':
      case 'continue_statement':
      case 'return_statement':
      case 'comment':
        return true;
      case 'expression_statement': {
        const expression = statement.namedChild(0);
        const target = expression?.type === 'augmented_assignment' ? expression.childForFieldName('left') : null;
        if (target?.type !== 'identifier') return false;
        stepped.add(target.text);
        return true;
      }
      case 'if_statement':
        return statement.childForFieldName('alternative') === null && (statement.childForFieldName('consequence')?.namedChildren ?? []).every(onlySteps);
      default:
        return false;
    }
  };
  if (!body.namedChildren.every(onlySteps) || [...stepped].some((name) => isParameter(fn, name))) return false;
  const read = condition.text;
  return [...stepped].some((name) => new RegExp(`\\b${name}\\b`).test(read));
}

/** A value read by position stays a reference to the name beyond this many parts (repeated substitution can double it). */
const MAX_POSITIONAL_PARTS = 200;

/**
 * A name bound more than once in a function denotes, where it is read, the binding that reaches there (the last one
 * before it in the source; a loop's body is not read twice): in a Kalman filter's step, `gain = covariance @ …` reads
 * the `covariance` bound just before, while the name's last binding, `covariance = (np.eye(2) - gain @ observation) @
 * covariance`, reads `gain`: one entry a name, its last binding, would read each through the other and size neither.
 * Each binding's value, then each call's and loop's sizes and the returned size, have their rebound names replaced by
 * what reaches them. A name bound once, or grown by appends (see `allGrowths`), keeps its one entry.
 */
function bindPositionally(
  fn: FunctionFacts,
  bindings: readonly SizeBinding[],
  reads: readonly SizeRead[],
  grownNames: ReadonlySet<string> | undefined,
  returnAt: number | undefined,
): void {
  const counts = new Map<string, number>();
  for (const binding of bindings) counts.set(binding.name, (counts.get(binding.name) ?? 0) + 1);
  const rebound = new Set([...counts].filter(([name, count]) => count > 1 && !grownNames?.has(name)).map(([name]) => name));
  if (rebound.size === 0) return;
  const reached = new Map<string, Array<{ end: number; size: SizeExpr | undefined }>>();
  const reaching = (name: string, at: number): SizeExpr | undefined => {
    if (!rebound.has(name)) return undefined;
    let size: SizeExpr | undefined;
    for (const held of reached.get(name) ?? []) if (held.end <= at) size = held.size;
    return size;
  };
  const isRebound = (name: string): boolean => rebound.has(name);
  const close = (size: SizeExpr, at: number): SizeExpr => {
    if (!namesAny(size, isRebound)) return size;
    const closed = replaceNames(size, (name) => reaching(name, at));
    return closed === size || partsOf(closed) <= MAX_POSITIONAL_PARTS ? closed : size;
  };
  for (const binding of bindings) {
    const closed = close(binding.size, binding.start);
    // Made from the name's own value before any binding here (a parameter): not told, as `bindSize` leaves it.
    const size = namesIt(closed, binding.name) ? undefined : closed;
    const held = reached.get(binding.name) ?? [];
    held.push({ end: binding.end, size });
    reached.set(binding.name, held);
    if (size && size !== binding.size && fn.sizes && own(fn.sizes, binding.name) === binding.bound) fn.sizes[binding.name] = size;
  }
  for (const read of reads) {
    if ('loop' in read) {
      if (read.loop.count) read.loop.count = close(read.loop.count, read.at);
      continue;
    }
    const { call } = read;
    if (call.argSize) call.argSize = close(call.argSize, read.at);
    if (call.receiverSize) call.receiverSize = close(call.receiverSize, read.at);
    if (call.collectionArgs) call.collectionArgs = call.collectionArgs.map((size) => close(size, read.at));
    if (call.positionalSizes) call.positionalSizes = call.positionalSizes.map((size) => size && close(size, read.at));
    if (call.argumentSizes) {
      const { args, keywords } = call.argumentSizes;
      call.argumentSizes = { args: args.map((size) => size && close(size, read.at)), ...(keywords && { keywords: Object.fromEntries(Object.entries(keywords).map(([key, size]) => [key, close(size, read.at)])) }) };
    }
  }
  if (fn.returnSize && returnAt !== undefined) fn.returnSize = close(fn.returnSize, returnAt);
}

/** How many objects and arrays `expr` is made of. */
function partsOf(expr: SizeExpr): number {
  let parts = 0;
  const pending: unknown[] = [expr];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    parts++;
    pending.push(...(Array.isArray(value) ? value : Object.values(value)));
  }
  return parts;
}

/** Whether `name` is one of `fn`'s parameters (listed as `name`, or `name=` when it has a default). */
function isParameter(fn: FunctionFacts, name: string): boolean {
  return fn.params.includes(name) || fn.params.includes(`${name}=`);
}

/** Whether `expr` names `name` anywhere (iterative, no copies). */
function namesIt(expr: SizeExpr, name: string): boolean {
  return namesAny(expr, (named) => named === name);
}

/** Whether `expr` names a name `test` holds (iterative, no copies). */
function namesAny(expr: SizeExpr, test: (name: string) => boolean): boolean {
  const pending: unknown[] = [expr];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    const name = (value as { name?: unknown }).name;
    if (typeof name === 'string') {
      if (test(name)) return true;
      continue;
    }
    if (Array.isArray(value)) {
      for (const inner of value) if (inner !== null && typeof inner === 'object') pending.push(inner);
    } else {
      for (const key in value) {
        const inner = (value as Record<string, unknown>)[key];
        if (inner !== null && typeof inner === 'object') pending.push(inner);
      }
    }
  }
  return false;
}

/** An assignment's sides and their types, as its capture reads them once. */
interface AssignmentSides {
  node: Node;
  left: Node | null;
  leftType: string | undefined;
  right: Node | null;
  rightType: string | undefined;
}

/** Records what an assignment binds; says when a plain name was bound to a string literal or a short literal collection. */
function recordAssignment(
  { node, left, leftType, right, rightType }: AssignmentSides,
  fn: FunctionFacts,
  methodClass: ClassFacts | undefined,
  namedLambdas: Map<number, string>,
): 'literal-string' | 'short-collection' | undefined {
  if (!left) return undefined;
  if (leftType === 'identifier') {
    const name = left.text;
    if (right && rightType === 'lambda') {
      namedLambdas.set(right.startIndex, name);
      return undefined;
    }
    const literal = rightType === undefined ? undefined : LITERAL_TYPES[rightType];
    if (right && (rightType === 'call' || rightType === 'identifier' || rightType === 'attribute' || rightType === 'subscript')) {
      // `frame = table[table["x"] > 0]`: an item of what the subscripted value holds.
      const chain = normalizeChain(right.text);
      const arithmeticMethod = rightType === 'call' && chain.startsWith('(') ? calledOnArithmetic(right) : undefined;
      if (arithmeticMethod) bindOperands(fn, name, arithmeticMethod);
      else bindChain(fn, name, chain);
      const compiled = rightType === 'call' ? compiledPattern(right) : undefined;
      if (compiled !== undefined) (fn.patterns ??= {})[name] = compiled;
      else if (fn.patterns) delete fn.patterns[name];
    } else if (literal) {
      fn.locals[name] = `${literal}()`;
      if (literal === 'str') return 'literal-string';
      if (right && isShortLiteral(right)) return 'short-collection';
    } else if (right && (rightType === 'binary_operator' || rightType === 'conditional_expression')) {
      // `day = date(2024, 3, 1) + timedelta(days=i)`: arithmetic keeps its typed operand's type
      // (date + timedelta, str + str, Decimal * int, 1 - Decimal).
      bindOperands(fn, name, arithmeticOperands(right).map((operand) => normalizeChain(operand.text)));
    } else {
      const type = node.childForFieldName('type');
      if (type) fn.locals[name] = `${normalizeChain(type.text)}()`;
    }
    return undefined;
  }
  if (right && leftType === 'attribute' && methodClass && (rightType === 'call' || rightType === 'attribute' || rightType === 'identifier')) {
    const object = left.childForFieldName('object');
    const attribute = left.childForFieldName('attribute');
    // `rnd = random.Random(i)` then `self.rnd = rnd`: the attribute holds what the local name was bound to.
    const chain = rightType === 'identifier' ? own(fn.locals, right.text) : normalizeChain(right.text);
    if (object?.text === 'self' && attribute && chain !== undefined) methodClass.attributes[attribute.text] = chain;
  }
  return undefined;
}

function decoratorChains(decorated: Node): string[] {
  const chains: string[] = [];
  for (const child of decorated.namedChildren) {
    if (child?.type !== 'decorator') continue;
    const expression = child.namedChild(0);
    if (expression) chains.push(normalizeChain(expression.text));
  }
  return chains;
}

/** `xs.append(…)` and the other methods that add items to a list, set, dict or deque named `xs`. */
const GROWING_METHOD = /^(\w+)\.(?:append|extend|insert|add|update|appendleft|extendleft)$/;

/** Methods that store one of their arguments in their receiver, by the argument's position (`xs.append(x)`, `d.setdefault(k, v)`). */
const KEEPING_METHODS: ReadonlyMap<string, number> = new Map([['append', 0], ['appendleft', 0], ['add', 0], ['insert', 1], ['setdefault', 1], ['put', 0]]);
/** Literals of containers the garbage collector tracks (tuples of atoms it stops tracking at their first collection). */
const KEPT_CONTAINERS = new Set(['list', 'dictionary', 'set']);
/** Nodes a literal's container count reads at most. */
const MAX_LITERAL_NODES = 200;
/** Callees that turn a generator into a collection that keeps every item. */
const COLLECTING_CALLS = new Set(['list', 'set', 'tuple', 'dict', 'sorted', 'frozenset']);

/** Tracked containers a container literal builds: itself and the container literals inside it (a comprehension inside is one: its items are its own loop's). */
function containersIn(literal: Node): number {
  let containers = 0;
  let visited = 0;
  const pending: Node[] = [literal];
  for (let node = pending.pop(); node && visited < MAX_LITERAL_NODES; node = pending.pop(), visited++) {
    const type = node.type;
    if (KEPT_CONTAINERS.has(type) || COMPREHENSIONS.has(type)) containers++;
    if (node !== literal && COMPREHENSIONS.has(type)) continue;
    for (const child of node.namedChildren) if (child) pending.push(child);
  }
  return containers;
}

/** A comprehension that builds a list, set or dict (a generator does only when `list(...)`, `sorted(...)` and the like consume it). */
function buildsCollection(comprehension: Node): boolean {
  if (comprehension.type !== 'generator_expression') return true;
  const call = comprehension.parent;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  return callee?.type === 'identifier' && COLLECTING_CALLS.has(callee.text);
}

/** `("B", "KiB", "MiB")`, `[a, b]`, `range(3)`: an iterable of a few items, known from the source. */
function isShortLiteral(iterable: Node | null): boolean {
  if (!iterable) return false;
  switch (iterable.type) {
    case 'tuple':
    case 'list':
    case 'set':
      return iterable.namedChildCount <= MAX_FIXED_TRIP_COUNT && !iterable.namedChildren.some((c) => c?.type === 'list_splat');
    case 'call': {
      const match = /^range\(\s*(\d+)\s*\)$/.exec(iterable.text);
      return match !== null && Number(match[1]) <= MAX_FIXED_TRIP_COUNT;
    }
    default:
      return false;
  }
}

/**
 * The chain of a callee. A long one (`a.f(…).f(…)…` thousands of calls long, each of them a callee
 * holding the rest) keeps its last name only, so that normalizing every callee stays linear.
 */
function calleeChain(callee: Node, calleeType = callee.type): string {
  // A node's text is a slice of the parsed source (no copy), as long as the node's span: one read of its end, not two.
  const text = callee.text;
  if (text.length <= MAX_CALLEE_TEXT) return normalizeChain(text);
  const name = calleeType === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  return name ? `….${name}` : '…';
}

/**
 * `a @ b` (or `a @= b`) as a call of `a.__matmul__(b)`: the right operand's size as its argument's, the left's as its
 * receiver's unless it is a plain name (`a.T @ b`, `(a @ b) @ c`, typed as their leftmost operand is, as arithmetic keeps
 * its left operand's type). Undefined for other operators, and for a left operand of no such chain (a literal).
 */
function matrixProductCall(node: Node): OperatorCall | undefined {
  if (node.childForFieldName('operator')?.type !== (node.type === 'augmented_assignment' ? '@=' : '@')) return undefined;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  let operand = left;
  // `a.T` is an array of a's type (its size, transposed, is the receiver's).
  while (operand?.type === 'parenthesized_expression' || operand?.type === 'binary_operator' || (operand?.type === 'attribute' && operand.childForFieldName('attribute')?.text === 'T')) {
    operand = operand.type === 'binary_operator' ? operand.childForFieldName('left') : operand.type === 'attribute' ? operand.childForFieldName('object') : operand.namedChild(0);
  }
  if (!left || !right || !operand || !CHAIN_NODES.has(operand.type)) return undefined;
  const argSize = sizeExprOf(right);
  const receiverSize = left.type === 'identifier' ? undefined : sizeExprOf(left);
  return { callee: `${calleeChain(operand)}.__matmul__`, operator: '@', ...(argSize && { argSize }), ...(receiverSize && { receiverSize }) };
}

interface OperatorCall {
  callee: string;
  otherCallees?: string[];
  operator: OperatorFact;
  argSize?: SizeExpr;
  receiverSize?: SizeExpr;
}

/**
 * `a * b + c`, `h *= s - z`, `(x > 0) & mask`: each operator as a call of its operand's method (`a.__mul__(b)`), typed by
 * its left operand when that is a name, an attribute or a call, else its right one (`2.0 * np.pi * f`); an operator of
 * two other operators' results (`a * b + c * d`) is not recorded (typed through them, a sum of thousands of terms would
 * be thousands of calls). Its argument is the size of what it makes (numpy broadcasts: the larger operand's shape).
 * Priced only where that size is an array's (see verdicts.ts): on numbers it is the function's arithmetic.
 */
function elementWiseCall(node: Node): OperatorCall | undefined {
  const written = node.childForFieldName('operator')?.type ?? '';
  const operator = node.type === 'augmented_assignment' ? written.slice(0, -1) : written;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!isElementWiseOperator(operator) || !left || !right) return undefined;
  const [typed, ...others] = [left, right].flatMap((operand) => (ofOtherOperators(operand) ? [] : arithmeticOperands(operand)));
  if (!typed) return undefined;
  const leftSize = sizeExprOf(left);
  const rightSize = sizeExprOf(right);
  // With one operand not told (a name rebound, `np.pi`), the result is at least the told one's shape.
  const argSize = leftSize && rightSize ? { op: operator, left: leftSize, right: rightSize } : (leftSize ?? rightSize);
  const method = ELEMENT_WISE_METHODS[operator];
  const otherCallees = others.map((operand) => `${calleeChain(operand)}.${method}`);
  return { callee: `${calleeChain(typed)}.${method}`, operator, ...(argSize && { argSize }), ...(otherCallees.length > 0 && { otherCallees }) };
}

/** Builtins whose result is one of their arguments: `max(Decimal(0), gross - excess)` is a Decimal. */
const ARGUMENT_RETURNING: ReadonlySet<string> = new Set(['max', 'min', 'abs']);
/** How deep `arithmeticOperands` looks into nested operators and parentheses, and how many operands it keeps. */
const MAX_OPERAND_DEPTH = 8;
const MAX_OPERANDS = 4;

/**
 * The operands an arithmetic expression may take its type from, left to right (arithmetic keeps its left operand's type,
 * a literal's aside; `1 - line.discount` is line.discount's, `price * quantity` whichever of them is typed): the names,
 * attributes, items and calls, through parentheses, signs, a conditional's branches and the builtins that return one of
 * their arguments (`max(Decimal(0), gross - excess) * rate`). Empty where every operand is a literal.
 */
function arithmeticOperands(node: Node | null, into: Node[] = [], depth = 0): Node[] {
  if (!node || depth > MAX_OPERAND_DEPTH || into.length >= MAX_OPERANDS) return into;
  switch (node.type) {
    case 'identifier':
    case 'attribute':
    case 'subscript':
      into.push(node);
      break;
    case 'parenthesized_expression':
      arithmeticOperands(node.namedChild(0), into, depth + 1);
      break;
    case 'unary_operator':
      arithmeticOperands(node.childForFieldName('argument'), into, depth + 1);
      break;
    case 'binary_operator':
      arithmeticOperands(node.childForFieldName('left'), into, depth + 1);
      arithmeticOperands(node.childForFieldName('right'), into, depth + 1);
      break;
    case 'conditional_expression':
      // `Decimal(0) if exempt else rate`: either branch, not the condition.
      arithmeticOperands(node.namedChild(0), into, depth + 1);
      arithmeticOperands(node.namedChild(2), into, depth + 1);
      break;
    case 'call': {
      const callee = node.childForFieldName('function');
      if (callee?.type !== 'identifier' || !ARGUMENT_RETURNING.has(callee.text)) into.push(node);
      else for (const argument of node.childForFieldName('arguments')?.namedChildren ?? []) arithmeticOperands(argument, into, depth + 1);
      break;
    }
  }
  return into;
}

/** `(net * (1 + VAT)).quantize`: a method of an arithmetic result, one chain per operand that may type it. */
function methodOfArithmetic(callee: Node): string[] | undefined {
  if (callee.type !== 'attribute') return undefined;
  let object = callee.childForFieldName('object');
  while (object?.type === 'parenthesized_expression') object = object.namedChild(0);
  const method = callee.childForFieldName('attribute')?.text;
  if (object?.type !== 'binary_operator' || !method) return undefined;
  const chains = arithmeticOperands(object).map((operand) => `${calleeChain(operand)}.${method}`);
  return chains.length > 0 ? chains : undefined;
}

/** `(amount * CONCESSION).quantize(…)`: a call of a method of an arithmetic result, one chain per operand that may type it. */
function calledOnArithmetic(call: Node): string[] | undefined {
  const callee = call.childForFieldName('function');
  return callee ? methodOfArithmetic(callee)?.map((chain) => `${chain}()`) : undefined;
}

/** Binds `name` to arithmetic's operands (`chains`): the first as its chain, the others tried where that one types nothing. */
function bindOperands(fn: FunctionFacts, name: string, chains: readonly string[]): void {
  const [first, ...others] = chains;
  if (first === undefined) return;
  bindChain(fn, name, first);
  const bound = own(fn.locals, name);
  const rest = others.filter((chain) => chain.split(/[.([]/, 1)[0] !== name);
  if (bound !== undefined && rest.length > 0) (fn.operandBindings ??= {})[name] = { bound, others: rest };
}

/** An operand (through parentheses) that is another operator's result. */
function ofOtherOperators(node: Node): boolean {
  let operand: Node | null = node;
  while (operand?.type === 'parenthesized_expression') operand = operand.namedChild(0);
  return operand?.type === 'binary_operator';
}

/** Nodes a chain is read from (chain.ts): a name, an attribute, a call. */
const CHAIN_NODES: ReadonlySet<string> = new Set(['identifier', 'attribute', 'call']);

/**
 * The chain of the items of a list, set or tuple made in place of calls of one callee (`[Operator(b) for b in …]`,
 * `[Duty(1), Duty(2)]`), or of a mapping's values (`{name: rng.integers(…) for …}`): `Operator()`. Undefined for anything else.
 */
function instancesMadeIn(value: Node): string | undefined {
  const type = value.type;
  const body = type === 'list_comprehension' || type === 'set_comprehension' || type === 'dictionary_comprehension' ? value.childForFieldName('body') : null;
  const items = body
    ? [body.type === 'pair' ? body.childForFieldName('value') : body]
    : type === 'list' || type === 'set' || type === 'tuple' ? value.namedChildren
    : type === 'dictionary' ? value.namedChildren.map((pair) => (pair?.type === 'pair' ? pair.childForFieldName('value') : null)) : [];
  const callees = new Set(items.map((item) => (item?.type === 'call' ? item.childForFieldName('function') : null)).map((callee) => (callee ? calleeChain(callee) : '')));
  const [callee] = callees;
  return callees.size === 1 && callee ? `${callee}()` : undefined;
}

/** The value appended to a list, as a chain its items can be typed by: a call's result (`Image.fromarray(…)()`) or what a local name holds. */
function itemChainOfValue(value: Node | null, fn: FunctionFacts): string | undefined {
  if (value?.type === 'identifier') return own(fn.locals, value.text);
  const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
  return callee && (callee.type === 'identifier' || callee.type === 'attribute') ? `${calleeChain(callee)}()` : undefined;
}

/**
 * A list's items after one more append of `item` (a chain, undefined when it cannot be typed) to items known as `known`:
 * the chain while every append agrees, null for good once one does not.
 */
function agreedItem(known: string | null | undefined, item: string | undefined): string | null {
  return item !== undefined && (known === undefined || known === item) ? item : null;
}

/** Methods that split a text into its lines. */
const LINE_SPLITS = /\.(?:splitlines|readlines)$/;
/** A file opened in the code (`open(path)`, `io.open(path)`), whose iteration gives its lines. */
const OPENED_FILE = /^(?:io\.)?open\(\)$/;

/** `self.loans.append(loan)`: a list an instance keeps, grown in its methods. */
const SELF_APPEND = /^self\.(\w+)\.append$/;
/** `self.stacks = …`: an attribute of the instance bound in a method. */
const SELF_ATTRIBUTE = /^self\.(\w+)$/;

/** Copies of a collection that keep its items: `return tuple(scans)` returns the items of `scans`. */
const ITEM_KEEPING_BUILTINS = new Set(['tuple', 'list', 'sorted', 'reversed', 'set', 'frozenset']);

/** The name whose items a returned value holds: `return scans`, `return tuple(scans)`; null for anything else. */
function collectionReturned(value: Node | null): Node | null {
  if (value?.type === 'identifier') return value;
  const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
  const args = value?.childForFieldName('arguments');
  const only = args?.type === 'argument_list' && args.namedChildCount === 1 ? args.namedChild(0) : null;
  return callee?.type === 'identifier' && ITEM_KEEPING_BUILTINS.has(callee.text) && only?.type === 'identifier' ? only : null;
}

/** The iterable of a comprehension's first `for … in …` clause. */
function firstIterable(comprehension: Node): Node | null {
  for (const child of comprehension.namedChildren) {
    if (child?.type === 'for_in_clause') return child.childForFieldName('right');
  }
  return null;
}

/**
 * A callee that may be a function of the workspace, whose loops a call's argument sizes can bind (`argumentSizes`): a
 * plain name, a method of `self`/`cls` or of a value a named call made (`Plate().wells(…)`), a function of a module
 * imported relatively (`corpus.document(…)` after `from . import corpus`). Not a method of any other value
 * (`line.split(",", 1)`, `table.get(key, 0)`): those are the most common calls, and their facts would weigh.
 */
function mayCallWorkspace(callee: Node, calleeType: string, imports: readonly ImportBinding[]): boolean {
  if (calleeType === 'identifier') return true;
  if (calleeType !== 'attribute') return false;
  // `asyncio.to_thread(task, *args)`, `loop.run_in_executor(None, task, *args)`: the task's arguments.
  if (HANDS_OFF_TASK.has(callee.childForFieldName('attribute')?.text ?? '')) return true;
  const object = callee.childForFieldName('object');
  const objectType = object?.type;
  if (objectType === 'call') return object?.childForFieldName('function')?.type === 'identifier';
  if (objectType !== 'identifier' || !object) return false;
  const name = object.text;
  return name === 'self' || name === 'cls' || imports.some((binding) => binding.local === name && binding.target.startsWith('.'));
}

/** Whether an argument may tell a size (checked before any size is read, on every call): a number of at least FEW_ITEMS, arithmetic, a name bound to a size, or a call of a module function (what it returns may be sized). */
function mayTellSize(args: readonly (Node | null)[], fn: FunctionFacts, module: FunctionFacts): boolean {
  for (const arg of args) {
    const value = arg?.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
    if (!value) continue;
    const type = value.type;
    if ((type === 'integer' || type === 'float') && numberLiteral(value.text) >= FEW_ITEMS) return true;
    if (type === 'binary_operator') return true;
    if (type === 'identifier' && boundToSize(value.text, fn, module)) return true;
    // `score(_last_hour_transactions())`: what a module function returns may be sized (`FunctionFacts.returnSize`).
    const callee = type === 'call' ? value.childForFieldName('function') : null;
    if (callee?.type === 'identifier' && !BUILTIN_NAMES.has(callee.text)) return true;
  }
  return false;
}

const HANDS_OFF_TASK = new Set(['to_thread', 'run_in_executor']);

/** The arguments of `functools.partial(f, …)` (or of `partial(f, …)`), when `value` is that call. */
function partialArguments(value: Node): Node | undefined {
  if (value.type !== 'call' || !/^(?:functools\.)?partial$/.test(value.childForFieldName('function')?.text ?? '')) return undefined;
  const args = value.childForFieldName('arguments');
  return args?.type === 'argument_list' && args.namedChildCount > 0 ? args : undefined;
}

/**
 * A call's arguments as the called function receives them, read once per call: its own, or, called through a name bound
 * to `partial(f, a, k=v)`, the partial's positional ones before its own and the partial's keywords its own do not give
 * again. `listed`: they are an argument list (not a lone generator expression); `text()`: as one list is written, `span` its length.
 */
function callArguments(args: Node | null, partial: Node | undefined): { nodes: readonly (Node | null)[]; listed: boolean; span: number; text: () => string } {
  if (!partial) return { nodes: args?.namedChildren ?? [], listed: args?.type === 'argument_list', span: args ? args.endIndex - args.startIndex : 0, text: () => args?.text ?? '' };
  const given = args?.type === 'argument_list' ? args.namedChildren : [];
  const isKeyword = (arg: Node): boolean => arg.type === 'keyword_argument' || arg.type === 'dictionary_splat';
  const keywordName = (arg: Node): string | undefined => arg.childForFieldName('name')?.text;
  const bound = partial.namedChildren.slice(1).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  const own = given.filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  const ownKeywords = new Set(own.filter(isKeyword).map(keywordName));
  const nodes = [
    ...bound.filter((arg) => !isKeyword(arg)),
    ...own.filter((arg) => !isKeyword(arg)),
    ...bound.filter((arg) => isKeyword(arg) && (arg.type === 'dictionary_splat' || !ownKeywords.has(keywordName(arg)))),
    ...own.filter(isKeyword),
  ];
  const text = `(${nodes.map((arg) => arg.text).join(', ')})`;
  return { nodes, listed: true, span: text.length, text: () => text };
}

/** Calls that run the function they are given with the positional arguments after it (`submit(f, a, b)`: `f(a, b)`). */
const PASSES_TASK_ARGUMENTS = new Set(['submit', 'to_thread', 'run_in_executor', 'apply_async']);

/** The bytes a `struct.Struct("…")` made here packs (its `.size`). */
function structMadeBy(value: Node): number | undefined {
  const callee = value.type === 'call' ? value.childForFieldName('function') : null;
  if (!callee || !/^(?:struct\.)?Struct$/.test(callee.text)) return undefined;
  const format = stringLiteralValue(value.childForFieldName('arguments')?.namedChild(0) ?? null);
  return format === undefined ? undefined : structSize(format);
}

/** `name` is bound to a size so far, in `fn` or its module. */
function boundToSize(name: string, fn: FunctionFacts, module: FunctionFacts): boolean {
  return own(fn.sizes ?? {}, name) !== undefined || own(module.sizes ?? {}, name) !== undefined;
}

/** Numbers below this passed to a function are options, not sizes (`argumentSizes`). */
const FEW_ITEMS = 16;

/** The arguments whose sizes the source tells: a name counts only when it is bound to a size before the call (in the function or its module). */
function toldSizes(given: ArgumentSizes, fn: FunctionFacts, module: FunctionFacts): ArgumentSizes | undefined {
  // A few (`s.split(",", 1)`, `d.get(k, 0)`) is a flag or an option, not a size worth binding: common, and it would weigh the facts.
  const told = (size: SizeExpr | null): size is SizeExpr =>
    size !== null && !('n' in size && size.n < FEW_ITEMS) && (!('name' in size) || boundToSize(size.name, fn, module)) && !('result' in size && BUILTIN_NAMES.has(size.result));
  const args = given.args.map((size) => (told(size) ? size : null));
  const keywords = Object.entries(given.keywords ?? {}).filter(([, size]) => told(size));
  if (!args.some((size) => size !== null) && keywords.length === 0) return undefined;
  while (args.at(-1) === null) args.pop();
  return { args, ...(keywords.length > 0 && { keywords: Object.fromEntries(keywords) }) };
}

/** Callees whose calls an argument is told by (`argNames`): a name or an attribute chain, not a call of a call's result. */
const CHAIN_CALLEES = new Set(['identifier', 'attribute']);

/** At most this many leading positional arguments are read as names (`argNames`). */
const MAX_ARGUMENT_NAMES = 8;

/**
 * The leading positional arguments (those after the one starting at `after`, when given), each a plain name, the chain of
 * a call (`random.Random()`) or null, up to the first keyword or unpacked one; undefined when none is told.
 */
function argumentNames(args: CallArguments, after?: number): (string | null)[] | undefined {
  const names: (string | null)[] = [];
  let named = false;
  let skipping = after !== undefined;
  const nodes = argumentNodesOf(args);
  for (let k = 0; k < nodes.length && names.length < MAX_ARGUMENT_NAMES; k++) {
    const arg = nodes[k];
    if (skipping) {
      if (arg?.startIndex === after) skipping = false;
      continue;
    }
    const type = arg?.type;
    if (!arg || type === 'keyword_argument' || type === 'list_splat' || type === 'dictionary_splat') break;
    if (type === 'comment') continue;
    // `_trace(random.Random(i), seconds)`: a value made by a call is told by its chain (`random.Random()`).
    const name = type === 'identifier' ? arg.text : type === 'call' && CHAIN_CALLEES.has(arg.childForFieldName('function')?.type ?? '') ? normalizeChain(arg.text) : null;
    named ||= name !== null;
    names.push(name);
  }
  return named ? names : undefined;
}

/**
 * `engine = _engines.get(os.getpid())`, `conn = _by_process[os.getpid()]` before `if engine is None:`: the cache is looked
 * up by the process id, so a forked worker, which inherits the parent's filled mapping, misses and fills it again.
 */
function keyedByProcess(statement: Node, name: string): boolean {
  let scope: Node | null = statement.parent;
  for (let depth = 0; scope && depth < MAX_GLOBAL_SEARCH_DEPTH && scope.type !== 'function_definition'; depth++) scope = scope.parent;
  const lookup = new RegExp(`(?:^|\\n)\\s*${name.replace(/\./g, '\\.')}\\s*=\\s*[\\w.]+(?:\\.get\\(\\s*os\\.getpid\\(\\)|\\[\\s*os\\.getpid\\(\\)\\s*\\])`);
  return scope?.type === 'function_definition' && lookup.test(scope.text);
}

/**
 * The code under the `if` statements in a fill (what they guard, not their conditions): a test of what the parent's first
 * fill already made outside the process (a file, a seeded table), which a forked worker finds made.
 */
function branchesIn(fill: Node): Array<{ start: number; end: number }> {
  return fill.descendantsOfType('if_statement').flatMap((statement) => {
    const condition = statement?.childForFieldName('condition');
    return statement && condition ? [{ start: condition.endIndex, end: statement.endIndex }] : [];
  });
}

/**
 * Whether `if name is None: <consequence>` fills a cache: the consequence stores into a mapping (`CACHE[key] =
 * value`), or the tested name outlives the call (an attribute, `self._x = …`, or a name the function declares
 * `global`) and the consequence assigns it. Not a parameter's default (`x is None` of a parameter), nor a local
 * lookup that missed and falls back to other work without keeping its result (`sample = table.get(read)`, then a
 * search when it is None).
 */
function fillsCacheOnMiss(statement: Node, name: string, consequence: Node, fn: FunctionFacts): boolean {
  if (isParameter(fn, name)) return false;
  const body = consequence.text;
  // A store into a mapping that outlives the call: the module's or an object's, not one the function built.
  for (const [, mapping = ''] of body.matchAll(SUBSCRIPT_STORE)) if (mapping.includes('.') || own(fn.locals, mapping) === undefined) return true;
  const assigned = new RegExp(`(?:^|\\n)\\s*(?:[\\w.]+\\s*=\\s*)*${name.replace(/\./g, '\\.')}\\s*=(?!=)`);
  if (!assigned.test(body)) return false;
  if (name.startsWith('self.')) return true;
  let scope: Node | null = statement.parent;
  for (let depth = 0; scope && depth < MAX_GLOBAL_SEARCH_DEPTH && scope.type !== 'function_definition'; depth++) scope = scope.parent;
  return scope?.type === 'function_definition' && new RegExp(`\\bglobal\\s+(?:\\w+\\s*,\\s*)*${name}\\b`).test(scope.text);
}

/** Node types of a single value. */
const SCALAR_LITERALS = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**']);

/**
 * An expression that is one value, not a collection: a literal (an f-string too), a parameter whose default is a
 * number or a string, arithmetic on numbers or names (`i % 81`), a unary minus.
 */
function isScalar(node: Node | null, fn: FunctionFacts, depth = 0): boolean {
  if (!node || depth > 4) return false;
  const type = node.type;
  if (SCALAR_LITERALS.has(type)) return true;
  // A few single values written out (`highlights=["New map", "Season 7"]`): a loop over them is a few steps.
  if ((type === 'list' || type === 'tuple') && node.namedChildCount <= MAX_FIXED_TRIP_COUNT) {
    return node.namedChildren.every((item) => item !== null && SCALAR_LITERALS.has(item.type));
  }
  if (type === 'identifier') {
    const name = node.text;
    const size = own(fn.sizes ?? {}, name);
    if (size === undefined) return false;
    if (isParameter(fn, name)) return 'n' in size || ('seq' in size && size.unit === 'bytes');
    // A local bound to arithmetic on a number (`excess = (i * 0.37) % 5`), as that arithmetic written in place would be.
    return isScalarArithmetic(size);
  }
  if (type === 'unary_operator' || type === 'parenthesized_expression') return isScalar(node.namedChild(node.namedChildCount - 1), fn, depth + 1);
  // `250 if i % 2 else 0`: one of two single values.
  if (type === 'conditional_expression') return isScalar(node.namedChild(0), fn, depth + 1) && isScalar(node.namedChild(2), fn, depth + 1);
  if (type === 'binary_operator' && ARITHMETIC.has(node.childForFieldName('operator')?.type ?? '')) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const [leftType, rightType] = [left?.type, right?.type];
    const operand = (side: Node | null, sideType: string | undefined): boolean => sideType === 'identifier' || isScalar(side, fn, depth + 1);
    // One side a number, or arithmetic itself (`1_250.0 + 75.5 * i`): not `a + b` of two names, which may join lists.
    const numeric = (sideType: string | undefined): boolean => sideType === 'integer' || sideType === 'float' || sideType === 'binary_operator';
    return operand(left, leftType) && operand(right, rightType) && (numeric(rightType) || numeric(leftType));
  }
  return false;
}

/** `isScalar`'s rule for arithmetic, on the size expression a local was bound to: names or numbers, one side a number or arithmetic. */
function isScalarArithmetic(size: SizeExpr, depth = 0): boolean {
  if (!('op' in size) || !ARITHMETIC.has(size.op) || depth > 4) return false;
  const operand = (side: SizeExpr): boolean => 'name' in side || 'n' in side || isScalarArithmetic(side, depth + 1);
  const numeric = (side: SizeExpr): boolean => 'n' in side || 'op' in side;
  return operand(size.left) && operand(size.right) && (numeric(size.left) || numeric(size.right));
}

/** The iterations of a comprehension of several `for` clauses (`for s in range(160) for slot in range(144)`): their product, when each is sized. */
function comprehensionCount(comprehension: Node): SizeExpr | undefined {
  const counts = comprehension.namedChildren.filter((child) => child?.type === 'for_in_clause').map((clause) => loopCountOf(clause?.childForFieldName('right') ?? null));
  if (counts.length < 2 || counts.some((count) => count === undefined)) return undefined;
  return { seq: productOfLengths(counts as SizeExpr[]), unit: 'items' };
}

/** The target of a comprehension's first `for … in …` clause. */
function firstTarget(comprehension: Node): Node | null {
  for (const child of comprehension.namedChildren) {
    if (child?.type === 'for_in_clause') return child.childForFieldName('left');
  }
  return null;
}

/** Positional arguments in an argument list's text (`(a, b, key=f)` has 2), nested brackets and strings skipped. */
export function countPositionalArguments(text: string): number {
  const inner = text.slice(1, -1).replace(STRING_LITERAL, '0');
  let depth = 0;
  let segment = '';
  let count = 0;
  const finish = (): void => {
    if (segment.trim() !== '' && !KEYWORD_ARGUMENT.test(segment)) count++;
    segment = '';
  };
  for (const char of inner) {
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth--;
    if (char === ',' && depth === 0) finish();
    else segment += char;
  }
  finish();
  return count;
}
const KEYWORD_ARGUMENT = /^\s*(?:\*\*|[A-Za-z_]\w*\s*=(?!=))/;

/** `major, minor, patch = (int(p) for p in text.split("."))`: the unpacking fixes the number of items. */
function unpacksIntoFewNames(assignment: Node): boolean {
  const left = assignment.childForFieldName('left');
  if (!left || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern')) return false;
  const targets = left.namedChildren;
  return targets.length <= MAX_FIXED_TRIP_COUNT && targets.every((t) => t?.type === 'identifier');
}

const STRING_LITERAL = /(?<![\w.])[rRbBuU]{0,2}(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")/g;
const NUMBER_LITERAL = /(?<![\w.])(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?[jJ]?)/g;
const KEYWORD_NAME = /(?<![\w.])[A-Za-z_]\w*\s*=(?!=)/g;

/**
 * The text of an argument list holds nothing but constants: `()`, `(16 * 1024, seed=5)`,
 * `(maxsize=None)`. f-strings and names are not constants.
 */
export function constantArguments(text: string): boolean {
  if (text === '()') return true;
  const rest = text
    .replace(STRING_LITERAL, '0')
    .replace(KEYWORD_NAME, '')
    .replace(/(?<![\w.])(?:None|True|False)(?!\w)/g, '0')
    .replace(NUMBER_LITERAL, '0');
  return /^[\s0.,+\-*/%()]*$/.test(rest);
}

/**
 * Every argument is a constant, a parameter of the calling function that has a default (`_run_qualities(reads,
 * read_length)` in `def quality_histogram(i, reads=12_000, read_length=150)`: callers usually leave them), or an item
 * of a module-level collection (`_site_scan(SITES[i % len(SITES)], 512)`), or a remainder by a small literal
 * (`_voevent_feed(i % 2)`): the same few values call after call.
 */
function sameFewArguments(args: readonly (Node | null)[], fn: FunctionFacts): boolean {
  let named = false;
  for (const arg of args) {
    const argType = arg?.type;
    if (!arg || argType === 'comment') continue;
    const value = argType === 'keyword_argument' ? arg.childForFieldName('value') : arg;
    const valueType = value === arg ? argType : value?.type;
    const collection = valueType === 'subscript' ? value?.childForFieldName('value') : null;
    if (valueType === 'identifier' && value && fn.params.includes(`${value.text}=`)) named = true;
    else if (collection?.type === 'identifier' && isModuleName(collection.text, fn)) named = true;
    else if (value && fewRemainders(value)) named = true;
    else if (!value || !constantArguments(`(${value.text})`)) return false;
  }
  return named;
}

/** `i % 4`: a remainder by a small literal, at most that many values whatever is divided. */
function fewRemainders(value: Node): boolean {
  if (value.type !== 'binary_operator' || value.childForFieldName('operator')?.text !== '%') return false;
  const divisor = value.childForFieldName('right');
  return divisor?.type === 'integer' && Number(divisor.text.replace(/_/g, '')) <= FEW_REMAINDERS;
}

/** A name `fn` neither binds nor takes as a parameter: its module's. */
function isModuleName(name: string, fn: FunctionFacts): boolean {
  return own(fn.locals, name) === undefined && !fn.params.some((param) => param.replace(/^\*+|=$/g, '') === name);
}

/** Functions of subprocess and asyncio that start a child process running their first argument. */
const STARTS_CHILD = new Set(['run', 'call', 'check_call', 'check_output', 'Popen', 'getoutput', 'create_subprocess_exec', 'create_subprocess_shell']);

/** The command a child is started with, when written out: a string literal (`"gzip"`, `"gzip -c f"`) or a literal list's head. */
function commandOf(argument: Node | null): string | undefined {
  return argument?.type === 'list' ? stringLiteralValue(argument.namedChild(0)) : stringLiteralValue(argument);
}

/** The calls whose awaitables `gather(…)` awaits together: its call arguments, or the call a spread comprehension makes per item. */
function gatheredAwaitables(argumentList: readonly (Node | null)[]): Node[] {
  const calls: Node[] = [];
  for (const argument of argumentList) {
    const spread = argument?.type === 'list_splat' ? argument.namedChild(0) : null;
    const made = spread?.type === 'generator_expression' || spread?.type === 'list_comprehension' ? spread.childForFieldName('body') : argument;
    if (made?.type === 'call') calls.push(made);
  }
  return calls;
}

/** The pattern of `re.compile(<string literal>)` (or `regex`'s). */
function compiledPattern(call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  return callee && COMPILES_PATTERN.test(calleeChain(callee)) ? patternSource(call.childForFieldName('arguments')?.namedChild(0) ?? null) : undefined;
}

/** The pattern every item of a collection made in place was compiled from (`[regex.compile(f"(?:{s}){{e<=1}}") for s in …]`). */
function compiledPatternOfItems(value: Node, type: string): string | undefined {
  const items = type === 'list_comprehension' || type === 'set_comprehension' || type === 'generator_expression' ? [value.childForFieldName('body')]
    : type === 'list' || type === 'tuple' || type === 'set' ? value.namedChildren : [];
  const patterns = new Set(items.map((item) => (item?.type === 'call' ? compiledPattern(item) : undefined)));
  const [pattern] = patterns;
  return patterns.size === 1 ? pattern : undefined;
}

/**
 * A pattern's source text: a string literal's, or an f-string's with each interpolation standing as INTERPOLATED_TEXT
 * (its literal parts, a fuzzy constraint among them, are what the code shows).
 */
function patternSource(node: Node | null): string | undefined {
  const literal = stringLiteralValue(node);
  if (literal !== undefined || node?.type !== 'string') return literal;
  const quoted = /^([fF][rR]?|[rR][fF])('''|"""|'|")([\s\S]*)\2$/.exec(node.text);
  if (!quoted) return undefined;
  const body = quoted[3] ?? '';
  let text = '';
  for (let k = 0; k < body.length; k++) {
    const char = body[k] ?? '';
    if ((char === '{' || char === '}') && body[k + 1] === char) {
      text += char;
      k++;
    } else if (char === '{') {
      for (let depth = 1; depth > 0 && k + 1 < body.length; ) {
        k++;
        if (body[k] === '{') depth++;
        else if (body[k] === '}') depth--;
      }
      text += INTERPOLATED_TEXT;
    } else text += char;
  }
  return /[rR]/.test(quoted[1] ?? '') ? text : text.replace(/\\\\/g, '\\');
}

/**
 * `literal`: the first argument is a string literal (an f-string too), text made from one by an operator, or the
 * `.encode()` of one or of a name bound to one; not a value a literal's method makes (`"\\n".join(lines)`).
 * `text`: it is the `.encode()` of some other str (directly or through a local).
 */
function shortFirstArgument(first: Node | null, literalNames: Set<string> | undefined, locals: Record<string, string>): 'literal' | 'text' | undefined {
  if (!first) return undefined;
  const type = first.type;
  if (type === 'string' || type === 'concatenated_string') return 'literal';
  // `b"id:%d" % k`, `"x" * n`: text made from a literal (a large one is told by its size).
  const left = type === 'binary_operator' ? first.childForFieldName('left') : null;
  const leftType = left?.type;
  if (leftType === 'string' || leftType === 'concatenated_string') return 'literal';
  // `previous + line.encode()`: a concatenation of short texts is short.
  if (type === 'binary_operator' && first.childForFieldName('operator')?.text === '+') {
    const parts = [left, first.childForFieldName('right')].map((part) => shortFirstArgument(part, literalNames, locals));
    return parts.every((part) => part === 'literal') ? 'literal' : parts.every((part) => part !== undefined) ? 'text' : undefined;
  }
  // A name bound to an encoded text or to a digest (`previous = hashlib.sha256(…).digest()`: 16-64 bytes).
  if (type === 'identifier') return /\.(encode|digest)\(\)$/.test(own(locals, first.text) ?? '') ? 'text' : undefined;
  const callee = type === 'call' ? first.childForFieldName('function') : null;
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'encode') return undefined;
  const encoded = callee.childForFieldName('object');
  const encodedType = encoded?.type;
  if (encodedType === 'string' || encodedType === 'concatenated_string') return 'literal';
  if (!encoded || (encodedType !== 'identifier' && encodedType !== 'attribute')) return undefined;
  return literalNames?.has(encoded.text) ? 'literal' : 'text';
}

/** `import a.b as c, d` / `from ..x import (y as z, w)` / `from m import *`. */
export function parseImport(node: Node): ImportBinding[] {
  const text = node.text.replace(/\\\n/g, ' ').replace(/#[^\n]*/g, '').replace(/[()\s]+/g, ' ').trim();
  const bindings: ImportBinding[] = [];
  if (node.type === 'import_statement') {
    for (const item of text.replace(/^import /, '').split(',')) {
      const [target, alias] = item.trim().split(/ as /).map((s) => s.trim());
      if (!target) continue;
      // `import a.b` binds `a` (and makes `a.b` reachable through it).
      bindings.push(alias ? { local: alias, target } : { local: target.split('.')[0] as string, target: target.split('.')[0] as string });
    }
    return bindings;
  }
  const match = /^from (\S+) import (.*)$/.exec(text);
  if (!match) return bindings;
  const from = match[1] as string;
  for (const item of (match[2] as string).split(',')) {
    const [name, alias] = item.trim().split(/ as /).map((s) => s.trim());
    if (!name) continue;
    if (name === '*') {
      bindings.push({ local: '*', target: from, star: true });
      continue;
    }
    const target = from.endsWith('.') ? `${from}${name}` : `${from}.${name}`;
    bindings.push({ local: alias ?? name, target });
  }
  return bindings;
}
