/**
 * CPython's cyclic garbage collector as the cost model needs it: how many full (generation 2) collections a
 * run of tasks triggers, from the tracked objects (containers, instances) each task keeps alive. Each full
 * collection walks every tracked object, the heap the process inherited or imported included, which is the
 * process pool's loss a task's own work does not show (test/fixtures/measured/fork_gc_study.py).
 *
 * The rules are those of CPython 3.11's Modules/gcmodule.c (the same through 3.13):
 *  - an allocation of a tracked object adds one to generation 0's count, its deallocation takes one off; a
 *    count above 700 collects generation 0 (`collect_generations`);
 *  - each collection of a generation adds one to the next one's count: generation 1 is collected when its
 *    count passes 10, so after 11 young collections, and its survivors join generation 2 as `long_lived_pending`;
 *  - generation 2 is collected when its count passes 10 *and* `long_lived_pending` is at least a quarter of
 *    `long_lived_total` (the objects generation 2 held after the last full collection), so a larger heap
 *    spaces full collections further apart: the inherited heap raises `long_lived_total`.
 * Objects that die young (a temporary rebound each iteration) are freed before a collection sees them and
 * take their allocation back: only objects kept alive across thousands of allocations reach generation 2.
 */

const THRESHOLD_0 = 700;
const THRESHOLD_1 = 10;
const THRESHOLD_2 = 10;
/** Allocations of kept objects between two collections of generation 1 (each after 11 young collections of 701). */
const ALLOCATIONS_PER_MIDDLE_COLLECTION = (THRESHOLD_0 + 1) * (THRESHOLD_1 + 1);
/** Bounds the simulation: beyond this many generation-1 collections the rest of the run is extrapolated. */
const MAX_SIMULATED_COLLECTIONS = 20_000;

/**
 * Full collections in one process that runs `tasks` tasks one after the other, each keeping `keptPerTask` tracked
 * objects alive until it returns, over a heap of `heapObjects` tracked objects that outlive every task (the
 * process starts just after a full collection: the fixtures' script collects before each run, and a forked
 * worker inherits its parent's state).
 */
export function fullCollections(keptPerTask: number, tasks: number, heapObjects: number): number {
  const perTask = Math.max(0, Math.round(keptPerTask));
  const count = Math.max(0, Math.floor(tasks));
  const allocations = perTask * count;
  if (allocations < ALLOCATIONS_PER_MIDDLE_COLLECTION) return 0;
  const middle = Math.floor(allocations / ALLOCATIONS_PER_MIDDLE_COLLECTION);
  const simulated = Math.min(middle, MAX_SIMULATED_COLLECTIONS);
  let longLivedTotal = Math.max(0, heapObjects);
  let pending = 0;
  let sinceFull = 0;
  let full = 0;
  for (let k = 1; k <= simulated; k++) {
    const allocated = k * ALLOCATIONS_PER_MIDDLE_COLLECTION;
    pending += ALLOCATIONS_PER_MIDDLE_COLLECTION;
    sinceFull++;
    if (sinceFull > THRESHOLD_2 && pending >= longLivedTotal / 4) {
      full++;
      // What generation 2 holds now: the heap and the current task's objects still alive (earlier tasks' are freed).
      const liveOfTask = perTask > 0 ? allocated - Math.floor((allocated - 1) / perTask) * perTask : 0;
      longLivedTotal = heapObjects + liveOfTask;
      pending = 0;
      sinceFull = 0;
    }
  }
  return simulated < middle ? (full * middle) / simulated : full;
}
