import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Query } from '@vscode/tree-sitter-wasm';
import { PYTHON_FACTS_QUERY } from './query';

/**
 * The tree-sitter runtime and the Python grammar, loaded once per thread (WASM memory is per
 * thread). The `.wasm` files sit in `wasm/` beside the bundle; in an unbundled run (tests) they
 * come from the npm package.
 */
export interface PythonLanguage {
  language: Language;
  factsQuery: Query;
  newParser(): Parser;
}

let loading: Promise<PythonLanguage> | undefined;

export function loadPython(): Promise<PythonLanguage> {
  loading ??= load();
  return loading;
}

function wasmPath(file: string): string {
  const candidates = [path.join(__dirname, 'wasm', file)];
  try {
    candidates.push(path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm')), file));
  } catch {
    // bundled without node_modules: only the first candidate exists
  }
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`tree-sitter file ${file} not found (looked in ${candidates.join(', ')})`);
  }
  return found;
}

async function load(): Promise<PythonLanguage> {
  await Parser.init({ locateFile: (file: string) => wasmPath(file) });
  const language = await Language.load(fs.readFileSync(wasmPath('tree-sitter-python.wasm')));
  const factsQuery = new Query(language, PYTHON_FACTS_QUERY);
  return {
    language,
    factsQuery,
    newParser() {
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    },
  };
}
