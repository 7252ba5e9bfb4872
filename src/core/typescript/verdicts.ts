import * as path from 'node:path';
import type { Deadline } from '../budget';
import { summarizeInCallOrder, type CallOrderSummaries } from '../callOrder';
import { DUCK_METHODS, ITERATING_METHODS, lookupNodeApi, MAIN_THREAD_ONLY, RESPONSE_METHODS, SCANNING_METHODS, type NodeApiEntry, type NodeApiKind } from '../knowledge/node';
import type { Evidence, FunctionReport, Recommendation, Verdict } from '../model';
import { own } from '../own';
import type { TsCallFact, TsFunctionFacts } from './facts';
import type { ScriptEntry, ScriptProgram } from './program';
import { ScriptResolver, type Sym } from './resolve';

/** How much of each kind of work a function does per call, in the same units as the Python analyzer. */
interface Scores {
  cpu: number;
  /** Synchronous waits: the event loop stops. */
  io: number;
  /** Asynchronous waits: the event loop runs on. */
  asyncIo: number;
  unknown: number;
}
type ScoreKind = keyof Scores;

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
  kind: ScoreKind;
  weight: number;
  /** Recognized by a method name alone (the receiver's type is unknown). */
  guessed?: true;
  /** Folded in from an async function it calls: that function's own report names its calls. */
  fromAsync?: true;
  /** A synchronous wait: the calls from this line to it. */
  blocking?: CallPath;
  /** CPU work heavy enough to stall a server (a key derivation, compression, a CPU-bound function). */
  heavy?: CallPath;
}

/** A call known to block the event loop: a sync wait that is neither a name guess nor inside an async callee. */
export function knownToBlock(c: Pick<Contribution, 'kind' | 'guessed' | 'fromAsync'>): boolean {
  return c.kind === 'io' && !c.guessed && !c.fromAsync;
}

type Marks = Pick<Contribution, 'guessed' | 'fromAsync' | 'blocking' | 'heavy'> & { cheap?: true };
type Add = (kind: ScoreKind, weight: number, line: number, reason: string, marks?: Marks) => void;

export interface Summary {
  scores: Scores;
  /** Strongest first. */
  contributions: Contribution[];
  loops: number;
  /** How deeply its own loops nest (callbacks run per element included; the functions it calls not). */
  nest: number;
  recursive: boolean;
  guessed: boolean;
  /** Sync-wait weight of calls known to block, here or in the plain functions it calls. */
  knownBlocking: number;
  cheapWork: number;
  /** A call into a package the knowledge base does not know (library source is not followed). */
  unresolved: boolean;
  /** Line of a `process.chdir` & co, which worker threads cannot do. */
  mainThreadOnly?: { line: number; call: string };
}

const WEIGHT: Record<NodeApiKind, { kind: ScoreKind; weight: number }> = {
  'sync-wait': { kind: 'io', weight: 4 },
  'async-wait': { kind: 'asyncIo', weight: 4 },
  cpu: { kind: 'cpu', weight: 2 },
  cheap: { kind: 'cpu', weight: 0.25 },
};
/** Methods named like a fetch Response's body readers: recognized by name only when awaited. */
const BODY_READERS = new Set(['json', 'text', 'arrayBuffer']);
const AWAITED_UNKNOWN: NodeApiEntry = { kind: 'async-wait', why: 'awaited: a promise, the event loop runs while it waits' };
const LOOP_WEIGHT = 1.5;
const ARITHMETIC_IN_LOOP_WEIGHT = 1;
const RECURSION_WEIGHT = 6;
const UNKNOWN_CALL_WEIGHT = 1;
const CALLEE_DECAY = 0.9;
/** Below this much work per call no pool pays for itself. */
const TRIVIAL_WORK = 2.5;
/**
 * CPU work that stalls a server when it runs in a request handler: a function whose CPU score reaches
 * HEAVY_CPU with its own loops nested HEAVY_NEST deep (a loop over data inside another: work that grows
 * with the product of two sizes). A single loop, or recursion alone, is the ordinary work of a handler.
 */
export const HEAVY_CPU = 8;
export const HEAVY_NEST = 2;
const MIXED_CPU_PER_IO = { min: 2 / 3, max: 2.5 };
const MAX_CONTRIBUTIONS = 12;
const MAX_EVIDENCE = 6;

/** Weight of one execution, scaled by how many loops enclose it. */
const repeat = (loopDepth: number): number => 1 + 3 * Math.min(loopDepth, 3);

const VERB: Record<ScoreKind, string> = {
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

/** A summary with nothing in it yet: what a function's own facts and its callees add to. */
export function emptySummary(): Summary {
  return {
    scores: { cpu: 0, io: 0, asyncIo: 0, unknown: 0 },
    contributions: [],
    loops: 0,
    nest: 0,
    recursive: false,
    guessed: false,
    knownBlocking: 0,
    cheapWork: 0,
    unresolved: false,
  };
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
 * other files through imports, and what the type checker resolved), memoized per program generation,
 * with cycles treated as recursion. Function expressions passed to calls count for the function
 * around them as their `inline` mode says (once per element for `.map(cb)`).
 */
export class ScriptVerdictEngine {
  readonly resolver: ScriptResolver;
  private memo = new Map<TsFunctionFacts, Summary>();
  private readonly inProgress = new Set<TsFunctionFacts>();
  private readonly callOrder: CallOrderSummaries<SummaryFrame, Summary> = {
    inProgress: this.inProgress,
    memoized: (frame) => this.memo.get(frame.fn),
    remember: (frame, summary) => this.memo.set(frame.fn, summary),
    compute: (frame, missing) => this.computeSummary(frame.entry, frame.fn, missing),
  };
  private memoGeneration = -1;

  constructor(private readonly program: ScriptProgram) {
    this.resolver = new ScriptResolver(program);
  }

  resolve(chain: string, entry: ScriptEntry, fn: TsFunctionFacts): Sym {
    return this.resolver.resolveCallee(chain, entry, fn);
  }

  /** Reports for the file's named functions. */
  report(entry: ScriptEntry, deadline?: Deadline): FunctionReport[] {
    return entry.facts.functions.filter((fn) => fn.reported).map((fn) => this.reportFunction(entry, fn, deadline));
  }

  reportFunction(entry: ScriptEntry, fn: TsFunctionFacts, deadline?: Deadline): FunctionReport {
    const { verdict, recommendation, confidence, evidence } = decide(fn, this.summarize(entry, fn, deadline));
    return { name: fn.name, qualname: fn.qualname, line: fn.line, endLine: fn.endLine, async: fn.async, verdict, recommendation, confidence, evidence };
  }

  /** The verdict alone (no evidence strings). */
  verdictOf(entry: ScriptEntry, fn: TsFunctionFacts): Verdict {
    return verdictOf(fn, this.summarize(entry, fn));
  }

  /** The summary of `fn`, its callees' first, without recursion (`summarizeInCallOrder`). */
  summarize(entry: ScriptEntry, fn: TsFunctionFacts, deadline?: Deadline): Summary {
    if (this.memoGeneration !== this.program.generation) {
      this.memo = new Map();
      this.memoGeneration = this.program.generation;
    }
    return summarizeInCallOrder({ entry, fn }, this.callOrder, deadline);
  }

  /** `fn`'s summary from its callees' memoized summaries; callees not summarized yet are added to `missing` instead (the result is then incomplete). */
  private computeSummary(entry: ScriptEntry, fn: TsFunctionFacts, missing: SummaryFrame[]): Summary {
    const summary = emptySummary();
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
        ...(marks?.fromAsync && { fromAsync: true }),
        ...(kind === 'io' && marks?.blocking && { blocking: marks.blocking }),
        ...(kind === 'cpu' && marks?.heavy && { heavy: marks.heavy }),
      });
    };

    for (const loop of fn.loops) {
      summary.loops++;
      summary.nest = Math.max(summary.nest, loop.depth + 1);
      const what = LOOP_NAME[loop.kind] ?? 'loop';
      if (loop.kind === 'for-await') {
        add('asyncIo', WEIGHT['async-wait'].weight * repeat(loop.depth), loop.line, `${what}: awaits each item of an async iterable (a stream, a cursor)`);
      }
      add('cpu', LOOP_WEIGHT * repeat(loop.depth), loop.line, `${what}: runs JavaScript on the calling thread`);
    }
    if (fn.arithmeticInLoops > 0) {
      add('cpu', ARITHMETIC_IN_LOOP_WEIGHT * fn.arithmeticInLoops, fn.loops[0]?.line ?? fn.line, `${fn.arithmeticInLoops} arithmetic operations inside loops`);
    }
    for (const call of fn.calls) this.addCall(entry, fn, call, summary, add, missing);

    // Function expressions passed to calls: their work is this function's, once or per element.
    for (const child of entry.inlined.get(fn.id) ?? []) this.addInline(entry, child, summary, add, missing);

    summary.contributions.sort((a, b) => b.weight - a.weight);
    summary.contributions.length = Math.min(summary.contributions.length, MAX_CONTRIBUTIONS);
    return summary;
  }

  private addInline(entry: ScriptEntry, child: TsFunctionFacts, summary: Summary, add: Add, missing: SummaryFrame[]): void {
    const perItem = child.inline === 'per-item';
    const depth = (child.inlineDepth ?? 0) + (perItem ? 1 : 0);
    if (perItem) {
      summary.loops++;
      add('cpu', LOOP_WEIGHT * repeat(child.inlineDepth ?? 0), child.line, 'callback run once per element: a loop over the data');
    }
    if (this.inProgress.has(child)) return;
    const inner = this.memo.get(child);
    if (!inner) {
      missing.push({ entry, fn: child });
      return;
    }
    const times = repeat(depth);
    summary.nest = Math.max(summary.nest, depth + inner.nest);
    summary.guessed ||= inner.guessed;
    summary.unresolved ||= inner.unresolved;
    summary.recursive ||= inner.recursive;
    summary.loops += inner.loops;
    summary.cheapWork += inner.cheapWork * times;
    summary.mainThreadOnly ??= inner.mainThreadOnly;
    // The callback is written here: its contributions keep their own lines and reasons.
    for (const c of inner.contributions) {
      add(c.kind, c.weight * times, c.line, times > 1 && !c.reason.includes('(in a loop)') ? `${c.reason} (per element)` : c.reason, {
        ...(c.guessed && { guessed: true }),
        ...(c.fromAsync && { fromAsync: true }),
        ...(c.blocking && { blocking: c.blocking }),
        ...(c.heavy && { heavy: c.heavy }),
      });
    }
    // Contributions beyond the kept ones still count in the scores.
    const kept = { cpu: 0, io: 0, asyncIo: 0, unknown: 0 };
    for (const c of inner.contributions) kept[c.kind] += c.weight;
    for (const kind of ['cpu', 'io', 'asyncIo', 'unknown'] as const) {
      const rest = (inner.scores[kind] - kept[kind]) * times;
      if (rest > 1e-9) summary.scores[kind] += rest;
    }
  }

  /**
   * A call, resolved per binding of its callee's name that reaches it (`calleeBindings`): each binding
   * counts for its share, and a call is known to block (or to be heavy) only when every binding would be.
   */
  private addCall(entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact, summary: Summary, add: Add, missing: SummaryFrame[]): void {
    const bindings = call.calleeBindings;
    if (!bindings) return this.addCallTo(call.callee, entry, fn, call, summary, add, missing);
    const [only] = bindings;
    if (bindings.length === 1 && only !== undefined) return this.addCallTo(only, entry, fn, call, summary, add, missing);
    const before = { loops: summary.loops, cheapWork: summary.cheapWork, unknown: summary.scores.unknown };
    const perBinding = bindings.map((chain) => {
      const added: Parameters<Add>[] = [];
      this.addCallTo(chain, entry, fn, call, summary, (...args) => added.push(args), missing);
      return added;
    });
    // What the bindings added to the summary directly counts for their average too.
    summary.loops = before.loops + Math.ceil((summary.loops - before.loops) / bindings.length);
    summary.cheapWork = before.cheapWork + (summary.cheapWork - before.cheapWork) / bindings.length;
    summary.scores.unknown = before.unknown + (summary.scores.unknown - before.unknown) / bindings.length;
    const everyBlocks = perBinding.every((added) => added.some(([kind, , , , marks]) => marks?.blocking !== undefined && knownToBlock({ kind, ...marks })));
    const everyHeavy = perBinding.every((added) => added.some(([kind, , , , marks]) => kind === 'cpu' && marks?.heavy !== undefined && !marks.fromAsync));
    for (const added of perBinding) {
      for (const [kind, weight, line, reason, marks] of added) {
        const { blocking, heavy, ...rest } = marks ?? {};
        const kept: Marks = { ...rest, ...(everyBlocks && blocking && { blocking }), ...(everyHeavy && heavy && { heavy }) };
        // A wait that only some bindings make is not known to block.
        if (kind === 'io' && !everyBlocks) kept.guessed = true;
        add(kind, weight / perBinding.length, line, reason, kept);
      }
    }
  }

  private addCallTo(chain: string, entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact, summary: Summary, add: Add, missing: SummaryFrame[]): void {
    const times = repeat(call.loopDepth);
    const inLoop = call.loopDepth > 0 ? ' (in a loop)' : '';
    const shown = showChain(chain);
    const sym = this.resolver.resolveCallee(chain, entry, fn);
    const method = sym.kind === 'unknown' ? sym.method : chain.slice(chain.lastIndexOf('.') + 1);

    // Named functions handed to iterating methods (`items.map(parse)`) run per element; to others, once.
    if (call.argChains && method !== undefined) {
      const perItem = ITERATING_METHODS.has(method);
      for (const argChain of call.argChains) {
        const arg = this.resolver.resolveCallee(argChain, entry, fn);
        const target = arg.kind === 'function' ? this.resolver.targetOf(arg) : undefined;
        if (!target || target.fn === fn) continue;
        if (perItem) {
          summary.loops++;
          add('cpu', LOOP_WEIGHT * times, call.line, `${shown}(${showChain(argChain)}): calls it once per element`);
        }
        this.addCallee(entry, fn, target.entry, target.fn, call, showChain(argChain), perItem ? ' (per element)' : inLoop, perItem ? repeat(call.loopDepth + 1) : times, summary, add, missing);
      }
    }

    const applyApi = (api: NodeApiEntry, guessed: boolean, name: string): void => {
      if (api.scalesWithInput && call.literalArg) {
        add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: on a literal (a few bytes): microseconds of work`, { cheap: true });
        return;
      }
      const { kind, weight } = WEIGHT[api.kind];
      const instead = api.instead ? ` (use ${api.instead})` : '';
      const marks: Marks = {
        ...(guessed && { guessed: true }),
        ...(api.kind === 'cheap' && { cheap: true }),
        ...(api.kind === 'sync-wait' && { blocking: { calls: [chain], why: api.why, ...(api.instead && { instead: api.instead }) } }),
        ...(api.heavy && { heavy: { calls: [chain], why: api.why } }),
      };
      add(kind, weight * (api.cost ?? 1) * times * (guessed ? 0.8 : 1), call.line, `${shown}${inLoop}: ${api.why}${api.kind === 'sync-wait' ? instead : ''}`, marks);
      if (guessed) summary.guessed = true;
      if (MAIN_THREAD_ONLY.has(name)) summary.mainThreadOnly ??= { line: call.line, call: name };
    };

    switch (sym.kind) {
      case 'external': {
        const api = lookupNodeApi(sym.name);
        if (MAIN_THREAD_ONLY.has(sym.name)) summary.mainThreadOnly ??= { line: call.line, call: sym.name };
        if (api) applyApi(api, false, sym.name);
        else if (method !== undefined && (ITERATING_METHODS.has(method) || SCANNING_METHODS.has(method))) {
          // A built-in method of a value (`"a,b".split`, `[].map`): a callback's loop is counted with the callback.
          add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: a built-in method`, { cheap: true });
        } else if (call.awaited) {
          applyApi(AWAITED_UNKNOWN, true, '');
        } else {
          summary.unresolved = true;
          add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, `${shown}${inLoop}: ${sym.name} is not in the knowledge base (package source is not followed)`);
        }
        return;
      }
      case 'value':
      case 'unknown': {
        const name = method ?? '';
        if (call.callbacks?.length || call.argChains?.length) {
          if (ITERATING_METHODS.has(name)) return; // the callback's own entry counts the loop
        }
        if (call.awaited) {
          applyApi(AWAITED_UNKNOWN, true, '');
          return;
        }
        const duck = name ? own(DUCK_METHODS, name) : undefined;
        // `res.json(data)` in a handler sends a response; `await response.json()` reads one.
        if (duck && !(duck.kind === 'async-wait' && BODY_READERS.has(name) && !call.awaited)) applyApi(duck, true, '');
        else if (SCANNING_METHODS.has(name) || ITERATING_METHODS.has(name) || name === 'then' || name === 'catch' || name === 'finally' || name === 'on' || name === 'once') {
          add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: a built-in method`, { cheap: true });
        } else if (RESPONSE_METHODS.has(name)) {
          add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: writes a response (queued for the socket)`, { cheap: true });
        } else add('unknown', UNKNOWN_CALL_WEIGHT * times, call.line, `${shown}${inLoop}: cannot tell what this calls`);
        return;
      }
      case 'module':
      case 'class':
      case 'instance':
      case 'function': {
        const target = this.resolver.targetOf(sym);
        if (!target) {
          add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: creates a ${sym.kind === 'class' ? sym.cls.name : 'value'}`, { cheap: true });
          return;
        }
        this.addCallee(entry, fn, target.entry, target.fn, call, shown, inLoop, times, summary, add, missing);
        return;
      }
    }
  }

  private addCallee(callerEntry: ScriptEntry, caller: TsFunctionFacts, calleeEntry: ScriptEntry, target: TsFunctionFacts, call: TsCallFact, shown: string, inLoop: string, times: number, summary: Summary, add: Add, missing: SummaryFrame[]): void {
    const where = target.qualname;
    if (target.memoized && call.constantArgs && !this.inProgress.has(target)) {
      add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: ${where} is memoized (lazy initialization): after the first call it returns the cached value`, { cheap: true });
      return;
    }
    if (this.inProgress.has(target) && deferred(callerEntry, caller)) {
      // Called again from an event or promise callback: the stack has unwound, it is not recursion.
      add('cpu', WEIGHT.cheap.weight, call.line, `${shown}: runs ${where} again later, from a callback`, { cheap: true });
      return;
    }
    if (this.inProgress.has(target)) {
      summary.recursive = true;
      add('cpu', RECURSION_WEIGHT, call.line, `${shown}: recursive call (each level runs JavaScript on the calling thread)`);
      return;
    }
    const callee = this.memo.get(target);
    if (!callee) {
      missing.push({ entry: calleeEntry, fn: target });
      return;
    }
    summary.guessed ||= callee.guessed;
    summary.unresolved ||= callee.unresolved;
    summary.mainThreadOnly ??= callee.mainThreadOnly && { line: call.line, call: callee.mainThreadOnly.call };
    if (callee.loops > 0 || callee.recursive) summary.loops += 1;
    const total = callee.scores.cpu + callee.scores.io + callee.scores.asyncIo;
    if (total - callee.cheapWork < TRIVIAL_WORK && callee.loops === 0 && !callee.recursive) {
      add('cpu', WEIGHT.cheap.weight * times, call.line, `${shown}${inLoop}: calls ${where}, which does little work`, { cheap: true });
      if (callee.scores.unknown > 0) summary.scores.unknown += callee.scores.unknown * CALLEE_DECAY * times;
      return;
    }
    summary.cheapWork += callee.cheapWork * CALLEE_DECAY * times;
    const calleeVerdict = verdictOf(target, callee);
    for (const kind of ['cpu', 'io', 'asyncIo', 'unknown'] as const) {
      const weight = callee.scores[kind] * CALLEE_DECAY * times;
      if (weight <= 0) continue;
      const known = kind === 'io' ? callee.knownBlocking > 0 : true;
      const why = callee.contributions.find((c) => c.kind === kind && (kind !== 'io' || !known || knownToBlock(c)));
      const detail = why ? `, e.g. ${why.reason}` : '';
      const marks: Marks = target.async ? { fromAsync: true } : known ? {} : { guessed: true };
      if (kind === 'io' && why?.blocking && !target.async) marks.blocking = { ...why.blocking, calls: [where, ...why.blocking.calls] };
      if (kind === 'cpu') {
        const heavy = callee.contributions.find((c) => c.heavy);
        if (heavy?.heavy) marks.heavy = { ...heavy.heavy, calls: [where, ...heavy.heavy.calls] };
        else if (calleeVerdict === 'cpu' && callee.scores.cpu >= HEAVY_CPU && callee.nest >= HEAVY_NEST) {
          const file = calleeEntry === callerEntry ? '' : `${path.basename(calleeEntry.file)} `;
          marks.heavy = { calls: [where], why: why ? `${file}line ${why.line}: ${why.reason}` : 'its loops run on the calling thread', cpuBoundFunction: true };
        }
      }
      add(kind, weight, call.line, `${shown}${inLoop}: calls ${where}, which ${VERB[kind]}${kind === 'unknown' ? '' : detail}`, marks);
    }
  }
}

/** A callback run later from the event loop, or a function written inside one. */
function deferred(entry: ScriptEntry, fn: TsFunctionFacts): boolean {
  for (let inner: TsFunctionFacts | undefined = fn; inner && !inner.reported && inner.inline !== undefined && inner.inline !== 'separate'; inner = entry.facts.functions[inner.parent]) {
    if (inner.inline === 'deferred') return true;
  }
  return false;
}

interface Decision {
  verdict: Verdict;
  recommendation: Recommendation;
  confidence: number;
  evidence: Evidence[];
}

/** The verdict of a summary, and the score of the kind of work that decided it. */
function classify(summary: Summary): { verdict: Verdict; dominant: number } {
  const { cpu, unknown, asyncIo } = summary.scores;
  const blocking = summary.scores.io;
  const io = blocking + asyncIo;
  const work = cpu + io;
  let verdict: Verdict;
  let dominant: number;
  if (work - summary.cheapWork < TRIVIAL_WORK && summary.loops === 0 && !summary.recursive) {
    verdict = unknown >= TRIVIAL_WORK / 2 ? 'unknown' : 'trivial';
    dominant = verdict === 'unknown' ? unknown : work;
  } else if (unknown > work) {
    verdict = 'unknown';
    dominant = unknown;
  } else if (asyncIo > 0 && asyncIo >= blocking && io >= 0.5 * cpu) {
    // Awaited I/O overlaps on one event loop (Promise.all); a function whose waits are mostly
    // synchronous stops the loop instead, and is judged on those.
    verdict = 'async-io';
    dominant = io;
  } else if (io >= TRIVIAL_WORK && cpu >= MIXED_CPU_PER_IO.min * io && cpu <= MIXED_CPU_PER_IO.max * io) {
    verdict = 'mixed';
    dominant = io + cpu;
  } else if (io >= cpu) {
    verdict = 'io';
    dominant = io;
  } else {
    verdict = 'cpu';
    dominant = cpu;
  }
  return { verdict, dominant };
}

export function verdictOf(_fn: Pick<TsFunctionFacts, 'line' | 'async'>, summary: Summary): Verdict {
  return classify(summary).verdict;
}

/** Turns a summary into a verdict, a Node recommendation, a confidence and evidence. */
export function decide(fn: Pick<TsFunctionFacts, 'line' | 'async'>, summary: Summary): Decision {
  const { cpu, unknown, asyncIo } = summary.scores;
  const io = summary.scores.io + asyncIo;
  const work = cpu + io;
  const notes: string[] = [];
  const { verdict, dominant } = classify(summary);

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
    case 'mixed':
      recommendation = cpu > io ? 'worker_threads' : 'async';
      break;
    case 'io': {
      recommendation = 'async';
      const sync = summary.contributions.find((c) => c.blocking);
      if (sync) notes.push(`synchronous I/O blocks the event loop: its async form (${sync.blocking?.instead ?? 'the promise API'}) lets the loop overlap the waits; threads are not needed`);
      break;
    }
    case 'async-io':
      recommendation = 'async';
      break;
    case 'trivial':
      recommendation = 'sequential';
      break;
    default:
      recommendation = 'async';
  }

  const denominator = work + unknown;
  const share = denominator > 0 ? Math.min(1, dominant / denominator) : 1;
  let confidence: number;
  if (verdict === 'trivial') confidence = unknown > 0 ? 0.6 : 0.9;
  else if (verdict === 'unknown') confidence = 0.25;
  else confidence = 0.45 + 0.5 * share;
  if (verdict === 'mixed') confidence = Math.min(confidence, 0.7);
  if (summary.guessed) confidence -= 0.1;
  if (summary.unresolved) confidence *= 0.9;
  if (verdict === 'unknown') notes.push('measure it: Compare runs it in each mode');
  confidence = Math.round(Math.min(0.98, Math.max(0.05, confidence)) * 100) / 100;

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
  return { verdict, recommendation, confidence, evidence };
}
