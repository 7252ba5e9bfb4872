import * as path from 'node:path';
import type { Node } from '@vscode/tree-sitter-wasm';
import { Deadline } from '../budget';
import type { FactsParser } from '../python/parse';
import type { BenchOutcome } from './runner';

/**
 * The call a benchmark pre-fills: a real call of the function found in the workspace when one can run
 * in the function's module as it is written, else one made from the signature and its type hints.
 * A guess the user edits; `from` says where it came from.
 */
export interface CallSuggestion {
  call: string;
  from: string;
}

export interface SourceFile {
  path: string;
  text: string;
}

/** Calls beyond these are not looked at (a call site is a convenience, not a search). */
const MAX_CALLS_PER_FILE = 5_000;
/** Other files are not parsed past this long a search (the target's own file always is). */
export const CALL_SITE_BUDGET_MS = 2000;
/** A collection argument made up from a type hint has this many items. */
const COLLECTION_SIZE = 1000;

/** Builtins a call site's arguments may use as they are. */
const BUILTINS = new Set(['len', 'range', 'str', 'int', 'float', 'bool', 'bytes', 'list', 'dict', 'tuple', 'set', 'frozenset', 'sum', 'min', 'max', 'abs', 'sorted', 'reversed', 'enumerate', 'zip', 'map', 'filter', 'repr', 'round', 'pow', 'divmod', 'chr', 'ord', 'bytearray', 'object', 'i']);

/**
 * `f(i)`-like callee text for a qualname evaluated in its own module: a method is called on a new
 * instance (`Parser().parse`, in JavaScript `new Parser().parse`); a nested function by its name.
 */
export function calleeOf(qualname: string, javascript: boolean): string {
  const parts = qualname.split('.');
  const name = parts.at(-1) ?? qualname;
  const owner = parts.slice(0, -1).join('.');
  if (parts.length === 1 || qualname.includes('<locals>')) return name;
  return javascript ? `new ${owner}().${name}` : `${owner}().${name}`;
}

/**
 * The first call of the module-level function `qualname` of `targetFile` among `files` (the target file
 * first, then the others in order) whose arguments can run in the target's module: the argument text as
 * written, the loop variable of an enclosing `for x in XS` (XS a module-level name) turned into
 * `XS[i % len(XS)]` and of `for x in range(N)` into `(i % N)`. In another file, the names used must be
 * imported there from the target module (`from jobs import URLS`). Null when no call qualifies (other
 * files are left once `deadline` has passed).
 */
export function callFromCallSites(
  parser: FactsParser,
  targetFile: string,
  qualname: string,
  files: readonly SourceFile[],
  deadline = new Deadline(CALL_SITE_BUDGET_MS),
): CallSuggestion | null {
  if (qualname.includes('.')) return null;
  const targetStem = path.basename(targetFile).replace(/\.pyi?$/, '');
  const ordered = [...files].sort((a, b) => Number(b.path === targetFile) - Number(a.path === targetFile));
  const targetText = files.find((file) => file.path === targetFile)?.text;
  if (targetText === undefined) return null;
  const targetNames = withTree(parser, targetText, (root) => moduleNames(root));
  for (const file of ordered) {
    const sameFile = file.path === targetFile;
    if (!sameFile && deadline.passed) break;
    // Cheap text checks first: only a file that calls the name (and, another file, names the module) is parsed.
    if (!new RegExp(`\\b${qualname}\\s*\\(`).test(file.text) || (!sameFile && !file.text.includes(targetStem))) continue;
    const found = withTree(parser, file.text, (root) => {
      const visible = sameFile ? targetNames : importedFrom(root, targetStem, targetNames);
      if (!sameFile && !visible.has(qualname)) return null;
      const calls = root.descendantsOfType('call').slice(0, MAX_CALLS_PER_FILE);
      for (const call of calls) {
        const fn = call?.childForFieldName('function');
        const args = call?.childForFieldName('arguments');
        if (!call || !fn || !args || fn.type !== 'identifier' || fn.text !== qualname) continue;
        const text = runnableArguments(call, args, visible);
        if (text !== null) return { call: `${qualname}${text}`, line: call.startPosition.row + 1 };
      }
      return null;
    });
    if (found) return { call: found.call, from: `the call at ${path.basename(file.path)}:${found.line}` };
  }
  return null;
}

function withTree<T>(parser: FactsParser, text: string, read: (root: Node) => T): T {
  const tree = parser.tree(text);
  try {
    return read(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** Names bound at a module's top level: assignments, definitions, imports (also under a top-level `if`/`try`). */
function moduleNames(root: Node): Set<string> {
  const names = new Set<string>();
  const pending: Node[] = [root];
  for (let block = pending.pop(); block; block = pending.pop()) {
    for (const statement of block.namedChildren) {
      if (!statement) continue;
      switch (statement.type) {
        case 'expression_statement': {
          const assignment = statement.namedChildren[0];
          const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
          if (left?.type === 'identifier') names.add(left.text);
          break;
        }
        case 'function_definition':
        case 'class_definition':
          names.add(statement.childForFieldName('name')?.text ?? '');
          break;
        case 'decorated_definition':
          names.add(statement.childForFieldName('definition')?.childForFieldName('name')?.text ?? '');
          break;
        case 'import_statement':
        case 'import_from_statement':
          for (const bound of importedNames(statement)) names.add(bound.local);
          break;
        case 'if_statement':
        case 'try_statement':
        case 'else_clause':
        case 'elif_clause':
        case 'except_clause':
        case 'finally_clause':
        case 'block':
          pending.push(statement);
          break;
      }
    }
  }
  names.delete('');
  return names;
}

/** The names an import statement binds: `import a.b as c` binds c, `from m import x as y` binds y. */
function importedNames(statement: Node): Array<{ local: string; imported: string }> {
  const moduleName = statement.childForFieldName('module_name');
  return statement.namedChildren.flatMap((child) => {
    if (!child || child.startIndex === moduleName?.startIndex) return [];
    if (child.type === 'aliased_import') {
      const alias = child.childForFieldName('alias')?.text ?? '';
      return [{ local: alias, imported: child.childForFieldName('name')?.text ?? '' }];
    }
    if (child.type === 'dotted_name') return [{ local: child.text.split('.')[0] ?? '', imported: child.text }];
    return [];
  });
}

/** Names another module imports unaliased from the target module (`from jobs import fetch, URLS`) that the target binds. */
function importedFrom(root: Node, targetStem: string, targetNames: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'import_from_statement') continue;
    const from = statement.childForFieldName('module_name')?.text.replace(/^\.+/, '') ?? '';
    if (from.split('.').at(-1) !== targetStem) continue;
    for (const { local, imported } of importedNames(statement)) {
      if (local === imported && targetNames.has(local)) names.add(local);
    }
  }
  return names;
}

/**
 * The argument list's text with loop variables turned into expressions of `i`, or null when a name it
 * uses is neither a usable loop variable, nor visible in the target module, nor a builtin.
 */
function runnableArguments(call: Node, args: Node, visible: ReadonlySet<string>): string | null {
  const loopVariables = enclosingLoopVariables(call, visible);
  const replacements: Array<{ start: number; end: number; text: string }> = [];
  for (const name of args.descendantsOfType('identifier')) {
    if (!name || !isVariableUse(name)) continue;
    const replacement = loopVariables.get(name.text);
    if (replacement !== undefined) replacements.push({ start: name.startIndex, end: name.endIndex, text: replacement });
    else if (!visible.has(name.text) && !BUILTINS.has(name.text)) return null;
  }
  let text = args.text;
  for (const { start, end, text: replacement } of replacements.reverse()) {
    text = text.slice(0, start - args.startIndex) + replacement + text.slice(end - args.startIndex);
  }
  return text.replace(/\s*\n\s*/g, ' ');
}

/** An identifier that reads a variable (not `.attr`, not `keyword=` of a call). */
function isVariableUse(name: Node): boolean {
  const parent = name.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === name.startIndex) return false;
  if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === name.startIndex) return false;
  return true;
}

/** Loop variables of the `for` statements and comprehensions around `call`, as expressions of the task index `i`. */
function enclosingLoopVariables(call: Node, visible: ReadonlySet<string>): Map<string, string> {
  const variables = new Map<string, string>();
  for (let node = call.parent; node; node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda') break;
    const clauses = node.type === 'for_statement' ? [node] : isComprehension(node.type) ? node.namedChildren.filter((child) => child?.type === 'for_in_clause') : [];
    for (const clause of clauses) {
      const variable = clause?.childForFieldName('left');
      const iterable = clause?.childForFieldName('right');
      if (variable?.type !== 'identifier' || !iterable || variables.has(variable.text)) continue;
      const expression = indexExpression(iterable, visible);
      if (expression) variables.set(variable.text, expression);
    }
  }
  return variables;
}

function isComprehension(type: string): boolean {
  return type === 'list_comprehension' || type === 'set_comprehension' || type === 'dictionary_comprehension' || type === 'generator_expression';
}

/** `XS[i % len(XS)]` for a module-level name, `(i % N)` for `range(N)` with a literal N; else null. */
function indexExpression(iterable: Node, visible: ReadonlySet<string>): string | null {
  if (iterable.type === 'identifier' && visible.has(iterable.text)) return `${iterable.text}[i % len(${iterable.text})]`;
  if (iterable.type !== 'call' || iterable.childForFieldName('function')?.text !== 'range') return null;
  const bounds = iterable.childForFieldName('arguments')?.namedChildren ?? [];
  const [bound] = bounds;
  return bounds.length === 1 && bound?.type === 'integer' ? `(i % ${bound.text})` : null;
}

/** A benchmark's call for the Python function `qualname` declared at `line` of `targetFile`: a call site in `files`, else its signature. */
export function pythonCallSuggestion(parser: FactsParser, targetFile: string, qualname: string, line: number, files: readonly SourceFile[]): CallSuggestion {
  const target = files.find((file) => file.path === targetFile);
  const name = qualname.split('.').at(-1) ?? qualname;
  const fromCallSite = callFromCallSites(parser, targetFile, qualname, files);
  return fromCallSite ?? callFromSignature(calleeOf(qualname, false), (target && pythonParameters(parser, target.text, line, name)) ?? [], false);
}

/** A parameter as the signature gives it. */
export interface Parameter {
  name: string;
  /** The annotation's text, when there is one. */
  type?: string;
  /** Has a default (or is optional, `x?: T`): the call leaves it out. */
  optional: boolean;
  /** `*args`/`**kwargs`/`...rest`: left out. */
  variadic: boolean;
  /** After a bare `*` (Python): passed as `name=value`. */
  keywordOnly?: boolean;
}

/**
 * The parameters of the Python function `name` defined from `line` on (1-based: its decorators' or its
 * `def`'s line); null when none is.
 */
export function pythonParameters(parser: FactsParser, source: string, line: number, name: string): Parameter[] | null {
  return withTree(parser, source, (root) => {
    const definition = root
      .descendantsOfType('function_definition')
      .find((node) => node !== null && node.startPosition.row >= line - 1 && node.childForFieldName('name')?.text === name);
    const list = definition?.childForFieldName('parameters');
    if (!list) return null;
    const parameters: Parameter[] = [];
    let keywordOnly = false;
    for (const node of list.namedChildren) {
      if (!node) continue;
      switch (node.type) {
        case 'identifier':
          parameters.push({ name: node.text, optional: false, variadic: false, keywordOnly });
          break;
        case 'typed_parameter': {
          const inner = node.namedChildren[0];
          const variadic = inner?.type === 'list_splat_pattern' || inner?.type === 'dictionary_splat_pattern';
          if (inner?.type === 'list_splat_pattern') keywordOnly = true;
          parameters.push({ name: inner?.text ?? '', type: node.childForFieldName('type')?.text, optional: false, variadic, keywordOnly });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          parameters.push({ name: node.childForFieldName('name')?.text ?? '', type: node.childForFieldName('type')?.text, optional: true, variadic: false, keywordOnly });
          break;
        case 'list_splat_pattern':
        case 'keyword_separator':
          keywordOnly = true;
          if (node.type === 'list_splat_pattern') parameters.push({ name: node.text, optional: false, variadic: true });
          break;
        case 'dictionary_splat_pattern':
          parameters.push({ name: node.text, optional: false, variadic: true });
          break;
      }
    }
    return parameters;
  });
}

/**
 * The parameters of a TS/JS declaration from its text (`function f(n: number, s = 'a')`, a method, an
 * arrow function): the first parenthesized list, split at its top-level commas.
 */
export function typescriptParameters(declaration: string): Parameter[] {
  const open = declaration.indexOf('(');
  if (open < 0) return [];
  const pieces: string[] = [];
  let depth = 0;
  let piece = '';
  for (const char of declaration.slice(open + 1)) {
    if ('([{<'.includes(char)) depth++;
    if (')]}>'.includes(char) && !(char === '>' && piece.endsWith('='))) {
      if (depth === 0) break;
      depth--;
    }
    if (char === ',' && depth === 0) {
      pieces.push(piece);
      piece = '';
    } else piece += char;
  }
  pieces.push(piece);
  return pieces
    .map((text) => text.trim())
    .filter((text) => text !== '' && !/^this\s*:/.test(text))
    .map((text) => {
      const variadic = text.startsWith('...');
      const match = /^(?:\.\.\.)?(?:(?:public|private|protected|readonly)\s+)*([\w$]+)(\?)?\s*(?::\s*([^=]+?))?\s*(=.*)?$/s.exec(text);
      if (!match) return { name: text, optional: false, variadic };
      return { name: match[1] ?? text, type: match[3]?.trim(), optional: match[2] !== undefined || match[4] !== undefined, variadic };
    });
}

/** The call made from the signature: each required parameter gets a value its type hint asks for (else `i`). */
export function callFromSignature(callee: string, parameters: readonly Parameter[], javascript: boolean): CallSuggestion {
  const args = parameters
    .filter((p) => !p.variadic && !p.optional && !['self', 'cls', '/'].includes(p.name))
    .map((p) => {
      const value = javascript ? typescriptValue(p.type) : pythonValue(p.type);
      return p.keywordOnly ? `${p.name}=${value}` : value;
    });
  return { call: `${callee}(${args.join(', ')})`, from: 'the signature' };
}

/** A value of a Python type hint, varying with the task index `i` where the type allows. */
export function pythonValue(hint: string | undefined): string {
  if (!hint) return 'i';
  const type = hint.replace(/\s+/g, '').replace(/^["']|["']$/g, '');
  const optional = /^(?:typing\.)?Optional\[(.*)\]$/.exec(type)?.[1] ?? type.split('|').find((part) => part !== 'None');
  const bare = (optional ?? type).replace(/^typing\./, '').replace(/^collections\.abc\./, '');
  const [, outer = bare, inner] = /^(\w+)(?:\[(.*)\])?$/.exec(bare) ?? [];
  switch (outer) {
    case 'int':
      return 'i';
    case 'float':
      return 'float(i)';
    case 'str':
      return 'str(i)';
    case 'bool':
      return 'True';
    case 'bytes':
    case 'bytearray':
      return `${outer}(100_000)`;
    case 'list':
    case 'List':
    case 'Sequence':
    case 'Iterable':
    case 'Collection':
    case 'MutableSequence':
      return inner === 'str' ? `[str(k) for k in range(${COLLECTION_SIZE})]` : `list(range(${COLLECTION_SIZE}))`;
    case 'tuple':
    case 'Tuple':
      return `tuple(range(${COLLECTION_SIZE}))`;
    case 'set':
    case 'Set':
    case 'frozenset':
    case 'FrozenSet':
      return `set(range(${COLLECTION_SIZE}))`;
    case 'dict':
    case 'Dict':
    case 'Mapping':
      return `{k: k for k in range(${COLLECTION_SIZE})}`;
    default:
      return 'i';
  }
}

/** A value of a TypeScript type annotation, varying with the task index `i` where the type allows. */
export function typescriptValue(annotation: string | undefined): string {
  const type = annotation?.replace(/\s+/g, '').split('|').find((part) => part !== 'undefined' && part !== 'null');
  switch (type) {
    case 'string':
      return 'String(i)';
    case 'boolean':
      return 'true';
    case 'bigint':
      return 'BigInt(i)';
    case 'number[]':
    case 'Array<number>':
    case 'readonlynumber[]':
    case 'ReadonlyArray<number>':
      return `Array.from({ length: ${COLLECTION_SIZE} }, (_, k) => k)`;
    case 'string[]':
    case 'Array<string>':
    case 'readonlystring[]':
    case 'ReadonlyArray<string>':
      return `Array.from({ length: ${COLLECTION_SIZE} }, (_, k) => String(k))`;
    default:
      return 'i';
  }
}

/** Tasks under this long are mostly the pools' overhead: the probe says so. */
export const SHORT_TASK_SECONDS = 0.001;
/** A run of short tasks should last at least this long sequentially (as `timeit`'s autorange aims for 0.2 s). */
const TARGET_SEQUENTIAL_SECONDS = 0.5;
/** More tasks than this would keep the pools busy submitting for too long. */
export const MAX_SUGGESTED_TASKS = 10_000;

/**
 * The task count that makes a sequential run of tasks `perTaskSeconds` long last about
 * TARGET_SEQUENTIAL_SECONDS, rounded up to a 1/2/5 step, never below `tasks` nor above MAX_SUGGESTED_TASKS.
 */
export function tasksToFill(perTaskSeconds: number, tasks: number): number {
  const wanted = TARGET_SEQUENTIAL_SECONDS / Math.max(perTaskSeconds, 1e-9);
  let suggested = MAX_SUGGESTED_TASKS;
  for (let scale = 1; scale < MAX_SUGGESTED_TASKS; scale *= 10) {
    const step = [1, 2, 5].map((m) => m * scale).find((n) => n >= wanted);
    if (step !== undefined) {
      suggested = step;
      break;
    }
  }
  return Math.max(tasks, Math.min(MAX_SUGGESTED_TASKS, suggested));
}

/**
 * The median task time of a probe (a short sequential run), or null when it did not time a task
 * without error (the full run then says what went wrong).
 */
export function probedTaskSeconds(outcome: BenchOutcome): number | null {
  const run = outcome.kind === 'completed' ? outcome.runs[0] : undefined;
  if (!run || run.error !== null || run.completed === 0) return null;
  return run.latency.p50 ?? run.wallSeconds / run.completed;
}
