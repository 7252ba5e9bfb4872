import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Monitor, type MonitorSample } from '../../src/core/monitor/monitor';
import { PortableSource } from '../../src/core/monitor/portableSource';
import { coreUtilization, cpuTimesFromOs, parseAuxv, parseProcStatCores, parseTaskStat, percentOfOneCore } from '../../src/core/monitor/procfsParse';
import { PYTHON } from './helpers';

const PROC_STAT = `cpu  600 10 200 1000 50 5 5 0 0 0
cpu0 300 5 100 500 25 3 2 0 0 0
cpu1 300 5 100 500 25 2 3 0 40 0
intr 12345 0 0
ctxt 999
`;

describe('monitor arithmetic', () => {
  it('reads each core of /proc/stat, busy being the total less idle and iowait', () => {
    assert.deepEqual(parseProcStatCores(PROC_STAT), [
      { busy: 410, total: 935 },
      { busy: 410, total: 935 },
    ]);
    assert.deepEqual(parseProcStatCores(''), []);
  });

  it('turns two readings into utilization per core', () => {
    const before = [{ busy: 100, total: 1000 }, { busy: 100, total: 1000 }];
    const after = [{ busy: 150, total: 1100 }, { busy: 200, total: 1100 }];
    assert.deepEqual(coreUtilization(before, after), [0.5, 1]);
  });

  it('reads 0 when counters did not move, went backwards or belong to a core not seen before', () => {
    const before = [{ busy: 100, total: 1000 }, { busy: 500, total: 1000 }];
    const after = [{ busy: 100, total: 1000 }, { busy: 400, total: 1100 }, { busy: 5, total: 10 }];
    assert.deepEqual(coreUtilization(before, after), [0, 0, 0]);
    assert.deepEqual(coreUtilization(before, [{ busy: 50, total: 20 }, { busy: 600, total: 900 }]), [0, 0]);
  });

  it('reads os.cpus() times the same way', () => {
    const times = { user: 30, nice: 0, sys: 10, idle: 60, irq: 0 };
    assert.deepEqual(cpuTimesFromOs([{ times }]), [{ busy: 40, total: 100 }]);
  });

  it('parses a stat line whose name holds spaces and parentheses', () => {
    const line = '4242 (spin (1) x) R 1 4242 4242 0 -1 4194304 100 0 0 0 150 25 0 0 20 0 3 0 98765 30000000 2500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n';
    assert.deepEqual(parseTaskStat(line), { name: 'spin (1) x', state: 'R', cpuTicks: 175, threadCount: 3, rssPages: 2500 });
    assert.equal(parseTaskStat('garbage'), undefined);
    assert.equal(parseTaskStat('1 (x) S 1 2'), undefined);
  });

  it('converts ticks to a percentage of one core, 0 when no time passed', () => {
    assert.equal(percentOfOneCore(10, 100, 100), 100);
    assert.equal(percentOfOneCore(5, 100, 100), 50);
    assert.equal(percentOfOneCore(10, 100, 0), 0);
    assert.equal(percentOfOneCore(-3, 100, 100), 0);
  });

  it('finds the page size and clock ticks in the auxiliary vector', () => {
    const words = [33n, 0x7fffn, 6n, 16384n, 17n, 100n, 0n, 0n, 6n, 1n];
    const bytes = Buffer.alloc(words.length * 8);
    words.forEach((word, k) => bytes.writeBigUInt64LE(word, k * 8));
    assert.deepEqual(parseAuxv(bytes, 8, true), { pageSize: 16384, clockTicks: 100 });
    const narrow = Buffer.alloc(4 * 4);
    [6, 4096, 0, 0].forEach((word, k) => narrow.writeUInt32BE(word, k * 4));
    assert.deepEqual(parseAuxv(narrow, 4, false), { pageSize: 4096 });
  });
});

describe('monitor on this machine', function () {
  this.timeout(30_000);
  const children: ChildProcess[] = [];

  function python(code: string): number {
    const child = spawn(PYTHON, ['-c', code], { stdio: 'ignore' });
    children.push(child);
    return child.pid as number;
  }

  function monitorFor(ms: number, pids: number[], intervalMs = 100): Promise<MonitorSample[]> {
    const samples: MonitorSample[] = [];
    const monitor = new Monitor({ intervalMs, onSample: (sample) => samples.push(sample) });
    for (const pid of pids) monitor.watch(pid);
    monitor.start();
    return new Promise((resolve) =>
      setTimeout(() => {
        monitor.stop();
        resolve(samples);
      }, ms),
    );
  }

  function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  }

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('sees one spinning process use about one core, and a core busy', async () => {
    const pid = python('while True: pass');
    const samples = await monitorFor(1500, [pid]);
    assert.ok(samples.length >= 10, `${samples.length} samples`);
    const cpu = median(samples.map((sample) => sample.processes.find((p) => p.pid === pid)?.cpu ?? 0));
    assert.ok(cpu >= 60 && cpu <= 130, `cpu ${cpu} %`);
    assert.ok(samples.some((sample) => Math.max(...sample.cores) > 0.5), 'no core above 0.5');
    assert.ok(samples.every((sample) => sample.cores.length > 0 && sample.cores.every((u) => u >= 0 && u <= 1)));
    assert.ok(Math.max(...samples.map((sample) => sample.processes.find((p) => p.pid === pid)?.rssBytes ?? 0)) > 1_000_000);
    assert.ok(samples.every((sample, k) => k === 0 || sample.t > (samples[k - 1] as MonitorSample).t));
  });

  it('shows the GIL: two spinning threads share one core, each listed by name', async function () {
    if (process.platform !== 'linux') this.skip();
    // Python before 3.14 leaves the OS thread name as the process's: set it, as a harness would.
    const pid = python(`import ctypes, threading
libc = ctypes.CDLL(None)
def spin(name):
    libc.prctl(15, name.encode(), 0, 0, 0)  # PR_SET_NAME
    while True:
        pass
for k in (1, 2):
    threading.Thread(target=spin, args=(f"spin-{k}",), name=f"spin-{k}").start()
`);
    const samples = (await monitorFor(2000, [pid])).slice(3); // past start-up and the naming
    const threadCpu = (sample: MonitorSample, name: string): number => sample.threads.find((t) => t.pid === pid && t.name === name)?.cpu ?? 0;
    const process_ = median(samples.map((sample) => sample.processes.find((p) => p.pid === pid)?.cpu ?? 0));
    const threadsTotal = median(samples.map((sample) => sample.threads.filter((t) => t.pid === pid).reduce((sum, t) => sum + t.cpu, 0)));
    assert.ok(process_ >= 60 && process_ <= 130, `process ${process_} %`);
    assert.ok(threadsTotal >= 60 && threadsTotal <= 130, `threads together ${threadsTotal} %`);
    for (const name of ['spin-1', 'spin-2']) {
      const average = samples.reduce((sum, sample) => sum + threadCpu(sample, name), 0) / samples.length;
      assert.ok(average > 15, `${name}: ${average} % (${JSON.stringify(samples.at(-1)?.threads)})`);
    }
  });

  it('follows threads that start and exit, and closes its /proc files when stopped', async function () {
    if (process.platform !== 'linux') this.skip();
    const pid = python(`import ctypes, threading, time
def spin():
    ctypes.CDLL(None).prctl(15, b"late", 0, 0, 0)
    end = time.time() + 0.4
    while time.time() < end:
        pass
time.sleep(0.4)
threading.Thread(target=spin).start()
time.sleep(60)
`);
    const openFiles = (): number => fs.readdirSync('/proc/self/fd').length;
    const before = openFiles();
    let most = 0;
    const samples: MonitorSample[] = [];
    const monitor = new Monitor({
      onSample: (sample) => {
        samples.push(sample);
        most = Math.max(most, openFiles());
      },
    });
    monitor.watch(pid);
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    monitor.stop();
    const late = samples.map((sample) => sample.threads.find((t) => t.name === 'late')?.cpu);
    assert.ok(late.some((cpu) => cpu !== undefined && cpu > 30), JSON.stringify(late));
    assert.equal(late.at(-1), undefined, 'an exited thread is still listed');
    assert.ok(samples.every((sample) => sample.processes.some((p) => p.pid === pid)));
    assert.ok(most > before, 'no /proc file was kept open');
    assert.equal(openFiles(), before);
  });

  it('drops a process that exits while watched, quietly', async () => {
    const pid = python('import time; time.sleep(0.4)');
    const spoken: unknown[] = [];
    const { warn, error, log } = console;
    console.warn = console.error = console.log = (...args: unknown[]) => spoken.push(args);
    let samples: MonitorSample[];
    try {
      samples = await monitorFor(1500, [pid, 999_999_999]);
    } finally {
      Object.assign(console, { warn, error, log });
    }
    const present = samples.map((sample) => sample.processes.some((p) => p.pid === pid));
    assert.ok(present[0], 'watched while alive');
    assert.ok(!present.at(-1) && !present.at(-2), 'still listed after exiting');
    assert.ok(samples.every((sample) => sample.processes.every((p) => p.pid !== 999_999_999)));
    assert.deepEqual(spoken, []);
  });

  it('stops from onSample leaving no timer, and never keeps the process alive', () => {
    const script = `
const live = new Set();
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;
globalThis.setTimeout = (callback, ms, ...args) => {
  const timer = realSetTimeout(() => { live.delete(timer); callback(...args); }, ms);
  live.add(timer);
  return timer;
};
globalThis.clearTimeout = (timer) => { live.delete(timer); realClearTimeout(timer); };
const { Monitor } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'core', 'monitor', 'monitor.js'))});
// The monitor's timer is unref'd: this one keeps the process alive until the report.
const keepAlive = realSetTimeout(() => {}, 5000);
let samples = 0;
const monitor = new Monitor({ intervalMs: 5, onSample: () => {
  if (++samples < 3) return;
  monitor.stop();
  monitor.stop();
  const timersLeft = live.size;
  realSetTimeout(() => {
    console.log(JSON.stringify({ samples, timersLeft }));
    realClearTimeout(keepAlive);
    new Monitor({ intervalMs: 60000, onSample: () => {} }).start();
  }, 100);
} });
monitor.watch(process.pid);
monitor.start();
`;
    const started = Date.now();
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { samples: 3, timersLeft: 0 });
    assert.ok(Date.now() - started < 5000, 'the never-stopped monitor kept the process alive');
    assert.throws(() => new Monitor({ intervalMs: 0, onSample: () => {} }), RangeError);
  });

  it('reads processes through pidusage where /proc is absent, dropping those that exit', async () => {
    const busy = python('while True: pass');
    const brief = python('import time; time.sleep(0.3)');
    const source = new PortableSource();
    source.watch(busy);
    source.watch(brief);
    const readings = [];
    for (let k = 0; k < 8; k++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      readings.push(await source.read());
    }
    const last = readings.at(-1);
    assert.deepEqual(last?.processes.map((p) => p.pid), [busy]);
    assert.ok(median(readings.slice(2).map((r) => r.processes.find((p) => p.pid === busy)?.cpu ?? 0)) > 50);
    assert.ok((last?.processes[0]?.rssBytes ?? 0) > 1_000_000);
    assert.deepEqual(last?.threads, []);
  });
});
