import type { BenchMode } from '../bench/events';

/** A cheaper mode wins when it is within this share of the fastest. */
export const TIE = 0.1;

/** Cheapest first: what a tie goes to (no pool; one thread and an event loop; threads; processes). */
export const MODE_COST: Readonly<Record<BenchMode, number>> = {
  sequential: 0,
  asyncio: 1,
  async: 1,
  threads: 2,
  worker_threads: 2,
  interpreters: 3,
  processes: 4,
  child_process: 4,
  // A cluster costs the most: it must beat every pool on this machine by the margin.
  dask: 5,
};

/**
 * The rule the bench decides by and the cost model predicts by: among candidates (measured or predicted
 * wall times per mode), the cheapest mode whose time is within TIE of the fastest (of two equally cheap,
 * the faster). Undefined for none.
 */
export function cheapestWithinTie<T>(candidates: readonly T[], seconds: (candidate: T) => number, mode: (candidate: T) => BenchMode): T | undefined {
  let fastest: number | undefined;
  for (const candidate of candidates) {
    const time = seconds(candidate);
    if (fastest === undefined || time < fastest) fastest = time;
  }
  if (fastest === undefined) return undefined;
  let chosen: T | undefined;
  for (const candidate of candidates) {
    if (seconds(candidate) > fastest * (1 + TIE)) continue;
    if (chosen === undefined) chosen = candidate;
    else {
      const cheaper = MODE_COST[mode(candidate)] - MODE_COST[mode(chosen)];
      if (cheaper < 0 || (cheaper === 0 && seconds(candidate) < seconds(chosen))) chosen = candidate;
    }
  }
  return chosen;
}
