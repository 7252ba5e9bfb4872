import type { Severity } from './model';

/**
 * The concurrency mistakes the analyzer reports (CL0xx: Python, CL1xx: TypeScript/JavaScript on
 * Node.js). IDs are stable; each has a README section, which
 * `ruleDocumentation` links to (diagnostics' codes, reports).
 */
export type RuleId = 'CL001' | 'CL002' | 'CL003' | 'CL004' | 'CL005' | 'CL006' | 'CL101' | 'CL102' | 'CL103';

export interface RuleInfo {
  /** A few words, for group headings (the Findings view, reports). */
  title: string;
  severity: Severity;
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  CL001: { title: 'GIL-bound CPU work in threads', severity: 'warning' },
  CL002: { title: 'I/O-bound work in processes', severity: 'warning' },
  CL003: { title: 'task a process pool cannot pickle', severity: 'error' },
  CL004: { title: 'processes started without a __main__ guard', severity: 'warning' },
  CL005: { title: 'blocking call in async def', severity: 'warning' },
  CL006: { title: 'pool created inside a loop', severity: 'warning' },
  // TypeScript/JavaScript (Node.js).
  CL101: { title: 'event loop blocked in an async function or request handler', severity: 'warning' },
  CL102: { title: 'worker_threads used for I/O-only work', severity: 'warning' },
  CL103: { title: 'a Worker created per task inside a loop', severity: 'warning' },
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}

const README = 'https://github.com/concurrency-lens/concurrency-lens#';

/** The README section that documents a rule. */
export function ruleDocumentation(rule: string): string {
  return `${README}${rule.toLowerCase()}`;
}
