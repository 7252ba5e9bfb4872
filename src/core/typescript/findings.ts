import * as path from 'node:path';
import { WORKER_CONSTRUCTORS, WORKER_POOLS } from '../knowledge/node';
import type { FunctionFailures } from '../budget';
import type { Finding } from '../model';
import { RULES, SCRIPT_RULES, type RuleId } from '../rules';
import type { Report } from '../rules/rule';
import { effectiveDepth, lastNameOf, WORKER_NAMES, type ScriptCallSite, type ScriptFunctionSite } from '../rules/typescript';
import type { TsCallFact, TsFunctionFacts } from './facts';
import type { ScriptEntry, ScriptProgram } from './program';
import { heavyOnEventLoop, knownToBlock, mergeSummaries, showChain, type ScriptVerdictEngine, type Summary } from './verdicts';

const WORKER_CALL_RULES = SCRIPT_RULES.filter((rule) => rule.checkWorkerCall);
const FUNCTION_RULES = SCRIPT_RULES.filter((rule) => rule.checkFunction);

/** The findings of one file (every rule of the registry), sorted by line, without those suppressed by an `ignore` comment; a function whose rules fail loses its own findings only (see `FunctionFailures`). */
export function scriptFindings(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, failures: FunctionFailures): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const reportFor = (rule: RuleId): Report => (line, message) => {
    const key = `${rule}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ rule, line, severity: RULES[rule].severity, message });
  };
  for (const fn of entry.facts.functions) {
    const before = findings.length;
    failures.guard(
      fn,
      () => {
        for (const call of fn.calls) {
          if (!WORKER_NAMES.has(lastNameOf(call.callee))) continue;
          const site = workerCallSite(engine, program, entry, fn, call);
          if (site) for (const rule of WORKER_CALL_RULES) rule.checkWorkerCall?.(site, reportFor(rule.id));
        }
        const site = functionSite(engine, entry, fn);
        for (const rule of FUNCTION_RULES) rule.checkFunction?.(site, reportFor(rule.id));
      },
      () => {
        for (const dropped of findings.splice(before)) seen.delete(`${dropped.rule}:${dropped.line}`);
      },
    );
  }
  const suppressions = entry.facts.suppressions;
  return findings
    .filter((f) => {
      const ignored = Object.hasOwn(suppressions, f.line) ? suppressions[f.line] : undefined;
      return ignored === undefined || (ignored.length > 0 && !ignored.includes(f.rule));
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

function workerCallSite(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry, fn: TsFunctionFacts, call: TsCallFact): ScriptCallSite | undefined {
  const kind = workerKind(engine, entry, fn, call);
  if (!kind) return undefined;
  return {
    entry,
    fn,
    call,
    kind,
    workerTask() {
      const task = call.script === undefined ? undefined : workerTask(engine, program, entry, call.script);
      if (!task) return undefined;
      const { verdict, evidence } = engine.decide({ line: task.line, async: false }, task.summary);
      return { verdict, evidence, where: task.where };
    },
  };
}

function functionSite(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts): ScriptFunctionSite {
  return {
    entry,
    fn,
    summary: () => engine.summarize(entry, fn),
    verdict: (summary) => engine.decide(fn, summary).verdict,
    heavy: heavyOnEventLoop,
    knownToBlock,
    showChain,
    resolveFunction(chain) {
      const sym = engine.resolve(chain, entry, fn);
      return sym.kind === 'function' ? sym : undefined;
    },
    workerCreatedBy: (target, created) =>
      created.calls.find((c) => WORKER_NAMES.has(lastNameOf(c.callee)) && effectiveDepth(target, created, c) === 0 && workerKind(engine, target, created, c) !== undefined)
        ?? inlinedWorker(engine, target, created),
  };
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
  return { summary: mergeSummaries(summaries), line: handlers[0]?.line ?? 1, where };
}

/** A Worker created in a callback run once by `fn` (`new Promise((resolve) => { new Worker(…) })`). */
function inlinedWorker(engine: ScriptVerdictEngine, entry: ScriptEntry, fn: TsFunctionFacts): TsCallFact | undefined {
  for (const child of entry.inlined.get(fn.id) ?? []) {
    if (child.inline !== 'once' && child.inline !== 'deferred') continue;
    const found = child.calls.find((c) => c.loopDepth === 0 && WORKER_NAMES.has(lastNameOf(c.callee)) && workerKind(engine, entry, child, c) !== undefined);
    if (found) return found;
  }
  return undefined;
}
