import type { Parser, Query, Tree } from '@vscode/tree-sitter-wasm';
import { readSource } from '../files';
import { extractFacts } from './extract';
import type { FileFacts } from './facts';
import { loadPython, type PythonLanguage } from './treeSitter';

/** A parser bound to the loaded grammar: parse + extract, synchronously, freeing each tree. */
export class FactsParser {
  private readonly parser: Parser;

  constructor(private readonly python: PythonLanguage) {
    this.parser = python.newParser();
  }

  static async create(): Promise<FactsParser> {
    return new FactsParser(await loadPython());
  }

  /** The syntax tree of `source` (re-using `oldTree`, already edited, when given); the caller deletes it. */
  tree(source: string, oldTree?: Tree | null): Tree {
    const tree = this.parser.parse(source, oldTree ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  get query(): Query {
    return this.python.factsQuery;
  }

  facts(source: string): FileFacts {
    const tree = this.tree(source);
    try {
      return extractFacts(tree, this.python.factsQuery, source);
    } finally {
      tree.delete();
    }
  }

  /** Facts of a file on disk, or null when it cannot be read or decoded (used for libraries). */
  factsOfFile(file: string): FileFacts | null {
    const loaded = readSource(file);
    return 'source' in loaded ? this.facts(loaded.source) : null;
  }

  dispose(): void {
    this.parser.delete();
  }
}

export async function factsOfSource(source: string): Promise<FileFacts> {
  const parser = await FactsParser.create();
  try {
    return parser.facts(source);
  } finally {
    parser.dispose();
  }
}
