import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchRecord } from './bench/record';
import type { FunctionReport, MeasuredResult } from './model';

/**
 * The workspace's measured results, one per function, source hash and interpreter: what a run from the
 * CLI or the editor found, shown next to the static verdict by both. It lives where the ecosystem's tools
 * keep their caches (`.pytest_cache`, `.ruff_cache`): a folder at the workspace root that ignores itself.
 */
export const STORE_FOLDER = '.concurrency-lens';
export const STORE_FILE = 'measured.json';
const FORMAT = 'concurrency-lens/measured';
const VERSION = 1;
/** The newest entries kept; older ones are dropped on the next write. */
export const MAX_ENTRIES = 500;
/** A store larger than this is not read (not ours, or broken): the next write starts a new one. */
const MAX_STORE_BYTES = 4 * 1024 * 1024;
const MAX_TEXT = 500;

export interface MeasuredEntry {
  /** Workspace-relative, `/`-separated. */
  file: string;
  qualname: string;
  /** `functionSourceHash` of the function's lines when it ran. */
  sourceHash: string;
  /** The runtime, version and executable path the run used, e.g. `python 3.11.7 /usr/bin/python3`. */
  interpreter: string;
  /** Null: the run could not decide (`inconclusive` says why) or no mode finished. */
  recommendation: string | null;
  /** The recommended mode's speedup over sequential, when there is one. */
  speedup: number | null;
  /** ± of the speedup: half the range of the per-round speedups (absent: one round, or stored before rounds). */
  speedupSpread?: number;
  /** Timed repetitions behind the speedup. */
  repeats?: number;
  inconclusive?: string;
  /** ISO-8601. */
  at: string;
}

export function storeFolder(workspaceRoot: string): string {
  return path.join(workspaceRoot, STORE_FOLDER);
}

export function storePath(workspaceRoot: string): string {
  return path.join(storeFolder(workspaceRoot), STORE_FILE);
}

/** The key of a file in the store: its path from the workspace root, with `/`. */
export function storeFileKey(workspaceRoot: string, file: string): string {
  return path.relative(path.resolve(workspaceRoot), path.resolve(file)).split(path.sep).join('/');
}

/**
 * A short hash of a function's source: lines `line`..`endLine` (1-based, inclusive) of `text`, each
 * without trailing whitespace or its line ending, so re-saving with other line endings or a stripped
 * trailing space is not an edit.
 */
export function functionSourceHash(text: string, line: number, endLine: number): string {
  const lines = text.split(/\r\n|\r|\n/).slice(Math.max(0, line - 1), Math.max(line, endLine));
  return createHash('sha256').update(lines.map((l) => l.trimEnd()).join('\n')).digest('hex').slice(0, 16);
}

/** The text `runtime version path` a run's interpreter is stored under. */
export function interpreterKey(interpreter: { path: string; version: string; runtime?: string } | null): string {
  if (!interpreter) return 'unknown';
  return `${interpreter.runtime ?? 'python'} ${interpreter.version} ${interpreter.path}`;
}

/**
 * The entries of the store at `workspaceRoot`: none when there is no store, and none when the file is
 * not one (too large, not JSON, another format or version). Entries of the wrong shape are skipped.
 * Never throws.
 */
export function readMeasured(workspaceRoot: string): MeasuredEntry[] {
  let text: string;
  try {
    const file = storePath(workspaceRoot);
    if (fs.statSync(file).size > MAX_STORE_BYTES) return [];
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return parseStore(text);
}

export function parseStore(text: string): MeasuredEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isObject(document) || document.format !== FORMAT || document.version !== VERSION || !Array.isArray(document.entries)) return [];
  return document.entries.filter(isEntry).slice(0, MAX_ENTRIES);
}

/**
 * Adds `entry` to the store (replacing the one with the same file, qualname, hash and interpreter),
 * keeping the newest MAX_ENTRIES. Re-reads the store just before writing so a run from the CLI and one
 * from the editor keep each other's entries, and writes a temporary file then renames it over the
 * store so a reader never sees half a file. Creates the folder with its `.gitignore`.
 */
export function recordMeasured(workspaceRoot: string, entry: MeasuredEntry): void {
  const folder = storeFolder(workspaceRoot);
  fs.mkdirSync(folder, { recursive: true });
  const ignore = path.join(folder, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Created by Concurrency Lens: measured results of this machine\n*\n');
  const sameKey = (other: MeasuredEntry): boolean =>
    other.file === entry.file && other.qualname === entry.qualname && other.sourceHash === entry.sourceHash && other.interpreter === entry.interpreter;
  withLock(path.join(folder, 'measured.lock'), () => {
    const entries = [entry, ...readMeasured(workspaceRoot).filter((other) => !sameKey(other))]
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, MAX_ENTRIES);
    writeAtomically(storePath(workspaceRoot), `${JSON.stringify({ format: FORMAT, version: VERSION, entries }, null, 1)}\n`);
  });
}

/** How long a writer waits for another's lock, and when a lock is taken for a leftover of a crashed writer. */
const LOCK_WAIT_MS = 2000;
const LOCK_STALE_MS = 10_000;

/**
 * Runs `write` holding a lock file (created exclusively), so two writers' read-then-write cannot
 * interleave. The wait is bounded: a lock older than LOCK_STALE_MS is removed, and after LOCK_WAIT_MS the
 * write goes ahead anyway (the rename still keeps the file whole).
 */
function withLock(lock: string, write: () => void): void {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let held = false;
  while (!held && Date.now() < deadline) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx'));
      held = true;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) fs.rmSync(lock, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    write();
  } finally {
    if (held) fs.rmSync(lock, { force: true });
  }
}

/** Removes the store (the folder's `.gitignore` stays with it: the whole folder goes). */
export function clearMeasured(workspaceRoot: string): void {
  fs.rmSync(storeFolder(workspaceRoot), { recursive: true, force: true });
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * What the store says about a function whose source now hashes to `sourceHash`: the newest entry
 * measured on this source (any interpreter), else the newest on older source (then `stale`).
 */
export function measuredFor(entries: readonly MeasuredEntry[], file: string, qualname: string, sourceHash: string): MeasuredResult | undefined {
  let fresh: MeasuredEntry | undefined;
  let older: MeasuredEntry | undefined;
  for (const entry of entries) {
    if (entry.file !== file || entry.qualname !== qualname) continue;
    if (entry.sourceHash === sourceHash) {
      if (!fresh || entry.at > fresh.at) fresh = entry;
    } else if (!older || entry.at > older.at) older = entry;
  }
  const chosen = fresh ?? older;
  if (!chosen) return undefined;
  return {
    recommendation: chosen.recommendation,
    speedup: chosen.speedup,
    ...(chosen.speedupSpread !== undefined && { speedupSpread: chosen.speedupSpread }),
    ...(chosen.repeats !== undefined && { repeats: chosen.repeats }),
    stale: fresh === undefined,
    at: chosen.at,
    ...(chosen.inconclusive !== undefined && { inconclusive: chosen.inconclusive }),
  };
}

/**
 * The functions of one file with their measured results (the analyzer's reports are not changed):
 * `text` is the file's source now, whose lines the hashes are taken from.
 */
export function withMeasured(functions: readonly FunctionReport[], entries: readonly MeasuredEntry[], fileKey: string, text: string): FunctionReport[] {
  if (!entries.some((entry) => entry.file === fileKey)) return [...functions];
  return functions.map((fn) => {
    const measured = measuredFor(entries, fileKey, fn.qualname, functionSourceHash(text, fn.line, fn.endLine));
    return measured ? { ...fn, measured } : fn;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isEntry(value: unknown): value is MeasuredEntry {
  if (!isObject(value)) return false;
  return isText(value.file)
    && isText(value.qualname)
    && isText(value.sourceHash)
    && isText(value.interpreter)
    && (value.recommendation === null || isText(value.recommendation))
    && (value.speedup === null || isFiniteNumber(value.speedup))
    && (value.speedupSpread === undefined || isFiniteNumber(value.speedupSpread))
    && (value.repeats === undefined || (Number.isInteger(value.repeats) && (value.repeats as number) > 0))
    && (value.inconclusive === undefined || isText(value.inconclusive))
    && isText(value.at)
    && !Number.isNaN(Date.parse(value.at));
}

/**
 * The entry a finished run stores for its function, or undefined when there is nothing to store (the
 * run was stopped, or no mode finished and the run did not say why it could not decide).
 */
export function measuredEntryOf(
  record: Pick<BenchRecord, 'recommendation' | 'best' | 'interpreter' | 'stopped'> & { inconclusive?: string; runs?: BenchRecord['runs'] },
  target: { file: string; qualname: string; sourceHash: string },
  at: Date,
): MeasuredEntry | undefined {
  if (record.stopped !== undefined) return undefined;
  if (record.recommendation === null && record.inconclusive === undefined) return undefined;
  const recommended = recommendedRun(record);
  return {
    ...target,
    interpreter: interpreterKey(record.interpreter),
    recommendation: record.recommendation,
    speedup: record.recommendation === null ? null : (recommended?.speedup ?? record.best?.speedup ?? null),
    ...(recommended?.speedupSpread !== undefined && recommended.speedupSpread !== null && { speedupSpread: recommended.speedupSpread }),
    ...(recommended?.repeats !== undefined && { repeats: recommended.repeats }),
    ...(record.inconclusive !== undefined && { inconclusive: record.inconclusive.slice(0, MAX_TEXT) }),
    at: at.toISOString(),
  };
}

/** The fastest finished configuration of the recommended mode (a cheaper mode within 10 % may be recommended over the fastest). */
function recommendedRun(record: { recommendation: string | null; runs?: BenchRecord['runs'] }): BenchRecord['runs'][number] | undefined {
  if (record.recommendation === null || !record.runs) return undefined;
  return record.runs
    .filter((run) => run.mode === record.recommendation && run.error === null)
    .sort((a, b) => a.wallSeconds - b.wallSeconds)[0];
}

/**
 * The stored result in a few words beside the static verdict: `measured: processes 1.9× ± 0.1 ✓` when it
 * agrees, `measured: threads — static said processes` when not, `measured: inconclusive`, and
 * `measured (older code): …` when the function changed since.
 */
export function measuredSummary(measured: MeasuredResult, staticRecommendation: string): string {
  return `${measured.stale ? 'measured (older code)' : 'measured'}: ${measuredWords(measured, staticRecommendation)}`;
}

/** `measuredSummary` without its `measured:` (for a column headed so). */
export function measuredWords(measured: MeasuredResult, staticRecommendation: string): string {
  if (measured.recommendation === null) return 'inconclusive';
  const spread = measured.speedupSpread !== undefined && measured.speedupSpread >= 0.05 ? ` ± ${measured.speedupSpread.toFixed(1)}` : '';
  const speedup = measured.speedup !== null && measured.recommendation !== 'sequential' ? ` ${measured.speedup.toFixed(1)}×${spread}` : '';
  const agrees = measured.recommendation === staticRecommendation;
  return `${measured.recommendation}${speedup}${agrees ? ' ✓' : ` — static said ${staticRecommendation}`}`;
}
