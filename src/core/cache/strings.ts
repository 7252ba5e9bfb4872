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

  constructor(private readonly maxStrings = DEFAULT_MAX_STRINGS) {}

  get size(): number {
    return this.strings.size;
  }

  intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    if (this.strings.size >= this.maxStrings) this.strings.clear();
    this.strings.set(text, text);
    return text;
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
