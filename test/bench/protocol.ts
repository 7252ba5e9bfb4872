/**
 * The measurement protocol under load (`npm run bench`, section 7): 8 workloads of varied labels, each run
 * by the CLI's `bench` (default protocol) on the machine as it is, then again while a background process
 * keeps one core busy. Prints each recommendation, whether the loaded one matches, and the time per
 * Compare. Goal: the loaded recommendation matches the quiet one in at least 7 of 8, and never contradicts
 * it (inconclusive is allowed). The "quiet" run is only as quiet as the machine: run it on an idle one.
 *
 * Alone: `npm run compile-tests && node out/test/bench/protocol.js`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keepOneCoreBusy } from './busyCore';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');

const PYTHON_WORK = `import asyncio, hashlib, time

def crunch(i):
    total = 0
    for n in range(300_000):
        total = (total * 31 + n * n) % 1_000_003
    return total

def wait(i):
    time.sleep(0.05)

async def await_it(i):
    await asyncio.sleep(0.05)

def tiny(i):
    return i * 2

def digest(i):
    return hashlib.sha256(b"x" * 4_000_000).hexdigest()

def mixed(i):
    time.sleep(0.03)
    return sum(k for k in range(100_000))
`;
const NODE_WORK = `exports.crunch = (i) => { let s = 0; for (let k = 0; k < 3_000_000; k++) s = (s + k * k) % 1000003; return s + i; };
exports.nap = (i) => new Promise((resolve) => setTimeout(() => resolve(i), 50));
`;

interface Workload {
  label: string;
  target: string;
  call: string;
  args?: string[];
}

function runOnce(workload: Workload): { recommendation: string | null; inconclusive?: string; seconds: number; rounds: number } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [CLI, 'bench', workload.target, '--call', workload.call, '--tasks', '8', '--json', ...(workload.args ?? [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (Date.now() - started) / 1000;
  const document = JSON.parse(result.stdout) as { recommendation: string | null; inconclusive?: string; protocol?: { rounds: number } };
  return { recommendation: document.recommendation, inconclusive: document.inconclusive, seconds, rounds: document.protocol?.rounds ?? 0 };
}

export function protocolBench(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-protocol-'));
  fs.writeFileSync(path.join(root, 'work.py'), PYTHON_WORK);
  fs.writeFileSync(path.join(root, 'work.js'), NODE_WORK);
  const py = (fn: string, call: string, args?: string[]): Workload => ({ label: `python ${fn}`, target: `${path.join(root, 'work.py')}:${fn}`, call, args });
  const js = (fn: string, call: string, args?: string[]): Workload => ({ label: `node ${fn}`, target: `${path.join(root, 'work.js')}:${fn}`, call, args });
  const workloads = [
    py('crunch', 'crunch(i)'),
    py('wait', 'wait(i)', ['--modes', 'sequential,threads']),
    py('await_it', 'await_it(i)', ['--modes', 'sequential,asyncio']),
    py('tiny', 'tiny(i)', ['--modes', 'sequential,threads']),
    py('digest', 'digest(i)', ['--modes', 'sequential,threads']),
    py('mixed', 'mixed(i)', ['--modes', 'sequential,threads']),
    js('crunch', 'crunch(i)', ['--modes', 'sequential,worker_threads']),
    js('nap', 'nap(i)', ['--modes', 'sequential,async']),
  ];
  const rows: string[] = [];
  let matches = 0;
  let contradictions = 0;
  const quietSeconds: number[] = [];
  const loadedSeconds: number[] = [];
  for (const workload of workloads) {
    const quiet = runOnce(workload);
    quietSeconds.push(quiet.seconds);
    const stopBusyCore = keepOneCoreBusy();
    let loaded: ReturnType<typeof runOnce>;
    try {
      loaded = runOnce(workload);
    } finally {
      stopBusyCore();
    }
    loadedSeconds.push(loaded.seconds);
    const match = loaded.recommendation !== null && loaded.recommendation === quiet.recommendation;
    const contradicts = loaded.recommendation !== null && quiet.recommendation !== null && loaded.recommendation !== quiet.recommendation;
    if (match) matches++;
    if (contradicts) contradictions++;
    rows.push(`${workload.label.padEnd(18)} quiet ${String(quiet.recommendation ?? `inconclusive`).padEnd(14)} ${quiet.seconds.toFixed(1).padStart(5)} s ${quiet.rounds} rounds | loaded ${String(loaded.recommendation ?? 'inconclusive').padEnd(14)} ${loaded.seconds.toFixed(1).padStart(5)} s ${loaded.rounds} rounds ${match ? 'match' : contradicts ? 'CONTRADICTS' : 'no verdict'}${loaded.inconclusive ? ` (${loaded.inconclusive.slice(0, 100)})` : ''}`);
  }
  fs.rmSync(root, { recursive: true, force: true });
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const met = matches >= 7 && contradictions === 0;
  process.stdout.write(`${rows.join('\n')}\n\nloaded matches quiet: ${matches} of ${workloads.length}; contradictions: ${contradictions}   goal >= 7 of 8, none contradicting: ${met ? 'met' : 'NOT met'}\n`);
  process.stdout.write(`time per Compare (CLI bench, default protocol, 8 tasks): quiet ${mean(quietSeconds).toFixed(1)} s mean (max ${Math.max(...quietSeconds).toFixed(1)}), loaded ${mean(loadedSeconds).toFixed(1)} s mean (max ${Math.max(...loadedSeconds).toFixed(1)})\n`);
}

if (require.main === module) protocolBench();
