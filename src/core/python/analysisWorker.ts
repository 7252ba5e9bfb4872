import { parentPort } from 'node:worker_threads';
import { DiskCache } from '../cache/diskCache';
import { extractFile, FactsParser, sentFile, type SentFile } from './parse';

/** A batch of files to read, parse and extract, from the pool. */
export interface WorkerRequest {
  id: number;
  files: string[];
  /** Each file's time budget (ms). */
  budgetMs: number;
  /** The facts cache to read and fill, if any. */
  cache?: CacheLocation;
}

export interface CacheLocation {
  directory: string;
  /** The analyzer's code digest (see `codeDigest`). */
  version: string;
}
export interface WorkerResponse {
  id: number;
  results: SentFile[];
}

let parserReady: Promise<FactsParser> | undefined;

parentPort?.on('message', (request: WorkerRequest) => {
  parserReady ??= FactsParser.create(request.cache && new DiskCache(request.cache.directory, request.cache.version));
  void parserReady.then((parser) => {
    const results = request.files.map((file) => sentFile(extractFile(parser, file, request.budgetMs)));
    parentPort?.postMessage({ id: request.id, results } satisfies WorkerResponse);
  });
});
