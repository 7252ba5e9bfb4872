import * as path from 'node:path';
import { ts } from 'ts-morph';
import { Deadline } from '../budget';
import { CALL_SITE_BUDGET_MS, callFromSignature, calleeOf, typescriptParameters, type CallSuggestion, type SourceFile } from '../bench/callSuggestion';

/** Calls beyond these are not looked at (a call site is a convenience, not a search). */
const MAX_CALLS_PER_FILE = 5_000;

/** Globals a call site's arguments may use as they are. */
const GLOBALS = new Set([
  'i', 'undefined', 'NaN', 'Infinity', 'Math', 'JSON', 'Number', 'String', 'Boolean', 'Array', 'Object', 'BigInt', 'Date',
  'Buffer', 'Uint8Array', 'Float64Array', 'Map', 'Set', 'RegExp', 'parseInt', 'parseFloat', 'encodeURIComponent', 'decodeURIComponent', 'URL',
]);

/** A benchmark's call for the TS/JS function `qualname` declared at `line` of `targetFile`: a call site in `files`, else its signature. */
export function scriptCallSuggestion(targetFile: string, qualname: string, line: number, files: readonly SourceFile[]): CallSuggestion {
  const fromCallSite = scriptCallFromCallSites(targetFile, qualname, files);
  if (fromCallSite) return fromCallSite;
  const name = qualname.split('.').at(-1) ?? qualname;
  const lines = files.find((file) => file.path === targetFile)?.text.split('\n').slice(line - 1, line + 10).join('\n') ?? '';
  const declaration = lines.includes(name) ? lines.slice(lines.indexOf(name)) : '';
  return callFromSignature(calleeOf(qualname, true), typescriptParameters(declaration), true);
}

/**
 * The TS/JS counterpart of `callFromCallSites` (bench/callSuggestion.ts): the first call of the exported
 * function `qualname` of `targetFile` among `files` (the target first) whose arguments can run in the
 * scope the Node harness gives a call (the module's exports): the argument text as written, the loop variable of `for (const x of XS)` or of
 * `XS.forEach((x) => …)`/`XS.map(…)` (XS exported) turned into `XS[i % XS.length]`, and the
 * counter of `for (let k = 0; k < N; k++)` (N a literal) into `(i % N)`. In another file, the names
 * used must be imported there from the target module (`import { fetchPage, URLS } from './jobs'`).
 */
export function scriptCallFromCallSites(targetFile: string, qualname: string, files: readonly SourceFile[], deadline = new Deadline(CALL_SITE_BUDGET_MS)): CallSuggestion | null {
  if (qualname.includes('.')) return null;
  const targetStem = stem(targetFile);
  const target = files.find((file) => file.path === targetFile);
  if (!target) return null;
  const targetNames = exportedNames(parse(target));
  const ordered = [...files].sort((a, b) => Number(b.path === targetFile) - Number(a.path === targetFile));
  const calls = new RegExp(`\\b${qualname}\\s*\\(`);
  for (const file of ordered) {
    const sameFile = file.path === targetFile;
    if (!sameFile && deadline.passed) break;
    if (!calls.test(file.text) || (!sameFile && !file.text.includes(targetStem))) continue;
    const source = parse(file);
    const visible = sameFile ? targetNames : importedFrom(source, targetStem, targetNames);
    if (!visible.has(qualname)) continue;
    const found = firstRunnableCall(source, qualname, visible);
    if (found) return { call: found.call, from: `the call at ${path.basename(file.path)}:${found.line}` };
  }
  return null;
}

function parse(file: SourceFile): ts.SourceFile {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
}

function stem(file: string): string {
  return path.basename(file).replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
}

/**
 * Names the Node harness can use in a call: the module's exports (it evaluates the call in their scope):
 * `export` declarations (destructuring too), `export { a, b }` unaliased, CommonJS `exports.a = …`,
 * `module.exports.a = …` and `module.exports = { a, b: b }`.
 */
function exportedNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  const exported = (statement: ts.Statement): boolean =>
    ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name && exported(statement)) {
      names.add(statement.name.text);
    } else if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) if (!element.propertyName) names.add(element.name.text);
    } else if (ts.isExpressionStatement(statement)) {
      commonJsExports(statement.expression, names);
    }
  }
  return names;
}

/** `exports.a = …`, `module.exports.a = …`, `module.exports = { a, b: b }`. */
function commonJsExports(expression: ts.Expression, names: Set<string>): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const left = expression.left;
  if (ts.isPropertyAccessExpression(left) && /^(module\.)?exports$/.test(left.expression.getText())) {
    names.add(left.name.text);
  } else if (left.getText() === 'module.exports' && ts.isObjectLiteralExpression(expression.right)) {
    for (const property of expression.right.properties) {
      if (ts.isShorthandPropertyAssignment(property)) names.add(property.name.text);
      else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && ts.isIdentifier(property.initializer) && property.initializer.text === property.name.text) {
        names.add(property.name.text);
      }
    }
  }
}

function importedNames(statement: ts.ImportDeclaration): Array<{ local: string; imported: string }> {
  const clause = statement.importClause;
  if (!clause || clause.isTypeOnly) return [];
  const names: Array<{ local: string; imported: string }> = [];
  if (clause.name) names.push({ local: clause.name.text, imported: 'default' });
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) {
      if (!element.isTypeOnly) names.push({ local: element.name.text, imported: (element.propertyName ?? element.name).text });
    }
  }
  return names;
}

/** Names another module imports unaliased from the target module that the target exports. */
function importedFrom(source: ts.SourceFile, targetStem: string, targetNames: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (!specifier.startsWith('.') || stem(specifier) !== targetStem) continue;
    for (const { local, imported } of importedNames(statement)) {
      if (local === imported && targetNames.has(local)) names.add(local);
    }
  }
  return names;
}

function firstRunnableCall(source: ts.SourceFile, name: string, visible: ReadonlySet<string>): { call: string; line: number } | null {
  const pending: ts.Node[] = [source];
  let seen = 0;
  while (pending.length > 0 && seen < MAX_CALLS_PER_FILE) {
    const node = pending.shift() as ts.Node;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) {
      seen++;
      const args = runnableArguments(node, source, visible);
      if (args !== null) return { call: `${name}(${args})`, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 };
    }
    node.forEachChild((child) => {
      pending.push(child);
    });
  }
  return null;
}

/** The arguments' text with loop variables turned into expressions of `i`; null when a name is not usable in the target module. */
function runnableArguments(call: ts.CallExpression, source: ts.SourceFile, visible: ReadonlySet<string>): string | null {
  const loopVariables = enclosingLoopVariables(call, visible);
  const parts: string[] = [];
  for (const argument of call.arguments) {
    const replacements: Array<{ start: number; end: number; text: string }> = [];
    let usable = true;
    const visit = (node: ts.Node): void => {
      if (!usable) return;
      if (ts.isIdentifier(node) && isVariableUse(node)) {
        const replacement = loopVariables.get(node.text);
        const shorthand = ts.isShorthandPropertyAssignment(node.parent);
        if (replacement !== undefined) replacements.push({ start: node.getStart(source), end: node.getEnd(), text: shorthand ? `${node.text}: ${replacement}` : replacement });
        else if (!visible.has(node.text) && !GLOBALS.has(node.text)) usable = false;
        return;
      }
      if (ts.isFunctionLike(node)) {
        usable = false;
        return;
      }
      node.forEachChild(visit);
    };
    visit(argument);
    if (!usable) return null;
    const start = argument.getStart(source);
    let text = source.text.slice(start, argument.getEnd());
    for (const { start: from, end, text: replacement } of replacements.sort((a, b) => b.start - a.start)) {
      text = text.slice(0, from - start) + replacement + text.slice(end - start);
    }
    parts.push(text.replace(/\s*\n\s*/g, ' '));
  }
  return parts.join(', ');
}

/** An identifier that reads a variable (not `.name`, not an object literal's key). */
function isVariableUse(name: ts.Identifier): boolean {
  const parent = name.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === name) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === name) return false;
  return true;
}

/** Array methods whose callback's first parameter is each item in turn. */
const ITEM_CALLBACK_METHODS = new Set(['forEach', 'map', 'filter', 'flatMap', 'some', 'every', 'find', 'findIndex']);

/** Loop variables around `call`, as expressions of the task index `i`. */
function enclosingLoopVariables(call: ts.Node, visible: ReadonlySet<string>): Map<string, string> {
  const variables = new Map<string, string>();
  const add = (variable: string, expression: string | null): void => {
    if (expression !== null && !variables.has(variable)) variables.set(variable, expression);
  };
  for (let node: ts.Node = call.parent; !ts.isSourceFile(node); node = node.parent) {
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
      const [declaration] = node.initializer.declarations;
      if (declaration && ts.isIdentifier(declaration.name)) add(declaration.name.text, indexOf(node.expression, visible));
    } else if (ts.isForStatement(node)) {
      const counter = literalCounter(node);
      if (counter) add(counter.name, `(i % ${counter.bound})`);
    } else if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      // `XS.forEach((x) => …)`: the callback's first parameter walks XS.
      const parent = node.parent;
      const [parameter] = node.parameters;
      const iterates = ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && ITEM_CALLBACK_METHODS.has(parent.expression.name.text);
      if (!iterates || !parameter || !ts.isIdentifier(parameter.name)) break;
      add(parameter.name.text, indexOf((parent.expression as ts.PropertyAccessExpression).expression, visible));
    } else if (ts.isFunctionLike(node)) break;
  }
  return variables;
}

function indexOf(iterable: ts.Expression, visible: ReadonlySet<string>): string | null {
  return ts.isIdentifier(iterable) && visible.has(iterable.text) ? `${iterable.text}[i % ${iterable.text}.length]` : null;
}

/** `for (let k = 0; k < N; k++)` with a literal N: the counter's name and N. */
function literalCounter(loop: ts.ForStatement): { name: string; bound: string } | null {
  const initializer = loop.initializer;
  if (!initializer || !ts.isVariableDeclarationList(initializer)) return null;
  const [declaration] = initializer.declarations;
  if (!declaration || !ts.isIdentifier(declaration.name)) return null;
  const condition = loop.condition;
  if (!condition || !ts.isBinaryExpression(condition) || condition.operatorToken.kind !== ts.SyntaxKind.LessThanToken) return null;
  if (!ts.isIdentifier(condition.left) || condition.left.text !== declaration.name.text || !ts.isNumericLiteral(condition.right)) return null;
  return { name: declaration.name.text, bound: condition.right.text };
}
