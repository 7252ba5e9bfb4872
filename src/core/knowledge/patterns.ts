/**
 * What a regular expression's pattern says about the cost of running it over text (CPython's `re` engine; the
 * `regex` module's is of the same order). Measured on 1 MB of words with `/usr/bin/python3` (3.11, Debian 12),
 * ns per byte of a search that finds nothing: a literal prefix 0.3 (a fast scan for the prefix), a leading
 * character class 6-8 (the calibrated pattern, `py.re_search_byte`), a leading `\b` or group 20-27, a
 * repeated broad class followed by more (`[\w.]+@…`, which backtracks over every word) 40-80, three such
 * branches 82-195. `findall`/`sub`/`split` also build a result per match: ~400 ns a match, and a pattern that is
 * one run of a broad class (`\w+`, `\W+`, `\s+`) matches about once a word.
 */

export interface PatternCost {
  /** Work per byte searched, relative to the calibrated pattern (a leading character class). */
  scan: number;
  /** Matches per byte of text, for calls that build every match; 0 when matches are taken to be rare. */
  matchesPerByte: number;
}

/** Where the engine finds a literal prefix and skips to it. */
const LITERAL_PREFIX = 0.05;
/** A literal first character of one branch among several (no prefix to skip to: each position is tried). */
const LITERAL_BRANCH = 0.5;
const CLASS_START = 1;
/** A word boundary, a group, a lookaround or an optional first item: every position starts a match attempt. */
const ATTEMPT_START = 3;
/** A greedy run of a broad class with more pattern after it: each position runs to the word's end and backtracks. */
const BACKTRACKING_RUN = 5;
/** A match a word (~6 bytes of text). */
const WORD_MATCHES = 1 / 6;
/** A run of a narrow class (digits, capitals): a match every few words. */
const NARROW_MATCHES = 1 / 60;

/** The cost of `pattern` (its source text); unknown patterns are priced as the calibrated one. */
export function patternCost(pattern: string | undefined): PatternCost {
  if (pattern === undefined) return { scan: CLASS_START, matchesPerByte: 0 };
  const body = pattern.replace(/^\(\?[aiLmsux]+\)/, '');
  const branches = topLevelBranches(body);
  if (branches.length === 1) {
    const items = itemsOf(body);
    return { scan: branchScan(items, true), matchesPerByte: singleRunMatches(items) };
  }
  const scan = branches.reduce((sum, branch) => sum + branchScan(itemsOf(branch), false), 0);
  return { scan: Math.max(CLASS_START, scan), matchesPerByte: 0 };
}

/** The pattern split at its top-level `|`. */
function topLevelBranches(pattern: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k];
    if (c === '\\') k++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(pattern.slice(start, k));
      start = k + 1;
    }
  }
  branches.push(pattern.slice(start));
  return branches;
}

type ItemKind = 'literal' | 'class' | 'broad' | 'anchor' | 'attempt';
interface Item {
  kind: ItemKind;
  /** Repeated without bound (`+`, `*`, `{n,}`). */
  run: boolean;
  /** How many times it must occur (0: optional). */
  min: number;
}

const BROAD_ESCAPES = new Set(['w', 'W', 's', 'S', 'D']);

/** The first two items of a branch, enough to price it. */
function itemsOf(branch: string): Item[] {
  const items: Item[] = [];
  let k = 0;
  while (k < branch.length && items.length < 2) {
    const c = branch[k];
    let kind: ItemKind;
    let end = k + 1;
    if (c === '\\') {
      const e = branch[k + 1] ?? '';
      end = k + 2;
      if (e === 'p' || e === 'P') {
        // \p{L}: a Unicode property, a broad class.
        end = branch[end] === '{' ? branch.indexOf('}', end) + 1 || branch.length : end;
        kind = 'broad';
      } else kind = BROAD_ESCAPES.has(e) ? 'broad' : e === 'd' ? 'class' : e === 'b' || e === 'B' ? 'attempt' : e === 'A' || e === 'Z' ? 'anchor' : 'literal';
    } else if (c === '[') {
      end = classEnd(branch, k);
      const inner = branch.slice(k + 1, end - 1);
      kind = inner.startsWith('^') || /\\w|a-z|\\S/.test(inner) ? 'broad' : 'class';
    } else if (c === '(') {
      end = groupEnd(branch, k);
      kind = 'attempt';
    } else if (c === '.') kind = 'broad';
    else if (c === '^' || c === '$') kind = 'anchor';
    else kind = 'literal';
    const quantifier = /^(?:[*+?]|\{(\d*)(,?)(\d*)\})[?+]?/.exec(branch.slice(end));
    const min = quantifier ? (quantifier[0][0] === '+' ? 1 : quantifier[0][0] === '{' ? Number(quantifier[1] || 0) : 0) : 1;
    const unbounded = quantifier !== null && (quantifier[0][0] === '+' || quantifier[0][0] === '*' || (quantifier[2] === ',' && quantifier[3] === ''));
    items.push({ kind, run: unbounded, min });
    k = end + (quantifier?.[0].length ?? 0);
  }
  return items;
}

function classEnd(pattern: string, open: number): number {
  let k = open + 1;
  if (pattern[k] === '^') k++;
  if (pattern[k] === ']') k++;
  while (k < pattern.length && pattern[k] !== ']') k += pattern[k] === '\\' ? 2 : 1;
  return Math.min(k + 1, pattern.length);
}

function groupEnd(pattern: string, open: number): number {
  let depth = 0;
  for (let k = open; k < pattern.length; k++) {
    const c = pattern[k];
    if (c === '\\') k++;
    else if (c === '[') k = classEnd(pattern, k) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k + 1;
  }
  return pattern.length;
}

function branchScan(items: readonly Item[], alone: boolean): number {
  const [first, second] = items;
  if (!first) return CLASS_START;
  if (first.kind === 'anchor') return first.min === 0 ? ATTEMPT_START : LITERAL_PREFIX;
  if (first.min === 0 || first.kind === 'attempt') return ATTEMPT_START;
  if (first.kind === 'literal') return alone ? LITERAL_PREFIX : LITERAL_BRANCH;
  if (first.kind === 'broad' && first.run && second) return BACKTRACKING_RUN;
  return CLASS_START;
}

/** A pattern that is one class, repeated or not, matches at every run of it: a broad one about once a word. */
function singleRunMatches(items: readonly Item[]): number {
  const [first, second] = items;
  if (!first || second || (first.kind !== 'broad' && first.kind !== 'class')) return 0;
  return first.kind === 'broad' && first.min <= 1 ? WORD_MATCHES : NARROW_MATCHES;
}
