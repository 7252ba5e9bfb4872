/**
 * Pool dispatchers: functions that hand their work to a pool (threads, processes, interpreters, a
 * cluster, worker_threads, child processes) and wait for it. Judged as a whole they only wait, so the
 * verdict of their wait ("I/O-bound · use threads") would flip whenever their pool changes kind (the
 * CL001 fix turns a thread pool into a process pool and the CPU work leaves the function). They get a
 * verdict of their own, `dispatcher`, whose recommendation is the mode their tasks want.
 *
 * Language-neutral: each language's analysis finds the sites (`DispatchSite`) from its own facts.
 */
import type { Dispatch, Evidence, Finding, FunctionReport, PoolKind, Recommendation } from './model';

/** A call that hands tasks to a pool, as a language's analysis finds it. */
export interface DispatchSite {
  line: number;
  pool: PoolKind;
  /** The task's name and report (its own verdict), when the analysis finds the task. */
  task?: { name: string; report: FunctionReport };
}

/** The mode a pool of each kind is: a task whose recommendation is this mode suits the pool. */
export const POOL_MODE: Readonly<Record<PoolKind, Recommendation>> = {
  thread: 'threads',
  process: 'processes',
  // One GIL per interpreter, and a Dask cluster's workers are processes: both run CPU-bound Python in parallel.
  interpreter: 'processes',
  cluster: 'processes',
  worker_threads: 'worker_threads',
  child_process: 'child_process',
};

/** The rules whose findings say that a pool does not suit its task. */
const POOL_MISMATCH_RULES: ReadonlySet<string> = new Set(['CL001', 'CL002', 'CL102']);
/** A dispatcher whose task the analysis cannot see: the pool it uses is all there is to go on. */
const UNKNOWN_TASK_CONFIDENCE = 0.4;
/** Evidence lines kept from the task's report and from the function's own. */
const TASK_EVIDENCE = 3;
const WHOLE_EVIDENCE = 3;

/** How each kind of pool is named in a sentence: "runs its tasks in a process pool". */
export const POOL_WORDS: Readonly<Record<PoolKind, string>> = {
  thread: 'a thread pool',
  process: 'a process pool',
  interpreter: 'an interpreter pool',
  cluster: 'a Dask cluster',
  worker_threads: 'worker threads',
  child_process: 'child processes',
};

/**
 * The report of a function that dispatches at `sites` (none: the report as it is). The first site
 * whose task is known decides; `findings` are the file's, to name the rule that flags its pool.
 */
export function asDispatcher(report: FunctionReport, sites: readonly DispatchSite[], findings: readonly Finding[]): FunctionReport {
  const site = sites.find((s) => s.task !== undefined) ?? sites[0];
  if (!site) return report;
  const task = site.task?.report;
  const saturated = task !== undefined && usesEveryCore(site.pool, task.verdict);
  const whole = saturated
    ? { verdict: 'trivial' as const, recommendation: 'sequential' as const, confidence: task.confidence }
    : { verdict: report.verdict, recommendation: report.recommendation, confidence: report.confidence };
  const dispatch: Dispatch = { pool: site.pool, line: site.line, whole };
  const evidence: Evidence[] = [];
  if (site.task && task) {
    dispatch.task = { name: site.task.name, verdict: task.verdict, recommendation: task.recommendation, confidence: task.confidence };
    dispatch.suits = task.recommendation === POOL_MODE[site.pool];
    const rule = dispatch.suits ? undefined : findings.find((f) => f.line === site.line && POOL_MISMATCH_RULES.has(f.rule))?.rule;
    if (rule) dispatch.rule = rule;
    const fit = dispatch.suits ? 'which suits it' : `which does not suit it: use ${task.recommendation}${rule ? ` (${rule})` : ''}`;
    evidence.push({ line: site.line, reason: `hands \`${site.task.name}\` to ${POOL_WORDS[site.pool]} and waits: the task is ${task.verdict} (${task.recommendation}), ${fit}` });
    for (const e of task.evidence.slice(0, TASK_EVIDENCE)) evidence.push({ line: site.line, reason: `task \`${site.task.name}\`, its line ${e.line}: ${e.reason}` });
  } else {
    evidence.push({ line: site.line, reason: `hands its tasks to ${POOL_WORDS[site.pool]} and waits: the task is not a function the analysis can see` });
  }
  evidence.push({
    line: report.line,
    reason: saturated
      ? `as a whole: its pool already runs the ${task?.verdict === 'native' ? 'native' : 'CPU'} work on every core, so running several calls of it at once cannot go faster (trivial, sequential); a run of this function itself measures that`
      : `as a whole (its wait on the pool included): ${whole.verdict}, ${whole.recommendation}; a run of this function itself measures that`,
  });
  evidence.push(...report.evidence.slice(0, WHOLE_EVIDENCE));
  const dispatcher: FunctionReport = {
    ...report,
    verdict: 'dispatcher',
    recommendation: task?.recommendation ?? POOL_MODE[site.pool],
    confidence: task?.confidence ?? Math.min(report.confidence, UNKNOWN_TASK_CONFIDENCE),
    evidence,
    dispatch,
  };
  // The function's own prediction is of running it whole; its advice is now its task's, and so is the prediction shown.
  if (task?.predicted) dispatcher.predicted = task.predicted;
  else delete dispatcher.predicted;
  return dispatcher;
}

/**
 * A pool of the default size (one worker per core) whose tasks need cores, in a kind of pool that runs
 * them in parallel: CPU work in processes (or interpreters, a cluster, worker threads, child processes),
 * or native work that releases the lock, even in threads. Then the function already keeps the machine
 * busy, and calling it from another pool only adds start-up and hand-off.
 */
function usesEveryCore(pool: PoolKind, task: FunctionReport['verdict']): boolean {
  if (task === 'native') return true;
  return task === 'cpu' && pool !== 'thread';
}

/**
 * The reports of a file with its dispatchers' replaced (`asDispatcher`): `functions` are the facts the
 * reports were made from, matched by line and qualified name.
 */
export function withDispatchers<F extends { line: number; qualname: string }>(
  reports: readonly FunctionReport[],
  functions: readonly F[],
  sitesOf: (fn: F) => DispatchSite[],
  findings: readonly Finding[],
): FunctionReport[] {
  const byKey = new Map(functions.map((fn) => [`${fn.line}:${fn.qualname}`, fn]));
  return reports.map((report) => {
    const fn = byKey.get(`${report.line}:${report.qualname}`);
    return fn ? asDispatcher(report, sitesOf(fn), findings) : report;
  });
}

/**
 * The verdict, recommendation and confidence a run of the function itself is compared with: a
 * dispatcher's as a whole (a run measures the function with its wait on the pool), anyone else's own.
 */
export function measurableVerdict(fn: FunctionReport): Pick<FunctionReport, 'verdict' | 'recommendation' | 'confidence'> {
  return fn.dispatch ? { ...fn.dispatch.whole } : { verdict: fn.verdict, recommendation: fn.recommendation, confidence: fn.confidence };
}
