import type { PredictedResult, Verdict } from '../model';
import { total, type Cost } from './model';
import { breakEvenFactor, predict, type Policy, type Prediction, type Workload } from './predict';

/** Calls of a function the prediction assumes (as the bench's default). */
export const PREDICTED_TASKS = 8;

/** A size the cost model had to assume: where, and what it assumed. */
export interface Assumption {
  line: number;
  /** e.g. "~100 items assumed". */
  what: string;
  /** A call holding the lock over data of unknown size (`max(xs)`, a regex over a parameter): taken to be small,
   *  so the verdict is not judged at a larger size for it (a loop, a native call or a wait is). */
  small?: true;
}

/** The cost model's prediction for a function, and as the report carries it. */
export interface Forecast {
  prediction: Prediction;
  predicted: PredictedResult;
  /** When no pool pays at an assumed size but one would within the assumed range: the prediction where it does. */
  atBreakEven?: Prediction;
  /** Evidence for what full garbage collections over the heap cost the pools (a language whose runtime has them). */
  collecting?: { line: number; reason: string };
  /** Evidence for what a forked worker pays copying the parent's data its first task reads (copy-on-write). */
  copying?: { line: number; reason: string };
  /** Evidence for what a new worker pays on its first task for what the parent's warm-up did (`Workload.workerFillSeconds`). */
  refilling?: { line: number; reason: string };
}

/** An assumed loop count, which a break-even can be given in. */
const ITEMS_ASSUMED = /^~([\d,]+) items assumed$/;
/** A task as long as the ones worth measuring (the fixtures' take 30-60 ms): where the kind of work shows. */
const TYPICAL_TASK_SECONDS = 0.05;
/** How much larger than assumed a size may turn out (the assumed loop's range: ~100 up to 1,000,000 items). */
export const MAX_ASSUMED_GROWTH = 10_000;

/**
 * The prediction for `workload.tasks` calls of a task costing `cost` under `policy`. When the code does not
 * tell a size, the kind of work is judged where the task is as long as a task worth measuring (within the
 * assumed range); whether a pool pays at all is the break-even's to say. `maxGrowth`: how much larger than
 * assumed the sizes may turn out, when a language's ranges say so (nested loops of unknown length multiply).
 */
export function forecast(cost: Cost, assumed: readonly Assumption[], workload: Workload, policy: Policy, maxGrowth = MAX_ASSUMED_GROWTH): Forecast {
  const prediction = predict(cost, workload, policy);
  const { sequential, threads, processes, asyncio } = prediction.seconds;
  const predicted: PredictedResult = {
    tasks: workload.tasks,
    cores: workload.cores,
    seconds: { sequential: sequential as number, threads: threads as number, processes: processes as number, ...(asyncio !== undefined && { asyncio }) },
    best: prediction.best,
    speedup: Math.round(prediction.speedup * 100) / 100,
  };
  let atBreakEven: Prediction | undefined;
  const seconds = total(cost);
  if (assumed.some((a) => !a.small) && seconds > 0) {
    const factor = Math.min(maxGrowth, Math.max(1, TYPICAL_TASK_SECONDS / seconds));
    const scaled = predict(cost, workload, policy, 'likely', factor);
    if (scaled.best !== 'sequential') atBreakEven = scaled;
    const assumption = assumed.find((a) => ITEMS_ASSUMED.test(a.what));
    const items = assumption && ITEMS_ASSUMED.exec(assumption.what)?.[1];
    const breakEven = prediction.best === 'sequential' && atBreakEven ? breakEvenFactor(cost, workload, policy, maxGrowth) : undefined;
    if (breakEven !== undefined && assumption && items) {
      predicted.breakEven = `pays off above ~${formatCount(roundTwoDigits(breakEven * Number(items.replace(/,/g, ''))))} items (line ${assumption.line}: ${assumption.what})`;
    }
  }
  return { prediction, predicted, atBreakEven };
}

/** What else a confidence may rest on, beyond the forecast. */
export interface ConfidenceSignals {
  /** The verdict the forecast gave. */
  verdict?: Verdict;
}

/**
 * The probability that the verdict is right, by what it rests on: the share of verdicts the measured
 * Python fixtures (shopkit and the standard library, and libkit … libkit13, third-party libraries: labels.json and the
 * libkit*-labels.json files, 569 functions, recounted in the fifteenth session) found right in each case, smoothed as
 * (right + 1) / (n + 2). Not binned by how stable
 * the best mode is over the cost's ranges, by guessed calls or by the share of unseen calls: on shopkit none
 * of them told right verdicts from wrong ones (the best mode changing at two of four range corners: 41 of 42
 * right; guessed calls: 43 of 43; unseen calls: 3 of 3).
 */
export interface ConfidenceTable {
  sizesTold: number;
  /** Where a language's sets tell it apart: `sizesTold` for a verdict on work of the calling thread (`cpu`, `io`, `mixed`)
   *  (absent: `sizesTold`). */
  sizesToldForWork?: number;
  assumedPoolPays: number;
  /** Where a language's sets tell it apart: `assumedPoolPays` for a verdict on work of the calling thread (`cpu`, `io`,
   *  `mixed`), whose pool paying rests on the sizes assumed (absent: `assumedPoolPays`). */
  assumedPoolPaysForWork?: number;
  /** Where a language's sets tell it apart: a verdict on work of the calling thread judged at the break-even, no pool
   *  paying at the sizes assumed but one paying at a task worth measuring (absent: `assumedPoolPaysForWork`). */
  judgedAtBreakEvenForWork?: number;
  assumedNoPool: number;
  /** `mixed` lies in a band between `io` and `cpu`: at most this. */
  mixed: number;
  /** Where a language's sets tell it apart: a `native` verdict whose pool pays at a predicted call shorter than
   *  `SHORT_NATIVE_CALL_SECONDS`, sizes told or assumed (absent: `sizesTold` or `assumedPoolPays`). */
  nativeShortCall?: number;
}

/**
 * A call of native work shorter than this, predicted, leaves threads too little to gain for the prediction to decide
 * them: over the 27 measured Python sets, `native` verdicts paying above it were right 74 of 76 times, below it 70 of 88
 * (twenty-eighth session, measured README "Native verdicts measured trivial").
 */
export const SHORT_NATIVE_CALL_SECONDS = 0.06;

/** Verdicts on the calling thread's own work, which a pool runs elsewhere (`assumedPoolPaysForWork`). */
const WORK_VERDICTS: ReadonlySet<Verdict | undefined> = new Set(['cpu', 'io', 'mixed']);

export const CONFIDENCE: ConfidenceTable = {
  /**
   * The code tells every size the cost rests on (and the verdict is not `cpu` or `io`, nor `native` on a short call):
   * 169 of 173 right over the 27 measured Python sets (twenty-eighth session; 182 of 188 with the short native calls in
   * the twenty-sixth).
   */
  sizesTold: 0.97,
  /**
   * The code tells every size, and the verdict is on work of the calling thread (`cpu`, `io`): 48 of 56 right over the
   * 25 measured Python sets (twenty-sixth session), smoothed as (48 + 1) / (56 + 2).
   */
  sizesToldForWork: 0.84,
  /**
   * Sizes assumed, and a pool pays at a task size within the assumed range, for a verdict not on work of the calling
   * thread (`native` but on a short call, `async-io`): 231 of 235 right over the 27 measured Python sets (twenty-eighth
   * session; 553 of 589 with the work verdicts and the short native calls in the twenty-sixth).
   */
  assumedPoolPays: 0.98,
  /**
   * The same for work of the calling thread (`cpu`, `io`) but for `judgedAtBreakEvenForWork`: 323 of 343 right over the
   * 27 measured Python sets (twenty-eighth session).
   */
  assumedPoolPaysForWork: 0.94,
  /**
   * Sizes assumed, no pool pays at them, and a pool pays for work of the calling thread at a task worth measuring: 54 of
   * 77 right over the 25 measured Python sets (twenty-sixth session; the pool-loser band, where a forked worker's first
   * task copies the parent's heap it writes, measured README "Where a forked worker's time goes in the pool-loser band").
   */
  judgedAtBreakEvenForWork: 0.7,
  /** Sizes assumed, and no pool pays anywhere within the assumed range (the verdict is `trivial` by assumption): 28 of 29. */
  assumedNoPool: 0.93,
  /** 0 of the 5 `mixed` verdicts on the measured Python fixtures were right. */
  mixed: 0.14,
  /**
   * `native`, a pool paying at the sizes the code tells or assumes, at a predicted call under `SHORT_NATIVE_CALL_SECONDS`:
   * 70 of 88 right over the 27 measured Python sets (twenty-eighth session), smoothed as (70 + 1) / (88 + 2). Of the 18
   * misses, 8 measured `trivial` (threads gained under 10 %: pandas over cached frames, lxml on one document, Pillow on a
   * small tile, one cipher call) and 10 `cpu`, `io` or `mixed` (a file read or Python around the native call).
   */
  nativeShortCall: 0.79,
};

/** `table`: the shares right per case on a language's own measured fixtures (the Python ones by default). */
export function confidenceOf(forecast: Forecast, sizesAssumed: boolean, signals: ConfidenceSignals = {}, table: ConfidenceTable = CONFIDENCE): number {
  const assumed = sizesAssumed || forecast.atBreakEven !== undefined;
  const paysWithinRange = forecast.atBreakEven !== undefined || forecast.prediction.best !== 'sequential';
  const work = WORK_VERDICTS.has(signals.verdict);
  const told = work ? (table.sizesToldForWork ?? table.sizesTold) : table.sizesTold;
  const poolPaysAssumed = work ? (table.assumedPoolPaysForWork ?? table.assumedPoolPays) : table.assumedPoolPays;
  const judgedAtBreakEven = forecast.atBreakEven !== undefined && forecast.prediction.best === 'sequential';
  const poolPays = work && judgedAtBreakEven ? (table.judgedAtBreakEvenForWork ?? poolPaysAssumed) : poolPaysAssumed;
  const shortNativeCall = signals.verdict === 'native' && !judgedAtBreakEven && forecast.predicted.seconds.sequential / forecast.predicted.tasks < SHORT_NATIVE_CALL_SECONDS;
  const confidence =
    shortNativeCall && table.nativeShortCall !== undefined ? table.nativeShortCall
    : !assumed ? told
    : paysWithinRange ? poolPays
    : table.assumedNoPool;
  return signals.verdict === 'mixed' ? Math.min(confidence, table.mixed) : confidence;
}

/** "predicted ≈1.9× in processes on 2 cores (8 calls: sequential 0.40 s, threads 0.41 s, processes 0.21 s)". */
export function predictionNote(predicted: PredictedResult, atLargerSize?: Prediction): string {
  const { sequential, threads, processes, asyncio } = predicted.seconds;
  const times = `${predicted.tasks} calls: sequential ${formatSeconds(sequential)}, threads ${formatSeconds(threads)}, processes ${formatSeconds(processes)}${asyncio === undefined ? '' : `, asyncio ${formatSeconds(asyncio)}`}`;
  if (predicted.best !== 'sequential') return `predicted ${speedupText(predicted)} (${times})`;
  if (!atLargerSize) return `predicted: no pool pays for itself (${times})`;
  const larger = predicted.breakEven ?? `with larger inputs ≈${atLargerSize.speedup.toFixed(1)}× in ${atLargerSize.best}`;
  return `predicted: no pool pays at the sizes assumed (${times}); ${larger}`;
}

/** "≈1.9× in processes on 2 cores". */
export function speedupText(predicted: PredictedResult): string {
  return `≈${predicted.speedup.toFixed(1)}× in ${predicted.best} on ${predicted.cores} core${predicted.cores === 1 ? '' : 's'}`;
}

/** 3000 -> "3,000" (toLocaleString is slow enough to show in a whole-stdlib run). */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(1)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1000).toFixed(seconds >= 0.01 ? 0 : 1)} ms`;
  return `${(seconds * 1e6).toFixed(0)} µs`;
}

/** 3,127 -> 3,100: a break-even is an order of magnitude, not a count. */
function roundTwoDigits(value: number): number {
  if (value < 100) return Math.round(value);
  const scale = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / scale) * scale;
}
