import { isBuiltin } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Deadline } from '../budget';
import { summarizeInCallOrder, type CallOrderSummaries } from '../callOrder';
import { machineCalibration, type Constants } from '../cost/calibration';
import { confidenceOf, forecast, formatCount, MAX_ASSUMED_GROWTH, PREDICTED_TASKS, predictionNote, type Assumption, type Forecast } from '../cost/forecast';
import { addChildCpu, addInto, finishEvidence, repeat, scale, scaleRange, total, zeroCost, type Cost, type CostPart, type Range } from '../cost/model';
import { addWorkerFills, withPoolOverlap, workerFillSeconds, type Policy, type WorkerFill, type Workload } from '../cost/predict';
import { ASSUMED_INNER_LOOP, ASSUMED_LOOP, ASSUMED_RECURSION, KNOWN_SPREAD, PRIOR_SPREAD, UNKNOWN_CALL_SECONDS, UNKNOWN_SPREAD, UNKNOWN_WORK } from '../cost/priors';
import { DUCK_METHODS, ITERATING_METHODS, lookupNodeApi, MADE_FILE_READ, MAIN_THREAD_ONLY, nodeDefaultSeconds, RESPONSE_METHODS, SCANNING_METHODS, TEXT_METHODS, WHOLE_FILE_READS, type CallSizes, type NodeApiEntry, type NodeApiKind } from '../knowledge/node';
import type { Evidence, FunctionReport, PredictedResult, Recommendation, Verdict } from '../model';
import { own } from '../own';
import type { Built, TsCallFact, TsFunctionFacts, TsLoopFact } from './facts';
import { LIBUV_THREADS, NODE_CONFIDENCE, NODE_MODE, NODE_SCRIPT_CONFIDENCE, nodeLabelOf, nodePolicy, TASK_MESSAGE_BYTES } from './nodePolicy';
import type { ScriptEntry, ScriptProgram } from './program';
import { ScriptResolver, type Sym } from './resolve';

/** The kinds of work a function's evidence names: CPU on the calling thread, synchronous waits (the event
 *  loop stops), awaited waits (it runs on), and calls of unknown kind. */
export type WorkKind = 'cpu' | 'io' | 'asyncIo' | 'unknown';

/** The calls from a line down to an API (or a CPU-heavy function), and why that one matters. */
export interface CallPath {
  calls: string[];
  why: string;
  /** The last call is a function of the workspace (CPU-bound as a whole), not an API. */
  cpuBoundFunction?: true;
  /** For sync waits: the async API to use instead. */
  instead?: string;
}

export interface Contribution {
  line: number;
  reason: string;
  kind: WorkKind;
  /** Likely seconds this line adds per call of the function. */
  seconds: number;
  /** Recognized by a method name alone (the receiver's type is unknown). */
  guessed?: true;
  /** Folded in from an async function it calls: that function's own report names its calls. */
  fromAsync?: true;
  /** A synchronous wait: the calls from this line to it. */
  blocking?: CallPath;
  /** CPU work heavy enough to stall a server (a key derivation, compression, a CPU-bound function). */
  heavy?: CallPath;
  /** A loop of the function's own, or a callback it runs once per element. */
  loop?: true;
}

/** A call known to block the event loop: a sync wait that is neither a name guess nor inside an async callee. */
export function knownToBlock(c: Pick<Contribution, 'kind' | 'guessed' | 'fromAsync'>): boolean {
  return c.kind === 'io' && !c.guessed && !c.fromAsync;
}

type Marks = Pick<Contribution, 'guessed' | 'fromAsync' | 'blocking' | 'heavy' | 'loop'>;
/** Seconds per call of one part of the cost (`awaited`: a wait the event loop overlaps). */
interface Piece {
  part: CostPart;
  seconds: Range;
  awaited?: boolean;
}
/** Adds a piece of work: its seconds (folded into the summary's cost) and the evidence line naming it. */
type Add = (kind: WorkKind, line: number, reason: string, piece: Piece, marks?: Marks) => void;

/** `likely` seconds (off by up to `spread` either way) done `times` times. */
function piece(part: CostPart, likely: number, spread: number, times: Range, awaited = false): Piece {
  return { part, seconds: { low: (likely / spread) * times.low, likely: likely * times.likely, high: likely * spread * times.high }, awaited };
}

/** Adds a piece into a cost in place (no objects made but its evidence line). */
function addPiece(cost: Cost, { part, seconds, awaited }: Piece, line: number, text: string): void {
  const into = cost[part];
  into.low += seconds.low;
  into.likely += seconds.likely;
  into.high += seconds.high;
  if (awaited && part === 'wait') {
    cost.awaited.low += seconds.low;
    cost.awaited.likely += seconds.likely;
    cost.awaited.high += seconds.high;
  }
  if (seconds.likely <= 0) return;
  cost.evidence.push({ line, text, part, seconds: seconds.likely });
  if (cost.evidence.length > 4 * MAX_CONTRIBUTIONS) finishEvidence(cost);
}

export interface Summary {
  /** Seconds per call: `gil` is CPU on the calling thread (the event loop), `wait` the waits, `awaited` those the event loop overlaps. */
  cost: Cost;
  /** Likely seconds per call of each kind of work. */
  seconds: Record<WorkKind, number>;
  /** The part of `cost.gil` that is calls of unknown kind (a prior). */
  unknown: Range;
  /** Largest first. */
  contributions: Contribution[];
  /** Sizes the cost assumed because the code does not tell them. */
  assumed: Assumption[];
  /** Loops over data: its own, its callbacks run per element, and one per callee that loops. */
  loops: number;
  recursive: boolean;
  guessed: boolean;
  /** Seconds of sync waits known to block, here or in the plain functions it calls. */
  knownBlocking: number;
  /** A call into a package the knowledge base does not know (library source is not followed). */
  unresolved: boolean;
  /** Line of a `process.chdir` & co, which worker threads cannot do. */
  mainThreadOnly?: { line: number; call: string };
  /** Likely seconds per call of CPU in libuv's thread pool that the call awaits (part of `cost.awaited`). */
  poolSeconds: number;
  /** Likely seconds per call of waits in libuv's thread pool that the call awaits (file system calls: part of `cost.awaited`). */
  poolWaitSeconds: number;
  /** How many of those pieces one call runs at once (a callback per element handed to `Promise.all`): 1 when one after the other. */
  poolWidth: number;
  /**
   * Likely seconds per call of the calling thread's CPU in calls the knowledge base marks heavy (a key derivation, a
   * compression, a whole file read): native work, apart from the JavaScript whose pools lose where they begin to pay.
   */
  heavySeconds: number;
  /**
   * Seconds of the first call of each memoized function it calls that answers from its cache after that (here or in its
   * callees): the warm-up builds the cache on the calling thread, every new worker builds its own on its first task.
   */
  firstCallFills: WorkerFill<TsFunctionFacts>[];
}

/** Methods named like a fetch Response's body readers: recognized by name only when awaited. */
const BODY_READERS = new Set(['json', 'text', 'arrayBuffer']);
/** String, array and date methods: they return a value, never a promise, even where a result is awaited (`return text.trim()` in an async function). */
const VALUE_METHODS = new Set([
  'trim', 'toLowerCase', 'toUpperCase', 'split', 'join', 'slice', 'concat', 'padStart', 'padEnd', 'repeat', 'replace', 'replaceAll',
  'toString', 'toFixed', 'substring', 'substr', 'charAt', 'startsWith', 'endsWith', 'includes', 'indexOf', 'lastIndexOf',
  'normalize', 'localeCompare', 'at', 'flat', 'reverse', 'toISOString', 'getTime', 'valueOf',
]);
/** The form of a known API a call takes: with a callback written in place, as a stage of a stream of known bytes, given text to parse. */
function formOf(api: NodeApiEntry, call: TsCallFact): NodeApiEntry {
  if (api.withCallback && call.callbacks?.length) return api.withCallback;
  if (api.streamed && call.streamedBytes !== undefined) return api.streamed;
  if (api.ofText && call.textArg) return api.ofText;
  return api;
}
/** What the code tells of a call, as a cost function of the knowledge base reads it. */
function callSizesOf(call: TsCallFact, inputDrawn = false): CallSizes {
  return {
    args: call.argSizes ?? [],
    ...(inputDrawn && { inputDrawn: true }),
    ...(call.stringArg !== undefined && { program: call.stringArg }),
    ...(call.inputSize !== undefined && { inputBytes: call.inputSize }),
    ...(call.level !== undefined && { level: call.level }),
    ...(call.rsaBits !== undefined && { rsaBits: call.rsaBits }),
    ...(call.streamedBytes !== undefined && { streamedBytes: call.streamedBytes }),
  };
}
const AWAITED_UNKNOWN: NodeApiEntry = { kind: 'async-wait', why: 'awaited: a promise, the event loop runs while it waits' };
const PART_OF_KIND: Record<NodeApiKind, CostPart> = { 'sync-wait': 'wait', 'async-wait': 'wait', cpu: 'gil', cheap: 'gil' };
const WORK_OF_KIND: Record<NodeApiKind, WorkKind> = { 'sync-wait': 'io', 'async-wait': 'asyncIo', cpu: 'cpu', cheap: 'cpu' };
/** A function whose calls of unknown kind outweigh its known work, and add up to more than one such call, is `unknown`. */
const UNKNOWN_VERDICT_SECONDS = 2 * UNKNOWN_CALL_SECONDS;
/** An indexed load (`a[i]`, bounds-checked, on an array of any element kind): a prior, the calibration does not measure it. */
const ELEMENT_ACCESS_SECONDS = 1e-9;
/** A callee without loops, recursion or waits below this (a few built-in calls) is reported as doing little work. */
const LITTLE_WORK_SECONDS = 1e-5;
/**
 * Event-loop CPU per call from which work in a request handler or an async function is heavy (CL101):
 * 10 ms holds every other request for as long (a server doing it per request serves at most ~100 of
 * them a second per process, and 10 ms is already a large share of a typical API's latency budget).
 * Judged at the likely sizes, or at the upper end of the sizes assumed when the code does not tell
 * them (a loop over data of unknown length may be long; nested ones multiply).
 */
export const HEAVY_EVENT_LOOP_SECONDS = 0.01;
/** A package a module imports, loaded in each new worker: its own modules compiled and run (a prior; packages are not read). */
const PACKAGE_LOAD_SECONDS = 0.01;
/** Workspace modules followed through imports when pricing a module's load (bounded work per module). */
const MAX_LOADED_MODULES = 200;
/** Wrappers followed to the function that makes a file (`journal()` returning `writtenOnce(…)`: one). */
const MAX_WRAPPERS = 3;
/** Built-in functions and methods that return a new string (`String(n)`, `.padStart`, `.toFixed`). */
const STRING_RESULTS = new Set(['String', 'padStart', 'padEnd', 'toFixed', 'toString', 'toLowerCase', 'toUpperCase', 'trim', 'slice', 'substring', 'replace', 'replaceAll', 'concat', 'toISOString']);
/** A worker's module load from which the evidence says what it costs. */
const NOTED_MODULE_LOAD_SECONDS = 0.02;
const MAX_CONTRIBUTIONS = 12;
const MAX_EVIDENCE = 6;
const MAX_ASSUMPTIONS = 4;

const VERB: Record<WorkKind, string> = {
  cpu: 'runs CPU work on the calling thread',
  io: 'waits synchronously (the event loop stops)',
  asyncIo: 'waits on I/O without blocking the event loop',
  unknown: 'does work of unknown kind',
};

const LOOP_NAME: Record<string, string> = {
  for: 'for loop',
  'for-of': 'for…of loop',
  'for-in': 'for…in loop',
  'for-await': 'for await loop',
  while: 'while loop',
  do: 'do…while loop',
};

const ONCE: Readonly<Range> = Object.freeze({ low: 1, likely: 1, high: 1 });

/** A summary with nothing in it yet: what a function's own facts and its callees add to. */
function emptySummary(): Summary {
  return {
    cost: zeroCost(),
    seconds: { cpu: 0, io: 0, asyncIo: 0, unknown: 0 },
    unknown: { low: 0, likely: 0, high: 0 },
    contributions: [],
    assumed: [],
    loops: 0,
    recursive: false,
    guessed: false,
    knownBlocking: 0,
    unresolved: false,
    poolSeconds: 0,
    poolWaitSeconds: 0,
    poolWidth: 1,
    heavySeconds: 0,
    firstCallFills: [],
  };
}

/** The work of several functions done one after the other (a worker script's message handlers). */
export function mergeSummaries(summaries: readonly Summary[]): Summary {
  const merged = emptySummary();
  for (const s of summaries) {
    addInto(merged.cost, s.cost);
    for (const kind of WORK_KINDS) merged.seconds[kind] += s.seconds[kind];
    merged.unknown = addRanges(merged.unknown, s.unknown);
    merged.contributions.push(...s.contributions);
    merged.assumed.push(...s.assumed);
    merged.loops += s.loops;
    merged.recursive ||= s.recursive;
    merged.guessed ||= s.guessed;
    merged.unresolved ||= s.unresolved;
    merged.knownBlocking += s.knownBlocking;
    merged.poolSeconds += s.poolSeconds;
    merged.poolWaitSeconds += s.poolWaitSeconds;
    merged.poolWidth = Math.max(merged.poolWidth, s.poolWidth);
    merged.heavySeconds += s.heavySeconds;
    addWorkerFills(merged.firstCallFills, s.firstCallFills);
  }
  finishEvidence(merged.cost);
  merged.contributions.sort((a, b) => b.seconds - a.seconds);
  return merged;
}

const WORK_KINDS: readonly WorkKind[] = ['cpu', 'io', 'asyncIo', 'unknown'];

function addRanges(a: Range, b: Range): Range {
  return { low: a.low + b.low, likely: a.likely + b.likely, high: a.high + b.high };
}

/**
 * Event-loop CPU per call of at least HEAVY_EVENT_LOOP_SECONDS (calls of unknown kind not counted), at
 * the likely sizes or, when sizes were assumed, at the upper end of their range.
 */
export function heavyOnEventLoop(summary: Summary): boolean {
  const at = summary.assumed.some((a) => !a.small) ? 'high' : 'likely';
  return summary.cost.gil[at] - summary.unknown[at] >= HEAVY_EVENT_LOOP_SECONDS;
}

/** A chain as evidence shows it: `f(…).g`. */
export function showChain(chain: string): string {
  return chain.replace(/\(\)/g, '(…)').replace(/^""/, '"…"');
}

/** A function `summarize` is working on, or will. */
interface SummaryFrame {
  entry: ScriptEntry;
  fn: TsFunctionFacts;
}

/**
 * Folds facts into per-function summaries through the call graph (functions of the same file, of
 * other files through imports, and what the type checker resolved), with cycles treated as recursion.
 * Summaries are kept across edits while every function whose facts or summary they read is unchanged
 * (`summaryOf`), and dropped when what resolution reads changes (`ScriptProgram.shapeGeneration`). Function expressions passed to calls count for the function
 * around them as their `inline` mode says (once per element for `.map(cb)`). A summary's cost is in
 * seconds per call (src/core/cost/model.ts); the verdict is the cost model's prediction under Node's
 * policy (`nodePolicy`), labelled by the rule the TS/JS fixtures are measured by (`nodeLabelOf`).
 */
export class ScriptVerdictEngine {
  readonly resolver: ScriptResolver;
  private memo = new WeakMap<TsFunctionFacts, KeptSummary>();
  /** What the summary being computed reads: functions, with the summary of each it folded in. */
  private reads: Map<TsFunctionFacts, Summary | undefined> | undefined;
  /** Summaries of functions whose loops run over a parameter, for the sizes a caller's arguments tell (`fastqLane(20_000)`). */
  private specializedMemo = new Map<TsFunctionFacts, Map<string, Summary>>();
  /** Summaries of memoized functions' first calls (`firstCallSummary`). */
  private firstCallMemo = new Map<TsFunctionFacts, Summary>();
  private forecasts = new WeakMap<Summary, Forecast>();
  /** Forecasts with the function's module loaded in each worker (a report's), apart from the bare ones callers use. */
  private loadedForecasts = new WeakMap<Summary, Forecast>();
  private moduleLoads = new Map<ScriptEntry, ModuleLoad>();
  /** Top-level seconds per module (`topLevelSeconds`): entries are replaced when their file changes. */
  private readonly topLevels = new WeakMap<ScriptEntry, { checked: ScriptEntry['checked']; seconds: number }>();
  private readonly inProgress = new Set<TsFunctionFacts>();
  private readonly callOrder: CallOrderSummaries<SummaryFrame, Summary> = {
    inProgress: this.inProgress,
    memoized: (frame) => this.summaryOf(frame.fn),
    remember: (frame, summary) => this.memo.set(frame.fn, { summary, reads: this.computedReads, checked: this.program.generation }),
    compute: (frame, missing) => {
      const outer = this.reads;
      this.reads = new Map();
      try {
        return this.computeSummary(frame.entry, frame.fn, missing);
      } finally {
        this.computedReads = this.reads;
        this.reads = outer;
      }
    },
  };
  private computedReads: ReadonlyMap<TsFunctionFacts, Summary | undefined> = new Map();
  private memoGeneration = -1;
  private memoShape = -1;
  private readonly policy: Policy;

  constructor(
    private readonly program: ScriptProgram,
    private readonly constants: Constants = machineCalibration(),
    private readonly cores: number = os.availableParallelism(),
  ) {
    this.resolver = new ScriptResolver(program);
    this.policy = nodePolicy(constants, cores);
  }

  resolve(chain: string, entry: ScriptEntry, fn: TsFunctionFacts): Sym {
    return this.resolver.resolveCallee(chain, entry, fn);
  }

  reportFunction(entry: ScriptEntry, fn: TsFunctionFacts, deadline?: Deadline): FunctionReport {
    const summary = this.summarize(entry, fn, deadline);
    const load = this.moduleLoad(entry, deadline);
    const { verdict, recommendation, confidence, evidence, predicted } = decide(fn, summary, this.forecast(fn, summary, load.seconds), load);
    return { name: fn.name, qualname: fn.qualname, line: fn.line, endLine: fn.endLine, async: fn.async, verdict, recommendation, confidence, evidence, predicted };
  }

  /**
   * What a new worker (or child process) pays to load `entry` before its first task, as measure.js and
   * the Node harness make it, and as a pool of the user's does: the source of the module and of the
   * workspace modules it imports, compiled (per byte, TypeScript as the harness hands it over); the
   * core modules and packages they import; and their top-level code, which builds module-level data
   * again in every worker. Memoized per program generation; imports followed iteratively, bounded.
   */
  moduleLoad(entry: ScriptEntry, deadline?: Deadline): ModuleLoad {
    this.dropStaleMemos();
    const known = this.moduleLoads.get(entry);
    if (known) return known;
    const constants = this.constants;
    const builtins = new Set<string>();
    const packages = new Set<string>();
    const seen = new Set<ScriptEntry>([entry]);
    const queue = [entry];
    let seconds = 0;
    let topLevel: ModuleLoad['topLevel'];
    for (let at = 0; at < queue.length; at++) {
      const module = queue[at] as ScriptEntry;
      seconds += module.text.length * constants[module.language === 'typescript' ? 'node.module_load_ts_byte' : 'node.module_load_byte'];
      const cost = this.topLevelSeconds(module, deadline);
      seconds += cost;
      if (cost > 0 && (!topLevel || cost > topLevel.seconds)) topLevel = { file: module.file, seconds: cost };
      const specifiers = [...Object.values(module.facts.imports).map((imported) => imported.module), ...module.facts.reexports.map((reexport) => reexport.from)];
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
          const imported = this.program.resolveModule(module.file, specifier);
          if (imported && !seen.has(imported) && seen.size < MAX_LOADED_MODULES) {
            seen.add(imported);
            queue.push(imported);
          }
        } else if (isBuiltin(specifier)) builtins.add(specifier.replace(/^node:/, '').split('/')[0] as string);
        else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string));
      }
    }
    seconds += builtins.size * constants['node.builtin_import'] + packages.size * PACKAGE_LOAD_SECONDS;
    const load: ModuleLoad = { seconds, modules: queue.length, ...(topLevel && { topLevel }) };
    this.moduleLoads.set(entry, load);
    return load;
  }

  /**
   * Seconds of a module's top-level code. Kept while its file and the type checker's answers for it are
   * the same (an edit elsewhere does not summarize every imported module's top level again; what it
   * calls at load in other files rarely changes with an edit).
   */
  private topLevelSeconds(module: ScriptEntry, deadline?: Deadline): number {
    const kept = this.topLevels.get(module);
    if (kept && kept.checked === module.checked) return kept.seconds;
    const top = module.facts.functions[0];
    const seconds = top ? total(this.summarize(module, top, deadline).cost) : 0;
    this.topLevels.set(module, { checked: module.checked, seconds });
    return seconds;
  }

  /**
   * The cost model's prediction for PREDICTED_TASKS calls of a function with this summary on this
   * machine's cores (memoized per summary), each worker loading a module of `moduleLoad` seconds first.
   */
  forecast(fn: Pick<TsFunctionFacts, 'async'>, summary: Summary, moduleLoad = 0): Forecast {
    const memo = moduleLoad > 0 ? this.loadedForecasts : this.forecasts;
    let known = memo.get(summary);
    if (!known) {
      // A function that starts awaited waits can run many calls at once on the event loop (Promise.all).
      // libuv-pool work (zlib, crypto, fs) one call starts at once overlaps within the call, up to the cores and the pool's threads.
      const { cost, pooled } = withPoolOverlap(summary.cost, { cpu: summary.poolSeconds, wait: summary.poolWaitSeconds, width: summary.poolWidth }, this.cores, LIBUV_THREADS);
      const workload: Workload = {
        tasks: PREDICTED_TASKS,
        cores: this.cores,
        coroutine: fn.async || summary.seconds.asyncIo > 0,
        argumentBytes: TASK_MESSAGE_BYTES / 2,
        resultBytes: TASK_MESSAGE_BYTES / 2,
        ...(summary.firstCallFills.length > 0 && { workerFillSeconds: workerFillSeconds(summary.firstCallFills) }),
        ...pooled,
      };
      // Sizes may grow up to the upper end of the ranges assumed for them when that is wider than the usual bound (loops of unknown length nested in each other).
      const likely = total(cost);
      const growth = likely > 0 ? total(cost, 'high') / likely : 1;
      // The forecast scales the cost many times over (stability, break-even): without its evidence lines, which it does not read.
      const policy = moduleLoad > 0 ? nodePolicy(this.constants, this.cores, moduleLoad) : this.policy;
      known = forecast({ ...cost, evidence: [] }, summary.assumed, workload, policy, Math.max(MAX_ASSUMED_GROWTH, growth));
      memo.set(summary, known);
    }
    return known;
  }

  /** Turns a summary into a verdict, a Node recommendation, a confidence, evidence and the prediction behind them (workers loading no module of their own). */
  decide(fn: Pick<TsFunctionFacts, 'line' | 'async'>, summary: Summary): Decision {
    return decide(fn, summary, this.forecast(fn, summary));
  }

  /** The summary of `fn`, its callees' first, without recursion (`summarizeInCallOrder`). */
  summarize(entry: ScriptEntry, fn: TsFunctionFacts, deadline?: Deadline): Summary {
    this.dropStaleMemos();
    return summarizeInCallOrder({ entry, fn }, this.callOrder, deadline);
  }

  /** On a change of the program: summaries (and their forecasts) stay while its shape does (`summaryOf` checks each); module loads count the files' text. */
  private dropStaleMemos(): void {
    if (this.memoGeneration === this.program.generation) return;
    if (this.memoShape !== this.program.shapeGeneration) {
      this.memo = new WeakMap();
      this.forecasts = new WeakMap();
      this.memoShape = this.program.shapeGeneration;
    }
    this.specializedMemo = new Map();
    this.firstCallMemo = new Map();
    this.loadedForecasts = new WeakMap();
    this.moduleLoads = new Map();
    this.memoGeneration = this.program.generation;
  }

  /** `fn`'s summary if it is memoized and still valid, noted as read by the summary being computed. */
  private summaryOf(fn: TsFunctionFacts): Summary | undefined {
    const kept = this.memo.get(fn);
    const summary = kept && (kept.checked === this.program.generation || this.revalidate(fn)) ? kept.summary : undefined;
    this.noteRead(fn, summary);
    return summary;
  }

  private noteRead(fn: TsFunctionFacts, summary?: Summary): void {
    if (this.reads && (summary !== undefined || !this.reads.has(fn))) this.reads.set(fn, summary);
  }

  /**
   * After an edit, whether `start`'s summary still holds: the summaries it folded in, transitively, are checked together
   * (without recursion); one that read a function an edit replaced, or a summary that is no longer the valid one, is
   * dropped with every summary that folded it in. The others are valid for this generation.
   */
  private revalidate(start: TsFunctionFacts): boolean {
    const generation = this.program.generation;
    const unchecked = new Map<TsFunctionFacts, KeptSummary>();
    const stack = [start];
    while (stack.length > 0) {
      const fn = stack.pop() as TsFunctionFacts;
      const kept = this.memo.get(fn);
      if (!kept || kept.checked === generation || unchecked.has(fn)) continue;
      unchecked.set(fn, kept);
      for (const read of kept.reads.keys()) stack.push(read);
    }
    const invalid = new Set<TsFunctionFacts>();
    const stale = (fn: TsFunctionFacts, kept: KeptSummary): boolean => {
      if (!this.program.isCurrent(fn)) return true;
      for (const [read, summary] of kept.reads) {
        if (!this.program.isCurrent(read) || invalid.has(read)) return true;
        if (summary !== undefined && this.memo.get(read)?.summary !== summary) return true;
      }
      return false;
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const [fn, kept] of unchecked) {
        if (invalid.has(fn) || !stale(fn, kept)) continue;
        invalid.add(fn);
        changed = true;
      }
    }
    for (const [fn, kept] of unchecked) {
      if (invalid.has(fn)) this.memo.delete(fn);
      else kept.checked = generation;
    }
    return !invalid.has(start);
  }

  /** `fn`'s summary from its callees' memoized summaries; callees not summarized yet are added to `missing` instead (the result is then incomplete). */
  private computeSummary(entry: ScriptEntry, fn: TsFunctionFacts, missing: SummaryFrame[], argSizes?: readonly (number | null)[], firstCall = false): Summary {
    const summary = emptySummary();
    const add = adder(summary);
    const runs = new LoopRuns(fn, summary.assumed, argSizes);
    // Values built while a module loads, or on a cache's first call, are kept (module-level data): priced as built in a fresh worker.
    const atLoad = firstCall || runsAtLoad(entry, fn);
    summary.loops += fn.loops.length;
    fn.loops.forEach((loop, index) => {
      // Work that sets a module's variable when still unset runs on a first call; the steady state a pool runs skips it.
      if (loop.once && !firstCall) return;
      const what = LOOP_NAME[loop.kind] ?? 'loop';
      const iterations = runs.of(index);
      if (loop.kind === 'for-await') {
        const reason = `${what}: awaits each item of an async iterable (a stream, a cursor)`;
        add('asyncIo', loop.line, reason, piece('wait', nodeDefaultSeconds(AWAITED_UNKNOWN, this.constants), PRIOR_SPREAD, iterations, true));
      }
      const making = loop.built ? `, making ${describeBuilt(loop.built)} an item` : '';
      const reason = `${what}: runs JavaScript on the calling thread${runs.described(index)}${making}`;
      // The calibrated loop is a counter and two arithmetic operations; each operation of the body counts as much again,
      // a `%` beyond int32 as V8's fmod.
      const perIteration =
        this.constants['node.loop_iteration'] * (1 + loop.arithmetic) +
        ELEMENT_ACCESS_SECONDS * loop.accesses +
        this.constants['node.modulo'] * (loop.wideModulo ?? 0) +
        this.constants['node.string_append'] * (loop.appends ?? 0) +
        this.builtSeconds(loop.built, atLoad);
      add('cpu', loop.line, reason, piece('gil', perIteration, KNOWN_SPREAD, iterations), { loop: true });
    });
    // Outside loops, values made once a call cost little (an options object); a per-item callback makes them per element.
    if (fn.built && (atLoad || fn.inline === 'per-item')) {
      const built = this.builtSeconds(fn.built, atLoad);
      const what = atLoad ? 'builds module data at load' : 'makes values';
      if (built > 0) add('cpu', fn.line, `${what}: ${describeBuilt(fn.built)}`, piece('gil', built, KNOWN_SPREAD, ONCE));
    }
    for (const call of fn.calls) if (!call.once || firstCall) this.addCall(entry, fn, call, summary, add, missing, runs);

    // Function expressions passed to calls: their work is this function's, once or per element; handed to a helper
    // that answers from its cache, once per process (on the first call), not per call.
    const madeOnce = this.callbacksMadeOnce(entry, fn);
    for (const child of entry.inlined.get(fn.id) ?? []) if (!madeOnce.has(child.id)) this.addInline(entry, child, summary, add, missing, runs);

    // Sizes that decide the verdict (loops, waits) before those taken to be small.
    summary.assumed.sort((a, b) => Number(a.small ?? false) - Number(b.small ?? false));
    summary.assumed.length = Math.min(summary.assumed.length, MAX_ASSUMPTIONS);
    finishEvidence(summary.cost);
    summary.contributions.sort((a, b) => b.seconds - a.seconds);
    summary.contributions.length = Math.min(summary.contributions.length, MAX_CONTRIBUTIONS);
    return summary;
  }

  /**
   * `target`'s summary with the sizes `argSizes` tells for the parameters its loops run over; undefined when they
   * tell none. Its callees are memoized already (the plain summary of `target` needed them).
   */
  private specialized(entry: ScriptEntry, target: TsFunctionFacts, argSizes: readonly (number | null)[] | undefined): Summary | undefined {
    const told = (param: number | undefined): boolean => param !== undefined && typeof argSizes?.[param] === 'number';
    if (!argSizes || !(target.callbacksOverParams?.some(told) || target.loops.some((loop) => told(loop.countParam)))) return undefined;
    const key = argSizes.join(',');
    const known = this.specializedMemo.get(target)?.get(key);
    if (known) return known;
    const missing: SummaryFrame[] = [];
    const summary = this.computeSummary(entry, target, missing, argSizes);
    if (missing.length > 0) return undefined;
    const bySizes = this.specializedMemo.get(target) ?? new Map<string, Summary>();
    this.specializedMemo.set(target, bySizes.set(key, summary));
    return summary;
  }

  /**
   * Seconds of building these values: at a module's load (kept module data, in a fresh worker's heap), or in a call's code
   * (a loop's lines or records, kept until joined or returned: loop_body_study.mjs).
   */
  private builtSeconds(built: Built | undefined, atLoad: boolean): number {
    if (!built) return 0;
    return atLoad
      ? built.parts * this.constants['node.load_string_part'] + built.objects * this.constants['node.load_object']
      : built.parts * this.constants['node.string_part'] + built.objects * this.constants['node.loop_object'];
  }

  private addInline(entry: ScriptEntry, child: TsFunctionFacts, summary: Summary, add: Add, missing: SummaryFrame[], runs: LoopRuns): void {
    const perItem = child.inline === 'per-item';
    const around = runs.of(child.inlineLoop);
    const calls = perItem ? scaleRange(around, runs.items(child.inlineCount ?? runs.told(child.inlineCountParam), child.line, child.inlineLoop !== undefined)) : around;
    if (perItem) {
      summary.loops++;
      const reason = 'callback run once per element: a loop over the data';
      add('cpu', child.line, reason, piece('gil', this.constants['node.function_call'], KNOWN_SPREAD, calls), { loop: true });
    }
    this.noteRead(child);
    if (this.inProgress.has(child)) return;
    const inner = this.summaryOf(child);
    if (!inner) {
      missing.push({ entry, fn: child });
      return;
    }
    summary.guessed ||= inner.guessed;
    summary.unresolved ||= inner.unresolved;
    summary.recursive ||= inner.recursive;
    summary.loops += inner.loops;
    summary.mainThreadOnly ??= inner.mainThreadOnly;
    summary.assumed.push(...inner.assumed);
    // The callback is written here: its contributions keep their own lines and reasons.
    const repeated = calls.likely !== 1 || calls.high !== 1;
    fold(summary, inner, calls);
    if (perItem) widenPool(summary, inner, calls.likely / Math.max(1, around.likely));
    for (const c of inner.contributions) {
      const reason = repeated && !c.reason.includes('(in a loop)') && !c.reason.includes('(per element)') ? `${c.reason} (per element)` : c.reason;
      note(summary, { ...c, reason, seconds: c.seconds * calls.likely });
    }
  }

  /**
   * A call, resolved per binding of its callee's name that reaches it (`calleeBindings`): each binding
   * counts for its share, and a call is known to block (or to be heavy) only when every binding would be.
   */
  private addCall(entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact, summary: Summary, add: Add, missing: SummaryFrame[], runs: LoopRuns): void {
    const bindings = call.calleeBindings;
    if (!bindings) return this.addCallTo(call.callee, entry, fn, call, summary, add, missing, runs);
    const [only] = bindings;
    if (bindings.length === 1 && only !== undefined) return this.addCallTo(only, entry, fn, call, summary, add, missing, runs);
    // Each binding's work apart, then its share of it.
    const parts = bindings.map((chain) => {
      const part = emptySummary();
      this.addCallTo(chain, entry, fn, call, part, adder(part), missing, runs);
      return part;
    });
    const everyBlocks = parts.every((part) => part.contributions.some((c) => c.blocking !== undefined && knownToBlock(c)));
    const everyHeavy = parts.every((part) => part.contributions.some((c) => c.kind === 'cpu' && c.heavy !== undefined && !c.fromAsync));
    const share = 1 / parts.length;
    for (const part of parts) {
      addInto(summary.cost, scale(part.cost, share));
      for (const kind of WORK_KINDS) summary.seconds[kind] += part.seconds[kind] * share;
      summary.unknown = addRanges(summary.unknown, scaleRange(part.unknown, { low: share, likely: share, high: share }));
      summary.assumed.push(...part.assumed);
      summary.loops += part.loops;
      summary.recursive ||= part.recursive;
      summary.guessed ||= part.guessed;
      summary.unresolved ||= part.unresolved;
      addWorkerFills(summary.firstCallFills, part.firstCallFills);
      summary.mainThreadOnly ??= part.mainThreadOnly;
      summary.poolSeconds += part.poolSeconds * share;
      summary.poolWaitSeconds += part.poolWaitSeconds * share;
      summary.poolWidth = Math.max(summary.poolWidth, part.poolWidth);
      summary.heavySeconds += part.heavySeconds * share;
      for (const c of part.contributions) {
        const { blocking, heavy, ...rest } = c;
        const kept: Contribution = { ...rest, seconds: c.seconds * share, ...(everyBlocks && blocking && { blocking }), ...(everyHeavy && heavy && { heavy }) };
        // A wait that only some bindings make is not known to block.
        if (c.kind === 'io' && !everyBlocks) kept.guessed = true;
        if (knownToBlock(kept)) summary.knownBlocking += kept.seconds;
        note(summary, kept);
      }
    }
  }

  /**
   * `target`'s first call, the work its cache skips afterwards included; undefined (its callees added to `missing`)
   * until they are summarized.
   */
  private firstCallSummary(entry: ScriptEntry, target: TsFunctionFacts, missing: SummaryFrame[]): Summary | undefined {
    const known = this.firstCallMemo.get(target);
    if (known) return known;
    const pending: SummaryFrame[] = [];
    const summary = this.computeSummary(entry, target, pending, undefined, true);
    if (pending.length > 0) {
      missing.push(...pending);
      return undefined;
    }
    this.firstCallMemo.set(target, summary);
    return summary;
  }

  /**
   * A call of a memoized `target` that answers from its cache after the first call: its arguments are constants (literals,
   * callbacks written in place) or the same few values call after call (`i % 3`, an index over a fixed count: the first calls
   * fill the cache, a keyed one builds once per distinct key), or the cache is a file, which outlives the process (a later
   * call, or a worker, finds the file of each name the warm-up made).
   */
  private answersFromCache(target: TsFunctionFacts, call: TsCallFact): boolean {
    return target.memoized === true && (call.constantArgs === true || call.sameFewArgs === true || target.makesFile === true) && !this.inProgress.has(target);
  }

  /** The callbacks `fn` hands to helpers that answer from their cache (`studioFile('a.wav', () => build())`), by id. */
  private callbacksMadeOnce(entry: ScriptEntry, fn: TsFunctionFacts): ReadonlySet<number> {
    const ids = new Set<number>();
    for (const call of fn.calls) {
      if (!call.callbacks) continue;
      const cached = (call.calleeBindings ?? [call.callee]).every((chain) => {
        const target = this.resolver.targetOf(this.resolver.resolveCallee(chain, entry, fn));
        return target !== undefined && this.answersFromCache(target.fn, call);
      });
      if (cached) for (const id of call.callbacks) ids.add(id);
    }
    return ids;
  }

  /** A child process's input is made by a function that draws its words or digits at random (`TsFunctionFacts.drawsAtRandom`). */
  private inputDrawnAtRandom(call: TsCallFact, entry: ScriptEntry, fn: TsFunctionFacts): boolean {
    return (call.inputMakers ?? []).some((chain) => {
      const sym = this.resolver.resolveCallee(chain, entry, fn);
      return sym.kind === 'function' && this.resolver.targetOf(sym)?.fn.drawsAtRandom === true;
    });
  }

  /** The call's first argument is a call of a function that makes the file it returns (`readFileSync(snapshotFile())`). */
  private readsFileMadeHere(call: TsCallFact, entry: ScriptEntry, fn: TsFunctionFacts): boolean {
    return call.firstArgCall !== undefined && this.answersMadeFile(call.firstArgCall, entry, fn, MAX_WRAPPERS);
  }

  /** `chain` called in `fn` makes the file it returns, itself or through wrappers (`receiptsJournal()` returning `writtenOnce('journal.csv', build)`). */
  private answersMadeFile(chain: string, entry: ScriptEntry, fn: TsFunctionFacts, wrappers: number): boolean {
    const sym = this.resolver.resolveCallee(chain, entry, fn);
    const target = sym.kind === 'function' ? this.resolver.targetOf(sym) : undefined;
    if (!target) return false;
    if (target.fn.makesFile) return true;
    return target.fn.wraps !== undefined && wrappers > 0 && this.answersMadeFile(target.fn.wraps, target.entry, target.fn, wrappers - 1);
  }

  private addCallTo(chain: string, entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact, summary: Summary, add: Add, missing: SummaryFrame[], runs: LoopRuns): void {
    const calls = runs.of(call.loop);
    const inLoop = call.loopDepth > 0 ? ' (in a loop)' : '';
    const shown = showChain(chain);
    const sym = this.resolver.resolveCallee(chain, entry, fn);
    const method = sym.kind === 'unknown' ? sym.method : chain.slice(chain.lastIndexOf('.') + 1);
    // A string a module builds while it loads is kept or copied into its data (`String(n).padStart(6, '0')` in a template): priced as a template part.
    const buildsAtLoad = method !== undefined && STRING_RESULTS.has(method) && runsAtLoad(entry, fn);
    const cheapSeconds = buildsAtLoad ? this.constants['node.load_string_part'] : 2 * this.constants['node.function_call'];
    const cheap = (reason: string): void => add('cpu', call.line, reason, piece('gil', cheapSeconds, KNOWN_SPREAD, calls));
    const unknown = (reason: string): void => add('unknown', call.line, reason, piece('gil', UNKNOWN_CALL_SECONDS, UNKNOWN_SPREAD, calls));

    // Named functions handed to iterating methods (`items.map(parse)`) run per element; to others, once.
    if (call.argChains && method !== undefined) {
      const perItem = ITERATING_METHODS.has(method);
      for (const argChain of call.argChains) {
        const arg = this.resolver.resolveCallee(argChain, entry, fn);
        const target = arg.kind === 'function' ? this.resolver.targetOf(arg) : undefined;
        if (!target || target.fn === fn) continue;
        let argCalls = calls;
        if (perItem) {
          summary.loops++;
          argCalls = scaleRange(calls, runs.items(call.receiverSize, call.line, call.loop !== undefined));
          const reason = `${shown}(${showChain(argChain)}): calls it once per element`;
          add('cpu', call.line, reason, piece('gil', this.constants['node.function_call'], KNOWN_SPREAD, argCalls));
        }
        this.addCallee(entry, fn, target.entry, target.fn, call, showChain(argChain), perItem ? ' (per element)' : inLoop, argCalls, summary, add, missing);
        const callee = this.summaryOf(target.fn);
        if (perItem && callee) widenPool(summary, callee, argCalls.likely / Math.max(1, calls.likely));
      }
    }

    const applyApi = (api: NodeApiEntry, guessed: boolean, name: string): void => {
      const instead = api.kind === 'sync-wait' && api.instead ? ` (use ${api.instead})` : '';
      const given = typeof api.seconds === 'function' ? api.seconds(callSizesOf(call, this.inputDrawnAtRandom(call, entry, fn)), this.constants) : undefined;
      const reason = `${shown}${inLoop}: ${given?.why ?? api.why}${instead}`;
      const marks: Marks = {
        ...(guessed && { guessed: true }),
        ...(api.kind === 'sync-wait' && { blocking: { calls: [chain], why: api.why, ...(api.instead && { instead: api.instead }) } }),
        ...(api.heavy && { heavy: { calls: [chain], why: api.why } }),
      };
      const part = PART_OF_KIND[api.kind];
      const seconds = given?.seconds ?? (typeof api.seconds === 'number' ? api.seconds : api.kind === 'cheap' ? cheapSeconds : nodeDefaultSeconds(api, this.constants));
      // A size the code does not tell. A call on the calling thread priced by a prior alone (a signature, a checksum), or a
      // local file system call, is taken to be small; one priced per byte (hashing, parsing, compressing a buffer), heavy by
      // nature or a wait on something else (a child process, the network) is judged at a larger size.
      const what = given ? given.assumed : api.kind === 'cheap' ? undefined : UNKNOWN_WORK;
      if (what) summary.assumed.push({ line: call.line, what, ...(((!given && part === 'gil' && !api.heavy) || api.local) && { small: true }) });
      const spread = guessed ? UNKNOWN_SPREAD : given && !given.assumed ? KNOWN_SPREAD : PRIOR_SPREAD;
      const work = piece(part, seconds, spread, calls, api.kind === 'async-wait');
      add(WORK_OF_KIND[api.kind], call.line, reason, work, marks);
      if (api.heavy && api.kind === 'cpu') summary.heavySeconds += work.seconds.likely;
      if (given?.childCpu) addChildCpu(summary.cost, piece(part, given.childCpu, spread, calls).seconds);
      if (api.pool === 'cpu') summary.poolSeconds += seconds * calls.likely;
      else if (api.pool === 'wait') summary.poolWaitSeconds += seconds * calls.likely;
      if (guessed) summary.guessed = true;
      if (MAIN_THREAD_ONLY.has(name)) summary.mainThreadOnly ??= { line: call.line, call: name };
    };

    switch (sym.kind) {
      case 'external': {
        const known = lookupNodeApi(sym.name);
        const api = known && formOf(known, call);
        const textMethod = method === undefined ? undefined : own(TEXT_METHODS, method);
        if (MAIN_THREAD_ONLY.has(sym.name)) summary.mainThreadOnly ??= { line: call.line, call: sym.name };
        if (api && WHOLE_FILE_READS.has(sym.name) && this.readsFileMadeHere(call, entry, fn)) applyApi(MADE_FILE_READ, false, sym.name);
        else if (api) applyApi(api, false, sym.name);
        else if (textMethod) applyApi(textMethod, false, '');
        else if (method !== undefined && (ITERATING_METHODS.has(method) || SCANNING_METHODS.has(method))) {
          // A built-in method of a value (`"a,b".split`, `[].map`): a callback's loop is counted with the callback.
          cheap(`${shown}${inLoop}: a built-in method`);
        } else if (call.awaited) {
          applyApi(AWAITED_UNKNOWN, true, '');
        } else {
          summary.unresolved = true;
          unknown(`${shown}${inLoop}: ${sym.name} is not in the knowledge base (package source is not followed)`);
        }
        return;
      }
      case 'value':
      case 'unknown': {
        const name = method ?? '';
        if (call.callbacks?.length || call.argChains?.length) {
          if (ITERATING_METHODS.has(name)) return; // the callback's own entry counts the loop
        }
        if (call.awaited && !VALUE_METHODS.has(name)) {
          applyApi(AWAITED_UNKNOWN, true, '');
          return;
        }
        const text = name ? own(TEXT_METHODS, name) : undefined;
        if (text) {
          applyApi(text, false, '');
          return;
        }
        const duck = name ? own(DUCK_METHODS, name) : undefined;
        // `res.json(data)` in a handler sends a response; `await response.json()` reads one.
        if (duck && !(duck.kind === 'async-wait' && BODY_READERS.has(name) && !call.awaited)) applyApi(duck, true, '');
        else if (SCANNING_METHODS.has(name) || ITERATING_METHODS.has(name) || name === 'then' || name === 'catch' || name === 'finally' || name === 'on' || name === 'once') {
          cheap(`${shown}${inLoop}: a built-in method`);
        } else if (RESPONSE_METHODS.has(name)) {
          cheap(`${shown}${inLoop}: writes a response (queued for the socket)`);
        } else unknown(`${shown}${inLoop}: cannot tell what this calls`);
        return;
      }
      case 'module':
      case 'class':
      case 'instance':
      case 'function': {
        const target = this.resolver.targetOf(sym);
        if (!target) {
          cheap(`${shown}${inLoop}: creates a ${sym.kind === 'class' ? sym.cls.name : 'value'}`);
          return;
        }
        this.addCallee(entry, fn, target.entry, target.fn, call, shown, inLoop, calls, summary, add, missing);
        return;
      }
    }
  }

  private addCallee(callerEntry: ScriptEntry, caller: TsFunctionFacts, calleeEntry: ScriptEntry, target: TsFunctionFacts, call: TsCallFact, shown: string, inLoop: string, calls: Range, summary: Summary, add: Add, missing: SummaryFrame[]): void {
    const where = target.qualname;
    const callCost = (times: Range = calls): Piece => piece('gil', 2 * this.constants['node.function_call'], KNOWN_SPREAD, times);
    this.noteRead(target);
    if (this.answersFromCache(target, call)) {
      // A cache in a file outlives the process: a worker finds the file the warm-up made.
      if (!target.makesFile) {
        const first = this.firstCallSummary(calleeEntry, target, missing);
        if (!first) return;
        addWorkerFills(summary.firstCallFills, [...first.firstCallFills, { by: target, seconds: total(first.cost) }]);
      }
      const reason = `${shown}${inLoop}: ${where} is memoized (lazy initialization): after the first call it returns the cached value`;
      add('cpu', call.line, reason, callCost());
      return;
    }
    if (this.inProgress.has(target) && deferred(callerEntry, caller)) {
      // Called again from an event or promise callback: the stack has unwound, it is not recursion.
      const reason = `${shown}: runs ${where} again later, from a callback`;
      add('cpu', call.line, reason, callCost(ONCE));
      return;
    }
    if (this.inProgress.has(target)) {
      summary.recursive = true;
      const reason = `${shown}: recursive call (each level runs JavaScript on the calling thread)`;
      summary.assumed.push({ line: call.line, what: `~${formatCount(ASSUMED_RECURSION.likely)} recursive calls assumed` });
      add('cpu', call.line, reason, piece('gil', 10 * this.constants['node.function_call'], KNOWN_SPREAD, ASSUMED_RECURSION));
      return;
    }
    const memoized = this.summaryOf(target);
    if (!memoized) {
      missing.push({ entry: calleeEntry, fn: target });
      return;
    }
    const callee = this.specialized(calleeEntry, target, call.argSizes) ?? memoized;
    summary.guessed ||= callee.guessed;
    summary.unresolved ||= callee.unresolved;
    summary.mainThreadOnly ??= callee.mainThreadOnly && { line: call.line, call: callee.mainThreadOnly.call };
    summary.recursive ||= callee.recursive;
    if (callee.loops > 0) summary.loops++;
    summary.assumed.push(...callee.assumed.map((a) => ({ ...a, line: call.line, what: `${a.what} in ${where}` })));
    // The call itself (arguments, frame, return), whatever the callee does.
    const overhead = piece('gil', this.constants['node.function_call'], KNOWN_SPREAD, calls);
    addPiece(summary.cost, overhead, call.line, `${shown}${inLoop}: calls ${where}`);
    summary.seconds.cpu += overhead.seconds.likely;
    const waits = callee.seconds.io + callee.seconds.asyncIo;
    if (waits === 0 && callee.loops === 0 && !callee.recursive && total(callee.cost) < LITTLE_WORK_SECONDS) {
      fold(summary, callee, calls);
      note(summary, { line: call.line, reason: `${shown}${inLoop}: calls ${where}, which does little work`, kind: 'cpu', seconds: total(callee.cost) * calls.likely });
      return;
    }
    fold(summary, callee, calls);
    const calleeVerdict = verdictFrom(callee, this.forecast(target, callee));
    for (const kind of WORK_KINDS) {
      const seconds = callee.seconds[kind] * calls.likely;
      if (seconds <= 0) continue;
      const known = kind === 'io' ? callee.knownBlocking > 0 : true;
      const why = callee.contributions.find((c) => c.kind === kind && (kind !== 'io' || !known || knownToBlock(c)));
      const detail = why ? `, e.g. ${innermostExample(why.reason)}` : '';
      const marks: Marks = target.async ? { fromAsync: true } : known ? {} : { guessed: true };
      if (kind === 'io' && why?.blocking && !target.async) marks.blocking = { ...why.blocking, calls: [where, ...why.blocking.calls] };
      if (kind === 'io' && known && !target.async) summary.knownBlocking += seconds;
      if (kind === 'cpu') {
        const heavy = callee.contributions.find((c) => c.heavy);
        if (heavy?.heavy) marks.heavy = { ...heavy.heavy, calls: [where, ...heavy.heavy.calls] };
        else if (calleeVerdict === 'cpu' && heavyOnEventLoop(callee)) {
          const file = calleeEntry === callerEntry ? '' : `${path.basename(calleeEntry.file)} `;
          marks.heavy = { calls: [where], why: why ? `${file}line ${why.line}: ${why.reason}` : 'its loops run on the calling thread', cpuBoundFunction: true };
        }
      }
      note(summary, { line: call.line, reason: `${shown}${inLoop}: calls ${where}, which ${VERB[kind]}${kind === 'unknown' ? '' : detail}`, kind, seconds, ...marks });
    }
  }
}

const EXAMPLE = ', e.g. ';

/** The example at the end of a chain of callees' reasons (the API or loop that does the work): evidence stays one line, however deep the calls. */
function innermostExample(reason: string): string {
  const at = reason.lastIndexOf(EXAMPLE);
  return at < 0 ? reason : reason.slice(at + EXAMPLE.length);
}

/** The `add` of a summary: the cost into its cost, its likely seconds to the kind's, and an evidence line. */
function adder(summary: Summary): Add {
  return (kind, line, reason, work, marks) => {
    addPiece(summary.cost, work, line, reason);
    const seconds = work.seconds.likely;
    summary.seconds[kind] += seconds;
    if (kind === 'unknown') summary.unknown = addRanges(summary.unknown, work.seconds);
    if (knownToBlock({ kind, ...marks })) summary.knownBlocking += seconds;
    note(summary, { line, reason, kind, seconds, ...marks });
  };
}

/** Adds a callee's (or a callback's) cost and seconds, `calls` times, to `summary` (its evidence lines are the caller's to write). */
function fold(summary: Summary, inner: Summary, calls: Range): void {
  const cost = calls.low === 1 && calls.high === 1 ? inner.cost : repeat(inner.cost, calls);
  addInto(summary.cost, { ...cost, evidence: [] });
  for (const kind of WORK_KINDS) summary.seconds[kind] += inner.seconds[kind] * calls.likely;
  summary.unknown = addRanges(summary.unknown, scaleRange(inner.unknown, calls));
  summary.poolSeconds += inner.poolSeconds * calls.likely;
  summary.poolWaitSeconds += inner.poolWaitSeconds * calls.likely;
  summary.poolWidth = Math.max(summary.poolWidth, inner.poolWidth);
  summary.heavySeconds += inner.heavySeconds * calls.likely;
  addWorkerFills(summary.firstCallFills, inner.firstCallFills);
}

/** Pool work a callback (inline or named: `parts.map(gzip)`) starts once per element runs `elements` pieces at once. */
function widenPool(summary: Summary, callback: Summary, elements: number): void {
  if (callback.poolSeconds + callback.poolWaitSeconds > 0) summary.poolWidth = Math.max(summary.poolWidth, callback.poolWidth * elements);
}

/** Adds an evidence line (its seconds only order the evidence; the cost is added separately). */
function note(summary: Summary, contribution: Contribution): void {
  summary.contributions.push(contribution);
  if (summary.contributions.length > 4 * MAX_CONTRIBUTIONS) {
    summary.contributions.sort((a, b) => b.seconds - a.seconds);
    summary.contributions.length = MAX_CONTRIBUTIONS;
  }
}

/** A memoized summary with what it read (`ScriptVerdictEngine.summaryOf`), and the last generation it was found valid in. */
interface KeptSummary {
  summary: Summary;
  reads: ReadonlyMap<TsFunctionFacts, Summary | undefined>;
  checked: number;
}

/** What a new worker pays to load a module before its first task (`ScriptVerdictEngine.moduleLoad`). */
export interface ModuleLoad {
  seconds: number;
  /** Workspace modules loaded: the module and those it imports. */
  modules: number;
  /** The module whose top-level code costs the most. */
  topLevel?: { file: string; seconds: number };
}

/** `fn` runs when its module loads: the module's top-level code, or a callback run inline from it (`Array.from({ length }, cb)`). */
function runsAtLoad(entry: ScriptEntry, fn: TsFunctionFacts): boolean {
  for (let inner: TsFunctionFacts | undefined = fn; inner; inner = entry.facts.functions[inner.parent]) {
    if (inner.id === 0) return true;
    if (inner.reported || inner.inline === undefined || inner.inline === 'separate' || inner.inline === 'deferred') return false;
  }
  return false;
}

/** "each new worker loads this module first (~450 ms: …)". */
function moduleLoadNote(load: ModuleLoad, fill: number): string {
  const { seconds } = load;
  const modules = load.modules > 1 ? ` and the ${load.modules - 1} it imports` : '';
  const top = load.topLevel && load.topLevel.seconds >= seconds / 2 ? `, most of it the top-level code of ${path.basename(load.topLevel.file)} building its data` : '';
  const fills = fill > 0 ? `, then fills on that task the caches of the memoized functions it calls (~${Math.round(fill * 1000)} ms; the calling thread's are warm)` : '';
  return `each new worker loads this module${modules} before its first task (~${Math.round(seconds * 1000)} ms${top})${fills}: a pool pays it per worker`;
}

/** "2 template parts, 1 object". */
function describeBuilt(built: Built): string {
  const parts = [built.parts > 0 && `${built.parts} template part${built.parts === 1 ? '' : 's'}`, built.objects > 0 && `${built.objects} object${built.objects === 1 ? '' : 's'}`];
  return parts.filter(Boolean).join(', ');
}

/** A callback run later from the event loop, or a function written inside one. */
function deferred(entry: ScriptEntry, fn: TsFunctionFacts): boolean {
  for (let inner: TsFunctionFacts | undefined = fn; inner && !inner.reported && inner.inline !== undefined && inner.inline !== 'separate'; inner = entry.facts.functions[inner.parent]) {
    if (inner.inline === 'deferred') return true;
  }
  return false;
}

/** How many times the body of each of a function's loops runs per call (its count times its enclosing loops'), with the priors it had to assume. */
class LoopRuns {
  private readonly memo: Range[] = [];
  private readonly notes: string[] = [];

  constructor(
    private readonly fn: TsFunctionFacts,
    private readonly assumed: Assumption[],
    /** Sizes a caller's arguments tell, by parameter (loops over a parameter run that many times). */
    private readonly argSizes?: readonly (number | null)[],
  ) {}

  /** Runs of the body of loop `index` (undefined: code outside loops, once). Iterative up the enclosing loops. */
  of(index: number | undefined): Range {
    if (index === undefined) return ONCE;
    const known = this.memo[index];
    if (known) return known;
    let runs: Range = ONCE;
    for (let at: number | undefined = index, guard = 0; at !== undefined && guard < this.fn.loops.length; guard++) {
      const loop: TsLoopFact | undefined = this.fn.loops[at];
      if (!loop) break;
      runs = scaleRange(runs, this.items(loop.count ?? this.told(loop.countParam), loop.line, loop.parent !== undefined, at));
      at = loop.parent;
    }
    this.memo[index] = runs;
    return runs;
  }

  /** The size a caller's argument tells for parameter `param`, if any. */
  told(param: number | undefined): number | undefined {
    const size = param === undefined ? undefined : this.argSizes?.[param];
    return typeof size === 'number' ? size : undefined;
  }

  /** ` (5,000 items)` or `, ~100 items assumed`, for a loop's evidence. */
  described(index: number): string {
    this.of(index);
    return this.notes[index] ?? '';
  }

  /** The items a loop (or a per-element call) at `line` runs over: `count` when the code tells, else the prior (noted once). */
  items(count: number | undefined, line: number, inner: boolean, loopIndex?: number): Range {
    if (count !== undefined) {
      if (loopIndex !== undefined) this.notes[loopIndex] ??= ` (${formatCount(count)} items)`;
      return { low: count, likely: count, high: count };
    }
    const assumed = inner ? ASSUMED_INNER_LOOP : ASSUMED_LOOP;
    const what = `~${formatCount(assumed.likely)} items assumed`;
    if (loopIndex !== undefined) this.notes[loopIndex] ??= `, ${what}`;
    if (!this.assumed.some((a) => a.line === line && a.what === what)) this.assumed.push({ line, what });
    return assumed;
  }
}

interface Decision {
  verdict: Verdict;
  recommendation: Recommendation;
  confidence: number;
  evidence: Evidence[];
  predicted: PredictedResult;
}

/**
 * `unknown` when calls of unknown kind outweigh the known work; else the cost model's label (when no pool
 * pays only because of a size it had to assume, the label at the size where one would: its break-even is shown).
 */
function verdictFrom(summary: Summary, forecast: Forecast): Verdict {
  const known = summary.seconds.cpu + summary.seconds.io + summary.seconds.asyncIo;
  if (summary.seconds.unknown >= UNKNOWN_VERDICT_SECONDS && summary.seconds.unknown > known) return 'unknown';
  return nodeLabelOf(forecast.atBreakEven ?? forecast.prediction);
}

/** Turns a summary and its forecast into a verdict, a Node recommendation, a confidence and evidence. */
function decide(fn: Pick<TsFunctionFacts, 'line' | 'async'>, summary: Summary, forecast: Forecast, load?: ModuleLoad): Decision {
  const notes: string[] = [];
  const verdict = verdictFrom(summary, forecast);
  const predicted = forecast.atBreakEven ?? forecast.prediction;

  let recommendation: Recommendation;
  switch (verdict) {
    case 'cpu':
      if (summary.mainThreadOnly) {
        recommendation = 'child_process';
        notes.push(`\`${summary.mainThreadOnly.call}\` (line ${summary.mainThreadOnly.line}) is not available in worker threads: run it in a child process (child_process.fork)`);
      } else {
        recommendation = 'worker_threads';
        notes.push('no GIL in Node: worker_threads run JavaScript in parallel, one per core (a pool, e.g. piscina), and keep the event loop free');
      }
      break;
    case 'mixed': {
      const { threads, asyncio } = predicted.seconds;
      recommendation = asyncio !== undefined && threads !== undefined && asyncio < threads ? 'async' : 'worker_threads';
      break;
    }
    case 'io': {
      recommendation = 'async';
      const sync = summary.contributions.find((c) => c.blocking);
      if (sync) notes.push(`synchronous I/O blocks the event loop: its async form (${sync.blocking?.instead ?? 'the promise API'}) lets the loop overlap the waits; threads are not needed`);
      break;
    }
    case 'trivial':
      recommendation = 'sequential';
      break;
    default:
      recommendation = 'async';
  }

  const script = verdict === 'cpu' && summary.heavySeconds < summary.seconds.cpu / 2;
  let confidence = verdict === 'unknown' ? 0.25 : confidenceOf(forecast, summary.assumed.some((a) => !a.small), { verdict }, script ? NODE_SCRIPT_CONFIDENCE : NODE_CONFIDENCE);
  if (summary.guessed) confidence -= 0.1;
  if (summary.unresolved) confidence *= 0.9;
  confidence = Math.round(Math.min(0.98, Math.max(0.05, confidence)) * 100) / 100;
  const result: PredictedResult = { ...forecast.predicted, best: NODE_MODE[forecast.prediction.best] };
  if (verdict === 'unknown') notes.push('measure it: Compare runs it in each mode');
  else notes.unshift(predictionNote(result, forecast.atBreakEven));
  const fill = workerFillSeconds(summary.firstCallFills);
  if (load && load.seconds + fill >= NOTED_MODULE_LOAD_SECONDS && verdict !== 'unknown') notes.push(moduleLoadNote(load, fill));

  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  const relevant = summary.contributions.filter((c) => {
    if (verdict === 'trivial' || verdict === 'unknown') return true;
    if (verdict === 'mixed') return c.kind !== 'unknown';
    if (verdict === 'io' || verdict === 'async-io') return c.kind === 'io' || c.kind === 'asyncIo';
    return c.kind === 'cpu';
  });
  for (const c of [...relevant, ...summary.contributions]) {
    const key = `${c.line}\0${c.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    evidence.push({ line: c.line, reason: c.reason });
    if (evidence.length >= MAX_EVIDENCE) break;
  }
  if (verdict === 'trivial' && evidence.length === 0) {
    evidence.push({ line: fn.line, reason: 'no loops, recursion or heavy calls: too little work per call for any pool' });
  }
  if (fn.async) {
    const call = summary.contributions.find(knownToBlock);
    if (call) notes.push(`blocking call in async function at line ${call.line}: it stalls the event loop (use the async API)`);
  }
  for (const note of notes) evidence.push({ line: fn.line, reason: note });
  return { verdict, recommendation, confidence, evidence, predicted: result };
}
