import { performance } from 'node:perf_hooks';
import type { FileReport } from './model';

/** How a pass over many files shares its thread: work `sliceMs`, then `pause`. */
export interface SliceOptions {
  /** Work this long (ms) between pauses. */
  sliceMs: number;
  /** Awaited between slices: lets the host thread serve other work (e.g. `setImmediate`). */
  pause: () => Promise<void>;
  /** Checked before each file: true abandons the pass (it then returns null). */
  cancelled?: () => boolean;
  /** Called with each report as it is made. */
  onReport?: (file: string, report: FileReport) => void;
}

export interface SlicedReports {
  reports: Map<string, FileReport>;
  slices: number;
  /** The longest stretch (ms) the thread was held without a pause. */
  longestSliceMs: number;
}

/**
 * The reports of many files (`report` makes one), computed on this thread in slices of about `sliceMs`
 * with a pause between them, so a host stays responsive over thousands of files. Both analyzers' passes.
 */
export async function reportsInSlices(files: readonly string[], report: (file: string) => FileReport, options: SliceOptions): Promise<SlicedReports | null> {
  const reports = new Map<string, FileReport>();
  let slices = 1;
  let longestSliceMs = 0;
  let sliceStart = performance.now();
  for (const file of files) {
    if (options.cancelled?.()) return null;
    const made = report(file);
    reports.set(file, made);
    options.onReport?.(file, made);
    const elapsed = performance.now() - sliceStart;
    if (elapsed >= options.sliceMs) {
      longestSliceMs = Math.max(longestSliceMs, elapsed);
      await options.pause();
      slices++;
      sliceStart = performance.now();
    }
  }
  longestSliceMs = Math.max(longestSliceMs, performance.now() - sliceStart);
  return options.cancelled?.() ? null : { reports, slices, longestSliceMs };
}
