import type { Deadline } from '../budget';
import { summarizeInCallOrder, type CallOrderSummaries } from '../callOrder';
import * as os from 'node:os';
import { machineCalibration, type Constants } from '../cost/calibration';
import { confidenceOf, forecast, formatCount, PREDICTED_TASKS, predictionNote, type Assumption, type Forecast } from '../cost/forecast';
import { addInto, finishEvidence, range as rangeOf, repeat as repeatCost, single, zeroCost, type Cost, type CostPart, type Range } from '../cost/model';
import { labelOf, type Policy, type Workload } from '../cost/predict';
import { ASSUMED_ITEMS, defaultSeconds, DUCK_METHODS, lookupApi, type ApiEntry, type ApiKind } from '../knowledge/python';
import { compiledModuleReleasesGil } from '../native/compiled';
import { own } from '../own';
import { PER_ITEM_THREAD_TASKS, THREAD_TASKS } from '../knowledge/pools';
import type { Evidence, FunctionReport, InterpreterInfo, Recommendation, Verdict } from '../model';
import type { CallFact, FunctionFacts, LoopFact } from './facts';
import type { ModuleEntry, PythonProgram } from './program';
import { Resolver, type Sym } from './resolve';
import { evaluateSize, type Size, type SizeExpr } from './sizes';

/** How much of each kind of work a function does per call, in arbitrary but comparable units. */
interface Scores {
  cpu: number;
  io: number;
  native: number;
  asyncIo: number;
  unknown: number;
}
type ScoreKind = keyof Scores;

export interface Contribution {
  line: number;
  reason: string;
  kind: ScoreKind;
  weight: number;
  /** Recognized by a method name alone (the receiver's type is unknown), or only such calls in a callee. */
  guessed?: true;
  /** Folded in from a coroutine the function awaits: that coroutine's own report names its calls. */
  fromCoroutine?: true;
  /** For I/O: the calls from this line down to the waiting API (chains), and why that API waits. */
  blocking?: BlockingPath;
}

export interface BlockingPath {
  /** e.g. `['helper', 'load', 'f.read']`; one chain when the line calls the API itself. */
  calls: string[];
  why: string;
}
/** `cheap`: microseconds per call (it counts inside loops, but a straight-line run of such calls is still trivial). */
type Marks = Pick<Contribution, 'guessed' | 'fromCoroutine' | 'blocking'> & { cheap?: true };

/** A call known to block the thread: I/O that is neither a method-name guess nor inside an awaited coroutine. */
export function knownToBlock(c: Pick<Contribution, 'kind' | 'guessed' | 'fromCoroutine'>): boolean {
  return c.kind === 'io' && !c.guessed && !c.fromCoroutine;
}
const CHEAP: Marks = { cheap: true };
type Add = (kind: ScoreKind, weight: number, line: number, reason: string, marks?: Marks, cost?: Cost) => void;

/** The analysis of one function's body with its callees folded in. */
export interface Summary {
  scores: Scores;
  /** Strongest first. */
  contributions: Contribution[];
  loops: number;
  recursive: boolean;
  /** Some weight came from guessing a method by its name alone. */
  guessed: boolean;
  /** I/O weight of calls known (not guessed) to block, in this function or the plain functions it calls. */
  knownBlocking: number;
  /** The part of the CPU score that comes from cheap calls. */
  cheapWork: number;
  /** Some calls went into libraries whose source could not be read. */
  unresolved: boolean;
  /** Some weight came from reading a library's source. */
  followedLibrary: boolean;
  /** Seconds per call, split into GIL-holding CPU, GIL-releasing CPU and waits. */
  cost: Cost;
  /** Sizes the cost assumed because the code does not tell them (a loop over a parameter, say), largest first. */
  assumed: Assumption[];
}

/** A function `summarize` is working on, or will. */
interface SummaryFrame {
  entry: ModuleEntry;
  fn: FunctionFacts;
  libraryDepth: number;
}

const AWAITED_UNKNOWN: ApiEntry = { kind: 'async-wait', why: 'awaited: a coroutine, it yields to the event loop while it waits' };
/** A library's `async def` (read from its source), awaited: its internals are the library's, its waits yield to the event loop. */
const AWAITED_LIBRARY_COROUTINE: ApiEntry = { kind: 'async-wait', why: 'awaits a library coroutine (async def): it yields to the event loop while it waits' };

/** With two or more positional arguments these compare them; with one they iterate it. */
const COMPARES_ITS_ARGUMENTS = new Set(['builtins.min', 'builtins.max']);

/** Decorators that cache a function's results by its arguments. */
const MEMOIZERS = new Set(['functools.lru_cache', 'functools.cache']);

/** Builtins that call their first argument once per item. */
const CALLS_ARGUMENT_PER_ITEM = new Set(['builtins.map', 'builtins.filter', 'itertools.starmap', 'itertools.filterfalse', 'functools.reduce']);

/** Iterations of a loop whose count the code does not tell: a stated prior with a wide range ... */
const ASSUMED_LOOP: Range = { low: 10, likely: ASSUMED_ITEMS, high: 100_000 };
/** ... and of such a loop inside another (the fields of a record, the words of a line, more often than a second data set). */
const ASSUMED_INNER_LOOP: Range = { low: 2, likely: 10, high: 1000 };
/**
 * ... and of a loop in library code, which the workspace usually calls per item: its top-level loops as
 * inner ones, its nested loops a few times, so that priors do not compound into hours through a library's
 * layers (`difflib.SequenceMatcher.ratio` nests four loops of unknown count).
 */
const ASSUMED_LIBRARY_NESTED_LOOP: Range = { low: 1, likely: 3, high: 100 };
/** Calls a recursive function is assumed to make of itself. */
const ASSUMED_RECURSION: Range = { low: 10, likely: 1000, high: 100_000 };
/** How far the likely seconds of a call may be off: known sizes, the knowledge base's prior, a call the analyzer cannot see. */
const KNOWN_SPREAD = 2;
const PRIOR_SPREAD = 5;
const UNKNOWN_SPREAD = 30;
/** Seconds of a call the analyzer cannot see into (a prior). */
const UNKNOWN_CALL_SECONDS = 2e-6;
const PART_OF_KIND: Record<ApiKind, CostPart> = { wait: 'wait', 'async-wait': 'wait', native: 'native', holds: 'gil', cheap: 'gil' };
const MAX_ASSUMPTIONS = 4;
/** `img.save` of a local or module name: the receiver whose size a cost function may read. */
const RECEIVER_NAME = /^([A-Za-z_]\w*)\.\w+$/;
/** A literal argument longer than this (`b"x" * 64_000_000`) is not "a few bytes". */
const LARGE_LITERAL_BYTES = 2048;

/** Weight of one execution, scaled by how many loops enclose it. */
const repeat = (loopDepth: number): number => 1 + 3 * Math.min(loopDepth, 3);

const WEIGHT: Record<ApiKind, { kind: ScoreKind; weight: number }> = {
  wait: { kind: 'io', weight: 4 },
  'async-wait': { kind: 'asyncIo', weight: 4 },
  native: { kind: 'native', weight: 4 },
  holds: { kind: 'cpu', weight: 2 },
  cheap: { kind: 'cpu', weight: 0.25 },
};
const LOOP_WEIGHT = 1.5;
const ARITHMETIC_IN_LOOP_WEIGHT = 1;
const RECURSION_WEIGHT = 6;
const UNKNOWN_CALL_WEIGHT = 1;
const CALLEE_DECAY = 0.9;
const LIBRARY_DECAY = 0.8;
/** Below this much work per call no pool pays for itself. */
const TRIVIAL_WORK = 2.5;
/**
 * `mixed` spans CPU work from 2/3 of the I/O to 2.5 times it. Threads overlap waits but run GIL-bound
 * CPU one at a time; processes run both in parallel. With CPU below ~40 % of the time threads are
 * within 10 % of processes (it is I/O work); above ~73 % threads no longer help (CPU work).
 */
const MIXED_CPU_PER_IO = { min: 2 / 3, max: 2.5 };
const MAX_LIBRARY_DEPTH = 3;
const MAX_CONTRIBUTIONS = 12;
const MAX_EVIDENCE = 6;

const VERB: Record<ScoreKind, string> = {
  cpu: 'does CPU work that holds the GIL',
  io: 'waits on I/O',
  native: 'does native CPU work that releases the GIL',
  asyncIo: 'awaits I/O',
  unknown: 'does work of unknown kind',
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

/** A workspace function's summary and what it was made from, so that it can outlive edits elsewhere. */
interface WorkspaceMemo {
  summary: Summary;
  /** The workspace functions whose summaries it folded in (undefined: called as a cycle, summary unused). */
  dependencies: Array<[FunctionFacts, Summary | undefined]>;
  /** The program's shape generation it was made in: names resolve as they did while it stays the same. */
  shape: number;
  /** The program generation in which it was last found valid. */
  checked: number;
}

/**
 * Folds facts into per-function summaries through the call graph (workspace functions and followed
 * library functions), with cycles treated as recursion. A workspace function's summary is kept across
 * edits while its facts, the names it resolves and the summaries it folded in stay the same: an edit
 * inside one function re-summarizes that function and its callers, not the workspace.
 */
export class VerdictEngine {
  private readonly resolver: Resolver;
  private memo = new WeakMap<FunctionFacts, WorkspaceMemo>();
  /** The workspace summaries the summary being computed has used so far. */
  private dependencies: WorkspaceMemo['dependencies'] | undefined;
  private readonly computedDependencies = new WeakMap<Summary, WorkspaceMemo['dependencies']>();
  /** Reports of summaries already reported (a summary kept across an edit is reported the same). */
  private readonly reports = new WeakMap<Summary, FunctionReport>();
  /** Summaries of library functions, per library depth: kept (libraries do not change under us). */
  private libraryMemo = new Map<FunctionFacts, Summary[]>();
  private libraryMemoGeneration = 0;
  private readonly inProgress = new Set<FunctionFacts>();
  private readonly callOrder: CallOrderSummaries<SummaryFrame, Summary> = {
    inProgress: this.inProgress,
    memoized: (frame) => this.memoized(frame.entry, frame.fn, frame.libraryDepth),
    remember: (frame, summary) => this.remember(frame.entry, frame.fn, frame.libraryDepth, summary),
    compute: (frame, missing) => {
      const dependencies: WorkspaceMemo['dependencies'] = [];
      this.dependencies = dependencies;
      try {
        const summary = this.computeSummary(frame.entry, frame.fn, frame.libraryDepth, missing);
        this.computedDependencies.set(summary, dependencies);
        return summary;
      } finally {
        this.dependencies = undefined;
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
  }

  private sizeOf(expr: SizeExpr, entry: ModuleEntry, fn: FunctionFacts): Size | undefined {
    return sizeIn(expr, fn, entry.facts.module);
  }

  /** What `chain` denotes when written inside `fn`. */
  resolve(chain: string, entry: ModuleEntry, fn: FunctionFacts): Sym {
    return this.resolver.resolveCallee(chain, entry, fn);
  }

  /** The interpreter the advice assumes (null: none was found). */
  get assumedInterpreter(): InterpreterInfo | null {
    return this.interpreter;
  }

  /** Reports for every function of a module. */
  report(entry: ModuleEntry, deadline?: Deadline): FunctionReport[] {
    return entry.facts.functions.map((fn) => this.reportFunction(entry, fn, deadline));
  }

  reportFunction(entry: ModuleEntry, fn: FunctionFacts, deadline?: Deadline): FunctionReport {
    const summary = this.summarize(entry, fn, 0, deadline);
    const reported = this.reports.get(summary);
    if (reported) return { ...reported };
    const forecast = this.forecast(fn, summary);
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
    this.reports.set(summary, report);
    return { ...report };
  }

  /** The cost model's prediction for PREDICTED_TASKS calls of `fn` on this machine's cores. */
  forecast(fn: FunctionFacts, summary: Summary): Forecast {
    const policy = (this.policy ??= pythonPolicy(this.constants, this.interpreter, this.cores));
    const workload: Workload = { tasks: PREDICTED_TASKS, cores: this.cores, coroutine: fn.async, argumentBytes: 64, resultBytes: 64 };
    return forecast(summary.cost, summary.assumed, workload, policy);
  }

  /** The summary of `fn`, its callees' first, without recursion (`summarizeInCallOrder`). */
  summarize(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, deadline?: Deadline): Summary {
    if (this.memoGeneration !== this.program.generation) {
      if (this.libraryMemoGeneration !== this.program.libraryGeneration) {
        this.libraryMemo = new Map();
        this.memo = new WeakMap();
        this.libraryMemoGeneration = this.program.libraryGeneration;
      }
      this.resolver.forget();
      this.memoGeneration = this.program.generation;
    }
    return summarizeInCallOrder({ entry, fn, libraryDepth }, this.callOrder, deadline);
  }

  private memoized(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number): Summary | undefined {
    if (entry.library) return this.libraryMemo.get(fn)?.[libraryDepth];
    const summary = this.validSummary(fn);
    if (summary) this.dependencies?.push([fn, summary]);
    return summary;
  }

  /** A call of a workspace function in progress (a cycle): the summary depends on that function's facts. */
  private noteCycle(entry: ModuleEntry, fn: FunctionFacts): void {
    if (!entry.library) this.dependencies?.push([fn, undefined]);
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
      if (current.shape !== this.program.shapeGeneration || this.program.isRetired(top)) {
        this.memo.delete(top);
        stack.pop();
        onStack.delete(top);
        continue;
      }
      const unchecked = current.dependencies.find(([dependency, used]) => used !== undefined && this.memo.has(dependency) && this.memo.get(dependency)?.checked !== generation);
      if (unchecked && !onStack.has(unchecked[0])) {
        stack.push(unchecked[0]);
        onStack.add(unchecked[0]);
        continue;
      }
      stack.pop();
      onStack.delete(top);
      if (unchecked) {
        // A cycle of summaries cannot be made in call order: distrust it.
        this.memo.delete(top);
        continue;
      }
      const valid = current.dependencies.every(([dependency, used]) => (used === undefined ? !this.program.isRetired(dependency) : this.memo.get(dependency)?.summary === used));
      if (valid) current.checked = generation;
      else this.memo.delete(top);
    }
    return this.memo.get(fn)?.summary;
  }

  private remember(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, summary: Summary): void {
    if (!entry.library) {
      const generation = this.program.generation;
      this.memo.set(fn, { summary, dependencies: this.computedDependencies.get(summary) ?? [], shape: this.program.shapeGeneration, checked: generation });
      return;
    }
    const byDepth = this.libraryMemo.get(fn);
    if (byDepth) byDepth[libraryDepth] = summary;
    else this.libraryMemo.set(fn, Object.assign([], { [libraryDepth]: summary }));
  }

  /** `fn`'s summary from its callees' memoized summaries; callees not summarized yet are added to `missing` instead (the result is then incomplete). */
  private computeSummary(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, missing: SummaryFrame[]): Summary {
    const summary: Summary = {
      scores: { cpu: 0, io: 0, native: 0, asyncIo: 0, unknown: 0 },
      contributions: [],
      loops: 0,
      recursive: false,
      guessed: false,
      knownBlocking: 0,
      cheapWork: 0,
      unresolved: false,
      followedLibrary: false,
      cost: zeroCost(),
      assumed: [],
    };
    const add: Add = (kind, weight, line, reason, marks, cost) => {
      if (cost) addInto(summary.cost, cost);
      summary.scores[kind] += weight;
      if (knownToBlock({ kind, ...marks })) summary.knownBlocking += weight;
      if (marks?.cheap) summary.cheapWork += weight;
      summary.contributions.push({
        line,
        reason,
        kind,
        weight,
        ...(marks?.guessed && { guessed: true }),
        ...(marks?.fromCoroutine && { fromCoroutine: true }),
        ...(kind === 'io' && marks?.blocking && { blocking: marks.blocking }),
      });
    };

    const runs = new LoopRuns(fn, entry.facts.module, summary.assumed, entry.library);
    const bytecodePerIteration = this.constants['py.loop_iteration'] * (1 + fn.arithmeticInLoops / Math.max(1, fn.loops.length));
    fn.loops.forEach((loop, index) => {
      // A loop over a constant of a few items (`for zone in ZONES`) is a few statements, not a loop over data.
      if (loop.over !== undefined && (fn.shortCollections?.includes(loop.over) || entry.facts.module.shortCollections?.includes(loop.over))) return;
      summary.loops++;
      const what = loop.kind === 'comprehension' ? 'comprehension' : `${loop.kind} loop`;
      const iterations = runs.of(index);
      const reason = `${what}: runs Python bytecode, which holds the GIL${runs.described(index)}`;
      add('cpu', LOOP_WEIGHT * repeat(loop.depth), loop.line, reason, undefined, single('gil', scaleBy(rangeOf(bytecodePerIteration, KNOWN_SPREAD), iterations), loop.line, reason));
    });
    if (fn.arithmeticInLoops > 0) {
      const first = fn.loops[0]?.line ?? fn.line;
      add('cpu', ARITHMETIC_IN_LOOP_WEIGHT * fn.arithmeticInLoops, first, `${fn.arithmeticInLoops} arithmetic operations inside loops`);
    }

    for (const call of fn.calls) {
      this.addCall(entry, fn, call, call.callee, call.loopDepth, libraryDepth, summary, add, missing, runs);
    }
    summary.assumed.length = Math.min(summary.assumed.length, MAX_ASSUMPTIONS);
    finishEvidence(summary.cost);

    summary.contributions.sort((a, b) => b.weight - a.weight);
    summary.contributions.length = Math.min(summary.contributions.length, MAX_CONTRIBUTIONS);
    return summary;
  }

  private addCall(
    entry: ModuleEntry,
    fn: FunctionFacts,
    call: CallFact,
    chain: string,
    loopDepth: number,
    libraryDepth: number,
    summary: Summary,
    add: Add,
    missing: SummaryFrame[],
    runs: LoopRuns,
  ): void {
    const times = repeat(loopDepth);
    const inLoop = loopDepth > 0 ? ' (in a loop)' : '';
    const sym = this.resolver.resolveCallee(chain, entry, fn);
    const shown = showChain(chain);
    // map(work, items) and the like run `work` once per item: a loop the code does not size.
    const calls = loopDepth > call.loopDepth ? scaleBy(runs.of(call.loop), ASSUMED_LOOP) : runs.of(call.loop);
    const secondsOf = (part: CostPart, seconds: number, spread: number, text: string, awaited = false): Cost =>
      single(part, scaleBy(rangeOf(seconds, spread), calls), call.line, text, awaited);
    const cheapCost = (text: string): Cost => secondsOf('gil', 2 * this.constants['py.function_call'], KNOWN_SPREAD, text);
    const unknownCost = (text: string): Cost => secondsOf('gil', UNKNOWN_CALL_SECONDS, UNKNOWN_SPREAD, text);

    const applyApi = (api: ApiEntry, guessed: boolean): void => {
      if (COMPARES_ITS_ARGUMENTS.has(sym.kind === 'external' ? sym.name : '') && (call.positionalArgs ?? 0) >= 2) {
        const reason = `${shown}${inLoop}: compares ${call.positionalArgs} values`;
        add('cpu', WEIGHT.cheap.weight * times, call.line, reason, CHEAP, cheapCost(reason));
        return;
      }
      const argument = call.argSize && this.sizeOf(call.argSize, entry, fn);
      const large = argument !== undefined && argument.kind !== 'int' && argument.value > LARGE_LITERAL_BYTES;
      if (api.scalesWithInput && call.shortFirstArg === 'literal' && !large) {
        const reason = `${shown}${inLoop}: on a string literal (a few bytes): microseconds of work`;
        add('cpu', WEIGHT.cheap.weight * times, call.line, reason, CHEAP, cheapCost(reason));
        return;
      }
      if (api.scalesWithInput === 'hash' && call.shortFirstArg === 'text') {
        const reason = `${shown}${inLoop}: hashes encoded text, usually short: hashlib holds the GIL for buffers under 2 KiB`;
        add('cpu', WEIGHT.holds.weight * times, call.line, reason, undefined, secondsOf('gil', this.constants['py.hash_small_call'], PRIOR_SPREAD, reason));
        return;
      }
      const { kind, weight } = WEIGHT[api.kind];
      const marks: Marks = {
        ...(guessed && { guessed: true }),
        ...(api.kind === 'cheap' && { cheap: true }),
        ...(WEIGHT[api.kind].kind === 'io' && { blocking: { calls: [chain], why: api.why } }),
      };
      const receiverName = RECEIVER_NAME.exec(chain)?.[1];
      const receiver = receiverName === undefined ? undefined : this.sizeOf({ name: receiverName }, entry, fn);
      const priced = api.seconds?.(argument, this.constants, receiver, call);
      const reason = `${shown}${inLoop}: ${api.why}`;
      const part = priced?.part ?? PART_OF_KIND[api.kind];
      const what = priced ? priced.assumed : api.kind === 'cheap' ? undefined : 'work of unknown size assumed';
      if (what) summary.assumed.push({ line: call.line, what, ...(part === 'gil' && { small: true }) });
      const spread = guessed ? UNKNOWN_SPREAD : priced && !priced.assumed ? KNOWN_SPREAD : PRIOR_SPREAD;
      const cost = secondsOf(part, priced?.seconds ?? defaultSeconds(api, this.constants), spread, reason, api.kind === 'async-wait');
      add(kind, weight * (api.cost ?? 1) * times * (guessed ? 0.8 : 1), call.line, reason, marks, cost);
      if (guessed) summary.guessed = true;
    };

    switch (sym.kind) {
      case 'external': {
        const api = lookupApi(sym.name);
        if (call.firstArgName && chain === call.callee) {
          // map(work, items): `work` runs once per item. A thread pool or thread runs its task in
          // this process, under the same GIL: the task's work is this function's work.
          if (CALLS_ARGUMENT_PER_ITEM.has(sym.name) || PER_ITEM_THREAD_TASKS.has(sym.name)) {
            this.addCall(entry, fn, call, call.firstArgName, loopDepth + 1, libraryDepth, summary, add, missing, runs);
          } else if (THREAD_TASKS.has(sym.name)) {
            this.addCall(entry, fn, call, call.firstArgName, loopDepth, libraryDepth, summary, add, missing, runs);
          }
        }
        const compiled = api ? undefined : compiledModuleReleasesGil(sym.name, this.program);
        if (api) {
          applyApi(api, false);
        } else if (compiled?.releasesGil === false) {
          applyApi({ kind: 'holds', why: compiled.why }, false);
        } else {
          summary.unresolved = true;
          const reason = `${shown}${inLoop}: ${sym.name} is not in the knowledge base${this.program.followsLibraries ? ' and its Python source was not found' : ''}`;
          add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, reason, undefined, unknownCost(reason));
        }
        return;
      }
      case 'unknown': {
        if (call.awaited) {
          // Whatever it is, an awaited call is a coroutine: it yields to the event loop while it waits.
          applyApi(AWAITED_UNKNOWN, true);
          return;
        }
        const duck = sym.method ? own(DUCK_METHODS, sym.name) : undefined;
        if (duck) applyApi(duck, true);
        else {
          const reason = `${shown}${inLoop}: cannot tell what this calls`;
          add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, reason, undefined, unknownCost(reason));
        }
        return;
      }
      case 'module': {
        const reason = `${shown}: calls a module`;
        add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, reason, undefined, unknownCost(reason));
        return;
      }
      case 'class':
      case 'instance':
      case 'function': {
        if (sym.kind === 'function' && sym.entry.library && sym.fn.async && call.awaited) {
          applyApi(AWAITED_LIBRARY_COROUTINE, false);
          return;
        }
        const target = sym.kind === 'function'
          ? sym.fn
          : sym.entry.functions.get(`${sym.cls.qualname}.${sym.kind === 'class' ? '__init__' : '__call__'}`);
        if (!target) {
          const reason = `${shown}${inLoop}: creates a ${sym.kind === 'class' ? sym.cls.name : 'value'}`;
          add('cpu', WEIGHT.cheap.weight * times, call.line, reason, CHEAP, cheapCost(reason));
          return;
        }
        this.addCallee(fn, sym.entry, target, call, shown, inLoop, times, calls, libraryDepth, summary, add, missing);
        return;
      }
    }
  }

  private addCallee(
    caller: FunctionFacts,
    calleeEntry: ModuleEntry,
    target: FunctionFacts,
    call: CallFact,
    shown: string,
    inLoop: string,
    times: number,
    calls: Range,
    libraryDepth: number,
    summary: Summary,
    add: Add,
    missing: SummaryFrame[],
  ): void {
    const where = calleeEntry.library ? `${calleeEntry.moduleName}.${target.qualname}` : target.qualname;
    const priced = (part: CostPart, seconds: number, spread: number, text: string): Cost => single(part, scaleBy(rangeOf(seconds, spread), calls), call.line, text);
    if (call.constantArgs && this.isMemoized(calleeEntry, target)) {
      const reason = `${shown}${inLoop}: ${where} is memoized: after the first call it returns the cached value`;
      add('cpu', WEIGHT.cheap.weight * times, call.line, reason, CHEAP, priced('gil', 2 * this.constants['py.function_call'], KNOWN_SPREAD, reason));
      return;
    }
    if (this.inProgress.has(target)) {
      this.noteCycle(calleeEntry, target);
      summary.recursive = true;
      const cycle = target === caller ? 'recursive call' : `calls ${where} again through a call cycle (mutual recursion)`;
      const reason = `${shown}: ${cycle} (each level runs Python bytecode under the GIL)`;
      summary.assumed.push({ line: call.line, what: `~${formatCount(ASSUMED_RECURSION.likely)} recursive calls assumed` });
      add('cpu', RECURSION_WEIGHT, call.line, reason, undefined, single('gil', scaleBy(rangeOf(10 * this.constants['py.function_call'], KNOWN_SPREAD), ASSUMED_RECURSION), call.line, reason));
      return;
    }
    const nextLibraryDepth = calleeEntry.library ? libraryDepth + 1 : libraryDepth;
    if (nextLibraryDepth > MAX_LIBRARY_DEPTH) {
      summary.unresolved = true;
      const reason = `${shown}: ${where} is deeper than the library-following bound`;
      add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, reason, undefined, priced('gil', UNKNOWN_CALL_SECONDS, UNKNOWN_SPREAD, reason));
      return;
    }
    const callee = this.memoized(calleeEntry, target, nextLibraryDepth);
    if (!callee) {
      missing.push({ entry: calleeEntry, fn: target, libraryDepth: nextLibraryDepth });
      return;
    }
    const decay = calleeEntry.library ? LIBRARY_DECAY : CALLEE_DECAY;
    if (calleeEntry.library) summary.followedLibrary = true;
    summary.guessed ||= callee.guessed;
    summary.unresolved ||= callee.unresolved;
    summary.followedLibrary ||= callee.followedLibrary;
    if (callee.loops > 0 || callee.recursive) summary.loops += 1;

    const calleeCost = calls.low === 1 && calls.high === 1 ? callee.cost : repeatCost(callee.cost, calls);
    if (callee.assumed.length > 0) summary.assumed.push(...callee.assumed.map((a) => ({ ...a, line: call.line, what: `${a.what} in ${where}` })));
    const total = sum(callee.scores);
    if (total - callee.cheapWork < TRIVIAL_WORK && callee.loops === 0 && !callee.recursive) {
      add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: calls ${where}, which does little work`, CHEAP, calleeCost);
      if (callee.scores.unknown > 0) summary.scores.unknown += callee.scores.unknown * decay * times;
      return;
    }
    const source = calleeEntry.library ? `${where} (library source)` : where;
    addInto(summary.cost, {
      ...calleeCost,
      evidence: calleeCost.evidence.slice(0, 1).map((e) => ({ ...e, line: call.line, text: `${shown}${inLoop}: calls ${source}, e.g. ${e.text}` })),
    });
    summary.cheapWork += callee.cheapWork * decay * times;
    for (const kind of ['cpu', 'io', 'native', 'asyncIo', 'unknown'] as const) {
      const weight = callee.scores[kind] * decay * times;
      if (weight <= 0) continue;
      const known = kind === 'io' ? callee.knownBlocking > 0 : true;
      const why = callee.contributions.find((c) => c.kind === kind && (!known || knownToBlock(c)));
      const detail = why ? `, e.g. ${why.reason}` : '';
      const blocking = kind === 'io' && why?.blocking ? { calls: [where, ...why.blocking.calls], why: why.blocking.why } : undefined;
      const marks: Marks = target.async ? { fromCoroutine: true } : known ? { blocking } : { guessed: true };
      add(kind, weight, call.line, `${shown}${inLoop}: calls ${source}, which ${VERB[kind]}${kind === 'cpu' || kind === 'unknown' ? '' : detail}`, marks);
    }
  }

  /** `@functools.lru_cache(...)` / `@functools.cache` on the function (resolved through the imports). */
  private isMemoized(entry: ModuleEntry, fn: FunctionFacts): boolean {
    return fn.decorators.some((decorator) => {
      const sym = this.resolver.resolveCallee(decorator.replace(/\(\)$/, ''), entry, entry.facts.module);
      return sym.kind === 'external' && MEMOIZERS.has(sym.name);
    });
  }
}

function sum(scores: Scores): number {
  return scores.cpu + scores.io + scores.native + scores.asyncIo;
}

interface Decision {
  verdict: Verdict;
  recommendation: Recommendation;
  confidence: number;
  evidence: Evidence[];
}

/** How running Python work in parallel costs under this interpreter (GIL or free-threaded) on this platform (fork or spawn). */
export function pythonPolicy(constants: Constants, interpreter: InterpreterInfo | null, cores: number): Policy {
  const forks = process.platform === 'linux';
  return {
    threadsSerializeLockedCpu: interpreter?.gilEnabled !== false,
    threadWorkers: 2 * Math.max(1, cores),
    processWorkers: Math.max(1, cores),
    threadStart: constants['py.thread_start'],
    threadTask: constants['py.thread_pool_task'],
    processStart: forks ? constants['py.process_fork_start'] : constants['py.process_spawn_start'],
    processTask: constants['py.process_pool_task'],
    transferByte: constants['py.pickle_dumps_byte'] + constants['py.pickle_loads_byte'],
  };
}

/** Turns a summary into a verdict, a recommendation for this interpreter, a confidence and evidence. */
export function decide(fn: FunctionFacts, summary: Summary, interpreter: InterpreterInfo | null, followsLibraries: boolean, forecast?: Forecast): Decision {
  const { cpu, native, unknown, asyncIo } = summary.scores;
  const blocking = summary.scores.io;
  const io = blocking + asyncIo;
  const work = cpu + io + native;
  const gilFree = interpreter !== null && !interpreter.gilEnabled;
  const notes: string[] = [];

  let verdict: Verdict;
  let dominant: number;
  if (work - summary.cheapWork < TRIVIAL_WORK && summary.loops === 0 && !summary.recursive) {
    verdict = unknown >= TRIVIAL_WORK / 2 ? 'unknown' : 'trivial';
    dominant = verdict === 'unknown' ? unknown : work;
  } else if (unknown > work) {
    verdict = 'unknown';
    dominant = unknown;
  } else if (fn.async && asyncIo > 0 && asyncIo >= blocking && io >= 0.5 * Math.max(cpu, native)) {
    // Awaited I/O overlaps in one event loop. An async def whose I/O is mostly blocking calls stalls
    // the loop instead: gathering it does not overlap anything, so it is judged like a plain function.
    verdict = 'async-io';
    dominant = io;
  } else if (io >= TRIVIAL_WORK && cpu >= MIXED_CPU_PER_IO.min * io && cpu <= MIXED_CPU_PER_IO.max * io) {
    verdict = 'mixed';
    dominant = io + cpu;
  } else if (io >= cpu && io >= native) {
    verdict = 'io';
    dominant = io;
  } else if (native >= cpu) {
    verdict = 'native';
    dominant = native;
  } else {
    verdict = 'cpu';
    dominant = cpu;
  }
  // The cost model decides the kind of work and whether a pool pays; when no pool pays only because of a
  // size it had to assume, the verdict is the one at the size where one would (its break-even is shown).
  const predicted = forecast?.atBreakEven ?? forecast?.prediction;
  if (predicted && verdict !== 'unknown') verdict = labelOf(predicted);

  let recommendation: Recommendation;
  switch (verdict) {
    case 'cpu':
      recommendation = gilFree ? 'threads' : 'processes';
      if (gilFree) notes.push('free-threaded interpreter (no GIL): threads run Python code in parallel');
      else if (interpreter && versionAtLeast(interpreter.version, 3, 14)) {
        notes.push('Python 3.14+: concurrent.futures.InterpreterPoolExecutor (one GIL per interpreter) is an alternative to processes');
      }
      break;
    case 'mixed':
      if (predicted) recommendation = (predicted.seconds.processes as number) < (predicted.seconds.threads as number) ? 'processes' : 'threads';
      else recommendation = cpu > io && !gilFree ? 'processes' : 'threads';
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

  const denominator = work + unknown;
  const share = denominator > 0 ? Math.min(1, dominant / denominator) : 1;
  let confidence: number;
  if (verdict === 'unknown') confidence = 0.25;
  else if (forecast) confidence = confidenceOf(forecast, summary.assumed.length > 0);
  else if (verdict === 'trivial') confidence = unknown > 0 ? 0.6 : 0.9;
  else confidence = 0.45 + 0.5 * share;
  if (verdict === 'mixed') confidence = Math.min(confidence, 0.7);
  if (summary.guessed) confidence -= 0.1;
  if (summary.unresolved && !followsLibraries) {
    confidence *= 0.85;
    notes.push('no Python interpreter: calls outside the knowledge base were not followed into library source');
  }
  if (verdict === 'unknown') {
    notes.push('measure it: Compare runs it in each mode');
  } else if (forecast) {
    notes.unshift(predictionNote(forecast.predicted, forecast.atBreakEven));
  }
  confidence = Math.round(Math.min(0.98, Math.max(0.05, confidence)) * 100) / 100;

  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  const relevant = summary.contributions.filter((c) => {
    if (verdict === 'trivial' || verdict === 'unknown') return true;
    if (verdict === 'mixed') return c.kind === 'cpu' || c.kind === 'io' || c.kind === 'asyncIo';
    if (verdict === 'io' || verdict === 'async-io') return c.kind === 'io' || c.kind === 'asyncIo';
    return c.kind === verdict;
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
    if (call) notes.push(`blocking call in async def at line ${call.line}: it stalls the event loop (use await asyncio.to_thread or an async client)`);
  }
  for (const note of notes) evidence.push({ line: fn.line, reason: note });
  return { verdict, recommendation, confidence, evidence };
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** `a` times `times`, end by end. */
function scaleBy(a: Range, times: Range): Range {
  return { low: a.low * times.low, likely: a.likely * times.likely, high: a.high * times.high };
}

/** How many times the body of each of a function's loops runs per call (its count times its enclosing loops'). */
class LoopRuns {
  private readonly memo: Range[] = [];
  private readonly counts: Range[] = [];
  private readonly notes: string[] = [];

  constructor(
    private readonly fn: FunctionFacts,
    private readonly module: FunctionFacts,
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
      runs = scaleBy(runs, this.count(at));
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
    const size = loop.count && sizeIn(loop.count, this.fn, this.module);
    if (size && size.kind !== 'int') {
      const items = size.kind === 'array' ? (size.shape?.[0] ?? size.value) : size.value;
      this.notes[index] ??= ` (${formatCount(items)} ${size.kind === 'bytes' ? 'characters' : 'items'})`;
      return { low: items, likely: items, high: items };
    }
    const assumed = this.library ? (loop.parent === undefined ? ASSUMED_INNER_LOOP : ASSUMED_LIBRARY_NESTED_LOOP) : loop.parent === undefined ? ASSUMED_LOOP : ASSUMED_INNER_LOOP;
    if (this.notes[index] === undefined) {
      this.notes[index] = `, ~${formatCount(assumed.likely)} items assumed`;
      this.assumed.push({ line: loop.line, what: `~${formatCount(assumed.likely)} items assumed` });
    }
    return assumed;
  }
}

function sizeIn(expr: SizeExpr, fn: FunctionFacts, module: FunctionFacts): Size | undefined {
  return evaluateSize(expr, { local: fn.sizes, module: module.sizes });
}
