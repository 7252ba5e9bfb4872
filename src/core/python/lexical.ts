/**
 * The checks CPython's tokenizer makes that tree-sitter does not: indentation (IndentationError,
 * TabError) and its nesting limits. One linear scan, run before parsing: a file past the nesting
 * limits is not handed to the parser at all (CPython refuses it, and its syntax tree would be
 * thousands of levels deep). The length of the longest statement bounds how deep the tree can be.
 */

export interface LexicalError {
  line: number;
  message: string;
  /** CPython's nesting limits: the file is not parsed. */
  tooDeep: boolean;
}

/** CPython's tokenizer: MAXLEVEL brackets open at once, MAXINDENT indentation levels (the first included). */
const MAX_BRACKET_DEPTH = 200;
const MAX_INDENT_LEVELS = 100;
const TAB_SIZE = 8;

/** A lone CR ends a line for CPython, not for tree-sitter: the same text with LF there (same length, same offsets). */
export function normalizeLineEnds(source: string): string {
  return source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
}

export interface LexicalScan {
  /** The first tokenizer error, as CPython reports it. */
  error: LexicalError | null;
  /**
   * Characters in the longest logical line (a statement's lines joined by brackets or backslashes), a plain
   * string literal or a comment counted as one: what bounds how deeply the statement's tree can nest
   * (a long docstring cannot nest; an f-string's replacement fields can, so f-strings count in full).
   */
  longestLogicalLine: number;
}

/** Tokenizer errors and statement lengths of `source` (LF or CRLF line ends). */
export function scanLexically(source: string): LexicalScan {
  let logicalLineStart = 0;
  let longestLogicalLine = 0;
  let flatBefore = 0;
  const error = firstError(source, (end, flat) => {
    longestLogicalLine = Math.max(longestLogicalLine, end - logicalLineStart - (flat - flatBefore));
    logicalLineStart = end;
    flatBefore = flat;
  });
  if (!error) longestLogicalLine = Math.max(longestLogicalLine, source.length - logicalLineStart);
  return { error, longestLogicalLine };
}

/**
 * The first tokenizer error; `logicalLineEnd` is told where each logical line ends, with the characters
 * so far that cannot nest (plain string literals and comments beyond their first character).
 */
function firstError(source: string, logicalLineEnd: (index: number, flat: number) => void): LexicalError | null {
  const indents = [0];
  const altIndents = [0];
  let line = 1;
  let depth = 0;
  let lineStart = true;
  /** The last character of the current logical line outside strings and comments ('' before any). */
  let last = '';
  /** The previous logical line ends with `:`: a block must follow, indented. */
  let opensBlock = false;
  let flat = 0;
  const n = source.length;
  let i = 0;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      let column = 0;
      let altColumn = 0;
      for (; i < n; i++) {
        const ch = source[i];
        if (ch === ' ') {
          column++;
          altColumn++;
        } else if (ch === '\t') {
          column = (Math.floor(column / TAB_SIZE) + 1) * TAB_SIZE;
          altColumn++;
        } else if (ch === '\f') {
          column = 0;
          altColumn = 0;
        } else break;
      }
      const next = source[i];
      if (next !== undefined && next !== '#' && next !== '\n' && next !== '\r' && next !== '\\') {
        const error = indentationError(indents, altIndents, column, altColumn, line, opensBlock);
        if (error) return error;
      }
      continue;
    }
    const ch = source[i] as string;
    if (ch === '#') {
      const start = i;
      const lineEnd = source.indexOf('\n', i);
      i = lineEnd < 0 ? n : lineEnd;
      flat += Math.max(0, i - start - 1);
    } else if (ch === '"' || ch === "'") {
      const end = stringEnd(source, i);
      for (let k = i; k < end; k++) if (source[k] === '\n') line++;
      if (!isFormatString(source, i)) flat += end - i - 1;
      i = end;
      last = ch;
    } else if (ch === '\\' && (source[i + 1] === '\n' || source[i + 1] === '\r')) {
      i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 3 : 2;
      line++;
    } else if (ch === '\n') {
      i++;
      line++;
      lineStart = depth === 0;
      if (lineStart) {
        logicalLineEnd(i, flat);
        // Blank and comment-only lines neither open nor close a block.
        if (last !== '') opensBlock = last === ':';
        last = '';
      }
    } else {
      ORDINARY_RUN.lastIndex = i;
      if (ORDINARY_RUN.test(source)) {
        // Characters none of the above nor brackets: of a run of them, only the last non-blank one matters.
        const end = ORDINARY_RUN.lastIndex;
        for (let k = end - 1; k >= i; k--) {
          const character = source[k] as string;
          if (character !== ' ' && character !== '\t' && character !== '\f' && character !== '\r') {
            last = character;
            break;
          }
        }
        i = end;
        continue;
      }
      if (ch !== ' ' && ch !== '\t' && ch !== '\f' && ch !== '\r') last = ch;
      if (ch === '(' || ch === '[' || ch === '{') {
        if (++depth > MAX_BRACKET_DEPTH) return { line, message: 'SyntaxError: too many nested parentheses', tooDeep: true };
      } else if (ch === ')' || ch === ']' || ch === '}') {
        depth = Math.max(0, depth - 1);
      }
      i++;
    }
  }
  return null;
}

/** Characters that need no look of their own in `firstError`: a run of them is skipped at once. */
const ORDINARY_RUN = /[^#"'\\\n()[\]{}]+/y;

/** The indentation of a logical line checked against the open blocks (pushed or popped), as CPython's tokenizer and parser do. */
function indentationError(indents: number[], altIndents: number[], column: number, altColumn: number, line: number, opensBlock: boolean): LexicalError | null {
  const tabError = { line, message: 'TabError: inconsistent use of tabs and spaces in indentation', tooDeep: false };
  const top = indents[indents.length - 1] as number;
  const altTop = altIndents[altIndents.length - 1] as number;
  if (column <= top && opensBlock) return { line, message: 'IndentationError: expected an indented block', tooDeep: false };
  if (column === top) return altColumn === altTop ? null : tabError;
  if (column > top) {
    if (altColumn <= altTop) return tabError;
    if (!opensBlock) return { line, message: 'IndentationError: unexpected indent', tooDeep: false };
    if (indents.length >= MAX_INDENT_LEVELS) return { line, message: 'IndentationError: too many levels of indentation', tooDeep: true };
    indents.push(column);
    altIndents.push(altColumn);
    return null;
  }
  while (indents.length > 1 && column < (indents[indents.length - 1] as number)) {
    indents.pop();
    altIndents.pop();
  }
  if (column !== indents[indents.length - 1]) return { line, message: 'IndentationError: unindent does not match any outer indentation level', tooDeep: false };
  return altColumn === altIndents[altIndents.length - 1] ? null : tabError;
}

/** The quote at `quote` opens an f-string (a prefix such as f, rf, Fr). */
function isFormatString(source: string, quote: number): boolean {
  for (let k = quote - 1; k >= 0 && k >= quote - 2; k--) {
    const ch = source[k] as string;
    if (ch === 'f' || ch === 'F') return true;
    if (ch !== 'r' && ch !== 'R' && ch !== 'b' && ch !== 'B' && ch !== 'u' && ch !== 'U') return false;
  }
  return false;
}

/** Runs of characters inside a string literal that can neither end it nor escape (a single-quoted one ends at a line's end too). */
const STRING_RUNS: Record<string, RegExp> = {
  'single"': /[^"\\\n]*/y,
  "single'": /[^'\\\n]*/y,
  'triple"': /[^"\\]*/y,
  "triple'": /[^'\\]*/y,
};

/** Index just past the string literal whose quote is at `start` (an unterminated one ends at its line's end, or the file's). */
function stringEnd(source: string, start: number): number {
  const quote = source[start] as string;
  const triple = source.startsWith(quote.repeat(3), start);
  const delimiter = triple ? quote.repeat(3) : quote;
  const plain = STRING_RUNS[`${triple ? 'triple' : 'single'}${quote}`] as RegExp;
  let i = start + delimiter.length;
  while (i < source.length) {
    plain.lastIndex = i;
    plain.test(source);
    i = plain.lastIndex;
    const ch = source[i];
    if (ch === undefined) break;
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (!triple && ch === '\n') return i;
    if (source.startsWith(delimiter, i)) return i + delimiter.length;
    i++;
  }
  return source.length;
}
