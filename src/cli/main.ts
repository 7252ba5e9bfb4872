import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCacheDirectory } from '../core/cache/diskCache';
import { findSourceFiles } from '../core/files';
import type { AnalysisReport, FileReport, InterpreterInfo } from '../core/model';
import { readTextFile } from '../core/files';
import { readMeasured, storeFileKey, withMeasured } from '../core/measuredStore';
import { analyzePathsLazily } from '../core/python/analyzer';
import { probeInterpreter, typedCommand } from '../core/python/interpreter';
import { REPORT_FORMATS, isReportFormat, renderReport, reportFormatOfFile, summarizeReport, type ReportFormat } from '../core/report';
import { benchCommand, InputError } from './bench';
import { renderAnalysisTable } from './table';
import { loadTypeScriptAnalysis } from './typescriptChunk';

const VERSION = '0.1.0';

const HELP = `concurrency-lens ${VERSION}: threads, processes, asyncio or nothing, function by function
(Python; and worker_threads, child_process, async or nothing for TypeScript/JavaScript on Node.js).

Usage:
  concurrency-lens analyze PATH... [--json] [--python INTERPRETER] [--no-follow] [--exclude GLOB]...
                           [--workspace DIR] [--cache-dir DIR | --no-cache]
  concurrency-lens report PATH... [--format md|html|json] [--output FILE] [--python INTERPRETER]
                          [--no-follow] [--exclude GLOB]... [--workspace DIR] [--cache-dir DIR | --no-cache]
  concurrency-lens bench FILE:QUALNAME --call EXPR [--tasks N] [--workers LIST] [--modes LIST]
                         [--start-method M] [--timeout SECONDS] [--python INTERPRETER]
                         [--node PATH] [--dask-scheduler tcp://HOST:PORT] [--json]
                         [--workspace DIR] [--no-store]
  concurrency-lens --help | --version

analyze   Static verdict for every Python, TypeScript and JavaScript function under PATH (files or
          folders, recursing: .py .pyw .ts .tsx .mts .cts .js .jsx .mjs .cjs; node_modules, .git,
          virtual environments, __pycache__, .d.ts and .min.js files are skipped). In the JSON each
          file's "language" is "python", "typescript" or "javascript".
  --json                 one JSON document on stdout (the contract in the README)
  --python INTERPRETER   interpreter whose sys.path and GIL state the Python advice assumes
                         (default: python3, then python; analysis still runs without one)
  --no-follow            do not read library source for calls the knowledge base does not know
  --exclude GLOB         skip matching paths (repeatable), e.g. --exclude 'tests/**'
  --workspace DIR        the workspace whose stored runs (DIR/.concurrency-lens/) are shown next to
                         the verdicts: "measured" in the JSON (default: the current folder)
  --cache-dir DIR        where the facts of files already read are kept between runs, keyed by each
                         file's content and this version's code (default: $XDG_CACHE_HOME/concurrency-lens,
                         else ~/.cache/concurrency-lens; bounded to 512 MB, least recently used first out)
  --no-cache             read and parse everything, and keep nothing

report    The same analysis as a document to share: Markdown, one self-contained HTML file, or
          JSON with a summary. Takes analyze's --python, --no-follow, --exclude and cache options.
  --format md|html|json  default: from the --output extension (.md, .markdown, .html, .htm,
                         .json), else md
  --output FILE          write FILE (creating its folder) instead of stdout

bench     Runs the call (evaluated in FILE's module with i = task index: Python, or JavaScript with
          the module's exports in scope for .js .mjs .cjs .ts .tsx .mts .cts files, run in Node) for N
          tasks in each mode and worker count, and says which mode to use, measured.
  --call EXPR            e.g. 'fetch(URLS[i % len(URLS)])', 'Parser().parse(i)', 'new Parser().parse(i)'
  --tasks N              default 16
  --workers LIST         e.g. 1,2,4 (default 1, 2, 4 ... up to the cores; for I/O also 2x and 4x)
  --modes LIST           Python: sequential,threads,processes,asyncio,interpreters,dask (default:
                         sequential, threads, processes, and asyncio for async def). Node:
                         sequential,worker_threads,child_process,async (default: the first three,
                         and async for async functions)
  --start-method M       default|spawn|fork|forkserver, for Python's processes
  --timeout SECONDS      stop everything after this long (default 300)
  --python INTERPRETER   default python3
  --dask-scheduler ADDR  the dask mode's scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster
                         of worker processes on this machine); dask needs distributed in the
                         interpreter (apt-get install python3-distributed, pip install "dask[distributed]")
  --node PATH            the Node for TS/JS targets (default: the one running this command)
  --workspace DIR        store the result in DIR/.concurrency-lens/ (default: the current folder),
                         where analyze, report and the editor show it
  --no-store             do not store the result
  Exit status: 0 every run finished, 1 a run failed (reported), 2 input error.

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
      case 'report':
        return await reportCommand(rest);
      case 'bench':
        return await benchCommand(rest);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`concurrency-lens: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`concurrency-lens: ${(error as Error).message}\nRun 'concurrency-lens --help' for usage.\n`);
      return 2;
    }
    process.stderr.write(`concurrency-lens: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

/** The options every command that analyzes takes; each command adds its own. */
const ANALYSIS_OPTIONS = {
  python: { type: 'string' },
  'no-follow': { type: 'boolean', default: false },
  exclude: { type: 'string', multiple: true },
  workspace: { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

interface AnalysisArguments {
  python?: string;
  'no-follow': boolean;
  exclude?: string[];
  workspace?: string;
  'cache-dir'?: string;
  'no-cache': boolean;
}

async function analyzeCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...ANALYSIS_OPTIONS, json: { type: 'boolean', default: false } },
  });
  if (values.help) return printHelp();
  const report = await analyze('analyze', positionals, values, !values.json);
  if (values.json) {
    writeJson(report, (text) => process.stdout.write(text));
  } else {
    process.stdout.write(renderAnalysisTable(madeReport(report), { color: process.stdout.isTTY === true && !process.env.NO_COLOR, width: process.stdout.columns }));
  }
  return 0;
}

async function reportCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...ANALYSIS_OPTIONS, format: { type: 'string' }, output: { type: 'string' } },
  });
  if (values.help) return printHelp();
  const format = chooseReportFormat(values.format, values.output);
  const report = madeReport(await analyze('report', positionals, values, true));
  const document = renderReport(report, format);
  if (values.output === undefined) {
    process.stdout.write(document);
    return 0;
  }
  fs.mkdirSync(path.dirname(values.output), { recursive: true });
  fs.writeFileSync(values.output, document);
  const summary = summarizeReport(report);
  process.stderr.write(`wrote ${values.output} (${summary.functions} functions, ${summary.findings} findings)\n`);
  return 0;
}

function chooseReportFormat(format: string | undefined, output: string | undefined): ReportFormat {
  if (format === undefined) return reportFormatOfFile(output ?? '') ?? 'md';
  if (!isReportFormat(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not '${format}'`);
  return format;
}

/** An analysis whose files' reports may be made as they are read (see `analyzePathsLazily`): read them once. */
interface LazyReport {
  interpreter: InterpreterInfo | null;
  files: Iterable<FileReport>;
}

function madeReport(report: LazyReport): AnalysisReport {
  return { interpreter: report.interpreter, files: [...report.files] };
}

/**
 * Writes `JSON.stringify(report, null, 2)` and a line break, one file's report at a time: a whole tree's reports are
 * never all held. A file's JSON is nested two levels deep (four spaces); JSON strings hold no raw line break.
 */
function writeJson(report: LazyReport, write: (text: string) => void): void {
  write(`{\n  "interpreter": ${JSON.stringify(report.interpreter, null, 2).replace(/\n/g, '\n  ')},\n  "files": [`);
  let separator = '\n    ';
  for (const file of report.files) {
    write(`${separator}${JSON.stringify(file, null, 2).replace(/\n/g, '\n    ')}`);
    separator = ',\n    ';
  }
  write(`${separator === '\n    ' ? ']' : '\n  ]'}\n}\n`);
}

/** Checks the paths and the interpreter the user named, then analyzes (with progress on a terminal, if asked). */
async function analyze(command: string, paths: string[], options: AnalysisArguments, wantsProgress: boolean): Promise<LazyReport> {
  if (paths.length === 0) throw new UsageError(`${command} needs at least one PATH`);
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
  }
  // The probe starts outside the current folder: a relative interpreter path means the one typed here.
  const interpreter = options.python === undefined ? undefined : typedCommand(options.python);
  if (interpreter !== undefined) {
    // A named interpreter that cannot run is a usage error, not a silent downgrade.
    try {
      await probeInterpreter(interpreter);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (options.workspace !== undefined && !fs.statSync(options.workspace, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--workspace is not a folder: ${options.workspace}`);
  }
  if (options['no-cache'] && options['cache-dir'] !== undefined) throw new UsageError('--cache-dir and --no-cache exclude each other');
  const showProgress = wantsProgress && process.stderr.isTTY;
  const progress = (what: string) => (showProgress ? (done: number, total: number) => process.stderr.write(`\ranalyzing ${done}/${total} ${what}`) : undefined);
  const { python, scripts } = findSourceFiles(paths, options.exclude);
  // Python files (and the interpreter) unless the paths hold only TS/JS files.
  const report: LazyReport = python.length > 0 || scripts.length === 0
    ? await analyzePathsLazily(python, {
      python: interpreter,
      followLibraries: !options['no-follow'],
      ...(!options['no-cache'] && { cacheDirectory: options['cache-dir'] ?? defaultCacheDirectory() }),
      onProgress: progress('files'),
    })
    : { interpreter: null, files: [] };
  if (showProgress) process.stderr.write('\r\x1b[K');
  if (scripts.length === 0) return withStoredRuns(report, options.workspace ?? '.');
  const { analyzeScriptFiles } = loadTypeScriptAnalysis();
  const pythonReports = [...report.files];
  const scriptReports: FileReport[] = analyzeScriptFiles(scripts, { onProgress: progress('TypeScript/JavaScript files') });
  if (showProgress) process.stderr.write('\r\x1b[K');
  const files = [...pythonReports, ...scriptReports].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return withStoredRuns({ interpreter: report.interpreter, files }, options.workspace ?? '.');
}

/** The report with each function's stored run (`measured`), from the workspace's store, if it has one. */
function withStoredRuns(report: LazyReport, workspace: string): LazyReport {
  const entries = readMeasured(workspace);
  if (entries.length === 0) return report;
  return { interpreter: report.interpreter, files: filesWithStoredRuns(report.files, entries, workspace) };
}

function* filesWithStoredRuns(files: Iterable<FileReport>, entries: ReturnType<typeof readMeasured>, workspace: string): Generator<FileReport> {
  for (const file of files) {
    const key = storeFileKey(workspace, file.path);
    const text = entries.some((entry) => entry.file === key) ? readTextFile(file.path) : undefined;
    yield text === undefined ? file : { ...file, functions: withMeasured(file.functions, entries, key, text) };
  }
}

function printHelp(): number {
  process.stdout.write(HELP);
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
