import { parentPort } from 'node:worker_threads';
import { extractFile, FactsParser, type ExtractedFile } from './parse';

/** A batch of files to read, parse and extract, from the pool. */
export interface WorkerRequest {
  id: number;
  files: string[];
  /** Each file's time budget (ms). */
  budgetMs: number;
}
export type WorkerFileResult = ExtractedFile;
export interface WorkerResponse {
  id: number;
  results: WorkerFileResult[];
}

const parserReady = FactsParser.create();

parentPort?.on('message', (request: WorkerRequest) => {
  void parserReady.then((parser) => {
    const results = request.files.map((file) => extractFile(parser, file, request.budgetMs));
    parentPort?.postMessage({ id: request.id, results } satisfies WorkerResponse);
  });
});
