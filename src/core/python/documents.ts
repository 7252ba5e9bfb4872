import type { Tree } from '@vscode/tree-sitter-wasm';
import { analysisFailure, Deadline } from '../budget';
import type { TextChange } from '../host/protocol';
import type { FileReport } from '../model';
import type { PythonAnalyzer } from './analyzer';
import type { FileFacts } from './facts';
import { FragmentCache } from './fragments';
import { normalizeLineEnds, scanLexically } from './lexical';
import { addLexicalError, MAX_SHALLOW_STATEMENT, tooDeepError, unparsedFacts } from './parse';

interface OpenDocument {
  tree: Tree;
  fragments: FragmentCache;
  /** The facts with the fewest syntax errors seen since the document opened. */
  lastGood: FileFacts;
}

/**
 * Open editors: each keeps its syntax tree so an edit re-parses incrementally, and its last good
 * facts so that a half-typed line does not wipe out the functions below it.
 */
export class OpenDocuments {
  private readonly documents = new Map<string, OpenDocument>();

  constructor(private readonly analyzer: PythonAnalyzer) {}

  /**
   * Re-analyzes a document after `changes` (or from scratch without them) and returns its report.
   * When the new text parses worse than the last good version (more errors, fewer functions),
   * functions come from the last good version and errors from the new one.
   */
  update(file: string, text: string, changes?: readonly TextChange[]): FileReport {
    const { error: lexical, longestLogicalLine } = scanLexically(normalizeLineEnds(text));
    if (lexical?.tooDeep) {
      this.close(file);
      this.analyzer.setFacts(file, unparsedFacts(lexical, text));
      return this.analyzer.fileReport(file);
    }
    const deadline = new Deadline(this.analyzer.fileBudgetMs);
    const open = this.documents.get(file);
    let oldTree: Tree | null = null;
    if (open && changes && changes.length > 0) {
      oldTree = open.tree;
      for (const change of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) oldTree.edit(toEdit(change));
    }
    const parser = this.analyzer.parser;
    let tree: Tree;
    try {
      tree = parser.tree(text, oldTree, deadline);
    } catch (error) {
      this.close(file);
      this.analyzer.setFailure(file, analysisFailure(error));
      return this.analyzer.fileReport(file);
    }
    open?.tree.delete();
    this.documents.delete(file);
    const deep = longestLogicalLine > MAX_SHALLOW_STATEMENT ? tooDeepError(tree.rootNode) : null;
    if (deep) {
      tree.delete();
      this.analyzer.setFacts(file, unparsedFacts(deep, text));
      return this.analyzer.fileReport(file);
    }
    const fragments = open?.fragments ?? new FragmentCache();
    let facts: FileFacts;
    try {
      facts = fragments.extract(tree.rootNode, parser.query, deadline);
    } catch (error) {
      tree.delete();
      this.analyzer.setFailure(file, analysisFailure(error));
      return this.analyzer.fileReport(file);
    }
    if (lexical) addLexicalError(facts, lexical);

    const worse = open !== undefined
      && facts.syntaxErrors.length > open.lastGood.syntaxErrors.length
      && facts.functions.length < open.lastGood.functions.length;
    const lastGood = worse ? open.lastGood : facts;
    this.documents.set(file, { tree, fragments, lastGood });
    this.analyzer.setFacts(file, worse ? { ...lastGood, syntaxErrors: facts.syntaxErrors, lineCount: facts.lineCount } : facts);
    return this.analyzer.fileReport(file);
  }

  close(file: string): void {
    this.documents.get(file)?.tree.delete();
    this.documents.delete(file);
  }

  dispose(): void {
    for (const file of [...this.documents.keys()]) this.close(file);
  }
}

function toEdit(change: TextChange) {
  const { start, end } = change.range;
  const lines = change.text.split('\n');
  const last = lines[lines.length - 1] as string;
  const newEnd = lines.length === 1
    ? { row: start.line, column: start.character + last.length }
    : { row: start.line + lines.length - 1, column: last.length };
  return {
    startIndex: change.rangeOffset,
    oldEndIndex: change.rangeOffset + change.rangeLength,
    newEndIndex: change.rangeOffset + change.text.length,
    startPosition: { row: start.line, column: start.character },
    oldEndPosition: { row: end.line, column: end.character },
    newEndPosition: newEnd,
  };
}
