/**
 * What the extractor learns from one TypeScript/JavaScript file, in one pass over its syntax tree:
 * plain data, no compiler objects (the per-edit path keeps nothing else).
 *
 * Expressions that name things (callees, initializers) are kept as *chains*, as on the Python side:
 * `crypto.createHash('sha256').update(buf)` becomes `crypto.createHash().update`; `await`,
 * parentheses, `!` and type assertions are dropped; `new X(…)` is written `X()`; an array literal
 * receiver is `[]`, a string or template literal `""`, anything else that is not a name `?`.
 */

export interface TsCallFact {
  /** 1-based line of the call. */
  line: number;
  /** Offset of the callee's last name (where the type checker is asked what it denotes). */
  pos: number;
  /** The callee chain, e.g. `fs.readFileSync`, `this.db.query`, `[].map`. */
  callee: string;
  /** The callee starts with a local name that is rebound: the callee as each binding reaching the call
   *  makes it (`let run = execSync; …; run = promisify(exec); run()` has `exec`; `?` for a value not followed). */
  calleeBindings?: string[];
  /** A `new` expression. */
  isNew?: true;
  /** How many loops of the same function enclose the call. */
  loopDepth: number;
  /** Index (in the function's `loops`) of the innermost loop around the call. */
  loop?: number;
  /** Each argument's size where the code tells it (a number's value, a string's length, an array's items:
   *  `sizes.ts`), null where it does not; absent when it tells none. */
  argSizes?: (number | null)[];
  /** Items of the receiver of a method call (`rows.sort(…)`), when the code tells. */
  receiverSize?: number;
  /** Its result is used as a promise: awaited, returned from an async function or arrow, `.then`'d,
   *  or handed to `Promise.all`. */
  awaited?: true;
  /** Ids (in `TsFileFacts.functions`) of function expressions passed as arguments. */
  callbacks?: number[];
  /** Arguments that are names or member chains (`items.map(parse)`, `app.get('/', listUsers)`). */
  argChains?: string[];
  /** Each argument's chain by position where it is a name, a member chain or a call (`seededRandom()` for
   *  `seededRandom(i + 1)`), null where it is another expression; absent when none is. */
  passed?: (string | null)[];
  /** The first argument, when it is a string literal. */
  stringArg?: string;
  /** With a string literal first: the size of an options object's `input` (`execFileSync('gzip', ['-c'], { input: log })`),
   *  what a child process reads, when the code tells it. */
  inputSize?: number;
  /** The calls whose results a child process is given (`input: tmxExportText()`, a file argument `quarterlyReturnFile()`). */
  inputMakers?: string[];
  /** The compression level its options state (`{ level: 9 }`, `zlib.constants.Z_BEST_COMPRESSION`), the number written
   *  first where it is a sum (`9 - (i % 2)`). */
  level?: number;
  /** A signature (`crypto.sign`, a signer's `sign`) with an RSA key: its modulus in bits, as the module's RSA key pairs are
   *  made (`generateKeyPairSync('rsa', { modulusLength: 3072 })`), 2048 when no size is written; told by an RSA padding in
   *  the call's options or by a module that makes only RSA key pairs. */
  rsaBits?: number;
  /** A stream stage (`zlib.createGzip()`, `crypto.createHash()`), or the `pipeline` call itself, piped from a file the code
   *  sizes: the bytes that pass through it (`pipeline(fs.createReadStream(receiptScan(k)), zlib.createGzip(), out)`, the file a
   *  write-once helper makes). */
  streamedBytes?: number;
  /** `new Date(x)` of a value that may be text (not a number the code computes): a parse. */
  textArg?: true;
  /** The first argument is a literal (string, number, template without substitutions): microseconds of work. */
  literalArg?: true;
  /** For `new Worker(…)` / pool constructors: the script's absolute path as written (`<self>`: this file). */
  script?: string;
  /** Inside a loop sized by the worker or core count (`i < os.availableParallelism()`): building a pool, not a loop over tasks. */
  poolLoop?: true;
  /** No arguments, or only literals and functions written in place: a memoized callee answers from its cache after the first call. */
  constantArgs?: true;
  /** Not all constants, but each one of the same few values call after call (`manifest(i % 3)`, `tillJournal(till)` over a
   *  fixed count of tills): a memoized callee's cache answers them once the first calls have filled it. */
  sameFewArgs?: true;
  /** The first argument is a call: its callee's chain (`readFileSync(snapshotFile(), …)` has `snapshotFile`). */
  firstArgCall?: string;
  /** Made where a module or closure variable is set when still unset (`if (x === null) x = make()`): on a first call only. */
  once?: true;
}

export type TsLoopKind = 'for' | 'for-of' | 'for-in' | 'for-await' | 'while' | 'do';

export interface TsLoopFact {
  line: number;
  kind: TsLoopKind;
  /** Nesting depth of the loop itself: 0 for an outermost loop. */
  depth: number;
  /** Index (in the same `loops`) of the loop around it. */
  parent?: number;
  /** How many times its body runs per run of the loop around it, when the code tells. */
  count?: number;
  /** Without `count`: the index of the parameter the loop runs over (`for (let n = 0; n < reads; n++)`,
   *  `for (const row of rows)`), whose size a caller's argument may tell. */
  countParam?: number;
  /** `s += …` on a string in its own body: each one builds a new string (kept: it survives young-generation GC). */
  appends?: number;
  /** Arithmetic operations and indexed accesses (`a[i]`) in its own body (not in the loops inside it). */
  arithmetic: number;
  accesses: number;
  /** Of those, `%` where a literal of at least 2^16 takes part: its operands leave int32, and V8 takes fmod. */
  wideModulo?: number;
  /** Values built in its own body: interpolated parts of template literals, object literals. */
  built?: Built;
  /** Runs where a module or closure variable is set when still unset: on a first call only. */
  once?: true;
}

/** Values a piece of code builds: the interpolated parts of its template literals, its object literals. */
export interface Built {
  parts: number;
  objects: number;
}

/** How the work of a function expression passed as an argument counts for the function around it. */
export type InlineMode =
  /** Once per element (`items.map(cb)`): a loop. */
  | 'per-item'
  /** Once, as part of the caller's work (`new Promise(cb)`, an IIFE, an unknown callee). */
  | 'once'
  /** Once, later, from the event loop (`.then(cb)`, `.on('data', cb)`, `setTimeout(cb)`): the caller's
   *  work too, but a call back into the caller from there re-schedules it, it does not recurse. */
  | 'deferred'
  /** Later and elsewhere (a request handler, a process event): not the caller's work. */
  | 'separate';

/** Why a function runs once per request. */
export type HandlerKind = 'server' | 'route' | 'params';

export interface TsFunctionFacts {
  /** Index in `TsFileFacts.functions`; 0 is the module's top-level code. */
  id: number;
  name: string;
  /** `f`, `Class.method`, `outer.inner`, `api.get` (object literal), `<module>` for top-level code. */
  qualname: string;
  line: number;
  endLine: number;
  /** Start of the name that declares it (the type checker's declarations are matched on it), -1 if none. */
  namePos: number;
  async: boolean;
  generator: boolean;
  /** Named functions get a report (a lens); anonymous callbacks and the module do not. */
  reported: boolean;
  /** Enclosing function's id (-1 for the module). */
  parent: number;
  /** For anonymous functions passed to a call: how their work counts for `parent`. */
  inline?: InlineMode;
  /** Loops of `parent` around the call this function is passed to. */
  inlineDepth?: number;
  /** Index (in `parent`'s loops) of the innermost loop around that call. */
  inlineLoop?: number;
  /** For `per-item`: how many times it is called per call of `parent`'s method (the receiver's items), when the code tells. */
  inlineCount?: number;
  /** For `per-item`, without `inlineCount`: the index of `parent`'s parameter it runs over (`Array.from({ length: n }, …)`,
   *  `rows.map(…)`), whose size a caller's argument may tell. */
  inlineCountParam?: number;
  /** Called per element of a loop sized by the worker or core count (`Array.from({ length: cores }, …)`). */
  poolLoop?: true;
  className?: string;
  params: string[];
  /** Parameter and variable type annotations that name a type: name -> `Client`, `pg.Pool`. */
  types: Record<string, string>;
  /** Local variables with an initializer: name -> its chain (`new Pool()` -> `Pool()`). */
  locals: Record<string, string>;
  /** Functions and classes declared in this scope: dotted name (`helper`, `api.get`) -> function id, or `class:Name`. */
  scope: Record<string, number | string>;
  handler?: HandlerKind;
  /** Lazy initialization: `if (!cache) { cache = build(); } return cache;` (or `return cache ??= build()`). */
  memoized?: true;
  /** Returns a file it makes the first time it is missing (`if (!fs.existsSync(file)) { …; fs.writeFileSync(file, …); } return file;`). */
  makesFile?: true;
  /** Its loops draw from a random generator (`Math.random()`, `crypto.randomInt`, a generator closure `random()`): text it builds
   *  of words or digits so drawn compresses several times slower per byte than records whose fields repeat. */
  drawsAtRandom?: true;
  /** Its body is one `return f(…)` (or an arrow's `=> f(…)`): f's chain, whose answer it passes on (`return writtenOnce('a.csv', build)`). */
  wraps?: string;
  /** What its return statements give, when they all give the same kind of thing a call can be followed into: the
   *  id of a function expression it returns (a closure factory), or the chain of a function or class instance it
   *  names (`helper`, `Client()` for `new Client(…)`). */
  returns?: number | string;
  calls: TsCallFact[];
  loops: TsLoopFact[];
  awaits: number;
  /** Values built outside its loops (the loops' own are theirs). */
  built?: Built;
  /** The parameters some callback of it runs once per element of (their `inlineCountParam`): a caller's argument may tell how many. */
  callbacksOverParams?: number[];
}

export interface TsImport {
  /** `fs`, `fs/promises`, `./util`, `pg`. */
  module: string;
  /** Undefined: the module itself (namespace, default import of a package, `require`). */
  member?: string;
}

export interface TsClassFacts {
  name: string;
  namePos: number;
  /** Method name -> function id (`constructor` included). */
  methods: Record<string, number>;
  /** Field -> the type named in its annotation, or its initializer's chain (prefixed `=`). */
  fields: Record<string, string>;
  extends?: string;
}

export interface TsFileFacts {
  functions: TsFunctionFacts[];
  /** Local name -> what it imports (ES imports and `require`). */
  imports: Record<string, TsImport>;
  /** Exported name (`default` included) -> the local name it exports. */
  exports: Record<string, string>;
  /** `export * from './x'` and `export { a as b } from './x'`. */
  reexports: { from: string; names?: Record<string, string> }[];
  classes: Record<string, TsClassFacts>;
  /** The module's functions whose name is read as a value in the file (stored, passed, returned): they may be called
   *  elsewhere, with arguments the file does not show. */
  handedFunctions?: string[];
  /** Functions registered with `parentPort.on('message', …)`: the task of a worker script. */
  workerHandlers: number[];
  syntaxErrors: { line: number; message: string }[];
  /** Line -> rules ignored there (`// concurrency-lens: ignore[CL101]`); an empty list ignores every rule. */
  suppressions: Record<number, string[]>;
}

/** Plain data equal, ignoring the fields named in `ignored` wherever they occur. */
function sameData(a: unknown, b: unknown, ignored: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let k = 0; k < a.length; k++) if (!sameData(a[k], other[k], ignored)) return false;
    return true;
  }
  // Compared key by key without listing them: this runs on every function of a file on every keystroke.
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let keys = 0;
  for (const key in left) {
    if (ignored.has(key)) continue;
    if (!Object.hasOwn(right, key) || !sameData(left[key], right[key], ignored)) return false;
    keys++;
  }
  for (const key in right) if (!ignored.has(key)) keys--;
  return keys === 0;
}

/** Source offsets: every edit before a function moves them, and only the type checker's questions read them. */
const OFFSETS = new Set(['pos', 'namePos']);
/** What a function's own summary reads of it and nothing else does (resolution reads the rest: names, scopes, returns…). */
const BODY = new Set([...OFFSETS, 'calls', 'loops', 'awaits', 'built']);

/**
 * `next`'s functions with the facts objects of `previous` put back where an edit left them unchanged but for their offsets
 * (which are brought up to date in them): summaries are kept by facts object, so an edit re-decides what it touched.
 */
export function keepUnchangedFunctions(previous: TsFileFacts, next: TsFileFacts): void {
  next.functions = next.functions.map((fn) => {
    const kept = previous.functions[fn.id];
    if (!kept || !sameData(kept, fn, OFFSETS)) return fn;
    kept.namePos = fn.namePos;
    kept.calls.forEach((call, k) => {
      call.pos = (fn.calls[k] as TsCallFact).pos;
    });
    return kept;
  });
}

/**
 * The same file as other code and the resolution of names see it: the same imports, exports, classes and functions, and the
 * same functions' names, scopes and returns; bodies may differ, but not in the calls that name a function (`passedTo`
 * types a parameter by them). The TS/JS side of Python's file shape (`shapeOf` in src/core/python/program.ts), compared
 * without building a text: it runs on every keystroke.
 */
export function sameShape(previous: TsFileFacts, next: TsFileFacts): boolean {
  if (previous.functions.length !== next.functions.length) return false;
  const sameFunctions = next.functions.every((fn, id) => {
    const before = previous.functions[id] as TsFunctionFacts;
    return before === fn || (sameData(before, fn, BODY) && sameData(namedCalls(before), namedCalls(fn), OFFSETS));
  });
  return sameFunctions
    && sameData(previous.imports, next.imports, OFFSETS)
    && sameData(previous.exports, next.exports, OFFSETS)
    && sameData(previous.reexports, next.reexports, OFFSETS)
    && sameData(previous.classes, next.classes, OFFSETS)
    && sameData(previous.handedFunctions, next.handedFunctions, OFFSETS)
    && sameData(previous.workerHandlers, next.workerHandlers, OFFSETS);
}

/** The calls whose callee is a plain name, with what they pass. */
function namedCalls(fn: TsFunctionFacts): [string, (string | null)[] | undefined][] {
  return fn.calls.filter((call) => !call.callee.includes('.')).map((call) => [call.callee, call.passed]);
}
