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
  /** A fuzzy pattern's most errors allowed (its costliest constraint). */
  errors?: number;
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

/**
 * Stands for text a pattern's source interpolates (`f"(?:{word}){{e<=1}}"`): the code does not show it, so such a pattern
 * is priced as an unknown one unless what it does show decides the cost (a fuzzy constraint).
 */
export const INTERPOLATED_TEXT = '\u{FFFC}';

/**
 * The `regex` module's fuzzy matching (`(?:text){e<=k}`): the engine tries every position with up to k errors, whatever
 * the pattern's prefix. Measured (regex_fuzzy_study.py in test/fixtures/measured, Debian 12's regex 2.5.123, thread CPU
 * time, medians of 5, searches of log lines and findall/finditer/sub of their text alike, patterns of 5-40 characters,
 * which move it by less than the runs' spread): errors of any kind (`e`) 160 ns a byte for k = 1, 530 for 2, 1,630 for 3
 * (×3.2 each); insertions and deletions (`i<=k,d<=k`) 195, 800, 2,700; substitutions only (`s`) 80, 130, 180 (×1.5).
 * Relative to the calibrated scan (`py.re_search_byte`, 7.7 ns a byte).
 */
const FUZZY_EDIT_SCAN = 21;
const FUZZY_EDIT_GROWTH = 3.2;
const FUZZY_SUBSTITUTION_SCAN = 10.5;
const FUZZY_SUBSTITUTION_GROWTH = 1.5;
/** A fuzzy constraint: `{e<=1}`, `{i<=1,d<=1}`, `{1<=e<3}`, `{e<=2,2i+2d+1s<=4}` (not a repeat count, `{2,3}`). */
const FUZZY_CONSTRAINT = /\{([^{}]*?[eids]\s*<=?\s*\d+[^{}]*)\}/g;

/** The scan of a pattern with fuzzy constraints and the errors of the costliest one, or undefined when it has none. */
function fuzzyScan(pattern: string): { scan: number; errors: number } | undefined {
  let costliest: { scan: number; errors: number } | undefined;
  for (const [, constraint = ''] of pattern.matchAll(FUZZY_CONSTRAINT)) {
    let edits = 0;
    let insertsOrDeletes = false;
    // `e<=2`, `i<1`, the upper bound of `1<=e<=3`; a weighted cost (`2i+2d+1s<=4`) adds no bound of its own.
    for (const [, kind, operator, bound] of constraint.matchAll(/(?:^|[\s,=])([eids])\s*(<=?)\s*(\d+)/g)) {
      if (kind !== 's') insertsOrDeletes = true;
      edits = Math.max(edits, Number(bound) - (operator === '<' ? 1 : 0));
    }
    if (edits < 1) continue;
    const scan = insertsOrDeletes ? FUZZY_EDIT_SCAN * FUZZY_EDIT_GROWTH ** (edits - 1) : FUZZY_SUBSTITUTION_SCAN * FUZZY_SUBSTITUTION_GROWTH ** (edits - 1);
    if (!costliest || scan > costliest.scan) costliest = { scan, errors: edits };
  }
  return costliest;
}

/**
 * The cost of `pattern` (its source text); unknown patterns are priced as the calibrated one. `fuzzy`: the engine reads
 * fuzzy constraints (the `regex` module's syntax; `re` reads `{e<=1}` as text).
 */
export function patternCost(pattern: string | undefined, fuzzy = false): PatternCost {
  if (pattern === undefined) return { scan: CLASS_START, matchesPerByte: 0 };
  const constrained = fuzzy ? fuzzyScan(pattern) : undefined;
  if (constrained) return { ...constrained, matchesPerByte: 0 };
  if (pattern.includes(INTERPOLATED_TEXT)) return { scan: CLASS_START, matchesPerByte: 0 };
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
    const quantifier = quantifierAt(branch, end);
    items.push({ kind, run: quantifier?.max === Infinity, min: quantifier?.min ?? 1 });
    k = end + (quantifier?.length ?? 0);
  }
  return items;
}

/** The quantifier at `at` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, with a lazy or possessive mark): how many times, and its length. */
function quantifierAt(pattern: string, at: number): { min: number; max: number; length: number } | undefined {
  const read = /^(?:([*+?])|\{(\d*)(,?)(\d*)\})[?+]?/.exec(pattern.slice(at));
  if (!read) return undefined;
  const [text, sign, low = '', comma, high = ''] = read;
  if (sign) return { min: sign === '+' ? 1 : 0, max: sign === '?' ? 1 : Infinity, length: text.length };
  if (low === '' && high === '') return undefined;
  return { min: Number(low || 0), max: comma ? (high === '' ? Infinity : Number(high)) : Number(low), length: text.length };
}

/** The index just past the character class opened at `open` (`[^]a]` closes at its second `]`). */
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

/**
 * The most characters a match of `pattern` (its source text, JavaScript's or Python's syntax) can span, or undefined
 * when nothing bounds it (`*`, `+`, `{n,}`, a back-reference): the whole match and each group it captures are at most
 * this long, which sizes the text a function takes apart with the pattern (`const [, code] = CODE.exec(typed)`).
 */
export function longestMatch(pattern: string): number | undefined {
  const reader = new LongestMatchReader(pattern);
  const longest = reader.alternatives();
  return reader.atEnd() && Number.isFinite(longest) ? longest : undefined;
}

/** A recursive-descent reading of a pattern's alternatives, sequences and quantified items, in characters matched at most. */
class LongestMatchReader {
  private at = 0;

  constructor(private readonly pattern: string) {}

  atEnd(): boolean {
    return this.at >= this.pattern.length;
  }

  /** Branches separated by `|`, up to the `)` closing the group or the end: the longest of them. */
  alternatives(): number {
    let longest = this.sequence();
    while (this.pattern[this.at] === '|') {
      this.at++;
      longest = Math.max(longest, this.sequence());
    }
    return longest;
  }

  private sequence(): number {
    let total = 0;
    while (this.at < this.pattern.length && this.pattern[this.at] !== '|' && this.pattern[this.at] !== ')') {
      const item = this.item();
      const times = this.quantifier();
      total += item === 0 ? 0 : item * times;
    }
    return total;
  }

  /** One item: a group, a class, an escape, an anchor or a character. */
  private item(): number {
    const char = this.pattern[this.at++];
    if (char === '(') {
      const rest = this.pattern.slice(this.at, this.at + 4);
      // Lookarounds match no characters of their own.
      const lookaround = /^\?(=|!|<=|<!)/.test(rest);
      if (/^\?P=/.test(rest)) {
        this.skipPast(')');
        return Infinity;
      }
      if (rest.startsWith('?P<') || (rest.startsWith('?<') && !lookaround)) this.skipPast('>');
      else if (rest.startsWith('?')) {
        // `(?:`, `(?=`, inline flags `(?i)` or `(?i:`.
        const flags = /^\?[a-zA-Z-]*/.exec(this.pattern.slice(this.at))?.[0] ?? '?';
        this.at += flags.length;
        if (this.pattern[this.at] === ')') {
          this.at++;
          return 0;
        }
        if (/^(=|!|<=|<!|:)/.test(this.pattern.slice(this.at))) this.at += /^(<=|<!|=|!|:)/.exec(this.pattern.slice(this.at))?.[0].length ?? 0;
      }
      const inner = this.alternatives();
      if (this.pattern[this.at] === ')') this.at++;
      return lookaround ? 0 : inner;
    }
    if (char === '[') {
      this.at = classEnd(this.pattern, this.at - 1);
      return 1;
    }
    if (char === '\\') return this.escape();
    if (char === '^' || char === '$') return 0;
    return 1;
  }

  /** After a backslash: a back-reference is unbounded, a boundary matches no character, anything else one. */
  private escape(): number {
    const char = this.pattern[this.at++] ?? '';
    if (/[1-9]/.test(char)) return Infinity;
    if (char === 'k' && this.pattern[this.at] === '<') {
      this.skipPast('>');
      return Infinity;
    }
    if (char === 'b' || char === 'B' || char === 'A' || char === 'Z' || char === 'z') return 0;
    if ((char === 'u' || char === 'p' || char === 'P') && this.pattern[this.at] === '{') this.skipPast('}');
    else if (char === 'u') this.at += 4;
    else if (char === 'x') this.at += 2;
    else if (char === 'c') this.at += 1;
    return 1;
  }

  /** How many times the item before may repeat at most (1 without a quantifier). */
  private quantifier(): number {
    const quantifier = quantifierAt(this.pattern, this.at);
    this.at += quantifier?.length ?? 0;
    return quantifier?.max ?? 1;
  }

  private skipPast(char: string): void {
    const end = this.pattern.indexOf(char, this.at);
    this.at = end < 0 ? this.pattern.length : end + 1;
  }
}
