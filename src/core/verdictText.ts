/**
 * How verdicts read in the editor (lens, hover, views) and in reports: plain text, no `vscode`, so
 * that the words are unit-tested in plain Node. `$(name)` is a codicon, as VS Code renders it in
 * lens titles, tree items and quick picks.
 */
import { formatSeconds } from './bench/numbers';
import { POOL_MODE, POOL_WORDS } from './dispatch';
import type { FunctionReport, PredictedResult, Verdict } from './model';

/** Below this confidence the lens says so. */
export const LOW_CONFIDENCE = 0.6;

/** How each verdict reads (codicon name, a few words). */
export const VERDICT_TEXT: Readonly<Record<Verdict, { icon: string; label: string }>> = {
  cpu: { icon: 'flame', label: 'CPU-bound' },
  io: { icon: 'cloud-download', label: 'I/O-bound' },
  native: { icon: 'zap', label: 'native, releases the GIL' },
  mixed: { icon: 'layers', label: 'mixed CPU and I/O' },
  'async-io': { icon: 'sync', label: 'async I/O' },
  dispatcher: { icon: 'server-process', label: 'runs its tasks in a pool' },
  trivial: { icon: 'dash', label: 'too small to parallelize' },
  unknown: { icon: 'question', label: 'unknown work' },
};

/** The verdict as a heading: `CPU-bound`, `Too small to parallelize`. */
export function verdictHeading(verdict: Verdict): string {
  const { label } = VERDICT_TEXT[verdict];
  return label.charAt(0).toUpperCase() + label.slice(1);
}

const NOT_ANALYZED = 'not analyzed: the analyzer failed on it';

const percent = (confidence: number): string => `${Math.round(confidence * 100)}%`;

/**
 * The lens title, e.g. `$(flame) CPU-bound · use processes ≈1.9× on 2 cores`,
 * `$(flame) CPU-bound · too small: pays off above ~3,000 items`,
 * `$(server-process) runs its tasks in a thread pool · tasks: CPU-bound → use processes (CL001)`; a function whose
 * analysis failed says so, not "unknown work" (its evidence says why).
 */
export function verdictSummary(fn: FunctionReport): string {
  if (fn.failure !== undefined) return `$(warning) ${NOT_ANALYZED} (see why) · measure it`;
  const { icon, label } = VERDICT_TEXT[fn.verdict];
  const confidence = fn.confidence < LOW_CONFIDENCE && fn.verdict !== 'unknown' ? ` · low confidence (${percent(fn.confidence)})` : '';
  return `$(${icon}) ${fn.dispatch ? dispatchWords(fn) : `${label}${advice(fn)}`}${confidence}`;
}

function advice(fn: FunctionReport): string {
  if (fn.verdict === 'unknown') return ' · measure it';
  const { predicted } = fn;
  const breakEven = predicted && predicted.best === 'sequential' ? shortBreakEven(predicted) : undefined;
  if (breakEven) return ` · too small: ${breakEven}`;
  if (fn.verdict === 'trivial') return '';
  return ` · use ${fn.recommendation}${predicted && predicted.best === fn.recommendation ? ` ${speedupOnCores(predicted)}` : ''}`;
}

/** `runs its tasks in a process pool · tasks: CPU-bound ✓`, or what the tasks want instead. */
function dispatchWords(fn: FunctionReport): string {
  const dispatch = fn.dispatch;
  if (!dispatch) return VERDICT_TEXT[fn.verdict].label;
  const where = `runs its tasks in ${POOL_WORDS[dispatch.pool]}`;
  const { task } = dispatch;
  if (!task) return `${where} · tasks: not found, measure them`;
  const kind = VERDICT_TEXT[task.verdict].label;
  if (dispatch.suits) return `${where} · tasks: ${kind} ✓`;
  const instead = task.recommendation === 'sequential' ? 'run them sequentially' : `use ${task.recommendation}`;
  return `${where} · tasks: ${kind} → ${instead}${dispatch.rule ? ` (${dispatch.rule})` : ''}`;
}

/** `≈1.9× on 2 cores`, `≈1.9× in processes on 2 cores`. */
function speedupOnCores(predicted: PredictedResult, mode = false): string {
  return `≈${predicted.speedup.toFixed(1)}×${mode ? ` in ${predicted.best}` : ''} on ${predicted.cores} core${predicted.cores === 1 ? '' : 's'}`;
}

/** `pays off above ~3,000 items`, without the assumption it rests on (the hover says it). */
function shortBreakEven(predicted: PredictedResult): string | undefined {
  return predicted.breakEven?.replace(/ \(.*\)$/, '');
}

/**
 * The prediction in one line, for the hover: `Predicted: ≈1.9× in processes on 2 cores (8 calls:
 * sequential 0.40 s · threads 0.41 s · processes 0.21 s)`; undefined without a prediction.
 */
export function predictedLine(fn: FunctionReport): string | undefined {
  const predicted = fn.predicted;
  if (!predicted) return undefined;
  const { sequential, threads, processes, asyncio } = predicted.seconds;
  const modes = [`sequential ${formatSeconds(sequential)}`, `threads ${formatSeconds(threads)}`, `processes ${formatSeconds(processes)}`];
  if (asyncio !== undefined) modes.push(`asyncio ${formatSeconds(asyncio)}`);
  const of = fn.dispatch?.task ? ` of its task ${fn.dispatch.task.name}` : '';
  const times = `${predicted.tasks} calls${of}: ${modes.join(' · ')}`;
  if (predicted.best !== 'sequential') return `Predicted: ${speedupOnCores(predicted, true)} (${times})`;
  return predicted.breakEven ? `Predicted: no pool pays at the sizes assumed (${times}); ${predicted.breakEven}` : `Predicted: no pool pays for itself (${times})`;
}

/**
 * For a dispatcher, the hover's explanation: where its tasks run, what they are, and what a run of the
 * function itself measures. Plain text (the hover escapes it: no code marks).
 */
export function dispatchExplanation(fn: FunctionReport): string | undefined {
  const dispatch = fn.dispatch;
  if (!dispatch) return undefined;
  const pool = POOL_WORDS[dispatch.pool];
  const whole = `As a whole it is ${VERDICT_TEXT[dispatch.whole.verdict].label} (it waits on the pool): that is what a run of the function itself measures.`;
  const { task } = dispatch;
  if (!task) return `Hands its tasks to ${pool} (line ${dispatch.line}) and waits for them; the task is not a function the analysis can see. ${whole}`;
  const judged = `Hands ${task.name} to ${pool} (line ${dispatch.line}) and waits for it. The task is ${VERDICT_TEXT[task.verdict].label}: it wants ${task.recommendation}`;
  const fit = dispatch.suits
    ? `, which ${pool} is.`
    : `, and ${pool} is ${POOL_MODE[dispatch.pool]}${dispatch.rule ? ` (${dispatch.rule} says so at line ${dispatch.line})` : ''}.`;
  return `${judged}${fit} ${whole}`;
}

/**
 * The Functions view's description of a function: its recommendation with the predicted speedup, or its pool; a
 * function whose analysis failed says so, as its lens does.
 */
export function functionDescription(fn: FunctionReport): string {
  if (fn.failure !== undefined) return NOT_ANALYZED;
  if (fn.dispatch) return `in ${POOL_WORDS[fn.dispatch.pool]}${fn.dispatch.task ? ` · tasks want ${fn.recommendation}${fn.dispatch.suits ? ' ✓' : ''}` : ''}`;
  const { predicted } = fn;
  if (predicted?.best === 'sequential' && predicted.breakEven) return `too small: ${shortBreakEven(predicted)}`;
  const speedup = predicted && predicted.best === fn.recommendation && predicted.best !== 'sequential' ? ` ${speedupOnCores(predicted)}` : '';
  return `${fn.recommendation}${speedup}`;
}
