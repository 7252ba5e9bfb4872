// `npm run calibrate`: measures the cost model's constants (seconds per loop iteration, per byte hashed,
// per process started, ...) on this machine and writes them, with the machine they came from, to
// src/core/cost/calibration.json, which is checked in and read by src/core/cost/calibration.ts.
//
//   node scripts/calibrate.mjs [--python PATH] [--out FILE] [--quick] [--only PREFIX[,PREFIX...]]
//   node scripts/calibrate.mjs --list     the names the scripts measure and their units, as JSON
//
// The CPython constants come from scripts/calibrate.py (run with --python: /usr/bin/python3 if it exists,
// else python3), the Node ones from scripts/calibrate-node.mjs in this process, one after the other so
// that they never compete for the cores. --quick takes fewer repetitions (for the tests); --only measures
// the constants whose names start with a prefix and replaces just those in the file (the others, and the
// machine the file names, are kept; each constant measured anew says when and at what load in its note;
// a file that does not exist yet gets just those). A constant whose library is missing
// (numpy, bcrypt) is left out of the file, never guessed. The file is written atomically; a table for
// people goes to stdout, progress to stderr.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NODE_CONSTANTS, human } from './calibrate-node.mjs';

const SCRIPTS = path.dirname(fileURLToPath(import.meta.url));
const PYTHON_SCRIPT = path.join(SCRIPTS, 'calibrate.py');
const DEFAULT_OUT = path.join(SCRIPTS, '..', 'src', 'core', 'cost', 'calibration.json');
const REPETITIONS = 7;
const QUICK_REPETITIONS = 2;
const STDERR_KEPT = 4000;

class Failure extends Error {}

const OPTIONS = {
  python: { type: 'string' },
  out: { type: 'string' },
  quick: { type: 'boolean', default: false },
  only: { type: 'string' },
  list: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
};

function options() {
  let values;
  try {
    ({ values } = parseArgs({ options: OPTIONS }));
  } catch (error) {
    throw new Failure(`${error.message} (--help lists the options)`);
  }
  return {
    python: values.python ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'),
    out: path.resolve(values.out ?? DEFAULT_OUT),
    quick: values.quick,
    prefixes: (values.only ?? '').split(',').filter(Boolean),
    list: values.list,
    help: values.help,
  };
}

/** Runs calibrate.py with `args`; its progress is passed through to stderr; resolves to its JSON document. */
function runPython(python, args) {
  return new Promise((resolve, reject) => {
    // -B: the `spawn` children import the script again, which would leave a __pycache__ in scripts/.
    const child = spawn(python, ['-B', PYTHON_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk).slice(-STDERR_KEPT);
    });
    child.on('error', (error) => {
      const why = error.code === 'ENOENT' ? 'not found' : error.message;
      reject(new Failure(`cannot run the Python interpreter '${python}': ${why}. Name one with --python PATH.`));
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Failure(`'${python} ${path.relative(process.cwd(), PYTHON_SCRIPT)}' ended with ${signal ?? `exit code ${code}`}${stderr ? `:\n${stderr.trimEnd()}` : ''}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Failure(`'${python} ${path.relative(process.cwd(), PYTHON_SCRIPT)}' printed no JSON document: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

function measurePython(python, { quick, prefixes }) {
  return runPython(python, [...(quick ? ['--quick'] : []), ...(prefixes.length ? ['--only', prefixes.join(',')] : [])]);
}

async function measureNode({ quick, prefixes }) {
  const repetitions = quick ? QUICK_REPETITIONS : REPETITIONS;
  const constants = {};
  const absent = {};
  for (const [name, { per, measure }] of Object.entries(NODE_CONSTANTS)) {
    if (prefixes.length && !prefixes.some((prefix) => name.startsWith(prefix))) continue;
    const started = performance.now();
    try {
      const { seconds, note } = await measure(repetitions);
      constants[name] = { seconds, per, note };
      process.stderr.write(`  ${name}: ${human(seconds)}/${per} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    } catch (error) {
      // One constant failing leaves the others measured, and says why.
      absent[name] = `measuring failed: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`  ${name}: failed (${absent[name]})\n`);
    }
  }
  return { constants, absent };
}

function cpuModel() {
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model) return model[1].trim();
  } catch {
    // No /proc: what Node says below.
  }
  return os.cpus()[0]?.model.trim() || 'unknown';
}

/** The calibration file at `file`, or undefined when there is none or it is not one (it is then written anew). */
function readCalibration(file) {
  try {
    const document = JSON.parse(readFileSync(file, 'utf8'));
    return document?.schema === 1 && document.constants && typeof document.constants === 'object' ? document : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomically(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function table(document, absent) {
  const rows = Object.entries(document.constants).map(([name, constant]) => [name, `${human(constant.seconds)}/${constant.per}`, constant.note]);
  const nameWidth = Math.max(4, ...rows.map((row) => row[0].length));
  const valueWidth = Math.max(5, ...rows.map((row) => row[1].length));
  const { machine } = document;
  const lines = [
    `${machine.cpu}, ${machine.nproc} cores, ${machine.platform}/${machine.arch}, Python ${machine.python} (${machine.pythonExecutable}), Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
    '',
    `${'name'.padEnd(nameWidth)}  ${'value'.padStart(valueWidth)}  note`,
    ...rows.map(([name, value, note]) => `${name.padEnd(nameWidth)}  ${value.padStart(valueWidth)}  ${note}`),
  ];
  for (const [name, reason] of Object.entries(absent)) lines.push(`${name.padEnd(nameWidth)}  ${'absent'.padStart(valueWidth)}  ${reason}`);
  return `${lines.join('\n')}\n`;
}

async function main() {
  const settings = options();
  if (settings.help) {
    const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
    const header = lines.slice(0, lines.findIndex((line) => !line.startsWith('//')));
    process.stdout.write(`${header.map((line) => line.replace(/^\/\/ ?/, '')).join('\n')}\n`);
    return;
  }
  if (settings.list) {
    const names = { ...(await runPython(settings.python, ['--list'])) };
    for (const [name, { per }] of Object.entries(NODE_CONSTANTS)) names[name] = per;
    process.stdout.write(`${JSON.stringify(names, null, 2)}\n`);
    return;
  }
  const loadAverage = os.loadavg().map((load) => Math.round(load * 100) / 100);
  process.stderr.write(`Calibrating${settings.quick ? ' (quick)' : ''}, load average ${loadAverage.join(' ')}\n`);
  const python = await measurePython(settings.python, settings);
  const node = await measureNode(settings);
  // Four significant digits: the repetitions spread by a percent or more, and the file diffs readably.
  const constants = Object.fromEntries(
    Object.entries({ ...python.constants, ...node.constants }).map(([name, constant]) => [name, { ...constant, seconds: Number(constant.seconds.toPrecision(4)) }]),
  );
  const absent = { ...python.absent, ...node.absent };
  if (!Object.keys(constants).length && !Object.keys(absent).length) {
    throw new Failure(`no constant's name starts with ${settings.prefixes.join(' or ')}`);
  }
  const measuredAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const machine = {
    nproc: os.availableParallelism(),
    cpu: cpuModel(),
    platform: process.platform,
    arch: process.arch,
    python: python.machine.python,
    pythonExecutable: python.machine.pythonExecutable,
    node: process.version,
    startMethod: python.machine.startMethod,
    loadAverage,
  };
  const earlier = settings.prefixes.length > 0 ? readCalibration(settings.out) : undefined;
  if (earlier) {
    // The file keeps its machine; what is measured now says so in its note.
    for (const constant of Object.values(constants)) constant.note = `${constant.note}; measured ${measuredAt} at load average ${loadAverage.join(' ')} (the other constants: ${earlier.measuredAt})`;
    const merged = { ...earlier, constants: { ...earlier.constants, ...constants } };
    writeAtomically(settings.out, `${JSON.stringify(merged, null, 2)}\n`);
    process.stdout.write(table({ machine, constants }, absent));
    process.stdout.write(`\n${Object.keys(constants).length} constants replaced in ${path.relative(process.cwd(), settings.out) || settings.out}\n`);
    return;
  }
  const document = { schema: 1, machine, measuredAt, constants };
  writeAtomically(settings.out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(table(document, absent));
  process.stdout.write(`\nWritten to ${path.relative(process.cwd(), settings.out) || settings.out}\n`);
}

main().catch((error) => {
  process.stderr.write(`calibrate: ${error instanceof Failure ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
