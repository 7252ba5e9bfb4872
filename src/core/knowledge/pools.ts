/** The standard library's ways of handing a task to threads or processes (shared by verdicts and findings). */

const THREAD_POOL_METHODS = ['map', 'imap', 'imap_unordered', 'apply', 'apply_async', 'map_async', 'starmap', 'starmap_async'];

/** APIs that run a task (their first argument, or `target=`) in threads. */
export const THREAD_TASKS = new Set([
  'concurrent.futures.ThreadPoolExecutor.submit',
  'concurrent.futures.ThreadPoolExecutor.map',
  ...THREAD_POOL_METHODS.map((m) => `multiprocessing.pool.ThreadPool.${m}`),
  'threading.Thread',
]);
/** APIs that run a task in other processes: it and its arguments are pickled. */
export const PROCESS_TASKS = new Set([
  'concurrent.futures.ProcessPoolExecutor.submit',
  'concurrent.futures.ProcessPoolExecutor.map',
  ...THREAD_POOL_METHODS.map((m) => `multiprocessing.pool.Pool.${m}`),
  'multiprocessing.Process',
]);
/** Pool constructors. */
export const POOLS = new Set([
  'concurrent.futures.ThreadPoolExecutor',
  'concurrent.futures.ProcessPoolExecutor',
  'concurrent.futures.InterpreterPoolExecutor',
  'multiprocessing.Pool',
  'multiprocessing.pool.Pool',
  'multiprocessing.pool.ThreadPool',
  'distributed.Client',
  'distributed.LocalCluster',
  'dask.distributed.Client',
  'dask.distributed.LocalCluster',
  'joblib.Parallel',
]);
/** What starts processes: under `spawn`, each re-imports the main module. */
export const STARTS_PROCESSES = new Set([
  'concurrent.futures.ProcessPoolExecutor',
  'multiprocessing.Pool',
  'multiprocessing.pool.Pool',
  'multiprocessing.Process',
  'distributed.LocalCluster',
  'dask.distributed.LocalCluster',
]);

/** Thread-task APIs that run their task once per item of an iterable (the others run it once per call). */
export const PER_ITEM_THREAD_TASKS = new Set(
  [...THREAD_TASKS].filter((api) => /\.(map|imap|imap_unordered|map_async|starmap|starmap_async)$/.test(api)),
);
