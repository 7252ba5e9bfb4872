import type { Parser, Tree } from '@vscode/tree-sitter-wasm';
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

  /** Facts of `source`; with `keepTree` the caller owns the returned tree (for incremental re-parses). */
  parse(source: string, oldTree?: Tree | null): { facts: FileFacts; tree: Tree } {
    const tree = this.parser.parse(source, oldTree ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return { facts: extractFacts(tree, this.python.factsQuery), tree };
  }

  facts(source: string): FileFacts {
    const { facts, tree } = this.parse(source);
    tree.delete();
    return facts;
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
