import type { Severity } from '../model';
import { CL001 } from './cl001';
import { CL002 } from './cl002';
import { CL003 } from './cl003';
import { CL004 } from './cl004';
import { CL005 } from './cl005';
import { CL006 } from './cl006';
import { CL007 } from './cl007';
import { CL101 } from './cl101';
import { CL102 } from './cl102';
import { CL103 } from './cl103';
import type { PythonRule, ScriptRule } from './rule';

/**
 * The concurrency mistakes the analyzer reports (CL0xx: Python, CL1xx: TypeScript/JavaScript on
 * Node.js), one file per rule. IDs are stable; each has a README section, which `ruleDocumentation`
 * links to (diagnostics' codes, reports). A new rule is a new file and one line here.
 */
export const RULE_DEFINITIONS = [CL001, CL002, CL003, CL004, CL005, CL006, CL007, CL101, CL102, CL103] as const;

export type RuleId = (typeof RULE_DEFINITIONS)[number]['id'];

export interface RuleInfo {
  /** A few words, for group headings (the Findings view, reports). */
  title: string;
  severity: Severity;
}

/** The rules the Python findings pass checks, in ID order. */
export const PYTHON_RULES: readonly PythonRule<RuleId>[] = RULE_DEFINITIONS.filter((rule): rule is Extract<(typeof RULE_DEFINITIONS)[number], PythonRule> => rule.language === 'python');
/** The rules the TypeScript/JavaScript findings pass checks, in ID order. */
export const SCRIPT_RULES: readonly ScriptRule<RuleId>[] = RULE_DEFINITIONS.filter((rule): rule is Extract<(typeof RULE_DEFINITIONS)[number], ScriptRule> => rule.language === 'typescript');

export const RULES: Readonly<Record<RuleId, RuleInfo>> = Object.fromEntries(
  RULE_DEFINITIONS.map((rule) => [rule.id, { title: rule.title, severity: rule.severity }]),
) as Record<RuleId, RuleInfo>;

export const RULE_IDS: RuleId[] = RULE_DEFINITIONS.map((rule) => rule.id);

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}

const README = 'https://github.com/concurrency-lens/concurrency-lens#';

/** The README section that documents a rule. */
export function ruleDocumentation(rule: string): string {
  const docs = isRuleId(rule) ? RULE_DEFINITIONS.find((r) => r.id === rule)?.docs : undefined;
  return `${README}${docs ?? rule.toLowerCase()}`;
}
