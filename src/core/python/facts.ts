/**
 * What the extractor learns from one Python file: plain data (structured-cloneable, so worker
 * threads can hand it back), no tree-sitter objects.
 *
 * Expressions that name things (callees, assigned values) are kept as *chains*: the source text with
 * whitespace removed, call arguments collapsed to `()` and subscripts to `[]`, e.g.
 * `difflib.SequenceMatcher(None, a, b).ratio` becomes `difflib.SequenceMatcher().ratio`.
 */
import type { ArgumentSizes, ElementWiseOperator, SizeExpr } from './sizes';

export interface CallFact {
  /** 1-based line of the call. */
  line: number;
  /** The callee chain, e.g. `requests.get`, `self.session.get`, `open().read`. */
  callee: string;
  /** How many loops or comprehensions of the same function enclose the call (absent: none). Defaults are left out of
   *  the most numerous facts: a field costs 8 bytes in each of the 330,000 calls of the standard library. */
  loopDepth?: number;
  awaited?: true;
  /** The first positional argument when it is a plain name (for `map(work, items)` and pools). */
  firstArgName?: string;
  /** For a call of a plain name that is not a builtin (`_split_rooms(rnd, 1, 1)`): its leading positional arguments,
   *  each a plain name, the chain of a call (`random.Random()`) or null; a callee's parameters may be typed by what its
   *  callers pass (resolve.ts). */
  argNames?: (string | null)[];
  /** Of a call that runs the function it is given (`pool.submit(f, a, b)`, `loop.run_in_executor(None, f, a, b)`): the
   *  arguments it passes that function, as `argNames` (`firstArgName` names the function). */
  taskArgNames?: (string | null)[];
  /** No arguments, or only literal constants, the caller's defaulted parameters or items of module-level collections: a
   *  memoized callee answers from its cache after the first calls. */
  constantArgs?: true;
  /** The first argument is a string literal or its `.encode()` (a few bytes), or the `.encode()` of
   *  some str (text: usually short). */
  shortFirstArg?: 'literal' | 'text';
  /** Positional arguments of `min`/`max` calls, when the argument list is short enough to be read. */
  positionalArgs?: number;
  /** The task handed over (first argument, or `target=` of `Thread`/`Process`) is a lambda. */
  lambdaArg?: true;
  /** Flow-sensitive binding (bindings.ts) of the receivers of the callee and of the task (`pool` in
   *  `pool.map`, `s` in `target=s.run`), for names the function binds: one chain per binding that
   *  reaches this call (null: a value the analysis does not follow). */
  receiverBindings?: Record<string, (string | null)[]>;
  /** A module-level call under `if __name__ == "__main__":` (only recorded for pool and process constructors). */
  mainGuarded?: true;
  /** Index in the function's `loops` of the innermost loop the call runs in (absent: none, or only fixed ones). */
  loop?: number;
  /** What the source says about the first positional argument's size (of an insert's rows: the rows, see `insertsRows`). */
  argSize?: SizeExpr;
  /** `connection.execute(table.insert(), rows)`: a statement run once per row of a list the code sizes (`argSize`). */
  insertsRows?: true;
  /** For a call of a plain name or an attribute (a module's function, a method): its arguments' sizes, when one is
   *  told (a number, a sized expression, a name bound to a size), so that a workspace callee's loops over a parameter run
   *  as often as this call asks (`_run_samples(i, 5000)`). */
  argumentSizes?: ArgumentSizes;
  /** A method called on another call's result (`art.crop(box).resize(size)`), on a subscript (`patch[:, 1].mean()`) or on a
   *  parenthesized expression (`(a @ b).ravel()`): what the source says about its size. */
  receiverSize?: SizeExpr;
  /** Every argument is a single value (a string, an f-string, a number, arithmetic, a parameter with such a default) or a
   *  short literal list of them: nothing to iterate but a few written-out values. */
  scalarArgs?: true;
  /** A template's render (`render`, `generate`, `stream`) given collections: the sizes of its arguments that are not
   *  single values (`rows=INVOICE_LINES`), what the template loops over; absent when one of them cannot be read. */
  collectionArgs?: SizeExpr[];
  /** Of a call with more than one positional argument: what the source says of each one's size, in order (null: not told),
   *  for a library call whose work is over an argument other than the first (`np.interp(x, xp, fp)`); absent when a
   *  `size=` or `shape=` keyword tells the shape of what it makes (`rng.integers(0, 9, size=n)`). */
  positionalSizes?: (SizeExpr | null)[];
  /** A regular expression's pattern, when it is a string literal (`re.findall(r"\d+", text)`, `re.compile(r"\d+")`). */
  pattern?: string;
  /** Of a call that starts a child process (`subprocess.run(["gzip", "-c"])`, `create_subprocess_exec("sha1sum", path)`): the
   *  command it runs, when the code writes it out (a string literal, or the head of a literal list). */
  program?: string;
  /** An awaitable handed to `asyncio.gather` with others (`gather(*(fetch(k) for k in keys))`): their waits overlap. */
  gathered?: true;
  /** A `key=` function is given (sorted, list.sort, min, max, heapq.nlargest, …): a Python call per item. */
  keyFunction?: true;
  /** A `quality=` given as an integer literal (Brotli's compression quality, a JPEG's). */
  quality?: number;
  /** `frame.apply(f, axis=1)` (or `axis="columns"`): `f` runs once per row. */
  rowWise?: true;
  /** `pd.to_timedelta(days, unit="D")`: a `unit=` given, so numbers are converted, not text parsed. */
  unitGiven?: true;
  /** `image.filter(ImageFilter.MedianFilter(5))`: a rank or mode filter's window side (Pillow selects in it per pixel). */
  rankWindow?: number;
  /** Made where a cache is filled (see extract.ts CACHE_MISS): on a first call only; `process`: of a cache keyed by the
   *  process (`_engines.get(os.getpid())`), outside the fill's own branches: on a first call in each process. */
  once?: true | 'process';
  /** Its result is kept alive (appended, stored, an item of a comprehension, bound until the function returns, returned):
   *  the objects it makes reach the garbage collector's oldest generation. */
  kept?: true;
  /** An operator, recorded as a call of its left operand's method (`a @ b`: `a.__matmul__(b)`): priced where that
   *  operand's type is known (numpy's arrays), and otherwise left to the function's arithmetic. */
  operator?: OperatorFact;
  /** Other chains the callee may be, tried in turn where `callee` resolves to nothing: a method of an arithmetic result
   *  (`(net * (1 + VAT)).quantize`, an operator) is typed by whichever of its operands the code types. */
  otherCallees?: string[];
}

/** `@`, a matrix product; the others element-wise, priced only on arrays the code sizes. */
export type OperatorFact = '@' | ElementWiseOperator;

/** Container literals (`{"id": k, "tags": [k]}`) whose objects are kept alive the same ways as a kept call's result. */
export interface KeptFact {
  line: number;
  /** Index in the function's `loops` of the innermost loop it is built in (absent: once per call). */
  loop?: number;
  /** Tracked containers one evaluation builds (the literal and the container literals inside it). */
  objects: number;
}

export interface LoopFact {
  line: number;
  kind: 'for' | 'while' | 'comprehension';
  /** Nesting depth of the loop itself: 0 for an outermost loop. */
  depth: number;
  /** The iterable when it is a plain name (`for zone in ZONES`). */
  over?: string;
  /** Index in the function's `loops` of the loop this one runs in. */
  parent?: number;
  /** The number of iterations, when the source says (`range(n)`, a module constant's length). */
  count?: SizeExpr;
  /** Runs where a cache is filled (see extract.ts CACHE_MISS): on a first call only (`process`: see CallFact.once). */
  once?: true | 'process';
  /** A `while` loop that only steps values its condition reads until it holds (`while due in CLOSED: due += one_day`). */
  stepping?: true;
}

export interface FunctionFacts {
  name: string;
  /** Python's `__qualname__`: `Class.method`, `outer.<locals>.inner`. */
  qualname: string;
  line: number;
  endLine: number;
  async: boolean;
  /** Qualname of the class the function is a method of, if any. */
  className: string | null;
  /** Decorator expressions as chains, e.g. `functools.lru_cache()`, `staticmethod`. */
  decorators: string[];
  params: string[];
  calls: CallFact[];
  loops: LoopFact[];
  /** Binary operators and augmented assignments inside loops. */
  arithmeticInLoops: number;
  /** Local names bound to a chain: `conn = sqlite3.connect(p)` gives `conn -> sqlite3.connect()`;
   *  an annotation `s: requests.Session` gives `s -> requests.Session()`. */
  locals: Record<string, string>;
  /** Names bound to arithmetic (`amount = price * quantity`): their binding (`locals`, the first operand's chain) and the
   *  other operands' chains, tried in turn where the binding resolves to nothing; stale once the name is bound again. */
  operandBindings?: Record<string, { bound: string; others: string[] }>;
  /** Chains of `return <name or call>` statements, to type what a call of this function returns. */
  returns: string[];
  /** What the items of the collection it returns are (`return tuple(scans)` of `scans.append(Image.fromarray(…))`): a chain
   *  in its own names, to type `for page in _scans()`. */
  returnedItems?: string;
  /** What the items of collections bound to its names are (`WORKERS = [Worker(k) for k in …]`, a mapping's values in
   *  `SWATCHES = {name: rng.integers(…) for …}`): chains in its names, to type `WORKERS[k].run()` (a module's anywhere
   *  in its file; a function's, made in place only, in its body). */
  heldItems?: Record<string, string>;
  /** Names bound to a literal list, tuple or set of a few items (`ZONES = [(1000, "A"), ...]`). */
  shortCollections?: string[];
  /** Module facts: the database URLs its `create_engine(...)` calls name, when they are literals (`sqlite` or another scheme). */
  engineSchemes?: string[];
  /** Module facts: per table, the rows the module's code inserts into it (`conn.execute(payments.insert(), rows)`), each in the
   *  function that does it (see the `inserted` size); bound as the table's size once the file's facts are whole. */
  insertedRows?: Record<string, Array<{ at?: string; rows: SizeExpr }>>;
  /** Names bound to a regular expression compiled from a string literal (`WORDS = re.compile(r"\w+")`): its pattern. */
  patterns?: Record<string, string>;
  /** Names bound to values whose size the source tells (`ROWS = [...]`, `n = 5000`, `blob = b"x" * n`). */
  sizes?: Record<string, SizeExpr>;
  /** The size of what its first sized `return` gives, in its own names (`return "\n".join(... for k in range(lines))`). */
  returnSize?: SizeExpr;
  /** Container literals kept alive (see KeptFact). */
  kept?: KeptFact[];
}

export interface ClassFacts {
  name: string;
  qualname: string;
  line: number;
  bases: string[];
  /** `self.x = chain` anywhere in the class's methods. */
  attributes: Record<string, string>;
  /** `self.loans.append(loan)` in its methods, or `self.stacks = [Stack(b) for …]`: the items of `self.loans`, a chain in that
   *  method's names (null: appends disagree). */
  attributeItems?: Record<string, string | null>;
}

export interface ImportBinding {
  /** The name bound in the file. */
  local: string;
  /** Absolute or relative dotted target: `os.path`, `.utils.helper`, `..pkg`. */
  target: string;
  /** For `from m import *`. */
  star?: boolean;
}

export interface SyntaxErrorFact {
  line: number;
  message: string;
}

export interface FileFacts {
  /** Lines with `# concurrency-lens: ignore[CL001, ...]` and the rule IDs (empty list: every rule). */
  suppressions?: Record<number, string[]>;
  functions: FunctionFacts[];
  classes: ClassFacts[];
  imports: ImportBinding[];
  /** Code at module level (outside any def), as a pseudo-function named `<module>`. */
  module: FunctionFacts;
  syntaxErrors: SyntaxErrorFact[];
  lineCount: number;
  /** Names items are added to anywhere in this code (`xs.append(x)`): module-level sizes of them do not hold, even
   *  where the code that adds is another top-level statement (see fragments.ts `mergeFacts`). */
  grownNames?: string[];
}
