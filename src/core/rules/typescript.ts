import * as path from 'node:path';
import { WORKER_CONSTRUCTORS, WORKER_POOLS } from '../knowledge/node';
import type { TsCallFact, TsFunctionFacts } from '../typescript/facts';
import type { ScriptEntry, ScriptProgram } from '../typescript/program';
import { emptySummary, type ScriptVerdictEngine, type Summary } from '../typescript/verdicts';

/** Constructors the Worker rules look at (by last name: other calls are not resolved at all). */
export const WORKER_NAMES = new Set(['Worker', 'Piscina', 'pool']);

export const lastNameOf = (chain: string): string => chain.slice(chain.lastIndexOf('.') + 1);

/** A call whose last name is a worker constructor's, in one function of one file. */
export interface ScriptCallSite {
  engine: ScriptVerdictEngine;
  program: ScriptProgram;
  entry: ScriptEntry;
  fn: TsFunctionFacts;
  call: TsCallFact;
}

export interface ScriptFunctionSite {
  engine: ScriptVerdictEngine;
  entry: ScriptEntry;
  fn: TsFunctionFacts;
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

export function workerKind(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): 'worker' | 'pool' | undefined {
  const sym = engine.resolve(call.callee, entry, fn);
  if (sym.kind !== 'external') return undefined;
  if (WORKER_CONSTRUCTORS.has(sym.name) && call.isNew) return 'worker';
  if (WORKER_POOLS.has(sym.name)) return 'pool';
  return undefined;
}

/** The work of a worker script per task: its `parentPort.on('message')` handlers, else its top-level code. */
export function workerTask(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, script: string): { summary: Summary; line: number; where: string } | undefined {
  const self = script === '<self>';
  const file = self ? entry.file : program.locate(script);
  const target = file === null ? undefined : program.entry(file);
  if (!target) return undefined;
  const handlers = target.facts.workerHandlers.map((id) => target.facts.functions[id]).filter((fn): fn is TsFunctionFacts => fn !== undefined);
  const where = self ? '' : `${path.basename(target.file)}, `;
  if (handlers.length === 0) {
    const module = target.facts.functions[0];
    if (self || !module) return undefined;
    return { summary: engine.summarize(target, module), line: 1, where };
  }
  const summaries = handlers.map((fn) => engine.summarize(target, fn));
  if (summaries.length === 1) return { summary: summaries[0] as Summary, line: handlers[0]?.line ?? 1, where };
  const merged = emptySummary();
  for (const s of summaries) {
    for (const kind of ['cpu', 'io', 'asyncIo', 'unknown'] as const) merged.scores[kind] += s.scores[kind];
    merged.contributions.push(...s.contributions);
    merged.loops += s.loops;
    merged.recursive ||= s.recursive;
    merged.cheapWork += s.cheapWork;
  }
  merged.contributions.sort((a, b) => b.weight - a.weight);
  return { summary: merged, line: handlers[0]?.line ?? 1, where };
}

/** A Worker created in a callback run once by `fn` (`new Promise((resolve) => { new Worker(…) })`). */
export function inlinedWorker(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts): TsCallFact | undefined {
  for (const child of entry.inlined.get(fn.id) ?? []) {
    if (child.inline !== 'once' && child.inline !== 'deferred') continue;
    const found = child.calls.find((c) => c.loopDepth === 0 && WORKER_NAMES.has(lastNameOf(c.callee)) && workerKind(engine, entry, child, c) !== undefined);
    if (found) return found;
  }
  return undefined;
}
