import { performance } from 'node:perf_hooks';
import type { FileError, FunctionReport } from './model';

/** How long the analysis of one file (parse, extract, its verdicts) may take before the file is skipped. */
export const FILE_BUDGET_MS = 5000;

/** Thrown when a file's analysis runs past its deadline; the file is then reported as skipped. */
export class BudgetExceeded extends Error {
  constructor(budgetMs: number) {
    super(`skipped: analyzing this file took longer than ${budgetMs / 1000} s`);
    this.name = 'BudgetExceeded';
  }
}

/** How many times its budget a file's analysis may wait for a core on a busy machine before it is skipped all the same. */
export const BUSY_MACHINE_GRACE = 4;

/**
 * The end of one file's time budget, checked from the analysis loops (the clock is read every few checks). The
 * budget is of work: it has passed once the wall time is over and the process has also used that much CPU time
 * since the start. On a busy machine the analysis waits for a core while the wall clock runs on; a file is not
 * skipped for that (`concurrency-lens analyze` on a loaded CI machine), up to BUSY_MACHINE_GRACE times its budget.
 */
export class Deadline {
  private readonly start = performance.now();
  private readonly startCpu = process.cpuUsage();
  private checks = 0;

  constructor(readonly budgetMs: number = FILE_BUDGET_MS) {}

  get passed(): boolean {
    const elapsed = performance.now() - this.start;
    if (elapsed <= this.budgetMs) return false;
    if (elapsed > BUSY_MACHINE_GRACE * this.budgetMs) return true;
    const cpu = process.cpuUsage(this.startCpu);
    return (cpu.user + cpu.system) / 1000 > this.budgetMs;
  }

  /** Throws `BudgetExceeded` once the deadline has passed. */
  check(): void {
    if ((++this.checks & 63) === 0 && this.passed) throw new BudgetExceeded(this.budgetMs);
  }
}

/** A file's error message for an analysis that failed: over budget, too deeply nested, or a bug. */
export function analysisFailure(error: unknown): string {
  if (error instanceof BudgetExceeded) return error.message;
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'skipped: the code is nested too deeply to analyze';
  return `analysis failed: ${(error as Error).message ?? String(error)}`;
}

/**
 * One function's failed analysis costs that function alone: `guard` runs a piece of one function's work (its
 * verdict, its findings, its dispatch sites) and, when it throws, records the failure once as the file's error
 * at the function's line and returns the fallback made from the message. A file's budget running out is not one
 * function's failure: it skips the file, as before.
 */
export class FunctionFailures {
  readonly errors: FileError[] = [];
  private readonly failed = new Set<object>();

  guard<T>(fn: FailingFunction, work: () => T, fallback: (failure: string) => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof BudgetExceeded) throw error;
      const failure = analysisFailure(error);
      if (!this.failed.has(fn)) {
        this.failed.add(fn);
        this.errors.push({ line: fn.line, message: `${fn.qualname}: ${failure}` });
      }
      return fallback(failure);
    }
  }
}

type FailingFunction = Pick<FunctionReport, 'name' | 'qualname' | 'line' | 'endLine' | 'async'>;

/** The report of a function whose analysis failed: no verdict to give, the failure as its evidence. */
export function failedFunctionReport(fn: FailingFunction, failure: string): FunctionReport {
  const { name, qualname, line, endLine, async } = fn;
  return { name, qualname, line, endLine, async, verdict: 'unknown', recommendation: 'sequential', confidence: 0, evidence: [{ line, reason: failure }], failure };
}
