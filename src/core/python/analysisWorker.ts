import { parentPort } from 'node:worker_threads';
import { DiskCache } from '../cache/diskCache';
import { BatchSender, extractFile, FactsParser, type SentFile, type SentShared } from './parse';

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
  /** The batch's shared names and values, which the results' facts hold as indices into. */
  shared: SentShared;
}

let parserReady: Promise<FactsParser> | undefined;

parentPort?.on('message', (request: WorkerRequest) => {
  parserReady ??= FactsParser.create(request.cache && new DiskCache(request.cache.directory, request.cache.version));
  void parserReady.then((parser) => {
    const sender = new BatchSender();
    const results = request.files.map((file) => sender.file(extractFile(parser, file, request.budgetMs)));
    parentPort?.postMessage({ id: request.id, results, shared: sender.sentShared() } satisfies WorkerResponse);
  });
});
