import type { Range } from './model';

/**
 * The sizes and spreads a cost rests on when the code does not tell them: stated priors, the same for every
 * language (each analyzer says in its evidence when it used one).
 */

/** Items of a loop whose count the code does not tell. */
export const ASSUMED_ITEMS = 100;
/** Iterations of such a loop: a stated prior with a wide range ... */
export const ASSUMED_LOOP: Readonly<Range> = Object.freeze({ low: 10, likely: ASSUMED_ITEMS, high: 100_000 });
/** ... and of such a loop inside another (the fields of a record, the words of a line, more often than a second data set). */
export const ASSUMED_INNER_LOOP: Readonly<Range> = Object.freeze({ low: 2, likely: 10, high: 1000 });
/** Steps of a loop that only steps a value until its condition holds (the next open day, the next free slot): a search over a few values. */
export const ASSUMED_STEPS: Readonly<Range> = Object.freeze({ low: 1, likely: 10, high: 100 });
/** Calls a recursive function is assumed to make of itself. */
export const ASSUMED_RECURSION: Readonly<Range> = Object.freeze({ low: 10, likely: 1000, high: 100_000 });
/** A value written into a text whose size the code does not tell (an interpolated value, a joined word, a number): characters. */
export const ASSUMED_WORD_CHARS = 8;
/** The most values a remainder by a literal (`manifest(i % 4)`) may take and still count as the same few a call (both languages: a keyed cache or a memoized builder called with it answers from its cache). */
export const FEW_REMAINDERS = 16;
/** Buffers of unknown size are assumed this big (bytes). */
export const ASSUMED_BUFFER = 16 * 1024;
/** How far the likely seconds of a piece of work may be off: known sizes, a knowledge base's prior, a call the analyzer cannot see. */
export const KNOWN_SPREAD = 2;
export const PRIOR_SPREAD = 5;
export const UNKNOWN_SPREAD = 30;
/** Seconds of a call the analyzer cannot see into. */
export const UNKNOWN_CALL_SECONDS = 2e-6;
/** What a call priced by its kind's prior alone assumed (the evidence's words, both languages). */
export const UNKNOWN_WORK = 'work of unknown size assumed';
