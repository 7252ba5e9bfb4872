/**
 * The languages Concurrency Lens analyzes and runs, in one table: two families with an analyzer each,
 * Python (tree-sitter) and TypeScript/JavaScript (ts-morph). The extension, the CLI and the bench read
 * what differs between them here (editor language ids, file extensions, comment token, pool words,
 * benchmark modes) instead of branching on the family.
 */
import * as path from 'node:path';
import type { BenchMode, Runtime } from './bench/events';

export type Family = 'python' | 'typescript';

export interface LanguageFamily {
  readonly family: Family;
  /** How messages name the family's files: "Python files", "TypeScript/JavaScript files". */
  readonly noun: string;
  /** The editor's language ids of the family. */
  readonly languageIds: readonly string[];
  /** The extensions (lower case, with the dot) of the source files analyzed. */
  readonly extensions: readonly string[];
  /** The extensions of the files a benchmark can run (a runtime loads them as they are, or transpiled). */
  readonly runnableExtensions: readonly string[];
  /** File names with one of `extensions` that are still not sources: declarations, minified bundles. */
  readonly notSource?: RegExp;
  /** How a line comment starts. */
  readonly lineComment: '#' | '//';
  /** The process the benchmarks run in, and what its code is written in (for messages). */
  readonly runtime: Runtime;
  readonly runtimeNoun: string;
  /** What a pool of threads and a pool of processes are called, as benchmark modes and in the run actions. */
  readonly pools: { readonly threads: BenchMode; readonly processes: BenchMode };
  /** The mode that overlaps a coroutine's waits (compared for async functions). */
  readonly asyncMode: BenchMode;
  /** The analyzer asks an interpreter for its `sys.path` and GIL state (the analysis waits for it to start). */
  readonly interpreter: boolean;
  /** The analyzer is heavy: it starts when a document of the family opens, never for the workspace alone. */
  readonly startsWithItsDocuments: boolean;
}

export const LANGUAGES: Readonly<Record<Family, LanguageFamily>> = {
  python: {
    family: 'python',
    noun: 'Python',
    languageIds: ['python'],
    extensions: ['.py', '.pyw'],
    runnableExtensions: ['.py', '.pyw'],
    lineComment: '#',
    runtime: 'python',
    runtimeNoun: 'Python',
    pools: { threads: 'threads', processes: 'processes' },
    asyncMode: 'asyncio',
    interpreter: true,
    startsWithItsDocuments: false,
  },
  typescript: {
    family: 'typescript',
    noun: 'TypeScript/JavaScript',
    languageIds: ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'],
    extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
    // JSX needs a transpiler Node has not got; TSX goes through TypeScript's.
    runnableExtensions: ['.js', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts'],
    notSource: /\.d\.[mc]?ts$|\.d\.[^.]+\.ts$|\.min\.[mc]?js$/,
    lineComment: '//',
    runtime: 'node',
    runtimeNoun: 'JavaScript',
    pools: { threads: 'worker_threads', processes: 'child_process' },
    asyncMode: 'async',
    interpreter: false,
    startsWithItsDocuments: true,
  },
};

export const FAMILIES: readonly Family[] = ['python', 'typescript'];

/** The family of an editor language id; undefined for a language not analyzed. */
export function familyOfLanguage(languageId: string): Family | undefined {
  return FAMILIES.find((family) => LANGUAGES[family].languageIds.includes(languageId));
}

/** The family whose sources a file name is (by its extension; declarations and bundles are none). */
export function familyOfFileName(name: string): Family | undefined {
  const lower = name.toLowerCase();
  return FAMILIES.find((family) => {
    const { extensions, notSource } = LANGUAGES[family];
    return extensions.some((ext) => lower.endsWith(ext)) && !notSource?.test(lower);
  });
}

/** The family whose runtime runs a benchmark of `file`; undefined when none can. */
export function runnableFamilyOf(file: string): Family | undefined {
  const extension = path.extname(file).toLowerCase();
  return FAMILIES.find((family) => LANGUAGES[family].runnableExtensions.includes(extension));
}

/** What a benchmark compares: sequential, the async mode for coroutines, then both pools (cheapest first). */
export function compareModes(family: Family, isAsync: boolean): BenchMode[] {
  const { pools, asyncMode } = LANGUAGES[family];
  return ['sequential', ...(isAsync ? [asyncMode] : []), pools.threads, pools.processes];
}
