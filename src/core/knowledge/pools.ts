import { own } from '../own';

/** The standard library's ways of handing a task to threads or processes (shared by verdicts and findings). */

const THREAD_POOL_METHODS = ['map', 'imap', 'imap_unordered', 'apply', 'apply_async', 'map_async', 'starmap', 'starmap_async'];

/** APIs that run a task (their first argument, or `target=`) in threads. */
export const THREAD_TASKS = new Set([
  'concurrent.futures.ThreadPoolExecutor.submit',
  'concurrent.futures.ThreadPoolExecutor.map',
  ...THREAD_POOL_METHODS.map((m) => `multiprocessing.pool.ThreadPool.${m}`),
  'threading.Thread',
]);
/** Coroutine APIs that hand a task to a thread and await it (`asyncio.to_thread(task, …)`, `loop.run_in_executor(executor, task, …)`). */
export const AWAITED_THREAD_TASKS = new Set(['asyncio.to_thread', 'asyncio.AbstractEventLoop.run_in_executor']);
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

/**
 * Objects the garbage collector tracks once a library is imported, beyond the bare interpreter's (6,168):
 * `len(gc.get_objects())` after importing each alone, Debian's CPython 3.11.2 (2026-12-05). A forked worker
 * inherits them, and each full collection in it walks them again (test/fixtures/measured/fork_gc_study.py).
 */
export const TRACKED_OBJECTS_AFTER_IMPORT: Readonly<Record<string, number>> = {
  matplotlib: 55_655,
  pandas: 46_037,
  sympy: 40_962,
  openpyxl: 30_076,
  scipy: 28_156,
  sqlalchemy: 26_005,
  bs4: 16_227,
  networkx: 15_357,
  numpy: 14_039,
  requests: 13_721,
  cryptography: 13_414,
  jinja2: 9_668,
  PIL: 5_786,
  lxml: 4_240,
};

/**
 * Pages of a library's objects (built by the parent's warm-up call) that a forked worker's first call of an API writes:
 * reference counts and caches of an ORM session's engine, mappers and compiled statements. The median of the minor faults
 * a forked child's first task takes beyond its later ones, over the five labelled tasks that open a session on an engine
 * the parent used: 1,832 (subscriber_plan), 2,835 (overdue_accounts), 6,218 (import_subscriptions), 6,562 and 10,767
 * (the two freezer_inventory); 89-422 ms of CPU (test/fixtures/measured/first_touch_study.py, 2026-12-06, load 10-22).
 */
export const FIRST_TOUCH_PAGES: Readonly<Record<string, number>> = {
  'sqlalchemy.orm.Session': 6_200,
  // SQLAlchemy Core, a statement run on a connection (compiled again against the parent's tables, dialect and caches): the
  // median over eight labelled tasks on SQLite, 887 (838-2,177: specimens_by_family, vaccinations_due twice,
  // shot_tracker_summary, reservation_lookup, vehicle_record, pnr_record, open_orders_by_site, tariff_ledger_sql), 26-75 ms
  // of CPU (first_touch_study.py, 2026-12-07, load 10-12).
  'sqlalchemy.Connection.execute': 900,
};

/** The libraries among `imported` (top-level names) that TRACKED_OBJECTS_AFTER_IMPORT counts, and their objects together. */
export function importedHeap(imported: readonly string[]): { libraries: string[]; objects: number } {
  const libraries = imported.filter((name) => own(TRACKED_OBJECTS_AFTER_IMPORT, name) !== undefined);
  return { libraries, objects: libraries.reduce((sum, name) => sum + (own(TRACKED_OBJECTS_AFTER_IMPORT, name) ?? 0), 0) };
}

/** The interpreter's own tracked objects before any import (`len(gc.get_objects())`, the same CPython as above). */
export const TRACKED_OBJECTS_BARE_INTERPRETER = 6_168;

/**
 * Calls that read every object of the value they are given (serializers, a deep copy, and the builtins that consume
 * an iterable whole: `sorted(READERS, key=…)` takes a reference to each item, as a loop over it does): given a
 * module-level collection, each reference they take writes its objects' reference counts, so a forked worker copies
 * their pages as a loop over the collection would make it.
 */
export const WALKS_ITS_ARGUMENT: ReadonlySet<string> = new Set([
  'json.dumps', 'json.dump', 'pickle.dumps', 'pickle.dump', 'marshal.dumps', 'msgpack.packb', 'msgpack.dumps', 'msgpack.pack',
  'yaml.dump', 'yaml.safe_dump', 'copy.deepcopy',
  'builtins.sorted', 'builtins.sum', 'builtins.min', 'builtins.max', 'builtins.list', 'builtins.tuple', 'builtins.set', 'builtins.frozenset',
  'collections.Counter',
]);

/**
 * Library calls that build Python objects from their input: tracked containers made per byte of it (a JSON or YAML
 * document of records, a pickle, a parsed HTML or XML tree). All of them are alive until the call returns, so a large
 * input drives the garbage collector's generations whatever the caller keeps. Orders of magnitude, counted with
 * `len(gc.get_objects())` around a call on 2,000 short records (`{"id", "name", "tags": [..], "price"}`; an HTML `div` with a
 * link and a span, an XML `item` of two fields), Debian's CPython 3.11.2 (2026-12-05).
 */
export const OBJECTS_BUILT_PER_BYTE: Readonly<Record<string, number>> = {
  'json.loads': 1 / 33,
  'json.load': 1 / 33,
  'requests.Response.json': 1 / 33,
  'pickle.loads': 1 / 20,
  'pickle.load': 1 / 20,
  'yaml.load': 1 / 30,
  'yaml.safe_load': 1 / 30,
  'yaml.full_load': 1 / 30,
  'yaml.unsafe_load': 1 / 30,
  'yaml.load_all': 1 / 30,
  'yaml.safe_load_all': 1 / 30,
  'bs4.BeautifulSoup': 1 / 6,
  'xml.etree.ElementTree.fromstring': 1 / 20,
  'xml.etree.ElementTree.XML': 1 / 20,
  'xml.etree.ElementTree.parse': 1 / 20,
};

/**
 * Library methods that add to a structure the caller keeps: containers made per call and kept as long as the
 * structure is. A networkx graph keeps a dict per node for its attributes and one or two for its adjacency, and one
 * per edge for the edge's data; they count towards the collector's thresholds whether or not it tracks them (an empty
 * dict is not tracked, yet its allocation counts). Net allocations per call with the collector disabled
 * (`gc.get_count()`), 6,000 calls, networkx 2.8.8, Debian's CPython 3.11.2 (2026-12-06): `add_node` 2 (Graph) or 3
 * (DiGraph), `add_edge` 1 between nodes already added and a new node's 2 or 3 more. A graph built by `add_edge` alone
 * makes its nodes there: over the nine graphs of the measured fixtures built so (add_edge_study.py, 2026-12-07) an edge
 * brought 0-0.98 new endpoints, 1.0-3.0 containers a call, median 1.7.
 */
export const OBJECTS_KEPT_PER_CALL: Readonly<Record<string, number>> = {
  'networkx.Graph.add_node': 2,
  'networkx.Graph.add_edge': 1.7,
};
