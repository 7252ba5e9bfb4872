import type { FunctionFailures } from '../budget';
import type { Finding } from '../model';
import { POOLS, PROCESS_TASKS, STARTS_PROCESSES, THREAD_TASKS } from '../knowledge/pools';
import { PYTHON_RULES, RULES, type RuleId } from '../rules';
import type { PythonCallSite, PythonFunctionSite, PythonTask } from '../rules/python';
import type { Report } from '../rules/rule';
import type { CallFact, FunctionFacts } from './facts';
import type { ModuleEntry } from './program';
import { splitChain } from './chain';
import { lastNameOf, showChain, type VerdictEngine } from './verdicts';

/** Last names of every API above: calls named otherwise are not resolved at all (most calls are not pool calls). */
const RELEVANT_NAMES = new Set([...THREAD_TASKS, ...PROCESS_TASKS, ...POOLS, ...STARTS_PROCESSES].map(lastNameOf));

const CALL_RULES = PYTHON_RULES.filter((rule) => rule.checkCall);
const FUNCTION_RULES = PYTHON_RULES.filter((rule) => rule.checkFunction);

/** The findings of one module (every rule of the registry), sorted by line, without those suppressed by an `ignore` comment; a function whose rules fail loses its own findings only (see `FunctionFailures`). */
export function findingsOf(engine: VerdictEngine, entry: ModuleEntry, failures: FunctionFailures): Finding[] {
  const findings: Finding[] = [];
  const reportFor = (rule: RuleId): Report => (line, message, fix) => {
    findings.push({ rule, line, severity: RULES[rule].severity, message, ...(fix && { fix }) });
  };
  for (const fn of [entry.facts.module, ...entry.facts.functions]) {
    const before = findings.length;
    failures.guard(
      fn,
      () => {
        for (const call of fn.calls) {
          if (RELEVANT_NAMES.has(lastNameOf(call.callee))) checkCall(engine, entry, fn, call, reportFor);
        }
        const site = functionSite(engine, entry, fn);
        for (const rule of FUNCTION_RULES) rule.checkFunction?.(site, reportFor(rule.id));
      },
      () => void (findings.length = before),
    );
  }
  const suppressions = entry.facts.suppressions ?? {};
  return findings
    .filter((f) => {
      const ignored = suppressions[f.line];
      return ignored === undefined || (ignored.length > 0 && !ignored.includes(f.rule));
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

/**
 * The call rules at one call, once per binding of its receivers that reaches it (`pool` bound by
 * `if`/`else` to two pools): a rule's findings are kept when every binding gives one, else none.
 */
function checkCall(engine: VerdictEngine, entry: ModuleEntry, fn: FunctionFacts, call: CallFact, reportFor: (rule: RuleId) => Report): void {
  const callees = substitute(call.callee, call.receiverBindings);
  const tasks = call.firstArgName === undefined ? [undefined] : substitute(call.firstArgName, call.receiverBindings);
  if (callees.length === 1 && tasks.length === 1) {
    const site = callSite(engine, entry, fn, call, callees[0] ?? null, tasks[0] ?? undefined);
    if (site) for (const rule of CALL_RULES) rule.checkCall?.(site, reportFor(rule.id));
    return;
  }
  let agreed: Map<RuleId, Parameters<Report>[]> | undefined;
  for (const callee of callees) {
    for (const task of tasks) {
      const found = new Map<RuleId, Parameters<Report>[]>();
      const site = callSite(engine, entry, fn, call, callee, task ?? undefined);
      if (site) {
        for (const rule of CALL_RULES) rule.checkCall?.(site, (...finding) => found.set(rule.id, [...(found.get(rule.id) ?? []), finding]));
      }
      agreed = agreed ? new Map([...agreed].filter(([rule]) => found.has(rule))) : found;
    }
  }
  for (const [rule, findings] of agreed ?? []) for (const finding of findings) reportFor(rule)(...finding);
}

/** A chain with its head replaced by each value the head may hold here (null: unknown), or itself. */
function substitute(chain: string, bindings: CallFact['receiverBindings']): (string | null)[] {
  const head = splitChain(chain)[0];
  const values = head && bindings && Object.hasOwn(bindings, head.name) ? bindings[head.name] : undefined;
  if (!head || !values) return [chain];
  return values.map((value) => (value === null ? null : value + chain.slice(head.name.length)));
}

/** The call as a site of the call rules, when its callee (`callee` for the call's, null when unknown) is an API outside the analyzed code. */
function callSite(engine: VerdictEngine, entry: ModuleEntry, fn: FunctionFacts, call: CallFact, callee: string | null, taskChain: string | undefined): PythonCallSite | undefined {
  if (callee === null) return undefined;
  const sym = engine.resolve(callee, entry, fn);
  if (sym.kind !== 'external') return undefined;
  const api = sym.name;
  let task: PythonTask | null | undefined;
  return {
    entry,
    fn,
    call,
    api,
    threads: THREAD_TASKS.has(api),
    processes: PROCESS_TASKS.has(api),
    interpreter: engine.assumedInterpreter,
    task() {
      if (task === undefined) task = resolveTask(engine, entry, fn, taskChain) ?? null;
      return task ?? undefined;
    },
    importedLibraries: () => engine.importedLibraries(entry),
    moduleCalls: (apis) => engine.callsApi(entry, apis),
  };
}

function resolveTask(engine: VerdictEngine, entry: ModuleEntry, fn: FunctionFacts, chain: string | undefined): PythonTask | undefined {
  if (chain === undefined) return undefined;
  const target = engine.resolve(chain, entry, fn);
  if (target.kind !== 'function') return undefined;
  let report: ReturnType<PythonTask['report']> | undefined;
  return { fn: target.fn, report: () => (report ??= engine.reportFunction(target.entry, target.fn)) };
}

function functionSite(engine: VerdictEngine, entry: ModuleEntry, fn: FunctionFacts): PythonFunctionSite {
  return {
    entry,
    fn,
    blockingCalls: () => engine.summarize(entry, fn, 0).blocking,
    showChain,
    externalName(chain) {
      const sym = engine.resolve(chain, entry, fn);
      return sym.kind === 'external' ? sym.name : undefined;
    },
  };
}
