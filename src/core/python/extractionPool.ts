import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { StringTable } from '../cache/strings';
import type { CacheLocation, WorkerRequest, WorkerResponse } from './analysisWorker';
import { receivedBatch, type ExtractedFile } from './parse';

/** Files a worker reads and parses at once. */
const BATCH = 24;
/** Batches a worker holds at once: it parses the next while this thread takes in the one it sent, instead of waiting for it. */
const BATCHES_HELD = 2;
/**
 * Workers a load starts in place of failed ones (out of memory, crashed). The batches a failed worker held are
 * extracted on this thread, whose heap is the analysis host's, far larger. Past this many failures a failed worker is
 * not replaced, and once none is left this thread extracts the files not yet sent.
 */
const WORKER_REPLACEMENTS = 2;

/**
 * An extraction worker's heap. The young generation (8 MB): what a worker allocates dies young (the trees' nodes
 * read, each batch's facts and their JSON text), and V8's default room for it held 30-35 MB of a whole-stdlib load's
 * peak RSS, for about 5 % more of the workers' CPU (16 MB: 15-20 MB less, no cost seen). The old generation (32 MB):
 * a worker's live set is 10-20 MB between batches, but with no limit V8 let each heap grow to 70 MB before collecting;
 * at 32 MB the whole-stdlib load's extraction peaked 75 MB lower, for ~9 % more of its CPU. 48 MB bought no CPU back on
 * an idle machine (three alternated pairs: extraction CPU higher at 48 in all three, its peak 14-26 MB higher).
 * 16 MB is too small for some standard library batches: a batch that outgrows the limit is extracted on this thread
 * (see WORKER_REPLACEMENTS).
 */
export const EXTRACTION_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 32 };

export interface ExtractionOptions {
  workers: number;
  /** Each file's time budget (ms). */
  budgetMs: number;
  cache: CacheLocation | undefined;
  /** Where the batches' names and values are shared as they arrive. */
  strings: StringTable;
  /** Extracts files on this thread: the batches of a worker that failed. */
  extractHere: (files: readonly string[]) => ExtractedFile[];
  /** Each worker's heap limits; default EXTRACTION_LIMITS. */
  resourceLimits?: ResourceLimits;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Files read and parsed by a pool of workers; their facts arrive as JSON text (`SentFile`), whose strings are shared
 * through `strings` as they come. A worker that fails does not fail the load: see WORKER_REPLACEMENTS.
 */
export function extractInWorkers(files: readonly string[], options: ExtractionOptions): Promise<ExtractedFile[]> {
  return new Promise((resolve, reject) => {
    const results: ExtractedFile[] = [];
    const running = new Set<Worker>();
    let next = 0;
    let batchId = 0;
    let replacements = WORKER_REPLACEMENTS;
    let finished = false;
    const finish = (error?: Error): void => {
      if (finished) return;
      finished = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const worker of running) void worker.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const onAbort = (): void => finish(new Error('analysis cancelled'));
    options.signal?.addEventListener('abort', onAbort);
    const received = (extracted: readonly ExtractedFile[]): void => {
      results.push(...extracted);
      options.onProgress?.(results.length, files.length);
      if (results.length === files.length) finish();
    };
    const extractHere = (batch: readonly string[]): void => {
      if (finished) return;
      try {
        received(options.extractHere(batch));
      } catch (error) {
        finish(error as Error);
      }
    };
    const script = path.join(__dirname, 'analysisWorker.js');
    const start = (): void => {
      const worker = new Worker(script, { resourceLimits: options.resourceLimits ?? EXTRACTION_LIMITS });
      running.add(worker);
      const held = new Map<number, string[]>();
      const feed = (): void => {
        if (finished) return;
        if (next < files.length) {
          const batch = files.slice(next, next + BATCH);
          next += batch.length;
          const id = batchId++;
          held.set(id, batch);
          worker.postMessage({ id, files: batch, budgetMs: options.budgetMs, cache: options.cache } satisfies WorkerRequest);
        } else if (held.size === 0) {
          // A worker with nothing left to parse gives its memory back now, not when the last batch arrives.
          running.delete(worker);
          void worker.terminate();
        }
      };
      worker.on('message', (response: WorkerResponse) => {
        if (finished) return;
        held.delete(response.id);
        // This thread is otherwise idle while the workers parse.
        received(receivedBatch(response.results, response.shared, options.strings));
        feed();
      });
      // 'exit' follows: the failure is handled there, as that of a worker that exits unasked.
      worker.on('error', () => undefined);
      worker.on('exit', () => {
        if (finished || !running.delete(worker)) return;
        for (const batch of held.values()) extractHere(batch);
        if (replacements > 0 && next < files.length) {
          replacements--;
          start();
        } else if (running.size === 0) {
          while (!finished && next < files.length) {
            const batch = files.slice(next, next + BATCH);
            next += batch.length;
            extractHere(batch);
          }
        }
      });
      for (let round = 0; round < BATCHES_HELD; round++) feed();
    };
    for (let k = 0; k < options.workers; k++) start();
  });
}

/** How many workers `files` are worth: at most `wanted`, at most one a batch. */
export function extractionWorkers(files: readonly string[], wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.ceil(files.length / BATCH)));
}
