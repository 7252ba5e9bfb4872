/**
 * A task's cost per call in seconds, language-neutral: CPU that holds the interpreter lock (Python's GIL,
 * Node's event loop), CPU in native code that releases it, and waiting (network, disk, child processes,
 * timers). Each part is a range; the evidence names the lines that set the big parts. A language's
 * analyzer builds costs from its knowledge and sizes; `predict` turns a cost into wall times per mode.
 */

export interface Range {
  low: number;
  likely: number;
  high: number;
}

export type CostPart = 'gil' | 'native' | 'wait';
export const COST_PARTS: readonly CostPart[] = ['gil', 'native', 'wait'];

export interface CostEvidence {
  line: number;
  text: string;
  part: CostPart;
  /** The likely seconds this line adds per call of the task. */
  seconds: number;
  /** For a call of a function: the line inside it (or deeper) that this evidence stands for, as that line says it. */
  cause?: string;
}

export interface Cost {
  gil: Range;
  native: Range;
  wait: Range;
  /** The part of `wait` spent in awaited calls (an event loop overlaps only these). */
  awaited: Range;
  /**
   * The part of `native` in a library that already runs on every core (a multi-threaded BLAS's matrix product): tasks at
   * once share the cores it fills, so no pool gains on it. Absent: none.
   */
  allCores?: Range;
  /**
   * The part of `native` in a library whose own threads fight when several threads of one process call it at once
   * (thousands of tiny LAPACK calls into a multi-threaded OpenBLAS, Qhull's per-triangle transforms): a pool of threads
   * runs it one task at a time at best; each process of a pool has the library to itself. Absent: none.
   */
  contended?: Range;
  /**
   * Calls into native code that releases the lock, one task's count (each hands the lock over and takes it back: in a
   * pool of threads a hand-off, and a wait while other threads run their Python). Absent: none.
   */
  nativeCalls?: Range;
  /**
   * CPU seconds of child processes the task waits for (a `gzip` it runs): on the machine's cores, so tasks at once, and
   * children one task starts at once, overlap them only up to the cores. Part of `wait` when one child runs at a time;
   * beyond it when a gather overlaps several. Absent: none.
   */
  childCpu?: Range;
  /** Largest first, at most MAX_EVIDENCE. */
  evidence: CostEvidence[];
}

const MAX_EVIDENCE = 12;

/** The ranges of a cost that add up when costs add (`allCores` is optional and added apart); one array, not one per addition. */
const SUMMED_RANGES = ['gil', 'native', 'wait', 'awaited'] as const;

export const ZERO_RANGE: Readonly<Range> = Object.freeze({ low: 0, likely: 0, high: 0 });

export function range(likely: number, spread = 1): Range {
  return { low: likely / spread, likely, high: likely * spread };
}

/** A new range of zero seconds, to add into (a literal: spreading the frozen ZERO_RANGE is several times slower, and summaries make millions). */
function zeroRange(): Range {
  return { low: 0, likely: 0, high: 0 };
}

export function zeroCost(): Cost {
  return { gil: zeroRange(), native: zeroRange(), wait: zeroRange(), awaited: zeroRange(), evidence: [] };
}

/** One piece of work: `seconds` (a range) of one part, set by the line `line`. */
export function single(part: CostPart, seconds: Range, line: number, text: string, awaited = false): Cost {
  const cost = zeroCost();
  cost[part] = { ...seconds };
  if (part === 'wait' && awaited) cost.awaited = { ...seconds };
  if (seconds.likely > 0 || seconds.high > 0) cost.evidence.push({ line, text, part, seconds: seconds.likely });
  return cost;
}

function addRanges(a: Range, b: Range): Range {
  return { low: a.low + b.low, likely: a.likely + b.likely, high: a.high + b.high };
}

type OptionalRange = 'allCores' | 'contended' | 'nativeCalls' | 'childCpu';
const OPTIONAL_RANGES: readonly OptionalRange[] = ['allCores', 'contended', 'nativeCalls', 'childCpu'];

const ONCE: Readonly<Range> = Object.freeze({ low: 1, likely: 1, high: 1 });

/** Adds `times` × `from` into one of a cost's optional ranges in place (made when first needed). */
function addOptional(target: Cost, part: OptionalRange, from: Range, times: Range = ONCE): void {
  const into = (target[part] ??= zeroRange());
  into.low += from.low * times.low;
  into.likely += from.likely * times.likely;
  into.high += from.high * times.high;
}

/** Adds `times` calls into native code that releases the lock into `target.nativeCalls`. */
export function addNativeCalls(target: Cost, times: Range, of: Range = ONCE): void {
  addOptional(target, 'nativeCalls', of, times);
}

/** Adds `times` × each optional range of `cost` into `target`'s. */
function addOptionalRanges(target: Cost, cost: Cost, times: Range = ONCE): void {
  for (const part of OPTIONAL_RANGES) {
    const from = cost[part];
    if (from) addOptional(target, part, from, times);
  }
}

/** Adds `seconds` of child processes' CPU (`Cost.childCpu`) into `target` in place. */
export function addChildCpu(target: Cost, seconds: Range): void {
  addOptional(target, 'childCpu', seconds);
}

/** `a` times `by`, end by end. */
export function scaleRange(a: Range, by: Range): Range {
  return { low: a.low * by.low, likely: a.likely * by.likely, high: a.high * by.high };
}

function trimEvidence(evidence: CostEvidence[]): CostEvidence[] {
  evidence.sort((a, b) => b.seconds - a.seconds);
  if (evidence.length > MAX_EVIDENCE) evidence.length = MAX_EVIDENCE;
  return evidence;
}

/** Work done one piece after the other. */
export function sequence(costs: readonly Cost[]): Cost {
  const total = zeroCost();
  const evidence: CostEvidence[] = [];
  for (const cost of costs) {
    total.gil = addRanges(total.gil, cost.gil);
    total.native = addRanges(total.native, cost.native);
    total.wait = addRanges(total.wait, cost.wait);
    total.awaited = addRanges(total.awaited, cost.awaited);
    addOptionalRanges(total, cost);
    evidence.push(...cost.evidence);
  }
  total.evidence = trimEvidence(evidence);
  return total;
}

/** Adds `cost` into `target` in place (a summary collecting many pieces); its evidence is trimmed as it grows. */
export function addInto(target: Cost, cost: Cost): void {
  for (const part of SUMMED_RANGES) {
    const into = target[part];
    const from = cost[part];
    into.low += from.low;
    into.likely += from.likely;
    into.high += from.high;
  }
  addOptionalRanges(target, cost);
  target.evidence.push(...cost.evidence);
  if (target.evidence.length > 2 * MAX_EVIDENCE) trimEvidence(target.evidence);
}

/** The part of `wait` or `native` a piece also is (`Cost.awaited`, `Cost.allCores`, `Cost.contended`). */
export type PieceWithin = 'awaited' | 'allCores' | 'contended';

/**
 * Adds one piece of work to `target` in place: `low`..`high` seconds (likely `likely`) of `part`, set by
 * `line` (no Cost of its own is built: summaries add thousands of pieces). `within`: the part of `wait` or `native` it
 * also is (`awaited`, `allCores`, `contended`).
 */
export function addPiece(target: Cost, part: CostPart, low: number, likely: number, high: number, line: number, text: string, within?: PieceWithin): void {
  const into = target[part];
  into.low += low;
  into.likely += likely;
  into.high += high;
  if (part === 'native' && (within === 'allCores' || within === 'contended')) addOptional(target, within, { low, likely, high });
  if (part === 'wait' && within === 'awaited') {
    target.awaited.low += low;
    target.awaited.likely += likely;
    target.awaited.high += high;
  }
  if (likely > 0 || high > 0) addEvidence(target, { line, text, part, seconds: likely });
}

/** Adds a line of evidence to `target` in place, trimmed as it grows. */
export function addEvidence(target: Cost, evidence: CostEvidence): void {
  target.evidence.push(evidence);
  if (target.evidence.length > 2 * MAX_EVIDENCE) trimEvidence(target.evidence);
}

/** Adds `cost`'s parts done `times` times into `target` in place, without its evidence (the caller says what it was). */
export function addRepeated(target: Cost, cost: Cost, times: Range): void {
  for (const part of SUMMED_RANGES) {
    const into = target[part];
    const from = cost[part];
    into.low += from.low * times.low;
    into.likely += from.likely * times.likely;
    into.high += from.high * times.high;
  }
  addOptionalRanges(target, cost, times);
}

/** Puts the evidence largest first and keeps the first MAX_EVIDENCE. */
export function finishEvidence(cost: Cost): Cost {
  trimEvidence(cost.evidence);
  return cost;
}

/** `cost` done `times` times (a range of repetitions: a loop of unknown length). */
export function repeat(cost: Cost, times: Range): Cost {
  return {
    gil: scaleRange(cost.gil, times),
    native: scaleRange(cost.native, times),
    wait: scaleRange(cost.wait, times),
    awaited: scaleRange(cost.awaited, times),
    ...(cost.allCores && { allCores: scaleRange(cost.allCores, times) }),
    ...(cost.contended && { contended: scaleRange(cost.contended, times) }),
    ...(cost.nativeCalls && { nativeCalls: scaleRange(cost.nativeCalls, times) }),
    ...(cost.childCpu && { childCpu: scaleRange(cost.childCpu, times) }),
    evidence: cost.evidence.map((e) => ({ ...e, seconds: e.seconds * times.likely })),
  };
}

/**
 * `cost` started `times` times at once and awaited together (a coroutine's own `gather`, `Promise.all`): their awaited
 * waits overlap (alike, so the longest is one's) and all else adds up; their child processes' CPU runs on at most `cores`
 * cores at once, so the overlapped waits last at least its share of each core.
 */
export function gathered(cost: Cost, times: Range, cores: number): Cost {
  const all = repeat(cost, times);
  const overlapped = (at: keyof Range): number => Math.max(cost.awaited[at], (all.childCpu?.[at] ?? 0) / Math.max(1, cores));
  const awaited = { low: overlapped('low'), likely: overlapped('likely'), high: overlapped('high') };
  const wait = { low: all.wait.low - all.awaited.low + awaited.low, likely: all.wait.likely - all.awaited.likely + awaited.likely, high: all.wait.high - all.awaited.high + awaited.high };
  return { ...all, wait, awaited };
}

/** `cost` multiplied by a plain factor (the same at every end of the range). */
export function scale(cost: Cost, factor: number): Cost {
  return repeat(cost, { low: factor, likely: factor, high: factor });
}

/** Total likely seconds of one call. */
export function total(cost: Cost, at: keyof Range = 'likely'): number {
  return cost.gil[at] + cost.native[at] + cost.wait[at];
}

/** The ranges' width: high / low of the total (1 for an exact cost; large when sizes were assumed). */
export function spread(cost: Cost): number {
  const low = total(cost, 'low');
  const high = total(cost, 'high');
  return low > 0 ? high / low : high > 0 ? Infinity : 1;
}
