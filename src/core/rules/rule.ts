import type { Node } from '@vscode/tree-sitter-wasm';
import type { FixHint, Severity } from '../model';
import type { QuickFix } from '../edits';
import type { PythonCallSite, PythonFunctionSite } from './python';
import type { ScriptCallSite, ScriptFunctionSite } from './typescript';

/** What every rule declares: the registry, package.json's settings and the README are checked against it. */
interface RuleBase<Id extends string> {
  /** Stable: CL0xx for Python, CL1xx for TypeScript/JavaScript on Node.js. */
  id: Id;
  /** A few words, for group headings (the Findings view, reports). */
  title: string;
  /** The default; `concurrencyLens.diagnostics.severity` overrides it. */
  severity: Severity;
  /** The README section that documents the rule (its heading's anchor). */
  docs: string;
}

/** Reports a finding of the rule being checked. */
export type Report = (line: number, message: string, fix?: FixHint) => void;

export interface PythonRule<Id extends string = string> extends RuleBase<Id> {
  language: 'python';
  /** Checked at each call that hands work to a pool or starts one (see `PythonCallSite`). */
  checkCall?(site: PythonCallSite, report: Report): void;
  /** Checked once per function (the module's top-level code included). */
  checkFunction?(site: PythonFunctionSite, report: Report): void;
  /** The edit for the fix hints this rule's findings carry. */
  quickFix?: {
    hints: readonly FixHint['kind'][];
    apply(module: Node, source: string, row: number, hint: FixHint): QuickFix | null;
  };
}

export interface ScriptRule<Id extends string = string> extends RuleBase<Id> {
  language: 'typescript';
  /** Checked at each call whose last name is a worker constructor (`Worker`, `Piscina`, `pool`). */
  checkWorkerCall?(site: ScriptCallSite, report: Report): void;
  /** Checked once per function (the module's top-level code and callbacks included). */
  checkFunction?(site: ScriptFunctionSite, report: Report): void;
}

export type Rule = PythonRule | ScriptRule;
