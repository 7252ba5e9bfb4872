import * as fs from 'node:fs';
import * as os from 'node:os';
import type { MonitorSample, MonitorSource, SourceReadings } from './monitor';
import { coreUtilization, parseAuxv, parseProcStatCores, parseTaskStat, percentOfOneCore, type CpuTimes, type TaskStat } from './procfsParse';

/** An open stat file and the CPU time read from it last time. */
interface TaskRecord {
  fd: number;
  cpuTicks: number;
}

interface ProcessRecord extends TaskRecord {
  /** When it was last read; undefined before the first reading. */
  atMs: number | undefined;
  threads: Map<number, TaskRecord>;
}

/** True on Linux with /proc mounted, where {@link ProcfsSource} can run. */
export function procfsAvailable(): boolean {
  return process.platform === 'linux' && fs.existsSync('/proc/self/stat');
}

/**
 * Linux: cores from /proc/stat, processes and their threads from /proc/<pid>/stat and
 * /proc/<pid>/task/<tid>/stat. Reads are synchronous: one costs 10–15 µs of CPU against ~0.5 ms through
 * `fs.promises.readFile` (libuv's thread pool and promises; 2-core VM, Node 20). The files stay open
 * between samples, since reading one again from offset 0 regenerates it at half the cost of opening it;
 * and a file whose process or thread has exited fails to read even if its id was reused. {@link close}
 * releases them.
 */
export class ProcfsSource implements MonitorSource {
  private readonly reader = new ProcReader();
  private readonly processes = new Map<number, ProcessRecord>();
  private readonly pageSize: number;
  private readonly clockTicks: number;
  private procStat: number | undefined;
  private previousCores: CpuTimes[] = [];

  constructor() {
    const auxv = readOwnAuxv();
    // The fallbacks are Linux's values on x86 and most arm64 kernels.
    this.pageSize = auxv.pageSize ?? 4096;
    this.clockTicks = auxv.clockTicks ?? 100;
  }

  /** Takes the pid's baseline now, so the first sample after this has a delta; a pid already gone is ignored. */
  watch(pid: number): void {
    if (this.processes.has(pid)) return;
    const fd = this.reader.open(`/proc/${pid}/stat`);
    if (fd === undefined) return;
    const record: ProcessRecord = { fd, cpuTicks: 0, atMs: undefined, threads: new Map() };
    if (this.readProcess(pid, record, performance.now())) this.processes.set(pid, record);
    else closeProcess(record);
  }

  unwatch(pid: number): void {
    const record = this.processes.get(pid);
    if (!record) return;
    closeProcess(record);
    this.processes.delete(pid);
  }

  read(): SourceReadings {
    const now = performance.now();
    this.procStat ??= this.reader.open('/proc/stat');
    const procStatText = this.procStat === undefined ? undefined : this.reader.read(this.procStat);
    const currentCores = parseProcStatCores(procStatText ?? '');
    const cores = coreUtilization(this.previousCores, currentCores);
    this.previousCores = currentCores;
    const processes: MonitorSample['processes'] = [];
    const threads: MonitorSample['threads'] = [];
    for (const [pid, record] of this.processes) {
      const reading = this.readProcess(pid, record, now);
      if (!reading) {
        this.unwatch(pid);
        continue;
      }
      processes.push(reading.process);
      threads.push(...reading.threads);
    }
    return { cores, processes, threads };
  }

  close(): void {
    for (const pid of [...this.processes.keys()]) this.unwatch(pid);
    if (this.procStat !== undefined) fs.closeSync(this.procStat);
    this.procStat = undefined;
  }

  /**
   * Updates the record with the process's figures since its previous reading; undefined when the process
   * has exited (gone, or a zombie).
   */
  private readProcess(pid: number, record: ProcessRecord, now: number): { process: MonitorSample['processes'][number]; threads: MonitorSample['threads'] } | undefined {
    const stat = this.readStat(record.fd);
    if (!stat || stat.state === 'Z' || stat.state === 'X') return undefined;
    const elapsedMs = record.atMs === undefined ? 0 : now - record.atMs;
    const cpu = percentOfOneCore(stat.cpuTicks - record.cpuTicks, this.clockTicks, elapsedMs);
    record.atMs = now;
    record.cpuTicks = stat.cpuTicks;

    const threads: MonitorSample['threads'] = [];
    const readThread = (tid: number, thread: TaskRecord): boolean => {
      const task = this.readStat(thread.fd);
      if (!task) return false;
      threads.push({ pid, tid, name: task.name, cpu: percentOfOneCore(task.cpuTicks - thread.cpuTicks, this.clockTicks, elapsedMs) });
      thread.cpuTicks = task.cpuTicks;
      return true;
    };
    for (const [tid, thread] of record.threads) {
      if (readThread(tid, thread)) continue;
      fs.closeSync(thread.fd);
      record.threads.delete(tid);
    }
    // Listing the threads costs as much as reading them: only when some started or exited. An exited
    // thread fails to read, so the count is equal only when none has.
    if (record.threads.size !== stat.threadCount) {
      for (const tid of this.taskIds(pid)) {
        if (record.threads.has(tid)) continue;
        const fd = this.reader.open(`/proc/${pid}/task/${tid}/stat`);
        if (fd === undefined) continue;
        // A thread not there at the previous reading started since: all of its CPU time falls in this interval.
        const thread: TaskRecord = { fd, cpuTicks: 0 };
        if (readThread(tid, thread)) record.threads.set(tid, thread);
        else fs.closeSync(fd);
      }
    }
    return { process: { pid, cpu, rssBytes: stat.rssPages * this.pageSize }, threads };
  }

  private readStat(fd: number): TaskStat | undefined {
    const text = this.reader.read(fd);
    return text === undefined ? undefined : parseTaskStat(text);
  }

  private taskIds(pid: number): number[] {
    try {
      return fs.readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      return [];
    }
  }
}

function closeProcess(record: ProcessRecord): void {
  for (const thread of record.threads.values()) fs.closeSync(thread.fd);
  fs.closeSync(record.fd);
}

function readOwnAuxv(): ReturnType<typeof parseAuxv> {
  const wordBytes = ['arm', 'ia32', 'mips', 'mipsel', 'ppc'].includes(process.arch) ? 4 : 8;
  try {
    return parseAuxv(fs.readFileSync('/proc/self/auxv'), wordBytes, os.endianness() === 'LE');
  } catch {
    return {};
  }
}

/** Reads open /proc files from their start into one reused buffer, with as few system calls as possible. */
class ProcReader {
  private buffer = Buffer.allocUnsafe(16 * 1024);

  open(path: string): number | undefined {
    try {
      return fs.openSync(path, 'r');
    } catch {
      return undefined;
    }
  }

  /** The file's text, or undefined when it cannot be read (its process or thread has exited). */
  read(fd: number): string | undefined {
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const larger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(larger);
          this.buffer = larger;
        }
        const room = this.buffer.length - length;
        const count = fs.readSync(fd, this.buffer, length, room, length);
        length += count;
        // A stat file is generated whole, so a read that leaves room has reached the end: no extra read for the 0.
        if (count < room) break;
      }
      return this.buffer.toString('utf8', 0, length);
    } catch {
      return undefined;
    }
  }
}
