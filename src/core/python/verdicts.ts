import type { Deadline } from '../budget';
import { summarizeInCallOrder, type CallOrderSummaries } from '../callOrder';
import { DUCK_METHODS, lookupApi, type ApiEntry, type ApiKind } from '../knowledge/python';
import { compiledModuleReleasesGil } from '../native/compiled';
import { own } from '../own';
import { PER_ITEM_THREAD_TASKS, THREAD_TASKS } from '../knowledge/pools';
import type { Evidence, FunctionReport, InterpreterInfo, Recommendation, Verdict } from '../model';
import type { CallFact, FunctionFacts } from './facts';
import type { ModuleEntry, PythonProgram } from './program';
import { Resolver, type Sym } from './resolve';

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
type Add = (kind: ScoreKind, weight: number, line: number, reason: string, marks?: Marks) => void;

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

/**
 * Folds facts into per-function summaries through the call graph (workspace functions and followed
 * library functions), memoized per program generation, with cycles treated as recursion.
 */
export class VerdictEngine {
  private readonly resolver: Resolver;
  /** Summaries of workspace functions: dropped when any workspace file changes. */
  private memo = new Map<FunctionFacts, Summary>();
  /** Summaries of library functions, per library depth: kept (libraries do not change under us). */
  private libraryMemo = new Map<FunctionFacts, Summary[]>();
  private libraryMemoGeneration = 0;
  private readonly inProgress = new Set<FunctionFacts>();
  private readonly callOrder: CallOrderSummaries<SummaryFrame, Summary> = {
    inProgress: this.inProgress,
    memoized: (frame) => this.memoized(frame.entry, frame.fn, frame.libraryDepth),
    remember: (frame, summary) => this.remember(frame.entry, frame.fn, frame.libraryDepth, summary),
    compute: (frame, missing) => this.computeSummary(frame.entry, frame.fn, frame.libraryDepth, missing),
  };
  private memoGeneration = -1;

  constructor(
    private readonly program: PythonProgram,
    private readonly interpreter: InterpreterInfo | null,
  ) {
    this.resolver = new Resolver(program);
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
    const { verdict, recommendation, confidence, evidence } = decide(fn, summary, this.interpreter, this.program.followsLibraries);
    return {
      name: fn.name,
      qualname: fn.qualname,
      line: fn.line,
      endLine: fn.endLine,
      async: fn.async,
      verdict,
      recommendation,
      confidence,
      evidence,
    };
  }

  /** The summary of `fn`, its callees' first, without recursion (`summarizeInCallOrder`). */
  summarize(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, deadline?: Deadline): Summary {
    if (this.memoGeneration !== this.program.generation) {
      this.memo = new Map();
      if (this.libraryMemoGeneration !== this.program.libraryGeneration) {
        this.libraryMemo = new Map();
        this.libraryMemoGeneration = this.program.libraryGeneration;
      }
      this.resolver.forget();
      this.memoGeneration = this.program.generation;
    }
    return summarizeInCallOrder({ entry, fn, libraryDepth }, this.callOrder, deadline);
  }

  private memoized(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number): Summary | undefined {
    return entry.library ? this.libraryMemo.get(fn)?.[libraryDepth] : this.memo.get(fn);
  }

  private remember(entry: ModuleEntry, fn: FunctionFacts, libraryDepth: number, summary: Summary): void {
    if (!entry.library) {
      this.memo.set(fn, summary);
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
    };
    const add: Add = (kind, weight, line, reason, marks) => {
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

    for (const loop of fn.loops) {
      // A loop over a constant of a few items (`for zone in ZONES`) is a few statements, not a loop over data.
      if (loop.over !== undefined && (fn.shortCollections?.includes(loop.over) || entry.facts.module.shortCollections?.includes(loop.over))) continue;
      summary.loops++;
      const what = loop.kind === 'comprehension' ? 'comprehension' : `${loop.kind} loop`;
      add('cpu', LOOP_WEIGHT * repeat(loop.depth), loop.line, `${what}: runs Python bytecode, which holds the GIL`);
    }
    if (fn.arithmeticInLoops > 0) {
      const first = fn.loops[0]?.line ?? fn.line;
      add('cpu', ARITHMETIC_IN_LOOP_WEIGHT * fn.arithmeticInLoops, first, `${fn.arithmeticInLoops} arithmetic operations inside loops`);
    }

    for (const call of fn.calls) {
      this.addCall(entry, fn, call, call.callee, call.loopDepth, libraryDepth, summary, add, missing);
    }

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
  ): void {
    const times = repeat(loopDepth);
    const inLoop = loopDepth > 0 ? ' (in a loop)' : '';
    const sym = this.resolver.resolveCallee(chain, entry, fn);
    const shown = showChain(chain);

    const applyApi = (api: ApiEntry, guessed: boolean): void => {
      if (COMPARES_ITS_ARGUMENTS.has(sym.kind === 'external' ? sym.name : '') && (call.positionalArgs ?? 0) >= 2) {
        add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: compares ${call.positionalArgs} values`, CHEAP);
        return;
      }
      if (api.scalesWithInput && call.shortFirstArg === 'literal') {
        add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: on a string literal (a few bytes): microseconds of work`, CHEAP);
        return;
      }
      if (api.scalesWithInput === 'hash' && call.shortFirstArg === 'text') {
        add('cpu', WEIGHT.holds.weight * times, call.line, `${shown}${inLoop}: hashes encoded text, usually short: hashlib holds the GIL for buffers under 2 KiB`);
        return;
      }
      const { kind, weight } = WEIGHT[api.kind];
      const marks: Marks = {
        ...(guessed && { guessed: true }),
        ...(api.kind === 'cheap' && { cheap: true }),
        ...(WEIGHT[api.kind].kind === 'io' && { blocking: { calls: [chain], why: api.why } }),
      };
      add(kind, weight * (api.cost ?? 1) * times * (guessed ? 0.8 : 1), call.line, `${shown}${inLoop}: ${api.why}`, marks);
      if (guessed) summary.guessed = true;
    };

    switch (sym.kind) {
      case 'external': {
        const api = lookupApi(sym.name);
        if (call.firstArgName && chain === call.callee) {
          // map(work, items): `work` runs once per item. A thread pool or thread runs its task in
          // this process, under the same GIL: the task's work is this function's work.
          if (CALLS_ARGUMENT_PER_ITEM.has(sym.name) || PER_ITEM_THREAD_TASKS.has(sym.name)) {
            this.addCall(entry, fn, call, call.firstArgName, loopDepth + 1, libraryDepth, summary, add, missing);
          } else if (THREAD_TASKS.has(sym.name)) {
            this.addCall(entry, fn, call, call.firstArgName, loopDepth, libraryDepth, summary, add, missing);
          }
        }
        const compiled = api ? undefined : compiledModuleReleasesGil(sym.name, this.program);
        if (api) {
          applyApi(api, false);
        } else if (compiled?.releasesGil === false) {
          applyApi({ kind: 'holds', why: compiled.why }, false);
        } else {
          summary.unresolved = true;
          add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, `${shown}${inLoop}: ${sym.name} is not in the knowledge base${this.program.followsLibraries ? ' and its Python source was not found' : ''}`);
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
        else add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, `${shown}${inLoop}: cannot tell what this calls`);
        return;
      }
      case 'module':
        add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, `${shown}: calls a module`);
        return;
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
          add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: creates a ${sym.kind === 'class' ? sym.cls.name : 'value'}`, CHEAP);
          return;
        }
        this.addCallee(fn, sym.entry, target, call, shown, inLoop, times, libraryDepth, summary, add, missing);
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
    libraryDepth: number,
    summary: Summary,
    add: Add,
    missing: SummaryFrame[],
  ): void {
    const where = calleeEntry.library ? `${calleeEntry.moduleName}.${target.qualname}` : target.qualname;
    if (call.constantArgs && this.isMemoized(calleeEntry, target)) {
      add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: ${where} is memoized: after the first call it returns the cached value`, CHEAP);
      return;
    }
    if (this.inProgress.has(target)) {
      summary.recursive = true;
      const cycle = target === caller ? 'recursive call' : `calls ${where} again through a call cycle (mutual recursion)`;
      add('cpu', RECURSION_WEIGHT, call.line, `${shown}: ${cycle} (each level runs Python bytecode under the GIL)`);
      return;
    }
    const nextLibraryDepth = calleeEntry.library ? libraryDepth + 1 : libraryDepth;
    if (nextLibraryDepth > MAX_LIBRARY_DEPTH) {
      summary.unresolved = true;
      add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, `${shown}: ${where} is deeper than the library-following bound`);
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

    const total = sum(callee.scores);
    if (total - callee.cheapWork < TRIVIAL_WORK && callee.loops === 0 && !callee.recursive) {
      add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: calls ${where}, which does little work`, CHEAP);
      if (callee.scores.unknown > 0) summary.scores.unknown += callee.scores.unknown * decay * times;
      return;
    }
    const source = calleeEntry.library ? `${where} (library source)` : where;
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

/** Turns a summary into a verdict, a recommendation for this interpreter, a confidence and evidence. */
export function decide(fn: FunctionFacts, summary: Summary, interpreter: InterpreterInfo | null, followsLibraries: boolean): Decision {
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
      recommendation = cpu > io && !gilFree ? 'processes' : 'threads';
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
  if (verdict === 'trivial') confidence = unknown > 0 ? 0.6 : 0.9;
  else if (verdict === 'unknown') confidence = 0.25;
  else confidence = 0.45 + 0.5 * share;
  if (verdict === 'mixed') confidence = Math.min(confidence, 0.7);
  if (summary.guessed) confidence -= 0.1;
  if (summary.unresolved && !followsLibraries) {
    confidence *= 0.85;
    notes.push('no Python interpreter: calls outside the knowledge base were not followed into library source');
  }
  if (verdict === 'unknown') {
    notes.push('measure it: Compare runs it in each mode');
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
