import type { Node, Parser, Query, Tree } from '@vscode/tree-sitter-wasm';
import { analysisFailure, BudgetExceeded, Deadline } from '../budget';
import type { DiskCache } from '../cache/diskCache';
import { valueKey, type StringTable } from '../cache/strings';
import { readSource } from '../files';
import { extractFacts } from './extract';
import type { FileFacts } from './facts';
import { mergeFacts } from './fragments';
import { normalizeLineEnds, scanLexically, type LexicalError } from './lexical';
import { replaceSharedNames, replaceSharedValues, shareEmpties, type SharedValue } from './program';
import { loadPython, type PythonLanguage } from './treeSitter';

/**
 * A parser bound to the loaded grammar: parse + extract, synchronously, freeing each tree. With a cache,
 * the facts of a text seen before (by this version of the analyzer) are read instead.
 */
export class FactsParser {
  private readonly parser: Parser;

  constructor(
    private readonly python: PythonLanguage,
    private readonly cache?: DiskCache,
  ) {
    this.parser = python.newParser();
  }

  static async create(cache?: DiskCache): Promise<FactsParser> {
    return new FactsParser(await loadPython(), cache);
  }

  /**
   * The syntax tree of `source` (re-using `oldTree`, already edited, when given); the caller deletes it.
   * Lone CRs are read as the line ends CPython takes them for.
   */
  tree(source: string, oldTree?: Tree | null, deadline?: Deadline): Tree {
    const tree = this.parser.parse(normalizeLineEnds(source), oldTree ?? null, deadline && { progressCallback: () => deadline.passed });
    if (!tree) {
      this.parser.reset();
      if (deadline?.passed) throw new BudgetExceeded(deadline.budgetMs);
      throw new Error('tree-sitter returned no tree');
    }
    return tree;
  }

  get query(): Query {
    return this.python.factsQuery;
  }

  /** Facts of a file; a file CPython's tokenizer refuses for its nesting is not parsed (its facts hold that error alone). */
  facts(source: string, deadline?: Deadline): FileFacts {
    const key = this.cache?.key(FACTS_KIND, source);
    const cached = key === undefined ? undefined : this.cache?.get<FileFacts>(key);
    if (cached) return cached;
    const facts = this.factsOfText(source, deadline);
    if (key !== undefined) this.cache?.set(key, facts);
    return facts;
  }

  private factsOfText(source: string, deadline?: Deadline): FileFacts {
    const text = normalizeLineEnds(source);
    const { error: lexical, longestLogicalLine } = scanLexically(text);
    if (lexical?.tooDeep) return unparsedFacts(lexical, text);
    const tree = this.tree(text, null, deadline);
    try {
      const deep = longestLogicalLine > MAX_SHALLOW_STATEMENT ? tooDeepError(tree.rootNode) : null;
      if (deep) return unparsedFacts(deep, text);
      const facts = extractFacts(tree, this.python.factsQuery, text, deadline);
      if (lexical) addLexicalError(facts, lexical);
      return facts;
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

/** What the cache stores facts under (with the analyzer's code digest and the text). */
const FACTS_KIND = 'python-facts';

export interface ExtractedFile {
  path: string;
  facts?: FileFacts;
  error?: string;
}

/**
 * An extracted file as a worker hands it to the main thread: its facts as JSON text. Objects made by
 * `JSON.parse` hold their fields in themselves, where a structured clone's get a separate store of fields
 * each (21 MB over the standard library's facts); the text is also cheaper to write and read.
 */
export interface SentFile {
  path: string;
  facts?: string;
  /** The text holds numbers JSON cannot write (see NOT_JSON_NUMBER). */
  revive?: true;
  error?: string;
}

/** The key of the object a number JSON cannot write (NaN, the infinities, -0) stands as in a sent text. */
const NOT_JSON_NUMBER = '\u0000number';

export function sentFile(extracted: ExtractedFile): SentFile {
  const { path, facts, error } = extracted;
  if (!facts) return error === undefined ? { path } : { path, error };
  const { text, revive } = sentJson(facts);
  return revive ? { path, facts: text, revive } : { path, facts: text };
}

export function receivedFile(sent: SentFile): ExtractedFile {
  const { path, facts, revive, error } = sent;
  if (facts === undefined) return error === undefined ? { path } : { path, error };
  return { path, facts: receivedJson<FileFacts>(facts, revive) };
}

function sentJson(value: unknown): { text: string; revive?: true } {
  let revive = false;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'number' || (Number.isFinite(item) && !Object.is(item, -0))) return item;
    revive = true;
    return { [NOT_JSON_NUMBER]: Object.is(item, -0) ? '-0' : String(item) };
  });
  return revive ? { text, revive } : { text };
}

function receivedJson<T>(text: string, revive: true | undefined): T {
  const reviver = (_key: string, value: unknown): unknown => {
    const number = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[NOT_JSON_NUMBER] : undefined;
    return typeof number === 'string' ? Number(number) : value;
  };
  return JSON.parse(text, revive ? reviver : undefined) as T;
}

/**
 * A batch's distinct shared names and values (see `replaceSharedNames`, `replaceSharedValues`) as a worker sends them:
 * the names; each value's key, and the values as JSON text.
 */
export interface SentShared {
  names: string[];
  keys: string[];
  text: string;
  revive?: true;
}

/**
 * Sends a worker's batch of files with each shared name and value (callees, parameters, size expressions: the same few
 * recur across a batch's functions) once: the main thread then interns each distinct one once instead of every
 * occurrence. The facts handed to `file` are changed (their names and values become indices) and are not to be used again.
 */
export class BatchSender {
  private readonly names: string[] = [];
  private readonly indexOfName = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly values: SharedValue[] = [];
  private readonly indexOfKey = new Map<string, number>();
  private readonly indexOfValue = new Map<SharedValue, number>();

  file(extracted: ExtractedFile): SentFile {
    if (extracted.facts) {
      replaceSharedNames(extracted.facts, (name) => this.nameIndex(name) as unknown as string);
      replaceSharedValues(extracted.facts, (value) => this.valueIndex(value) as unknown as SharedValue);
    }
    return sentFile(extracted);
  }

  sentShared(): SentShared {
    return { names: this.names, keys: this.keys, ...sentJson(this.values) };
  }

  private nameIndex(name: string): number {
    let index = this.indexOfName.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.indexOfName.set(name, index);
      this.names.push(name);
    }
    return index;
  }

  private valueIndex(value: SharedValue): number {
    let index = this.indexOfValue.get(value);
    if (index !== undefined) return index;
    const key = valueKey(value);
    index = this.indexOfKey.get(key);
    if (index === undefined) {
      index = this.keys.length;
      this.indexOfKey.set(key, index);
      this.keys.push(key);
      this.values.push(value);
    }
    this.indexOfValue.set(value, index);
    return index;
  }
}

/** A worker's batch (see `BatchSender`) as the main thread keeps it: names and values shared through `strings`. */
export function receivedBatch(files: readonly SentFile[], sent: SentShared, strings: StringTable): ExtractedFile[] {
  const names = sent.names.map((name) => strings.intern(name));
  const distinct = receivedJson<SharedValue[]>(sent.text, sent.revive);
  const values = sent.keys.map((key, k) => strings.internKeyed(key, distinct[k] as SharedValue));
  return files.map((file) => {
    const received = receivedFile(file);
    if (received.facts) {
      replaceSharedNames(received.facts, (index) => names[index as unknown as number] as string);
      replaceSharedValues(received.facts, (index) => values[index as unknown as number] as SharedValue);
      shareEmpties(received.facts);
    }
    return received;
  });
}

/** Reads, parses and extracts one file within its time budget; a failure is that file's error. */
export function extractFile(parser: FactsParser, file: string, budgetMs: number): ExtractedFile {
  const loaded = readSource(file);
  if ('error' in loaded) return { path: file, error: loaded.error };
  try {
    return { path: file, facts: parser.facts(loaded.source, new Deadline(budgetMs)) };
  } catch (error) {
    return { path: file, error: analysisFailure(error) };
  }
}

/**
 * CPython's compiler gives up (RecursionError) on expressions nested about 3000 levels deep, and
 * tree-sitter's query cursor slows to a crawl on such trees: they are reported, not analyzed.
 */
const MAX_TREE_DEPTH = 3000;
/** A statement shorter than this (in characters) cannot nest past MAX_TREE_DEPTH: its tree is not measured. */
export const MAX_SHALLOW_STATEMENT = 2000;

/**
 * An error when the tree is nested deeper than MAX_TREE_DEPTH (at the first node that is, in document
 * order), else null. A subtree of `n` nodes is at most `n - 1` levels deep: one that cannot reach past the
 * limit is skipped whole, so that only the long statements' nodes are visited.
 */
export function tooDeepError(root: Node): LexicalError | null {
  const pending: Array<{ node: Node; depth: number }> = [{ node: root, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, depth } = next;
    if (depth > MAX_TREE_DEPTH) {
      return { line: node.startPosition.row + 1, message: `too deeply nested to analyze: over ${MAX_TREE_DEPTH} levels (CPython's compiler stops near there too)`, tooDeep: true };
    }
    if (depth + node.descendantCount - 1 <= MAX_TREE_DEPTH) continue;
    const children = node.children;
    for (let k = children.length - 1; k >= 0; k--) {
      const child = children[k];
      if (child) pending.push({ node: child, depth: depth + 1 });
    }
  }
  return null;
}

/** Adds a tokenizer error (which tree-sitter does not see) to facts, in line order. */
export function addLexicalError(facts: FileFacts, error: LexicalError): void {
  facts.syntaxErrors.push({ line: error.line, message: error.message });
  facts.syntaxErrors.sort((a, b) => a.line - b.line);
}

/** The facts of a file too deeply nested to parse: its lines and the error, nothing else. */
export function unparsedFacts(error: LexicalError, text: string): FileFacts {
  const lineCount = text.split('\n').length;
  const module = mergeFacts([], lineCount);
  module.syntaxErrors.push({ line: error.line, message: error.message });
  return module;
}

export async function factsOfSource(source: string): Promise<FileFacts> {
  const parser = await FactsParser.create();
  try {
    return parser.facts(source);
  } finally {
    parser.dispose();
  }
}
