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
  /** Called with each report as it is made: the pass keeps none (the whole stdlib's held a quarter of the host's heap at the pass's end: 310 -> 237 MB). */
  onReport?: (file: string, report: FileReport) => void;
}

export interface SlicedReports {
  /** The files reported. */
  files: number;
  slices: number;
  /** The longest stretch (ms) the thread was held without a pause. */
  longestSliceMs: number;
}

/**
 * The reports of many files (`report` makes one), computed on this thread in slices of about `sliceMs`
 * with a pause between them, so a host stays responsive over thousands of files. Both analyzers' passes.
 * `steps`, when given, is work a file's report will need, done first one step at a time: a slice may end
 * between two steps, so that a request does not wait behind one large file's whole report.
 */
export async function reportsInSlices(
  files: readonly string[],
  report: (file: string) => FileReport,
  options: SliceOptions,
  steps?: (file: string) => Iterator<unknown>,
): Promise<SlicedReports | null> {
  let reported = 0;
  let slices = 1;
  let longestSliceMs = 0;
  let sliceStart = performance.now();
  const pauseWhenDue = async (): Promise<void> => {
    const elapsed = performance.now() - sliceStart;
    if (elapsed < options.sliceMs) return;
    longestSliceMs = Math.max(longestSliceMs, elapsed);
    await options.pause();
    slices++;
    sliceStart = performance.now();
  };
  for (const file of files) {
    if (options.cancelled?.()) return null;
    const fileSteps = steps?.(file);
    while (fileSteps && !fileSteps.next().done) {
      await pauseWhenDue();
      if (options.cancelled?.()) return null;
    }
    options.onReport?.(file, report(file));
    reported++;
    await pauseWhenDue();
  }
  longestSliceMs = Math.max(longestSliceMs, performance.now() - sliceStart);
  return options.cancelled?.() ? null : { files: reported, slices, longestSliceMs };
}
