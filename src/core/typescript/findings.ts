import type { Finding } from '../model';
import { RULES, SCRIPT_RULES, type RuleId } from '../rules';
import type { Report } from '../rules/rule';
import { lastNameOf, WORKER_NAMES } from '../rules/typescript';
import type { ScriptEntry, ScriptProgram } from './program';
import type { ScriptVerdictEngine } from './verdicts';

const WORKER_CALL_RULES = SCRIPT_RULES.filter((rule) => rule.checkWorkerCall);
const FUNCTION_RULES = SCRIPT_RULES.filter((rule) => rule.checkFunction);

/** The findings of one file (every rule of the registry), sorted by line, without those suppressed by an `ignore` comment. */
export function scriptFindings(engine: ScriptVerdictEngine, program: ScriptProgram, entry: ScriptEntry): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const reportFor = (rule: RuleId): Report => (line, message) => {
    const key = `${rule}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ rule, line, severity: RULES[rule].severity, message });
  };
  for (const fn of entry.facts.functions) {
    for (const call of fn.calls) {
      if (!WORKER_NAMES.has(lastNameOf(call.callee))) continue;
      for (const rule of WORKER_CALL_RULES) rule.checkWorkerCall?.({ engine, program, entry, fn, call }, reportFor(rule.id));
    }
    for (const rule of FUNCTION_RULES) rule.checkFunction?.({ engine, entry, fn }, reportFor(rule.id));
  }
  const suppressions = entry.facts.suppressions;
  return findings
    .filter((f) => {
      const ignored = Object.hasOwn(suppressions, f.line) ? suppressions[f.line] : undefined;
      return ignored === undefined || (ignored.length > 0 && !ignored.includes(f.rule));
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
