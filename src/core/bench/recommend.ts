import type { Verdict } from '../model';
import type { BenchMode } from './events';
import type { BenchRun } from './runner';

/** A cheaper mode wins when it is within this share of the fastest. */
export const TIE = 0.1;

/** Cheapest first: what a tie goes to (no pool; one thread and an event loop; threads; processes). */
const COST: Record<BenchMode, number> = {
  sequential: 0,
  asyncio: 1,
  async: 1,
  threads: 2,
  worker_threads: 2,
  interpreters: 3,
  processes: 4,
  child_process: 4,
};

export interface MeasuredVerdict {
  /** The fastest run that finished. */
  best: { mode: BenchMode; workers: number; wallSeconds: number; speedup: number | null } | null;
  /** What to use: the cheapest mode within 10 % of the fastest. */
  recommendation: BenchMode | null;
  /** One sentence for people, e.g. "processes 1.9x faster than threads: the work holds the GIL". */
  reason: string;
}

/**
 * The measured recommendation: the fastest mode, except that a cheaper one within 10 % of it wins
 * (sequential over asyncio over threads over interpreters over processes; in Node sequential over async
 * over worker_threads over child_process), since it costs less memory,
 * start-up and pickling for the same speed.
 */
export function recommend(runs: readonly BenchRun[]): MeasuredVerdict {
  const fastestOf = new Map<BenchMode, BenchRun>();
  for (const run of runs) {
    if (run.error !== null) continue;
    const known = fastestOf.get(run.mode);
    if (!known || run.wallSeconds < known.wallSeconds) fastestOf.set(run.mode, run);
  }
  const candidates = [...fastestOf.values()].sort((a, b) => a.wallSeconds - b.wallSeconds);
  const fastest = candidates[0];
  if (!fastest) return { best: null, recommendation: null, reason: 'no mode finished' };
  const cheapest = candidates
    .filter((run) => run.wallSeconds <= fastest.wallSeconds * (1 + TIE))
    .sort((a, b) => COST[a.mode] - COST[b.mode])[0] as BenchRun;
  const best = { mode: fastest.mode, workers: fastest.workers, wallSeconds: fastest.wallSeconds, speedup: fastest.speedup };
  return { best, recommendation: cheapest.mode, reason: explain(cheapest, fastest, fastestOf) };
}

/** `3.9x faster than sequential`, or '' when there is nothing to compare with. */
function fasterThan(slower: BenchRun | undefined, faster: BenchRun, what: string): string {
  return slower ? ` ${(slower.wallSeconds / faster.wallSeconds).toFixed(1)}x faster than ${what}` : ' the fastest mode';
}

function explain(chosen: BenchRun, fastest: BenchRun, fastestOf: ReadonlyMap<BenchMode, BenchRun>): string {
  const threads = fastestOf.get('threads');
  const sequential = fastestOf.get('sequential');
  if (chosen !== fastest) {
    return `${chosen.mode} within ${Math.round(100 * (chosen.wallSeconds / fastest.wallSeconds - 1))} % of ${fastest.mode}, and cheaper`;
  }
  switch (chosen.mode) {
    case 'processes':
      return threads
        ? `processes${fasterThan(threads, chosen, 'threads')}: the work holds the GIL`
        : `processes${fasterThan(sequential, chosen, 'sequential')}`;
    case 'threads': {
      const released = chosen.gilContention !== null && chosen.gilContention < 0.5;
      return `threads${fasterThan(sequential, chosen, 'sequential')}${released ? ': the work waits or releases the GIL' : ''}`;
    }
    case 'asyncio':
      return `asyncio${fasterThan(sequential, chosen, 'awaiting one at a time')}: the waits overlap`;
    case 'sequential':
      return 'no pool pays for itself: the work per task is too small';
    case 'interpreters':
      return `interpreters${fasterThan(threads, chosen, 'threads')}: one GIL per interpreter`;
    case 'worker_threads':
      return `worker_threads${fasterThan(sequential, chosen, 'sequential')}: the work runs in parallel off the event loop`;
    case 'child_process': {
      const workerThreads = fastestOf.get('worker_threads');
      return workerThreads
        ? `child_process${fasterThan(workerThreads, chosen, 'worker_threads')}`
        : `child_process${fasterThan(sequential, chosen, 'sequential')}`;
    }
    case 'async':
      return `async${fasterThan(sequential, chosen, 'awaiting one at a time')}: the waits overlap on the event loop`;
  }
}

/**
 * Worker counts to sweep: 1, 2, 4 … up to the core count (the count itself included); for work that
 * waits, also 2x and 4x the cores (waits overlap beyond the cores).
 */
export function defaultWorkers(cores: number, verdict?: Verdict): number[] {
  const counts = new Set<number>();
  for (let k = 1; k < cores; k *= 2) counts.add(k);
  counts.add(Math.max(1, cores));
  if (verdict === 'io' || verdict === 'async-io' || verdict === 'mixed') {
    counts.add(2 * cores);
    counts.add(4 * cores);
  }
  return [...counts].sort((a, b) => a - b);
}
