import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzePaths } from '../core/python/analyzer';
import { probeInterpreter } from '../core/python/interpreter';
import { renderAnalysisTable } from './table';

const VERSION = '0.1.0';

const HELP = `concurrency-lens ${VERSION}: threads, processes, asyncio or nothing, function by function.

Usage:
  concurrency-lens analyze PATH... [--json] [--python INTERPRETER] [--exclude GLOB]...
  concurrency-lens --help | --version

analyze   Static verdict for every Python function under PATH (files or folders, recursing;
          node_modules, .git, virtual environments and __pycache__ are skipped).
  --json                 one JSON document on stdout (the contract in the README)
  --python INTERPRETER   interpreter whose sys.path and GIL state the advice assumes
                         (default: python3, then python; analysis still runs without one)
  --no-follow            do not read library source for calls the knowledge base does not know
  --exclude GLOB         skip matching paths (repeatable), e.g. --exclude 'tests/**'

Exit status: 0 success (files with syntax errors are reported, not fatal), 2 usage error,
1 internal failure.
`;

class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    switch (command) {
      case 'analyze':
        return await analyzeCommand(rest);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`concurrency-lens: ${(error as Error).message}\nRun 'concurrency-lens --help' for usage.\n`);
      return 2;
    }
    process.stderr.write(`concurrency-lens: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

async function analyzeCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      python: { type: 'string' },
      'no-follow': { type: 'boolean', default: false },
      exclude: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('analyze needs at least one PATH');
  for (const p of positionals) {
    if (!fs.existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
  }
  if (values.python !== undefined) {
    // A named interpreter that cannot run is a usage error, not a silent downgrade.
    try {
      await probeInterpreter(values.python);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const showProgress = !values.json && process.stderr.isTTY;
  const report = await analyzePaths(positionals, {
    python: values.python,
    followLibraries: !values['no-follow'],
    exclude: values.exclude,
    onProgress: showProgress
      ? (done, total) => process.stderr.write(`\ranalyzing ${done}/${total} files`)
      : undefined,
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(renderAnalysisTable(report, { color: process.stdout.isTTY === true && !process.env.NO_COLOR, width: process.stdout.columns }));
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`concurrency-lens: internal error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
