/**
 * Dask against a process pool on this machine: a CPU-bound fixture of ~50 ms per task, run by the
 * harness in sequential, processes and dask (a LocalCluster of one worker per core) modes, with the
 * measurement protocol. Prints the two speedups side by side, Dask's measured per-task overhead and
 * round trip, and the cluster advice. Needs `distributed` in /usr/bin/python3 (python3-distributed).
 *
 *     npm run compile-tests && node -e "require('./out/test/bench/dask').daskBench()"
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clusterAdvice } from '../../src/core/bench/cluster';
import type { ClusterEvent } from '../../src/core/bench/events';
import { runBench, type BenchRun } from '../../src/core/bench/runner';

const DASK_PYTHON = process.env.CONCURRENCY_LENS_DASK_PYTHON ?? '/usr/bin/python3';
const TASKS = 32;
/** Iterations of the fixture's loop for ~50 ms a task (measured by the warm-up and reported). */
const FIXTURE = `def crunch(i):
    total = 0
    for n in range(600_000):
        total = (total * 31 + n * n) % 1_000_003
    return total
`;

export async function daskBench(): Promise<void> {
  if (spawnSync(DASK_PYTHON, ['-c', 'import distributed'], { stdio: 'ignore' }).status !== 0) {
    console.log(`dask: skipped (${DASK_PYTHON} has no distributed: apt-get install python3-distributed)`);
    return;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-dask-bench-'));
  try {
    fs.writeFileSync(path.join(folder, 'crunch.py'), FIXTURE);
    const cores = os.availableParallelism();
    let cluster: ClusterEvent | undefined;
    const outcome = await runBench({
      python: DASK_PYTHON,
      file: path.join(folder, 'crunch.py'),
      qualname: 'crunch',
      call: 'crunch(i)',
      tasks: TASKS,
      modes: ['sequential', 'processes', 'dask'],
      workers: [cores],
      timeoutSeconds: 600,
      onEvent: (event) => {
        if (event.type === 'cluster') cluster = event;
      },
    });
    if (outcome.kind === 'no-interpreter' || outcome.kind === 'input-error') {
      console.log(`dask: the run could not start: ${outcome.kind === 'input-error' ? outcome.error.message : outcome.message}`);
      return;
    }
    const of = (mode: BenchRun['mode']): BenchRun | undefined => outcome.runs.find((run) => run.mode === mode);
    const sequential = of('sequential');
    const processes = of('processes');
    const dask = of('dask');
    const speedup = (run: BenchRun | undefined): string =>
      run?.speedup === null || run?.speedup === undefined ? 'n/a' : `${run.speedup.toFixed(2)}x${run.speedupSpread ? ` ± ${run.speedupSpread.toFixed(2)}` : ''} (${run.wallSeconds.toFixed(2)} s)`;
    const perTask = sequential ? (1000 * sequential.wallSeconds) / TASKS : NaN;
    console.log(`dask vs processes: ${TASKS} tasks of ~${perTask.toFixed(0)} ms (CPU-bound), ${cores} workers each, medians of ${outcome.rounds} rounds${outcome.kind === 'completed' ? '' : ` (${outcome.kind}: ${outcome.message})`}`);
    console.log(`  sequential                      ${sequential ? `${sequential.wallSeconds.toFixed(2)} s` : 'n/a'}`);
    console.log(`  processes x${cores} speedup            ${speedup(processes)}`);
    console.log(`  dask LocalCluster x${cores} speedup    ${speedup(dask)}${dask?.error ? ` failed: ${dask.error}` : ''}`);
    const overhead = dask?.dask?.perTaskOverheadSeconds;
    console.log(`  dask per-task overhead          ${overhead === null || overhead === undefined ? 'n/a' : `${(overhead * 1000).toFixed(2)} ms`}; round trip ${cluster ? `${(cluster.roundTripSeconds * 1000).toFixed(1)} ms` : 'n/a'}; ${dask?.dask?.bytesPerTask ?? '?'} bytes per task`);
    const advice = clusterAdvice(outcome.runs, TASKS, cores);
    if (advice) console.log(`  advice: ${advice.text}`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
