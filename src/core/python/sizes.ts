import type { Node } from '@vscode/tree-sitter-wasm';
import { formatCount } from '../cost/forecast';
import { ASSUMED_WORD_CHARS } from '../cost/priors';
import { own } from '../own';
import type { FunctionFacts } from './facts';

/**
 * Sizes read from the code: what an expression says about a value's size, kept as a small expression
 * (plain data, part of the facts) and evaluated when a function is summarized, against the names its
 * body and its module bind (`ROWS = [...]` at module level, `n = len(rows)` in the function).
 */
export type SizeExpr =
  /** An int constant. */
  | { n: number }
  /** Whatever a name holds: looked up in the function, then in its module. */
  | { name: string }
  | { op: SizeOperator; left: SizeExpr; right: SizeExpr }
  /** `len(x)`: the int of x's size. */
  | { len: SizeExpr }
  /** A sequence of `count` items or bytes (`range(n)`, a literal, `b"x" * n`); `each`: the size of every item (a comprehension's,
   *  or a literal's of literals: the largest); `values`: a literal mapping's, the size of its largest value; `held`: the values
   *  it holds down to its leaves, when its items are records of their own (see `nestedHeld`). */
  | { seq: SizeExpr; unit: 'items' | 'bytes'; each?: SizeExpr; values?: SizeExpr; held?: SizeExpr }
  /** A sequence the same size as another (`sorted(xs)`, `list(xs)`, `x.encode()`), optionally cut (`xs[:n]`); `slice`: a
   *  subscript's, of an array an array of as many rows; `window`: `xs[k : k + w]`, not told when `w` is not; `step`: a
   *  slice's (`xs[i::8]`: every eighth item); of an array, `columns`: the second index's cut (`height[y : y + 2, x : x + 2]`:
   *  2 columns), `columnIndexed`: the second dimension taken away by an index (`grid[a:b, 3]`). */
  | { like: SizeExpr; atMost?: SizeExpr; slice?: true; window?: true; step?: SizeExpr; columns?: SizeExpr; columnIndexed?: true }
  /** A numpy array of this shape. */
  | { shape: SizeExpr[] }
  /** One item of an array (`rows[i]`, `for row in rows`): a row of a 2-D array, the size of a literal's items, unknown
   *  for other sequences. `byKey`: read as a mapping's value (`TABLE[key]`, `for key, value in TABLE.items()`), where
   *  iterating a mapping gives its keys; `column`: by a name written in place (`frame["amount"]`, a frame's column);
   *  `index`: what indexes it, of an array an array (`a[mask]`, `a[order]`) selecting that many of its elements. */
  | { item: SizeExpr; byKey?: true; column?: true; index?: SizeExpr }
  /** The records of a reply of this many bytes (`resp.json()`, `resp.json()["items"]`): REPLY_RECORD_BYTES each. */
  | { records: SizeExpr }
  /** The rows a database statement returns (`conn.execute(query)`), as its `statement` tells them; unknown for SQL text. */
  | { rows: SizeExpr }
  /** A SQLAlchemy statement built by chaining (`select(t.c.a).where(…).group_by(…).limit(10)`): `table`, what its rows
   *  are (the rows its module inserts: `inserted`); `lookup`, a filter on a column equal to a value (an index finds a few
   *  rows: nothing else is visited); `grouped`, by `group_by` (as many rows as groups, not told); `aggregate`, of a function
   *  of all rows without groups (one row); `limit`, its `.limit(n)`. */
  | { statement: { table?: SizeExpr; lookup?: true; grouped?: true; aggregate?: true; limit?: SizeExpr } }
  /** Rows inserted into a table in a function of the module (`conn.execute(payments.insert(), rows)` in `_build_database`): the
   *  size of what each insert passes, in that function's names (its parameters at their defaults); `at` undefined: module level. */
  | { inserted: Array<{ at?: string; rows: SizeExpr }> }
  /** What a call of a module function returns (`CHAT_LOG = _chat_log(60_000)`): its return's size with these arguments
   *  (positional in order, then by keyword) bound to its parameters. */
  | ({ result: string; of?: SizeExpr; index?: number } & ArgumentSizes)
  /** The values a function returns together (`return covariates, yields`), each position's size (null: not told);
   *  `{ result, index }` reads one of them (`covariates, yields = _field_history()`). */
  | { tuple: (SizeExpr | null)[] }
  /** A size already evaluated (an argument bound to a parameter while a function's return is evaluated). */
  | { evaluated: Size }
  /** The values a collection holds (an int): its items times the items of each, one for a single or an unknown value. */
  | { leaves: SizeExpr }
  /** One dimension of an image or an array (`width, height = img.size`): the int at `index` of its shape. */
  | { dim: SizeExpr; index: number }
  /** A pandas frame built from the first of these the code sizes (`pd.DataFrame(columns)`, `pd.read_csv(buffer)`; a mapping
   *  written in place, each of its columns, which pandas makes one length): as many rows as a column holds, as a list of
   *  records has records, as an array has rows, or as a document has records; `columns`: the mapping's. */
  | { frame: SizeExpr[]; columns?: number }
  /** What a method or an accessor of this value returns (`frame.groupby(k)`, `frame.sort_values(c).sum()`, `column.str`): of
   *  a frame, a frame or Series of at most its rows; of anything else, not told. */
  | { method: SizeExpr }
  /** An array's transpose (`a.T`): its shape reversed. */
  | { transposed: SizeExpr }
  /** An array given new axes (`a[:, None, :]`, `a[np.newaxis]`): its shape with a dimension of one at each `new`, its own
   *  dimensions in turn at each `all` (`:`) and after the last. */
  | { expanded: SizeExpr; axes: Array<'new' | 'all'> }
  /** An array given a new shape (`a.reshape(-1, 3)`: -1 the dimension left): as many elements; of anything else, not told. */
  | { reshaped: SizeExpr; dims: number[] }
  /** A reduction of an array (`a.mean(axis=0)`, `np.sum(a, axis=1)`): its shape without that axis, one value without an axis;
   *  of a frame, at most its rows (as a method's result); of anything else, not told. */
  | { reduced: SizeExpr; axis?: number }
  /** An element-wise comparison (`a < 0.012`): of an array, a boolean array of its shape; of anything else, not told. */
  | { mask: SizeExpr }
  /** The first of these that can be told: a joined item as the code sizes it (a call whose return may be sized), else a prior. */
  | { first: SizeExpr[] }
  /** A reply whose record count a name binds (`params={"rows": rows}`): told only where a pandas reader reads it (`tabular`). */
  | { requested: SizeExpr }
  /** What a pandas reader reads (`pd.read_csv(io.BytesIO(resp.content))`): a reply's `requested` records are told here, as the
   *  frame carries its rows into the work after it; elsewhere (lxml, BeautifulSoup walks priced at assumed counts) they are not. */
  | { tabular: SizeExpr }
  /** What a reader reads of the file at a path (`open(path)` iterated by lines, `etree.iterparse(path)` by elements): the records
   *  a workspace builder wrote there (a path a write-once helper answers: see `builtPath`), one a write; not told of other paths. */
  | { written: SizeExpr };

/** What the source says of a call's arguments' sizes: positional in order (null: not told), then by keyword. */
export interface ArgumentSizes {
  args: (SizeExpr | null)[];
  keywords?: Record<string, SizeExpr>;
}

/**
 * The arithmetic a size is read through: on numbers, Python's; on numpy arrays, element-wise (broadcast), and `@` a matrix
 * product; `min` for `min(a, b)` (at most either). `&`, `|` and `^` are told of arrays only (masks combined: `a & (b < 3)`).
 */
export type SizeOperator = '*' | '+' | '-' | '/' | '//' | '%' | '**' | '<<' | '>>' | '@' | '&' | '|' | '^' | 'min';
const SIZE_OPERATORS: ReadonlySet<string> = new Set<SizeOperator>(['*', '+', '-', '/', '//', '%', '**', '<<', '>>', '@', '&', '|', '^']);
const ARRAY_ONLY_OPERATORS: ReadonlySet<SizeOperator> = new Set(['&', '|', '^']);
/** The methods element-wise arithmetic calls, by operator (on numpy's arrays, one pass over the result's elements). */
export type ElementWiseOperator = '+' | '-' | '*' | '/' | '**' | '%' | '&' | '|' | '^';
export const ELEMENT_WISE_METHODS: Readonly<Record<ElementWiseOperator, string>> = {
  '+': '__add__', '-': '__sub__', '*': '__mul__', '/': '__truediv__', '**': '__pow__', '%': '__mod__', '&': '__and__', '|': '__or__', '^': '__xor__',
};
export function isElementWiseOperator(operator: string): operator is ElementWiseOperator {
  return Object.hasOwn(ELEMENT_WISE_METHODS, operator);
}

/** An evaluated size. `array`: a numpy array (value = elements). */
export interface Size {
  kind: 'int' | 'items' | 'bytes' | 'array';
  value: number;
  shape?: number[];
  /** The size of each item, when the code tells it (`[data[k : k + 256] for k in …]`). */
  each?: Size;
  /** A mapping's: the size of its largest value, when the code tells it (a literal of literals). */
  values?: Size;
  /** The values it holds counted down to its leaves, when its items hold lists and dicts of their own (a book of recipes, each
   *  with its lists of steps): what a dump writes. */
  held?: number;
  /** A parsed document (kind `items`, its records): any part of it, under any keys, holds at most as many items. */
  document?: true;
  /** A pandas frame or Series (kind `items`, a value per row; `each`: its columns, when more than one): a column, a filter
   *  or a method's result has at most its rows. */
  frame?: true;
  /** A database statement (kind `items`, of `returns` rows when told, else `visits`): `visits`, the rows of its table the
   *  database reads running it (0 for a key lookup; undefined when the table's rows are not told), `returns` the rows it
   *  gives back, when told. */
  statement?: { visits?: number; returns?: number };
  /** A count the code does not tell but the kind of value bounds (a key lookup's rows): an assumption, a small one. */
  assumed?: string;
  /** A file a workspace builder wrote (kind `items`, its records: see `recordsWritten`), what a path a write-once helper answers holds. */
  written?: true;
}

/** The values a collection holds: its leaves when told (`held`), else its items times the values each holds (one for a single or
 *  an unknown value). */
export function valuesHeld(size: Size): number {
  if (size.held !== undefined) return size.held;
  if (size.kind !== 'items') return 1;
  return size.value * (size.each?.kind === 'items' ? Math.max(1, valuesHeld(size.each)) : 1);
}

/** The items a loop over a sized value runs: an array's rows, a sequence's items or bytes; undefined for an int. */
export function itemsIn(size: Size | undefined): number | undefined {
  return size === undefined || size.kind === 'int' ? undefined : size.kind === 'array' ? (size.shape?.[0] ?? size.value) : size.value;
}

/** What a module function tells of the size of what it returns. */
export interface SizedFunction {
  /** As extract.ts lists them (`count`, `width=`, `*rest`, `**options`). */
  params: readonly string[];
  /** Its parameters' defaults and its body's bindings. */
  sizes?: Readonly<Record<string, SizeExpr>>;
  returnSize?: SizeExpr;
  /** As a builder of a file, the records it writes (see `recordsWritten`). */
  writes?: SizeExpr;
  /** For a function of another module: that module's names and functions, which its return is sized in. */
  home?: Pick<SizeScope, 'module' | 'functions'>;
}

/** Names a function binds to sizes (its own first, then its module's), and the module's functions by name. */
export interface SizeScope {
  local?: Readonly<Record<string, SizeExpr>>;
  module?: Readonly<Record<string, SizeExpr>>;
  functions?: (name: string) => SizedFunction | undefined;
}

/** A module function as `SizeScope.functions` gives it: its return's size (a write-once helper's, its builder's file: `builtPath`)
 *  and, as a builder, the records it writes. */
export function sizedFunctionOf(fn: FunctionFacts): SizedFunction {
  const returnSize = fn.returnSize ?? builtPath(fn);
  const writes = recordsWritten(fn);
  return { params: fn.params, ...(fn.sizes && { sizes: fn.sizes }), ...(returnSize && { returnSize }), ...(writes && { writes }) };
}

/** A file's writes (`out.write(line)`, `writer.writerow(row)`), each a record, what a reader of the file reads one by one. */
const RECORD_WRITES = /\.(?:write|writerow)$/;

/**
 * The records a builder writes to a file: the most a write call in it makes, once per iteration of the loops around it, when
 * the code counts every one of them (`for k in range(HOST_MESSAGES): out.write(…)`: HOST_MESSAGES).
 */
function recordsWritten(fn: Pick<FunctionFacts, 'calls' | 'loops'>): SizeExpr | undefined {
  let most: { depth: number; count: SizeExpr } | undefined;
  for (const call of fn.calls) {
    if (call.loop === undefined || !RECORD_WRITES.test(call.callee)) continue;
    const counts: SizeExpr[] = [];
    for (let at: number | undefined = call.loop; at !== undefined && counts.length <= fn.loops.length; at = fn.loops[at]?.parent) {
      const count = fn.loops[at]?.count;
      if (!count) return undefined;
      counts.push(count);
    }
    if (!most || counts.length > most.depth) most = { depth: counts.length, count: productOfLengths(counts) };
  }
  return most && { seq: most.count, unit: 'items' };
}

/**
 * Of a write-once helper (`written_once(name, build)`: `if not os.path.exists(path): build(partial)`, then the path), what the
 * path it returns holds: the file the builder given as a parameter writes, called where a cache is filled (on a first call only).
 */
function builtPath(fn: Pick<FunctionFacts, 'calls' | 'params' | 'returns'>): SizeExpr | undefined {
  if (fn.returns.length === 0) return undefined;
  const builder = fn.calls.find((call) => call.once === true && fn.params.includes(call.callee));
  return builder && { name: builder.callee };
}

/** Nesting an expression may have and still be read (deeper: unknown size). */
const MAX_DEPTH = 6;
/** Name look-ups one evaluation may follow (`a = b`, `b = c`, …, and the names of values read by position; also stops cycles). */
const MAX_LOOKUPS = 48;
/** Calls of module functions one evaluation may follow into (`f` returning `g(n)`; also stops recursion). */
const MAX_RESULT_CALLS = 3;

const NUMPY_SHAPE_ARGUMENTS = new Set(['rand', 'randn']);
const NUMPY_SHAPE_TUPLE = new Set(['zeros', 'ones', 'empty', 'full', 'random', 'random_sample', 'standard_normal', 'arange']);
/** Square matrices of a side: `np.eye(n)`, `np.eye(n, m)` (n × m), `np.identity(n)`. */
const NUMPY_SQUARE = new Set(['eye', 'identity']);
/** numpy functions making an array of a literal's shape (`np.array([[1.0, 1.0], [0.0, 1.0]])`; `np.diag([a, b])`: its square). */
const NUMPY_FROM_LITERAL = new Set(['array', 'asarray', 'diag']);
/** numpy's functions that return an array of their first argument's shape (element-wise; a cumulative sum along an axis; a matrix's inverse; a sort along the last axis). */
const NUMPY_SAME_SHAPE = new Set(['sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'exp', 'expm1', 'log', 'log1p', 'log2',
  'log10', 'sqrt', 'cbrt', 'square', 'abs', 'absolute', 'fabs', 'sign', 'floor', 'ceil', 'trunc', 'rint', 'round', 'around', 'negative', 'reciprocal',
  'clip', 'nan_to_num', 'copy', 'radians', 'degrees', 'cumsum', 'cumprod', 'nancumsum', 'linalg.inv',
  'sort', 'argsort', 'maximum', 'minimum']);
/** numpy's evenly spaced ranges (`np.linspace(0, 1, 200)`): `num` points, 50 by default. */
const NUMPY_SPACED = new Set(['linspace', 'logspace', 'geomspace']);
const NUMPY_SPACED_DEFAULT = 50;
/** numpy scalars (`np.float64(x)`): a value of one element, whatever their argument. */
const NUMPY_SCALARS = new Set(['float64', 'float32', 'float16', 'int64', 'int32', 'int16', 'int8', 'uint64', 'uint32', 'uint8', 'bool_', 'complex128']);
/** Draws of numpy's Generator (`rng.gamma(2.0, 0.15, size=(n, m))`) and of the legacy `np.random` functions of the same names. */
const GENERATOR_METHODS = new Set(['random', 'standard_normal', 'normal', 'lognormal', 'exponential', 'uniform', 'integers', 'choice', 'poisson', 'gamma', 'beta',
  'binomial', 'negative_binomial', 'geometric', 'laplace', 'logistic', 'gumbel', 'weibull', 'pareto', 'triangular', 'chisquare', 'standard_exponential',
  'standard_gamma', 'rayleigh', 'vonmises', 'wald', 'randint']);
/** Where a draw takes its `size` positionally (numpy's signatures: `uniform(low, high, size)`); Python's `random` methods of
 *  the same names take fewer arguments (`uniform(a, b)`, `triangular(low, high, mode)`), so an argument there is numpy's. */
const DRAW_SIZE_POSITION: Readonly<Record<string, number>> = {
  random: 0, standard_normal: 0, standard_exponential: 0, normal: 2, lognormal: 2, exponential: 1, uniform: 2, integers: 2, choice: 1, poisson: 1,
  gamma: 2, beta: 2, binomial: 2, negative_binomial: 2, geometric: 1, laplace: 2, logistic: 2, gumbel: 2, weibull: 1, pareto: 1, triangular: 3,
  chisquare: 1, standard_gamma: 1, rayleigh: 1, vonmises: 2, wald: 2, randint: 2,
};
/** numpy's reductions along an axis (`a.mean(axis=0)`, `np.sum(a, 1)`), as methods of an array and functions of numpy. */
const NUMPY_REDUCTIONS = new Set(['mean', 'sum', 'min', 'max', 'std', 'var', 'prod', 'median', 'any', 'all', 'argmin', 'argmax', 'nanmean', 'nansum', 'average']);
/** Methods that return an array or image of their receiver's shape: numpy's `clip`, `astype`, `round`, `copy`; Pillow's
 *  `convert`, `filter`, `copy`, `point`, `rotate` (without `expand=`). */
const SHAPE_KEEPING_METHODS = new Set(['clip', 'astype', 'round', 'copy', 'convert', 'filter', 'point', 'rotate']);
/** A call through numpy's module (`np.tile(…)`, `np.random.default_rng(i).normal(…)`). */
const NUMPY_FUNCTION = /^(?:np|numpy)\./;
/** The names numpy is imported as: `np.clip(…)` is numpy's function, not an array's method (`np.ones(n).clip(…)` is). */
const NUMPY_MODULES = new Set(['np', 'numpy']);
/** Pillow's ImageOps passes that give an image of the one they are given (not `fit`, `pad`, `expand`: sized by their arguments). */
const IMAGE_OPS_SHAPE_KEEPING = /(?:^|\.)ImageOps\.(?:autocontrast|equalize|invert|grayscale|posterize|solarize|mirror|flip)$/;
/** Parsers of a whole document held in memory: what they return holds about as many records as the text has REPLY_RECORD_BYTES. */
const DOCUMENT_PARSERS = /^(?:json\.loads|yaml\.(?:safe_load|load|full_load|unsafe_load)|tomllib\.loads|orjson\.loads|msgpack\.(?:unpackb|loads))$/;
/** Methods of a str (or bytes) that give one about as long: `TEMPLATE.format(year=y)`, `text.lower()`, `raw.encode()`. */
const LENGTH_KEEPING_STRING_METHODS = new Set(['encode', 'decode', 'format', 'format_map', 'lower', 'upper', 'casefold', 'title', 'strip', 'lstrip', 'rstrip', 'replace', 'expandtabs', 'translate']);
const SAME_SIZE_BUILTINS = new Set(['list', 'tuple', 'set', 'sorted', 'reversed', 'frozenset', 'bytes', 'bytearray', 'memoryview', 'str', 'enumerate']);
/** `json.dumps(card)` of a value of n items: n fields of a typical record (an assumption, stated here). */
const SERIALIZERS = new Set(['json.dumps', 'pickle.dumps', 'marshal.dumps', 'yaml.dump', 'yaml.safe_dump', 'msgpack.packb', 'msgpack.dumps']);
/** The bytes a serializer writes a value held, keys and punctuation included (nested_records_dump_study.py, four sets of flat and
 *  nested records): json and YAML 14-22, pickle, marshal and msgpack 8-15. */
const SERIALIZED_BYTES_PER_VALUE = { text: 18, binary: 11 } as const;
export function serializedBytesPerValue(format: 'text' | 'binary'): number {
  return SERIALIZED_BYTES_PER_VALUE[format];
}
const TEXT_SERIALIZERS = /^(?:json|yaml)\./;
const BUFFER_OF_LENGTH = new Set(['os.urandom', 'secrets.token_bytes', 'random.randbytes']);
/** Readers of a file at a path that give its records one by one: `open(path)` iterated by lines, an XML stream parser by elements. */
const FILE_READERS = /^(?:open|io\.open|(?:[\w.]+\.)?iterparse)$/;
/** In-memory files of a buffer (`io.StringIO(text)`): as large as the buffer. */
const MEMORY_FILES = new Set(['io.StringIO', 'io.BytesIO', 'StringIO', 'BytesIO']);
/** HTTP calls whose reply a query can size (`requests.get(url, params={"rows": 5000})`, `urlopen(f"{base}?items=200")`). */
const HTTP_METHODS = new Set(['get', 'post', 'put', 'request', 'urlopen']);
/** Query parameters that ask a server for that many records. */
const RECORD_COUNT_KEYS = 'rows|items|records|tiles|count|limit|per_page|page_size|size|n';
const RECORD_COUNT_KEY = new RegExp(`^(?:${RECORD_COUNT_KEYS})$`);
const RECORD_COUNT_IN_URL = new RegExp(`[?&](?:${RECORD_COUNT_KEYS})=(\\d[\\d_]*)(?:&|$)`);
/** A record of a reply (a CSV line, a JSON object of a few fields, an XML element), or a line of text: its size, assumed. */
export const REPLY_RECORD_BYTES = 64;
/** Methods that run a database statement and return its rows (SQLAlchemy's connections and sessions, DB-API cursors). */
const STATEMENT_RUNNERS = new Set(['execute', 'scalars']);
/** SQLAlchemy's `select` (a statement's chain starts there). */
const SELECT = /^(?:(?:sa|sqlalchemy|sql)\.)?select$/;
/** The methods a SQLAlchemy statement is chained with (each returns a statement). */
const STATEMENT_CLAUSES = new Set(['where', 'filter', 'filter_by', 'group_by', 'having', 'order_by', 'limit', 'offset', 'join', 'outerjoin', 'join_from',
  'select_from', 'distinct', 'options', 'execution_options', 'with_only_columns', 'add_columns', 'correlate']);
/** Rows a key lookup (`where(t.c.owner == owner_id)`) is taken to find: a few, as an index finds them. */
const LOOKUP_ROWS = 10;
/** A response's body (`resp.text`, `resp.content`): the size of its reply. */
const BODY_ATTRIBUTES = new Set(['text', 'content']);

/** Attributes of an image (`img.size`) or an array (`a.shape`) that hold its dimensions. */
const DIMENSION_ATTRIBUTES = new Set(['size', 'shape']);
/** `RECORD.size`, `VOLTS.size`: a dotted name (see sizeExprOf's `attribute`). */
const SIZE_ATTRIBUTE = '.size';

/** `width, height = img.size`, `rows, cols = grid.shape`: each name bound to one dimension of a value the code sizes; `a, b = f()`: to one value of what f returns; `x, y = rng.uniform(0, 1, size=2)`: to a row of the array. */
export function unpackedSizes(target: Node, right: Node): Array<[string, SizeExpr]> {
  if (target.type !== 'pattern_list' && target.type !== 'tuple_pattern') return [];
  // `covariates, yields = _field_history()`: each name the value at its position of the tuple the function returns.
  const returned = right.type === 'call' ? sizeExprOf(right) : undefined;
  if (returned && 'result' in returned) {
    return target.namedChildren.flatMap((name, index): Array<[string, SizeExpr]> => (name?.type === 'identifier' ? [[name.text, { ...returned, index }]] : []));
  }
  // `x, y = rng.uniform(1, 254, size=2)`: an array unpacked along its first axis, each name one of its rows (of a 1-D
  // array, a numpy scalar).
  if (returned && 'shape' in returned && returned.shape.length > 0) {
    const row: SizeExpr = { shape: returned.shape.slice(1) };
    return target.namedChildren.flatMap((name): Array<[string, SizeExpr]> => (name?.type === 'identifier' ? [[name.text, row]] : []));
  }
  if (right.type !== 'attribute') return [];
  if (!DIMENSION_ATTRIBUTES.has(right.childForFieldName('attribute')?.text ?? '')) return [];
  const of = sizeExprOf(right.childForFieldName('object'));
  if (!of) return [];
  return target.namedChildren.flatMap((name, index): Array<[string, SizeExpr]> => (name?.type === 'identifier' ? [[name.text, { dim: of, index }]] : []));
}

/** The size expression of an expression node, or undefined when the code does not say. */
export function sizeExprOf(node: Node | null, depth = 0): SizeExpr | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const type = node.type;
  switch (type) {
    case 'integer':
    case 'float': {
      // An imaginary literal (`2j`) is a scalar as its magnitude is.
      const value = numberLiteral(node.text.replace(/[jJ]$/, ''));
      return Number.isFinite(value) ? { n: value } : undefined;
    }
    case 'string':
      return { seq: { n: stringLength(node) }, unit: 'bytes' };
    case 'concatenated_string':
      return { seq: { n: node.namedChildren.reduce((sum, part) => sum + (part ? stringLength(part) : 0), 0) }, unit: 'bytes' };
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary': {
      const items: Node[] = [];
      for (const child of node.namedChildren) {
        const childType = child?.type;
        if (childType === 'list_splat' || childType === 'dictionary_splat') return undefined;
        if (child && childType !== 'comment') items.push(child);
      }
      const values = type === 'dictionary' ? items.map((pair) => pair.childForFieldName('value')) : items;
      const largest = largestLiteral(values);
      const held = nestedHeld(node, values, depth);
      return { seq: { n: items.length }, unit: 'items', ...(largest && (type === 'dictionary' ? { values: largest } : { each: largest })), ...(held && { held }) };
    }
    case 'identifier':
      return { name: node.text };
    case 'parenthesized_expression':
      return sizeExprOf(node.namedChild(0), depth + 1);
    // `await asyncio.gather(…)`: what the awaited call gives.
    case 'await':
      return sizeExprOf(node.namedChild(0), depth + 1);
    case 'conditional_expression': {
      // `"978" + digits[:9] if len(digits) == 10 else digits[:12]`: either branch; the first the code sizes.
      const branches = [node.namedChild(0), node.namedChild(2)].map((branch) => sizeExprOf(branch, depth + 1)).filter((size) => size !== undefined);
      return branches.length > 0 ? { first: branches } : undefined;
    }
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.type;
      if (!operator || !SIZE_OPERATORS.has(operator)) return undefined;
      const left = sizeExprOf(node.childForFieldName('left'), depth + 1);
      const right = sizeExprOf(node.childForFieldName('right'), depth + 1);
      return left && right ? { op: operator as SizeOperator, left, right } : undefined;
    }
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'generator_expression': {
      // Several `for` clauses (`for s in range(160) for slot in range(144)`): the product of their lengths.
      const clauseTypes = node.namedChildren.map((c) => c?.type);
      const clauses = node.namedChildren.filter((_c, k) => clauseTypes[k] === 'for_in_clause');
      if (clauses.length === 0 || clauseTypes.includes('if_clause')) return undefined;
      const lengths: SizeExpr[] = [];
      const items = new Map<string, SizeExpr>();
      for (const clause of clauses) {
        const over = sizeExprOf(clause?.childForFieldName('right') ?? null, depth + 1);
        if (!over) return undefined;
        lengths.push(over);
        bindItems(clause?.childForFieldName('left') ?? null, clause?.childForFieldName('right') ?? null, over, depth, items);
      }
      // The body read with the clauses' names as items of what they iterate (`sorted(v) for k, v in doc.items()`).
      const bodySize = (expr: Node | null): SizeExpr | undefined => {
        const size = sizeExprOf(expr, depth + 1);
        return size && items.size > 0 ? replaceNames(size, (name) => items.get(name)) : size;
      };
      const body = node.childForFieldName('body');
      const item = body?.type === 'pair' ? body.childForFieldName('value') : body;
      // A record built each iteration (`[{"name": …, "steps": [...]} for …]`): the values it holds, its names read as items.
      const record = item && isRecord(item) ? leavesOf(item, depth + 1) : undefined;
      const held: SizeExpr | undefined = record && { op: '*', left: productOfLengths(lengths), right: items.size > 0 ? replaceNames(record, (name) => items.get(name)) : record };
      // A mapping's comprehension (`{k: sorted(v) for k, v in …}`) sizes its values, a list's or a set's its items.
      if (type === 'dictionary_comprehension') {
        const values = body?.type === 'pair' ? bodySize(body.childForFieldName('value')) : undefined;
        return { seq: productOfLengths(lengths), unit: 'items', ...(values && { values }), ...(held && { held }) };
      }
      const each = bodySize(body);
      return { seq: productOfLengths(lengths), unit: 'items', ...(each && { each }), ...(held && { held }) };
    }
    case 'subscript': {
      const indices = node.childrenForFieldName('subscript');
      const axes = indices.length > 1 || /\b(?:None|newaxis)\b/.test(node.text) ? newAxes(indices) : undefined;
      if (axes) {
        const of = sizeExprOf(node.childForFieldName('value'), depth + 1);
        return of && { expanded: of, axes };
      }
      const index = node.childForFieldName('subscript');
      // `resp.json()["products"]`: the list a JSON reply holds under a key is its records.
      const subscripted = node.childForFieldName('value');
      const records = index?.type === 'string' && subscripted?.type === 'call' ? replyRecords(subscripted) : undefined;
      if (records) return records;
      // `frame.loc[rows]`, `frame.iloc[k:]`: rows of the frame (of anything else, not told).
      const indexer = subscripted?.type === 'attribute' ? subscripted.childForFieldName('attribute')?.text : undefined;
      if (indexer === 'loc' || indexer === 'iloc') {
        const frame = sizeExprOf(subscripted?.childForFieldName('object') ?? null, depth + 1);
        return frame && { method: frame };
      }
      if (index?.type !== 'slice') {
        // `TABLE[key]`, an item of a literal written in place (`["DE89…", "GB82…"][i % 4]`), a column of a frame a call made
        // (`frame.groupby(k)["amount"]`).
        const readable = subscripted?.type === 'identifier' || subscripted?.type === 'call' || (subscripted !== null && LITERAL_CONTAINERS.has(subscripted.type));
        const of = index && readable ? sizeExprOf(subscripted, depth + 1) : undefined;
        const by = index?.type === 'string' ? undefined : sizeExprOf(index, depth + 1);
        return of && { item: of, byKey: true, ...(index?.type === 'string' && { column: true as const }), ...(by && { index: by }) };
      }
      const value = sizeExprOf(node.childForFieldName('value'), depth + 1) ?? { seq: { n: Infinity }, unit: 'items' as const };
      const parts = sliceParts(index);
      const step = parts.step ? sizeExprOf(parts.step, depth + 1) : undefined;
      const sliced = { like: value, slice: true as const, ...(step && { step }), ...secondIndexCut(node.childrenForFieldName('subscript')[1] ?? undefined, depth) };
      const bounds = parts.colons > 0 && parts.stop !== null ? { start: parts.start, stop: parts.stop } : undefined;
      if (!bounds) return sliced;
      // A window (`log[k : k + W]`) is W long: of a width the code does not tell, its size is not told either (not the whole).
      if (isWindow(bounds)) {
        const width = windowWidth(bounds);
        return width && { ...sliced, atMost: width, window: true };
      }
      const upper = sizeExprOf(bounds.stop, depth + 1);
      if (!upper) return sliced;
      const lower = bounds.start ? sizeExprOf(bounds.start, depth + 1) : undefined;
      return { ...sliced, atMost: lower ? { op: '-', left: upper, right: lower } : upper };
    }
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute')?.text ?? '';
      if (attribute === 'T' || PANDAS_ACCESSORS.has(attribute)) {
        const of = sizeExprOf(object, depth + 1);
        return of && (attribute === 'T' ? { transposed: of } : { method: of });
      }
      // `np.pi`, `math.e`: a number (`2j * np.pi * freqs` an array of freqs' shape).
      const constant = object?.type === 'identifier' && MATH_MODULES.has(object.text) ? own(MATH_CONSTANTS, attribute) : undefined;
      if (constant !== undefined) return { n: constant };
      // `RECORD.size` of a `RECORD = struct.Struct(fmt)`: the record's bytes, bound as that dotted name where it is made.
      if (object?.type === 'identifier' && attribute === 'size') return { name: `${object.text}.size` };
      return object?.type === 'identifier' && BODY_ATTRIBUTES.has(node.childForFieldName('attribute')?.text ?? '') ? { like: { name: object.text } } : undefined;
    }
    case 'call':
      return callSize(node, depth);
    case 'comparison_operator': {
      const left = node.namedChildCount === 2 ? sizeExprOf(node.namedChild(0), depth + 1) : undefined;
      return left && { mask: left };
    }
    default:
      return undefined;
  }
}

function stringLength(node: Node): number {
  const plain = node.type === 'string' ? plainStringLength(node.text) : undefined;
  if (plain !== undefined) return plain;
  let length = 0;
  for (const part of node.namedChildren) {
    const type = part?.type;
    if (type === 'string_content' && part) length += part.text.length - escapedChars(part);
    else if (type === 'escape_sequence') length++;
    // An f-string's `{value}`: a word's worth (a number, a name, a code).
    else if (type === 'interpolation') length += ASSUMED_WORD_CHARS;
  }
  return length;
}

/** A string literal's prefix (`b`, `rb`, `u`); an `f` or `t` one may hold replacement fields. */
const PLAIN_STRING_PREFIX = /^[rRbBuU]{0,2}/;

/**
 * The length of a literal written without a backslash or an f-string's prefix (most are) from its text alone: its
 * characters less its prefix and quotes, which is what its parts sum to. Reading the parts makes a node object of each
 * and calls into tree-sitter's binding several times. Undefined for any other literal, or one whose closing quote is
 * missing.
 */
function plainStringLength(text: string): number | undefined {
  if (text.includes('\\')) return undefined;
  const prefix = (PLAIN_STRING_PREFIX.exec(text)?.[0] ?? '').length;
  const mark = text[prefix];
  if (mark !== '"' && mark !== "'") return undefined;
  const quote = text.startsWith(mark.repeat(3), prefix) ? mark.repeat(3) : mark;
  const length = text.length - prefix - 2 * quote.length;
  return length >= 0 && text.endsWith(quote) ? length : undefined;
}

/** The characters by which a string content's escape sequences (`\\n`, `\\x41`) are written longer than they are. */
function escapedChars(content: Node): number {
  let extra = 0;
  for (const escape of content.namedChildren) if (escape?.type === 'escape_sequence') extra += escape.text.length - 1;
  return extra;
}

/** A subscript's parts around its colons (`a:b`, `:b`, `a:`, `i::8`): null where one is not written; `colons` 0 for an index. */
function sliceParts(slice: Node): { start: Node | null; stop: Node | null; step: Node | null; colons: number } {
  let start: Node | null = null;
  let stop: Node | null = null;
  let step: Node | null = null;
  let colons = 0;
  for (const child of slice.children) {
    if (!child) continue;
    if (child.type === ':') colons++;
    else if (colons === 0) start = child;
    else if (colons === 1) stop = child;
    else if (colons === 2) step = child;
  }
  return { start, stop, step, colons };
}

/** A bound written `base + offset` (or `base` alone): its base's text and its offset (null: none). */
function boundParts(bound: Node | null): { base: string; offset: Node | null; below?: true } | undefined {
  if (!bound) return undefined;
  const operator = bound.type === 'binary_operator' ? bound.childForFieldName('operator')?.type : undefined;
  if (operator === '+' || operator === '-') {
    const base = bound.childForFieldName('left');
    return base ? { base: base.text, offset: bound.childForFieldName('right'), ...(operator === '-' && { below: true as const }) } : undefined;
  }
  return { base: bound.text, offset: null };
}

/**
 * What a 2-D subscript keeps of an array's second dimension: an index takes it away (`grid[a:b, 3]`), a window or a
 * bounded slice keeps its width (`height[y : y + 2, x : x + 2]`: 2 columns); a whole slice (`:`), or none, all of it.
 */
function secondIndexCut(index: Node | undefined, depth: number): { columns: SizeExpr } | { columnIndexed: true } | undefined {
  if (!index) return undefined;
  if (index.type !== 'slice') return { columnIndexed: true };
  const parts = sliceParts(index);
  if (parts.colons === 0 || parts.stop === null || parts.step !== null) return undefined;
  const bounds = { start: parts.start, stop: parts.stop };
  const upper = isWindow(bounds) ? undefined : sizeExprOf(bounds.stop, depth + 1);
  const lower = bounds.start && upper ? sizeExprOf(bounds.start, depth + 1) : undefined;
  const columns = isWindow(bounds) ? windowWidth(bounds) : upper && (lower ? { op: '-' as const, left: upper, right: lower } : upper);
  return columns && { columns };
}

/** The axes of an index of new axes and whole dimensions only (`[:, None, :]`, `[np.newaxis, :]`), one new at least; else undefined. */
function newAxes(indices: readonly (Node | null)[]): Array<'new' | 'all'> | undefined {
  const axes = indices.map((index) => {
    const type = index?.type;
    if (type === 'none' || (type === 'attribute' && /^(?:np|numpy)\.newaxis$/.test(index?.text ?? ''))) return 'new';
    return type === 'slice' && index?.namedChildCount === 0 && index.text.trim() === ':' ? 'all' : undefined;
  });
  return axes.includes('new') && axes.every((axis) => axis !== undefined) ? (axes as Array<'new' | 'all'>) : undefined;
}

/** A window: both bounds offsets of one base (`log[k : k + W]`, `log[k + A : k + B]`, `log[k - 1 : k + W]`). */
function isWindow({ start, stop }: { start: Node | null; stop: Node | null }): boolean {
  const from = boundParts(start);
  const to = boundParts(stop);
  return from !== undefined && to !== undefined && to.offset !== null && !to.below && from.base === to.base;
}

/**
 * A window's width: the difference of its bounds' offsets (`data[k : k + 256]`, `data[k : k + CHUNK]`: 256, CHUNK,
 * wherever `k` is).
 */
function windowWidth(bounds: { start: Node | null; stop: Node | null }): SizeExpr | undefined {
  if (!isWindow(bounds)) return undefined;
  const from = boundParts(bounds.start);
  const to = sizeExprOf(boundParts(bounds.stop)?.offset ?? null);
  if (!from || !to) return undefined;
  if (from.offset === null) return to;
  const skipped = sizeExprOf(from.offset);
  return skipped && { op: from.below ? '+' : '-', left: to, right: skipped };
}

function callSize(node: Node, depth: number): SizeExpr | undefined {
  const callee = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  const calleeType = callee?.type;
  if (callee && calleeType === 'attribute' && callee.childForFieldName('attribute')?.text === 'join') return joinSize(callee, args, depth);
  const argsType = args?.type;
  if (!callee || !args || (argsType !== 'argument_list' && argsType !== 'generator_expression')) return undefined;
  const positional = positionalArguments(args);
  const name = callee.text.replace(/\s+/g, '');
  const last = name.slice(name.lastIndexOf('.') + 1);
  const first = positional[0] ?? null;
  if (DOCUMENT_PARSERS.test(name)) {
    const text = sizeExprOf(first, depth + 1);
    return text && { records: text };
  }
  if (FILE_READERS.test(name)) {
    const path = sizeExprOf(first, depth + 1);
    return path && { written: path };
  }
  if (name === 'range') {
    const sizes = positional.map((p) => sizeExprOf(p, depth + 1));
    if (sizes.length === 0 || sizes.some((s) => s === undefined)) return undefined;
    if (sizes.length === 1) return { seq: sizes[0] as SizeExpr, unit: 'items' };
    const span: SizeExpr = { op: '-', left: sizes[1] as SizeExpr, right: sizes[0] as SizeExpr };
    return { seq: sizes.length === 3 ? { op: '//', left: span, right: sizes[2] as SizeExpr } : span, unit: 'items' };
  }
  // `RECORD.pack(…)` of a `RECORD = struct.Struct(fmt)`, `struct.pack(">HI", …)`: the record's bytes.
  if (last === 'pack' && calleeType === 'attribute') {
    const receiver = callee.childForFieldName('object');
    const format = name === 'struct.pack' ? stringLiteralValue(first) : undefined;
    const bytes = format === undefined ? undefined : structSize(format);
    if (bytes !== undefined) return { seq: { n: bytes }, unit: 'bytes' };
    if (receiver?.type === 'identifier' && name !== 'struct.pack') return { seq: { name: `${receiver.text}.size` }, unit: 'bytes' };
  }
  if (name === 'struct.calcsize' || name === 'calcsize') {
    const format = stringLiteralValue(first);
    const bytes = format === undefined ? undefined : structSize(format);
    return bytes === undefined ? undefined : { n: bytes };
  }
  if (name === 'len') {
    const of = sizeExprOf(first, depth + 1);
    return of && { len: of };
  }
  // `min(k, len(pool))`: at most either, so at most the one the code sizes.
  if (name === 'min' && positional.length === 2) {
    const [left, right] = positional.map((p) => sizeExprOf(p, depth + 1));
    const either = left ?? right;
    return either && { op: 'min', left: left ?? either, right: right ?? either };
  }
  // `source.read(1 << 22)`, `sock.recv(65536)`: at most as many bytes as asked for (not `archive.read("member.csv")`: a name).
  if (BOUNDED_READS.has(last) && calleeType === 'attribute' && positional.length === 1 && first && first.type !== 'unary_operator') {
    const count = sizeExprOf(first, depth + 1);
    if (count && !('seq' in count)) return { seq: count, unit: 'bytes' };
  }
  // `asyncio.gather(*(fetch(k) for k in range(12)))`: a result per awaitable (their sizes are not the awaitables').
  if (name === 'asyncio.gather' || name === 'gather') {
    const splat = positional.length === 1 && first?.type === 'list_splat' ? first.namedChild(0) : undefined;
    if (splat === undefined) return positional.some((arg) => arg.type === 'list_splat') ? undefined : { seq: { n: positional.length }, unit: 'items' };
    const awaitables = sizeExprOf(splat, depth + 1);
    return awaitables && { seq: { len: awaitables }, unit: 'items' };
  }
  if ((name === 'bytes' || name === 'bytearray') && first?.type === 'integer') {
    const count = sizeExprOf(first, depth + 1);
    return count && { seq: count, unit: 'bytes' };
  }
  // cryptography's `Scrypt(salt=…, length=32, n=2**15, r=8, p=1)`: sized as the work a derivation does, its blocks (see scryptBlocks).
  if (last === 'Scrypt') return scryptBlocks(args);
  if (SERIALIZERS.has(name)) {
    const leaves = first && LITERAL_CONTAINERS.has(first.type) ? leavesOf(first, depth + 1) : undefined;
    const bytes: SizeExpr = { n: serializedBytesPerValue(TEXT_SERIALIZERS.test(name) ? 'text' : 'binary') };
    if (leaves) return { seq: { op: '*', left: leaves, right: bytes }, unit: 'bytes' };
    const of = sizeExprOf(first, depth + 1);
    return of && { seq: { op: '*', left: { leaves: of }, right: bytes }, unit: 'bytes' };
  }
  // `rnd.randbytes(n)`: a `random.Random` instance's, as the module's; `k.to_bytes(n, "big")`: an int's n bytes.
  if (BUFFER_OF_LENGTH.has(name) || ((last === 'randbytes' || last === 'to_bytes') && calleeType === 'attribute')) {
    const count = sizeExprOf(first, depth + 1);
    return count && { seq: count, unit: 'bytes' };
  }
  if (HTTP_METHODS.has(last)) return replySize(args, first);
  const statement = (calleeType === 'attribute' && STATEMENT_CLAUSES.has(last)) || SELECT.test(name) ? statementSize(node) : undefined;
  if (statement) return statement;
  if (STATEMENT_RUNNERS.has(last) && calleeType === 'attribute' && first && first.type !== 'string') {
    const statement = sizeExprOf(first, depth + 1);
    return statement && { rows: statement };
  }
  if (last === 'json' && calleeType === 'attribute' && positional.length === 0) return replyRecords(node);
  // pandas: a frame of a mapping of columns (`pd.DataFrame({"hour": [… for _ in range(rows)], …})`: its columns are of one
  // length, the first the code sizes tells it), of a list of records or an array; a CSV of a buffer, a record a line.
  if (PANDAS_FRAME.test(name)) {
    const columns = first?.type === 'dictionary' ? columnSizes(first, depth + 1) : undefined;
    const of = columns ?? [sizeExprOf(first, depth + 1)].filter((size) => size !== undefined);
    return of.length > 0 ? { frame: of, ...(first?.type === 'dictionary' && { columns: first.namedChildren.filter((c) => c?.type === 'pair').length }) } : undefined;
  }
  // `pd.date_range("2026-10-01", periods=days * 96, freq="15min")`: as many stamps as `periods=` (between two dates, not told).
  if (PANDAS_RANGES.test(name)) {
    const periods = keywordArgument(args, 'periods');
    const count = periods ? sizeExprOf(periods, depth + 1) : undefined;
    return count && { shape: [count] };
  }
  if (PANDAS_READ_CSV.test(name)) {
    const text = sizeExprOf(first, depth + 1);
    // Its columns are not in the code: counted as one.
    return text && { frame: [{ records: { tabular: text } }], columns: 1 };
  }
  if (MEMORY_FILES.has(name)) {
    const of = sizeExprOf(first, depth + 1);
    return of && { like: of };
  }
  // numpy: `a.clip(lo, hi)`, `a.astype(np.uint8)`, `a.round(2)` give an array of a's shape; Pillow's `img.convert("L")` an
  // image of img's. Of anything else (`rows.copy()`), the same size. numpy's own functions of those names (`np.clip(a, lo,
  // hi)`) are sized by their argument, below, not by the module.
  if (calleeType === 'attribute' && SHAPE_KEEPING_METHODS.has(last) && !NUMPY_MODULES.has(callee.childForFieldName('object')?.text ?? '') && !(last === 'rotate' && keywordArgument(args, 'expand'))) {
    return sizeExprOf(callee.childForFieldName('object'), depth + 1);
  }
  // numpy: `a.reshape(-1, 3)` (or a tuple), `a.mean(axis=0)`, `np.sum(a, axis=1)`: an array of a new shape, or reduced.
  if (calleeType === 'attribute' && last === 'reshape') {
    const given = first?.type === 'tuple' ? first.namedChildren : positional;
    const dims = given.map((d) => (d?.type === 'integer' ? numberLiteral(d.text) : d?.type === 'unary_operator' && d.text.replace(/\s+/g, '') === '-1' ? -1 : NaN));
    const of = sizeExprOf(callee.childForFieldName('object'), depth + 1);
    return of && dims.length > 0 && dims.every((d) => !Number.isNaN(d)) && dims.filter((d) => d < 0).length <= 1 ? { reshaped: of, dims } : undefined;
  }
  if (calleeType === 'attribute' && NUMPY_REDUCTIONS.has(last)) {
    // `np.sum(a, axis=1)`, not a method of what a numpy call made (`np.abs(d).sum(axis=2)`).
    const numpyFunction = NUMPY_FUNCTION.test(name) && !name.includes('(');
    const axisNode = keywordArgument(args, 'axis') ?? (numpyFunction ? positional[1] : positional[0]) ?? null;
    const axis = axisNode === null ? undefined : axisNode.type === 'integer' ? numberLiteral(axisNode.text) : axisNode.type === 'unary_operator' ? Number(axisNode.text.replace(/\s+/g, '')) : NaN;
    const of = sizeExprOf(numpyFunction ? first : callee.childForFieldName('object'), depth + 1);
    return of && !Number.isNaN(axis) ? { reduced: of, ...(axis !== undefined && { axis }) } : undefined;
  }
  // A regular expression's substitution (`NOISE.sub(" ", name)`, `re.sub(pattern, " ", name)`): a text about as long as the one it is given.
  if (last === 'sub' && calleeType === 'attribute' && !name.startsWith('operator.')) {
    const text = sizeExprOf(positional[/^(?:re|regex)\.sub$/.test(name) ? 2 : 1] ?? null, depth + 1);
    return text && { like: text };
  }
  if (SAME_SIZE_BUILTINS.has(name) || (calleeType === 'attribute' && LENGTH_KEEPING_STRING_METHODS.has(last))) {
    const of = SAME_SIZE_BUILTINS.has(name) ? sizeExprOf(first, depth + 1) : sizeExprOf(callee.childForFieldName('object'), depth + 1);
    return of && { like: of };
  }
  // Pillow: `img.crop((x0, y0, x1, y1))` copies the box (`(left, 0, left + 128, 128)`: 128×128).
  if (last === 'crop' && calleeType === 'attribute' && first?.type === 'tuple' && first.namedChildCount === 4) {
    const [x0, y0, x1, y1] = first.namedChildren;
    const width = boxSide(x0 ?? null, x1 ?? null, depth);
    const height = boxSide(y0 ?? null, y1 ?? null, depth);
    return width && height ? { shape: [height, width] } : undefined;
  }
  // Pillow: `Image.new("RGB", (w, h))`, `Image.effect_noise((w, h), sigma)` and `img.resize((w, h))` make an image of that many
  // pixels (kept as a shape); `Image.blend(a, b, alpha)` and the other mixes of two images one of the first's.
  if (/(?:^|\.)Image\.(?:blend|composite|alpha_composite)$/.test(name)) return sizeExprOf(first, depth + 1);
  // `Image.fromarray(field)`: an image of the array's pixels; `ImageOps.autocontrast(img)` and the other per-pixel passes one of img's.
  if (/(?:^|\.)Image\.fromarray$/.test(name) || IMAGE_OPS_SHAPE_KEEPING.test(name)) return sizeExprOf(first, depth + 1);
  const imageSize = /(?:^|\.)Image\.new$/.test(name) ? positional[1] : /(?:^|\.)Image\.effect_noise$/.test(name) || (last === 'resize' && calleeType === 'attribute') ? first : undefined;
  if (imageSize?.type === 'tuple' && imageSize.namedChildCount === 2) {
    const dims = imageSize.namedChildren.map((d) => sizeExprOf(d, depth + 1));
    return dims.every((d) => d !== undefined) ? { shape: dims as SizeExpr[] } : undefined;
  }
  // Python's random draws (`rnd.sample(pool, k)`, `rnd.choices(pool, k=n)`: k items; `rnd.randint(1, 3)`, `rnd.randrange(n)`: an
  // int at most its bound), also numpy's `randint(low, high)` without a size: a single int below high.
  if (calleeType === 'attribute') {
    const draw = randomDrawSize(last, positional, args, depth);
    if (draw) return draw;
  }
  // numpy's Generator (`rng = np.random.default_rng(); rng.random((n, m))`, `rng.normal(0, 1, size=n)`): the receiver
  // is not known to be one here, but these names with a shape tuple or a `size=` are numpy's.
  if (calleeType === 'attribute' && isGeneratorDraw(name, last)) {
    const position = own(DRAW_SIZE_POSITION, last) ?? 0;
    const given = positional[position];
    const shape = given && position > 0 ? (given.type === 'tuple' ? given.namedChildren : [given])
      : (last === 'random' || last === 'standard_normal') && first?.type === 'tuple' ? first.namedChildren : keywordSize(args);
    const dims = shape.map((d) => sizeExprOf(d, depth + 1));
    return dims.length > 0 && dims.every((d) => d !== undefined) ? { shape: dims as SizeExpr[] } : undefined;
  }
  if (calleeType === 'attribute' && NUMPY_FUNCTION.test(name)) {
    if (NUMPY_SCALARS.has(last)) return { shape: [] };
    if (NUMPY_FROM_LITERAL.has(last)) {
      const shape = literalShape(first);
      const [side] = shape ?? [];
      return shape && { shape: (last === 'diag' && shape.length === 1 && side !== undefined ? [side, side] : shape).map((n): SizeExpr => ({ n })) };
    }
    if (NUMPY_SHAPE_ARGUMENTS.has(last)) {
      const dims = positional.map((p) => sizeExprOf(p, depth + 1));
      return dims.length > 0 && dims.every((d) => d !== undefined) ? { shape: dims as SizeExpr[] } : undefined;
    }
    if (NUMPY_SAME_SHAPE.has(name.slice(name.indexOf('.') + 1))) return sizeExprOf(first, depth + 1);
    // `np.repeat(names, n)`, `np.tile(stamps, n)`: each item n times, or the whole n times: n times as many (of a 1-D
    // input; an `axis=` or a tuple of repetitions is not read).
    if ((last === 'repeat' || last === 'tile') && positional.length === 2 && positional[1]?.type !== 'tuple' && !keywordArgument(args, 'axis')) {
      const of = sizeExprOf(first, depth + 1);
      const times = sizeExprOf(positional[1] ?? null, depth + 1);
      return of && times && { shape: [{ op: '*', left: { len: of }, right: times }] };
    }
    // `np.where(mask, values, np.nan)`: an array of its operands' shape (the first the code sizes).
    if (last === 'where' && positional.length === 3) return { first: positional.slice(1).map((p) => sizeExprOf(p, depth + 1)).filter((p) => p !== undefined) };
    if (NUMPY_SPACED.has(last)) {
      const num = positional[2] ?? keywordArgument(args, 'num');
      const count = num ? sizeExprOf(num, depth + 1) : { n: NUMPY_SPACED_DEFAULT };
      return count && { shape: [count] };
    }
    if (NUMPY_SQUARE.has(last)) {
      const rows = sizeExprOf(first, depth + 1);
      const columns = last === 'eye' && positional[1] ? sizeExprOf(positional[1], depth + 1) : rows;
      return rows && columns && { shape: [rows, columns] };
    }
    if (NUMPY_SHAPE_TUPLE.has(last)) {
      const shape = first?.type === 'tuple' || first?.type === 'list' ? first.namedChildren : first ? [first] : keywordSize(args);
      const dims = shape.map((d) => sizeExprOf(d, depth + 1));
      return dims.length > 0 && dims.every((d) => d !== undefined) ? { shape: dims as SizeExpr[] } : undefined;
    }
  }
  // `_chat_log(60_000)`: a plain name's call, sized by what that function returns if it is one of the module's.
  if (calleeType === 'identifier') return { result: name, ...argumentSizesOf(args, depth) };
  const object = calleeType === 'attribute' ? callee.childForFieldName('object') : null;
  const receiver = object ? sizeExprOf(object, depth + 1) : undefined;
  // `corpus.document()`: a function of an imported module, sized by what it returns; else a method of the value named.
  if (object?.type === 'identifier') return { result: name, ...argumentSizesOf(args, depth), ...(receiver && { of: receiver }) };
  return receiver && { method: receiver };
}

/**
 * A SQLAlchemy statement chained from `select(…)` (see the `statement` size): read link by link down to the `select`, whose
 * first column or table names the table (`t.c.amount` or `t`, unless `.select_from(t)` says). Undefined for any other chain.
 */
function statementSize(node: Node): SizeExpr | undefined {
  const statement: { table?: SizeExpr; lookup?: true; grouped?: true; aggregate?: true; limit?: SizeExpr } = {};
  let at: Node | null = node;
  for (let links = 0; at?.type === 'call' && links < 32; links++) {
    const callee = at.childForFieldName('function');
    const args = at.childForFieldName('arguments');
    if (!callee || args?.type !== 'argument_list') return undefined;
    const positional = positionalArguments(args);
    const method = callee.type === 'attribute' ? (callee.childForFieldName('attribute')?.text ?? '') : '';
    // `select(t.c.a, …)`, an ORM session's `query(Pet)`, a table's own `t.select()`.
    const selects = SELECT.test(callee.text.replace(/\s+/g, ''));
    const tableSelect = !selects && method === 'select' && callee.childForFieldName('object')?.type === 'identifier';
    if (selects || method === 'query' || tableSelect) {
      statement.table ??= tableSelect ? tableOf(callee.childForFieldName('object')) : positional.map(tableOf).find((table) => table !== undefined);
      if (positional.some(isAggregate)) statement.aggregate = true;
      return { statement };
    }
    if (!STATEMENT_CLAUSES.has(method)) return undefined;
    if ((method === 'where' || method === 'filter') && positional.some(isKeyEquality)) statement.lookup = true;
    if (method === 'filter_by' && args.namedChildren.some((a) => a?.type === 'keyword_argument')) statement.lookup = true;
    if (method === 'group_by') statement.grouped = true;
    if (method === 'limit' && positional[0]?.type === 'integer') statement.limit ??= sizeExprOf(positional[0]);
    if (method === 'select_from' || method === 'join_from') statement.table = tableOf(positional[0] ?? null) ?? statement.table;
    at = callee.childForFieldName('object');
  }
  return undefined;
}

/** The table a column (`t.c.amount`) or a table (`t`) written in a statement belongs to, by its name. */
function tableOf(node: Node | null): SizeExpr | undefined {
  if (node?.type === 'identifier') return { name: node.text };
  const columns = node?.type === 'attribute' ? node.childForFieldName('object') : null;
  const table = columns?.type === 'attribute' && columns.childForFieldName('attribute')?.text === 'c' ? columns.childForFieldName('object') : null;
  return table?.type === 'identifier' ? { name: table.text } : undefined;
}

/** `func.sum(t.c.amount)`, `sa.func.count()`: a function of every row. */
function isAggregate(node: Node): boolean {
  const callee = node.type === 'call' ? node.childForFieldName('function') : null;
  return callee !== null && /^(?:(?:sa|sqlalchemy)\.)?func\./.test(callee.text);
}

/** A filter of a column equal to a value (`t.c.owner == owner_id`, `Pet.id == 7`): a key lookup; two columns equal are a join. */
function isKeyEquality(node: Node): boolean {
  if (node.type !== 'comparison_operator' || node.namedChildCount !== 2) return false;
  const operators = node.children.filter((c) => c !== null && !c.isNamed).map((c) => c?.type);
  if (operators.length !== 1 || operators[0] !== '==') return false;
  const [left, right] = [node.namedChild(0), node.namedChild(1)];
  return (left?.type === 'attribute') !== (right?.type === 'attribute');
}

/** The shape of a literal list or tuple of numbers or of such rows (`[[1.0, 0.0]]`: 1×2); undefined for anything else. */
function literalShape(node: Node | null): number[] | undefined {
  if (node?.type !== 'list' && node?.type !== 'tuple') return undefined;
  const items = node.namedChildren;
  const first = items[0];
  if (!first || (first.type !== 'list' && first.type !== 'tuple')) return [items.length];
  const row = literalShape(first);
  return row && [items.length, ...row];
}

/** pandas' accessors of a Series' values as strings, dates, categories: as many values as the Series. */
const PANDAS_ACCESSORS = new Set(['str', 'dt', 'cat']);
const MATH_MODULES = new Set(['np', 'numpy', 'math']);
const MATH_CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };
const PANDAS_FRAME = /^(?:pd\.|pandas\.)?DataFrame$/;
/** pandas' ranges of stamps, periods or durations (`pd.date_range(…, periods=n)`). */
const PANDAS_RANGES = /^(?:pd|pandas)\.(?:date_range|bdate_range|timedelta_range|period_range)$/;
const PANDAS_READ_CSV = /^(?:pd|pandas)\.read_csv$/;

/** The size of what a call reads as its work (`call.argSize`): a pandas reader's, `tabular` (see SizeExpr). */
export function readArgumentSize(callee: string, size: SizeExpr): SizeExpr {
  return PANDAS_READ_CSV.test(callee) ? { tabular: size } : size;
}

/** The sizes of a literal mapping's values, as many items as each (`{"id": ids, "n": [… for _ in range(rows)]}`). */
function columnSizes(mapping: Node, depth: number): SizeExpr[] {
  const columns: SizeExpr[] = [];
  for (const pair of mapping.namedChildren) {
    const size = pair?.type === 'pair' ? sizeExprOf(pair.childForFieldName('value'), depth) : undefined;
    if (size) columns.push({ like: size });
  }
  return columns;
}

/** The array a numpy constructor or a Generator's draw makes (`np.zeros((n, m))`, `rng.uniform(1, 254, size=2)`), which its work is over. */
export function arrayMadeBy(node: Node, callee: Node, calleeType: string): SizeExpr | undefined {
  if (calleeType !== 'attribute') return undefined;
  const name = callee.text.replace(/\s+/g, '');
  const last = name.slice(name.lastIndexOf('.') + 1);
  const numpy = isGeneratorDraw(name, last) || (NUMPY_FUNCTION.test(name) && (NUMPY_SHAPE_ARGUMENTS.has(last) || NUMPY_SHAPE_TUPLE.has(last) || NUMPY_SQUARE.has(last) || NUMPY_SPACED.has(last) || last === 'where'));
  const size = numpy ? sizeExprOf(node) : undefined;
  return size && ('shape' in size || (last === 'where' && 'first' in size)) ? size : undefined;
}

/** What one of Python's `random` draws sizes: `sample(pool, k)` and `choices(pool, k=n)` k items, `randint(a, b)` and
 *  `randrange([a,] b)` an int at most b. Undefined for any other call, and for a draw given a `size=` (numpy's arrays). */
function randomDrawSize(method: string, positional: Node[], args: Node, depth: number): SizeExpr | undefined {
  if (keywordArgument(args, 'size')) return undefined;
  if (method === 'sample' && positional.length === 2) {
    const count = sizeExprOf(positional[1] ?? null, depth + 1);
    return count && { seq: count, unit: 'items' };
  }
  if (method === 'choices') {
    const count = keywordArgument(args, 'k');
    const told = count ? sizeExprOf(count, depth + 1) : { n: 1 };
    return told && { seq: told, unit: 'items' };
  }
  const bound = method === 'randint' && positional.length === 2 ? positional[1] : method === 'randrange' && positional.length <= 2 ? positional[positional.length - 1] : undefined;
  return bound ? sizeExprOf(bound, depth + 1) : undefined;
}

/** A Generator's draw, or a legacy `np.random.gamma(…, size=…)` (numpy's own shape functions, `np.random.rand(n, m)`, are read as such). */
function isGeneratorDraw(name: string, last: string): boolean {
  if (!GENERATOR_METHODS.has(last)) return false;
  // A generator made where it draws (`np.random.default_rng(n).integers(…)`) is one.
  if (!NUMPY_FUNCTION.test(name) || /^(np|numpy)\.random\.default_rng\(.*\)\.\w+$/.test(name)) return true;
  return /^(np|numpy)\.random\.\w+$/.test(name) && !NUMPY_SHAPE_ARGUMENTS.has(last) && !NUMPY_SHAPE_TUPLE.has(last);
}

/**
 * The sizes a call binds to the parameters (as extract.ts lists them: `width=` has a default, `*rest` takes the positional
 * arguments left): `{ evaluated }` where the argument's size is told, null where an argument is given but its size is not
 * (it hides the parameter's default).
 */
export function boundArguments(params: readonly string[], given: ArgumentSizes, sizeOf: (argument: SizeExpr) => Size | undefined): Record<string, SizeExpr | null> {
  const bound: Record<string, SizeExpr | null> = {};
  const splat = params.findIndex((param) => param.startsWith('*'));
  const positional = splat < 0 ? params.length : splat;
  params.forEach((listed, index) => {
    if (listed.startsWith('*')) return;
    const param = listed.endsWith('=') ? listed.slice(0, -1) : listed;
    const isGiven = index < positional && index < given.args.length;
    const argument = isGiven ? given.args[index] : own(given.keywords ?? {}, param);
    const size = argument ? sizeOf(argument) : undefined;
    if (size) bound[param] = { evaluated: size };
    else if (isGiven) bound[param] = null;
  });
  return bound;
}

/** A callee's sizes with the arguments `boundArguments` bound (null: given but not told, which hides its default). */
export function withBoundArguments(sizes: Readonly<Record<string, SizeExpr>> | undefined, bound: Readonly<Record<string, SizeExpr | null>>): Record<string, SizeExpr> {
  const locals: Record<string, SizeExpr> = { ...sizes };
  for (const [param, size] of Object.entries(bound)) {
    if (size) locals[param] = size;
    else delete locals[param];
  }
  return locals;
}

/** The product of several lengths (a comprehension's `for` clauses, each over a sequence of that length). */
export function productOfLengths(lengths: readonly SizeExpr[]): SizeExpr {
  return lengths.map((length): SizeExpr => ({ len: length })).reduce((left, right) => ({ op: '*', left, right }));
}

/** A call's arguments: its arguments node, or the nodes the called function receives (extract.ts's `callArguments`). */
export type CallArguments = Node | readonly (Node | null)[];

/** The argument nodes of `args`, in order. */
export function argumentNodes(args: CallArguments): readonly (Node | null)[] {
  return 'namedChildren' in args ? args.namedChildren : args;
}

/** What the source says of a call's arguments' sizes (`_run_samples(i, 5000)`). */
export function argumentSizesOf(args: CallArguments, depth = 0): ArgumentSizes {
  return { args: positionalArguments(args).map((p) => sizeExprOf(p, depth + 1) ?? null), ...keywordSizes(args, depth) };
}

/** The value of a string literal without interpolations (adjacent literals joined); backslashes as a raw string has them. */
export function stringLiteralValue(node: Node | null): string | undefined {
  if (node?.type === 'concatenated_string') {
    const parts = node.namedChildren.map((part) => stringLiteralValue(part));
    return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
  }
  if (node?.type !== 'string') return undefined;
  const quoted = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(node.text);
  if (!quoted) return undefined;
  const body = quoted[3] ?? '';
  return /[rR]/.test(quoted[1] ?? '') ? body : body.replace(/\\\\/g, '\\');
}

/** Bytes a `struct` format packs (`struct.calcsize`): native alignment unless it starts with `<`, `>`, `!` or `=`; undefined when unread. */
export function structSize(format: string): number | undefined {
  const standard = /^[<>!=]/.test(format);
  let bytes = 0;
  for (const [, count, code] of format.replace(/^[@<>!=]/, '').replace(/\s+/g, '').matchAll(/(\d*)(.)/g)) {
    const size = standard ? own(STRUCT_STANDARD_SIZES, code ?? '') : own(STRUCT_NATIVE_SIZES, code ?? '') ?? own(STRUCT_STANDARD_SIZES, code ?? '');
    if (size === undefined) return undefined;
    const times = count ? Number(count) : 1;
    if (code === 's' || code === 'p' || code === 'x') {
      bytes += times;
      continue;
    }
    if (!standard && size > 1) bytes = Math.ceil(bytes / size) * size;
    bytes += size * times;
  }
  return bytes;
}
const STRUCT_STANDARD_SIZES: Readonly<Record<string, number>> = { x: 1, c: 1, b: 1, B: 1, '?': 1, h: 2, H: 2, e: 2, i: 4, I: 4, l: 4, L: 4, f: 4, q: 8, Q: 8, d: 8, s: 1, p: 1 };
const STRUCT_NATIVE_SIZES: Readonly<Record<string, number>> = { l: 8, L: 8, n: 8, N: 8, P: 8 };

/** A call's positional arguments: a lone generator expression (`tuple(x for x in xs)`) is its arguments node itself. */
function positionalArguments(args: CallArguments): Node[] {
  if ('type' in args && args.type === 'generator_expression') return [args];
  return argumentNodes(args).filter((c): c is Node => c !== null && c.type !== 'keyword_argument');
}

/** Methods reading at most the bytes their one argument asks for (`f.read(n)`, `sock.recv(n)`). */
const BOUNDED_READS = new Set(['read', 'read1', 'recv', 'readexactly']);

/** Calls whose result is one value (a number, a string, a date), whatever they are given: builtins and value types' constructors. */
const SINGLE_VALUE_CALLS = new Set(['sum', 'len', 'min', 'max', 'round', 'abs', 'int', 'float', 'str', 'bool', 'format',
  'datetime.date', 'datetime.datetime', 'datetime.time', 'datetime.timedelta', 'date', 'datetime', 'timedelta', 'Decimal', 'decimal.Decimal', 'Fraction', 'fractions.Fraction']);

/** Calls that return one text (`markdown.markdown(notes)`, `", ".join(names)`, `day.isoformat()`): a template prints it once. */
const MAKES_TEXT = /(?:^|\.)(?:join|format|strip|lower|upper|title|replace|decode|dumps|markdown|escape|strftime|isoformat|hexdigest)$/;

/**
 * The sizes of a call's arguments that are not single values (`rows=INVOICE_LINES`, `invoices=[… for k in range(3)]`,
 * a dict of fields): what a template it renders can loop over. `isSingleValue` tells a literal, an f-string or
 * arithmetic; a builtin that returns one value (`amount=sum(…)`) or a call that makes one text (MAKES_TEXT) is one too. Undefined when there are none, or when
 * one of them is written so that its size cannot be read (an unpacking, an attribute, another call).
 */
export function collectionArgumentSizes(args: CallArguments, isSingleValue: (node: Node | null) => boolean): SizeExpr[] | undefined {
  const sizes: SizeExpr[] = [];
  for (const arg of argumentNodes(args)) {
    const argType = arg?.type;
    if (!arg || argType === 'comment') continue;
    const value = argType === 'keyword_argument' ? arg.childForFieldName('value') : arg;
    const valueType = value === arg ? argType : value?.type;
    if (!value || valueType === 'list_splat' || valueType === 'dictionary_splat') return undefined;
    const callee = valueType === 'call' ? value.childForFieldName('function') : null;
    if (isSingleValue(value) || (callee && (SINGLE_VALUE_CALLS.has(callee.text) || MAKES_TEXT.test(callee.text)))) continue;
    const size = sizeExprOf(value);
    if (!size) return undefined;
    sizes.push(size);
  }
  return sizes.length > 0 ? sizes : undefined;
}

function keywordSizes(args: CallArguments, depth: number): { keywords?: Record<string, SizeExpr> } {
  let keywords: Record<string, SizeExpr> | undefined;
  for (const child of argumentNodes(args)) {
    if (child?.type !== 'keyword_argument') continue;
    const name = child.childForFieldName('name')?.text;
    const size = sizeExprOf(child.childForFieldName('value'), depth + 1);
    if (name && size) (keywords ??= {})[name] = size;
  }
  return keywords ? { keywords } : {};
}

const LITERAL_CONTAINERS = new Set(['dictionary', 'list', 'tuple', 'set']);

/** A box's side from its two edges: `start + 128` from `start` is 128 wherever `start` is; otherwise their difference. */
function boxSide(start: Node | null, stop: Node | null, depth: number): SizeExpr | undefined {
  if (!start || !stop) return undefined;
  const width = windowWidth({ start, stop });
  if (width) return width;
  const upper = sizeExprOf(stop, depth + 1);
  const lower = sizeExprOf(start, depth + 1);
  return upper && lower ? { op: '-', left: upper, right: lower } : undefined;
}

/**
 * The size of the largest of a literal's items when every one is a literal container or a string
 * (`[[(1, 2), (3, 4)], [(5, 6)]]`: 2 items), read now: a literal's items are in the code. Undefined otherwise.
 */
function largestLiteral(items: readonly (Node | null)[]): SizeExpr | undefined {
  if (items.length === 0) return undefined;
  let largest = 0;
  let unit: 'items' | 'bytes' | undefined;
  for (const item of items) {
    const type = item?.type;
    const itemUnit = type === 'string' ? 'bytes' : type !== undefined && LITERAL_CONTAINERS.has(type) ? 'items' : undefined;
    if (!item || !itemUnit || (unit && unit !== itemUnit)) return undefined;
    unit = itemUnit;
    // A string's parts are never unpacked: only a container's children are read.
    if (itemUnit === 'bytes') {
      largest = Math.max(largest, stringLength(item));
      continue;
    }
    const childTypes = item.namedChildren.map((c) => c?.type);
    if (childTypes.includes('list_splat') || childTypes.includes('dictionary_splat')) return undefined;
    largest = Math.max(largest, childTypes.filter((childType) => childType !== undefined && childType !== 'comment').length);
  }
  return unit && { seq: { n: largest }, unit };
}

/**
 * The values a literal holds, counted down to its leaves: `{"rows": [{"id": n, "tags": [a, b]} for n in range(400)]}`
 * holds 400 × 3. A comprehension counts its iterations times its body's leaves; a name or a call, the values of what it is
 * bound to or returns (`{"rows": ROWS}`, `{"rows": _rows()}`); a copy of a mapping (`dict(row, k=v)`) its values and one a
 * keyword; any other value is one leaf. Undefined when a comprehension's count is not in the code.
 */
function leavesOf(node: Node, depth: number): SizeExpr | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (COMPREHENSION_TYPES.has(node.type) || node.type === 'dictionary_comprehension') {
    const clauses = node.namedChildren.filter((c) => c?.type === 'for_in_clause');
    if (clauses.length !== 1) return undefined;
    const over = sizeExprOf(clauses[0]?.childForFieldName('right') ?? null, depth + 1);
    const body = node.childForFieldName('body');
    const each = body ? leavesOf(body.type === 'pair' ? (body.childForFieldName('value') as Node) : body, depth + 1) : undefined;
    return over && each ? { op: '*', left: { len: over }, right: each } : undefined;
  }
  if (node.type === 'identifier') return { leaves: { name: node.text } };
  // `dict(recipe, batch_litres=…)`: the mapping's values, and one a keyword.
  if (isRecordCopy(node)) {
    const args = node.childForFieldName('arguments')?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
    const keywords = args.filter((c) => c?.type === 'keyword_argument').length;
    const copied = args.find((c) => c?.type !== 'keyword_argument');
    const leaves = copied ? leavesOf(copied, depth + 1) : { n: 0 };
    return leaves && { op: '+', left: leaves, right: { n: keywords } };
  }
  if (node.type === 'call') {
    const size = sizeExprOf(node, depth + 1);
    return size ? { leaves: size } : { n: 1 };
  }
  if (!LITERAL_CONTAINERS.has(node.type)) return { n: 1 };
  let total: SizeExpr = { n: 0 };
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment') continue;
    const value = child.type === 'pair' ? child.childForFieldName('value') : child;
    const leaves = value && leavesOf(value, depth + 1);
    if (!leaves) return undefined;
    total = { op: '+', left: total, right: leaves };
  }
  return total;
}

/** scrypt's work from its keywords (`n=2**15, r=8, p=1`: hashlib's and cryptography's): n × r × p blocks of 128 × r bytes' mixing
 *  (p 1 when not given); undefined when n or r is not told. */
export function scryptBlocks(args: CallArguments): SizeExpr | undefined {
  const [n, r] = ['n', 'r'].map((name) => sizeExprOf(keywordArgument(args, name)));
  const lanes = keywordArgument(args, 'p');
  const p = lanes ? sizeExprOf(lanes) : { n: 1 };
  return n && r && p ? { op: '*', left: { op: '*', left: n, right: r }, right: p } : undefined;
}

/** A record built in place: a literal list, tuple, set or dict, a comprehension, or a copy of a mapping (`dict(recipe, k=v)`). */
function isRecord(node: Node): boolean {
  const type = node.type;
  return LITERAL_CONTAINERS.has(type) || COMPREHENSION_TYPES.has(type) || type === 'dictionary_comprehension' || isRecordCopy(node);
}

/** The values a record built in place holds down to its leaves (see leavesOf); undefined for any other value. */
export function recordHeld(node: Node): SizeExpr | undefined {
  return isRecord(node) ? leavesOf(node, 0) : undefined;
}

function isRecordCopy(node: Node): boolean {
  return node.type === 'call' && node.childForFieldName('function')?.text === 'dict' && node.childForFieldName('arguments')?.type === 'argument_list';
}

/**
 * The values a literal holds down to its leaves (see leavesOf), when an item is a record of its own, a name or a call (`{"recipes":
 * book}` holds book's values, `[{"step": s, "gases": [...]}, …]` each record's): undefined when every item is a single value, which
 * its items count already.
 */
function nestedHeld(node: Node, items: readonly (Node | null)[], depth: number): SizeExpr | undefined {
  if (!items.some((item) => item !== null && (isRecord(item) || item.type === 'identifier' || item.type === 'call'))) return undefined;
  return leavesOf(node, depth + 1);
}

/**
 * `"\n".join(f"row {n}" for n in range(N))`, `b"".join(...)`: a literal separator joining a comprehension
 * of a count in the code: the items' count times an item and a separator. An item is its literal text
 * (interpolated values are not counted); one the code does not size is a line of REPLY_RECORD_BYTES when it
 * builds a text (`prefix + " ".join(words)`), else a word (`rnd.choice(words)`).
 */
function joinSize(callee: Node, args: Node | null, depth: number): SizeExpr | undefined {
  const separator = callee.childForFieldName('object');
  if (separator?.type !== 'string' || !args) return undefined;
  const joined = args.type === 'generator_expression' ? args : args.type === 'argument_list' && args.namedChildCount === 1 ? args.namedChild(0) : null;
  const gap: SizeExpr = { seq: { n: stringLength(separator) }, unit: 'bytes' };
  // `"\n".join(lines)`, `"\n".join(corpus.document())`: a list of a count whose items are sized (see pushedSize).
  if (joined?.type === 'identifier' || joined?.type === 'call') {
    const list = sizeExprOf(joined, depth + 1);
    // Items the code does not size: lines when they are joined by line breaks, else words.
    const prior: SizeExpr = { seq: { n: separator.text.includes('\\n') ? REPLY_RECORD_BYTES : ASSUMED_WORD_CHARS }, unit: 'bytes' };
    return list && { op: '*', left: { len: list }, right: { op: '+', left: { first: [{ item: list }, prior] }, right: gap } };
  }
  if (!joined || !COMPREHENSION_TYPES.has(joined.type)) return undefined;
  const count = sizeExprOf(joined, depth + 1);
  const body = joined.childForFieldName('body');
  const sized = sizeExprOf(body, depth + 1);
  const item = sized ? { first: [sized, lineOrWord(body)] } : lineOrWord(body);
  if (!count) return undefined;
  return { op: '*', left: { len: count }, right: { op: '+', left: item, right: gap } };
}
const COMPREHENSION_TYPES = new Set(['list_comprehension', 'set_comprehension', 'generator_expression']);
/** A text item by what it is written as, not its literal text: a line of REPLY_RECORD_BYTES when it builds a text, else a word. */
export function lineOrWord(item: Node | null): SizeExpr {
  return { seq: { n: item && buildsLine(item) ? REPLY_RECORD_BYTES : ASSUMED_WORD_CHARS }, unit: 'bytes' };
}
/** Whether a joined item builds a text of its own (`prefix + " ".join(words)`, `"{}: {}".format(a, b)`): a line, not a word. */
function buildsLine(item: Node): boolean {
  if (item.type === 'binary_operator' || item.type === 'string' || item.type === 'concatenated_string') return true;
  const callee = item.type === 'call' ? item.childForFieldName('function') : null;
  return callee?.type === 'attribute' && ['join', 'format', 'format_map'].includes(callee.childForFieldName('attribute')?.text ?? '');
}

/**
 * The sizes of the names a `for` clause binds to an item of what it iterates (`over`, `iterable`'s size): `x` of
 * `for x in xs`, `v` of `for k, v in table.items()` or `for v in table.values()` (a value of the mapping), `row` of
 * `for k, row in enumerate(rows)`.
 */
function bindItems(target: Node | null, iterable: Node | null, over: SizeExpr, depth: number, items: Map<string, SizeExpr>): void {
  const value = mappingValueOf(target, iterable);
  const mapping = value && sizeExprOf(value.mapping, depth + 1);
  if (value) {
    if (mapping) items.set(value.name, { item: mapping, byKey: true });
    return;
  }
  if (target?.type === 'identifier') {
    items.set(target.text, { item: over });
    return;
  }
  const enumerated = enumeratedItem(target, iterable);
  const rows = enumerated && sizeExprOf(iterable?.childForFieldName('arguments')?.namedChild(0) ?? null, depth + 1);
  if (enumerated && rows) items.set(enumerated.text, { item: rows });
}

/** `value` of `for key, value in table.items()` or of `for value in table.values()`, and `table` (the mapping's expression). */
export function mappingValueOf(target: Node | null, iterable: Node | null): { name: string; mapping: Node } | undefined {
  const callee = iterable?.type === 'call' && iterable.childForFieldName('arguments')?.namedChildCount === 0 ? iterable.childForFieldName('function') : null;
  const mapping = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
  if (!mapping) return undefined;
  const method = callee?.childForFieldName('attribute')?.text;
  const pair = target?.type === 'pattern_list' || target?.type === 'tuple_pattern' ? target : null;
  const value = method === 'items' && pair?.namedChildCount === 2 ? pair.namedChild(1) : method === 'values' ? target : null;
  return value?.type === 'identifier' ? { name: value.text, mapping } : undefined;
}

/** `k, row` of `for k, row in enumerate(rows)`: the name bound to the item. */
export function enumeratedItem(target: Node | null, iterable: Node | null): Node | null {
  if ((target?.type !== 'pattern_list' && target?.type !== 'tuple_pattern') || target.namedChildCount !== 2) return null;
  if (iterable?.type !== 'call' || iterable.childForFieldName('function')?.text !== 'enumerate') return null;
  const item = target.namedChild(1);
  return item?.type === 'identifier' ? item : null;
}

/** `expr` with each name `by` gives a value for replaced by it; `expr` itself when none is. */
export function replaceNames(expr: SizeExpr, by: (name: string) => SizeExpr | undefined): SizeExpr {
  const visit = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const mapped = value.map(visit);
      return mapped.some((inner, k) => inner !== value[k]) ? mapped : value;
    }
    const name = (value as { name?: unknown }).name;
    if (typeof name === 'string') return by(name) ?? value;
    let changed = false;
    const entries = Object.entries(value).map(([key, inner]) => {
      const mapped = visit(inner);
      if (mapped !== inner) changed = true;
      return [key, mapped] as const;
    });
    return changed ? Object.fromEntries(entries) : value;
  };
  return visit(expr) as SizeExpr;
}

/** A number as Python writes it (`20_000`). */
export function numberLiteral(text: string): number {
  return Number(text.replace(/_/g, ''));
}

/**
 * The reply of an HTTP request that asks for a number of records, in its query (`params={"rows": 5000}` or
 * `?items=200` in a literal URL): that many records of REPLY_RECORD_BYTES. Undefined when the query does not say.
 */
function replySize(args: Node, url: Node | null): SizeExpr | undefined {
  let count: number | undefined;
  let named: string | undefined;
  for (const child of args.namedChildren) {
    if (child?.type !== 'keyword_argument' || child.childForFieldName('name')?.text !== 'params') continue;
    const params = child.childForFieldName('value');
    for (const pair of params?.type === 'dictionary' ? params.namedChildren : []) {
      const key = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
      const value = pair?.childForFieldName('value');
      if (key?.type !== 'string' || !RECORD_COUNT_KEY.test(key.text.slice(1, -1))) continue;
      if (value?.type === 'integer') count = numberLiteral(value.text);
      else if (value?.type === 'identifier') named = value.text;
    }
  }
  const inUrl = url?.type === 'string' ? RECORD_COUNT_IN_URL.exec(url.text.slice(0, -1)) : null;
  if (count === undefined && inUrl) count = numberLiteral(inUrl[1] as string);
  if (count === undefined && named !== undefined) return { requested: { seq: { op: '*', left: { name: named }, right: { n: REPLY_RECORD_BYTES } }, unit: 'bytes' } };
  return count === undefined || !Number.isFinite(count) ? undefined : { seq: { n: count * REPLY_RECORD_BYTES }, unit: 'bytes' };
}

/** `resp.json()`: the records of the reply `resp` holds, when its size is told. */
function replyRecords(call: Node): SizeExpr | undefined {
  const callee = call.childForFieldName('function');
  const reply = callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'json' ? callee.childForFieldName('object') : null;
  return reply?.type === 'identifier' ? { records: { name: reply.text } } : undefined;
}

/** The value of the keyword argument `name` among a call's `args`, or null. */
export function keywordArgument(args: CallArguments, name: string): Node | null {
  for (const child of argumentNodes(args)) {
    if (child?.type === 'keyword_argument' && child.childForFieldName('name')?.text === name) return child.childForFieldName('value');
  }
  return null;
}

/** `np.random.random(size=(n, n))`: the `size` keyword's dimensions. */
function keywordSize(args: Node): Node[] {
  const value = keywordArgument(args, 'size');
  if (!value) return [];
  return value.type === 'tuple' ? value.namedChildren.filter((c): c is Node => c !== null) : [value];
}

/**
 * The size an expression denotes in `scope`, or undefined when it cannot be told. Iterative over name
 * look-ups (bounded), recursive only over the expression's own nesting (bounded by MAX_DEPTH at extraction).
 */
export function evaluateSize(expr: SizeExpr, scope: SizeScope): Size | undefined {
  let lookups = 0;
  let resultCalls = 0;
  const resultsIn = new Map<Readonly<Record<string, SizeExpr>>, Map<string, Size | undefined>>();
  let readByPandas = 0;
  let locals = scope.local ?? {};
  let { module, functions } = scope;
  /** `e` in a module function's names (`calleeLocals`, its module's when it is of another), then back in the caller's. */
  const visitIn = (callee: SizedFunction, calleeLocals: Readonly<Record<string, SizeExpr>>, e: SizeExpr): Size | undefined => {
    const caller = { locals, module, functions };
    locals = calleeLocals;
    if (callee.home) ({ module, functions } = callee.home);
    const size = visit(e, false);
    ({ locals, module, functions } = caller);
    return size;
  };
  /** What a module function's call returns (`{ result }`), in the callee's names with the call's arguments bound to its parameters. */
  const visitResult = (e: Extract<SizeExpr, { result: string }>, preferModule: boolean): Size | undefined => {
    const callee = ++resultCalls <= MAX_RESULT_CALLS ? functions?.(e.result) : undefined;
    if (!callee?.returnSize) return e.of ? visit({ method: e.of }, preferModule) : undefined;
    // The arguments are sized where the call is; the return, in the callee's names with them bound to its parameters.
    const bound = withBoundArguments(callee.sizes, boundArguments(callee.params, e, (argument) => visit(argument, preferModule)));
    const position = e.index === undefined ? callee.returnSize : 'tuple' in callee.returnSize ? callee.returnSize.tuple[e.index] : undefined;
    return position ? visitIn(callee, bound, position) : undefined;
  };
  const visit = (e: SizeExpr, preferModule: boolean): Size | undefined => {
    if ('n' in e) return { kind: 'int', value: e.n };
    if ('evaluated' in e) return e.evaluated;
    if ('requested' in e) return readByPandas > 0 ? visit(e.requested, preferModule) : undefined;
    if ('tabular' in e) {
      readByPandas++;
      const read = visit(e.tabular, preferModule);
      readByPandas--;
      return read;
    }
    if ('written' in e) {
      const file = visit(e.written, preferModule);
      return file?.written ? file : undefined;
    }
    if ('name' in e) {
      if (++lookups > MAX_LOOKUPS) return undefined;
      const local = preferModule ? undefined : own(locals, e.name);
      if (local) return visit(local, false);
      const global = own(module ?? {}, e.name);
      if (global) return visit(global, true);
      // `written_once("log.xml", _write_log)`: a builder handed to a write-once helper stands for the file it writes.
      const builder = functions?.(e.name);
      if (builder?.writes && ++resultCalls <= MAX_RESULT_CALLS) {
        const records = visitIn(builder, builder.sizes ?? {}, builder.writes);
        return records?.kind === 'items' ? { ...records, written: true } : undefined;
      }
      // `VOLTS.size` bound to no struct record: of an array the code sizes, its elements.
      const array = e.name.endsWith(SIZE_ATTRIBUTE) ? visit({ name: e.name.slice(0, -SIZE_ATTRIBUTE.length) }, preferModule) : undefined;
      return array?.kind === 'array' ? { kind: 'int', value: array.value } : undefined;
    }
    if ('result' in e) {
      // A call read twice (a comprehension's items and the values they hold, `_recipe_book()` both) is evaluated once.
      const key = `${preferModule}${JSON.stringify(e)}`;
      const known = resultsIn.get(locals) ?? new Map<string, Size | undefined>();
      resultsIn.set(locals, known);
      if (known.has(key)) return known.get(key);
      const size = visitResult(e, preferModule);
      known.set(key, size);
      return size;
    }
    if ('tuple' in e) return { kind: 'items', value: e.tuple.length };
    if ('op' in e) {
      // A part of a parsed document is bounded as a collection, not as a number (`doc["days"] + 1`): not told.
      const leftSize = visit(e.left, preferModule);
      const rightSize = visit(e.right, preferModule);
      const left = leftSize?.document ? undefined : leftSize;
      const right = rightSize?.document ? undefined : rightSize;
      if (e.op === 'min') return atMostBoth(left, right);
      if (left && right) return arithmetic(e.op, left, right);
      // `range(start + 1, dwell + 1)`: a count less one not told is at most the count (what is subtracted is not negative).
      if (e.op === '-' && left?.kind === 'int' && !right) return left;
      // `range(4 + i % 9)`: a remainder is less than its divisor, whatever is divided.
      if (e.op === '%' && right?.kind === 'int' && right.value > 0) return { kind: 'int', value: right.value - 1 };
      // `truth + rng.normal(0, 1.5, days)` with `truth` not told: numpy broadcasts the result to at least the array's shape.
      const told = left ?? right;
      return told?.kind === 'array' && isElementWiseOperator(e.op) ? told : undefined;
    }
    if ('len' in e) {
      const of = visit(e.len, preferModule);
      if (!of) return undefined;
      return { kind: 'int', value: itemsIn(of) ?? of.value };
    }
    if ('seq' in e) {
      const count = visit(e.seq, preferModule);
      if (!count || count.document || !Number.isFinite(count.value)) return undefined;
      const each = e.each && visit(e.each, preferModule);
      const values = e.values && visit(e.values, preferModule);
      const sequence: Size = { kind: e.unit, value: Math.max(0, count.value), ...(each && { each }), ...(values && { values }) };
      // The values held, where they are more than (or other than) its items and each item's tell.
      const held = e.held && visit(e.held, preferModule);
      const leaves = held?.kind === 'int' && Number.isFinite(held.value) ? Math.max(0, held.value) : undefined;
      return leaves === undefined || leaves === valuesHeld(sequence) ? sequence : { ...sequence, held: leaves };
    }
    if ('like' in e) {
      const of = visit(e.like, preferModule);
      const limit = e.atMost ? visit(e.atMost, preferModule) : undefined;
      // A window (`log[k : k + W]`) of a width not told is not its whole sequence.
      if ((!of && !limit) || (e.window && !limit)) return undefined;
      const kind = of && of.kind !== 'int' ? of.kind : 'items';
      // An array iterates by rows.
      const length = itemsIn(of) ?? Infinity;
      // A step takes every k-th item of what the bounds cut (`xs[i::8]`; `xs[::-1]` all of them, reversed).
      const step = e.step ? visit(e.step, preferModule) : undefined;
      const stride = step?.kind === 'int' ? Math.abs(step.value) : 1;
      const cut = Math.min(length, limit ? Math.max(0, limit.value) : Infinity);
      const value = stride > 1 ? Math.ceil(cut / stride) : cut;
      if (!Number.isFinite(value)) return undefined;
      // A slice of an array is an array of as many rows (`height[y : y + 2]`: 2 rows of its width).
      if (e.slice && of?.kind === 'array' && of.shape && of.shape.length > 1) {
        const [, fullWidth = 0, ...inner] = of.shape;
        const columns = e.columns ? visit(e.columns, preferModule) : undefined;
        const width = columns?.kind === 'int' ? Math.max(0, Math.min(columns.value, fullWidth)) : fullWidth;
        const shape = e.columnIndexed ? [value, ...inner] : [value, width, ...inner];
        return { kind: 'array', value: shape.reduce((a, b) => a * b, 1), shape };
      }
      // `tuple(x for …)`, `sorted(rows)`, `rows[:n]`: the same items, each as large.
      return { kind: kind === 'array' ? 'items' : kind, value, ...(of?.each && { each: of.each }) };
    }
    if ('records' in e) {
      const reply = visit(e.records, preferModule);
      if (reply?.kind !== 'bytes') return undefined;
      // Under any of its keys, however deep (`doc["stops"]`, `doc["bands"]["20"]`), a document holds at most its records.
      const records = Math.max(1, Math.round(reply.value / REPLY_RECORD_BYTES));
      return { kind: 'items', value: records, values: { kind: 'items', value: records }, document: true };
    }
    if ('rows' in e) {
      const statement = visit(e.rows, preferModule);
      if (statement?.statement) {
        const { returns } = statement.statement;
        return returns === undefined ? undefined : { kind: 'items', value: returns, ...(statement.assumed && { assumed: statement.assumed }) };
      }
      return statement?.kind === 'items' ? { kind: 'items', value: statement.value } : undefined;
    }
    if ('statement' in e) {
      const { table, lookup, grouped, aggregate, limit } = e.statement;
      const tableRows = table ? visit(table, preferModule) : undefined;
      const rows = tableRows?.kind === 'items' ? tableRows.value : undefined;
      const visits = lookup ? 0 : rows;
      const atMost = limit ? visit(limit, preferModule) : undefined;
      const returns = lookup ? LOOKUP_ROWS : grouped ? undefined : aggregate ? 1 : rows;
      const limited = atMost?.kind === 'int' ? Math.min(atMost.value, returns ?? Infinity) : returns;
      if (visits === undefined && limited === undefined) return undefined;
      const assumed = lookup && !(atMost?.kind === 'int' && atMost.value <= LOOKUP_ROWS) ? `~${LOOKUP_ROWS} rows of a key lookup assumed` : undefined;
      return { kind: 'items', value: limited ?? (visits as number), statement: { visits, returns: limited }, ...(assumed && { assumed }) };
    }
    if ('inserted' in e) {
      let rows = 0;
      for (const insert of e.inserted) {
        const callee = insert.at === undefined ? undefined : ++resultCalls <= MAX_RESULT_CALLS ? functions?.(insert.at) : undefined;
        if (insert.at !== undefined && !callee) return undefined;
        const caller = locals;
        if (callee) locals = callee.sizes ?? {};
        const size = visit(insert.rows, false);
        locals = caller;
        if (size?.kind !== 'items') return undefined;
        rows += size.value;
      }
      return { kind: 'items', value: rows };
    }
    if ('dim' in e) {
      const of = visit(e.dim, preferModule);
      const side = of?.kind === 'array' ? of.shape?.[e.index] : undefined;
      return side === undefined ? undefined : { kind: 'int', value: side };
    }
    if ('leaves' in e) {
      const of = visit(e.leaves, preferModule);
      return { kind: 'int', value: of ? valuesHeld(of) : 1 };
    }
    if ('frame' in e) {
      let of: Size | undefined;
      for (const column of e.frame) if (!of) of = visit(column, preferModule);
      const rows = of?.kind === 'array' ? itemsIn(of) : (itemsIn(of?.values) ?? (of?.kind === 'items' ? of.value : undefined));
      // Its columns: the mapping's, an array's second dimension, a mapping's keys, a record's fields.
      const columns = e.columns ?? (of?.kind === 'array' ? of.shape?.[1] : of?.values ? of.value : of?.each?.kind === 'items' ? of.each.value : undefined);
      if (rows === undefined) return undefined;
      return { kind: 'items', value: rows, frame: true, ...(columns !== undefined && columns > 1 && { each: { kind: 'items' as const, value: columns } }) };
    }
    if ('first' in e) {
      for (const option of e.first) {
        const size = visit(option, preferModule);
        if (size) return size;
      }
      return undefined;
    }
    if ('mask' in e) {
      const of = visit(e.mask, preferModule);
      return of?.kind === 'array' ? of : undefined;
    }
    if ('transposed' in e) {
      const of = visit(e.transposed, preferModule);
      return of?.kind === 'array' && of.shape ? { ...of, shape: [...of.shape].reverse() } : undefined;
    }
    if ('expanded' in e) {
      const of = visit(e.expanded, preferModule);
      if (of?.kind !== 'array') return undefined;
      const dims = of.shape ?? [of.value];
      const kept = e.axes.filter((axis) => axis === 'all').length;
      if (kept > dims.length) return undefined;
      let next = 0;
      const shape = e.axes.map((axis) => (axis === 'new' ? 1 : (dims[next++] as number))).concat(dims.slice(kept));
      return { kind: 'array', value: of.value, shape };
    }
    if ('reshaped' in e) {
      const of = visit(e.reshaped, preferModule);
      if (of?.kind !== 'array') return undefined;
      const known = e.dims.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
      const shape = e.dims.map((d) => (d >= 0 ? d : Math.floor(of.value / Math.max(1, known))));
      return shape.reduce((a, b) => a * b, 1) === of.value ? { kind: 'array', value: of.value, shape } : undefined;
    }
    if ('reduced' in e) {
      const of = visit(e.reduced, preferModule);
      if (of?.frame) return of;
      if (of?.kind !== 'array' || !of.shape) return undefined;
      const axis = e.axis === undefined ? undefined : e.axis < 0 ? of.shape.length + e.axis : e.axis;
      const shape = axis === undefined ? [] : of.shape.filter((_d, k) => k !== axis);
      return { kind: 'array', value: shape.reduce((a, b) => a * b, 1), shape };
    }
    if ('method' in e) {
      const of = visit(e.method, preferModule);
      // A part of a parsed document (`doc["bands"].items()`, `.get(key)`) holds at most its records, as the document does;
      // a clause chained on a statement bound to a name (`query = query.where(…)`) reads the rows that statement reads.
      return of?.frame || of?.document || of?.statement ? of : undefined;
    }
    if ('item' in e) {
      const of = visit(e.item, preferModule);
      // A frame's column (`frame["amount"]`: its rows, one column) or filtered rows (`frame[mask]`: at most its rows and columns).
      if (of?.frame) return e.byKey ? (e.column ? { kind: 'items', value: of.value, frame: true } : of) : undefined;
      if (of?.document) return of;
      if (of?.values) return e.byKey ? of.values : undefined;
      if (of?.each) return of.each;
      const index = of?.kind === 'array' && e.index ? visit(e.index, preferModule) : undefined;
      if (of && index?.kind === 'array') return selected(of, index);
      if (of?.kind !== 'array' || !of.shape || of.shape.length < 2) return undefined;
      const shape = of.shape.slice(1);
      return { kind: 'array', value: shape.reduce((a, b) => a * b, 1), shape };
    }
    const dims = e.shape.map((d) => visit(d, preferModule));
    if (dims.some((d) => d === undefined || d.kind !== 'int')) return undefined;
    const shape = dims.map((d) => (d as Size).value);
    return { kind: 'array', value: shape.reduce((a, b) => a * b, 1), shape };
  };
  return visit(expr, false);
}

/** `min(a, b)` of two ints: the smaller; of one int and a size not told, that int (an upper bound). */
function atMostBoth(left: Size | undefined, right: Size | undefined): Size | undefined {
  const known = [left, right].filter((size) => size !== undefined);
  if (known.some((size) => size.kind !== 'int')) return undefined;
  return known.length === 0 ? undefined : { kind: 'int', value: Math.min(...known.map((size) => size.value)) };
}

/**
 * An array indexed by an array (`a[order]`, `a[mask]`, `frame_values[rows_mask]`): the index's shape, then the dimensions of
 * the array it does not index. A boolean mask selects at most that many (as many as it holds true, not told: all of them).
 */
function selected(array: Size, index: Size): Size {
  const indexShape = index.shape ?? [index.value];
  const shape = [...indexShape, ...(array.shape ?? [array.value]).slice(indexShape.length)];
  return { kind: 'array', value: shape.reduce((a, b) => a * b, 1), shape };
}

function arithmetic(op: SizeOperator, left: Size, right: Size): Size | undefined {
  if (op === '@') return matrixProduct(left, right);
  if (ARRAY_ONLY_OPERATORS.has(op) && left.kind !== 'array' && right.kind !== 'array') return undefined;
  if (left.kind === 'int' && right.kind === 'int') {
    const value = op === '*' ? left.value * right.value
      : op === '+' ? left.value + right.value
      : op === '-' ? left.value - right.value
      : op === '/' ? left.value / right.value
      : op === '%' ? left.value % right.value
      : op === '**' ? left.value ** Math.min(right.value, 64)
      : op === '<<' ? left.value * 2 ** Math.min(right.value, 64)
      : op === '>>' ? Math.floor(left.value / 2 ** Math.min(right.value, 64))
      : Math.floor(left.value / right.value);
    return Number.isFinite(value) ? { kind: 'int', value } : undefined;
  }
  // numpy arithmetic (`a - b`, `a * 2.0`, `1 / a`): an array of the larger operand's shape (broadcasting).
  if ((left.kind === 'array' || right.kind === 'array') && op !== '//' && op !== '<<' && op !== '>>') {
    if (left.kind !== 'array') return right.kind === 'array' && left.kind === 'int' ? right : undefined;
    if (right.kind !== 'array') return right.kind === 'int' ? left : undefined;
    return broadcast(left, right) ?? (left.value >= right.value ? left : right);
  }
  // `b"x" * n`, `[0] * n`, `n * "ab"`: a sequence repeated.
  if (op === '*') {
    const [sequence, times] = left.kind === 'int' ? [right, left] : [left, right];
    if (times.kind !== 'int' || sequence.kind === 'array') return undefined;
    return { kind: sequence.kind, value: sequence.value * times.value };
  }
  if (op === '+' && left.kind === right.kind && left.kind !== 'array') return { kind: left.kind, value: left.value + right.value };
  return undefined;
}

/**
 * numpy's broadcast of two arrays' shapes (`a[:, None, :] - b[None, :, :]`: (n, 1, k) and (1, m, k) make (n, m, k)): aligned
 * from the last dimension, each the larger of two where one is 1 or they agree. Undefined when a shape is not told or they clash.
 */
function broadcast(left: Size, right: Size): Size | undefined {
  if (!left.shape || !right.shape) return undefined;
  const rank = Math.max(left.shape.length, right.shape.length);
  const shape: number[] = [];
  for (let k = 1; k <= rank; k++) {
    const a = left.shape[left.shape.length - k] ?? 1;
    const b = right.shape[right.shape.length - k] ?? 1;
    if (a !== b && a !== 1 && b !== 1) return undefined;
    shape.unshift(a === 1 ? b : a);
  }
  return { kind: 'array', value: shape.reduce((x, y) => x * y, 1), shape };
}

/** The array `a @ b` makes: (…, m, k) @ (k, n) is (…, m, n); a 1-D operand loses its dimension (numpy.matmul). */
export function matrixProduct(left: Size, right: Size): Size | undefined {
  if (left.kind !== 'array' || right.kind !== 'array') return undefined;
  const a = left.shape ?? [left.value];
  const b = right.shape ?? [right.value];
  const shape = [...a.slice(0, -1), ...(b.length > 1 ? b.slice(-1) : [])];
  if (shape.length === 0) return { kind: 'int', value: 1 };
  return { kind: 'array', value: shape.reduce((x, y) => x * y, 1), shape };
}

/** How a size reads in evidence: "5,000 items", "64 KiB", "a 500×500 array". */
export function describeSize(size: Size): string {
  if (size.kind === 'array') return `a ${(size.shape ?? [size.value]).map(formatCount).join('×')} array`;
  if (size.kind === 'bytes') return formatBytes(size.value);
  if (size.frame) return `a frame of ${formatCount(size.value)} rows`;
  return `${formatCount(size.value)} ${size.kind === 'int' ? '' : 'items'}`.trim();
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(bytes >= 10 << 20 ? 0 : 1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(bytes >= 10 << 10 ? 0 : 1)} KiB`;
  return `${Math.round(bytes)} bytes`;
}

const SAME_LENGTH_METHODS = new Set(['items', 'keys', 'values', 'splitlines', 'readlines']);

/** The iteration count of a loop over `iterable` (`for x in range(n)`, `enumerate(rows)`, `zip(a, b)`, `d.items()`). */
export function loopCountOf(iterable: Node | null): SizeExpr | undefined {
  if (iterable?.type === 'call') {
    const callee = iterable.childForFieldName('function');
    const args = iterable.childForFieldName('arguments');
    const name = callee?.text ?? '';
    if (name === 'enumerate' && args) {
      const over = sizeExprOf(args.namedChild(0), 1);
      return over && { like: over };
    }
    // `zip(a, b)` stops at the shortest: as long as the first, at most as long as each other one the code sizes.
    if (name === 'zip' && args) {
      const [first, ...others] = positionalArguments(args).map((arg) => sizeExprOf(arg, 1));
      return others.reduce<SizeExpr | undefined>((shortest, other) => (other ? { like: shortest ?? { seq: { n: Infinity }, unit: 'items' }, atMost: { len: other } } : shortest), first && { like: first });
    }
    if (callee?.type === 'attribute' && SAME_LENGTH_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) {
      const over = sizeExprOf(callee.childForFieldName('object'), 1);
      return over && { like: over };
    }
  }
  const size = sizeExprOf(iterable);
  return size && ('seq' in size || 'like' in size || 'name' in size || 'shape' in size || 'records' in size || 'rows' in size || 'result' in size || 'item' in size || 'written' in size) ? size : undefined;
}
