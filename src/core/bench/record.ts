import type { FunctionReport } from '../model';
import { markdownCode, markdownTableCell, markdownText } from '../markdown';
import { clusterAdvice, type ClusterAdvice } from './cluster';
import type { BenchMode, Runtime } from './events';
import { formatPercent, formatSeconds, formatSpeedup } from './numbers';
import { BUSY_CORES, DEFAULT_BUDGET_SECONDS, decide } from './recommend';
import type { BenchOutcome, BenchRun, CpuWait } from './runner';

/**
 * One benchmark as reported: the CLI's `bench --json` document, and what the editor stores per run
 * (with an id and a date). Built from the runner's outcome in one place so both say the same.
 */
export interface BenchRecord {
  target: { file: string; function: string; call: string };
  /** `runtime` is absent from runs stored before Node runs existed (they are Python). */
  interpreter: { path: string; version: string; gilEnabled: boolean; runtime?: Runtime } | null;
  cores: number;
  tasks: number;
  /**
   * One entry per configuration, with the medians of its repetitions. `otherLoad` is absent from runs
   * stored before it was measured; the repetition fields (`repeats`, `spread`, `speedupSpread`,
   * `samples`, `contended`) from runs stored before the protocol repeated them.
   */
  runs: RecordRun[];
  best: { mode: BenchMode; workers: number; speedup: number | null } | null;
  /** Null when nothing finished, or when the measurement cannot decide (then `inconclusive` says why). */
  recommendation: BenchMode | null;
  reason: string;
  /** Why the measurement cannot decide, with the numbers: present only then. */
  inconclusive?: string;
  /** How it was measured (absent from runs stored before the protocol). */
  protocol?: {
    /** Rounds that ran: every configuration once per round, in rotating order. */
    rounds: number;
    budgetSeconds: number;
    /** The untimed call of task 0 before the rounds; null when it did not end. */
    warmupSeconds: number | null;
  };
  staticVerdict: { verdict: string; recommendation: string } | null;
  /** Why the run stopped before the end (a timeout, a cancel, a crash), when it did. */
  stopped?: string;
  /** Other programs kept cores busy during a run: the timings may be off (see `busyWarning`). */
  warning?: string;
  /** Runs with a dask configuration that finished: what a cluster would do, from the costs measured (cluster.ts). */
  cluster?: ClusterAdvice;
}

type Repeated = 'repeats' | 'spread' | 'speedupSpread' | 'samples' | 'contended';
export type RecordRun = Omit<BenchRun, 'latency' | 'completed' | 'errorDetail' | 'otherLoad' | 'dask' | Repeated> & { otherLoad?: number | null } & Partial<Pick<BenchRun, Repeated>> & {
  /** Dask runs: worker milliseconds per task beyond its work (scheduling, transfers, (de)serialising). */
  perTaskOverheadMs?: number | null;
  /** Dask runs: the pickled arguments and result of a task, on average. */
  bytesPerTask?: number | null;
};

export { BUSY_CORES };

/** A sentence about the busiest run's other load, when it was over BUSY_CORES; undefined otherwise. */
export function busyWarning(runs: BenchRecord['runs'], cores: number): string | undefined {
  let busiest: BenchRecord['runs'][number] | undefined;
  for (const run of runs) {
    if ((run.otherLoad ?? 0) > (busiest?.otherLoad ?? BUSY_CORES)) busiest = run;
  }
  if (!busiest) return undefined;
  const what = `${busiest.mode}${busiest.mode === 'sequential' ? '' : ` ×${busiest.workers}`}`;
  return `other programs kept ${(busiest.otherLoad ?? 0).toFixed(1)} of ${cores} cores busy during the ${what} run: the timings may be off; run again when the machine is quieter`;
}

type Finished = Exclude<BenchOutcome, { kind: 'no-interpreter' } | { kind: 'input-error' }>;

export function benchRecord(
  target: BenchRecord['target'],
  tasks: number,
  outcome: Finished,
  staticVerdict: Pick<FunctionReport, 'verdict' | 'recommendation'> | undefined,
  cores: number,
  budgetSeconds: number = DEFAULT_BUDGET_SECONDS,
): BenchRecord {
  const measured = decide(outcome.runs, { cores: outcome.hello?.cores ?? cores, gilEnabled: outcome.hello?.gilEnabled ?? true });
  const warning = busyWarning(outcome.runs, outcome.hello?.cores ?? cores);
  const cluster = clusterAdvice(outcome.runs, tasks, outcome.hello?.cores ?? cores);
  return {
    target,
    interpreter: outcome.hello
      ? { path: outcome.hello.executable, version: outcome.hello.version, gilEnabled: outcome.hello.gilEnabled, runtime: outcome.hello.runtime }
      : null,
    cores: outcome.hello?.cores ?? cores,
    tasks,
    runs: outcome.runs.map((run) => ({
      mode: run.mode,
      workers: run.workers,
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
      repeats: run.repeats,
      spread: run.spread,
      samples: run.samples,
      speedup: run.speedup,
      speedupSpread: run.speedupSpread,
      contended: run.contended,
      efficiency: run.efficiency,
      gilContention: run.gilContention,
      // Node runs only (the key is absent from Python runs).
      ...(run.eventLoopBlocked !== undefined && { eventLoopBlocked: run.eventLoopBlocked }),
      otherLoad: run.otherLoad === null ? null : Math.round(run.otherLoad * 100) / 100,
      // Linux: the waits for a CPU and the time without them (absent from runs stored before they were read).
      ...(run.cpuWait !== undefined && { cpuWait: run.cpuWait }),
      error: run.error,
      ...(run.dask && {
        perTaskOverheadMs: run.dask.perTaskOverheadSeconds === null ? null : Math.round(run.dask.perTaskOverheadSeconds * 1e6) / 1000,
        bytesPerTask: run.dask.bytesPerTask,
      }),
    })),
    best: measured.best && { mode: measured.best.mode, workers: measured.best.workers, speedup: measured.best.speedup },
    recommendation: measured.recommendation,
    reason: measured.reason,
    ...(measured.inconclusive !== undefined && { inconclusive: measured.inconclusive }),
    protocol: { rounds: outcome.rounds, budgetSeconds, warmupSeconds: outcome.warmup?.seconds ?? null },
    staticVerdict: staticVerdict ? { verdict: staticVerdict.verdict, recommendation: staticVerdict.recommendation } : null,
    ...(outcome.kind !== 'completed' && { stopped: outcome.message }),
    ...(warning && { warning }),
    ...(cluster && { cluster }),
  };
}

/**
 * A configuration's wait for a CPU for people: `38%`, `12–45%` when its lanes waited unevenly, '' when it
 * was not read.
 */
export function cpuWaitText(cpuWait: CpuWait | null | undefined): string {
  if (!cpuWait) return '';
  const least = Math.round(100 * cpuWait.shareLeast);
  const most = Math.round(100 * cpuWait.shareMost);
  return least === most ? `${most}%` : `${least}–${most}%`;
}

/** Does the measured recommendation agree with the static one? Null when either is missing. */
export function agreement(record: BenchRecord): boolean | null {
  if (!record.recommendation || !record.staticVerdict) return null;
  return record.staticVerdict.recommendation === record.recommendation;
}

/** Every run that finished, with no error: what `bench` exits 0 on. */
export function allRunsFinished(record: BenchRecord): boolean {
  return record.stopped === undefined && record.runs.every((run) => run.error === null);
}

/**
 * A run as a Markdown document: the table, the verdict, the static verdict next to it. Every text that
 * comes from the user (the call, the file, error messages) is escaped as the report exports escape it:
 * no HTML in it renders, and a newline or a pipe cannot break the table.
 */
export function renderBenchMarkdown(record: BenchRecord): string {
  const cell = (value: string): string => markdownTableCell(markdownText(value));
  // Runs stored before the waits for a CPU were read, and runs off Linux, have no such column.
  const waits = record.runs.some((run) => run.cpuWait);
  const lines = [
    `# ${markdownCode(record.target.function)}: ${record.recommendation ? `use ${record.recommendation}` : 'no verdict'}`,
    '',
    `${markdownCode(record.target.call)} × ${record.tasks} tasks in ${markdownCode(record.target.file)}, ${record.cores} cores, ${record.interpreter ? markdownText(interpreterLabel(record.interpreter)) : 'interpreter ?'}.`,
    '',
    `| mode | workers | wall time | CPU time | speedup | efficiency | GIL wait |${waits ? ' CPU wait |' : ''} error |`,
    `|---|---:|---:|---:|---:|---:|---:|${waits ? '---:|' : ''}---|`,
    ...record.runs.map((run) =>
      `| ${run.mode} | ${run.workers} | ${formatSeconds(run.wallSeconds)}${run.spread ? ` ± ${formatSeconds(run.spread)}` : ''} | ${formatSeconds(run.cpuSeconds)} | ${formatSpeedup(run.speedup)}${run.speedupSpread ? ` ± ${run.speedupSpread.toFixed(2)}` : ''} | ${formatPercent(run.efficiency)} | ${formatPercent(run.gilContention)} |${waits ? ` ${cpuWaitText(run.cpuWait)} |` : ''} ${cell(run.error ?? '')} |`),
    '',
    record.inconclusive
      ? `**Measured:** inconclusive (${markdownText(record.inconclusive)}).`
      : `**Measured:** ${record.recommendation ?? 'nothing finished'} (${markdownText(record.reason)}).`,
  ];
  if (record.staticVerdict) {
    const agrees = agreement(record);
    lines.push('', `**Static verdict:** ${markdownText(record.staticVerdict.verdict)}, ${markdownText(record.staticVerdict.recommendation)}${agrees === null ? '' : agrees ? ' (agrees)' : ' (disagrees: the measurement settles it)'}.`);
  }
  if (record.stopped) lines.push('', `**Stopped:** ${markdownText(record.stopped)}.`);
  if (record.warning) lines.push('', `**Warning:** ${markdownText(record.warning)}.`);
  if (record.cluster) lines.push('', `**Cluster:** ${markdownText(record.cluster.text)}.`);
  return `${lines.join('\n')}\n`;
}

/** `Python 3.11.7`, `Python 3.13.1 (free-threaded)`, `Node 20.20.2`. */
export function interpreterLabel(interpreter: Pick<NonNullable<BenchRecord['interpreter']>, 'version' | 'gilEnabled' | 'runtime'>): string {
  if (interpreter.runtime === 'node') return `Node ${interpreter.version}`;
  return `Python ${interpreter.version}${interpreter.gilEnabled ? '' : ' (free-threaded)'}`;
}
