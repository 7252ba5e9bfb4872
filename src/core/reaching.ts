/**
 * The language-neutral half of the flow-sensitive binding of local names (python/bindings.ts,
 * typescript/bindings.ts): the states of one forward pass over a function's statements, their joins at
 * the end of branches, its bounds, and what a use keeps of the state that reaches it.
 */

/** What reaches a use: a value node the language's pass bound to the name, `outside` (its value when the
 *  function started; for a declaration without a value, unset), or `opaque` (bound in a way the pass does
 *  not follow). */
export type Reaching<V> = V | 'outside' | 'opaque';

/** The bindings that may hold at one point, keyed by where their value starts in the file. */
export type FlowState<V> = Map<number | string, Reaching<V>>;

/** Past these, a use is left to the flow-insensitive resolution (hostile or generated code stays bounded). */
export const MAX_STATEMENTS = 2_000;
export const MAX_NESTING = 40;
/** More values than this reaching one use: not worth a verdict per value. */
export const MAX_VALUES = 8;

/** Thrown by a pass that meets code it does not follow, or one past the bounds. */
export class GiveUp extends Error {}

/** One binding, keyed by `startOf` its value. */
export function singleBinding<V>(binding: Reaching<V>, startOf: (value: V) => number): FlowState<V> {
  return new Map([[typeof binding === 'string' ? binding : startOf(binding as V), binding]]);
}

/** The state after paths that meet: any of their bindings may hold. */
export function joinStates<V>(...states: FlowState<V>[]): FlowState<V> {
  const joined: FlowState<V> = new Map();
  for (const state of states) for (const [key, binding] of state) joined.set(key, binding);
  return joined;
}

/** Counts statements and nesting of one pass against the bounds. */
export class PassBudget {
  private statements = 0;

  statement(): void {
    if (++this.statements > MAX_STATEMENTS) throw new GiveUp();
  }

  nest(depth: number): void {
    if (depth > MAX_NESTING) throw new GiveUp();
  }
}

/**
 * The bindings a use sees, from the state at the use (undefined when the pass gave up or did not reach
 * it). Undefined too when only the starting value reaches it (the function never binds the name on the
 * way) or too many values do. `outside` is kept only for a name whose starting value is real (a parameter).
 */
export function bindingsAtUse<V>(pass: () => FlowState<V> | undefined, keepsOutside: boolean): Reaching<V>[] | undefined {
  let state: FlowState<V> | undefined;
  try {
    state = pass();
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
  if (!state || (state.size === 1 && state.has('outside'))) return undefined;
  const bindings = [...state.values()].filter((binding) => binding !== 'outside' || keepsOutside);
  return bindings.length > 0 && bindings.length <= MAX_VALUES ? bindings : undefined;
}
