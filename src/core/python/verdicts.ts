import type { Deadline } from '../budget';
import { summarizeInCallOrder, type CallOrderSummaries } from '../callOrder';
import * as os from 'node:os';
import { machineCalibration, type Constants } from '../cost/calibration';
import { confidenceOf, forecast, formatCount, formatSeconds, PREDICTED_TASKS, predictionNote, type Assumption, type Forecast } from '../cost/forecast';
import { addChildCpu, addEvidence, addInto, addNativeCalls, addPiece, addRepeated, COST_PARTS, finishEvidence, gathered, range, scaleRange, total, ZERO_RANGE, zeroCost, type Cost, type CostEvidence, type CostPart, type PieceWithin, type Range } from '../cost/model';
import { addWorkerFills, firstTouchSeconds, heapCollectionSeconds, labelOf, PAGE_BYTES, sharedPages, withPoolOverlap, workerFillSeconds, type AwaitedPoolWork, type Policy, type WorkerFill, type Workload } from '../cost/predict';
import { fullCollections } from '../cost/gc';
import { ASSUMED_BUFFER, ASSUMED_INNER_LOOP, ASSUMED_LOOP, ASSUMED_RECURSION, ASSUMED_STEPS, KNOWN_SPREAD, PRIOR_SPREAD, UNKNOWN_CALL_SECONDS, UNKNOWN_SPREAD, UNKNOWN_WORK } from '../cost/priors';
import { CALLS_FUNCTION_ARGUMENT_PER_STEP, defaultSeconds, DUCK_METHODS, duckOnDatabasesOf, lookupApi, matchApi, onDatabasesOf, STEP_FUNCTION_TAKES_SECOND_ARGUMENT, type ApiEntry, type ApiKind } from '../knowledge/python';
import { compiledModuleReleasesGil } from '../native/compiled';
import { own } from '../own';
import { AWAITED_THREAD_TASKS, FIRST_TOUCH_PAGES, importedHeap, OBJECTS_BUILT_PER_BYTE, OBJECTS_KEPT_PER_CALL, PER_ITEM_THREAD_TASKS, THREAD_TASKS, TRACKED_OBJECTS_BARE_INTERPRETER, WALKS_ITS_ARGUMENT } from '../knowledge/pools';
import type { Evidence, FunctionReport, InterpreterInfo, Recommendation, Verdict } from '../model';
import type { CallFact, FunctionFacts, LoopFact } from './facts';
import type { ModuleEntry, PythonProgram } from './program';
import { argumentSitesOf, Resolver, type ArgumentSites, type Sym } from './resolve';
import { boundArguments, evaluateSize, itemsIn, sizedFunctionOf, withBoundArguments, type Size, type SizedFunction, type SizeExpr, type SizeScope } from './sizes';
import { splitChain } from './chain';

export interface BlockingPath {
  /** e.g. `['helper', 'load', 'f.read']`; one chain when the line calls the API itself. */
  calls: string[];
  why: string;
}

/** A call known to block the thread: I/O that is neither a method-name guess nor inside an awaited coroutine. */
export interface BlockingCall {
  line: number;
  reason: string;
  /** The calls from this line down to the waiting API (chains), and why that API waits. */
  blocking: BlockingPath;
  /** The likely seconds it waits per call of the function. */
  seconds: number;
  /** The waiting call's own line of evidence (the end of the path). */
  cause: string;
}

/** The calls of a blocking path, `where` first, at most MAX_PATH_CALLS of them (the middle of a long chain elided). */
function pathThrough(where: string, calls: readonly string[]): string[] {
  if (calls.length < MAX_PATH_CALLS) return [where, ...calls];
  return [where, ...calls.slice(0, MAX_PATH_CALLS - 3), '…', calls.at(-1) as string];
}

/** The analysis of one function's body with its callees folded in. */
export interface Summary {
  /** Seconds per call, split into GIL-holding CPU, GIL-releasing CPU and waits, with the lines that set them. */
  cost: Cost;
  /** The likely seconds of `cost` spent in calls the analyzer cannot see into (a prior stands for each). */
  unseen: number;
  /** Calls known to block the thread, in this function or the plain functions it calls, longest first. */
  blocking: BlockingCall[];
  recursive: boolean;
  /** Some cost came from guessing a method by its name alone. */
  guessed: boolean;
  /** Some calls went into libraries whose source could not be read. */
  unresolved: boolean;
  /** Sizes the cost assumed because the code does not tell them (a loop over a parameter, say), largest first. */
  assumed: Assumption[];
  /** Bytes of module-level Python objects a call reads (loops over module data of known size): a forked worker copies them on write. */
  sharedBytes?: number;
  /** The line that reads the most of them, as evidence says it, and the data it reads (`SESSION_IDS (120,000 items of the module)`). */
  sharedAt?: { line: number; text: string; data: string; bytes: number };
  /** Tracked objects (containers, instances) a call keeps alive long enough to reach the collector's oldest generation. */
  keptObjects?: number;
  /** The line that keeps the most of them, as evidence says it. */
  keptAt?: { line: number; text: string; objects: number };
  /** Work a call hands to the event loop's executor and awaits (`asyncio.to_thread(task)`): its native CPU and its waits. */
  pool?: AwaitedPoolWork;
  /** Caches keyed by the process that a call fills (`_engines.get(os.getpid())`), each function's once: a worker fills them again. */
  refills?: Refill[];
}

/**
 * What a new worker process does again on its first task, where the parent's warm-up did it already: a cache keyed by
 * the process filled (see CallFact.once; `by` the filling function, module and qualified name: a summary holds no facts,
 * the string table walks what it holds; `seconds` the fill's code a worker runs, what its own conditions guard, the
 * parent's first fill made, not counted), or a library's objects the parent built first touched (`by` the API:
 * FIRST_TOUCH_PAGES).
 */
interface Refill extends WorkerFill<string> {
  /** The line of the summarized function that leads to the fill (the fill's own in the function that fills it). */
  line: number;
  /** What is filled or touched, as evidence says it. */
  why: string;
}

function emptySummary(): Summary {
  return { cost: zeroCost(), unseen: 0, blocking: [], recursive: false, guessed: false, unresolved: false, assumed: [] };
}

/** Adds pool work done `times` times (the pieces a call starts at once: `width`) into `summary`. */
function addPool(summary: Summary, pool: AwaitedPoolWork, times: number): void {
  if (!(pool.cpu + pool.wait > 0)) return;
  const into = (summary.pool ??= { cpu: 0, wait: 0, width: 1 });
  into.cpu += pool.cpu * times;
  into.wait += pool.wait * times;
  into.width = Math.max(into.width, pool.width);
}

/**
 * Adds `objects` kept alive by `line` to `summary` (the largest contributor is its evidence). Callers count them at
 * the low end of their loops' ranges: full collections are a threshold effect, and a loop of assumed length would
 * otherwise decide them by its prior.
 */
function addKept(summary: Summary, objects: number, line: number, text: string): void {
  if (!(objects > 0)) return;
  summary.keptObjects = (summary.keptObjects ?? 0) + objects;
  if (!summary.keptAt || objects > summary.keptAt.objects) summary.keptAt = { line, text, objects };
}

/** Adds `bytes` of module data (`data`) read by `line` to `summary` (the largest reader is its evidence). */
function addShared(summary: Summary, bytes: number, line: number, text: string, data: string): void {
  if (!(bytes > 0)) return;
  summary.sharedBytes = (summary.sharedBytes ?? 0) + bytes;
  if (!summary.sharedAt || bytes > summary.sharedAt.bytes) summary.sharedAt = { line, text, data, bytes };
}

/** A function `summarize` is working on, or will. */
interface SummaryFrame {
  entry: ModuleEntry;
  fn: FunctionFacts;
  libraryDepth: number;
}

/** `asyncio.to_thread(lambda: …)`, `loop.run_in_executor(None, lambda: …)`: the lambda's calls are the function's own; the hand-off itself. */
const AWAITED_TASK_HANDOFF: ApiEntry = { kind: 'cheap', why: 'hands a lambda to a thread and awaits it (the lambda\'s calls are counted here)' };
const AWAITED_UNKNOWN: ApiEntry = { kind: 'async-wait', why: 'awaited: a coroutine, it yields to the event loop while it waits' };
/** A library's `async def` (read from its source), awaited: its internals are the library's, its waits yield to the event loop. */
const AWAITED_LIBRARY_COROUTINE: ApiEntry = { kind: 'async-wait', why: 'awaits a library coroutine (async def): it yields to the event loop while it waits' };

/** With two or more positional arguments these compare them; with one they iterate it. */
const COMPARES_ITS_ARGUMENTS = new Set(['builtins.min', 'builtins.max']);

/** Decorators that cache a function's results by its arguments. */
const MEMOIZERS = new Set(['functools.lru_cache', 'functools.cache']);

/** Builtins that call their first argument once per item. */
const CALLS_ARGUMENT_PER_ITEM = new Set(['builtins.map', 'builtins.filter', 'itertools.starmap', 'itertools.filterfalse', 'functools.reduce']);

/**
 * Iterations of a loop in library code, which the workspace usually calls per item: its top-level loops as
 * inner ones, its nested loops a few times, so that priors do not compound into hours through a library's
 * layers (`difflib.SequenceMatcher.ratio` nests four loops of unknown count).
 */
const ASSUMED_LIBRARY_NESTED_LOOP: Range = { low: 1, likely: 3, high: 100 };
const PART_OF_KIND: Record<ApiKind, CostPart> = { wait: 'wait', 'async-wait': 'wait', native: 'native', holds: 'gil', cheap: 'gil' };
const MAX_LIBRARY_DEPTH = 3;
/** Nested calls whose argument sizes are bound at once (a caller's sizes passed on to a callee's callee). */
const MAX_BOUND_CALLS = 2;
const MAX_ASSUMPTIONS = 4;
/** `img.save` of a local or module name: the receiver whose size a cost function may read. */
const RECEIVER_NAME = /^([A-Za-z_]\w*)\.\w+$/;
/**
 * Methods of numpy's arrays (and pandas' frames, priced alike) that Python's own types do not have: called on a value of
 * unknown type in a module that imports numpy, the value is taken for an array.
 */
const ARRAY_METHODS: ReadonlySet<string> = new Set([
  'astype', 'argmin', 'argmax', 'cumsum', 'cumprod', 'reshape', 'ravel', 'flatten', 'transpose', 'squeeze', 'clip', 'nonzero',
  'dot', 'tobytes', 'argsort', 'searchsorted',
]);
/** The call that takes the module's objects out of the collector's generations (`heapOf`). */
const GC_FREEZE: ReadonlySet<string> = new Set(['gc.freeze']);
/** The last name of a chain (`pool.submit` -> `submit`). */
export const lastNameOf = (chain: string): string => splitChain(chain).at(-1)?.name ?? '';
const MAX_BLOCKING_CALLS = 12;
const MAX_PATH_CALLS = 8;
/** A literal argument longer than this (`b"x" * 64_000_000`) is not "a few bytes". */
const LARGE_LITERAL_BYTES = 2048;
/**
 * A function is `unknown` when more than this share of its likely seconds is in calls the analyzer cannot
 * see: then the priors standing for them, not the code, would decide the verdict.
 */
const MAX_UNSEEN_SHARE = 0.5;
const MAX_EVIDENCE = 6;
/**
 * Bytes of one item of a Python collection, with its slot in the list: a small str or int object (measured by
 * calibrate.py's py.fork_cow_page: 400,000 short str objects fill 7,856 pages, ~80 bytes each).
 */
const OBJECT_BYTES = 80;
/** The text of the str objects OBJECT_BYTES was measured on (`f"item-{n:08d}-payload"`): a longer one is longer by its extra bytes. */
const OBJECT_TEXT_BYTES = 21;
/**
 * Bytes of one field of a record (an int is 28 bytes, a short str 50-60; small ints and interned keys are shared):
 * cow_study.py's first tasks wrote 26 bytes a field of dicts of ints and short keys, 65 of dicts holding strs and a list.
 */
const FIELD_BYTES = 48;
/**
 * Bytes of the parent's memory a forked worker's first task over a frame the parent built copies, a value (a row's
 * column): fork_frame_study.py, a 5-column frame (numeric and categorical columns) of 259,200-1,036,800 rows held by the
 * parent, had a child's first group-by task 0.33-0.40 µs a row slower than its second, ~12 bytes a value at
 * py.fork_cow_page; a task building its own frame paid a tenth of it. A str (object) column costs ~3 times a numeric one.
 */
const FRAME_VALUE_BYTES = 12;
/** An item of more items than this is a sequence (a slice, a row of values), not a record of fields. */
const RECORD_FIELDS = 16;
/** The copy-on-write of a forked worker is evidence when it is at least this share of the process pool's predicted time (half the bench's 10 % rule). */
const COPYING_SHOWN_SHARE = 0.05;

/** What a callee's largest part of work is, in its caller's evidence. */
const VERB: Record<CostPart, string> = {
  gil: 'does CPU work that holds the GIL',
  native: 'does native CPU work that releases the GIL',
  wait: 'waits on I/O',
};
/** The parts of the cost a verdict rests on: its evidence comes first (other verdicts: all parts alike). */
const PARTS_OF_VERDICT: Partial<Record<Verdict, readonly CostPart[]>> = {
  cpu: ['gil'],
  native: ['native'],
  io: ['wait'],
  'async-io': ['wait'],
  mixed: ['gil', 'wait'],
};

/** A chain as evidence shows it: `f(…).g` (memoized: callees recur). */
const shownChains = new Map<string, string>();
export function showChain(chain: string): string {
  let shown = shownChains.get(chain);
  if (shown === undefined) {
    shown = chain.replace(/\(\)/g, '(…)');
    if (shownChains.size > 50_000) shownChains.clear();
    shownChains.set(chain, shown);
  }
  return shown;
}

/**
 * The workspace functions whose summaries a summary folded in, each with the summary it used (undefined: called as a
 * cycle, summary unused), as one flat array of pairs `[fn, used, fn, used, …]`, each pair once: a whole-stdlib pass
 * keeps 80,000 of them (as an array per pair, with repeats, they took 10 MB).
 */
type Dependencies = Array<FunctionFacts | Summary | undefined>;
const NO_DEPENDENCIES: Dependencies = Object.freeze([]) as unknown as Dependencies;
const NO_ARGUMENT_SITES: readonly ArgumentSites[] = Object.freeze([]);

function addDependency(dependencies: Dependencies, fn: FunctionFacts, used: Summary | undefined): void {
  for (let k = 0; k < dependencies.length; k += 2) if (dependencies[k] === fn && dependencies[k + 1] === used) return;
  dependencies.push(fn, used);
}

/** The first pair of `dependencies` for which `test` holds (its function), if any. */
function findDependency(dependencies: Dependencies, test: (fn: FunctionFacts, used: Summary | undefined) => boolean): FunctionFacts | undefined {
  for (let k = 0; k < dependencies.length; k += 2) {
    const fn = dependencies[k] as FunctionFacts;
    if (test(fn, dependencies[k + 1] as Summary | undefined)) return fn;
  }
  return undefined;
}

/** A workspace function's summary and what it was made from, so that it can outlive edits elsewhere. */
interface WorkspaceMemo {
  summary: Summary;
  dependencies: Dependencies;
  /** The program's shape generation it was made in: names resolve as they did while it stays the same. */
  shape: number;
  /** The program generation in which it was last found valid. */
  checked: number;
  /** The calls it read to type parameters (`Resolver.argumentSites`): it is right while they read the same. */
  argumentSites: readonly ArgumentSites[];
}

/**
 * Folds facts into per-function summaries through the call graph (workspace functions and followed
 * library functions), with cycles treated as recursion. A workspace function's summary is kept across
 * edits while its facts, the names it resolves and the summaries it folded in stay the same: an edit
 * inside one function re-summarizes that function and its callers, not the workspace.
 */
export class VerdictEngine {
  private readonly resolver: Resolver;
  /** Resolves the calls of library functions at the following bound (see `Resolver.confined`). */
  private readonly confinedResolver: Resolver;
  private memo = new WeakMap<FunctionFacts, WorkspaceMemo>();
  /** Per function, its summary made in the shape generation an edit can bring back (see `PythonProgram.setFile`). */
  private superseded = new WeakMap<FunctionFacts, WorkspaceMemo>();
  private supersededShape: number | undefined;
  /** The workspace summaries the summary being computed has used so far. */
  private dependencies: Dependencies | undefined;
  private readonly computedDependencies = new WeakMap<Summary, { dependencies: Dependencies; argumentSites: Set<ArgumentSites> }>();
  /**
   * Reports of summaries reported again (a summary kept across an edit or a pass is reported the same); null for a
   * summary reported once, as each is in a cold pass over a workspace: kept, its report would hold a fifth of the
   * pass's heap for nothing.
   */
  private readonly reports = new WeakMap<Summary, FunctionReport | null>();
  /** Each module's heap (`heapOf`), by its facts: new facts (an edit) make a new one. */
  private readonly heaps = new WeakMap<FunctionFacts, Heap>();
  /** The parent's frames each summary's task reads (`addParentFrame`), by what they are. */
  private readonly parentFramesRead = new WeakMap<Summary, Set<string>>();
  /** Summaries of library functions, per library depth: kept (libraries do not change under us). */
  private libraryMemo = new Map<FunctionFacts, Summary[]>();
  private libraryMemoGeneration = 0;
  private readonly inProgress = new Set<FunctionFacts>();
  /** The parameters bound to a call's argument sizes while a callee's summary is computed for that call (a function is in it at most once: it is in progress). */
  private readonly boundParameters: { fn: FunctionFacts; locals: Readonly<Record<string, SizeExpr>> }[] = [];
  /** Callees' summaries for the argument sizes of a call, by their summary and the sizes (`withArgumentSizes`). */
  private readonly bySizes = new WeakMap<Summary, Map<string, Summary>>();
  private readonly callOrder: CallOrderSummaries<SummaryFrame, Summary> = {
    inProgress: this.inProgress,
    memoized: (frame) => this.memoized(frame.entry, frame.fn, frame.libraryDepth),
    remember: (frame, summary) => this.remember(frame.entry, frame.fn, frame.libraryDepth, summary),
    compute: (frame, missing) => {
      const dependencies: Dependencies = [];
      const argumentSites = new Set<ArgumentSites>();
      this.dependencies = dependencies;
      this.resolver.argumentSites = argumentSites;
      try {
        const summary = this.program.inScopeOf(frame.entry, () => this.computeSummary(frame.entry, frame.fn, frame.libraryDepth, missing));
        this.computedDependencies.set(summary, { dependencies, argumentSites });
        return summary;
      } finally {
        this.dependencies = undefined;
        this.resolver.argumentSites = undefined;
      }
    },
  };
  private memoGeneration = -1;
  private policy: Policy | undefined;

  constructor(
    private readonly program: PythonProgram,
    private readonly interpreter: InterpreterInfo | null,
    private readonly constants: Constants = machineCalibration(),
    private readonly cores: number = os.availableParallelism(),
  ) {
    this.resolver = new Resolver(program);
    this.confinedResolver = new Resolver(program, true);
  }

  private sizeOf(expr: SizeExpr, entry: ModuleEntry, fn: FunctionFacts): Size | undefined {
    return evaluateSize(expr, this.sizeScope(entry, fn));
  }

  /** The names `fn` sees, and the functions whose returns its sizes may name. */
  private sizeScope(entry: ModuleEntry, fn: FunctionFacts): SizeScope {
    const bound = this.boundParameters.find((binding) => binding.fn === fn);
    return { local: bound?.locals ?? fn.sizes, module: entry.facts.module.sizes, functions: (name) => this.sizedFunction(name, entry, fn) };
  }

  /**
   * The function `name` denotes in `fn`, to size what a call of it returns: one of its module's, or of another
   * workspace module it imports (`corpus.document()`), whose return is sized in that module's names.
   */
  private sizedFunction(name: string, entry: ModuleEntry, fn: FunctionFacts): SizedFunction | undefined {
    const local = name.includes('.') ? undefined : entry.functions.get(name);
    if (local) return sizedFunctionOf(local);
    // Only names imported from the workspace: sizing reads no library module.
    const target = entry.imports.get(name.split('.')[0] ?? name);
    if (target === undefined || !this.importsFromWorkspace(this.program.absolute(target, entry))) return undefined;
    const sym = this.resolver.resolveCallee(name, entry, fn);
    if (sym.kind !== 'function' || sym.fn.className !== null || sym.entry.library) return undefined;
    const sized = sizedFunctionOf(sym.fn);
    if (!sized.returnSize && !sized.writes) return undefined;
    const callee = sym.entry;
    if (callee === entry) return sized;
    return { ...sized, home: { module: callee.facts.module.sizes, functions: (inner) => this.sizedFunction(inner, callee, callee.facts.module) } };
  }

  /** Whether the dotted `target` (`shop.corpus.document`) lies in a workspace module. */
  private importsFromWorkspace(target: string): boolean {
    const parts = target.split('.');
    for (let k = parts.length; k > 0; k--) if (this.program.isWorkspaceModule(parts.slice(0, k).join('.'))) return true;
    return false;
  }

  /** What `chain` denotes when written inside `fn`. */
  resolve(chain: string, entry: ModuleEntry, fn: FunctionFacts): Sym {
    return this.resolver.resolveCallee(chain, entry, fn);
  }

  /** The interpreter the advice assumes (null: none was found). */
  get assumedInterpreter(): InterpreterInfo | null {
    return this.interpreter;
  }

  /** Top-level names of the libraries `entry` imports: not itself, relative imports, or workspace modules that shadow a library. */
  importedLibraries(entry: ModuleEntry): string[] {
    const tops = new Set([...entry.imports.values()].map((target) => target.split('.')[0] ?? target));
    tops.delete(entry.moduleName.split('.')[0] ?? '');
    return [...tops].filter((top) => top !== '' && !this.program.shadowedByWorkspace(top));
  }

  /** Whether a call in `scopes` (by default the module's top level and every function) resolves to one of `apis`. */
  callsApi(entry: ModuleEntry, apis: ReadonlySet<string>, scopes: readonly FunctionFacts[] = [entry.facts.module, ...entry.facts.functions]): boolean {
    const names = new Set([...apis].map(lastNameOf));
    return scopes.some((scope) =>
      scope.calls.some((call) => {
        if (!names.has(lastNameOf(call.callee))) return false;
        const sym = this.resolve(call.callee, entry, scope);
        return sym.kind === 'external' && apis.has(sym.name);
      }),
    );
  }

  reportFunction(entry: ModuleEntry, fn: FunctionFacts, deadline?: Deadline): FunctionReport {
    const summary = this.summarize(entry, fn, 0, deadline);
    const reported = this.reports.get(summary);
    if (reported) return { ...reported };
    const forecast = this.forecast(entry, fn, summary);
    const { verdict, recommendation, confidence, evidence } = decide(fn, summary, this.interpreter, this.program.followsLibraries, forecast);
    const report: FunctionReport = {
      name: fn.name,
      qualname: fn.qualname,
      line: fn.line,
      endLine: fn.endLine,
      async: fn.async,
      verdict,
      recommendation,
      confidence,
      evidence,
      predicted: forecast.predicted,
    };
    if (reported === undefined) {
      this.reports.set(summary, null);
      return report;
    }
    this.reports.set(summary, this.program.strings.internAll(report));
    return { ...report };
  }

  /** The cost model's prediction for PREDICTED_TASKS calls of `fn` (of `entry`) on this machine's cores. */
  forecast(entry: ModuleEntry, fn: FunctionFacts, summary: Summary): Forecast {
    const policy = (this.policy ??= pythonPolicy(this.constants, this.interpreter, this.cores));
    return forecastFor(fn, summary, policy, this.cores, summary.keptObjects ? this.heapOf(entry) : undefined);
  }

  /**
   * The tracked objects a process running `entry`'s functions holds: the interpreter's, its libraries' (the
   * measured table; a library's own imports are counted with it, so two that share one count it twice) and its
   * module-level data of known length. None when the module calls `gc.freeze()`: they leave the collector's generations.
   */
  heapOf(entry: ModuleEntry): Heap {
    const module = entry.facts.module;
    const known = this.heaps.get(module);
    if (known) return known;
    const frozen = this.callsApi(entry, GC_FREEZE, [module]);
    const imported = importedHeap(this.importedLibraries(entry));
    const data = Object.keys(module.sizes ?? {}).reduce((sum, name) => sum + (moduleData(name, module)?.items ?? 0), 0);
    const objects = TRACKED_OBJECTS_BARE_INTERPRETER + imported.objects + data;
    const heap = { objects: frozen ? 0 : objects, libraries: imported.libraries, frozen };
    this.heaps.set(module, heap);
    return heap;
  }

  /** The summary of `fn`, its callees' first, without recursion (`summarizeInCallOrder`). */
  summarize(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, deadline?: Deadline): Summary {
    if (this.memoGeneration !== this.program.generation) {
      if (this.libraryMemoGeneration !== this.program.libraryGeneration) {
        this.libraryMemo = new Map();
        this.memo = new WeakMap();
        this.superseded = new WeakMap();
        this.libraryMemoGeneration = this.program.libraryGeneration;
      }
      this.resolver.forget();
      this.confinedResolver.forget();
      this.memoGeneration = this.program.generation;
    }
    return summarizeInCallOrder({ entry, fn, libraryDepth }, this.callOrder, deadline);
  }

  private memoized(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number): Summary | undefined {
    if (entry.library) return this.libraryMemo.get(fn)?.[libraryDepth];
    const summary = this.validSummary(fn);
    if (summary && this.dependencies) addDependency(this.dependencies, fn, summary);
    return summary;
  }

  /** A call of a workspace function in progress (a cycle): the summary depends on that function's facts. */
  private noteCycle(entry: ModuleEntry, fn: FunctionFacts): void {
    if (!entry.library && this.dependencies) addDependency(this.dependencies, fn, undefined);
  }

  /**
   * `fn`'s memoized summary if it is still right: its facts are current, names resolve as they did, and
   * every summary it folded in is still the valid one (checked once per generation, without recursion).
   */
  private validSummary(fn: FunctionFacts): Summary | undefined {
    const generation = this.program.generation;
    const memo = this.memo.get(fn);
    if (!memo || memo.checked === generation) return memo?.summary;
    const stack: FunctionFacts[] = [fn];
    const onStack = new Set<FunctionFacts>(stack);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as FunctionFacts;
      const current = this.memo.get(top);
      if (!current || current.checked === generation) {
        stack.pop();
        onStack.delete(top);
        continue;
      }
      if (current.shape !== this.program.shapeGeneration && !this.program.isRetired(top)) {
        // An edit undone brings back an earlier shape generation, and with it the summary made in it (checked below).
        const restorable = this.program.restorableShapeGeneration;
        if (this.supersededShape !== restorable) {
          // Kept through the undo that brings their generation back; dropped at any other change of shape.
          if (this.supersededShape !== this.program.shapeGeneration) this.superseded = new WeakMap();
          this.supersededShape = restorable;
        }
        const earlier = this.superseded.get(top);
        if (current.shape === restorable) this.superseded.set(top, current);
        if (earlier?.shape === this.program.shapeGeneration) {
          this.memo.set(top, earlier);
          continue;
        }
      }
      if (current.shape !== this.program.shapeGeneration || this.program.isRetired(top)) {
        this.memo.delete(top);
        stack.pop();
        onStack.delete(top);
        continue;
      }
      const unchecked = findDependency(current.dependencies, (dependency, used) => used !== undefined && this.memo.has(dependency) && this.memo.get(dependency)?.checked !== generation);
      if (unchecked && !onStack.has(unchecked)) {
        stack.push(unchecked);
        onStack.add(unchecked);
        continue;
      }
      stack.pop();
      onStack.delete(top);
      if (unchecked) {
        // A cycle of summaries cannot be made in call order: distrust it.
        this.memo.delete(top);
        continue;
      }
      const valid = !findDependency(current.dependencies, (dependency, used) => (used === undefined ? this.program.isRetired(dependency) : this.memo.get(dependency)?.summary !== used))
        && current.argumentSites.every((sites) => this.readTheSame(sites));
      if (valid) current.checked = generation;
      else this.memo.delete(top);
    }
    return this.memo.get(fn)?.summary;
  }

  /** The calls `sites` was made from read the same in their file now (see `ArgumentSites`). */
  private readTheSame(sites: ArgumentSites): boolean {
    const entry = this.program.entry(sites.file);
    return entry !== undefined && argumentSitesOf(entry, sites.name).signature === sites.signature;
  }

  private remember(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, summary: Summary): void {
    // Callers repeat their callees' evidence text: one copy of each string is kept.
    this.program.strings.internAll(summary);
    if (!entry.library) {
      const generation = this.program.generation;
      const computed = this.computedDependencies.get(summary);
      // An array grown by push has room for more items: a kept list is copied to its own length.
      const dependencies = computed && computed.dependencies.length > 0 ? computed.dependencies.slice() : NO_DEPENDENCIES;
      const argumentSites = computed && computed.argumentSites.size > 0 ? [...computed.argumentSites] : NO_ARGUMENT_SITES;
      this.computedDependencies.delete(summary);
      this.memo.set(fn, { summary, dependencies, shape: this.program.shapeGeneration, checked: generation, argumentSites });
      return;
    }
    const byDepth = this.libraryMemo.get(fn);
    if (byDepth) byDepth[libraryDepth] = summary;
    else this.libraryMemo.set(fn, Object.assign([], { [libraryDepth]: summary }));
  }

  /** `fn`'s summary from its callees' memoized summaries; callees not summarized yet are added to `missing` instead (the result is then incomplete). */
  private computeSummary(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, missing: SummaryFrame[]): Summary {
    const summary = emptySummary();
    const runs = new LoopRuns(fn, (count) => this.sizeOf(count, entry, fn), summary.assumed, entry.library);
    const bytecodePerIteration = this.constants['py.loop_iteration'] * (1 + fn.arithmeticInLoops / Math.max(1, fn.loops.length));
    const addLoop = (into: Summary, loopRuns: LoopRuns, loop: LoopFact, index: number): void => {
      // A loop over a constant of a few items (`for zone in ZONES`) is a few statements, not a loop over data.
      if (loop.over !== undefined && (fn.shortCollections?.includes(loop.over) || entry.facts.module.shortCollections?.includes(loop.over))) return;
      const what = loop.kind === 'comprehension' ? 'comprehension' : `${loop.kind} loop`;
      const iterations = loopRuns.of(index);
      const reason = `${what}: runs Python bytecode, which holds the GIL${loopRuns.described(index)}`;
      const seconds = bytecodePerIteration;
      addPiece(into.cost, 'gil', (seconds / KNOWN_SPREAD) * iterations.low, seconds * iterations.likely, seconds * KNOWN_SPREAD * iterations.high, loop.line, reason);
      const shared = loop.over === undefined ? undefined : moduleDataReadIn(loop.over, fn, entry.facts.module);
      if (shared) addShared(into, shared.bytes, loop.line, `${what} over ${shared.data}`, shared.data);
    };
    fn.loops.forEach((loop, index) => {
      // Work that fills a cache runs on a first call; the steady state a pool runs skips it.
      if (!loop.once) addLoop(summary, runs, loop, index);
    });

    for (const kept of fn.kept ?? []) {
      if (kept.loop !== undefined && fn.loops[kept.loop]?.once) continue;
      const objects = kept.objects * runs.of(kept.loop).low;
      addKept(summary, objects, kept.line, `builds ${kept.objects === 1 ? 'a container' : `${kept.objects} containers`} kept alive${kept.loop === undefined ? '' : ' per iteration'}`);
    }
    for (const call of fn.calls) {
      if (call.once) continue;
      this.addCall(entry, fn, call, call.callee, call.loopDepth ?? 0, libraryDepth, summary, missing, runs);
    }
    // A cache keyed by the process: what its fill runs, a forked worker runs again on its first task.
    const refilled = fn.calls.filter((call) => call.once === 'process');
    if (refilled.length > 0 && !entry.library) {
      const fill = emptySummary();
      const fillRuns = new LoopRuns(fn, (count) => this.sizeOf(count, entry, fn), fill.assumed, entry.library);
      fn.loops.forEach((loop, index) => {
        if (loop.once === 'process') addLoop(fill, fillRuns, loop, index);
      });
      for (const call of refilled) this.addCall(entry, fn, call, call.callee, call.loopDepth ?? 0, libraryDepth, fill, missing, fillRuns);
      addWorkerFills((summary.refills ??= []), [...(fill.refills ?? []), { by: `${entry.moduleName}.${fn.qualname}`, seconds: total(fill.cost), line: (refilled[0] as CallFact).line, why: `${fn.qualname}: a cache keyed by the process (os.getpid()); a new worker misses it and fills it again on its first task (the parent's is warm)` }]);
    }
    summary.assumed.length = Math.min(summary.assumed.length, MAX_ASSUMPTIONS);
    summary.blocking.sort((a, b) => b.seconds - a.seconds);
    summary.blocking.length = Math.min(summary.blocking.length, MAX_BLOCKING_CALLS);
    return compact(summary);
  }

  private addCall(
    entry: ModuleEntry,
    fn: FunctionFacts,
    call: CallFact,
    chain: string,
    loopDepth: number,
    libraryDepth: number,
    summary: Summary,
    missing: SummaryFrame[],
    runs: LoopRuns,
  ): void {
    const inLoop = loopDepth > 0 ? ' (in a loop)' : '';
    // The last library level follows calls within the modules already read (difflib's own layers) but reads no new
    // module: in a package like sympy each level fans out to new files, and the third level read 8 % of it.
    const resolver = entry.library && libraryDepth >= MAX_LIBRARY_DEPTH - 1 ? this.confinedResolver : this.resolver;
    const written = resolver.resolveCallee(chain, entry, fn);
    const sym = (written.kind === 'unknown' && chain === call.callee && call.otherCallees && resolver.firstTyped(call.otherCallees, entry, fn)) || written;
    // An operator is priced where its operand's type says what it runs (numpy's `@`), or, of an operand of unknown type
    // (a parameter), as numpy's when the module imports numpy; elsewhere it is the function's arithmetic. So is a method
    // only arrays have (`red.astype(…)`, `grid.reshape(…)`) of a value of unknown type in such a module.
    const assumedArray = sym.kind === 'unknown' && (call.operator !== undefined || (sym.method && ARRAY_METHODS.has(sym.name))) && this.importedLibraries(entry).includes('numpy');
    if (call.operator && !assumedArray && sym.kind !== 'function' && !(sym.kind === 'external' && lookupApi(sym.name))) return;
    // An element-wise operator (`a * b`) is numpy's work only on what the code sizes as an array, a call of its own on a
    // type priced per operation (a Decimal's `+`): on numbers it is arithmetic.
    const perOperation = sym.kind === 'external' && lookupApi(sym.name)?.perOperation === true;
    if (call.operator && call.operator !== '@' && !perOperation && (!call.argSize || this.sizeOf(call.argSize, entry, fn)?.kind !== 'array')) return;
    const shown = call.operator ? `${showChain(chain.slice(0, chain.lastIndexOf('.')))} ${call.operator} …` : showChain(chain);
    // map(work, items) and the like run `work` once per item: a loop the code does not size.
    const calls = loopDepth > (call.loopDepth ?? 0) ? scaleRange(runs.of(call.loop), ASSUMED_LOOP) : runs.of(call.loop);
    /** Adds `seconds` (within `spread` either way) per call, times the calls; returns the likely seconds added. */
    const addSeconds = (part: CostPart, seconds: number, spread: number, text: string, within?: PieceWithin): number => {
      const likely = seconds * calls.likely;
      addPiece(summary.cost, part, (seconds / spread) * calls.low, likely, seconds * spread * calls.high, call.line, text, within);
      return likely;
    };
    const addCheap = (text: string): void => {
      addSeconds('gil', 2 * this.constants['py.function_call'], KNOWN_SPREAD, text);
    };
    const addUnseen = (text: string): void => {
      const seconds = addSeconds('gil', UNKNOWN_CALL_SECONDS, UNKNOWN_SPREAD, text);
      // Inside library source the analyzer read the code around the call: what it cannot resolve there
      // (a bound-method alias, a helper past the following bound) is priced, not a blind spot.
      if (!entry.library) summary.unseen += seconds;
    };

    const applyApi = (api: ApiEntry, guessed: boolean): void => {
      if (COMPARES_ITS_ARGUMENTS.has(sym.kind === 'external' ? sym.name : '') && (call.positionalArgs ?? 0) >= 2) {
        addCheap(`${shown}${inLoop}: compares ${call.positionalArgs} values`);
        return;
      }
      const argument = call.argSize && this.sizeOf(call.argSize, entry, fn);
      const large = argument !== undefined && argument.kind !== 'int' && argument.value > LARGE_LITERAL_BYTES;
      if (api.scalesWithInput && call.shortFirstArg === 'literal' && !large) {
        addCheap(`${shown}${inLoop}: on a string literal (a few bytes): microseconds of work`);
        return;
      }
      if (api.scalesWithInput === 'hash' && call.shortFirstArg === 'text') {
        const reason = `${shown}${inLoop}: hashes encoded text, usually short: hashlib holds the GIL for buffers under 2 KiB`;
        addSeconds('gil', this.constants['py.hash_small_call'], PRIOR_SPREAD, reason);
        return;
      }
      const receiverName = RECEIVER_NAME.exec(chain)?.[1];
      const receiverSize = call.receiverSize ?? (receiverName === undefined ? undefined : { name: receiverName });
      const receiver = receiverSize && this.sizeOf(receiverSize, entry, fn);
      const collections = call.collectionArgs?.map((collection) => this.sizeOf(collection, entry, fn));
      // A pattern compiled from a literal and bound to the receiver's name, in the function or else its module.
      const scope = receiverName !== undefined && own(fn.locals, receiverName) !== undefined ? fn : entry.facts.module;
      const pattern = call.pattern ?? (receiverName === undefined ? undefined : own(scope.patterns ?? {}, receiverName));
      const positional = call.positionalSizes?.map((size) => (size ? this.sizeOf(size, entry, fn) : undefined));
      const priced = api.seconds?.(argument, this.constants, receiver, pattern === undefined ? call : { ...call, pattern }, collections, positional);
      const part = priced?.part ?? PART_OF_KIND[api.kind];
      const reason = `${shown}${inLoop}: ${priced?.why ?? api.why}${api.kind === 'native' && part === 'gil' && !priced?.why ? ', but on data this small the call\'s own overhead, which holds the GIL, is most of it' : priced?.allCores ? ', on every core already (BLAS\'s own threads): no pool runs it faster' : ''}`;
      const what = priced ? priced.assumed : api.kind === 'cheap' ? undefined : UNKNOWN_WORK;
      // GIL-held work over data of unknown size is taken to be small, unless its size is a loop's (a template's items).
      if (what) summary.assumed.push({ line: call.line, what, ...(part === 'gil' && !priced?.assumedLoop && { small: true }) });
      const spread = guessed ? UNKNOWN_SPREAD : priced && !priced.assumed ? KNOWN_SPREAD : PRIOR_SPREAD;
      const held = part === 'gil' ? 0 : (priced?.held ?? 0);
      const heldSeconds = held > 0 ? addSeconds('gil', held, spread, `${shown}${inLoop}: the call's own overhead holds the GIL`) : 0;
      const seconds = heldSeconds + addSeconds(part, (priced?.seconds ?? defaultSeconds(api, this.constants)) - held, spread, reason, api.kind === 'async-wait' ? 'awaited' : priced?.allCores ? 'allCores' : priced?.contended ? 'contended' : undefined);
      if (part === 'native') addNativeCalls(summary.cost, calls);
      else if (priced?.lockReleases) addNativeCalls(summary.cost, calls, { low: priced.lockReleases, likely: priced.lockReleases, high: priced.lockReleases });
      const frame = sym.kind === 'external' && sym.name.startsWith('pandas.') ? moduleFrameReadIn(chain, fn, (name) => this.sizeOf({ name }, entry, entry.facts.module)) : undefined;
      if (frame) this.addParentFrame(summary, frame, call.line, `${shown}${inLoop}: computes over ${frame.data}`);
      if (priced?.childCpu) addChildCpu(summary.cost, scaleRange(range(priced.childCpu, spread), calls));
      if (api.kind === 'wait' && !guessed) summary.blocking.push({ line: call.line, reason, cause: reason, blocking: { calls: [chain], why: api.why }, seconds });
      if (guessed) summary.guessed = true;
    };

    switch (sym.kind) {
      case 'external': {
        if (sym.beyond) {
          if (missing.length > 0) return;
          summary.unresolved = true;
          addUnseen(`${shown}${inLoop}: ${sym.name} is deeper than the library-following bound`);
          return;
        }
        const match = matchApi(sym.name);
        const api = onDatabasesOf(sym.name, match?.entry, entry.facts.module.engineSchemes);
        const touched = entry.library || !forksByDefault(this.interpreter) ? undefined : own(FIRST_TOUCH_PAGES, sym.name);
        if (touched) {
          const why = `${shown}${inLoop}: a forked worker's first task writes ~${formatCount(touched)} pages of the objects the parent's warm-up built in ${sym.name.split('.')[0]} (its engine, mappers, caches: first_touch_study.py), at ${formatSeconds(this.constants['py.fork_cow_page'])} a page`;
          addWorkerFills((summary.refills ??= []), [{ by: sym.name, seconds: touched * this.constants['py.fork_cow_page'], line: call.line, why }]);
        }
        // A lambda's calls are this function's own: what is left is the hand-off.
        if (call.lambdaArg && AWAITED_THREAD_TASKS.has(sym.name)) {
          applyApi(AWAITED_TASK_HANDOFF, false);
          return;
        }
        if (call.firstArgName && chain === call.callee && AWAITED_THREAD_TASKS.has(sym.name) && this.addHandedTask(entry, fn, call, call.firstArgName, loopDepth, libraryDepth, summary, missing, runs, calls)) return;
        if (call.firstArgName && chain === call.callee) {
          // map(work, items): `work` runs once per item. A thread pool or thread runs its task in
          // this process, under the same GIL: the task's work is this function's work.
          if (STEP_FUNCTION_TAKES_SECOND_ARGUMENT.has(sym.name)) {
            const stepArguments = call.argumentSizes && { args: call.argumentSizes.args.slice(1, 2) };
            this.addCall(entry, fn, { ...call, argumentSizes: stepArguments }, call.firstArgName, loopDepth + 1, libraryDepth, summary, missing, runs);
          } else if (CALLS_ARGUMENT_PER_ITEM.has(sym.name) || PER_ITEM_THREAD_TASKS.has(sym.name) || CALLS_FUNCTION_ARGUMENT_PER_STEP.has(sym.name)) {
            this.addCall(entry, fn, call, call.firstArgName, loopDepth + 1, libraryDepth, summary, missing, runs);
          } else if (THREAD_TASKS.has(sym.name)) {
            this.addCall(entry, fn, call, call.firstArgName, loopDepth, libraryDepth, summary, missing, runs);
          }
        }
        if (missing.length > 0) return;
        // A wildcard's guess that a library's compiled calls release the GIL (`scipy.*`) gives way to the binary of the
        // call's own extension module when it never can (scipy.optimize's `_lsap`: linear_sum_assignment holds it).
        const compiled = !api || (match?.wildcard && api.kind === 'native') ? compiledModuleReleasesGil(sym.name, this.program) : undefined;
        const walked = WALKS_ITS_ARGUMENT.has(sym.name) && call.argSize && 'name' in call.argSize ? moduleDataReadIn(call.argSize.name, fn, entry.facts.module) : undefined;
        if (walked) addShared(summary, walked.bytes, call.line, `${shown}${inLoop}: reads every object of ${walked.data}`, walked.data);
        const builtPerByte = own(OBJECTS_BUILT_PER_BYTE, sym.name);
        if (builtPerByte !== undefined) {
          const input = (call.argSize && this.sizeOf(call.argSize, entry, fn)) || (call.receiverSize && this.sizeOf(call.receiverSize, entry, fn));
          const bytes = input && input.kind === 'bytes' ? input.value : ASSUMED_BUFFER;
          addKept(summary, bytes * builtPerByte * calls.low, call.line, `${shown}${inLoop}: builds Python objects from ${input && input.kind === 'bytes' ? `${formatCount(bytes)} bytes` : 'its input'}`);
        }
        const keptPerCall = own(OBJECTS_KEPT_PER_CALL, sym.name);
        if (keptPerCall !== undefined) addKept(summary, keptPerCall * calls.low, call.line, `${shown}${inLoop}: adds ${formatCount(keptPerCall * calls.low)} containers to a structure the function keeps`);
        if (compiled?.releasesGil === false) {
          applyApi({ kind: 'holds', why: compiled.why }, false);
        } else if (api) {
          applyApi(api, false);
        } else {
          summary.unresolved = true;
          addUnseen(`${shown}${inLoop}: ${sym.name} is not in the knowledge base${this.program.followsLibraries ? ' and its Python source was not found' : ''}`);
        }
        return;
      }
      case 'unknown': {
        if (missing.length > 0) return;
        const numpyApi = assumedArray ? lookupApi(`numpy.ndarray.${lastNameOf(chain)}`) : undefined;
        if (numpyApi) {
          applyApi(numpyApi, false);
          return;
        }
        if (call.awaited) {
          // Whatever it is, an awaited call is a coroutine: it yields to the event loop while it waits.
          applyApi(AWAITED_UNKNOWN, true);
          return;
        }
        const duck = sym.method ? own(DUCK_METHODS, sym.name) : undefined;
        if (duck) applyApi(duckOnDatabasesOf(sym.name, duck, entry.facts.module.engineSchemes), true);
        else addUnseen(`${shown}${inLoop}: cannot tell what this calls`);
        return;
      }
      case 'module': {
        if (missing.length > 0) return;
        addUnseen(`${shown}: calls a module`);
        return;
      }
      case 'class':
      case 'instance':
      case 'function': {
        if (sym.kind === 'function' && sym.entry.library && sym.fn.async && call.awaited) {
          if (missing.length === 0) applyApi(AWAITED_LIBRARY_COROUTINE, false);
          return;
        }
        const target = sym.kind === 'function'
          ? sym.fn
          : sym.entry.functions.get(`${sym.cls.qualname}.${sym.kind === 'class' ? '__init__' : '__call__'}`);
        if (sym.kind === 'class' && call.kept && missing.length === 0) addKept(summary, calls.low, call.line, `${shown}${inLoop}: instances of ${sym.cls.name} kept alive`);
        if (!target) {
          if (missing.length > 0) return;
          addCheap(`${shown}${inLoop}: creates a ${sym.kind === 'class' ? sym.cls.name : 'value'}`);
          return;
        }
        this.addCallee(entry, fn, sym.entry, target, call, shown, inLoop, calls, libraryDepth, summary, missing, addSeconds, addUnseen);
        return;
      }
    }
  }

  private addCallee(
    callerEntry: ModuleEntry,
    caller: FunctionFacts,
    calleeEntry: ModuleEntry,
    target: FunctionFacts,
    call: CallFact,
    shown: string,
    inLoop: string,
    calls: Range,
    libraryDepth: number,
    summary: Summary,
    missing: SummaryFrame[],
    addSeconds: (part: CostPart, seconds: number, spread: number, text: string) => number,
    addUnseen: (text: string) => void,
  ): void {
    const where = calleeEntry.library ? `${calleeEntry.moduleName}.${target.qualname}` : target.qualname;
    if (call.constantArgs && this.isMemoized(calleeEntry, target)) {
      if (missing.length > 0) return;
      addSeconds('gil', 2 * this.constants['py.function_call'], KNOWN_SPREAD, `${shown}${inLoop}: ${where} is memoized: after the first call it returns the cached value`);
      const cached = calleeEntry.library ? undefined : parentFrame(this.sizeOf({ result: call.callee, args: [] }, callerEntry, caller), `the frame ${where} cached`);
      if (cached) this.addParentFrame(summary, cached, call.line, `${shown}${inLoop}: takes ${cached.data}`);
      return;
    }
    if (this.inProgress.has(target)) {
      if (missing.length > 0) return;
      this.noteCycle(calleeEntry, target);
      summary.recursive = true;
      const cycle = target === caller ? 'recursive call' : `calls ${where} again through a call cycle (mutual recursion)`;
      const reason = `${shown}: ${cycle} (each level runs Python bytecode under the GIL)`;
      summary.assumed.push({ line: call.line, what: `~${formatCount(ASSUMED_RECURSION.likely)} recursive calls assumed` });
      const level = 10 * this.constants['py.function_call'];
      addPiece(summary.cost, 'gil', (level / KNOWN_SPREAD) * ASSUMED_RECURSION.low, level * ASSUMED_RECURSION.likely, level * KNOWN_SPREAD * ASSUMED_RECURSION.high, call.line, reason);
      return;
    }
    const nextLibraryDepth = calleeEntry.library ? libraryDepth + 1 : libraryDepth;
    if (nextLibraryDepth > MAX_LIBRARY_DEPTH) {
      if (missing.length > 0) return;
      summary.unresolved = true;
      addUnseen(`${shown}: ${where} is deeper than the library-following bound`);
      return;
    }
    const generic = this.memoized(calleeEntry, target, nextLibraryDepth);
    if (!generic) {
      missing.push({ entry: calleeEntry, fn: target, libraryDepth: nextLibraryDepth });
      return;
    }
    // Callees are still missing: this result is discarded, only the other callees are wanted.
    if (missing.length > 0) return;
    const callee = this.withArgumentSizes(callerEntry, caller, calleeEntry, target, call, generic, nextLibraryDepth);
    summary.guessed ||= callee.guessed;
    summary.unresolved ||= callee.unresolved;
    summary.unseen += callee.unseen * calls.likely;
    if (callee.sharedBytes && callee.sharedAt) addShared(summary, callee.sharedBytes, call.line, `${shown}${inLoop}: calls ${where}, which reads ${callee.sharedAt.data}`, callee.sharedAt.data);
    // A library's own loops are counted at assumed lengths: what it keeps is known only where the knowledge base says (OBJECTS_BUILT_PER_BYTE).
    if (callee.keptObjects && callee.keptAt && !calleeEntry.library) addKept(summary, callee.keptObjects * calls.low, call.line, `${shown}${inLoop}: calls ${where}, which ${callee.keptAt.text.replace(/^.*?: /, '')}`);
    // A coroutine's own gather of this call's awaitables overlaps their waits.
    const together = call.gathered && target.async ? gathered(callee.cost, calls, this.cores) : undefined;
    if (together) addInto(summary.cost, { ...together, evidence: [] });
    else addRepeated(summary.cost, callee.cost, calls);
    if (callee.pool) addPool(summary, callee.pool, calls.likely);
    if (callee.refills) addWorkerFills((summary.refills ??= []), callee.refills.map((refill) => ({ ...refill, line: call.line })));
    // The summary keeps its first MAX_ASSUMPTIONS (computeSummary): the others' text is not built.
    const room = Math.min(callee.assumed.length, MAX_ASSUMPTIONS - summary.assumed.length);
    for (let k = 0; k < room; k++) {
      const assumption = callee.assumed[k] as Assumption;
      summary.assumed.push({ ...assumption, line: call.line, what: `${assumption.what} in ${where}` });
    }
    const source = calleeEntry.library ? `${where} (library source)` : where;
    const largest = callee.cost.evidence[0];
    if (largest) {
      // The deepest line, not the callee's own evidence: a chain of calls must not grow its text with each level.
      const cause = largest.cause ?? largest.text;
      const text = `${shown}${inLoop}: calls ${source}, which ${VERB[largest.part]}, e.g. ${cause}`;
      addEvidence(summary.cost, { line: call.line, text, part: largest.part, seconds: together ? total(together) : total(callee.cost) * calls.likely, cause });
    }
    // A coroutine's waits are awaited where it is awaited: its own report names its blocking calls.
    const blocking = target.async ? undefined : callee.blocking[0];
    if (blocking) {
      summary.blocking.push({
        line: call.line,
        reason: `${shown}${inLoop}: calls ${source}, which waits on I/O, e.g. ${blocking.cause}`,
        cause: blocking.cause,
        blocking: { calls: pathThrough(where, blocking.blocking.calls), why: blocking.blocking.why },
        seconds: blocking.seconds * calls.likely,
      });
    }
  }

  /**
   * `asyncio.to_thread(task, …)`, `loop.run_in_executor(None, task, …)`: `task` runs in a thread of the loop's executor
   * while the coroutine awaits it. Its GIL-holding work is still this process's (one GIL); its native work and its
   * waits are awaited waits the executor's threads run, several at once when the call starts them together (a
   * `gather` over a loop of them: the loop's items). False when the task is not one the analyzer can read.
   */
  private addHandedTask(entry: ModuleEntry, fn: FunctionFacts, call: CallFact, task: string, loopDepth: number, libraryDepth: number, summary: Summary, missing: SummaryFrame[], runs: LoopRuns, calls: Range): boolean {
    // A task the analyzer cannot see into (`functools.partial(...)` bound to a name, a library's callable object): an
    // awaited wait of unknown length.
    const resolved = this.resolver.resolveCallee(task, entry, fn);
    if (resolved.kind === 'unknown' || resolved.kind === 'module' || ((resolved.kind === 'instance' || resolved.kind === 'class') && resolved.entry.library)) return false;
    const handed = emptySummary();
    // The task's own arguments follow it (`to_thread(task, *args)`, `run_in_executor(executor, task, *args)`).
    const taskArguments = call.argumentSizes && { args: call.argumentSizes.args.slice(call.callee.endsWith('run_in_executor') ? 2 : 1) };
    // A library task is priced by its first argument (`to_thread(lz4.frame.compress, chunk)`: the chunk's bytes), not the hand-off's.
    const taskArgument = taskArguments?.args[0];
    this.addCall(entry, fn, { ...call, argumentSizes: taskArguments, argSize: taskArgument ?? undefined }, task, loopDepth, libraryDepth, handed, missing, runs);
    if (missing.length > 0) return true;
    const shown = showChain(call.callee);
    const inLoop = loopDepth > 0 ? ' (in a loop)' : '';
    const handoff = this.constants['py.thread_pool_task'];
    addPiece(summary.cost, 'gil', (handoff / KNOWN_SPREAD) * calls.low, handoff * calls.likely, handoff * KNOWN_SPREAD * calls.high, call.line, `${shown}${inLoop}: hands ${showChain(task)} to a thread of the loop's executor and awaits it`);
    const { gil, native, wait } = handed.cost;
    // Each piece says what of the task it stands for: its GIL-holding work, and its released work and waits.
    const what = (held: boolean): string => {
      const evidence = handed.cost.evidence.find((e) => (e.part === 'gil') === held);
      const cause = evidence?.cause ?? evidence?.text;
      return `${shown}${inLoop}: ${showChain(task)} runs in the loop's executor${cause ? `, e.g. ${cause}` : ''}`;
    };
    addPiece(summary.cost, 'gil', gil.low, gil.likely, gil.high, call.line, `${what(true)} (holding the GIL)`);
    addPiece(summary.cost, 'wait', native.low + wait.low, native.likely + wait.likely, native.high + wait.high, call.line, what(false), 'awaited');
    const width = call.awaited || call.loop === undefined ? 1 : Math.max(1, runs.of(call.loop).likely);
    addPool(summary, { cpu: native.likely, wait: wait.likely, width }, 1);
    summary.unseen += handed.unseen;
    summary.guessed ||= handed.guessed;
    summary.unresolved ||= handed.unresolved;
    summary.assumed.push(...handed.assumed);
    return true;
  }

  /**
   * A workspace callee's summary with the sizes this call passes bound to its parameters (`_run_samples(i, 5000)`: its
   * loop over `range(count)` runs 5,000 times, not an assumed 100), when the call tells a size and the summary assumed
   * one; else its summary.
   */
  private withArgumentSizes(callerEntry: ModuleEntry, caller: FunctionFacts, calleeEntry: ModuleEntry, target: FunctionFacts, call: CallFact, generic: Summary, libraryDepth: number): Summary {
    if (calleeEntry.library || !call.argumentSizes || this.boundParameters.length >= MAX_BOUND_CALLS) return generic;
    // A method's first parameter is its instance (or class): the call's arguments start at the second.
    const params = target.className !== null && !target.decorators.includes('staticmethod') ? target.params.slice(1) : target.params;
    const bound = boundArguments(params, call.argumentSizes, (argument) => this.sizeOf(argument, callerEntry, caller));
    const told = Object.entries(bound).filter((binding): binding is [string, SizeExpr] => binding[1] !== null);
    // Sizes matter where the summary assumed one, where they replace a parameter's default, and where an array is given:
    // numpy's operators on a parameter (`dose ** hill`) are priced over its elements only when it is known to be one.
    const replacesDefault = Object.keys(bound).some((param) => own(target.sizes ?? {}, param) !== undefined);
    const givesArray = told.some(([, size]) => 'evaluated' in size && size.evaluated.kind === 'array');
    if (told.length === 0 || (generic.assumed.length === 0 && !replacesDefault && !givesArray)) return generic;
    const key = JSON.stringify(told);
    const known = this.bySizes.get(generic)?.get(key);
    if (known) return known;
    const locals = withBoundArguments(target.sizes, bound);
    const missing: SummaryFrame[] = [];
    this.boundParameters.push({ fn: target, locals });
    this.inProgress.add(target);
    let summary: Summary;
    try {
      summary = this.computeSummary(calleeEntry, target, libraryDepth, missing);
    } finally {
      this.inProgress.delete(target);
      this.boundParameters.pop();
    }
    if (missing.length > 0) return generic;
    this.program.strings.internAll(summary);
    const byKey = this.bySizes.get(generic) ?? new Map<string, Summary>();
    this.bySizes.set(generic, byKey.set(key, summary));
    return summary;
  }

  /** A frame the parent holds, read by the task: a worker copies its pages once, however many calls read it. */
  private addParentFrame(summary: Summary, frame: { bytes: number; data: string }, line: number, text: string): void {
    let read = this.parentFramesRead.get(summary);
    if (!read) this.parentFramesRead.set(summary, (read = new Set()));
    if (read.has(frame.data)) return;
    read.add(frame.data);
    addShared(summary, frame.bytes, line, text, frame.data);
  }

  /** `@functools.lru_cache(...)` / `@functools.cache` on the function (resolved through the imports). */
  private isMemoized(entry: ModuleEntry, fn: FunctionFacts): boolean {
    return fn.decorators.some((decorator) => {
      const sym = this.resolver.resolveCallee(decorator.replace(/\(\)$/, ''), entry, entry.facts.module);
      return sym.kind === 'external' && MEMOIZERS.has(sym.name);
    });
  }
}

const NO_BLOCKING_CALLS: BlockingCall[] = Object.freeze([]) as unknown as BlockingCall[];
const NO_ASSUMPTIONS: Assumption[] = Object.freeze([]) as unknown as Assumption[];

/**
 * A finished summary as the memo keeps it (tens of thousands of them in a whole-stdlib pass): the evidence
 * a report shows and no more, in an array of its own length; zero parts, and empty lists, shared.
 */
function compact(summary: Summary): Summary {
  const { cost } = summary;
  finishEvidence(cost);
  cost.evidence = cost.evidence.slice(0, MAX_EVIDENCE);
  for (const part of ['gil', 'native', 'wait', 'awaited'] as const) {
    const range = cost[part];
    if (range.low === 0 && range.likely === 0 && range.high === 0) cost[part] = ZERO_RANGE as Range;
  }
  // An array grown by push has room for 16 more items: a kept list is copied to its own length.
  summary.blocking = summary.blocking.length === 0 ? NO_BLOCKING_CALLS : summary.blocking.slice();
  summary.assumed = summary.assumed.length === 0 ? NO_ASSUMPTIONS : summary.assumed.slice();
  return summary;
}

interface Decision {
  verdict: Verdict;
  recommendation: Recommendation;
  confidence: number;
  evidence: Evidence[];
}

/**
 * Whether `multiprocessing` (and so `ProcessPoolExecutor`) forks its workers by default: on Linux, before
 * Python 3.14 (then `forkserver`); macOS and Windows spawn. An unknown interpreter is taken to fork on Linux.
 */
export function forksByDefault(interpreter: InterpreterInfo | null): boolean {
  if (process.platform !== 'linux') return false;
  const [major = 3, minor = 0] = (interpreter?.version ?? '3.0').split('.').map(Number);
  return major < 3 || (major === 3 && minor < 14);
}

/** The longest Python between GIL-releasing calls `py.gil_reacquire_wait` was measured after (scripts/calibrate.py, thread_handoff_study.py). */
const MEASURED_PYTHON_BETWEEN_CALLS = 5e-4;

/** The workers of the pool `py.process_pool_start` was measured on (scripts/calibrate.py). */
const MEASURED_POOL_PROCESSES = 2;

/** How running Python work in parallel costs under this interpreter (GIL or free-threaded) on this platform (fork or spawn). */
export function pythonPolicy(constants: Constants, interpreter: InterpreterInfo | null, cores: number): Policy {
  const forks = forksByDefault(interpreter);
  return {
    threadsSerializeLockedCpu: interpreter?.gilEnabled !== false,
    threadWorkers: 2 * Math.max(1, cores),
    processWorkers: Math.max(1, cores),
    threadStart: constants['py.thread_start'],
    threadTask: constants['py.thread_pool_task'],
    // A forked worker's share of a pool's life (started, answering, gone: what the parent waits for), measured on a pool of MEASURED_POOL_PROCESSES.
    processStart: forks ? constants['py.process_pool_start'] / MEASURED_POOL_PROCESSES : constants['py.process_spawn_start'],
    processTask: constants['py.process_pool_task'],
    transferByte: constants['py.pickle_dumps_byte'] + constants['py.pickle_loads_byte'],
    forkCopyPage: forks ? constants['py.fork_cow_page'] : 0,
    gcHeapObject: constants['py.gc_heap_object'],
    // A spawned (or forkserver) worker imports its own heap: it walks it as the parent does, with nothing to copy.
    forkGcObject: forks ? constants['py.fork_gc_object'] : 0,
    lockHandoff: constants['py.gil_handoff'],
    lockReacquireWait: constants['py.gil_reacquire_wait'],
    lockReacquireWaitUpTo: MEASURED_PYTHON_BETWEEN_CALLS,
    // asyncio's default executor: ThreadPoolExecutor()'s max_workers since Python 3.8.
    awaitedPoolThreads: Math.min(32, Math.max(1, cores) + 4),
  };
}

/** What the garbage collector of a process running a module's functions walks at each full collection. */
export interface Heap {
  objects: number;
  /** The imported libraries of the measured table that it counts. */
  libraries: string[];
  /** The module calls `gc.freeze()`: its objects are out of the collector's reach. */
  frozen: boolean;
}

/** The prediction for PREDICTED_TASKS calls of `fn` on `cores` cores under `policy`, in a process holding `heap`. */
export function forecastFor(fn: Pick<FunctionFacts, 'async'>, summary: Summary, policy: Policy, cores: number, heap?: Heap): Forecast {
  const { cost, pooled } = summary.pool ? withPoolOverlap(summary.cost, summary.pool, cores, policy.awaitedPoolThreads ?? Infinity) : { cost: summary.cost };
  const workload: Workload = {
    tasks: PREDICTED_TASKS, cores, coroutine: fn.async, argumentBytes: 64, resultBytes: 64, sharedBytes: summary.sharedBytes,
    ...(summary.refills && { workerFillSeconds: workerFillSeconds(summary.refills) }),
    ...(summary.keptObjects && heap && { keptObjects: summary.keptObjects, heapObjects: heap.objects }),
    ...pooled,
  };
  const result = forecast(cost, summary.assumed, workload, policy);
  const kept = summary.keptAt;
  if (kept && heap && workload.keptObjects && !heap.frozen) {
    const workerSeconds = heapCollectionSeconds(workload.keptObjects, Math.ceil(PREDICTED_TASKS / policy.processWorkers), workload, policy, (policy.forkGcObject ?? 0) > 0);
    if (workerSeconds > 0) {
      const collections = fullCollections(workload.keptObjects, PREDICTED_TASKS, heap.objects);
      result.collecting = {
        line: kept.line,
        reason: `${kept.text}: ~${formatCount(workload.keptObjects)} tracked objects per call trigger ~${formatCount(collections)} full garbage collections in ${PREDICTED_TASKS} calls, each walking the ~${formatCount(heap.objects)} objects of the interpreter${heap.libraries.length > 0 ? ` and ${heap.libraries.join(', ')}` : ''}; a forked worker copies them at its first (gc.freeze() before the pool avoids it): ≈${formatSeconds(workerSeconds)} per worker`,
      };
    }
  }
  const shared = summary.sharedAt;
  const copying = firstTouchSeconds(workload, policy);
  if (shared && copying > 0 && copying >= COPYING_SHOWN_SHARE * (result.prediction.seconds.processes ?? Infinity)) {
    result.copying = {
      line: shared.line,
      reason: `${shared.text}: ~${formatCount(sharedPages(workload))} pages of the parent's memory; a forked worker's first task copies each page it writes (reference counts; a frame's, as fork_frame_study.py measured) (${formatSeconds(policy.forkCopyPage ?? 0)} a page): ≈${formatSeconds(copying)} per worker`,
    };
  }
  const refill = summary.refills?.[0];
  const refilling = workerFillSeconds(summary.refills ?? []);
  if (refill && refilling >= COPYING_SHOWN_SHARE * (result.prediction.seconds.processes ?? Infinity)) {
    result.refilling = {
      line: refill.line,
      reason: `${refill.why}: ≈${formatSeconds(refilling)} per worker`,
    };
  }
  return result;
}

/** The share of a summary's likely seconds spent in calls the analyzer cannot see. */
export function unseenShare(summary: Summary): number {
  const seconds = total(summary.cost);
  return seconds > 0 ? Math.min(1, summary.unseen / seconds) : 0;
}

/** Turns a summary and its forecast into a verdict, a recommendation for this interpreter, a confidence and evidence. */
export function decide(fn: FunctionFacts, summary: Summary, interpreter: InterpreterInfo | null, followsLibraries: boolean, forecast: Forecast): Decision {
  const gilFree = interpreter !== null && !interpreter.gilEnabled;
  const notes: string[] = [];
  const unseen = unseenShare(summary);
  // When no pool pays only because of a size the model had to assume, the verdict is the one at the size
  // where one would (its break-even is shown).
  const predicted = forecast.atBreakEven ?? forecast.prediction;
  const verdict: Verdict = unseen > MAX_UNSEEN_SHARE ? 'unknown' : labelOf(predicted);
  const { cost } = summary;

  let recommendation: Recommendation;
  switch (verdict) {
    case 'cpu':
      recommendation = gilFree ? 'threads' : 'processes';
      if (!gilFree && interpreter && versionAtLeast(interpreter.version, 3, 14)) {
        notes.push('Python 3.14+: concurrent.futures.InterpreterPoolExecutor (one GIL per interpreter) is an alternative to processes');
      }
      break;
    case 'mixed':
      recommendation = (predicted.seconds.processes as number) < (predicted.seconds.threads as number) ? 'processes' : 'threads';
      break;
    case 'async-io':
      recommendation = 'asyncio';
      break;
    case 'trivial':
      recommendation = 'sequential';
      break;
    default:
      recommendation = 'threads';
  }
  if (gilFree && verdict !== 'trivial' && verdict !== 'unknown' && cost.gil.likely > cost.native.likely + cost.wait.likely) {
    notes.push('free-threaded interpreter (no GIL): threads run Python code in parallel');
  }

  let confidence = verdict === 'unknown' ? UNKNOWN_CONFIDENCE : confidenceOf(forecast, summary.assumed.length > 0, { verdict });
  if (summary.unresolved && !followsLibraries) {
    confidence = Math.round(confidence * 85) / 100;
    notes.push('no Python interpreter: calls outside the knowledge base were not followed into library source');
  }
  if (verdict === 'unknown') notes.push('measure it: Compare runs it in each mode');
  else notes.unshift(predictionNote(forecast.predicted, forecast.atBreakEven));

  const evidence = evidenceFor(verdict, cost.evidence);
  if (verdict === 'trivial' && evidence.length === 0) {
    evidence.push({ line: fn.line, reason: 'no loops, recursion or heavy calls: too little work per call for any pool' });
  }
  const blocking = summary.blocking[0];
  if (forecast.collecting && verdict !== 'unknown') evidence.push(forecast.collecting);
  if (forecast.copying && verdict !== 'unknown') evidence.push(forecast.copying);
  if (forecast.refilling && verdict !== 'unknown') evidence.push(forecast.refilling);
  if (fn.async && blocking) notes.push(`blocking call in async def at line ${blocking.line}: it stalls the event loop (use await asyncio.to_thread or an async client)`);
  for (const note of notes) evidence.push({ line: fn.line, reason: note });
  return { verdict, recommendation, confidence, evidence };
}

/** An `unknown` verdict says the analysis cannot tell: it is never the measured answer. */
const UNKNOWN_CONFIDENCE = 0.25;

/** The cost's lines for the parts the verdict rests on first, then the others, each group largest seconds first. */
function evidenceFor(verdict: Verdict, costEvidence: readonly CostEvidence[]): Evidence[] {
  const parts = PARTS_OF_VERDICT[verdict] ?? COST_PARTS;
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  const take = (e: CostEvidence): void => {
    if (evidence.length >= MAX_EVIDENCE) return;
    const key = `${e.line}\0${e.text}`;
    if (seen.has(key)) return;
    seen.add(key);
    evidence.push({ line: e.line, reason: e.text });
  };
  for (const e of costEvidence) if (parts.includes(e.part)) take(e);
  for (const e of costEvidence) if (!parts.includes(e.part)) take(e);
  return evidence;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** How many times the body of each of a function's loops runs per call (its count times its enclosing loops'). */
class LoopRuns {
  private readonly memo: Range[] = [];
  private readonly counts: Range[] = [];
  private readonly notes: string[] = [];

  constructor(
    private readonly fn: FunctionFacts,
    private readonly sizeOf: (count: SizeExpr) => Size | undefined,
    private readonly assumed: Assumption[],
    private readonly library: boolean,
  ) {}

  /** Runs of the body of loop `index` (undefined: code outside loops, once). Iterative up the enclosing loops. */
  of(index: number | undefined): Range {
    if (index === undefined) return { low: 1, likely: 1, high: 1 };
    const known = this.memo[index];
    if (known) return known;
    let runs: Range = { low: 1, likely: 1, high: 1 };
    for (let at: number | undefined = index, guard = 0; at !== undefined && guard < this.fn.loops.length; guard++) {
      const loop: LoopFact | undefined = this.fn.loops[at];
      if (!loop) break;
      runs = scaleRange(runs, this.count(at));
      at = loop.parent;
    }
    this.memo[index] = runs;
    return runs;
  }

  /** `: ~100 items assumed` or ` (5,000 items)`, for the loop's evidence. */
  described(index: number): string {
    this.count(index);
    return this.notes[index] ?? '';
  }

  private count(index: number): Range {
    const counted = this.counts[index];
    if (counted) return counted;
    const range = this.countOf(index);
    this.counts[index] = range;
    return range;
  }

  private countOf(index: number): Range {
    const loop = this.fn.loops[index] as LoopFact;
    const size = loop.count && this.sizeOf(loop.count);
    if (size && size.kind !== 'int') {
      const items = itemsIn(size) as number;
      if (size.assumed && this.notes[index] === undefined) {
        // A count the kind of value bounds (a key lookup's rows): assumed, and small, so the verdict is not judged at a larger one.
        this.notes[index] = `, ${size.assumed}`;
        this.assumed.push({ line: loop.line, what: size.assumed, small: true });
      }
      this.notes[index] ??= ` (${formatCount(items)} ${size.kind === 'bytes' ? 'characters' : 'items'})`;
      return { low: items, likely: items, high: items };
    }
    if (loop.stepping) {
      // A search that steps a value until its condition holds: assumed, and small (not judged at a larger count).
      const what = `~${formatCount(ASSUMED_STEPS.likely)} steps assumed (a value stepped until the condition holds)`;
      if (this.notes[index] === undefined) {
        this.notes[index] = `, ${what}`;
        this.assumed.push({ line: loop.line, what, small: true });
      }
      return ASSUMED_STEPS;
    }
    const assumed = this.library ? (loop.parent === undefined ? ASSUMED_INNER_LOOP : ASSUMED_LIBRARY_NESTED_LOOP) : loop.parent === undefined ? ASSUMED_LOOP : ASSUMED_INNER_LOOP;
    if (this.notes[index] === undefined) {
      this.notes[index] = `, ~${formatCount(assumed.likely)} items assumed`;
      this.assumed.push({ line: loop.line, what: `~${formatCount(assumed.likely)} items assumed` });
    }
    return assumed;
  }
}

/**
 * A module-level collection of known length: its items, the bytes of the parent's memory a loop over it reads (each
 * item's objects), and how evidence names it. Undefined for anything else (bytes and arrays are buffers: their contents are not objects).
 */
function moduleData(name: string, module: FunctionFacts): { items: number; bytes: number; data: string } | undefined {
  const size = evaluateSize({ name }, { module: module.sizes });
  return size?.kind === 'items' && size.value > 0 ? { items: size.value, bytes: size.value * itemBytes(size.each), data: `${name} (${formatCount(size.value)} items of the module)` } : undefined;
}

/** The module data a name read in `fn` holds (`moduleData`), unless `fn` binds that name itself. */
function moduleDataReadIn(name: string, fn: FunctionFacts, module: FunctionFacts): ReturnType<typeof moduleData> {
  return own(fn.locals, name) === undefined ? moduleData(name, module) : undefined;
}

/**
 * A frame the parent built before a pool forks (a memoized function's, `frame = _fleet_scada()`; a module's,
 * `PLATE_READS`): the parent's memory a task computing over it touches, FRAME_VALUE_BYTES a value; undefined for
 * anything else.
 */
function parentFrame(size: Size | undefined, what: string): { bytes: number; data: string } | undefined {
  if (!size?.frame || !(size.value > 0)) return undefined;
  const columns = size.each?.kind === 'items' ? size.each.value : 1;
  return { bytes: size.value * columns * FRAME_VALUE_BYTES, data: `${what} (${formatCount(size.value)} rows × ${columns} columns)` };
}

/** The module's frame the chain a pandas call is made on starts from (`PLATE_READS[…].groupby`, or a local bound to it: `reads = PLATE_READS`). */
function moduleFrameReadIn(chain: string, fn: FunctionFacts, moduleSize: (name: string) => Size | undefined): { bytes: number; data: string } | undefined {
  const root = /^[A-Za-z_]\w*/.exec(chain)?.[0];
  if (root === undefined || fn.params.includes(root)) return undefined;
  const local = (name: string): boolean => own(fn.locals, name) !== undefined || own(fn.sizes ?? {}, name) !== undefined;
  const sized = own(fn.sizes ?? {}, root);
  const alias = sized !== undefined && 'name' in sized ? sized.name : own(fn.locals, root);
  const name = !local(root) ? root : alias !== undefined && /^[A-Za-z_]\w*$/.test(alias) && !local(alias) ? alias : undefined;
  if (name === undefined) return undefined;
  return parentFrame(moduleSize(name), `the module's frame ${name}`);
}

/**
 * Bytes of the parent's memory reading one item writes: a record of a few fields (a dict or tuple literal) is its
 * own object and its fields'; a str or bytes item, its bytes, up to the one page its reference count is on
 * (a large one is allocated apart). A longer item is a sequence a task need not read whole: its own object.
 */
function itemBytes(each: Size | undefined): number {
  if (each?.kind === 'bytes') return Math.min(PAGE_BYTES, OBJECT_BYTES + Math.max(0, each.value - OBJECT_TEXT_BYTES));
  if (each?.kind === 'items' && each.value <= RECORD_FIELDS) return OBJECT_BYTES + each.value * FIELD_BYTES;
  return OBJECT_BYTES;
}

