import { parentPort } from 'node:worker_threads';
import { readSource } from '../files';
import type { FileFacts } from './facts';
import { FactsParser } from './parse';

/** A batch of files to read, parse and extract, from the pool. */
export interface WorkerRequest {
  id: number;
  files: string[];
}
export interface WorkerFileResult {
  path: string;
  facts?: FileFacts;
  error?: string;
}
export interface WorkerResponse {
  id: number;
  results: WorkerFileResult[];
}

const parserReady = FactsParser.create();

parentPort?.on('message', (request: WorkerRequest) => {
  void parserReady.then((parser) => {
    const results: WorkerFileResult[] = request.files.map((file) => {
      const loaded = readSource(file);
      if ('error' in loaded) return { path: file, error: loaded.error };
      try {
        return { path: file, facts: parser.facts(loaded.source) };
      } catch (e) {
        return { path: file, error: `analysis failed: ${(e as Error).message}` };
      }
    });
    parentPort?.postMessage({ id: request.id, results } satisfies WorkerResponse);
  });
});
