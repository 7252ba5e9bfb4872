import type { Deadline } from './budget';

/** How `summarizeInCallOrder` reads and fills one language's memo of function summaries. */
export interface CallOrderSummaries<Frame extends { fn: object }, Summary> {
  /** Functions whose summary is being computed: a call back into one of them is recursion. */
  readonly inProgress: Set<Frame['fn']>;
  memoized(frame: Frame): Summary | undefined;
  remember(frame: Frame, summary: Summary): void;
  /** The summary from the callees' memoized ones; callees not summarized yet go to `missing` (the result is then discarded). */
  compute(frame: Frame, missing: Frame[]): Summary;
}

/**
 * The summary of `start`, its callees' first, as a recursive descent would compute it but without
 * recursion (a call chain thousands of functions deep must not overflow the stack): `compute` names
 * the callees it still lacks, they are summarized in call order with the caller in progress, then the
 * caller is computed again. Both languages' verdict engines use it.
 */
export function summarizeInCallOrder<Frame extends { fn: object }, Summary>(
  start: Frame,
  summaries: CallOrderSummaries<Frame, Summary>,
  deadline?: Deadline,
): Summary {
  const cached = summaries.memoized(start);
  if (cached) return cached;
  const frames = [{ frame: start, started: false }];
  try {
    let summary: Summary | undefined;
    while (frames.length > 0) {
      deadline?.check();
      const top = frames[frames.length - 1] as (typeof frames)[number];
      if (!top.started) {
        const done = summaries.memoized(top.frame);
        if (done || summaries.inProgress.has(top.frame.fn)) {
          frames.pop();
          summary = done;
          continue;
        }
        top.started = true;
        summaries.inProgress.add(top.frame.fn);
      }
      const missing: Frame[] = [];
      const computed = summaries.compute(top.frame, missing);
      if (missing.length > 0) {
        for (let k = missing.length - 1; k >= 0; k--) frames.push({ frame: missing[k] as Frame, started: false });
        continue;
      }
      frames.pop();
      summaries.inProgress.delete(top.frame.fn);
      summaries.remember(top.frame, computed);
      summary = computed;
    }
    return summary as Summary;
  } finally {
    for (const { frame, started } of frames) if (started) summaries.inProgress.delete(frame.fn);
  }
}
