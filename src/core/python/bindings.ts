import type { Node } from '@vscode/tree-sitter-wasm';
import { bindingsAtUse, GiveUp, joinStates, MAX_VALUES, PassBudget, singleBinding, type FlowState, type Reaching } from '../reaching';
import { normalizeChain, splitChain } from './chain';

/**
 * Flow-sensitive binding of a local name: which of the values bound to it in a function reach one use.
 * One forward pass over the function's statements in order; branches (`if`/`elif`/`else`, `try`,
 * `match`, a loop's body that may not run) are joined, `return` and `raise` end a path. Loops are not
 * iterated to a fixpoint: a binding at the end of a loop body is not seen by a use earlier in the body.
 */

/** What reaches a use: the value node bound (`pool = X()`, `with X() as pool`, or the `for` statement
 *  whose target it is), `outside` (the value it had when the function started), or `opaque` (bound in a
 *  way the analysis does not follow: tuple unpacking, an import, a nested def). */
export type Binding = Reaching<Node>;

type State = FlowState<Node>;

/** Nodes between a use and its function: each step up costs a descent from the root in tree-sitter. */
const MAX_ENCLOSING = 200;

const single = (binding: Binding): State => singleBinding(binding, (value) => value.startIndex);
const join = joinStates<Node>;

const statementsOf = (block: Node | null): Node[] => (block?.namedChildren ?? []).filter((s): s is Node => s !== null && s.type !== 'comment');
const contains = (node: Node, offset: number): boolean => node.startIndex <= offset && offset < node.endIndex;

class ForwardPass {
  private readonly budget = new PassBudget();

  constructor(
    private readonly name: string,
    private readonly use: number,
  ) {}

  /** The state after `statements` run from `state`; `atUse` when the use is in one of them. */
  block(statements: readonly Node[], state: State, depth: number): { state: State; atUse?: State } {
    this.budget.nest(depth);
    let current = state;
    for (const statement of statements) {
      if (statement.startIndex > this.use) break;
      if (contains(statement, this.use)) return { state: current, atUse: this.inside(statement, current, depth) };
      current = this.after(statement, current, depth);
    }
    return { state: current };
  }

  private atUse(statements: readonly Node[], state: State, depth: number): State {
    return this.block(statements, state, depth + 1).atUse ?? state;
  }

  private after(statement: Node, state: State, depth: number): State {
    this.budget.statement();
    if (statement.type === 'return_statement' || statement.type === 'raise_statement') return new Map();
    if (state.size === 0 || !statement.text.includes(this.name)) return state;
    const next = depth + 1;
    switch (statement.type) {
      case 'expression_statement': {
        const expression = statement.namedChild(0);
        if (expression?.type === 'assignment') return this.assign(expression, state);
        if (expression?.type === 'augmented_assignment' && expression.childForFieldName('left')?.text === this.name) return single('opaque');
        return state;
      }
      case 'with_statement':
        return this.block(statementsOf(statement.childForFieldName('body')), this.withItems(statement, state), next).state;
      case 'if_statement': {
        const branches = [this.block(statementsOf(statement.childForFieldName('consequence')), state, next).state];
        let hasElse = false;
        for (const clause of statement.childrenForFieldName('alternative')) {
          if (!clause) continue;
          hasElse ||= clause.type === 'else_clause';
          const body = clause.type === 'else_clause' ? clause.childForFieldName('body') : clause.childForFieldName('consequence');
          branches.push(this.block(statementsOf(body), state, next).state);
        }
        return hasElse ? join(...branches) : join(state, ...branches);
      }
      case 'for_statement':
      case 'while_statement': {
        const body = this.block(statementsOf(statement.childForFieldName('body')), this.forTarget(statement, state), next).state;
        const afterLoop = join(state, body);
        const orElse = statement.childForFieldName('alternative');
        return orElse ? this.block(statementsOf(orElse.childForFieldName('body')), afterLoop, next).state : afterLoop;
      }
      case 'try_statement':
        return this.tryStatement(statement, state, depth).state;
      case 'match_statement': {
        const cases = statement.childForFieldName('body')?.namedChildren ?? [];
        return join(state, ...cases.map((c) => (c?.type === 'case_clause' ? this.block(statementsOf(c.childForFieldName('consequence')), state, next).state : state)));
      }
      case 'function_definition':
      case 'class_definition':
        return statement.childForFieldName('name')?.text === this.name ? single('opaque') : state;
      case 'decorated_definition':
        return statement.childForFieldName('definition')?.childForFieldName('name')?.text === this.name ? single('opaque') : state;
      case 'import_statement':
      case 'import_from_statement':
        return new RegExp(`\\b${this.name}\\b`).test(statement.text) ? single('opaque') : state;
      case 'global_statement':
      case 'nonlocal_statement':
        throw new GiveUp();
      default:
        return state;
    }
  }

  /** The state at the use, which is inside `statement`. */
  private inside(statement: Node, state: State, depth: number): State {
    switch (statement.type) {
      case 'with_statement': {
        const body = statement.childForFieldName('body');
        return body && contains(body, this.use) ? this.atUse(statementsOf(body), this.withItems(statement, state), depth) : state;
      }
      case 'if_statement': {
        const consequence = statement.childForFieldName('consequence');
        if (consequence && contains(consequence, this.use)) return this.atUse(statementsOf(consequence), state, depth);
        for (const clause of statement.childrenForFieldName('alternative')) {
          if (!clause || !contains(clause, this.use)) continue;
          const body = clause.type === 'else_clause' ? clause.childForFieldName('body') : clause.childForFieldName('consequence');
          return body && contains(body, this.use) ? this.atUse(statementsOf(body), state, depth) : state;
        }
        return state;
      }
      case 'for_statement':
      case 'while_statement': {
        const body = statement.childForFieldName('body');
        if (body && contains(body, this.use)) return this.atUse(statementsOf(body), this.forTarget(statement, state), depth);
        const orElse = statement.childForFieldName('alternative');
        if (!orElse || !contains(orElse, this.use)) return state;
        const afterLoop = join(state, this.block(statementsOf(body), this.forTarget(statement, state), depth + 1).state);
        return this.atUse(statementsOf(orElse.childForFieldName('body')), afterLoop, depth);
      }
      case 'try_statement':
        return this.tryStatement(statement, state, depth).atUse ?? state;
      case 'match_statement': {
        for (const c of statement.childForFieldName('body')?.namedChildren ?? []) {
          const body = c?.type === 'case_clause' ? c.childForFieldName('consequence') : null;
          if (body && contains(body, this.use)) return this.atUse(statementsOf(body), state, depth);
        }
        return state;
      }
      case 'class_definition': {
        const body = statement.childForFieldName('body');
        return body && contains(body, this.use) ? this.atUse(statementsOf(body), state, depth) : state;
      }
      case 'decorated_definition': {
        const definition = statement.childForFieldName('definition');
        return definition?.type === 'class_definition' ? this.inside(definition, state, depth + 1) : state;
      }
      default:
        return state;
    }
  }

  /** `try`: any statement of the body may raise, so a handler sees the state before and after it. */
  private tryStatement(statement: Node, state: State, depth: number): { state: State; atUse?: State } {
    const next = depth + 1;
    const body = this.block(statementsOf(statement.childForFieldName('body')), state, next);
    if (body.atUse) return body;
    const raised = join(state, body.state);
    const ends: State[] = [];
    let normal = body.state;
    let finallyBlock: Node | null = null;
    for (const clause of statement.namedChildren) {
      if (!clause) continue;
      if (clause.type === 'except_clause' || clause.type === 'except_group_clause') {
        const handler = this.block(statementsOf(clause.namedChildren.find((c) => c?.type === 'block') ?? null), raised, next);
        if (handler.atUse) return handler;
        ends.push(handler.state);
      } else if (clause.type === 'else_clause') {
        const orElse = this.block(statementsOf(clause.childForFieldName('body')), body.state, next);
        if (orElse.atUse) return orElse;
        normal = orElse.state;
      } else if (clause.type === 'finally_clause') {
        finallyBlock = clause.namedChildren.find((c) => c?.type === 'block') ?? null;
      }
    }
    const joined = join(normal, ...ends);
    return finallyBlock ? this.block(statementsOf(finallyBlock), join(joined, raised), next) : { state: joined };
  }

  /** `x = value` (also chained, `a = x = value`, and annotated); unpacking into `x` is opaque. */
  private assign(assignment: Node, state: State): State {
    let value: Node | null = assignment;
    let bound = false;
    let unpacked = false;
    while (value?.type === 'assignment') {
      const left = value.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === this.name) bound = true;
      else if (left && left.type !== 'identifier' && new RegExp(`\\b${this.name}\\b`).test(left.text) && left.type !== 'attribute' && left.type !== 'subscript') unpacked = true;
      value = value.childForFieldName('right');
    }
    if (unpacked) return single('opaque');
    if (!bound) return state;
    return value ? single(value) : state;
  }

  private withItems(statement: Node, state: State): State {
    let current = state;
    const clause = statement.namedChildren.find((child) => child?.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      const pattern = item?.namedChildren[0];
      if (pattern?.type !== 'as_pattern') continue;
      const [value, alias] = pattern.namedChildren;
      const target = alias?.namedChildren[0];
      if (value && target?.type === 'identifier' && target.text === this.name) current = single(value);
    }
    return current;
  }

  /** Inside a `for` loop over values: the name is one of them when it is the loop's target. */
  private forTarget(statement: Node, state: State): State {
    if (statement.type !== 'for_statement') return state;
    const left = statement.childForFieldName('left');
    if (left?.type === 'identifier') return left.text === this.name ? single(statement) : state;
    return left && new RegExp(`\\b${this.name}\\b`).test(left.text) ? single('opaque') : state;
  }
}

/** The function (or module) whose body binds the names a node uses. */
function scopeOf(node: Node): Node | null {
  let scope: Node | null = node.parent;
  for (let depth = 0; scope && scope.type !== 'function_definition' && scope.type !== 'module'; depth++) {
    if (depth > MAX_ENCLOSING) return null;
    scope = scope.parent;
  }
  return scope;
}

function parameterNames(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const param of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = param?.type === 'identifier' ? param : (param?.childForFieldName('name') ?? param?.namedChild(0));
    if (name?.type === 'identifier') names.add(name.text);
  }
  return names;
}

/**
 * The values bound to `name` that reach `use` in its function (or module). Undefined when no path
 * binds the name in the function (it is a parameter, a global, or a name of an enclosing function), or
 * when the function is too large or declares the name `global`/`nonlocal`.
 */
export function reachingBindings(name: string, use: Node): Binding[] | undefined {
  const scope = scopeOf(use);
  if (!scope) return undefined;
  const body = scope.type === 'module' ? statementsOf(scope) : statementsOf(scope.childForFieldName('body'));
  // A parameter's value is unknown; any other name not bound on a path is unbound there (an error).
  const keepsOutside = scope.type === 'function_definition' && parameterNames(scope).has(name);
  return bindingsAtUse(() => new ForwardPass(name, use.startIndex).block(body, single('outside'), 0).atUse, keepsOutside);
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'generator_expression']);
const COLLECTIONS = new Set(['list', 'tuple', 'set']);
const NAMED_VALUES = new Set(['call', 'identifier', 'attribute']);

/** Chains of the items of a collection built in the code: a comprehension's element, a literal's items (calls only). */
function itemChains(collection: Node): (string | null)[] | undefined {
  if (COMPREHENSIONS.has(collection.type)) {
    const element = collection.namedChildren[0];
    return [element?.type === 'call' ? normalizeChain(element.text) : null];
  }
  if (COLLECTIONS.has(collection.type)) {
    return collection.namedChildren.filter((item): item is Node => item !== null).map((item) => (item.type === 'call' ? normalizeChain(item.text) : null));
  }
  return undefined;
}

/** Chains of what a `for` loop's target holds: the items of its iterable. */
function loopItemChains(loop: Node): (string | null)[] {
  const iterable = loop.childForFieldName('right');
  if (!iterable) return [null];
  const literal = itemChains(iterable);
  if (literal) return literal;
  if (iterable.type === 'call' || iterable.type === 'attribute') return [`${normalizeChain(iterable.text)}[]`];
  if (iterable.type !== 'identifier') return [null];
  const collections = reachingBindings(iterable.text, iterable);
  if (!collections) return [`${iterable.text}[]`];
  return collections.flatMap((collection) => {
    if (typeof collection === 'string' || collection.type === 'for_statement') return [null];
    return itemChains(collection) ?? (NAMED_VALUES.has(collection.type) ? [`${normalizeChain(collection.text)}[]`] : [null]);
  });
}

/**
 * The chains (see chain.ts) `name` may hold at `use`, one per reaching binding (null: a value the
 * analysis does not follow); undefined when none is known (see `reachingBindings`).
 */
export function reachingChains(name: string, use: Node): (string | null)[] | undefined {
  const bindings = reachingBindings(name, use);
  if (!bindings) return undefined;
  const chains = new Set<string | null>();
  for (const binding of bindings) {
    if (typeof binding === 'string') chains.add(null);
    else if (binding.type === 'for_statement') for (const chain of loopItemChains(binding)) chains.add(chain);
    else chains.add(NAMED_VALUES.has(binding.type) ? normalizeChain(binding.text) : null);
  }
  return chains.size <= MAX_VALUES && [...chains].some((chain) => chain !== null) ? [...chains] : undefined;
}

/**
 * For a call that hands a task to a pool or a thread: the chains the receivers of its callee and of its
 * task (`pool` in `pool.map`, `s` in `target=s.run`) may hold at the call, for those the function binds;
 * undefined when there are none.
 */
export function receiverBindings(call: Node, callee: string, task: string | undefined): Record<string, (string | null)[]> | undefined {
  let found: Record<string, (string | null)[]> | undefined;
  for (const chain of task === undefined ? [callee] : [callee, task]) {
    const parts = splitChain(chain);
    const head = parts[0];
    if (parts.length < 2 || !head || head.call || head.subscript || head.name === 'self' || (found && Object.hasOwn(found, head.name))) continue;
    const chains = reachingChains(head.name, call);
    if (chains) (found ??= {})[head.name] = chains;
  }
  return found;
}
