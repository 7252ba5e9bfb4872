import * as vscode from 'vscode';
import { DEFAULT_BUDGET_SECONDS } from '../core/bench/recommend';
import type { StartMethod } from '../core/bench/runner';
import type { Severity } from '../core/model';
import { isRuleId, RULES, type RuleId } from '../core/rules';
import { SECTION, Settings } from './constants';

/** A rule's configured severity; `off` hides its findings everywhere (editor, views, exports). */
export type RuleSeverity = Severity | 'off';

const RULE_SEVERITIES: readonly RuleSeverity[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Typed access to the extension's settings. */
export interface LensConfig {
  pythonPath: string;
  /** The Node that runs TS/JS benchmarks; empty: the extension host's own runtime. */
  nodePath: string;
  analysisExclude: string[];
  followLibraries: boolean;
  codeLens: boolean;
  /** Run in threads / Run in processes / Compare beside the verdict. */
  runActions: boolean;
  diagnostics: boolean;
  /** Every rule's severity: the setting's value where it names a valid one, else the rule's default. */
  severity: Record<RuleId, RuleSeverity>;
  /** How often the live panel's monitor samples (ms). */
  monitorIntervalMs: number;
  benchmark: {
    tasks: number;
    /** Empty: 1, 2, 4 … up to the cores (and beyond for I/O). */
    workers: number[];
    startMethod: StartMethod;
    timeoutSeconds: number;
    /** Seconds of measuring spent on more rounds while the first ones disagree (0: the minimum rounds). */
    timeBudgetSeconds: number;
  };
}

const START_METHODS: readonly StartMethod[] = ['default', 'spawn', 'fork', 'forkserver'];
const nonNegative = (value: number | undefined, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback);
const positive = (value: number | undefined, fallback: number): number => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : fallback);

export function readConfig(scope?: vscode.ConfigurationScope): LensConfig {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const configured = config.get<Record<string, unknown>>(Settings.diagnosticsSeverity, {});
  const severity = Object.fromEntries(Object.entries(RULES).map(([rule, info]) => [rule, info.severity])) as Record<RuleId, RuleSeverity>;
  for (const [rule, value] of Object.entries(configured ?? {})) {
    if (isRuleId(rule) && RULE_SEVERITIES.includes(value as RuleSeverity)) severity[rule] = value as RuleSeverity;
  }
  return {
    pythonPath: config.get<string>(Settings.pythonPath, '').trim(),
    nodePath: config.get<string>(Settings.nodePath, '').trim(),
    analysisExclude: config.get<string[]>(Settings.analysisExclude, []),
    followLibraries: config.get<boolean>(Settings.followLibraries, true),
    codeLens: config.get<boolean>(Settings.codeLensEnable, true),
    runActions: config.get<boolean>(Settings.runActionsEnable, true),
    diagnostics: config.get<boolean>(Settings.diagnosticsEnable, true),
    severity,
    monitorIntervalMs: Math.max(20, positive(config.get<number>(Settings.monitorInterval), 100)),
    benchmark: {
      tasks: positive(config.get<number>(Settings.benchmarkTasks), 16),
      workers: config.get<number[]>(Settings.benchmarkWorkers, []).filter((w) => Number.isInteger(w) && w > 0),
      startMethod: START_METHODS.find((m) => m === config.get<string>(Settings.benchmarkStartMethod)) ?? 'default',
      timeoutSeconds: positive(config.get<number>(Settings.benchmarkTimeout), 300),
      timeBudgetSeconds: nonNegative(config.get<number>(Settings.benchmarkTimeBudget), DEFAULT_BUDGET_SECONDS),
    },
  };
}

export function affectsAnalyzer(event: vscode.ConfigurationChangeEvent): boolean {
  return [Settings.pythonPath, Settings.followLibraries].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

export function affects(event: vscode.ConfigurationChangeEvent, ...keys: Array<(typeof Settings)[keyof typeof Settings]>): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
