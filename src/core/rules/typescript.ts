import type { Evidence, Verdict } from '../model';
import type { TsCallFact, TsFunctionFacts } from '../typescript/facts';
import type { ScriptEntry } from '../typescript/program';
import type { Contribution, Summary } from '../typescript/verdicts';

/** Constructors the Worker rules look at (by last name: other calls are not resolved at all). */
export const WORKER_NAMES = new Set(['Worker', 'Piscina', 'pool']);

export const lastNameOf = (chain: string): string => chain.slice(chain.lastIndexOf('.') + 1);

/**
 * A call that creates a Worker or a worker pool, in one function of one file. The verdict engine is
 * reached through the site's methods, so that the registry stays light for the extension's bundle.
 */
export interface ScriptCallSite {
  entry: ScriptEntry;
  fn: TsFunctionFacts;
  call: TsCallFact;
  kind: 'worker' | 'pool';
  /** The verdict of the worker script's task (its message handlers, else its top-level code), when the script is found. */
  workerTask(): { verdict: Verdict; evidence: Evidence[]; where: string } | undefined;
}

export interface ScriptFunctionSite {
  entry: ScriptEntry;
  fn: TsFunctionFacts;
  /** Its body with its callees folded in. */
  summary(): Summary;
  verdict(summary: Summary): Verdict;
  /** Its event-loop CPU per call is heavy for a request handler (HEAVY_EVENT_LOOP_SECONDS). */
  heavy(summary: Summary): boolean;
  knownToBlock(c: Contribution): boolean;
  /** A chain as evidence shows it: `f(…).g`. */
  showChain(chain: string): string;
  /** The workspace function `chain` denotes in `fn`. */
  resolveFunction(chain: string): { entry: ScriptEntry; fn: TsFunctionFacts } | undefined;
  /** The Worker (or pool) a function creates on every call: outside loops, or in a callback it runs once. */
  workerCreatedBy(entry: ScriptEntry, fn: TsFunctionFacts): TsCallFact | undefined;
}

/** How a function is named in a message. */
export function describe(fn: TsFunctionFacts): string {
  const what = fn.handler ? 'request handler' : fn.async ? 'async function' : 'function';
  return fn.reported ? `${what} \`${fn.qualname}\`` : `the ${fn.handler ? 'request handler' : fn.async ? 'async callback' : 'callback'} at line ${fn.line}`;
}

/** Loops around a call, counting those of the functions it sits in as a callback (`items.map(x => …)`). */
export function effectiveDepth(entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): number {
  let depth = call.loopDepth;
  for (let inner: TsFunctionFacts | undefined = fn; inner && !inner.reported && inner.inline !== undefined && inner.inline !== 'separate'; inner = entry.facts.functions[inner.parent]) {
    depth += (inner.inlineDepth ?? 0) + (inner.inline === 'per-item' ? 1 : 0);
  }
  return depth;
}

/** Inside a loop that builds a pool (sized by the worker or core count), itself or around the callback it is in. */
export function inPoolLoop(entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): boolean {
  if (call.poolLoop) return true;
  for (let inner: TsFunctionFacts | undefined = fn; inner && !inner.reported; inner = entry.facts.functions[inner.parent]) {
    if (inner.poolLoop) return true;
  }
  return false;
}

