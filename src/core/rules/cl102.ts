import type { ScriptRule } from './rule';

/** A worker whose script only waits on I/O: worker_threads do not make waiting faster. */
export const CL102: ScriptRule<'CL102'> = {
  id: 'CL102',
  title: 'worker_threads used for I/O-only work',
  severity: 'warning',
  language: 'typescript',
  docs: 'cl102',
  checkWorkerCall({ call, workerTask }, report) {
    const task = workerTask();
    if (!task || (task.verdict !== 'io' && task.verdict !== 'async-io')) return;
    const first = task.evidence[0];
    const why = first ? ` (${task.where}line ${first.line}: ${first.reason})` : '';
    report(
      call.line,
      `the worker's task only waits on I/O${why}: worker_threads do not make waiting faster. The main thread's event loop overlaps waits just as well with async APIs, without a thread's start-up, memory and message copying. Do the I/O with async calls (Promise.all) on the main thread.`,
    );
  },
};
