import * as os from 'node:os';
import pidusage from 'pidusage';
import type { MonitorSample, MonitorSource, SourceReadings } from './monitor';
import { coreUtilization, cpuTimesFromOs, type CpuTimes } from './procfsParse';

/**
 * Where /proc is absent (macOS, Windows): cores from `os.cpus()`, processes through pidusage (`ps` on
 * macOS, `wmic`/PowerShell on Windows). No per-thread figures.
 */
export class PortableSource implements MonitorSource {
  private readonly pids = new Set<number>();
  private previousCores: CpuTimes[] = cpuTimesFromOs(os.cpus());

  watch(pid: number): void {
    this.pids.add(pid);
  }

  unwatch(pid: number): void {
    this.pids.delete(pid);
  }

  close(): void {
    this.pids.clear();
  }

  async read(): Promise<SourceReadings> {
    const currentCores = cpuTimesFromOs(os.cpus());
    const cores = coreUtilization(this.previousCores, currentCores);
    this.previousCores = currentCores;
    const asked = [...this.pids];
    const stats = await this.usage(asked);
    const processes: MonitorSample['processes'] = [];
    for (const pid of asked) {
      const stat = stats[pid];
      if (stat) {
        // Unwatched while pidusage was answering: not reported.
        if (this.pids.has(pid)) processes.push({ pid, cpu: stat.cpu, rssBytes: stat.memory });
      } else if (hasExited(pid)) {
        this.pids.delete(pid);
      }
    }
    return { cores, processes, threads: [] };
  }

  private async usage(pids: number[]): Promise<Partial<Record<number, pidusage.Status>>> {
    if (pids.length === 0) return {};
    try {
      return await pidusage(pids);
    } catch {
      // `ps` fails as a whole when any pid is gone: ask again for the ones still alive.
      const alive = pids.filter((pid) => !hasExited(pid));
      if (alive.length === 0 || alive.length === pids.length) return {};
      return pidusage(alive).catch(() => ({}));
    }
  }
}

function hasExited(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
