import { ts } from 'ts-morph';
import { bindingsAtUse, GiveUp, joinStates, PassBudget, singleBinding, type FlowState, type Reaching } from '../reaching';

/**
 * Flow-sensitive binding of a local name in TypeScript/JavaScript: which of the values bound to it in a
 * function reach one use, by the same single forward pass as the Python side (python/bindings.ts):
 * branches (`if`/`else`, `switch`, `try`, a loop's body that may not run) are joined, `return` and
 * `throw` end a path, loops are not iterated to a fixpoint. Code that rebinds the name in a way the pass
 * does not follow (inside an expression, from a closure, a `let` that shadows it in a block) gives up:
 * the use is then left to the flow-insensitive resolution.
 */

const T = ts;

type State = FlowState<ts.Expression>;
type Binding = Reaching<ts.Expression>;

const single = (binding: Binding): State => singleBinding(binding, (value) => value.pos);
const join = joinStates<ts.Expression>;

const ASSIGNMENTS = new Set([
  T.SyntaxKind.EqualsToken,
  T.SyntaxKind.QuestionQuestionEqualsToken,
  T.SyntaxKind.BarBarEqualsToken,
  T.SyntaxKind.AmpersandAmpersandEqualsToken,
  T.SyntaxKind.PlusEqualsToken,
  T.SyntaxKind.MinusEqualsToken,
  T.SyntaxKind.AsteriskEqualsToken,
  T.SyntaxKind.SlashEqualsToken,
]);
/** `x ??= v` and co.: `x` keeps its value on one path. */
const CONDITIONAL_ASSIGNMENTS = new Set([T.SyntaxKind.QuestionQuestionEqualsToken, T.SyntaxKind.BarBarEqualsToken, T.SyntaxKind.AmpersandAmpersandEqualsToken]);

const contains = (node: ts.Node, offset: number): boolean => node.pos <= offset && offset < node.end;

function unwrapParentheses(node: ts.Expression): ts.Expression {
  while (T.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** Whether `pattern` (a destructuring target) names `name`. */
function patternNames(pattern: ts.Node, name: string): boolean {
  const pending: ts.Node[] = [pattern];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (T.isIdentifier(node) && node.text === name) return true;
    T.forEachChild(node, (child) => {
      pending.push(child);
    });
  }
  return false;
}

class ForwardPass {
  private readonly budget = new PassBudget();

  constructor(
    private readonly text: string,
    private readonly name: string,
    private readonly use: number,
  ) {}

  /** The state after `statements` run from `state`; `atUse` when the use is in one of them. */
  block(statements: readonly ts.Statement[], state: State, depth: number): { state: State; atUse?: State } {
    this.budget.nest(depth);
    let current = state;
    for (const statement of statements) {
      if (statement.pos > this.use) break;
      if (contains(statement, this.use)) return { state: current, atUse: this.inside(statement, current, depth) };
      current = this.after(statement, current, depth);
    }
    return { state: current };
  }

  private statementsOf(statement: ts.Statement): readonly ts.Statement[] {
    return T.isBlock(statement) ? statement.statements : [statement];
  }

  private atUse(statement: ts.Statement, state: State, depth: number): State {
    return this.block(this.statementsOf(statement), state, depth + 1).atUse ?? state;
  }

  private mentions(node: ts.Node): boolean {
    const at = this.text.indexOf(this.name, node.pos);
    return at >= 0 && at + this.name.length <= node.end;
  }

  /** Gives up when `node` (an expression, or code the pass does not walk) rebinds the name anywhere inside. */
  private refuseRebinding(node: ts.Node | undefined): void {
    if (!node || !this.mentions(node)) return;
    const pending: ts.Node[] = [node];
    for (let next = pending.pop(); next; next = pending.pop()) {
      this.budget.statement();
      if (T.isBinaryExpression(next) && ASSIGNMENTS.has(next.operatorToken.kind) && patternNames(unwrapParentheses(next.left), this.name)) throw new GiveUp();
      if ((T.isPrefixUnaryExpression(next) || T.isPostfixUnaryExpression(next)) && T.isIdentifier(next.operand) && next.operand.text === this.name) throw new GiveUp();
      if ((T.isVariableDeclaration(next) || T.isParameter(next) || T.isCatchClause(next)) && this.mentions(next)) {
        const declared = T.isCatchClause(next) ? next.variableDeclaration?.name : next.name;
        if (declared && patternNames(declared, this.name)) throw new GiveUp();
      }
      T.forEachChild(next, (child) => {
        if (this.mentions(child)) pending.push(child);
      });
    }
  }

  private after(statement: ts.Statement, state: State, depth: number): State {
    this.budget.statement();
    if (T.isReturnStatement(statement) || T.isThrowStatement(statement)) return new Map();
    if (state.size === 0 || !this.mentions(statement)) return state;
    const next = depth + 1;
    if (T.isVariableStatement(statement)) return this.declare(statement.declarationList, state, depth);
    if (T.isExpressionStatement(statement)) return this.assign(statement.expression, state);
    if (T.isBlock(statement)) return this.block(statement.statements, state, next).state;
    if (T.isIfStatement(statement)) {
      this.refuseRebinding(statement.expression);
      const then = this.block(this.statementsOf(statement.thenStatement), state, next).state;
      return statement.elseStatement ? join(then, this.block(this.statementsOf(statement.elseStatement), state, next).state) : join(state, then);
    }
    if (T.isIterationStatement(statement, false)) {
      this.loopHeader(statement);
      return join(state, this.block(this.statementsOf(statement.statement), state, next).state);
    }
    if (T.isTryStatement(statement)) return this.tryStatement(statement, state, depth).state;
    if (T.isSwitchStatement(statement)) return this.switchStatement(statement, state, depth).state;
    if (T.isLabeledStatement(statement)) return this.after(statement.statement, state, depth);
    if ((T.isFunctionDeclaration(statement) || T.isClassDeclaration(statement)) && statement.name?.text === this.name) return single('opaque');
    this.refuseRebinding(statement);
    return state;
  }

  /** The state at the use, which is inside `statement`. */
  private inside(statement: ts.Statement, state: State, depth: number): State {
    if (T.isBlock(statement)) return this.block(statement.statements, state, depth + 1).atUse ?? state;
    if (T.isIfStatement(statement)) {
      if (contains(statement.thenStatement, this.use)) return this.atUse(statement.thenStatement, state, depth);
      if (statement.elseStatement && contains(statement.elseStatement, this.use)) return this.atUse(statement.elseStatement, state, depth);
      return state;
    }
    if (T.isIterationStatement(statement, false)) {
      this.loopHeader(statement);
      return contains(statement.statement, this.use) ? this.atUse(statement.statement, state, depth) : state;
    }
    if (T.isTryStatement(statement)) return this.tryStatement(statement, state, depth).atUse ?? state;
    if (T.isSwitchStatement(statement)) return this.switchStatement(statement, state, depth).atUse ?? state;
    if (T.isLabeledStatement(statement)) return this.inside(statement.statement, state, depth);
    return state;
  }

  /** `let x = v`, `var x = v`; a `let`/`const` of the name in an inner block is another variable. */
  private declare(list: ts.VariableDeclarationList, state: State, depth: number): State {
    let current = state;
    for (const declaration of list.declarations) {
      this.refuseRebinding(declaration.initializer);
      if (!patternNames(declaration.name, this.name)) continue;
      if (depth > 0 && (list.flags & T.NodeFlags.BlockScoped) !== 0) throw new GiveUp();
      if (!T.isIdentifier(declaration.name)) current = single('opaque');
      else current = declaration.initializer ? single(declaration.initializer) : single('outside');
    }
    return current;
  }

  /** `x = v` (also chained, `a = x = v`), `x ??= v`; destructuring into `x` is opaque. */
  private assign(expression: ts.Expression, state: State): State {
    let value = unwrapParentheses(expression);
    let bound: 'always' | 'maybe' | undefined;
    while (T.isBinaryExpression(value) && ASSIGNMENTS.has(value.operatorToken.kind)) {
      const left = unwrapParentheses(value.left);
      if (T.isIdentifier(left) && left.text === this.name) {
        if (value.operatorToken.kind === T.SyntaxKind.EqualsToken) bound = 'always';
        else if (CONDITIONAL_ASSIGNMENTS.has(value.operatorToken.kind)) bound ??= 'maybe';
        else return single('opaque');
      } else if (!T.isIdentifier(left) && !T.isPropertyAccessExpression(left) && !T.isElementAccessExpression(left) && patternNames(left, this.name)) return single('opaque');
      value = unwrapParentheses(value.right);
    }
    this.refuseRebinding(value);
    if (bound === 'always') return single(value);
    return bound === 'maybe' ? join(state, single(value)) : state;
  }

  /** A loop's header may rebind only in ways the pass does not follow (`for (x of xs)` included). */
  private loopHeader(statement: ts.IterationStatement): void {
    if (T.isForStatement(statement)) {
      this.refuseRebinding(statement.initializer);
      this.refuseRebinding(statement.condition);
      this.refuseRebinding(statement.incrementor);
    } else if (T.isForOfStatement(statement) || T.isForInStatement(statement)) {
      if (patternNames(statement.initializer, this.name)) throw new GiveUp();
      this.refuseRebinding(statement.expression);
    } else if (T.isWhileStatement(statement) || T.isDoStatement(statement)) this.refuseRebinding(statement.expression);
  }

  /** `try`: any statement of the block may throw, so `catch` sees the state before and after it. */
  private tryStatement(statement: ts.TryStatement, state: State, depth: number): { state: State; atUse?: State } {
    const next = depth + 1;
    const body = this.block(statement.tryBlock.statements, state, next);
    if (body.atUse) return body;
    const raised = join(state, body.state);
    let end = body.state;
    if (statement.catchClause) {
      const declared = statement.catchClause.variableDeclaration?.name;
      if (declared && patternNames(declared, this.name)) throw new GiveUp();
      const handler = this.block(statement.catchClause.block.statements, raised, next);
      if (handler.atUse) return handler;
      end = join(end, handler.state);
    }
    return statement.finallyBlock ? this.block(statement.finallyBlock.statements, join(end, raised), next) : { state: end };
  }

  /** `switch`: a clause is entered from the switch or falls through from the one before it. */
  private switchStatement(statement: ts.SwitchStatement, state: State, depth: number): { state: State; atUse?: State } {
    this.refuseRebinding(statement.expression);
    const ends: State[] = [];
    let fallthrough: State = new Map();
    let hasDefault = false;
    for (const clause of statement.caseBlock.clauses) {
      hasDefault ||= T.isDefaultClause(clause);
      const result = this.block(clause.statements, join(state, fallthrough), depth + 1);
      if (result.atUse) return result;
      fallthrough = result.state;
      ends.push(result.state);
    }
    return { state: hasDefault ? join(...ends) : join(state, ...ends) };
  }
}

/**
 * The values bound to `name` that reach the use at offset `use` in the statements of a function (or a
 * module): each an expression, `outside` (the value from the scope around, for a name the function does
 * not declare, or a parameter) or `opaque`. Undefined when only the value from outside reaches it, when
 * the pass gives up, or when it is too large.
 */
export function reachingBindings(sf: ts.SourceFile, body: readonly ts.Statement[], name: string, use: number, declaredHere: boolean): Binding[] | undefined {
  return bindingsAtUse(() => new ForwardPass(sf.text, name, use).block(body, single('outside'), 0).atUse, !declaredHere);
}
