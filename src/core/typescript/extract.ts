import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { Deadline } from '../budget';
import { FEW_REMAINDERS } from '../cost/priors';
import { ITERATING_METHODS, ROUTE_METHODS, ZLIB_LEVELS } from '../knowledge/node';
import { reachingBindings } from './bindings';
import { SizeReader, SizeScope, THIS_FIELD, WRITTEN_TO } from './sizes';
import type { Built, HandlerKind, InlineMode, TsCallFact, TsClassFacts, TsFileFacts, TsFunctionFacts, TsLoopFact, TsLoopKind } from './facts';

/**
 * The compiler's namespace as a plain object: ts-morph re-exports TypeScript through getters, and the
 * extractor's switch over `SyntaxKind` and its `isX` tests run once per node (per edit, 2k-line files).
 */
const T = { ...ts } as typeof ts;

/** Source extensions the TypeScript analyzer reads, and the language each one is. */
export const SCRIPT_EXTENSIONS: Readonly<Record<string, 'typescript' | 'javascript'>> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
};

export function languageOf(file: string): 'typescript' | 'javascript' {
  return SCRIPT_EXTENSIONS[path.extname(file).toLowerCase()] ?? 'javascript';
}

function scriptKind(file: string): ts.ScriptKind {
  switch (path.extname(file).toLowerCase()) {
    case '.tsx':
      return T.ScriptKind.TSX;
    case '.jsx':
      return T.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return T.ScriptKind.JS;
    default:
      return T.ScriptKind.TS;
  }
}

/** A syntax tree without parent pointers or JSDoc (neither is needed, both cost time). */
export function parseSource(file: string, text: string): ts.SourceFile {
  return T.createSourceFile(file, text, { languageVersion: T.ScriptTarget.Latest, jsDocParsingMode: T.JSDocParsingMode.ParseNone }, false, scriptKind(file));
}

/**
 * The tree of `text` re-using `old` (the previous version of the same document): the changed span
 * is the text between the common prefix and the common suffix, and the compiler's incremental
 * parser re-parses only what it touches. `old` must not be used afterwards.
 */
export function updateSource(old: ts.SourceFile, text: string): ts.SourceFile {
  const before = old.text;
  if (before === text) return old;
  const shorter = Math.min(before.length, text.length);
  // Whole blocks first (a native comparison), then characters.
  const BLOCK = 512;
  let prefix = 0;
  while (prefix + BLOCK <= shorter && before.substr(prefix, BLOCK) === text.substr(prefix, BLOCK)) prefix += BLOCK;
  while (prefix < shorter && before.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + BLOCK <= shorter - prefix && before.substr(before.length - suffix - BLOCK, BLOCK) === text.substr(text.length - suffix - BLOCK, BLOCK)) suffix += BLOCK;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const range = T.createTextChangeRange(T.createTextSpan(prefix, before.length - prefix - suffix), text.length - prefix - suffix);
  return T.updateSourceFile(old, text, range);
}

/** The expression inside parentheses, `await`, `!`, `as`, `satisfies` and `<T>` assertions. */
function unwrap(node: ts.Expression): ts.Expression {
  for (;;) {
    if (T.isParenthesizedExpression(node) || T.isNonNullExpression(node) || T.isAsExpression(node) || T.isSatisfiesExpression(node) || T.isTypeAssertionExpression(node) || T.isAwaitExpression(node)) {
      node = node.expression;
    } else return node;
  }
}

/** The chain an expression names (see facts.ts). */
export function chainOf(node: ts.Node): string {
  switch (node.kind) {
    case T.SyntaxKind.Identifier:
      return (node as ts.Identifier).text;
    case T.SyntaxKind.PrivateIdentifier:
      return (node as ts.PrivateIdentifier).text;
    case T.SyntaxKind.ThisKeyword:
      return 'this';
    case T.SyntaxKind.SuperKeyword:
      return 'super';
    case T.SyntaxKind.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      return `${chainOf(access.expression)}.${access.name.text}`;
    }
    case T.SyntaxKind.ElementAccessExpression: {
      const access = node as ts.ElementAccessExpression;
      const key = access.argumentExpression;
      return T.isStringLiteral(key) ? `${chainOf(access.expression)}.${key.text}` : `${chainOf(access.expression)}[]`;
    }
    case T.SyntaxKind.CallExpression:
    case T.SyntaxKind.NewExpression:
      return `${chainOf((node as ts.CallExpression).expression)}()`;
    case T.SyntaxKind.ParenthesizedExpression:
    case T.SyntaxKind.NonNullExpression:
    case T.SyntaxKind.AsExpression:
    case T.SyntaxKind.SatisfiesExpression:
    case T.SyntaxKind.TypeAssertionExpression:
    case T.SyntaxKind.AwaitExpression:
      return chainOf((node as ts.ParenthesizedExpression).expression);
    case T.SyntaxKind.ArrayLiteralExpression:
      return '[]';
    case T.SyntaxKind.StringLiteral:
    case T.SyntaxKind.NoSubstitutionTemplateLiteral:
    case T.SyntaxKind.TemplateExpression:
      return '""';
    case T.SyntaxKind.MetaProperty:
      return 'import.meta';
    default:
      return '?';
  }
}

/** The chain a name holds once bound to `value`: `const readFileAsync = promisify(fs.readFile)` is fs.readFile. */
function boundChain(value: ts.Expression): string {
  const unwrapped = unwrap(value);
  if (T.isCallExpression(unwrapped) && chainOf(unwrapped.expression).endsWith('promisify') && unwrapped.arguments.length === 1) return chainOf(unwrapped.arguments[0] as ts.Expression);
  return chainOf(unwrapped);
}

function bodyStatements(node: FunctionNode): readonly ts.Statement[] | undefined {
  return node.body && T.isBlock(node.body) ? node.body.statements : undefined;
}

/** `let`/`const`/`var` of `name` among a function's own statements. */
function declaresAtTop(body: readonly ts.Statement[], name: string): boolean {
  return body.some((statement) => T.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => T.isIdentifier(d.name) && d.name.text === name));
}

/** `pg.Pool` from a type annotation that names a type (generic arguments dropped, `Promise<T>` is T). */
function typeName(type: ts.TypeNode | undefined): string | undefined {
  if (!type || !T.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  const text = T.isIdentifier(name) ? name.text : `${chainOf(name.left)}.${name.right.text}`;
  if (text === 'Promise' && type.typeArguments?.length === 1) return typeName(type.typeArguments[0]);
  return text;
}

/** A record without a prototype: names from the source (`constructor`, `toString`) are plain keys. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return T.canHaveModifiers(node) && (T.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

const ARITHMETIC = new Set<ts.SyntaxKind>([
  T.SyntaxKind.PlusToken, T.SyntaxKind.MinusToken, T.SyntaxKind.AsteriskToken, T.SyntaxKind.SlashToken,
  T.SyntaxKind.PercentToken, T.SyntaxKind.AsteriskAsteriskToken, T.SyntaxKind.LessThanLessThanToken,
  T.SyntaxKind.GreaterThanGreaterThanToken, T.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  T.SyntaxKind.AmpersandToken, T.SyntaxKind.BarToken, T.SyntaxKind.CaretToken, T.SyntaxKind.PlusEqualsToken,
  T.SyntaxKind.MinusEqualsToken, T.SyntaxKind.AsteriskEqualsToken, T.SyntaxKind.SlashEqualsToken,
  T.SyntaxKind.PercentEqualsToken, T.SyntaxKind.AsteriskAsteriskEqualsToken, T.SyntaxKind.LessThanLessThanEqualsToken,
  T.SyntaxKind.GreaterThanGreaterThanEqualsToken, T.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  T.SyntaxKind.AmpersandEqualsToken, T.SyntaxKind.BarEqualsToken, T.SyntaxKind.CaretEqualsToken,
]);

const HTTP_METHOD_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const REQUEST_PARAMS = new Set(['req', 'request']);
const RESPONSE_PARAMS = new Set(['res', 'response', 'reply']);
/** A loop over at most this many literal items is a few statements, not a loop over data. */
const SHORT_LOOP = 8;
/** What the parameters of a promise's executor are, in order. */
const PROMISE_SETTLERS = ['Promise.resolve', 'Promise.reject'];
const MAX_SYNTAX_ERRORS = 5;
const SUPPRESSION = /(?:\/\/|\/\*)\s*concurrency-lens:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\])?/g;

/** What `visit` does with a node, by kind (a table: a `switch` over `SyntaxKind` members compares them one by one). */
const enum Act {
  Children,
  Skip,
  Import,
  Export,
  ExportAssignment,
  FunctionDeclaration,
  Class,
  VariableStatement,
  VariableDeclarationList,
  ExpressionStatement,
  If,
  Return,
  Await,
  For,
  ForOfIn,
  While,
  Do,
  Binary,
  Unary,
  Call,
  FunctionExpression,
  Method,
  ElementAccess,
  Template,
  ObjectLiteral,
  Name,
}

const ACTION = ((): Uint8Array => {
  const table = new Uint8Array(T.SyntaxKind.Count);
  for (let kind = T.SyntaxKind.FirstTypeNode; kind <= T.SyntaxKind.LastTypeNode; kind++) table[kind] = Act.Skip;
  const set: [ts.SyntaxKind, Act][] = [
    [T.SyntaxKind.InterfaceDeclaration, Act.Skip],
    [T.SyntaxKind.TypeAliasDeclaration, Act.Skip],
    [T.SyntaxKind.ImportEqualsDeclaration, Act.Skip],
    [T.SyntaxKind.ImportDeclaration, Act.Import],
    [T.SyntaxKind.ExportDeclaration, Act.Export],
    [T.SyntaxKind.ExportAssignment, Act.ExportAssignment],
    [T.SyntaxKind.FunctionDeclaration, Act.FunctionDeclaration],
    [T.SyntaxKind.ClassDeclaration, Act.Class],
    [T.SyntaxKind.ClassExpression, Act.Class],
    [T.SyntaxKind.VariableStatement, Act.VariableStatement],
    [T.SyntaxKind.VariableDeclarationList, Act.VariableDeclarationList],
    [T.SyntaxKind.ExpressionStatement, Act.ExpressionStatement],
    [T.SyntaxKind.IfStatement, Act.If],
    [T.SyntaxKind.ReturnStatement, Act.Return],
    [T.SyntaxKind.AwaitExpression, Act.Await],
    [T.SyntaxKind.ForStatement, Act.For],
    [T.SyntaxKind.ForOfStatement, Act.ForOfIn],
    [T.SyntaxKind.ForInStatement, Act.ForOfIn],
    [T.SyntaxKind.WhileStatement, Act.While],
    [T.SyntaxKind.DoStatement, Act.Do],
    [T.SyntaxKind.BinaryExpression, Act.Binary],
    [T.SyntaxKind.PrefixUnaryExpression, Act.Unary],
    [T.SyntaxKind.PostfixUnaryExpression, Act.Unary],
    [T.SyntaxKind.CallExpression, Act.Call],
    [T.SyntaxKind.NewExpression, Act.Call],
    [T.SyntaxKind.ArrowFunction, Act.FunctionExpression],
    [T.SyntaxKind.FunctionExpression, Act.FunctionExpression],
    [T.SyntaxKind.MethodDeclaration, Act.Method],
    [T.SyntaxKind.GetAccessor, Act.Method],
    [T.SyntaxKind.SetAccessor, Act.Method],
    [T.SyntaxKind.ElementAccessExpression, Act.ElementAccess],
    [T.SyntaxKind.TemplateExpression, Act.Template],
    [T.SyntaxKind.ObjectLiteralExpression, Act.ObjectLiteral],
    [T.SyntaxKind.Identifier, Act.Name],
  ];
  for (const [kind, act] of set) table[kind] = act;
  return table;
})();

/** The values built by the code `ctx` is in: its innermost loop's, or the function's own outside loops. */
function builtBy(ctx: Ctx): Built {
  const owner = ctx.loop !== undefined ? (ctx.fn.loops[ctx.loop] as TsLoopFact) : ctx.fn;
  return (owner.built ??= { parts: 0, objects: 0 });
}

/** A literal this large in a `%` (`% 1_000_003`, `k * 2654435761 % n`) makes its operands leave int32. */
const WIDE_LITERAL = 2 ** 16;
/** Nodes of a `%` expression looked at for such a literal (bounded work per expression). */
const MAX_MODULO_NODES = 64;
/** Nodes of an `if (!existsSync(file))` block searched for the call that makes the file (bounded work per function). */
const MAX_SCANNED_NODES = 2_000;

/** `a % b` (or `a %= b`) where a literal of at least 2^16 takes part: V8 computes it in floating point (fmod), not as an int32 remainder. */
function isWideModulo(binary: ts.BinaryExpression): boolean {
  const op = binary.operatorToken.kind;
  if (op !== T.SyntaxKind.PercentToken && op !== T.SyntaxKind.PercentEqualsToken) return false;
  const stack: ts.Node[] = [binary.left, binary.right];
  for (let seen = 0; stack.length > 0 && seen < MAX_MODULO_NODES; seen++) {
    const node = stack.pop() as ts.Node;
    if (T.isNumericLiteral(node) && Number(node.text.replace(/_/g, '')) >= WIDE_LITERAL) return true;
    if (T.isBinaryExpression(node) || T.isParenthesizedExpression(node) || T.isPrefixUnaryExpression(node)) T.forEachChild(node, (child) => void stack.push(child));
  }
  return false;
}

/** The compression level an options argument states (`{ level: 9 }`; Brotli's `{ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }`). */
function compressionLevel(args: readonly ts.Expression[]): number | undefined {
  for (const arg of args) {
    const options = unwrap(arg);
    if (!T.isObjectLiteralExpression(options)) continue;
    const level = options.properties.find((property) => T.isPropertyAssignment(property) && T.isIdentifier(property.name) && property.name.text === 'level');
    if (level && T.isPropertyAssignment(level)) return levelValue(level.initializer);
    const params = options.properties.find((property) => T.isPropertyAssignment(property) && T.isIdentifier(property.name) && property.name.text === 'params');
    const quality = params && T.isPropertyAssignment(params) && T.isObjectLiteralExpression(unwrap(params.initializer))
      ? (unwrap(params.initializer) as ts.ObjectLiteralExpression).properties.find((property) => T.isPropertyAssignment(property) && T.isComputedPropertyName(property.name) && chainOf(property.name.expression).endsWith('BROTLI_PARAM_QUALITY'))
      : undefined;
    if (quality && T.isPropertyAssignment(quality)) return levelValue(quality.initializer);
  }
  return undefined;
}

/** `9`, `zlib.constants.Z_BEST_COMPRESSION`, or the number written first in a sum (`9 - (i % 2)`: the level varies by one). */
function levelValue(node: ts.Expression): number | undefined {
  const value = unwrap(node);
  if (T.isNumericLiteral(value)) return Number(value.text);
  if (T.isBinaryExpression(value) && (value.operatorToken.kind === T.SyntaxKind.PlusToken || value.operatorToken.kind === T.SyntaxKind.MinusToken)) return levelValue(value.left);
  return ZLIB_LEVELS[chainOf(value).split('.').pop() ?? ''];
}

/** Calls that parse their first argument when it is text (`new Date(permit.expires)`), not when it is a number. */
const TEXT_PARSERS = new Set(['Date']);
/** Calls whose result is a number: `Date.UTC(…)`, `Math.floor(…)`, `row.getTime()`. */
const NUMBER_RESULTS = /^(Date\.(UTC|now)|Math\.\w+|Number|parseInt|parseFloat|Number\.\w+)$|\.(getTime|valueOf|charCodeAt|codePointAt|indexOf)$/;
/** Operators whose result is a number whatever their operands are (`+` is not one: it joins text). */
const NUMBER_OPERATORS = new Set([T.SyntaxKind.MinusToken, T.SyntaxKind.AsteriskToken, T.SyntaxKind.SlashToken, T.SyntaxKind.PercentToken, T.SyntaxKind.AsteriskAsteriskToken, T.SyntaxKind.AmpersandToken, T.SyntaxKind.BarToken, T.SyntaxKind.CaretToken, T.SyntaxKind.LessThanLessThanToken, T.SyntaxKind.GreaterThanGreaterThanToken, T.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]);

/** A number the code computes (`start + hour * 3_600_000`, `Date.UTC(2026, 0, 1)`, `xs.length`), as opposed to a value that may be text. */
function isComputedNumber(node: ts.Expression): boolean {
  const value = unwrap(node);
  if (T.isNumericLiteral(value) || T.isBigIntLiteral(value)) return true;
  if (T.isPrefixUnaryExpression(value)) return value.operator !== T.SyntaxKind.ExclamationToken;
  if (T.isBinaryExpression(value)) {
    if (NUMBER_OPERATORS.has(value.operatorToken.kind)) return true;
    return value.operatorToken.kind === T.SyntaxKind.PlusToken && (isComputedNumber(value.left) || isComputedNumber(value.right));
  }
  if (T.isPropertyAccessExpression(value)) return value.name.text === 'length';
  return T.isCallExpression(value) && NUMBER_RESULTS.test(chainOf(value.expression));
}

/** A literal, or a function written in place: the same value, or the same code, at every call. */
function isConstant(node: ts.Expression): boolean {
  const value = unwrap(node);
  switch (value.kind) {
    case T.SyntaxKind.ArrowFunction:
    case T.SyntaxKind.FunctionExpression:
    case T.SyntaxKind.StringLiteral:
    case T.SyntaxKind.NumericLiteral:
    case T.SyntaxKind.NoSubstitutionTemplateLiteral:
    case T.SyntaxKind.TrueKeyword:
    case T.SyntaxKind.FalseKeyword:
    case T.SyntaxKind.NullKeyword:
      return true;
    default:
      return T.isIdentifier(value) && value.text === 'undefined';
  }
}

/** Calls of a random generator: `Math.random()`, `crypto.randomInt`/`randomBytes`/`randomUUID`, a generator closure `random()` or `rng()`. */
const RANDOM_SOURCE = /^(Math\.random|(crypto\.)?random(Int|Bytes|UUID)|random|rng|prng|rand|nextRandom)$/;

/** What `args` hand a child process: the `input` of an options object (the first), the elements of arguments arrays (files it may read). */
function childInputs(args: readonly ts.Expression[]): ChildInputs {
  let input: ts.Expression | undefined;
  const elements: ts.Expression[] = [];
  for (const arg of args) {
    const value = unwrap(arg);
    if (T.isArrayLiteralExpression(value)) elements.push(...value.elements);
    else if (T.isObjectLiteralExpression(value) && input === undefined) {
      const given = value.properties.find((property) => T.isPropertyAssignment(property) && T.isIdentifier(property.name) && property.name.text === 'input');
      if (given && T.isPropertyAssignment(given)) input = given.initializer;
    }
  }
  return { input, elements };
}

interface ChildInputs {
  input: ts.Expression | undefined;
  elements: ts.Expression[];
}

/** The calls whose results a child process is handed (`input: tmxExportText()`, a file argument `quarterlyReturnFile()`). */
function childInputMakers({ input, elements }: ChildInputs): string[] {
  const makers: string[] = [];
  for (const node of input ? [...elements, input] : elements) {
    const value = unwrap(node);
    if (T.isCallExpression(value) && chainOf(value.expression) !== '?') makers.push(chainOf(value.expression));
  }
  return makers;
}

/** Operators that keep a value among the same few when both operands are (`till + 900`, `k * 4`). */
const FEW_KEEPING = new Set([T.SyntaxKind.PlusToken, T.SyntaxKind.MinusToken, T.SyntaxKind.AsteriskToken, T.SyntaxKind.SlashToken, T.SyntaxKind.PercentToken]);

/**
 * A value among the same few call after call: a constant, a remainder by a small literal (`i % 3`), a name bound to such a
 * value (`sameFew`: `const id = \`dlc-${i % 3}\``, the index of a callback over a fixed count), or made of those (a template,
 * arithmetic, a choice between two).
 */
function takesSameFew(node: ts.Expression, sameFew: ReadonlySet<string> | undefined): boolean {
  const value = unwrap(node);
  if (isConstant(value)) return true;
  if (T.isIdentifier(value)) return sameFew?.has(value.text) === true;
  if (T.isBinaryExpression(value)) {
    const divisor = unwrap(value.right);
    if (value.operatorToken.kind === T.SyntaxKind.PercentToken && T.isNumericLiteral(divisor) && Number(divisor.text.replace(/_/g, '')) <= FEW_REMAINDERS) return true;
    return FEW_KEEPING.has(value.operatorToken.kind) && takesSameFew(value.left, sameFew) && takesSameFew(value.right, sameFew);
  }
  if (T.isTemplateExpression(value)) return value.templateSpans.every((span) => takesSameFew(span.expression, sameFew));
  if (T.isConditionalExpression(value)) return takesSameFew(value.whenTrue, sameFew) && takesSameFew(value.whenFalse, sameFew);
  return false;
}

/** `cache`, `this.cache` as a chain, when `test` checks that it is not set yet (`!cache`, `cache === undefined`, `cache == null`). */
function unsetTested(test: ts.Expression): string | undefined {
  const value = unwrap(test);
  if (T.isPrefixUnaryExpression(value) && value.operator === T.SyntaxKind.ExclamationToken) return chainOf(value.operand);
  if (T.isBinaryExpression(value)) {
    const op = value.operatorToken.kind;
    if (op !== T.SyntaxKind.EqualsEqualsEqualsToken && op !== T.SyntaxKind.EqualsEqualsToken) return undefined;
    const right = unwrap(value.right);
    if (right.kind === T.SyntaxKind.NullKeyword || (T.isIdentifier(right) && right.text === 'undefined')) return chainOf(value.left);
  }
  return undefined;
}

/** `cache`, `this.cache` as a chain, when `test` checks that it is set (`cache`, `cache !== null`, `cache != undefined`). */
function setTested(test: ts.Expression): string | undefined {
  const value = unwrap(test);
  if (T.isIdentifier(value) || T.isPropertyAccessExpression(value)) return chainOf(value);
  if (T.isBinaryExpression(value)) {
    const op = value.operatorToken.kind;
    if (op !== T.SyntaxKind.ExclamationEqualsEqualsToken && op !== T.SyntaxKind.ExclamationEqualsToken) return undefined;
    const right = unwrap(value.right);
    if (right.kind === T.SyntaxKind.NullKeyword || (T.isIdentifier(right) && right.text === 'undefined')) return chainOf(value.left);
  }
  return undefined;
}

/** The chain `test` tests (`tested`) when the statement's only work is to return it: `if (cache) return cache;`. */
function returnedWhen(statement: ts.IfStatement, tested: (test: ts.Expression) => string | undefined): string | undefined {
  if (statement.elseStatement) return undefined;
  const chain = tested(statement.expression);
  const block = statement.thenStatement;
  const only = T.isBlock(block) ? (block.statements.length === 1 ? block.statements[0] : undefined) : block;
  return chain !== undefined && chain !== '?' && only && T.isReturnStatement(only) && only.expression && chainOf(only.expression) === chain ? chain : undefined;
}

/** `cache` of `if (cache) return cache;`: a value returned early once it is set. */
function returnedWhenSet(statement: ts.IfStatement): string | undefined {
  return returnedWhen(statement, setTested);
}

/**
 * `report` when `statement` is `if (report === undefined) { …; report = built; cache.set(month, report); }` (no else): the
 * local a keyed cache's miss fills (`let report = cache.get(month);` before it, `return report;` after), built on a miss.
 */
function keyedCacheFill(statement: ts.IfStatement): string | undefined {
  if (statement.elseStatement) return undefined;
  const local = unsetTested(statement.expression);
  if (local === undefined || !/^[\w$]+$/.test(local)) return undefined;
  const block = statement.thenStatement;
  const stored = (T.isBlock(block) ? block.statements : [block]).some((inner) => {
    const call = T.isExpressionStatement(inner) ? unwrap(inner.expression) : undefined;
    return call !== undefined && T.isCallExpression(call) && T.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'set' && call.arguments.length === 2 && chainOf(call.arguments[1] as ts.Expression) === local;
  });
  return stored ? local : undefined;
}

/** The map and key of `!cache.has(key)`, a test that a key is not cached yet. */
function mapMissTested(test: ts.Expression): { chain: string; key: string } | undefined {
  const value = unwrap(test);
  if (!T.isPrefixUnaryExpression(value) || value.operator !== T.SyntaxKind.ExclamationToken) return undefined;
  const check = unwrap(value.operand);
  if (!T.isCallExpression(check) || !T.isPropertyAccessExpression(check.expression) || check.expression.name.text !== 'has' || check.arguments.length !== 1) return undefined;
  const chain = chainOf(check.expression.expression);
  const key = chainOf(check.arguments[0] as ts.Expression);
  return chain === '?' || key === '?' ? undefined : { chain, key };
}

/** `node` is `map.method(key, …)` (`cache.set(key, value);`, `cache.get(key)`). */
function isMapCall(node: ts.Node, method: string, map: { chain: string; key: string }): boolean {
  const value = T.isExpressionStatement(node) ? unwrap(node.expression) : T.isExpression(node) ? unwrap(node) : node;
  if (!T.isCallExpression(value) || !T.isPropertyAccessExpression(value.expression) || value.expression.name.text !== method) return false;
  const key = value.arguments[0];
  return chainOf(value.expression.expression) === map.chain && key !== undefined && chainOf(key) === map.key;
}

/** `cache ??= build()`. */
function isNullishAssignment(expression: ts.Expression): boolean {
  const value = unwrap(expression);
  return T.isBinaryExpression(value) && value.operatorToken.kind === T.SyntaxKind.QuestionQuestionEqualsToken;
}

/** An RSA key's modulus when the code does not write one. */
const DEFAULT_RSA_BITS = 2048;
const KEY_PAIR_MADE = /generateKeyPair(?:Sync)?\(\s*['"`]([\w-]+)['"`]\s*(?:,\s*\{[^}]*?modulusLength:\s*([\d_]+))?/g;

/** The key pairs a module's text makes: the largest RSA modulus written (2048 for an RSA pair of none), and whether it makes other kinds. */
function keyPairsIn(text: string): { rsaBits?: number; others: boolean } {
  let rsaBits: number | undefined;
  let others = false;
  for (const [, type, bits] of text.matchAll(KEY_PAIR_MADE)) {
    if (type === 'rsa' || type === 'rsa-pss') rsaBits = Math.max(rsaBits ?? 0, bits ? Number(bits.replace(/_/g, '')) : DEFAULT_RSA_BITS);
    else others = true;
  }
  return { ...(rsaBits !== undefined && { rsaBits }), others };
}

/** Calls that put a file in place. */
const FILE_MAKERS = new Set(['writeFileSync', 'renameSync', 'copyFileSync', 'appendFileSync']);
/** Writes of a whole file from a value (`fs.writeFileSync(file, text)`, `await fs.promises.writeFile(file, text)`): the file then holds as much. */
const FILE_WRITES = new Set(['writeFileSync', 'writeFile']);

/**
 * `file` when `statement` is `if (!fs.existsSync(file)) { …; fs.writeFileSync(file, …); }`: a file made the first
 * time it is missing, which later calls find in place.
 */
function fileMadeIfMissing(statement: ts.IfStatement): string | undefined {
  const test = unwrap(statement.expression);
  if (!T.isPrefixUnaryExpression(test) || test.operator !== T.SyntaxKind.ExclamationToken) return undefined;
  const file = existsTested(test.operand);
  return file !== undefined && putsFileInPlace(statement.thenStatement) ? file : undefined;
}

/** `file` of `fs.existsSync(file)`. */
function existsTested(test: ts.Expression): string | undefined {
  const check = unwrap(test);
  if (!T.isCallExpression(check) || !/(^|\.)existsSync$/.test(chainOf(check.expression)) || check.arguments.length !== 1) return undefined;
  const file = chainOf(check.arguments[0] as ts.Expression);
  return file === '?' ? undefined : file;
}

/** Whether `node` holds a call that puts a file in place (`fs.writeFileSync(…)`, `fs.renameSync(partial, file)`). */
function putsFileInPlace(node: ts.Node): boolean {
  const pending: ts.Node[] = [node];
  for (let visited = 0; pending.length > 0 && visited < MAX_SCANNED_NODES; visited++) {
    const next = pending.pop() as ts.Node;
    if (T.isCallExpression(next) && FILE_MAKERS.has(chainOf(next.expression).split('.').pop() ?? '')) return true;
    next.forEachChild((child) => {
      pending.push(child);
    });
  }
  return false;
}

/** `file` of `if (fs.existsSync(file)) return file;`: a file answered at once when it is already there. */
function returnedWhenExists(statement: ts.Statement): string | undefined {
  return T.isIfStatement(statement) ? returnedWhen(statement, existsTested) : undefined;
}

/**
 * The body makes a file when it is missing and returns it: `fileMadeIfMissing`, then `return file`; or the early-return form
 * of a write-once helper (`if (fs.existsSync(file)) return file;`, then statements that write it, then `return file`).
 */
function returnsFileMadeIfMissing(body: ts.Block): boolean {
  let file: string | undefined;
  let existing: string | undefined;
  let written = false;
  for (const statement of body.statements) {
    const returnedIfThere = existing === undefined && file === undefined ? returnedWhenExists(statement) : undefined;
    if (returnedIfThere !== undefined) existing = returnedIfThere;
    else if (T.isIfStatement(statement) && !statement.elseStatement) file = fileMadeIfMissing(statement) ?? file;
    else if (T.isReturnStatement(statement) && statement.expression) {
      const returned = chainOf(unwrap(statement.expression));
      return (file !== undefined && returned === file) || (existing !== undefined && written && returned === existing);
    } else if (existing !== undefined && putsFileInPlace(statement)) written = true;
  }
  return false;
}

/** The call when `body` is one `return f(…)` or an arrow's `f(…)`. */
function wrappedCallOf(body: ts.ConciseBody): ts.CallExpression | undefined {
  const only = T.isBlock(body) ? (body.statements.length === 1 ? body.statements[0] : undefined) : undefined;
  const value = T.isBlock(body) ? (only && T.isReturnStatement(only) ? only.expression : undefined) : body;
  const call = value && unwrap(value);
  return call && T.isCallExpression(call) ? call : undefined;
}

/** The callee's chain of `wrappedCallOf(body)`, when it names a function (`f`, `helpers.f`). */
function wrappedCall(body: ts.ConciseBody): string | undefined {
  const call = wrappedCallOf(body);
  const chain = call && chainOf(call.expression);
  return chain === undefined || chain.includes('?') || chain.includes('(') ? undefined : chain;
}

/** `if (cache === undefined) { …; cache = build(); }` (no else): the chain tested unset and the value the block sets it to. */
function unsetThenSet(statement: ts.IfStatement): { chain: string; value: ts.Expression } | undefined {
  if (statement.elseStatement) return undefined;
  const chain = unsetTested(statement.expression);
  if (chain === undefined || chain === '?') return undefined;
  const block = statement.thenStatement;
  for (const inner of T.isBlock(block) ? block.statements : [block]) {
    const assignment = T.isExpressionStatement(inner) ? unwrap(inner.expression) : undefined;
    if (assignment && T.isBinaryExpression(assignment) && assignment.operatorToken.kind === T.SyntaxKind.EqualsToken && chainOf(assignment.left) === chain) return { chain, value: assignment.right };
  }
  return undefined;
}

/**
 * Lazy initialization, the memoization idiom of JavaScript: the function builds a value the first
 * time (`if (!cache) { cache = build(); }`, `cache ??= build()`, `if (cache) return cache; …; cache = built;`, or per key in a map:
 * `if (!cache.has(key)) cache.set(key, build()); return cache.get(key);`, or a file made when missing: `returnsFileMadeIfMissing`)
 * and returns it, so after the first call it costs a lookup.
 */
function isLazyInitialization(body: ts.Block): boolean {
  if (returnsFileMadeIfMissing(body)) return true;
  /** What the return must give: the chain set (or the local it was set to: `cache = built; return built;`), or the map read at the key it set. */
  let guarded: { chain: string; key?: string; local?: string } | undefined;
  /** A value returned early once set (`if (cache) return cache;`), which the body must then set before it returns it. */
  let early: string | undefined;
  for (const statement of body.statements) {
    if (T.isIfStatement(statement) && !statement.elseStatement && guarded === undefined && early === undefined && returnedWhenSet(statement) !== undefined) {
      early = returnedWhenSet(statement);
    } else if (early !== undefined && T.isExpressionStatement(statement) && T.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === T.SyntaxKind.EqualsToken && chainOf(statement.expression.left) === early) {
      const value = unwrap(statement.expression.right);
      guarded = { chain: early, ...(T.isIdentifier(value) && { local: value.text }) };
    } else if (T.isIfStatement(statement) && !statement.elseStatement) {
      const block = statement.thenStatement;
      const statements = T.isBlock(block) ? block.statements : [block];
      const missing = mapMissTested(statement.expression);
      if (missing) {
        if (statements.some((s) => isMapCall(s, 'set', missing))) guarded = missing;
        continue;
      }
      const set = unsetThenSet(statement);
      if (set) guarded = { chain: set.chain };
    } else if (T.isExpressionStatement(statement) && T.isBinaryExpression(statement.expression) && isNullishAssignment(statement.expression)) {
      guarded = { chain: chainOf(statement.expression.left) };
    } else if (T.isReturnStatement(statement) && statement.expression) {
      if (isNullishAssignment(statement.expression)) return true;
      if (guarded === undefined) return false;
      const returned = unwrap(statement.expression);
      return guarded.key === undefined ? chainOf(returned) === guarded.chain || chainOf(returned) === guarded.local : isMapCall(returned, 'get', { chain: guarded.chain, key: guarded.key });
    }
  }
  return false;
}

interface Ctx {
  fn: TsFunctionFacts;
  loopDepth: number;
  /** Qualname prefix for named functions declared here. */
  prefix: string;
  className?: string;
  /** Calls returned from this function are promises (an async function, or a callback handed to Promise.all). */
  returnsPromises: boolean;
  /** Inside a loop sized by the worker or core count. */
  poolLoop?: boolean;
  /** Index (in `fn.loops`) of the innermost loop around the code. */
  loop?: number;
  /** Names bound to sizes the code tells (`const n = 90`), with the enclosing functions' behind. */
  sizes: SizeScope;
  /** The function's own parameters and the names it has declared so far (not the module's, nor an enclosing function's). */
  declared?: Set<string>;
  /** Under a test that a module or closure variable is still unset, which the code then sets, that a file is missing, which it
   *  then makes, or that a module's map lacks a key among the same few, which it then sets: runs on a first call only. */
  once?: true;
  /** Names the function declared inside a loop: the index (in `fn.loops`) of the innermost loop around each. */
  declaredInLoop?: Map<string, number>;
  /** Names holding one of the same few values call after call (`takesSameFew`): keys a cache answers after the first calls. */
  sameFew?: Set<string>;
}

/** Iterating methods whose callback takes an item of the receiver first (not an accumulator, nor a pair to compare). */
const ITEM_FIRST_METHODS = new Set([...ITERATING_METHODS].filter((method) => !/^(reduce|reduceRight|sort|toSorted|from)$/.test(method)));

/** Callbacks run later, from the event loop (events, promise reactions, timers): `deferred`. */
const DEFERRING_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'addEventListener', 'then', 'catch', 'finally']);
const DEFERRING_CALLS = new Set(['setTimeout', 'setImmediate', 'setInterval', 'process.nextTick', 'queueMicrotask']);

/** A loop bound that counts workers or cores, not tasks. */
const POOL_SIZE = /cpus|availableParallelism|cores|pool|worker|thread|concurrency|parallel/i;

/** Facts of one file, in one pass over its syntax tree. */
/** The facts of a parsed file; past `deadline` the extraction stops (BudgetExceeded). */
export function extractFacts(sf: ts.SourceFile, deadline?: Deadline): TsFileFacts {
  return new Extractor(sf, deadline).run();
}

class Extractor {
  private readonly facts: TsFileFacts = {
    functions: [],
    imports: dict(),
    exports: dict(),
    reexports: [],
    classes: dict(),
    workerHandlers: [],
    syntaxErrors: [],
    suppressions: dict(),
  };
  /** Calls whose result is used as a promise (marked by the expression around them, visited first). */
  private readonly awaitedCalls = new Set<ts.Node>();
  /** Stream stages of a pipeline from a sized file (visited after the pipeline's call), with the bytes that pass through them. */
  private readonly streamedStages = new Map<ts.Node, number>();
  /** Names passed as route handlers and worker message handlers, resolved once every declaration is seen. */
  private readonly handlerRefs: string[] = [];
  private readonly workerHandlerRefs: string[] = [];
  /** Names a function assigns in its own code after their declaration (`run = promisify(exec)`), by function id. */
  private readonly reboundNames = new Map<number, Set<string>>();
  /** What each function's return statements gave so far, by function id (null: nothing to follow, or returns that disagree). */
  private readonly returnsSeen = new Map<number, number | string | null>();
  /** Calls whose callee starts with a plain name, with the function they are in: resolved per reaching binding when the name is rebound. */
  private readonly namedCalls: { call: TsCallFact; head: string; fn: TsFunctionFacts }[] = [];
  /** Names read as values somewhere in the file (`visit`'s `Act.Name`), of which the module's functions are kept in the facts. */
  private readonly valueNames = new Set<string>();
  /** Names bound to tables whose items hold functions (`visitTable`). */
  private readonly tables = new Set<string>();
  /** The module's `const` names (`const TILLS = 12`, `const DEPOTS = […]`): the same value every call. */
  private readonly moduleConstants = new Set<string>();
  /** Syntax node of each function, by id (the module: the source file). */
  private readonly functionNodes: ts.Node[] = [];
  private readonly dir: string;
  private readonly sizes = new SizeReader(T);
  /** Memoized module functions that return their cache early once it is set (`if (cache) return cache;`): the cache's name. */
  private readonly returnedEarly = new Map<TsFunctionFacts, string>();
  /** A memoized function's local that a keyed cache's miss fills (`keyedCacheFill`): the value it builds is what its calls return. */
  private readonly keyedFills = new Map<TsFunctionFacts, string>();
  /** The key pairs the module makes (`generateKeyPairSync('rsa', { modulusLength: 3072 })`), read from its text once (see `rsaBitsOf`). */
  private keyPairsMade: { rsaBits?: number; others: boolean } | undefined;

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly deadline: Deadline | undefined,
  ) {
    this.dir = path.dirname(sf.fileName);
  }

  run(): TsFileFacts {
    const module = this.newFunction({ name: '<module>', qualname: '<module>', node: this.sf, namePos: -1, parent: -1, reported: false });
    const ctx: Ctx = { fn: module, loopDepth: 0, prefix: '', returnsPromises: false, sizes: new SizeScope() };
    this.sizes.readModuleFunctions(this.sf);
    for (const statement of this.sf.statements) this.visit(statement, ctx);
    for (const name of this.handlerRefs) {
      const id = module.scope[name];
      const fn = typeof id === 'number' ? this.facts.functions[id] : undefined;
      if (fn && !fn.handler) fn.handler = 'route';
    }
    for (const name of this.workerHandlerRefs) {
      const id = module.scope[name];
      if (typeof id === 'number') this.facts.workerHandlers.push(id);
    }
    const handed = Object.keys(module.scope).filter((name) => typeof module.scope[name] === 'number' && this.valueNames.has(name));
    if (handed.length > 0) this.facts.handedFunctions = handed;
    this.bindReboundCallees();
    this.collectErrors();
    this.collectSuppressions();
    return this.facts;
  }

  private line(pos: number): number {
    return this.sf.getLineAndCharacterOfPosition(pos).line + 1;
  }

  private newFunction(spec: { name: string; qualname: string; node: ts.Node; namePos: number; parent: number; reported: boolean; className?: string }): TsFunctionFacts {
    const node = spec.node;
    const start = spec.namePos >= 0 ? spec.namePos : node === this.sf ? 0 : node.getStart(this.sf);
    const fn: TsFunctionFacts = {
      id: this.facts.functions.length,
      name: spec.name,
      qualname: spec.qualname,
      line: this.line(start),
      endLine: this.line(Math.max(start, node.end - 1)),
      namePos: spec.namePos,
      async: hasModifier(node, T.SyntaxKind.AsyncKeyword),
      generator: (T.isFunctionDeclaration(node) || T.isFunctionExpression(node) || T.isMethodDeclaration(node)) && node.asteriskToken !== undefined,
      reported: spec.reported,
      parent: spec.parent,
      ...(spec.className !== undefined && { className: spec.className }),
      params: [],
      types: dict(),
      locals: dict(),
      scope: dict(),
      calls: [],
      loops: [],
      awaits: 0,
    };
    this.facts.functions.push(fn);
    this.functionNodes.push(node);
    return fn;
  }

  /** A call through a local name that is rebound gets its callee as each binding reaching it would make it. */
  private bindReboundCallees(): void {
    if (this.reboundNames.size === 0) return;
    for (const { call, head, fn } of this.namedCalls) {
      if (!this.reboundNames.get(fn.id)?.has(head)) continue;
      const node = this.functionNodes[fn.id];
      const body = node === undefined ? undefined : T.isSourceFile(node) ? node.statements : bodyStatements(node as FunctionNode);
      if (!body) continue;
      const declaredHere = !fn.params.includes(head) && (fn.locals[head] !== undefined || declaresAtTop(body, head));
      const bindings = reachingBindings(this.sf, body, head, call.pos, declaredHere);
      if (!bindings) continue;
      const rest = call.callee.slice(head.length);
      const callees = new Set(bindings.map((binding) => (binding === 'outside' ? call.callee : binding === 'opaque' ? '?' : `${boundChain(binding)}${rest}`)));
      call.calleeBindings = [...callees];
    }
  }

  /**
   * A function: its own facts, then its body. `name` undefined: an anonymous function (a callback),
   * counted for the function around it as `inline` says.
   */
  private visitFunction(
    node: FunctionNode,
    ctx: Ctx,
    named: { name: string; namePos: number; qualname?: string; className?: string; exported?: boolean } | undefined,
    inline?: { mode: InlineMode; depth: number; handler?: HandlerKind; returnsPromises?: boolean; poolLoop?: boolean; loop?: number; count?: number; countParam?: number; itemSize?: number; sameItems?: true },
  ): TsFunctionFacts {
    const name = named?.name ?? '<callback>';
    const qualname = named ? (named.qualname ?? `${ctx.prefix}${named.name}`) : `${ctx.prefix}<callback>`;
    // Arrow functions keep the `this` of the code around them.
    const className = named?.className ?? (T.isArrowFunction(node) ? ctx.className : undefined);
    const fn = this.newFunction({ name, qualname, node, namePos: named?.namePos ?? -1, parent: ctx.fn.id, reported: named !== undefined, className });
    if (inline) {
      fn.inline = inline.mode;
      fn.inlineDepth = inline.depth;
      if (inline.loop !== undefined) fn.inlineLoop = inline.loop;
      if (inline.count !== undefined) fn.inlineCount = inline.count;
      else if (inline.countParam !== undefined) {
        fn.inlineCountParam = inline.countParam;
        const parent = this.facts.functions[ctx.fn.id];
        if (parent && !parent.callbacksOverParams?.includes(inline.countParam)) (parent.callbacksOverParams ??= []).push(inline.countParam);
      }
      if (inline.handler) fn.handler = inline.handler;
      if (inline.poolLoop) fn.poolLoop = true;
    }
    for (const param of node.parameters) {
      const paramName = T.isIdentifier(param.name) ? param.name.text : '{…}';
      fn.params.push(paramName);
      const type = typeName(param.type);
      if (type && T.isIdentifier(param.name)) fn.types[param.name.text] = type;
      if (T.isConstructorDeclaration(node) && className && T.isIdentifier(param.name) && T.getModifiers(param)?.length) {
        // A parameter property (`constructor(private db: Pool)`) is a field.
        const cls = this.facts.classes[className];
        if (cls && type) cls.fields[param.name.text] ??= type;
      }
    }
    if (!fn.handler && REQUEST_PARAMS.has(fn.params[0] ?? '') && RESPONSE_PARAMS.has(fn.params[1] ?? '')) fn.handler = 'params';
    if (!fn.handler && named?.exported && HTTP_METHOD_EXPORTS.has(name)) fn.handler = 'route';
    const inner: Ctx = {
      fn,
      loopDepth: 0,
      prefix: named ? `${qualname}.` : ctx.prefix,
      className,
      returnsPromises: fn.async || (inline?.returnsPromises ?? false),
      poolLoop: inline?.poolLoop === true,
      sizes: new SizeScope(ctx.sizes),
      declared: new Set(fn.params),
      sameFew: new Set([...(ctx.sameFew ?? [])].filter((name) => !fn.params.includes(name))),
    };
    // A callback over the same items every call (`Array.from({ length: TILLS }, (_, till) => …)`, `DEPOTS.map((depot) => …)`):
    // its item and its index take the same values every call.
    if (inline?.sameItems) for (const param of node.parameters.slice(0, 2)) if (T.isIdentifier(param.name)) inner.sameFew?.add(param.name.text);
    // Parameters hide the enclosing functions' names; one with a default is as large as its default (what a call that omits it gets).
    for (const param of node.parameters) {
      if (T.isIdentifier(param.name)) inner.sizes.bind(param.name.text, param.initializer ? this.sizes.sizeOf(param.initializer, ctx.sizes) : undefined);
    }
    // A per-item callback's first parameter is an item of what it runs over (`transcripts.map((vtt) => …)`), as `for (const vtt of …)`'s is.
    const item = node.parameters[0]?.name;
    if (inline?.itemSize !== undefined && item && T.isIdentifier(item)) inner.sizes.bind(item.text, inline.itemSize);
    const body = node.body;
    if (!body) return fn;
    if (named && (T.isBlock(body) ? isLazyInitialization(body) : isNullishAssignment(body))) fn.memoized = true;
    if (fn.memoized && T.isBlock(body) && returnsFileMadeIfMissing(body)) fn.makesFile = true;
    const wrapped = wrappedCall(body);
    if (wrapped) fn.wraps = wrapped;
    if (T.isBlock(body)) {
      for (const statement of body.statements) this.visit(statement, inner);
    } else {
      // An arrow's expression body is its return value.
      this.markReturned(body, inner);
      this.visit(body, inner);
    }
    if (fn.wraps !== undefined && fn.parent === 0) this.sizes.noteWrappedFile(fn.name, wrappedCallOf(body) as ts.CallExpression, inner.sizes);
    return fn;
  }

  /** A return statement gives `what` (undefined: something a call is not followed into); returns that disagree give nothing. */
  private noteReturned(fn: TsFunctionFacts, what: number | string | undefined): void {
    const seen = this.returnsSeen.get(fn.id);
    if (seen === undefined) {
      this.returnsSeen.set(fn.id, what ?? null);
      if (what !== undefined) fn.returns = what;
    } else if (seen !== what) {
      this.returnsSeen.set(fn.id, null);
      delete fn.returns;
    }
  }

  /**
   * The bytes a child process is given when the code tells them: the `input` an options object hands it, else the files its
   * arguments name that the code sizes (`['-c', quarterlyReturnFile()]`: a file a write-once helper makes).
   */
  private childInputSize({ input, elements }: ChildInputs, ctx: Ctx): number | undefined {
    if (input) return this.sizes.sizeOf(input, ctx.sizes);
    let files: number | undefined;
    for (const element of elements) {
      const bytes = this.sizes.fileBytes(element, ctx.sizes);
      if (bytes !== undefined) files = (files ?? 0) + bytes;
    }
    return files;
  }

  /** `fn` draws from a random generator in a loop: so does the function it is written in for (a callback run in its loop). */
  private noteDrawsAtRandom(fn: TsFunctionFacts): void {
    for (let inner: TsFunctionFacts | undefined = fn; inner; inner = inner.reported || inner.id === 0 ? undefined : this.facts.functions[inner.parent]) {
      if (inner.id !== 0) inner.drawsAtRandom = true;
    }
  }

  private markReturned(expression: ts.Expression, ctx: Ctx): void {
    if (!ctx.returnsPromises) return;
    const value = unwrap(expression);
    if (T.isCallExpression(value) || T.isNewExpression(value)) this.awaitedCalls.add(value);
  }

  private visitChildren(node: ts.Node, ctx: Ctx): void {
    T.forEachChild(node, (child) => this.visit(child, ctx));
  }

  private visit(node: ts.Node, ctx: Ctx): void {
    this.deadline?.check();
    switch (ACTION[node.kind]) {
      case Act.Skip:
        return;
      case Act.Import:
        this.visitImport(node as ts.ImportDeclaration);
        return;
      case Act.Export:
        this.visitExport(node as ts.ExportDeclaration);
        return;
      case Act.ExportAssignment: {
        const assignment = node as ts.ExportAssignment;
        const value = unwrap(assignment.expression);
        if (T.isIdentifier(value)) this.facts.exports.default = value.text;
        else if (T.isArrowFunction(value) || T.isFunctionExpression(value)) {
          ctx.fn.scope.default = this.visitFunction(value, ctx, { name: 'default', namePos: assignment.getStart(this.sf), qualname: 'default', exported: true }).id;
          this.facts.exports.default = 'default';
        } else this.visit(assignment.expression, ctx);
        return;
      }
      case Act.FunctionDeclaration: {
        const decl = node as ts.FunctionDeclaration;
        const isDefault = hasModifier(decl, T.SyntaxKind.DefaultKeyword);
        const exported = hasModifier(decl, T.SyntaxKind.ExportKeyword);
        const name = decl.name?.text ?? 'default';
        const fn = this.visitFunction(decl, ctx, { name, namePos: decl.name ? decl.name.getStart(this.sf) : decl.getStart(this.sf), exported: exported && ctx.fn.id === 0 });
        ctx.fn.scope[name] = fn.id;
        if (exported && ctx.fn.id === 0) this.facts.exports[isDefault ? 'default' : name] = name;
        return;
      }
      case Act.Class:
        this.visitClass(node as ts.ClassLikeDeclaration, ctx, undefined);
        return;
      case Act.VariableStatement: {
        const statement = node as ts.VariableStatement;
        const exported = hasModifier(statement, T.SyntaxKind.ExportKeyword) && ctx.fn.id === 0;
        const constant = (statement.declarationList.flags & T.NodeFlags.Const) !== 0;
        for (const decl of statement.declarationList.declarations) this.visitVariable(decl, ctx, exported, constant);
        return;
      }
      case Act.VariableDeclarationList: {
        // `for (let i = 0; …)`, `for (const x of …)`: the bindings are locals without chains worth keeping.
        for (const decl of (node as ts.VariableDeclarationList).declarations) {
          if (T.isIdentifier(decl.name)) {
            ctx.declared?.add(decl.name.text);
            ctx.sizes.bind(decl.name.text, undefined);
            ctx.sameFew?.delete(decl.name.text);
          }
          if (decl.initializer) this.visit(decl.initializer, ctx);
        }
        return;
      }
      case Act.ExpressionStatement: {
        const expression = (node as ts.ExpressionStatement).expression;
        if (T.isBinaryExpression(expression) && expression.operatorToken.kind === T.SyntaxKind.EqualsToken) {
          const assigned = chainOf(expression.left);
          if (ctx.loopDepth === 0 && (assigned === this.returnedEarly.get(ctx.fn) || assigned === this.keyedFills.get(ctx.fn))) this.noteKept(expression.right, ctx);
          if (this.visitAssignment(expression, ctx)) return;
        }
        this.visit(expression, ctx);
        return;
      }
      case Act.If: {
        const statement = node as ts.IfStatement;
        const early = returnedWhenSet(statement);
        if (early !== undefined) this.returnedEarly.set(ctx.fn, early);
        const keyed = keyedCacheFill(statement);
        if (keyed !== undefined) this.keyedFills.set(ctx.fn, keyed);
        const filled = this.lazilySet(statement, ctx);
        if (!filled && ctx.fn.id !== 0 && !statement.elseStatement && (fileMadeIfMissing(statement) !== undefined || this.filledPerKey(statement, ctx))) {
          // `if (!fs.existsSync(file)) { …; fs.writeFileSync(file, …); }`: made on a first call; later calls, and workers, find the
          // file. `if (!CACHE.has(id)) CACHE.set(id, build(id));` of an id among the same few: filled by the first calls.
          this.visit(statement.expression, ctx);
          this.visit(statement.thenStatement, { ...ctx, once: true });
          return;
        }
        if (!filled) {
          this.visitChildren(node, ctx);
          return;
        }
        this.visit(statement.expression, ctx);
        this.visit(statement.thenStatement, { ...ctx, once: true });
        // Set on the first call and kept: what the rest of the function reads is the value made there.
        const size = this.sizes.sizeOf(filled.value, ctx.sizes);
        ctx.sizes.bind(filled.name, size, this.sizes.elementSizeOf(filled.value, ctx.sizes));
        this.noteKept(filled.value, ctx, size);
        return;
      }
      case Act.Return: {
        const value = (node as ts.ReturnStatement).expression;
        if (value) {
          this.markReturned(value, ctx);
          const returned = unwrap(value);
          if (T.isArrowFunction(returned) || T.isFunctionExpression(returned)) {
            const made = this.visitFunction(returned, ctx, undefined, { mode: 'separate', depth: ctx.loopDepth });
            this.noteReturned(ctx.fn, made.id);
          } else {
            this.noteReturned(ctx.fn, T.isNewExpression(returned) || T.isIdentifier(returned) ? chainOf(returned) : undefined);
            this.visit(value, ctx);
            // A callback's block body: what it returns, sized here where its locals are known (`Array.from(…, () => { …; return Buffer.from(text); })`).
            const callback = this.functionNodes[ctx.fn.id];
            if (callback && (T.isArrowFunction(callback) || T.isFunctionExpression(callback))) this.sizes.noteCallbackResult(callback, this.sizes.sizeOf(value, ctx.sizes), this.sizes.joinedOf(value, ctx.sizes));
          }
        }
        return;
      }
      case Act.Await: {
        ctx.fn.awaits++;
        const value = unwrap((node as ts.AwaitExpression).expression);
        if (T.isCallExpression(value) || T.isNewExpression(value)) this.awaitedCalls.add(value);
        this.visit((node as ts.AwaitExpression).expression, ctx);
        return;
      }
      case Act.For:
        this.visitFor(node as ts.ForStatement, ctx);
        return;
      case Act.ForOfIn: {
        const loop = node as ts.ForOfStatement | ts.ForInStatement;
        this.visit(loop.initializer, ctx);
        // `for (const id of IDS)`: each `id` is an element of IDS, as large as the code tells them to be.
        const element = T.isVariableDeclarationList(loop.initializer) && loop.initializer.declarations.length === 1 ? loop.initializer.declarations[0]?.name : undefined;
        if (T.isForOfStatement(loop) && element && T.isIdentifier(element)) {
          ctx.sizes.bind(element.text, this.sizes.elementSizeOf(loop.expression, ctx.sizes));
          const table = unwrap(loop.expression);
          if (T.isIdentifier(table) && this.tables.has(table.text)) ctx.fn.locals[element.text] = `${table.text}[]`;
        }
        this.visit(loop.expression, ctx);
        const awaited = T.isForOfStatement(loop) && loop.awaitModifier !== undefined;
        if (awaited) ctx.fn.awaits++;
        const kind: TsLoopKind = T.isForInStatement(loop) ? 'for-in' : awaited ? 'for-await' : 'for-of';
        const count = kind === 'for-of' ? this.sizes.sizeOf(loop.expression, ctx.sizes) : undefined;
        const iterated = unwrap(loop.expression);
        const countParam = kind === 'for-of' && T.isIdentifier(iterated) ? this.paramIndex(iterated.text, ctx) : undefined;
        this.loopBody(node, kind, this.isShortIterable(loop.expression, ctx), [loop.statement], ctx, POOL_SIZE.test(chainOf(loop.expression)), count, countParam);
        return;
      }
      case Act.While: {
        const loop = node as ts.WhileStatement;
        this.loopBody(node, 'while', false, [loop.expression, loop.statement], ctx, POOL_SIZE.test(loop.expression.getText(this.sf)));
        return;
      }
      case Act.Do: {
        const loop = node as ts.DoStatement;
        this.loopBody(node, 'do', false, [loop.statement, loop.expression], ctx);
        return;
      }
      case Act.Binary: {
        const binary = node as ts.BinaryExpression;
        if (ctx.loop !== undefined && ARITHMETIC.has(binary.operatorToken.kind)) {
          const loop = ctx.fn.loops[ctx.loop] as TsLoopFact;
          loop.arithmetic++;
          if (isWideModulo(binary)) loop.wideModulo = (loop.wideModulo ?? 0) + 1;
        }
        // `read += base` on a string local: a new string per iteration.
        if (ctx.loop !== undefined && binary.operatorToken.kind === T.SyntaxKind.PlusEqualsToken && T.isIdentifier(binary.left) && ctx.fn.locals[binary.left.text] === '""') {
          const loop = ctx.fn.loops[ctx.loop] as TsLoopFact;
          loop.appends = (loop.appends ?? 0) + 1;
        }
        if (binary.operatorToken.kind === T.SyntaxKind.EqualsToken) this.noteField(binary, ctx);
        if (binary.operatorToken.kind === T.SyntaxKind.EqualsToken && T.isElementAccessExpression(binary.left) && T.isIdentifier(binary.left.expression)) this.indexWrite(binary.left, binary.left.expression.text, ctx);
        if (T.isIdentifier(binary.left) && binary.operatorToken.kind >= T.SyntaxKind.FirstAssignment && binary.operatorToken.kind <= T.SyntaxKind.LastAssignment) {
          const rebound = this.reboundNames.get(ctx.fn.id) ?? new Set<string>();
          this.reboundNames.set(ctx.fn.id, rebound.add(binary.left.text));
          if (binary.operatorToken.kind !== T.SyntaxKind.EqualsToken || !takesSameFew(binary.right, ctx.sameFew)) ctx.sameFew?.delete(binary.left.text);
        }
        this.visit(binary.left, ctx);
        this.visit(binary.right, ctx);
        return;
      }
      case Act.Unary: {
        const unary = node as ts.PrefixUnaryExpression;
        if (ctx.loop !== undefined && (unary.operator === T.SyntaxKind.PlusPlusToken || unary.operator === T.SyntaxKind.MinusMinusToken)) (ctx.fn.loops[ctx.loop] as TsLoopFact).arithmetic++;
        this.visit(unary.operand, ctx);
        return;
      }
      case Act.Call:
        this.visitCall(node as ts.CallExpression | ts.NewExpression, ctx);
        return;
      case Act.ElementAccess:
        if (ctx.loop !== undefined) (ctx.fn.loops[ctx.loop] as TsLoopFact).accesses++;
        this.visitChildren(node, ctx);
        return;
      case Act.Template:
        builtBy(ctx).parts += (node as ts.TemplateExpression).templateSpans.length;
        this.visitChildren(node, ctx);
        return;
      case Act.ObjectLiteral:
        builtBy(ctx).objects++;
        this.visitChildren(node, ctx);
        return;
      case Act.FunctionExpression:
        // A function value that is neither named nor passed to a call (returned, stored in an array…): its own work.
        this.visitFunction(node as ts.ArrowFunction, ctx, undefined, { mode: 'separate', depth: ctx.loopDepth });
        return;
      case Act.Method:
        // Members of an object literal that is not named (`return { get() {…} }`).
        this.visitFunction(node as ts.MethodDeclaration, ctx, undefined, { mode: 'separate', depth: ctx.loopDepth });
        return;
      case Act.Name:
        // Read as a value (a callee and a declared name are not visited as names).
        this.valueNames.add((node as ts.Identifier).text);
        return;
      default:
        this.visitChildren(node, ctx);
    }
  }

  private visitFor(loop: ts.ForStatement, ctx: Ctx): void {
    if (loop.initializer) this.visit(loop.initializer, ctx);
    const short = this.isShortCount(loop.condition);
    const line = this.line(loop.getStart(this.sf));
    const index = ctx.fn.loops.length;
    if (!short) ctx.fn.loops.push(this.loopFact(line, 'for', ctx, this.sizes.forCount(loop, ctx.sizes), this.boundingParam(loop, ctx)));
    const poolLoop = ctx.poolLoop || (loop.condition !== undefined && POOL_SIZE.test(loop.condition.getText(this.sf)));
    const inner: Ctx = short ? ctx : { ...ctx, loopDepth: ctx.loopDepth + 1, poolLoop, loop: index };
    if (loop.condition) this.visit(loop.condition, inner);
    if (loop.incrementor) {
      // The loop counter's own `i++` is the loop, not arithmetic done in it.
      const counter = loop.incrementor;
      if (T.isPrefixUnaryExpression(counter) || T.isPostfixUnaryExpression(counter)) this.visit(counter.operand, inner);
      else this.visit(counter, inner);
    }
    this.visit(loop.statement, inner);
  }

  /** `fn`, a module function that makes a file once, writes `data` there: sized, or its builder parameter's result (`build()`). */
  private noteMadeFile(fn: TsFunctionFacts, data: ts.Expression, size: number | undefined, ctx: Ctx): void {
    const value = unwrap(data);
    const builder = T.isCallExpression(value) && T.isIdentifier(value.expression) && value.arguments.length === 0 ? fn.params.indexOf(value.expression.text) : -1;
    if (builder >= 0) this.sizes.noteMadeFile(fn.name, { builder });
    else if (size !== undefined) {
      const joined = this.sizes.joinedOf(data, ctx.sizes);
      this.sizes.noteMadeFile(fn.name, { size, ...(joined && { joined }) });
    }
  }

  /**
   * The RSA modulus of a signature's key: the call's options ask for an RSA padding (`{ key, padding:
   * crypto.constants.RSA_PKCS1_PSS_PADDING }`), or the module makes RSA key pairs and no others; the bits its key pairs are
   * made with (the largest written), 2048 (Node's usual choice) when none is written. Undefined for any other signature.
   */
  private rsaBitsOf(args: readonly ts.Expression[]): number | undefined {
    const made = (this.keyPairsMade ??= keyPairsIn(this.sf.text));
    const rsaPadding = args.some((arg) => {
      const options = unwrap(arg);
      return T.isObjectLiteralExpression(options) && options.properties.some((property) => T.isPropertyAssignment(property) && T.isIdentifier(property.name) && property.name.text === 'padding' && /(^|\.)RSA_\w*PADDING$/.test(chainOf(property.initializer)));
    });
    if (!rsaPadding && (made.rsaBits === undefined || made.others)) return undefined;
    return made.rsaBits ?? DEFAULT_RSA_BITS;
  }

  /** A module function that keeps the text or bytes it returns: a call of it is as long as the value kept. */
  private noteKept(value: ts.Expression, ctx: Ctx, size = this.sizes.sizeOf(value, ctx.sizes)): void {
    if (ctx.fn.memoized && ctx.fn.parent === 0 && size !== undefined && this.sizes.isTextOrBytes(value)) this.sizes.noteCachedResult(ctx.fn.name, size, this.sizes.joinedOf(value, ctx.sizes));
  }

  /** `if (!CACHE.has(key)) { …; CACHE.set(key, …); }` of a module's map and a key among the same few (`takesSameFew`). */
  private filledPerKey(statement: ts.IfStatement, ctx: Ctx): boolean {
    const missing = mapMissTested(statement.expression);
    if (!missing || !this.moduleConstants.has(missing.chain) || ctx.declared?.has(missing.chain) || !ctx.sameFew?.has(missing.key)) return false;
    const block = statement.thenStatement;
    return (T.isBlock(block) ? block.statements : [block]).some((s) => isMapCall(s, 'set', missing));
  }

  /**
   * `if (photo === null) photo = crypto.randomBytes(n);` in a function, `photo` a module's or an enclosing function's
   * variable (not one of its own): the name and the value it is set to. The block runs on a first call; later calls
   * find it set.
   */
  private lazilySet(statement: ts.IfStatement, ctx: Ctx): { name: string; value: ts.Expression } | undefined {
    const set = ctx.fn.id === 0 ? undefined : unsetThenSet(statement);
    if (!set || !/^[\w$]+$/.test(set.chain) || ctx.declared?.has(set.chain)) return undefined;
    return { name: set.chain, value: set.value };
  }

  private loopBody(node: ts.Node, kind: TsLoopKind, short: boolean, parts: ts.Node[], ctx: Ctx, poolLoop = false, count?: number, countParam?: number): void {
    const index = ctx.fn.loops.length;
    if (!short) ctx.fn.loops.push(this.loopFact(this.line(node.getStart(this.sf)), kind, ctx, count, countParam));
    const inner: Ctx = short ? ctx : { ...ctx, loopDepth: ctx.loopDepth + 1, poolLoop: ctx.poolLoop || poolLoop, loop: index };
    for (const part of parts) this.visit(part, inner);
  }

  private loopFact(line: number, kind: TsLoopKind, ctx: Ctx, count: number | undefined, countParam?: number): TsLoopFact {
    const known = count !== undefined && Number.isFinite(count);
    return {
      line,
      kind,
      depth: ctx.loopDepth,
      arithmetic: 0,
      accesses: 0,
      ...(ctx.loop !== undefined && { parent: ctx.loop }),
      ...(known ? { count } : countParam !== undefined && { countParam }),
      ...(ctx.once && { once: true }),
    };
  }

  /** `for (let i = 0; i < p; i++)` (or `<=`) over a parameter `p` of the function: its index. */
  private boundingParam(loop: ts.ForStatement, ctx: Ctx): number | undefined {
    const init = loop.initializer;
    const condition = this.sizes.countingTest(loop);
    if (!init || !T.isVariableDeclarationList(init) || init.declarations.length !== 1 || !condition || !T.isBinaryExpression(condition)) return undefined;
    const start = init.declarations[0]?.initializer;
    const op = condition.operatorToken.kind;
    if (!start || !T.isNumericLiteral(start) || Number(start.text) !== 0 || (op !== T.SyntaxKind.LessThanToken && op !== T.SyntaxKind.LessThanEqualsToken)) return undefined;
    const step = loop.incrementor;
    if (!step || !((T.isPostfixUnaryExpression(step) || T.isPrefixUnaryExpression(step)) && step.operator === T.SyntaxKind.PlusPlusToken)) return undefined;
    const bound = unwrap(condition.right);
    return T.isIdentifier(bound) ? this.paramIndex(bound.text, ctx) : undefined;
  }

  /** The index of `name` among the function's parameters, unless a local of the same name hides it. */
  private paramIndex(name: string, ctx: Ctx): number | undefined {
    const index = ctx.fn.params.indexOf(name);
    return index >= 0 && ctx.fn.locals[name] === undefined ? index : undefined;
  }

  /** `for (let i = 0; i < 3; i++)`: a bound that is a small literal. */
  private isShortCount(condition: ts.Expression | undefined): boolean {
    if (!condition || !T.isBinaryExpression(condition)) return false;
    const op = condition.operatorToken.kind;
    if (op !== T.SyntaxKind.LessThanToken && op !== T.SyntaxKind.LessThanEqualsToken) return false;
    return T.isNumericLiteral(condition.right) && Number(condition.right.text) <= SHORT_LOOP;
  }

  /**
   * An array literal of a few items, or a name that holds a few here (a constant bound to such a literal, in this
   * function or one around it, and not pushed to past that since, nor in a loop).
   */
  private isShortIterable(expression: ts.Expression, ctx: Ctx): boolean {
    const value = unwrap(expression);
    if (T.isArrayLiteralExpression(value)) return value.elements.length <= SHORT_LOOP;
    if (T.isIdentifier(value)) {
      const size = ctx.sizes.lookup(value.text);
      return size !== undefined && size <= SHORT_LOOP;
    }
    // Object.keys/entries/values of an object literal constant are as short as it is.
    return false;
  }

  private visitImport(decl: ts.ImportDeclaration): void {
    if (!T.isStringLiteral(decl.moduleSpecifier)) return;
    const module = decl.moduleSpecifier.text;
    const clause = decl.importClause;
    if (!clause || clause.isTypeOnly) return;
    if (clause.name) this.facts.imports[clause.name.text] = { module, member: 'default' };
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (T.isNamespaceImport(bindings)) {
      this.facts.imports[bindings.name.text] = { module };
      return;
    }
    for (const element of bindings.elements) {
      if (element.isTypeOnly) continue;
      this.facts.imports[element.name.text] = { module, member: (element.propertyName ?? element.name).text };
    }
  }

  private visitExport(decl: ts.ExportDeclaration): void {
    if (decl.isTypeOnly) return;
    const from = decl.moduleSpecifier && T.isStringLiteral(decl.moduleSpecifier) ? decl.moduleSpecifier.text : undefined;
    const clause = decl.exportClause;
    if (from !== undefined) {
      if (!clause) this.facts.reexports.push({ from });
      else if (T.isNamedExports(clause)) {
        const names = dict<string>();
        for (const element of clause.elements) names[element.name.text] = (element.propertyName ?? element.name).text;
        this.facts.reexports.push({ from, names });
      }
      return;
    }
    if (clause && T.isNamedExports(clause)) {
      for (const element of clause.elements) this.facts.exports[element.name.text] = (element.propertyName ?? element.name).text;
    }
  }

  /** `require('x')`, `require('x').member`: what it imports. */
  private requireOf(expression: ts.Expression): { module: string; member?: string } | undefined {
    let value = unwrap(expression);
    const members: string[] = [];
    while (T.isPropertyAccessExpression(value)) {
      members.unshift(value.name.text);
      value = unwrap(value.expression);
    }
    if (!T.isCallExpression(value) || !T.isIdentifier(value.expression) || value.expression.text !== 'require') return undefined;
    const [arg] = value.arguments;
    if (!arg || !T.isStringLiteral(arg)) return undefined;
    // `require('fs').promises` is the module `fs.promises` (canonicalized later).
    if (members.length === 0) return { module: arg.text };
    return members.length === 1 && members[0] === 'default' ? { module: arg.text, member: 'default' } : { module: `${arg.text}.${members.join('.')}` };
  }

  private visitVariable(decl: ts.VariableDeclaration, ctx: Ctx, exported: boolean, constant: boolean): void {
    const init = decl.initializer;
    if (!T.isIdentifier(decl.name)) {
      // `const { readFileSync } = require('fs')`, `const { data } = await get()`.
      if (init && T.isObjectBindingPattern(decl.name)) {
        const required = this.requireOf(init);
        const source = chainOf(init);
        const fields = constant ? this.sizes.fieldSizesOf(init) : undefined;
        for (const element of decl.name.elements) {
          if (!T.isIdentifier(element.name)) continue;
          const member = element.propertyName && T.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          if (required) this.facts.imports[element.name.text] = { module: required.module, member };
          else if (source !== '?') ctx.fn.locals[element.name.text] = `${source}.${member}`;
          ctx.sizes.bind(element.name.text, element.initializer ? undefined : fields?.get(member));
        }
      }
      // `const [, code, check = ''] = CODE.exec(typed)`: each name holds an element of the value, as large as its elements.
      if (T.isArrayBindingPattern(decl.name)) {
        const elementSize = constant && init ? this.sizes.elementSizeOf(init, ctx.sizes) : undefined;
        for (const element of decl.name.elements) {
          if (!T.isBindingElement(element) || !T.isIdentifier(element.name) || element.dotDotDotToken) continue;
          const fallback = element.initializer ? this.sizes.sizeOf(element.initializer, ctx.sizes) : 0;
          ctx.sizes.bind(element.name.text, elementSize === undefined || fallback === undefined ? undefined : Math.max(elementSize, fallback));
        }
      }
      if (init) this.visit(init, ctx);
      return;
    }
    const name = decl.name.text;
    ctx.declared?.add(name);
    if (ctx.fn.id === 0 && constant) this.moduleConstants.add(name);
    if (init && takesSameFew(init, ctx.sameFew)) ctx.sameFew?.add(name);
    else ctx.sameFew?.delete(name);
    ctx.sizes.bind(name, constant ? this.sizes.sizeOf(init, ctx.sizes) : undefined, constant ? this.sizes.elementSizeOf(init, ctx.sizes) : undefined);
    if (ctx.loop !== undefined) (ctx.declaredInLoop ??= new Map()).set(name, ctx.loop);
    if (exported) this.facts.exports[name] = name;
    // `const worker = idle.pop() as Worker`: the assertion names the type too.
    const asserted = init && (T.isAsExpression(init) || T.isTypeAssertionExpression(init)) ? typeName(init.type) : undefined;
    const type = typeName(decl.type) ?? asserted;
    if (type) ctx.fn.types[name] = type;
    if (!init) return;
    const value = unwrap(init);
    if (T.isArrowFunction(value) || T.isFunctionExpression(value)) {
      const fn = this.visitFunction(value, ctx, { name, namePos: decl.name.getStart(this.sf), className: T.isArrowFunction(value) ? ctx.className : undefined, exported });
      ctx.fn.scope[name] = fn.id;
      return;
    }
    if (T.isClassExpression(value)) {
      this.visitClass(value, ctx, name);
      return;
    }
    const required = this.requireOf(init);
    if (required) {
      this.facts.imports[name] = required;
      return;
    }
    if (T.isObjectLiteralExpression(value)) {
      this.visitObjectLiteral(value, ctx, name, name);
      return;
    }
    const chain = boundChain(value);
    if (chain !== '?') ctx.fn.locals[name] = chain;
    if (T.isArrayLiteralExpression(value)) this.visitTable(value, ctx, name);
    else this.visit(init, ctx);
  }

  /**
   * `const RULES = [{ badge: 'a', holds: (s) => … }, …]`: a table whose items hold functions. A call through an item's
   * member (`RULES[k].holds(s)`, or `rule.holds(s)` in a callback that runs per item of RULES) runs one of them: the
   * scope names `RULES.[].holds` the longest one (which item a call reaches is not known; the longest stands for the
   * costliest).
   */
  private visitTable(table: ts.ArrayLiteralExpression, ctx: Ctx, name: string): void {
    const longest = new Map<string, { id: number; width: number }>();
    for (const element of table.elements) {
      const item = unwrap(element);
      if (!T.isObjectLiteralExpression(item)) {
        this.visit(element, ctx);
        continue;
      }
      builtBy(ctx).objects++;
      for (const property of item.properties) {
        const value = T.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
        const key = property.name && (T.isIdentifier(property.name) || T.isStringLiteral(property.name)) ? property.name.text : undefined;
        if (key === undefined || !value || !(T.isArrowFunction(value) || T.isFunctionExpression(value))) {
          this.visit(property, ctx);
          continue;
        }
        const fn = this.visitFunction(value, ctx, undefined, { mode: 'separate', depth: ctx.loopDepth });
        const width = value.getWidth(this.sf);
        if ((longest.get(key)?.width ?? -1) < width) longest.set(key, { id: fn.id, width });
      }
    }
    for (const [key, { id }] of longest) ctx.fn.scope[`${name}.[].${key}`] = id;
    if (longest.size > 0) this.tables.add(name);
  }

  /** `const api = { get() {…}, post: async () => {…} }` and `module.exports = {…}`: named functions. */
  private visitObjectLiteral(object: ts.ObjectLiteralExpression, ctx: Ctx, scopeName: string | null, qualPrefix: string | null): void {
    for (const property of object.properties) {
      const key = property.name && (T.isIdentifier(property.name) || T.isStringLiteral(property.name)) ? property.name.text : undefined;
      const dotted = (k: string): string => (scopeName === null ? k : `${scopeName}.${k}`);
      const qualname = (k: string): string => (qualPrefix === null ? k : `${ctx.prefix}${qualPrefix}.${k}`);
      if (key !== undefined && T.isMethodDeclaration(property)) {
        const fn = this.visitFunction(property, ctx, { name: key, namePos: property.name.getStart(this.sf), qualname: qualname(key) });
        ctx.fn.scope[dotted(key)] = fn.id;
        if (scopeName === null) this.facts.exports[key] = key;
      } else if (key !== undefined && T.isPropertyAssignment(property)) {
        const value = unwrap(property.initializer);
        if (T.isArrowFunction(value) || T.isFunctionExpression(value)) {
          const fn = this.visitFunction(value, ctx, { name: key, namePos: property.name.getStart(this.sf), qualname: qualname(key) });
          ctx.fn.scope[dotted(key)] = fn.id;
          if (scopeName === null) this.facts.exports[key] = key;
        } else {
          if (scopeName === null && T.isIdentifier(value)) this.facts.exports[key] = value.text;
          this.visit(property.initializer, ctx);
        }
      } else if (T.isShorthandPropertyAssignment(property)) {
        if (scopeName === null) this.facts.exports[property.name.text] = property.name.text;
      } else {
        this.visit(property, ctx);
      }
    }
  }

  /**
   * `module.exports = …`, `exports.f = …`, `Class.prototype.m = function…`: declarations in CommonJS
   * style. Returns false when the assignment is ordinary code (visited by the caller).
   */
  private visitAssignment(assignment: ts.BinaryExpression, ctx: Ctx): boolean {
    const target = chainOf(assignment.left);
    const value = unwrap(assignment.right);
    const isFunction = T.isArrowFunction(value) || T.isFunctionExpression(value);
    const left = assignment.left;
    const namePos = T.isPropertyAccessExpression(left) ? left.name.getStart(this.sf) : left.getStart(this.sf);
    if (ctx.fn.id === 0 && (target === 'module.exports' || target === 'exports')) {
      if (T.isObjectLiteralExpression(value)) {
        this.visitObjectLiteral(value, ctx, null, null);
        return true;
      }
      if (isFunction) {
        const name = T.isFunctionExpression(value) && value.name ? value.name.text : 'default';
        const fn = this.visitFunction(value, ctx, { name, namePos, qualname: name, exported: true });
        ctx.fn.scope[name] = fn.id;
        this.facts.exports.default = name;
        return true;
      }
      if (T.isIdentifier(value)) {
        this.facts.exports.default = value.text;
        return true;
      }
      if (T.isClassExpression(value)) {
        const name = value.name?.text ?? 'default';
        this.visitClass(value, ctx, name);
        this.facts.exports.default = name;
        return true;
      }
      return false;
    }
    const exportMatch = /^(?:module\.)?exports\.([\w$]+)$/.exec(target);
    if (ctx.fn.id === 0 && exportMatch) {
      const name = exportMatch[1] as string;
      if (isFunction) {
        const fn = this.visitFunction(value, ctx, { name, namePos, qualname: name, exported: true });
        ctx.fn.scope[name] = fn.id;
        this.facts.exports[name] = name;
        return true;
      }
      if (T.isIdentifier(value)) this.facts.exports[name] = value.text;
      return false;
    }
    const prototype = /^([\w$]+)\.prototype\.([\w$]+)$/.exec(target);
    if (prototype && isFunction) {
      const [, cls, method] = prototype as unknown as [string, string, string];
      const fn = this.visitFunction(value, ctx, { name: method, namePos, qualname: `${cls}.${method}`, className: cls });
      const facts = this.facts.classes[cls];
      if (facts) facts.methods[method] = fn.id;
      else ctx.fn.scope[`${cls}.${method}`] = fn.id;
      return true;
    }
    if (isFunction && /^[\w$]+$/.test(target)) {
      const fn = this.visitFunction(value, ctx, { name: target, namePos });
      ctx.fn.scope[target] = fn.id;
      return true;
    }
    return false;
  }

  /** `this.db = new Pool()` in a method: the class's field `db`. */
  private noteField(assignment: ts.BinaryExpression, ctx: Ctx): void {
    const left = assignment.left;
    if (!ctx.className || !T.isPropertyAccessExpression(left) || left.expression.kind !== T.SyntaxKind.ThisKeyword) return;
    const cls = this.facts.classes[ctx.className];
    const chain = chainOf(assignment.right);
    if (cls && chain !== '?') cls.fields[left.name.text] ??= `=${chain}`;
  }

  private visitClass(node: ts.ClassLikeDeclaration, ctx: Ctx, givenName: string | undefined): void {
    const name = node.name?.text ?? givenName ?? (hasModifier(node, T.SyntaxKind.DefaultKeyword) ? 'default' : '<class>');
    const namePos = node.name ? node.name.getStart(this.sf) : node.getStart(this.sf);
    const heritage = node.heritageClauses?.find((h) => h.token === T.SyntaxKind.ExtendsKeyword)?.types[0];
    const cls: TsClassFacts = { name, namePos, methods: dict(), fields: dict(), ...(heritage && { extends: chainOf(heritage.expression) }) };
    this.facts.classes[name] = cls;
    ctx.fn.scope[name] = `class:${name}`;
    if (ctx.fn.id === 0 && hasModifier(node, T.SyntaxKind.ExportKeyword)) {
      this.facts.exports[hasModifier(node, T.SyntaxKind.DefaultKeyword) ? 'default' : name] = name;
    }
    const classCtx: Ctx = { ...ctx, prefix: `${ctx.prefix}${name}.`, className: name, loopDepth: 0, sizes: this.readonlyFieldSizes(node, ctx.sizes) };
    // Its members' loops are their own: the loops around the class are not.
    delete classCtx.loop;
    let fields: TsFunctionFacts | undefined;
    for (const member of node.members) {
      const memberName = member.name && (T.isIdentifier(member.name) || T.isStringLiteral(member.name) || T.isPrivateIdentifier(member.name)) ? member.name.text : undefined;
      if (T.isConstructorDeclaration(member)) {
        cls.methods['constructor'] = this.visitFunction(member, classCtx, { name: 'constructor', namePos: member.getStart(this.sf), className: name }).id;
      } else if (T.isMethodDeclaration(member) && memberName !== undefined) {
        cls.methods[memberName] = this.visitFunction(member, classCtx, { name: memberName, namePos: (member.name as ts.Node).getStart(this.sf), className: name }).id;
      } else if (T.isPropertyDeclaration(member) && memberName !== undefined) {
        const init = member.initializer && unwrap(member.initializer);
        if (init && (T.isArrowFunction(init) || T.isFunctionExpression(init))) {
          cls.methods[memberName] = this.visitFunction(init, classCtx, { name: memberName, namePos: (member.name as ts.Node).getStart(this.sf), className: name }).id;
          continue;
        }
        const type = typeName(member.type);
        if (type) cls.fields[memberName] = type;
        else if (init && chainOf(init) !== '?') cls.fields[memberName] = `=${chainOf(init)}`;
        // Field initializers run per construction, not as module code: the work of a function of their own.
        if (member.initializer) {
          fields ??= this.newFunction({ name: '<fields>', qualname: `${classCtx.prefix}<fields>`, node: member, namePos: -1, parent: ctx.fn.id, reported: false, className: name });
          fields.inline = 'separate';
          this.visit(member.initializer, { ...classCtx, fn: fields });
        }
      } else if (T.isGetAccessorDeclaration(member) || T.isSetAccessorDeclaration(member)) {
        this.visitFunction(member, classCtx, undefined, { mode: 'separate', depth: 0 });
      } else if (T.isClassStaticBlockDeclaration(member)) {
        this.visit(member.body, ctx);
      }
    }
  }

  /** A scope in which `this.name` of each readonly field the class initializes to a size the code tells has that size (`readonly window = 12`). */
  private readonlyFieldSizes(node: ts.ClassLikeDeclaration, outer: SizeScope): SizeScope {
    const scope = new SizeScope(outer);
    for (const member of node.members) {
      if (!T.isPropertyDeclaration(member) || !member.initializer || !T.isIdentifier(member.name) || !hasModifier(member, T.SyntaxKind.ReadonlyKeyword)) continue;
      if (hasModifier(member, T.SyntaxKind.StaticKeyword)) continue;
      scope.bind(`${THIS_FIELD}${member.name.text}`, this.sizes.sizeOf(member.initializer, outer), this.sizes.elementSizeOf(member.initializer, outer));
    }
    return scope;
  }

  private visitCall(node: ts.CallExpression | ts.NewExpression, ctx: Ctx): void {
    const callee = unwrap(node.expression);
    const args = node.arguments ?? T.factory.createNodeArray<ts.Expression>();
    // An immediately invoked function: its body is the caller's work, once.
    if (T.isArrowFunction(callee) || T.isFunctionExpression(callee)) {
      this.visitFunction(callee, ctx, undefined, { mode: 'once', depth: ctx.loopDepth, returnsPromises: ctx.returnsPromises });
      for (const arg of args) this.visit(arg, ctx);
      return;
    }
    const chain = chainOf(callee);
    const nameNode = T.isPropertyAccessExpression(callee) ? callee.name : callee;
    const pos = nameNode.getStart(this.sf);
    const method = T.isPropertyAccessExpression(callee) ? callee.name.text : chain;
    const call: TsCallFact = { line: this.line(pos), pos, callee: chain, loopDepth: ctx.loopDepth };
    if (ctx.loop !== undefined) call.loop = ctx.loop;
    if (ctx.once) call.once = true;
    if (T.isNewExpression(node)) call.isNew = true;
    const streamed = this.streamedStages.get(node);
    if (streamed !== undefined) call.streamedBytes = streamed;
    const piped = this.noteStreamStages(method, callee, args, ctx);
    if (piped !== undefined && method === 'pipeline') call.streamedBytes = piped;
    for (let index = 0; index < args.length; index++) {
      const value = unwrap(args[index] as ts.Expression);
      if (T.isIdentifier(value) || T.isPropertyAccessExpression(value) || T.isCallExpression(value)) {
        call.passed ??= new Array<string | null>(args.length).fill(null);
        call.passed[index] = chainOf(value);
      }
      const size = this.sizes.sizeOf(args[index], ctx.sizes);
      if (size === undefined) continue;
      call.argSizes ??= new Array<number | null>(args.length).fill(null);
      call.argSizes[index] = size;
    }
    // The receiver's items count only for methods that run something per item (`rows.sort(cmp)`, `xs.map(f)`).
    const receiverSize = T.isPropertyAccessExpression(callee) && ITERATING_METHODS.has(method) ? this.sizes.sizeOf(callee.expression, ctx.sizes) : undefined;
    if (receiverSize !== undefined) call.receiverSize = receiverSize;
    if (method === 'push' && T.isPropertyAccessExpression(callee) && T.isIdentifier(callee.expression)) {
      const pushed = args.map((arg) => this.sizes.sizeOf(arg, ctx.sizes));
      const largest = pushed.every((size) => size !== undefined) ? Math.max(0, ...(pushed as number[])) : undefined;
      // An array made inside a loop (`const row = [...]` per student) grows only by the loops inside that one.
      ctx.sizes.grow(callee.expression.text, this.runsOf(ctx, ctx.declaredInLoop?.get(callee.expression.text)) * args.length, largest);
    }
    if (FILE_WRITES.has(method) && args[0] && args[1]) {
      const written = unwrap(args[0]);
      const size = this.sizes.sizeOf(args[1], ctx.sizes);
      if (T.isIdentifier(written)) ctx.sizes.bind(WRITTEN_TO + written.text, size);
      if (method === 'writeFileSync' && ctx.fn.makesFile && ctx.fn.parent === 0) this.noteMadeFile(ctx.fn, args[1], size, ctx);
    }
    if (ctx.poolLoop) call.poolLoop = true;
    if (this.awaitedCalls.has(node)) call.awaited = true;
    const [first] = args;
    if (args.every(isConstant)) call.constantArgs = true;
    else if (args.every((arg) => takesSameFew(arg, ctx.sameFew))) call.sameFewArgs = true;
    const firstValue = first && unwrap(first);
    if (firstValue && T.isCallExpression(firstValue)) call.firstArgCall = chainOf(firstValue.expression);
    // `const file = made(…); read(file)`: the call the local was bound to.
    else if (firstValue && T.isIdentifier(firstValue) && ctx.fn.locals[firstValue.text]?.endsWith('()')) call.firstArgCall = ctx.fn.locals[firstValue.text]?.slice(0, -2);
    if (first) {
      const value = unwrap(first);
      if (T.isStringLiteral(value) || T.isNoSubstitutionTemplateLiteral(value)) {
        call.stringArg = value.text;
        call.literalArg = true;
        const given = childInputs(args);
        const input = this.childInputSize(given, ctx);
        if (input !== undefined) call.inputSize = input;
        const makers = childInputMakers(given);
        if (makers.length > 0) call.inputMakers = makers;
      } else if (T.isNumericLiteral(value)) call.literalArg = true;
    }
    if (first && TEXT_PARSERS.has(chain) && !isComputedNumber(first)) call.textArg = true;
    if ((ctx.loop !== undefined || ctx.fn.inline === 'per-item') && RANDOM_SOURCE.test(chain)) this.noteDrawsAtRandom(ctx.fn);
    const level = compressionLevel(args);
    if (level !== undefined) call.level = level;
    if (method === 'sign') {
      const rsaBits = this.rsaBitsOf(args);
      if (rsaBits !== undefined) call.rsaBits = rsaBits;
    }
    if (method === 'Worker' || method === 'Piscina' || chain === 'workerpool.pool') {
      const script = this.scriptOf(first);
      if (script !== undefined) call.script = script;
    }
    ctx.fn.calls.push(call);
    const head = /^[\w$]+(?=$|[.(])/.exec(chain)?.[0];
    if (head !== undefined && head !== 'this' && head !== 'super') this.namedCalls.push({ call, head, fn: ctx.fn });

    // The receiver is evaluated first; `.then` on a call makes that call a promise.
    if (T.isPropertyAccessExpression(callee)) {
      const receiver = unwrap(callee.expression);
      if ((method === 'then' || method === 'catch' || method === 'finally') && (T.isCallExpression(receiver) || T.isNewExpression(receiver))) this.awaitedCalls.add(receiver);
      this.visit(callee.expression, ctx);
    } else if (T.isElementAccessExpression(callee)) {
      this.visit(callee, ctx);
    }
    const promiseCombinator = /^Promise\.(all|allSettled|race|any)$/.test(chain);
    const handler = this.handlerKind(chain, method, first, call);
    const parentPortMessage = /(^|\.)parentPort\.(on|once|addListener)$/.test(chain) && call.stringArg === 'message';
    args.forEach((arg, index) => {
      const value = unwrap(arg);
      if (T.isArrowFunction(value) || T.isFunctionExpression(value)) {
        const mode: InlineMode = handler || parentPortMessage || /^process\.(on|once)$/.test(chain)
          ? 'separate'
          : DEFERRING_METHODS.has(method) || DEFERRING_CALLS.has(chain)
            ? 'deferred'
          : (T.isPropertyAccessExpression(callee) && ITERATING_METHODS.has(method) && index === (method === 'from' ? 1 : 0)) || (/^(_|lodash)\.\w+$/.test(chain) && ITERATING_METHODS.has(method) && index === 1)
            ? 'per-item'
            : 'once';
        const sized = mode === 'per-item' && method === 'from' && first !== undefined && POOL_SIZE.test(first.getText(this.sf));
        const fn = this.visitFunction(value, ctx, undefined, {
          mode,
          depth: ctx.loopDepth,
          ...(ctx.loop !== undefined && { loop: ctx.loop }),
          ...(mode === 'per-item' && { count: this.perItemCalls(method, method === 'from' ? this.sizes.sizeOf(node, ctx.sizes) : receiverSize), countParam: this.perItemParam(method, node, ctx) }),
          ...(mode === 'per-item' && this.sameEveryCall(method, node, ctx) && { sameItems: true }),
          ...(mode === 'per-item' && ITEM_FIRST_METHODS.has(method) && T.isPropertyAccessExpression(callee) && { itemSize: this.sizes.elementSizeOf(callee.expression, ctx.sizes) }),
          poolLoop: ctx.poolLoop || sized,
          ...(handler && { handler }),
          // `Promise.all(items.map(async (x) => …))`: what the callback returns is awaited.
          returnsPromises: ctx.returnsPromises && mode !== 'separate',
        });
        (call.callbacks ??= []).push(fn.id);
        if (parentPortMessage) this.facts.workerHandlers.push(fn.id);
        // `RULES.filter((rule) => rule.holds(s))`: the first parameter is an item of the receiver.
        const item = value.parameters[0]?.name;
        const table = T.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : undefined;
        if (mode === 'per-item' && method !== 'from' && item && T.isIdentifier(item) && table && T.isIdentifier(table) && this.tables.has(table.text)) {
          fn.locals[item.text] = `${table.text}[]`;
        }
        // `new Promise((resolve, reject) => …)`: the executor's parameters settle the promise, as Promise.resolve and Promise.reject do.
        if (call.isNew && chain === 'Promise' && index === 0) {
          value.parameters.slice(0, PROMISE_SETTLERS.length).forEach((param, at) => {
            if (T.isIdentifier(param.name)) fn.locals[param.name.text] = PROMISE_SETTLERS[at] as string;
          });
        }
        return;
      }
      if (T.isIdentifier(value) || T.isPropertyAccessExpression(value)) {
        const argChain = chainOf(value);
        (call.argChains ??= []).push(argChain);
        if (handler && T.isIdentifier(value)) this.handlerRefs.push(argChain);
        if (parentPortMessage && T.isIdentifier(value)) this.workerHandlerRefs.push(argChain);
      }
      if (promiseCombinator) {
        if (T.isArrayLiteralExpression(value)) {
          for (const element of value.elements) {
            const item = unwrap(element);
            if (T.isCallExpression(item) || T.isNewExpression(item)) this.awaitedCalls.add(item);
          }
        }
        this.visit(arg, { ...ctx, returnsPromises: true });
        return;
      }
      this.visit(arg, ctx);
    });
  }

  /** `pipeline(source, …stages)` and `source.pipe(stage)`: each stage written in place passes the bytes of the file the source streams, when the code sizes it (answered). */
  private noteStreamStages(method: string, callee: ts.Expression, args: readonly ts.Expression[], ctx: Ctx): number | undefined {
    const [source, ...stages] = method === 'pipeline' ? args : method === 'pipe' && T.isPropertyAccessExpression(callee) ? [callee.expression, ...args.slice(0, 1)] : [];
    const bytes = source && this.streamedFileBytes(source, ctx);
    if (bytes === undefined) return undefined;
    for (const stage of stages) {
      const value = unwrap(stage);
      if (T.isCallExpression(value) || T.isNewExpression(value)) this.streamedStages.set(value, bytes);
    }
    return bytes;
  }

  /** Bytes a readable stream gives: `fs.createReadStream(file)` of a file the code sizes, itself or piped on (`….pipe(gzip)`). */
  private streamedFileBytes(source: ts.Expression, ctx: Ctx): number | undefined {
    let value = unwrap(source);
    while (T.isCallExpression(value) && T.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'pipe') value = unwrap(value.expression.expression);
    if (!T.isCallExpression(value) || !value.arguments[0]) return undefined;
    const callee = unwrap(value.expression);
    const name = T.isPropertyAccessExpression(callee) ? callee.name.text : T.isIdentifier(callee) ? callee.text : '';
    return name === 'createReadStream' ? this.sizes.fileBytes(value.arguments[0], ctx.sizes) : undefined;
  }

  /**
   * `xs[k] = …`: into an array of known length at an index the code does not tell, an in-place update (a swap)
   * that keeps its length; at `xs.length` (`+ c`), an append per run; into an empty or unknown array, or past its
   * end, a fill whose length is no longer the one its declaration told.
   */
  private indexWrite(target: ts.ElementAccessExpression, name: string, ctx: Ctx): void {
    const index = unwrap(target.argumentExpression);
    const appendAt = T.isBinaryExpression(index) && index.operatorToken.kind === T.SyntaxKind.PlusToken ? unwrap(index.left) : index;
    if (T.isPropertyAccessExpression(appendAt) && appendAt.name.text === 'length' && chainOf(appendAt.expression) === name) {
      ctx.sizes.grow(name, this.runsOf(ctx));
      return;
    }
    const length = ctx.sizes.lookup(name);
    const at = this.sizes.sizeOf(index, ctx.sizes);
    if (length === undefined || length === 0 || (at !== undefined && at >= length)) ctx.sizes.grow(name, undefined);
  }

  /** How many times code at `ctx` runs per call of its function: the product of its loops' counts (NaN when one is unknown). */
  /** Runs of the code at `ctx`: the counts of the loops around it, inside loop `within` when given. */
  private runsOf(ctx: Ctx, within?: number): number {
    let runs = 1;
    for (let at = ctx.loop, guard = 0; at !== undefined && at !== within && guard < ctx.fn.loops.length; guard++) {
      const loop = ctx.fn.loops[at] as TsLoopFact;
      runs *= loop.count ?? NaN;
      at = loop.parent;
    }
    return runs;
  }

  /** The parameter of the function a per-element callback runs over, once per item (`Array.from({ length: n }, …)`, `rows.map(…)`). */
  private perItemParam(method: string, call: ts.CallExpression | ts.NewExpression, ctx: Ctx): number | undefined {
    if (method === 'sort' || method === 'toSorted') return undefined;
    const callee = unwrap(call.expression);
    const over = method === 'from' ? this.sizes.lengthMade(call) : T.isPropertyAccessExpression(callee) ? callee.expression : undefined;
    const value = over && unwrap(over);
    return value && T.isIdentifier(value) ? this.paramIndex(value.text, ctx) : undefined;
  }

  /**
   * A per-item callback's method runs over the same items every call: `Array.from({ length: n })` of an `n` that is a literal,
   * a module's constant or one of the same few; `ITEMS.map(…)` of a module's collection. Not a sort's or a reduce's (their
   * parameters are pairs or an accumulator).
   */
  private sameEveryCall(method: string, call: ts.CallExpression | ts.NewExpression, ctx: Ctx): boolean {
    const callee = unwrap(call.expression);
    const over = method === 'from' ? this.sizes.lengthMade(call) : ITEM_FIRST_METHODS.has(method) && T.isPropertyAccessExpression(callee) ? callee.expression : undefined;
    if (!over) return false;
    const value = unwrap(over);
    if (T.isIdentifier(value) && !ctx.sameFew?.has(value.text)) return this.moduleConstants.has(value.text) && this.paramIndex(value.text, ctx) === undefined && !ctx.declared?.has(value.text);
    return takesSameFew(value, ctx.sameFew);
  }

  /** Calls of a per-item callback by `method` over `items` (a sort compares n·log2 n pairs). */
  private perItemCalls(method: string, items: number | undefined): number | undefined {
    if (items === undefined || !Number.isFinite(items)) return undefined;
    return method === 'sort' || method === 'toSorted' ? Math.ceil(items * Math.log2(Math.max(2, items))) : items;
  }

  /** Request handlers: a server factory's callback, an express-style route, a server's `request` event. */
  private handlerKind(chain: string, method: string, first: ts.Expression | undefined, call: TsCallFact): HandlerKind | undefined {
    if (method === 'createServer' || method === 'createSecureServer') return /^(net|tls)\./.test(chain) ? undefined : 'server';
    if (method === 'on' && call.stringArg === 'request') return 'server';
    if (!ROUTE_METHODS.has(method) || !chain.includes('.')) return undefined;
    if (call.stringArg !== undefined) return call.stringArg.startsWith('/') || call.stringArg === '*' ? 'route' : undefined;
    return first && T.isRegularExpressionLiteral(unwrap(first)) ? 'route' : undefined;
  }

  /** The script a Worker (or a worker pool) runs, as an absolute path; `<self>` for this file. */
  private scriptOf(arg: ts.Expression | undefined): string | undefined {
    if (!arg) return undefined;
    const value = unwrap(arg);
    if (T.isObjectLiteralExpression(value)) {
      // Piscina({ filename }).
      for (const property of value.properties) {
        if (T.isPropertyAssignment(property) && T.isIdentifier(property.name) && property.name.text === 'filename') return this.scriptOf(property.initializer);
      }
      return undefined;
    }
    if (T.isStringLiteral(value) || T.isNoSubstitutionTemplateLiteral(value)) {
      return value.text.startsWith('.') || path.isAbsolute(value.text) ? path.resolve(this.dir, value.text) : undefined;
    }
    if (T.isIdentifier(value)) return value.text === '__filename' ? '<self>' : undefined;
    if (!T.isCallExpression(value) && !T.isNewExpression(value)) {
      const named = chainOf(value);
      return named === 'import.meta.url' || named === 'import.meta.filename' ? '<self>' : undefined;
    }
    const chain = chainOf(value.expression);
    const args = value.arguments ?? [];
    // path.join(__dirname, 'a', 'w.js'), path.resolve(...), join(...), new URL('./w.js', import.meta.url), require.resolve('./w').
    if (/(^|\.)(join|resolve)$/.test(chain) && !chain.startsWith('require')) {
      const parts: string[] = [];
      for (const part of args) {
        const p = unwrap(part);
        if (T.isIdentifier(p) && p.text === '__dirname') parts.push(this.dir);
        else if (T.isStringLiteral(p) || T.isNoSubstitutionTemplateLiteral(p)) parts.push(p.text);
        else if (chainOf(p) === 'import.meta.dirname') parts.push(this.dir);
        else return undefined;
      }
      return parts.length > 0 ? path.resolve(this.dir, ...parts) : undefined;
    }
    if (chain === 'URL' || chain === 'require.resolve' || chain.endsWith('fileURLToPath')) {
      const [spec] = args;
      if (!spec) return undefined;
      const inner = unwrap(spec);
      if (T.isStringLiteral(inner) || T.isNoSubstitutionTemplateLiteral(inner)) return path.resolve(this.dir, inner.text);
      return this.scriptOf(inner);
    }
    return undefined;
  }

  private collectErrors(): void {
    const diagnostics = (this.sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    for (const diagnostic of diagnostics.slice(0, MAX_SYNTAX_ERRORS)) {
      this.facts.syntaxErrors.push({
        line: this.line(diagnostic.start),
        message: `syntax error: ${T.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
      });
    }
  }

  private collectSuppressions(): void {
    const text = this.sf.text;
    if (!text.includes('concurrency-lens')) return;
    for (const match of text.matchAll(SUPPRESSION)) {
      const rules = match[1] === undefined ? [] : match[1].split(',').map((r) => r.trim().toUpperCase()).filter(Boolean);
      this.facts.suppressions[this.line(match.index)] = rules;
    }
  }
}
