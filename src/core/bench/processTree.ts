import * as fs from 'node:fs';
import * as os from 'node:os';
import type { ThreadTimes } from './events';

/**
 * Finding and ending every process of a benchmark run, on Linux through /proc.
 *
 * A run's processes are found three ways, each catching what the others miss: the descendants of the
 * harness by parent pid (while the harness lives), the processes whose environment carries the run's
 * marker (inherited by every descendant that does not replace its environment, even once its parent
 * is gone), and the harness's process group. What that guarantees:
 *
 * - Linux, Python: every process the user's code starts is ended, whatever its session, group or
 *   environment. The harness is a child subreaper, so orphans are handed to it and its tree is
 *   complete: at a timeout or a cancel the runner stops and kills that whole tree; when the harness
 *   exits by itself it ends its tree first. Only if the harness dies without doing so (`os._exit` in a
 *   task, a signal from elsewhere) do its orphans go to init; then a process that both replaced its
 *   environment and left the process group escapes.
 * - Linux, Node (no subreaper without a native addon): the same, except that the tree holds only the
 *   processes whose chain of parents up to the harness is intact; a process whose parent exited (a
 *   double fork) is found by the marker or the group only.
 * - Elsewhere (macOS, Windows): the process group only (on Windows, the harness process only). The run
 *   still settles on time (the runner does not wait for the streams to end), but a process that left
 *   the group survives it.
 */

/** The environment variable whose value names a run; every process of the run inherits it. */
export const RUN_MARKER = 'CONCURRENCY_LENS_RUN';

interface ProcessEntry {
  ppid: number;
  pgid: number;
  /** A zombie has exited and waits to be reaped: nothing left to end. */
  zombie: boolean;
}

/** How many times the table is read again for processes forked while the others were being stopped. */
const MAX_FREEZE_ROUNDS = 20;

/** The process table (Linux); empty elsewhere. */
function processTable(): Map<number, ProcessEntry> {
  const table = new Map<number, ProcessEntry>();
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    table.set(Number(name), { ppid: Number(fields[1]), pgid: Number(fields[2]), zombie: fields[0] === 'Z' || fields[0] === 'X' });
  }
  return table;
}

function carriesMarker(pid: number, marker: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`).includes(marker);
  } catch {
    // Gone, or another user's process.
    return false;
  }
}

/** The live processes of the run: descendants of `root` (and `root` itself), its group, the marked ones. */
function runProcesses(table: ReadonlyMap<number, ProcessEntry>, root: number, marker: string | undefined): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, entry] of table) {
    const siblings = children.get(entry.ppid);
    if (siblings) siblings.push(pid);
    else children.set(entry.ppid, [pid]);
  }
  const found = new Set<number>();
  const queue = table.has(root) ? [root] : [];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (found.has(pid)) continue;
    found.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  const markerEntry = marker === undefined ? undefined : `${RUN_MARKER}=${marker}`;
  for (const [pid, entry] of table) {
    if (entry.pgid === root || (markerEntry !== undefined && !found.has(pid) && carriesMarker(pid, markerEntry))) found.add(pid);
  }
  found.delete(process.pid);
  for (const pid of found) if (table.get(pid)?.zombie) found.delete(pid);
  return found;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Ends every process of the run rooted at `root` (`root` included when `withRoot`): stops them all
 * first (SIGSTOP), reading the table again until no new process shows up, so nothing forks while the
 * others are killed; then SIGKILL. Returns the pids it ended. Linux only: elsewhere, the process group
 * alone (SIGKILL to -root, with the root).
 */
export function endRunProcesses(root: number, marker: string | undefined, withRoot: boolean): number[] {
  if (process.platform !== 'linux') {
    if (withRoot) signal(-root, 'SIGKILL');
    return [];
  }
  const stopped = new Set<number>();
  for (let round = 0; round < MAX_FREEZE_ROUNDS; round++) {
    const fresh = [...runProcesses(processTable(), root, marker)].filter((pid) => !stopped.has(pid) && (withRoot || pid !== root));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      signal(pid, 'SIGSTOP');
      stopped.add(pid);
    }
  }
  for (const pid of stopped) signal(pid, 'SIGKILL');
  if (withRoot) signal(-root, 'SIGKILL');
  return [...stopped];
}

/**
 * Gives the autogroup of `pid`, a process started in a session of its own, the nice value `nice` (by
 * default this process's). On Linux with autogroups on, a new session gets a new autogroup at nice 0, and
 * the scheduler shares the CPUs between autogroups by their nice alone, not their processes': a run
 * started under `nice` would otherwise lose the priority it was given. Nothing to do at nice 0 or
 * elsewhere; a failure (no autogroups, no right to raise the priority) leaves the default.
 */
export function keepPriority(pid: number, nice: number = os.getPriority()): void {
  if (process.platform !== 'linux' || nice === 0) return;
  try {
    fs.writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch {
    // Autogroups off, the process gone, or a raise without the right to it.
  }
}

/**
 * A thread's seconds on a CPU and runnable but waiting for one since it started, from
 * /proc/PID/task/TID/schedstat (`thread-self` when no pid is given: the calling thread); null when it
 * cannot be read (not Linux, the thread is gone).
 */
export function threadTimes(pid?: number, tid: number | undefined = pid): ThreadTimes | null {
  try {
    const [onCpu, waiting] = fs.readFileSync(pid === undefined ? '/proc/thread-self/schedstat' : `/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
    const times = { cpuSeconds: Number(onCpu) / 1e9, waitSeconds: Number(waiting) / 1e9 };
    return Number.isFinite(times.cpuSeconds) && Number.isFinite(times.waitSeconds) ? times : null;
  } catch {
    return null;
  }
}

/** The pids still in the process table, zombies included (they are gone once their new parent reaps them). */
export function remaining(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}
