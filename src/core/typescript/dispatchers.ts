import * as path from 'node:path';
import type { DispatchSite } from '../dispatch';
import type { FunctionReport, PoolKind } from '../model';
import { lastNameOf, WORKER_NAMES } from '../rules/typescript';
import type { TsCallFact, TsFunctionFacts } from './facts';
import { workerKind, workerTask } from './findings';
import type { ScriptEntry, ScriptProgram } from './program';
import type { ScriptVerdictEngine } from './verdicts';

/** Methods that hand a task to a worker pool created elsewhere (its constructor names the script). */
const POOL_RUNS: ReadonlySet<string> = new Set(['piscina.Piscina.run', 'workerpool.Pool.exec']);
/** What starts a child process running a module of its own. */
const FORKS: ReadonlySet<string> = new Set(['child_process.fork', 'cluster.fork']);
const DISPATCH_NAMES = new Set([...WORKER_NAMES, ...[...POOL_RUNS, ...FORKS].map(lastNameOf)]);
/** Callbacks followed below a function (`new Promise((resolve) => { … new Worker(…) … })`). */
const MAX_INLINED = 64;

/**
 * The calls of `fn` (and of the callbacks it runs as part of its own work) that hand work to a Worker,
 * a worker pool or a forked process, with the task's report when the worker script is found.
 */
export function scriptDispatchSites(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, fn: TsFunctionFacts): DispatchSite[] {
  const sites: DispatchSite[] = [];
  const owners = [fn];
  for (let i = 0; i < owners.length && owners.length < MAX_INLINED; i++) {
    for (const child of entry.inlined.get((owners[i] as TsFunctionFacts).id) ?? []) if (child.inline !== 'separate') owners.push(child);
  }
  for (const owner of owners) {
    for (const call of owner.calls) {
      if (!DISPATCH_NAMES.has(lastNameOf(call.callee))) continue;
      const site = siteAt(engine, program, entry, owner, call);
      if (site) sites.push(site);
    }
  }
  return sites;
}

function siteAt(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): DispatchSite | undefined {
  let pool: PoolKind;
  let script: string | undefined;
  if (workerKind(engine, entry, fn, call)) {
    pool = 'worker_threads';
    script = call.script;
  } else {
    const sym = engine.resolve(call.callee, entry, fn);
    if (sym.kind !== 'external') return undefined;
    if (POOL_RUNS.has(sym.name)) {
      pool = 'worker_threads';
      script = poolScriptOf(engine, entry);
    } else if (FORKS.has(sym.name)) {
      pool = 'child_process';
    } else {
      return undefined;
    }
  }
  const task = script === undefined ? undefined : taskReport(engine, program, entry, script);
  return { line: call.line, pool, ...(task && { task: { name: task.name, report: task } }) };
}

/** The script of the file's worker pool, when the file creates pools of one script only. */
function poolScriptOf(engine: ScriptVerdictEngine, entry: ScriptEntry): string | undefined {
  const scripts = new Set<string>();
  for (const fn of entry.facts.functions) {
    for (const call of fn.calls) {
      if (call.script !== undefined && WORKER_NAMES.has(lastNameOf(call.callee)) && workerKind(engine, entry, fn, call) === 'pool') scripts.add(call.script);
    }
  }
  return scripts.size === 1 ? [...scripts][0] : undefined;
}

/** The verdict of a worker script's task (its message handlers, else its top-level code), as a report named after the script. */
function taskReport(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, script: string): FunctionReport | undefined {
  const task = workerTask(engine, program, entry, script);
  if (!task) return undefined;
  const name = path.basename(script === '<self>' ? entry.file : script);
  const { verdict, recommendation, confidence, evidence, predicted } = engine.decide({ line: task.line, async: false }, task.summary);
  return { name, qualname: name, line: task.line, endLine: task.line, async: false, verdict, recommendation, confidence, evidence, ...(predicted && { predicted }) };
}
