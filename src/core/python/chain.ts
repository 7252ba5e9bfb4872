/**
 * Chains: a compact, comparable form of a Python expression that names something.
 * `difflib.SequenceMatcher(None, a,\n b).ratio` -> `difflib.SequenceMatcher().ratio`,
 * `rows[0].get` -> `rows[].get`, `"".join` -> `''.join`.
 */
export function normalizeChain(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '(' || ch === '[' || ch === '{') {
      const close = ch === '(' ? ')' : ch === '[' ? ']' : '}';
      i = skipBalanced(text, i);
      out += ch + close;
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = skipString(text, i);
      out += "''";
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\\') {
      i++;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Index just past the bracket group that opens at `start`. */
function skipBalanced(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = skipString(text, i);
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return text.length;
}

/** Index just past the string literal (single, triple, any prefix already consumed) at `start`. */
function skipString(text: string, start: number): number {
  const quote = text[start] as string;
  const triple = text.startsWith(quote.repeat(3), start);
  const delimiter = triple ? quote.repeat(3) : quote;
  let i = start + delimiter.length;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(delimiter, i)) return i + delimiter.length;
    if (!triple && text[i] === '\n') return i;
    i++;
  }
  return text.length;
}

/** A chain split into its parts: `a.b().c` -> [{name:'a'}, {name:'b', call:true}, {name:'c'}]. */
export interface ChainPart {
  name: string;
  call: boolean;
  subscript: boolean;
}

const splitCache = new Map<string, ChainPart[]>();
const SPLIT_CACHE_LIMIT = 50_000;

/** Parts of a chain (memoized: the same callees recur across a code base). Do not mutate the result. */
export function splitChain(chain: string): readonly ChainPart[] {
  let parts = splitCache.get(chain);
  if (!parts) {
    parts = split(chain);
    if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
    splitCache.set(chain, parts);
  }
  return parts;
}

function split(chain: string): ChainPart[] {
  const parts: ChainPart[] = [];
  for (const raw of chain.split('.')) {
    let name = raw;
    let call = false;
    let subscript = false;
    // A part may carry several suffixes, e.g. `f()()` or `rows[]()`; the last one decides what the
    // value is, the earlier ones are folded into the name so that resolution stays conservative.
    while (name.endsWith('()') || name.endsWith('[]') || name.endsWith('{}')) {
      if (name.endsWith('()')) call = true;
      else subscript = true;
      name = name.slice(0, -2);
    }
    parts.push({ name, call, subscript });
  }
  return parts;
}
