// `npm test`: runs every tier in order — unit (plain Node), integration (inside a real VS Code), e2e (the
// real UI in a browser) — streaming their output. A failing tier does not stop the others: all run, then
// each tier's summary is printed and the exit code is non-zero if any failed.
import { spawn } from 'node:child_process';

const SUITES = [
  { name: 'unit', script: 'test:unit' },
  { name: 'integration', script: 'test:integration' },
  { name: 'e2e', script: 'test:e2e' },
];

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const PLAIN = /^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;
const MOCHA = { passing: /^(\d+) passing\b/, failing: /^(\d+) failing\b/, pending: /^(\d+) pending\b/ };

/** Reads a suite's counts from its output: our `N passed, N failed` line, else mocha's spec reporter. */
class SummaryReader {
  plain = undefined;
  mocha = { passing: undefined, failing: undefined, pending: undefined };
  noTests = false;
  partial = '';

  feed(chunk) {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end() {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  line(raw) {
    const line = raw.replace(ANSI, '').trim();
    const plain = PLAIN.exec(line);
    if (plain) this.plain = { passed: Number(plain[1]), failed: Number(plain[2]), skipped: Number(plain[3] ?? 0) };
    for (const [key, pattern] of Object.entries(MOCHA)) {
      const match = pattern.exec(line);
      if (match) this.mocha[key] = Number(match[1]);
    }
    if (/No test files found/.test(line)) this.noTests = true;
  }

  counts() {
    if (this.plain) return this.plain;
    if (this.mocha.passing !== undefined || this.mocha.failing !== undefined) {
      return { passed: this.mocha.passing ?? 0, failed: this.mocha.failing ?? 0, skipped: this.mocha.pending ?? 0 };
    }
    return undefined;
  }
}

function runSuite(suite) {
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${suite.name}: npm run ${suite.script} ===\n`);
    const started = Date.now();
    const reader = new SummaryReader();
    const child = spawn(npm, ['run', '--silent', suite.script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      process.stdout.write(chunk);
      reader.feed(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      process.stderr.write(chunk);
      reader.feed(chunk);
    });
    const done = (code, note) => {
      reader.end();
      resolve({ suite, code, note, counts: reader.counts(), noTests: reader.noTests, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (error) => done(1, `cannot run npm: ${error.message}`));
    child.on('close', (code, signal) => done(code ?? 1, signal ? `killed by ${signal}` : undefined));
  });
}

let interrupted;
for (const signal of ['SIGINT', 'SIGTERM']) {
  // The running suite gets the signal too (same process group from a terminal) and cleans up its servers and
  // browsers: wait for it rather than die first, then run no further suite.
  process.on(signal, () => {
    interrupted = signal;
    process.stderr.write(`\n[test-all] ${signal}: waiting for the running suite to clean up\n`);
  });
}

const results = [];
for (const suite of SUITES) {
  if (interrupted) results.push({ suite, code: 1, note: `not run (${interrupted})`, counts: undefined, noTests: false, seconds: 0 });
  else results.push(await runSuite(suite));
}

let passed = 0;
let failed = 0;
let skipped = 0;
let anyFailed = false;
process.stdout.write('\n=== summary ===\n');
for (const { suite, code, note, counts, noTests, seconds } of results) {
  const c = counts ?? { passed: 0, failed: 0, skipped: 0 };
  // A suite that exited non-zero failed, whatever it counted (a crash, a timeout, no tests found).
  const crashed = code !== 0 && c.failed === 0;
  const suiteFailed = code !== 0 || c.failed > 0;
  anyFailed ||= suiteFailed;
  passed += c.passed;
  failed += c.failed + (crashed ? 1 : 0);
  skipped += c.skipped;
  const details = [
    `${seconds.toFixed(1)} s`,
    code !== 0 ? `exit code ${code}` : undefined,
    note,
    counts ? undefined : 'printed no summary',
    noTests ? 'no test files found' : undefined,
  ].filter(Boolean);
  process.stdout.write(
    `${suite.name}: ${c.passed} passed, ${c.failed} failed${c.skipped > 0 ? `, ${c.skipped} skipped` : ''} (${details.join('; ')})\n`,
  );
}
process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = anyFailed ? 1 : 0;
