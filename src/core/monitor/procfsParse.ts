/**
 * Pure parsing and arithmetic behind the monitor: the text of Linux's /proc files, and CPU time deltas.
 * No I/O here, so every edge case is testable with fixed strings.
 */

/** Cumulative CPU time of one core, in any unit as long as both fields share it. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * The per-core lines (`cpu0`, `cpu1` …) of /proc/stat, in file order. Busy time is the total less idle
 * and iowait; guest time is left out of the total because the kernel already counts it in user time.
 */
export function parseProcStatCores(text: string): CpuTimes[] {
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!/^cpu\d/.test(line)) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    cores.push({ busy: total - idle - iowait, total });
  }
  return cores;
}

/** The `times` of `os.cpus()` as busy/total (used where /proc is absent). */
export function cpuTimesFromOs(cpus: ReadonlyArray<{ times: { user: number; nice: number; sys: number; idle: number; irq: number } }>): CpuTimes[] {
  return cpus.map(({ times }) => {
    const total = times.user + times.nice + times.sys + times.idle + times.irq;
    return { busy: total - times.idle, total };
  });
}

/**
 * Utilization (0..1) of each core between two readings. A core whose counters did not move, went backwards
 * (iowait may decrease; a core taken offline and back restarts its counters) or is new reads 0.
 */
export function coreUtilization(previous: readonly CpuTimes[], current: readonly CpuTimes[]): number[] {
  return current.map((now, index) => {
    const before = previous[index];
    if (!before) return 0;
    const total = now.total - before.total;
    const busy = now.busy - before.busy;
    if (!(total > 0) || !(busy > 0)) return 0;
    return Math.min(1, busy / total);
  });
}

/** The fields of /proc/<pid>/stat (or …/task/<tid>/stat) that the monitor uses. */
export interface TaskStat {
  /** The thread or process name, at most 15 bytes (the same text as the `comm` file). */
  name: string;
  /** R, S, D, Z … */
  state: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Threads of the process (the same for each of its threads). */
  threadCount: number;
  rssPages: number;
}

/**
 * Parses one stat line: `pid (name) state ppid …`. The name may hold spaces and parentheses, so the fields
 * are counted from the last `)`. Returns undefined for text that is not a stat line.
 */
export function parseTaskStat(text: string): TaskStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // Field 3 (state) is index 0 after the name; utime is field 14, stime 15, num_threads 20, rss 24.
  const fields = text.slice(close + 2).split(' ', 22);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const threadCount = Number(fields[17]);
  const rssPages = Number(fields[21]);
  if (![utime, stime, threadCount, rssPages].every(Number.isFinite)) return undefined;
  return { name: text.slice(open + 1, close), state: fields[0] ?? '', cpuTicks: utime + stime, threadCount, rssPages };
}

/** CPU time used over an elapsed time, as a percentage of one core (100 = one core busy throughout). */
export function percentOfOneCore(cpuTicks: number, ticksPerSecond: number, elapsedMs: number): number {
  if (!(elapsedMs > 0) || !(cpuTicks > 0)) return 0;
  return (cpuTicks / ticksPerSecond / (elapsedMs / 1000)) * 100;
}

const AT_NULL = 0;
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

/**
 * Page size and clock ticks per second from the auxiliary vector (/proc/self/auxv): pairs of native words,
 * type then value. The kernel hands these to every process, so no `getconf` child is needed.
 */
export function parseAuxv(bytes: Uint8Array, wordBytes: 4 | 8, littleEndian: boolean): { pageSize?: number; clockTicks?: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (offset: number): number => (wordBytes === 8 ? Number(view.getBigUint64(offset, littleEndian)) : view.getUint32(offset, littleEndian));
  const found: { pageSize?: number; clockTicks?: number } = {};
  for (let offset = 0; offset + 2 * wordBytes <= bytes.byteLength; offset += 2 * wordBytes) {
    const type = word(offset);
    if (type === AT_NULL) break;
    if (type === AT_PAGESZ) found.pageSize = word(offset + wordBytes);
    if (type === AT_CLKTCK) found.clockTicks = word(offset + wordBytes);
  }
  return found;
}
