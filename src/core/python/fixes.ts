import type { Finding } from '../model';
import { PYTHON_RULES } from '../rules';
import type { QuickFix } from '../edits';
import type { FactsParser } from './parse';

/**
 * The edit that fixes a finding (by the rule whose fix takes its hint), computed on the current
 * source's syntax tree; null when the code is shaped in a way the fix does not handle (it is then
 * left to the developer).
 */
export function quickFix(parser: FactsParser, source: string, finding: Pick<Finding, 'line' | 'fix'>): QuickFix | null {
  const hint = finding.fix;
  const fix = hint && PYTHON_RULES.find((rule) => rule.quickFix?.hints.includes(hint.kind))?.quickFix;
  if (!hint || !fix) return null;
  const tree = parser.tree(source);
  try {
    return fix.apply(tree.rootNode, source, finding.line - 1, hint);
  } finally {
    tree.delete();
  }
}
