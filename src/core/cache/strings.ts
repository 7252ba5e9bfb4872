/** Above this many strings the table starts over: later copies are shared again from then on. */
const DEFAULT_MAX_STRINGS = 500_000;
/**
 * The objects and arrays one `internAll` visits at most. What it is given are trees (facts, summaries,
 * reports: a few thousand objects at most), walked without remembering what was seen; the bound ends
 * the walk of anything else, a cycle included.
 */
const MAX_VISITS = 1_000_000;

/**
 * One copy of each equal string. Summaries and reports build the same evidence text for every caller of
 * a function (`~100 items assumed in … in TestCase.assertEqual` 25,000 times over the standard library),
 * often as ropes of concatenations: sharing one flat copy of each makes them a fraction of their size, and
 * changes nothing a reader of the strings can see.
 */
export class StringTable {
  private readonly strings = new Map<string, string>();
  /** Small read-only values (size expressions) by their canonical text (see `internValue`). */
  private readonly values = new Map<string, object>();

  constructor(private readonly maxStrings = DEFAULT_MAX_STRINGS) {}

  /** The strings and values it holds a copy of. */
  get size(): number {
    return this.strings.size + this.values.size;
  }

  /** Lets go of every copy: the strings and values already shared stay shared; later ones are shared among themselves. */
  clear(): void {
    this.strings.clear();
    this.values.clear();
  }

  intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    if (this.strings.size >= this.maxStrings) this.strings.clear();
    this.strings.set(text, text);
    return text;
  }

  /**
   * One shared copy of each equal small value (a tree of plain objects, arrays, strings and numbers): the
   * same size expression (`{ seq: { n: 3 }, unit: 'bytes' }`) recurs for a fifth of the calls of a program.
   * Only for values no one changes: every holder of an equal value then holds the same object.
   */
  internValue<T extends object>(value: T): T {
    return this.internKeyed(valueKey(value), value);
  }

  /** `internValue` with the value's key (`valueKey(value)`) made elsewhere: by a worker, once for each distinct value it sends. */
  internKeyed<T extends object>(key: string, value: T): T {
    const known = this.values.get(key);
    if (known !== undefined) return known as T;
    if (this.values.size >= this.maxStrings) this.values.clear();
    this.values.set(key, value);
    return value;
  }

  /**
   * Replaces every string held in `value`'s plain objects and arrays (at any depth, frozen ones aside)
   * with its one copy, in place; returns `value`.
   */
  internAll<T>(value: T): T {
    const pending: unknown[] = [value];
    for (let visits = 0; pending.length > 0 && visits < MAX_VISITS; visits++) {
      const next = pending.pop();
      if (typeof next !== 'object' || next === null || Object.isFrozen(next)) continue;
      if (Array.isArray(next)) {
        const items = next as unknown[];
        for (let k = 0; k < items.length; k++) {
          const item = items[k];
          if (typeof item === 'string') items[k] = this.intern(item);
          else if (typeof item === 'object' && item !== null) pending.push(item);
        }
        continue;
      }
      if (Object.getPrototypeOf(next) !== Object.prototype) continue;
      const record = next as Record<string, unknown>;
      for (const key in record) {
        const field = record[key];
        // Equal strings compare equal whatever their copy: the copy is replaced unconditionally.
        if (typeof field === 'string') record[key] = this.intern(field);
        else if (typeof field === 'object' && field !== null) pending.push(field);
      }
    }
    return value;
  }
}

/** The canonical text of a small value: equal values (NaN, -0 and the infinities told apart) have the same key. */
export function valueKey(value: object): string {
  return singleFieldKey(value) ?? (holdsNumberJsonCannotWrite(value) ? JSON.stringify(value, distinctNumbers) : JSON.stringify(value));
}

/** JSON writes NaN and the infinities as null, and -0 as 0: here they stay apart. */
function distinctNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)) ? `\u0000${Object.is(value, -0) ? '-0' : String(value)}` : value;
}

/**
 * Whether a NaN, an infinity or -0 is held anywhere in `value`. Without them JSON.stringify writes the same text
 * with or without `distinctNumbers`, and without a replacer it is about a third faster (over the standard library's
 * size expressions).
 */
function holdsNumberJsonCannotWrite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value) || Object.is(value, -0);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsNumberJsonCannotWrite);
  for (const key in value) if (holdsNumberJsonCannotWrite((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * The key of a value of one string or finite number field (`{ n: 3 }`, `{ name: 'rows' }`: most size expressions),
 * without JSON.stringify and its replacer; undefined for any other value. It cannot equal a JSON text (those
 * start with `{` or `[`).
 */
function singleFieldKey(value: object): string | undefined {
  let key: string | undefined;
  for (const field in value) {
    if (key !== undefined) return undefined;
    key = field;
  }
  if (key === undefined || key.includes(':')) return undefined;
  const field = (value as Record<string, unknown>)[key];
  if (typeof field === 'string') return `${key}:s:${field}`;
  if (typeof field === 'number' && Number.isFinite(field) && !Object.is(field, -0)) return `${key}:n:${field}`;
  return undefined;
}
