/** The verdict and report model shared by the analyzer, the CLI and the extension. */

/** `dispatcher`: hands its work to a pool (or threads, processes, a cluster) and waits for it (see `Dispatch`). */
export type Verdict = 'cpu' | 'io' | 'native' | 'mixed' | 'async-io' | 'dispatcher' | 'trivial' | 'unknown';
/** Python: processes, threads, asyncio, sequential. Node (TS/JS): worker_threads, child_process, async, sequential. */
export type Recommendation = 'processes' | 'threads' | 'asyncio' | 'sequential' | 'worker_threads' | 'child_process' | 'async';

export const VERDICTS: readonly Verdict[] = ['cpu', 'io', 'native', 'mixed', 'async-io', 'dispatcher', 'trivial', 'unknown'];
export const RECOMMENDATIONS: readonly Recommendation[] = ['processes', 'threads', 'asyncio', 'sequential', 'worker_threads', 'child_process', 'async'];

export type Language = 'python' | 'typescript' | 'javascript';

export interface InterpreterInfo {
  path: string;
  /** e.g. "3.11.7" */
  version: string;
  /** False on a free-threaded build running without the GIL (PEP 703). */
  gilEnabled: boolean;
}

export interface Evidence {
  /** 1-based line. */
  line: number;
  reason: string;
}

export interface FunctionReport {
  name: string;
  qualname: string;
  /** 1-based, inclusive. */
  line: number;
  endLine: number;
  async: boolean;
  verdict: Verdict;
  recommendation: Recommendation;
  confidence: number;
  evidence: Evidence[];
  /** The latest run stored for the function (`.concurrency-lens/`), when there is one. */
  measured?: MeasuredResult;
  /** What the cost model predicts for a number of calls of the function (for a dispatcher: of its task), when the engine predicts. */
  predicted?: PredictedResult;
  /** For the verdict `dispatcher`: the pool it hands its tasks to, and what its tasks want. */
  dispatch?: Dispatch;
  /** The analysis of this function failed (a bug of the analyzer's, not of the code): why. Its verdict is then `unknown`. */
  failure?: string;
}

/** Where a dispatcher's tasks run. */
export type PoolKind = 'thread' | 'process' | 'interpreter' | 'cluster' | 'worker_threads' | 'child_process';
export const POOL_KINDS: readonly PoolKind[] = ['thread', 'process', 'interpreter', 'cluster', 'worker_threads', 'child_process'];

/**
 * A function that hands its tasks to a pool and waits: its verdict is `dispatcher`, its recommendation
 * the mode its tasks want. What the rest of the analysis makes of the function as a whole (its own
 * work and its wait on the pool) is kept in `whole`: a run of the function itself is measured
 * against that.
 */
export interface Dispatch {
  pool: PoolKind;
  /** The call that hands the tasks over. */
  line: number;
  /** The task's own verdict, when the analyzer finds the task (a function, a worker script). */
  task?: { name: string; verdict: Verdict; recommendation: Recommendation; confidence: number };
  /** The task's recommendation is the pool's own mode. */
  suits?: boolean;
  /** The finding at `line` that says the pool does not suit the task (`CL001`, `CL002`, `CL102`). */
  rule?: string;
  whole: { verdict: Verdict; recommendation: Recommendation; confidence: number };
}

/** The cost model's prediction: wall seconds of `tasks` calls in each mode on `cores` cores. */
export interface PredictedResult {
  tasks: number;
  cores: number;
  seconds: { sequential: number; threads: number; processes: number; asyncio?: number };
  /** The mode the bench's rule picks among the predicted times. */
  best: Recommendation;
  /** Sequential time over the best mode's. */
  speedup: number;
  /** When a size was assumed and no pool pays at it: how large it must be for one to pay, e.g. "pays off above ~3,000 items". */
  breakEven?: string;
}

/** A stored run's answer for a function, as `analyze --json` carries it. */
export interface MeasuredResult {
  /** Null when the run could not decide (then `inconclusive` may say why). */
  recommendation: string | null;
  /** The recommended mode's speedup over sequential. */
  speedup: number | null;
  /** ± of the speedup (half the range of the per-round speedups). */
  speedupSpread?: number;
  /** Timed repetitions behind it. */
  repeats?: number;
  /** The function's source changed since the run. */
  stale: boolean;
  /** When the run was stored (ISO-8601). */
  at: string;
  inconclusive?: string;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  rule: string;
  line: number;
  severity: Severity;
  message: string;
  /** Present when a quick fix applies; the edit itself is computed from the source (`fixes.ts`). */
  fix?: FixHint;
}

/**
 * The quick fix a finding admits: swap the pool kind (the task is a module-level function, so it
 * pickles), wrap module-level code in a `__main__` guard, call `gc.freeze()` before a forking pool starts, or
 * make a direct blocking call in `async def` awaitable (`callee` is the called expression, e.g. `time.sleep`).
 */
export type FixHint =
  | { kind: 'use-processes' }
  | { kind: 'use-threads' }
  | { kind: 'main-guard' }
  | { kind: 'gc-freeze' }
  | { kind: 'await-to-thread'; callee: string }
  | { kind: 'await-asyncio-sleep'; callee: string };

export interface FileError {
  line: number | null;
  message: string;
}

export interface FileReport {
  path: string;
  language: Language;
  functions: FunctionReport[];
  findings: Finding[];
  errors: FileError[];
}

export interface AnalysisReport {
  interpreter: InterpreterInfo | null;
  files: FileReport[];
}
