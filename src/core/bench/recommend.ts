import { cheapestWithinTie, MODE_COST, TIE } from '../cost/choose';
import type { Verdict } from '../model';
import type { BenchMode, LaneTimes } from './events';
import type { BenchRun, CpuWait } from './runner';

/** Rounds a run makes at least (every configuration once per round). */
export const DEFAULT_REPEATS = 3;
/** More rounds start, while the results disagree, only if one more fits in this many seconds of measuring. */
export const DEFAULT_BUDGET_SECONDS = 20;
/** Other programs keeping this many cores busy on average during a run make its timings suspect. */
export const BUSY_CORES = 0.3;
/** The medians' recommendation must hold (not be contradicted) in at least this share of the rounds. */
const AGREEING_ROUNDS = 2 / 3;
/** A repetition was starved when it got less than this share of the cores it could use ... */
const STARVED_SHARE = 0.9;
/** ... while it computed (a fifth of a core at least: waits need no core) ... */
const COMPUTING_SHARE = 0.2;
/** ... and the machine was full: its own share and the other load within this of all the cores. */
const FULL_MARGIN = 0.25;
/** Below this time per task, a pool's start-up and hand-offs can cost more than the work (seconds). */
const SMALL_TASK_SECONDS = 0.005;
/** A repetition that waited this share of its time or more for a CPU was starved (read from its lanes). */
export const STARVED_WAIT = 0.1;
/**
 * A configuration that may have waited more than this share of its time for a CPU: its time without the
 * waits would be under a third of what was measured, and what the waits do not capture (caches and memory
 * bandwidth shared with the other programs) over three times as large in it. The verdict stays open
 * where such a configuration counts. (A pool of two beside one busy core gets one core: half its time.)
 */
export const UNRELIABLE_WAIT = 2 / 3;
/** Waits under this share of every configuration's time are not worth a word in the reason. */
const NOTABLE_WAIT = 0.05;

export interface MeasuredVerdict {
  /** The fastest run that finished. */
  best: { mode: BenchMode; workers: number; wallSeconds: number; speedup: number | null } | null;
  /** What to use: the cheapest mode within 10 % of the fastest; null when nothing finished or the measurement cannot decide. */
  recommendation: BenchMode | null;
  /** One sentence for people, e.g. "processes 1.9× ± 0.1 faster than threads over 5 runs: the work holds the GIL". */
  reason: string;
  /** Why the measurement cannot decide, with the numbers; absent when it can (or nothing finished). */
  inconclusive?: string;
}

/** What the decision needs to know of the machine and the interpreter. */
export interface MachineContext {
  cores: number;
  /** Python with the GIL: its threads share one core. */
  gilEnabled: boolean;
}

/**
 * The measured recommendation: the fastest mode, except that a cheaper one within 10 % of it wins
 * (sequential over asyncio over threads over interpreters over processes over dask; in Node sequential over async
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
  const cheapest = cheapestWithinTie(candidates, (run) => run.wallSeconds, (run) => run.mode) as BenchRun;
  const best = { mode: fastest.mode, workers: fastest.workers, wallSeconds: fastest.wallSeconds, speedup: fastest.speedup };
  return { best, recommendation: cheapest.mode, reason: explain(cheapest, fastest, fastestOf) };
}

/** `3.9× ± 0.2 faster than sequential over 5 runs`, or ' the fastest mode' when there is nothing to compare with. */
function fasterThan(slower: BenchRun | undefined, faster: BenchRun, what: string): string {
  if (!slower) return ' the fastest mode';
  return ` ${ratioText(slower, faster)} faster than ${what}${overRuns(faster)}`;
}

/** `1.9×`, with `± 0.1` when the rounds give a spread: the ratio of the medians, ± half the range of the per-round ratios. */
function ratioText(slower: BenchRun, faster: BenchRun): string {
  const spread = halfRange(perRoundRatios(slower, faster));
  return `${(slower.wallSeconds / faster.wallSeconds).toFixed(1)}×${spread === null ? '' : ` ± ${spread.toFixed(1)}`}`;
}

function overRuns(run: BenchRun): string {
  return run.repeats > 1 ? ` over ${run.repeats} runs` : '';
}

/** slower's wall time / faster's, round by round (the samples of configurations that ran every round line up). */
export function perRoundRatios(slower: Pick<BenchRun, 'samples'>, faster: Pick<BenchRun, 'samples'>): number[] {
  const rounds = Math.min(slower.samples.length, faster.samples.length);
  const ratios: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const denominator = faster.samples[k] as number;
    if (denominator > 0) ratios.push((slower.samples[k] as number) / denominator);
  }
  return ratios;
}

/** Half the distance between the largest and the smallest value; null for fewer than two. */
export function halfRange(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  return (Math.max(...values) - Math.min(...values)) / 2;
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const ordered = [...values].sort((a, b) => a - b);
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 === 1 ? (ordered[middle] as number) : ((ordered[middle - 1] as number) + (ordered[middle] as number)) / 2;
}

/** Threads whose GIL probe waited this share of the time or more ran Python bytecode: one core at a time. */
const GIL_BOUND = 0.5;

/**
 * The cores a configuration can keep busy: one for a single thread or an event loop; for threads under
 * the GIL, one unless the GIL probe says they released it (native work: they use their cores).
 */
export function usableCores(mode: BenchMode, workers: number, context: MachineContext, gilContention: number | null = null): number {
  if (mode === 'sequential' || mode === 'asyncio' || mode === 'async') return 1;
  if (mode === 'threads' && context.gilEnabled && (gilContention === null || gilContention >= GIL_BOUND)) return 1;
  return Math.max(1, Math.min(workers, context.cores));
}

/**
 * Was one repetition starved of CPU by other programs? Read from the data alone: it computed (its own CPU
 * time over its wall time is a real share of a core), it got well under the cores it could use, other
 * programs kept cores busy, and together they filled the machine (so the missing share went to them).
 * E.g. sequential CPU-bound work getting 0.4 of a core while other programs kept 1.6 of 2 busy.
 */
export function starved(
  repetition: { mode: BenchMode; workers: number; wallSeconds: number; cpuSeconds: number; otherLoad: number | null; gilContention?: number | null },
  context: MachineContext,
): boolean {
  const { wallSeconds, cpuSeconds, otherLoad } = repetition;
  if (otherLoad === null || otherLoad < BUSY_CORES || wallSeconds <= 0) return false;
  const share = cpuSeconds / wallSeconds;
  const usable = usableCores(repetition.mode, repetition.workers, context, repetition.gilContention ?? null);
  return share >= COMPUTING_SHARE && share < STARVED_SHARE * usable && share + otherLoad >= context.cores - FULL_MARGIN;
}

/** A repetition's time had no other program wanted the CPUs: the least and the most its lanes' waits allow. */
export interface Unhindered {
  fastest: number;
  slowest: number;
}

/**
 * What a repetition would have taken without its waits for a CPU (the critical path's wait taken off
 * its wall time), from its lanes (threads or worker processes that ran its tasks, with their waits from
 * schedstat and when their last task ended); null without lanes.
 *
 * - One lane (sequential, asyncio, async, a pool of one): it is the critical path: wall − its wait.
 * - Lanes that take turns on one core (threads holding the GIL): only one runs at a time, so their waits
 *   add up on the path, unless some waited while another held the GIL: between wall − the sum and
 *   wall − the longest single wait.
 * - Whatever the waits: no faster than the lanes' CPU time on the cores they can use (their sum on one
 *   core for lanes that take turns: a thread woken for the GIL waits while the one that drops it still runs).
 * - Lanes in parallel (processes, worker_threads, child_process, threads that release the GIL): the
 *   run ends with its last lane. At the slowest, each lane loses its own waits and keeps its tasks
 *   (the latest of end − wait, plus the time after the last task); at the fastest, the waits are shared
 *   out evenly (the tasks a starved lane left to the others come back to it): the last end − the mean wait.
 * - More lanes than cores: they wait for each other too, and that is their own time: nothing comes off
 *   at the slowest.
 */
export function unhindered(
  repetition: { mode: BenchMode; workers: number; wallSeconds: number; gilContention: number | null; lanes?: readonly LaneTimes[] | null },
  context: MachineContext,
): Unhindered | null {
  const { lanes, wallSeconds: wall } = repetition;
  if (!lanes || lanes.length === 0) return null;
  const clamp = (seconds: number): number => Math.min(wall, Math.max(0, seconds));
  const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
  const waits = lanes.map((lane) => lane.waitSeconds);
  const longest = Math.max(...waits);
  const usable = lanes.length === 1 ? 1 : usableCores(repetition.mode, repetition.workers, context, repetition.gilContention);
  const computing = clamp(sum(lanes.map((lane) => lane.cpuSeconds)) / Math.min(lanes.length, usable));
  const within = (fastest: number, slowest: number): Unhindered => {
    const low = Math.max(computing, clamp(fastest));
    return { fastest: low, slowest: Math.max(low, clamp(slowest)) };
  };
  if (usable === 1) return within(wall - (lanes.length === 1 ? longest : sum(waits)), wall - longest);
  const tail = Math.max(0, wall - Math.max(...lanes.map((lane) => lane.endSeconds)));
  const slowest = lanes.length > usable ? wall : Math.max(...lanes.map((lane) => lane.endSeconds - lane.waitSeconds)) + tail;
  return within(Math.min(wall - sum(waits) / lanes.length, slowest), slowest);
}

function label(run: Pick<BenchRun, 'mode' | 'workers'>): string {
  return run.mode === 'sequential' ? 'sequential' : `${run.mode} ×${run.workers}`;
}

function withSpread(run: BenchRun): string {
  return `${label(run)} ${run.wallSeconds.toFixed(3)} s${run.spread > 0 ? ` ± ${run.spread.toFixed(3)}` : ''}`;
}

/**
 * The measured verdict of a run with repetitions: the recommendation of the medians (`recommend`), unless
 * the measurement cannot decide, and then `recommendation` is null and `inconclusive` says why, with the
 * numbers: when the rounds disagree (fewer than 2 in 3 give the medians' recommendation).
 *
 * When every configuration's lanes were read (Linux), the starvation is known directly: the verdict is
 * that of the times without the waits for a CPU (`decideUnhindered`). Otherwise it is inferred from the
 * CPU time per wall time: inconclusive too when the sequential baseline was starved of CPU by other
 * programs (every speedup then measures the load), or when a configuration that lost was starved and,
 * given the cores it could use, might have won.
 */
export function decide(runs: readonly BenchRun[], context: MachineContext): MeasuredVerdict {
  const finished = runs.filter((run) => run.error === null);
  if (finished.length > 0 && finished.every((run) => run.cpuWait)) return decideUnhindered(finished as Array<BenchRun & { cpuWait: CpuWait }>);
  const measured = recommend(runs);
  if (measured.recommendation === null) return measured;
  const unclear = disagreement(finished, measured.recommendation) ?? contention(finished, measured.recommendation, context);
  return unclear ? { best: measured.best, recommendation: null, reason: unclear, inconclusive: unclear } : measured;
}

/**
 * The verdict of the times the configurations would have taken without their waits for a CPU (their
 * `cpuWait`): the medians' recommendation, unless the rounds disagree, a configuration that matters
 * waited so long that its time without the waits is a guess (UNRELIABLE_WAIT), or the range its lanes
 * allow (they waited unevenly) could turn the verdict: in 2 rounds in 3, the chosen configuration at its
 * slowest must still win against every other at its fastest.
 */
function decideUnhindered(finished: ReadonlyArray<BenchRun & { cpuWait: CpuWait }>): MeasuredVerdict {
  const sequential = finished.find((run) => run.mode === 'sequential')?.cpuWait.unhinderedSeconds;
  const times = finished.map((run) => {
    const { unhinderedSeconds, samples } = run.cpuWait;
    const speedup = sequential !== undefined && unhinderedSeconds > 0 ? sequential / unhinderedSeconds : null;
    return { ...run, wallSeconds: unhinderedSeconds, samples, spread: halfRange(samples) ?? 0, speedup };
  });
  const measured = recommend(times);
  const recommendation = measured.recommendation;
  if (recommendation === null) return measured;
  const waited = finished.filter((run) => run.cpuWait.shareMost >= NOTABLE_WAIT).sort((a, b) => b.cpuWait.share - a.cpuWait.share);
  const basis = waited.length > 0 ? `times without the waits for a CPU (${waited.slice(0, 2).map(waitedText).join('; ')})` : '';
  const chosen = times.filter((run) => run.mode === recommendation).sort((a, b) => a.wallSeconds - b.wallSeconds)[0] as (typeof times)[number];
  const unclear = disagreement(times, recommendation, basis) ?? unsure(chosen, times);
  if (unclear) return { best: measured.best, recommendation: null, reason: unclear, inconclusive: unclear };
  return basis ? { ...measured, reason: `${measured.reason}; ${basis}` } : measured;
}

/** Why the chosen configuration may not be the one (the waits leave it open), or undefined. */
function unsure(chosen: BenchRun & { cpuWait: CpuWait }, others: ReadonlyArray<BenchRun & { cpuWait: CpuWait }>): string | undefined {
  if (chosen.cpuWait.shareMost > UNRELIABLE_WAIT) return unreliable(chosen);
  const rivals = others.filter((other) => other.mode !== chosen.mode);
  const holds = (chosenSeconds: number, other: BenchRun, otherSeconds: number): boolean => {
    const atWorst = [{ mode: chosen.mode, seconds: chosenSeconds }, { mode: other.mode, seconds: otherSeconds }];
    return cheapestWithinTie(atWorst, (run) => run.seconds, (run) => run.mode)?.mode === chosen.mode;
  };
  for (const other of rivals) {
    if (other.cpuWait.shareMost > UNRELIABLE_WAIT && !holds(chosen.cpuWait.unhinderedSlowest, other, other.cpuWait.unhinderedFastest)) return unreliable(other);
  }
  const rounds = Math.min(...[chosen, ...rivals].map((run) => run.cpuWait.ranges.length));
  let holding = 0;
  let against: (typeof rivals)[number] | undefined;
  for (let k = 0; k < rounds; k++) {
    const slowest = (chosen.cpuWait.ranges[k] as Unhindered).slowest;
    const beaten = rivals.find((other) => !holds(slowest, other, (other.cpuWait.ranges[k] as Unhindered).fastest));
    if (beaten) against ??= beaten;
    else holding++;
  }
  if (!against || holding >= AGREEING_ROUNDS * rounds) return undefined;
  return `without their waits for a CPU, ${label(against)} would take ${unhinderedText(against)} and ${label(chosen)} ${unhinderedText(chosen)}: too close to tell in ${rounds - holding} of ${rounds} rounds (${waitedText(against)}; ${waitedText(chosen)})`;
}

function unreliable(run: BenchRun & { cpuWait: CpuWait }): string {
  return `${waitedText(run)}: too long to tell what it would take with the cores free`;
}

/** `processes ×2 waited 38 % of its time for a CPU`, or `… 12–45 % …` when its lanes waited unevenly. */
function waitedText(run: Pick<BenchRun, 'mode' | 'workers'> & { cpuWait: CpuWait }): string {
  const least = Math.round(100 * run.cpuWait.shareLeast);
  const most = Math.round(100 * run.cpuWait.shareMost);
  return `${label(run)} waited ${least === most ? most : `${least}–${most}`} % of its time for a CPU`;
}

function unhinderedText(run: { cpuWait: CpuWait }): string {
  const { unhinderedFastest, unhinderedSlowest } = run.cpuWait;
  return unhinderedSlowest - unhinderedFastest < 0.0005 ? `${unhinderedSlowest.toFixed(3)} s` : `${unhinderedFastest.toFixed(3)}–${unhinderedSlowest.toFixed(3)} s`;
}

/**
 * Rounds that contradict the medians' recommendation: in that round another mode beat it by more than
 * the tie margin, or a cheaper mode was at least as fast. A round where it stayed within the margin of
 * the fastest agrees (noise between near-equal modes is no disagreement).
 */
function disagreement(finished: readonly BenchRun[], recommendation: BenchMode, basis = ''): string | undefined {
  const rounds = Math.min(...finished.map((run) => run.samples.length));
  if (rounds < 2) return undefined;
  const chosen = finished.filter((run) => run.mode === recommendation);
  const tally = new Map<string, number>();
  let agreeing = 0;
  for (let k = 0; k < rounds; k++) {
    const wall = (run: BenchRun): number => run.samples[k] as number;
    const chosenWall = Math.min(...chosen.map(wall));
    const beaten = finished.some((run) => wall(run) * (1 + TIE) < chosenWall);
    const cheaperAsFast = finished.some((run) => MODE_COST[run.mode] < MODE_COST[recommendation] && wall(run) <= chosenWall);
    if (!beaten && !cheaperAsFast) agreeing++;
    const roundChoice = recommend(finished.map((run) => ({ ...run, wallSeconds: wall(run) }))).recommendation ?? 'none';
    tally.set(roundChoice, (tally.get(roundChoice) ?? 0) + 1);
  }
  if (agreeing >= AGREEING_ROUNDS * rounds) return undefined;
  const votes = [...tally].sort((a, b) => b[1] - a[1]).map(([mode, count]) => `${mode} in ${count}`).join(', ');
  return `the ${rounds} repetitions disagree: ${votes} (${finished.map(withSpread).join(', ')}${basis ? `; ${basis}` : ''})`;
}

function contention(finished: readonly BenchRun[], recommendation: BenchMode, context: MachineContext): string | undefined {
  const share = (run: BenchRun): number => (run.wallSeconds > 0 ? run.cpuSeconds / run.wallSeconds : 0);
  const busy = (run: BenchRun): string => `other programs kept ${(run.otherLoad ?? 0).toFixed(1)} of ${context.cores} cores busy`;
  const sequential = finished.find((run) => run.mode === 'sequential');
  if (sequential?.contended && recommendation !== 'sequential') {
    return `sequential got ${share(sequential).toFixed(1)} of a core for work that computes while ${busy(sequential)}: its time, and every speedup, measure the load (${finished.map(withSpread).join(', ')})`;
  }
  const chosen = finished.filter((run) => run.mode === recommendation).sort((a, b) => a.wallSeconds - b.wallSeconds)[0];
  if (!chosen) return undefined;
  // A configuration's wall time had it got the cores it could use: the work it did, at full speed.
  const usable = (run: BenchRun): number => usableCores(run.mode, run.workers, context, run.gilContention);
  const unhindered = (run: BenchRun): number => (run.contended ? (run.wallSeconds * share(run)) / usable(run) : run.wallSeconds);
  for (const run of finished) {
    if (!run.contended || run.mode === recommendation) continue;
    // The chosen one, starved too, would have gained as well.
    if (unhindered(run) < unhindered(chosen) * (1 + TIE)) {
      return `${label(run)} got ${share(run).toFixed(1)} of the ${usable(run)} cores it could use while ${busy(run)}: with them free it might beat ${label(chosen)} (${withSpread(run)}, ${withSpread(chosen)})`;
    }
  }
  return undefined;
}

function explain(chosen: BenchRun, fastest: BenchRun, fastestOf: ReadonlyMap<BenchMode, BenchRun>): string {
  const threads = fastestOf.get('threads');
  const sequential = fastestOf.get('sequential');
  if (chosen !== fastest) {
    return `${chosen.mode} within ${Math.round(100 * (chosen.wallSeconds / fastest.wallSeconds - 1))} % of ${fastest.mode}${overRuns(chosen)}, and cheaper`;
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
      return sequentialReason(chosen, fastestOf);
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
    case 'dask': {
      const processes = fastestOf.get('processes');
      return processes
        ? `dask${fasterThan(processes, chosen, 'processes')}: the cluster's workers outrun this machine's cores`
        : `dask${fasterThan(sequential, chosen, 'sequential')}`;
    }
  }
}

/**
 * Why sequential won, as the data says: tasks too small for a pool's costs only when they were short;
 * long tasks that no pool sped up do not run in parallel here.
 */
function sequentialReason(sequential: BenchRun, fastestOf: ReadonlyMap<BenchMode, BenchRun>): string {
  const perTask = sequential.latency.p50;
  const runnerUp = [...fastestOf.values()].filter((run) => run.mode !== 'sequential').sort((a, b) => a.wallSeconds - b.wallSeconds)[0];
  const against = runnerUp ? ` (fastest other: ${label(runnerUp)}, ${ratioText(sequential, runnerUp)} sequential's speed${overRuns(sequential)})` : '';
  if (perTask !== null && perTask < SMALL_TASK_SECONDS) {
    return `no pool pays for itself: the work per task is too small (${formatSeconds(perTask)} a task)${against}`;
  }
  const long = perTask === null ? '' : `, though a task takes ${formatSeconds(perTask)}`;
  return `no pool pays for itself${long}: the work does not run in parallel here${against}`;
}

function formatSeconds(seconds: number): string {
  const ms = seconds * 1000;
  if (seconds >= 1) return `${seconds.toFixed(1)} s`;
  return `${ms >= 10 ? Math.round(ms) : ms.toFixed(ms >= 1 ? 1 : 2)} ms`;
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
