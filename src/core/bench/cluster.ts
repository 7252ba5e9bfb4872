import { formatSeconds } from './numbers';
import { TIE } from '../cost/choose';
import type { BenchRun } from './runner';

/**
 * When a Dask cluster pays off, from what a run measured: the work per task, the cost of sending a task
 * through a scheduler, and the bytes it moves. The model:
 *
 *   cluster of N workers:  roundTrip + ceil(tasks / N) × (task + overhead + bytes / bandwidth)
 *   this machine:          the fastest local configuration measured (or tasks × task / cores, ideal
 *                          processes, for the break-even, where nothing was measured)
 *
 * `overhead` is the worker time a task took beyond its own work in the dask run; the bytes cross a
 * network only on a real cluster, so a run on a LocalCluster (loopback) adds them at NETWORK_BYTES_PER_SECOND,
 * while a remote cluster's overhead already holds its transfers.
 */

/** The workers a cluster is assumed to have when nothing else says (the `concurrencyLens` advice's "16 workers"). */
export const DEFAULT_CLUSTER_WORKERS = 16;
/** A 1 Gbit/s network, in bytes per second (what 1 Gbit/s carries after the protocols' share). */
export const NETWORK_BYTES_PER_SECOND = 100e6;

export interface ClusterCosts {
  /** Seconds one task computes. */
  taskSeconds: number;
  /** Worker seconds per task beyond its work (scheduling, transfers, (de)serialising). */
  overheadSeconds: number;
  /** One submit-and-wait round trip through the scheduler: the fixed cost of a batch. */
  roundTripSeconds: number;
  bytesPerTask: number;
  /** The transfers still to add to the overhead (Infinity when the overhead measured them already). */
  bytesPerSecond: number;
}

/** Seconds `tasks` tasks take on `workers` cluster workers. */
export function predictedClusterSeconds(costs: ClusterCosts, tasks: number, workers: number): number {
  return costs.roundTripSeconds + Math.ceil(tasks / workers) * perTaskSeconds(costs);
}

function perTaskSeconds(costs: ClusterCosts): number {
  return costs.taskSeconds + costs.overheadSeconds + costs.bytesPerTask / costs.bytesPerSecond;
}

export interface BreakEven {
  /** With this many tasks, a cluster of `workers` beats `cores` local processes for tasks above this (seconds); null: never (a cluster no larger than the machine). */
  taskSeconds: number | null;
  /** With tasks of this size, a cluster beats the local cores for more tasks than this; null: no count does (the overhead eats the gain). */
  tasks: number | null;
}

/**
 * Where a cluster of `workers` starts to beat `cores` ideal local processes (tasks × task / cores), on
 * each axis, the other held at what was measured: from roundTrip + tasks × (task + costs) / workers < tasks × task / cores.
 */
export function breakEven(costs: ClusterCosts, tasks: number, workers: number, cores: number): BreakEven {
  const extra = perTaskSeconds(costs) - costs.taskSeconds;
  const gainPerTaskSecond = 1 / cores - 1 / workers;
  const taskSeconds = gainPerTaskSecond > 0 ? (costs.roundTripSeconds / tasks + extra / workers) / gainPerTaskSecond : null;
  const gainPerTask = costs.taskSeconds / cores - perTaskSeconds(costs) / workers;
  return { taskSeconds, tasks: gainPerTask > 0 ? Math.ceil(costs.roundTripSeconds / gainPerTask) : null };
}

export interface ClusterAdvice {
  /** The cluster size predicted for. */
  workers: number;
  /** The costs measured, in the units `bench --json` uses. */
  taskMs: number;
  perTaskOverheadMs: number;
  roundTripMs: number;
  bytesPerTask: number;
  predictedSeconds: number;
  /** Against sequential (tasks × task). */
  predictedSpeedup: number;
  /** The fastest run on this machine, not dask. */
  localBest: { mode: BenchRun['mode']; workers: number; wallSeconds: number } | null;
  /** The prediction beats the local best by more than the TIE margin. */
  pays: boolean;
  breakEven: { taskMs: number | null; tasks: number | null };
  /** One sentence for people. */
  text: string;
}

/**
 * The advice for a cluster of `workers`, from a run that had a dask configuration finish; undefined
 * otherwise. The costs come from the dask configuration with the most workers (the closest to a
 * cluster), the task's time from sequential (else from the dask tasks themselves).
 */
export function clusterAdvice(runs: readonly BenchRun[], tasks: number, cores: number, workers: number = DEFAULT_CLUSTER_WORKERS): ClusterAdvice | undefined {
  const dask = runs
    .filter((run) => run.mode === 'dask' && run.error === null && run.dask !== undefined && run.dask.perTaskOverheadSeconds !== null)
    .sort((a, b) => b.workers - a.workers)[0];
  if (!dask?.dask) return undefined;
  const sequential = runs.find((run) => run.mode === 'sequential' && run.error === null);
  const taskSeconds = sequential ? sequential.wallSeconds / tasks : (dask.latency.p50 ?? 0);
  const costs: ClusterCosts = {
    taskSeconds,
    overheadSeconds: dask.dask.perTaskOverheadSeconds ?? 0,
    roundTripSeconds: dask.dask.roundTripSeconds,
    bytesPerTask: dask.dask.bytesPerTask ?? 0,
    bytesPerSecond: dask.dask.local ? NETWORK_BYTES_PER_SECOND : Infinity,
  };
  const local = runs.filter((run) => run.mode !== 'dask' && run.error === null).sort((a, b) => a.wallSeconds - b.wallSeconds)[0];
  const predictedSeconds = predictedClusterSeconds(costs, tasks, workers);
  const pays = local !== undefined && predictedSeconds * (1 + TIE) < local.wallSeconds;
  const even = breakEven(costs, tasks, workers, cores);
  const advice: ClusterAdvice = {
    workers,
    taskMs: taskSeconds * 1000,
    perTaskOverheadMs: costs.overheadSeconds * 1000,
    roundTripMs: costs.roundTripSeconds * 1000,
    bytesPerTask: costs.bytesPerTask,
    predictedSeconds,
    predictedSpeedup: (tasks * taskSeconds) / predictedSeconds,
    localBest: local ? { mode: local.mode, workers: local.workers, wallSeconds: local.wallSeconds } : null,
    pays,
    breakEven: { taskMs: even.taskSeconds === null ? null : even.taskSeconds * 1000, tasks: even.tasks },
    text: '',
  };
  advice.text = adviceText(advice, tasks, cores);
  return advice;
}

function adviceText(advice: ClusterAdvice, tasks: number, cores: number): string {
  const predicted = `${advice.workers} cluster workers: ${formatSeconds(advice.predictedSeconds)} predicted, ${advice.predictedSpeedup.toFixed(1)}× sequential`;
  const against = advice.localBest ? ` (this machine's best: ${advice.localBest.mode === 'sequential' ? 'sequential' : `${advice.localBest.mode} ×${advice.localBest.workers}`}, ${formatSeconds(advice.localBest.wallSeconds)})` : '';
  const costs = `a task computes ${formatMs(advice.taskMs)} and costs ${formatMs(advice.perTaskOverheadMs)} more through the scheduler, moving ${formatBytes(advice.bytesPerTask)}`;
  const { taskMs, tasks: taskCount } = advice.breakEven;
  const axes = [
    taskMs === null ? null : `tasks above ~${formatMs(taskMs)} (at ${tasks} tasks)`,
    taskCount === null ? null : `more than ~${taskCount} task${taskCount === 1 ? '' : 's'} (of ${formatMs(advice.taskMs)})`,
  ].filter((axis): axis is string => axis !== null);
  const threshold = axes.length > 0
    ? `a cluster of ${advice.workers} pays off against ${cores} local cores with ${axes.join(' or ')}`
    : `no cluster of ${advice.workers} beats ${cores} local cores at this cost per task`;
  return `${advice.pays ? 'a cluster pays off' : 'a cluster would lose'} on ${predicted}${against}; ${costs}; ${threshold}`;
}

function formatMs(ms: number): string {
  return formatSeconds(ms / 1000);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${Math.round(bytes)} B`;
}
