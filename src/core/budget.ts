import { performance } from 'node:perf_hooks';

/** How long the analysis of one file (parse, extract, its verdicts) may take before the file is skipped. */
export const FILE_BUDGET_MS = 5000;

/** Thrown when a file's analysis runs past its deadline; the file is then reported as skipped. */
export class BudgetExceeded extends Error {
  constructor(budgetMs: number) {
    super(`skipped: analyzing this file took longer than ${budgetMs / 1000} s`);
    this.name = 'BudgetExceeded';
  }
}

/** The end of one file's time budget, checked from the analysis loops (the clock is read every few checks). */
export class Deadline {
  private readonly end: number;
  private checks = 0;

  constructor(readonly budgetMs: number = FILE_BUDGET_MS) {
    this.end = performance.now() + budgetMs;
  }

  get passed(): boolean {
    return performance.now() > this.end;
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
