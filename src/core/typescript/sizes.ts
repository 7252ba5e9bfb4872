import type { ts } from 'ts-morph';
import { ASSUMED_WORD_CHARS } from '../cost/priors';
import { DIGEST_BYTES, TYPED_ARRAYS } from '../knowledge/node';
import { longestMatch } from '../knowledge/patterns';

/**
 * Sizes the source tells: a number's value, a string's length, an array's items, a buffer's bytes, read
 * from literals, `const` names bound to them (in the function or around it), `Array.from({ length: N })`,
 * `new Array(N)`, a typed array's `new Uint16Array(N)`, `Buffer.alloc(N)`, `crypto.randomBytes(N)`, `s.repeat(n)`, `[...xs]`, `xs.length`, arithmetic on those, and an array
 * `const xs = []` grown by `xs.push(…)` in loops of known counts (in source order), and a call of a module's
 * function that makes a collection of its argument's size (`makeQueue(i, 10)`, also one that pushes an item per
 * pass of a loop over that argument). What
 * depends on a parameter or on a value the reader does not follow is unknown (undefined): the cost model
 * then takes a stated prior.
 */

/** `Uint16Array`, `Float64Array`, …: their `length` is the count they are made with. */
function isTypedArray(name: string): boolean {
  return Object.hasOwn(TYPED_ARRAYS, name);
}

/** Expressions nest at most this deep before the reader gives up (bounded work per expression). */
const MAX_DEPTH = 12;
/** Methods whose result has as many items as their receiver (or at most as many). */
const SAME_SIZE_METHODS = new Set(['map', 'filter', 'slice', 'sort', 'toSorted', 'reverse', 'toReversed', 'fill', 'concat', 'flat', 'trim', 'toLowerCase', 'toUpperCase', 'normalize']);
const BUFFER_FACTORIES = new Set(['Buffer.alloc', 'Buffer.allocUnsafe', 'Buffer.allocUnsafeSlow']);

/** Where a scope keeps the size of a readonly field of the enclosing class (`this.window`). */
export const THIS_FIELD = 'this.';
/** Where a scope keeps the size of each element of the collection bound to a name (`name[]`). */
const ELEMENTS = '[]';
/** Bound to what a function wrote to the file a name holds (`writeFileSync(file, text)`): a `readFileSync(file)` after it reads as much. */
export const WRITTEN_TO = 'written to ';
/** Built-ins that make a string of a value as a template's `${value}` does (`String(n)`). */
const STRINGIFIED = new Set(['String']);
/** Reads of a whole file whose result is as large as the file (`fs.readFileSync(f)`, `await fs.promises.readFile(f)`). */
const FILE_READS = new Set(['readFileSync', 'readFile']);
/**
 * Parts an Intl formatter's `formatToParts` returns: one per field of its format and a literal between each, at most 15
 * for a date and time (weekday, era, year, month, day, hour, minute, second and the literals between them).
 */
const FORMATTED_PARTS = 15;
/** Methods whose result holds elements of their receiver. */
const SAME_ELEMENT_METHODS = new Set(['filter', 'slice', 'sort', 'toSorted', 'reverse', 'toReversed']);

/** The names of one function bound to known sizes; a name bound to anything else hides an outer one (null). */
export class SizeScope {
  /** Made on the first binding: most functions bind no size (their scope only hides names of the enclosing ones when it has to). */
  private names: Map<string, number | null> | undefined;

  constructor(private readonly parent?: SizeScope) {}

  /** `name` holds a value of `size`; a collection's elements are `elementSize` each (a string's length), when told. */
  bind(name: string, size: number | undefined, elementSize?: number): void {
    this.bindOne(name, size);
    this.bindOne(name + ELEMENTS, elementSize);
  }

  private bindOne(name: string, size: number | undefined): void {
    // Hiding a name nothing around binds is a no-op.
    if (size === undefined && this.names?.has(name) !== true && this.parent?.lookup(name) === undefined) return;
    (this.names ??= new Map()).set(name, size ?? null);
  }

  /**
   * `name.push(…)` adds `by` items (undefined: a number the code does not tell) of `elementSize` each; an array of an enclosing
   * function pushed to here (a callback), or written by index, no longer has a known size.
   */
  grow(name: string, by: number | undefined, elementSize?: number): void {
    const own = this.names?.get(name);
    if (own !== undefined) {
      this.names?.set(name, own !== null && by !== undefined && Number.isFinite(by) ? own + by : null);
      // The elements are as large as the largest told: one the code does not size makes them unknown.
      const elements = this.names?.get(name + ELEMENTS);
      if (elements !== undefined) this.names?.set(name + ELEMENTS, elements !== null && elementSize !== undefined ? Math.max(elements, elementSize) : null);
      return;
    }
    for (let scope = this.parent; scope; scope = scope.parent) {
      if (scope.names?.has(name) !== true) continue;
      scope.names.set(name, null);
      return;
    }
  }

  /** The size bound to `name` here or in an enclosing function (iteratively outwards). */
  lookup(name: string): number | undefined {
    const own = this.names?.get(name);
    if (own !== undefined) return own ?? undefined;
    for (let scope = this.parent; scope; scope = scope.parent) {
      const size = scope.names?.get(name);
      if (size !== undefined) return size ?? undefined;
    }
    return undefined;
  }
}

type ModuleFunction = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;
/** A module function's result: as large as its argument `param`, a text `text` characters long, or an object whose `fields` are that large. */
type ResultSize = { param: number } | { text: number } | { fields: ReadonlyMap<string, number> };

/** Text made by joining items with a separator: splitting it by that separator gives the items back. */
export interface Joined {
  items: number;
  separator: string;
}

interface CachedText {
  size: number;
  joined?: Joined;
}

/** What a module function that makes a file once writes there: a text or bytes the code sizes, or what its builder parameter (at `builder`) returns. */
type MadeFile = CachedText | { builder: number };

/** Evaluates sizes with the compiler's namespace given once (the extractor's plain copy of it). */
export class SizeReader {
  /** The module's functions by name, and what each one's result size was found to be (lazily: most are never asked). */
  private moduleFunctions = new Map<string, ModuleFunction>();
  private readonly resultSizes = new Map<string, ResultSize | null>();
  /**
   * Module functions that keep the text or bytes they return (lazy initialization), by name: its length. Noted as the
   * extractor reaches each one, so calls below it in the file read it (helpers are usually written first).
   */
  private readonly cachedResults = new Map<string, CachedText>();
  /** Callbacks with a block body, by node: the size of the largest value they return (null: one the code does not size). */
  private readonly callbackResults = new Map<ts.Node, number | null>();
  /** Callbacks with a block body whose one return is a joined text (`return rows.join('\n')`), by node. */
  private readonly callbackJoins = new Map<ts.Node, Joined>();
  /** Module functions that make a file once and answer its path (a write-once helper, or a wrapper of one), by name: what the file holds. */
  private readonly madeFiles = new Map<string, MadeFile>();
  /** Module functions whose result's elements are being sized (a function that returns a call of itself). */
  private readonly sizingElementsOf = new Set<string>();
  /** The module's regular expressions bound to names (`const CODE = /^[A-Z]{4}$/`), by name: their source text. */
  private modulePatterns = new Map<string, string>();
  /** The module's constant tables (`const TARIFFS = { A: {…}, B: {…} }`, `const ZONES = [{…}, {…}]`), by name: their entries. */
  private moduleTables = new Map<string, readonly ts.Expression[]>();

  constructor(private readonly T: typeof ts) {}

  /**
   * Notes the module's functions (declarations and `const f = (…) => …`), read once per file before its code: a
   * call of one whose every return makes a collection of a parameter's size (`return Array.from({ length: n }, …)`,
   * `new Array(n)`, `Buffer.alloc(n)`, an array pushed to once per pass of `for (let k = 0; k < n; k++)`) is as
   * large as its argument there (`makeQueue(i, 10)` has 10 items); one whose every return is a text written in
   * place (a template of short pieces, a literal) is as long as the longest of them.
   */
  readModuleFunctions(source: ts.SourceFile): void {
    const T = this.T;
    this.moduleFunctions = new Map();
    this.modulePatterns = new Map();
    this.moduleTables = new Map();
    this.resultSizes.clear();
    this.cachedResults.clear();
    this.callbackResults.clear();
    this.callbackJoins.clear();
    this.madeFiles.clear();
    for (const statement of source.statements) {
      if (T.isFunctionDeclaration(statement) && statement.name) this.moduleFunctions.set(statement.name.text, statement);
      else if (T.isVariableStatement(statement)) {
        const constant = (statement.declarationList.flags & T.NodeFlags.Const) !== 0;
        for (const decl of statement.declarationList.declarations) {
          const init = decl.initializer && this.unwrap(decl.initializer);
          if (T.isIdentifier(decl.name) && init && (T.isArrowFunction(init) || T.isFunctionExpression(init))) this.moduleFunctions.set(decl.name.text, init);
          if (constant && T.isIdentifier(decl.name) && init && T.isRegularExpressionLiteral(init)) this.modulePatterns.set(decl.name.text, patternSource(init.text));
          const entries = constant && init && this.tableEntries(init);
          if (entries && T.isIdentifier(decl.name)) this.moduleTables.set(decl.name.text, entries);
        }
      }
    }
  }

  /** `name`, a module function that keeps the text or bytes it returns (lazy initialization), sets it to a value `size` long. */
  noteCachedResult(name: string, size: number, joined?: Joined): void {
    this.cachedResults.set(name, { size, ...(joined && { joined }) });
  }

  /** A callback with a block body returns a value of `size` (the extractor's walk, which knows its locals, tells), joined from items when `joined`. */
  noteCallbackResult(callback: ts.Node, size: number | undefined, joined?: Joined): void {
    const seen = this.callbackResults.get(callback);
    if (seen !== undefined || !joined) this.callbackJoins.delete(callback);
    else this.callbackJoins.set(callback, joined);
    this.callbackResults.set(callback, size === undefined || seen === null ? null : Math.max(seen ?? 0, size));
  }

  /**
   * `name`, a module function that makes a file once (see `TsFunctionFacts.makesFile`), writes `data` there: a value the code
   * sizes, or a call of its parameter at `builder` (`fs.writeFileSync(partial, build())`: what the caller's builder returns).
   */
  noteMadeFile(name: string, made: MadeFile): void {
    this.madeFiles.set(name, made);
  }

  /**
   * `name` answers the file a call `made` makes (`return writtenOnce('cdrs.csv', () => { …; return rows.join('\n'); })`):
   * it holds what that call's helper writes, a builder's result read where the extractor walked the builder.
   */
  noteWrappedFile(name: string, made: ts.CallExpression, scope: SizeScope): void {
    const T = this.T;
    const callee = this.unwrap(made.expression);
    const file = T.isIdentifier(callee) ? this.madeFiles.get(callee.text) : undefined;
    if (!file) return;
    if (!('builder' in file)) {
      this.madeFiles.set(name, file);
      return;
    }
    const argument = made.arguments[file.builder];
    const builder = argument && this.unwrap(argument);
    if (!builder || !(T.isArrowFunction(builder) || T.isFunctionExpression(builder))) return;
    const size = T.isBlock(builder.body) ? (this.callbackResults.get(builder) ?? undefined) : this.sizeOf(builder.body, scope);
    const joined = T.isBlock(builder.body) ? this.callbackJoins.get(builder) : this.joinedOf(builder.body, scope);
    if (size !== undefined) this.madeFiles.set(name, { size, ...(joined && { joined }) });
  }

  /** Bytes of the file `file` names, when the code tells: a local the function wrote, or a call of a module function that makes one. */
  fileBytes(file: ts.Expression, scope: SizeScope): number | undefined {
    const value = this.unwrap(file);
    if (this.T.isIdentifier(value)) return scope.lookup(WRITTEN_TO + value.text);
    return this.madeFileRead(value)?.size;
  }

  /** The file a call of a module function that makes one holds (`readFileSync(cdrExportFile())`), when the code sizes it. */
  private madeFileRead(file: ts.Expression): CachedText | undefined {
    const T = this.T;
    const call = this.unwrap(file);
    const callee = T.isCallExpression(call) ? this.unwrap(call.expression) : undefined;
    const made = callee && T.isIdentifier(callee) ? this.madeFiles.get(callee.text) : undefined;
    return made && !('builder' in made) ? made : undefined;
  }

  /** `lines.join('\n')`, or a call of a module function that keeps one: its items, when the code tells how many, and their separator. */
  joinedOf(node: ts.Expression, scope: SizeScope): Joined | undefined {
    const T = this.T;
    const value = this.unwrap(node);
    // `${rows.join('\n')}\n`: the joined text and a separator after it (one empty item more when split).
    const [span, ...more] = T.isTemplateExpression(value) && value.head.text === '' ? value.templateSpans : [];
    if (span && more.length === 0) {
      const joined = this.joinedOf(span.expression, scope);
      return joined && (span.literal.text === '' || span.literal.text === joined.separator) ? joined : undefined;
    }
    if (!T.isCallExpression(value)) return undefined;
    const callee = this.unwrap(value.expression);
    if (T.isIdentifier(callee)) return this.cachedResults.get(callee.text)?.joined;
    // `fs.readFileSync(cdrExportFile(), 'utf8')`: the text a builder joined and a write-once helper wrote.
    if (T.isPropertyAccessExpression(callee) && FILE_READS.has(callee.name.text) && value.arguments[0]) return this.madeFileRead(value.arguments[0])?.joined;
    const separator = value.arguments[0] && this.unwrap(value.arguments[0]);
    if (!T.isPropertyAccessExpression(callee) || callee.name.text !== 'join' || !separator || !T.isStringLiteral(separator)) return undefined;
    const items = this.evaluate(callee.expression, scope, 0);
    return items === undefined ? undefined : { items, separator: separator.text };
  }

  /** What a module function's result is as large as, if the code tells (memoized). */
  private resultSize(name: string): ResultSize | undefined {
    let known = this.resultSizes.get(name);
    if (known === undefined) {
      const fn = this.moduleFunctions.get(name);
      const returned = fn && this.returnedValues(fn);
      known = (fn && (fn.asteriskToken ? this.yieldedByParam(fn) : returned && (this.sizedByParam(fn, returned) ?? this.writtenText(returned) ?? this.writtenFields(returned)))) ?? null;
      this.resultSizes.set(name, known);
    }
    return known ?? undefined;
  }

  /** The values a function returns (its body, for an arrow function's expression); undefined when one return has none. */
  private returnedValues(fn: ModuleFunction): ts.Expression[] | undefined {
    const T = this.T;
    const body = fn.body;
    if (!body) return undefined;
    const returned: ts.Expression[] = [];
    if (T.isBlock(body)) {
      // Return statements of the function itself, not of the functions inside it (bounded: iterative).
      const pending: ts.Node[] = [body];
      while (pending.length > 0) {
        const node = pending.pop() as ts.Node;
        if (T.isReturnStatement(node)) {
          if (!node.expression) return undefined;
          returned.push(node.expression);
          continue;
        }
        if (T.isFunctionLike(node) || T.isClassLike(node)) continue;
        T.forEachChild(node, (child) => {
          pending.push(child);
        });
      }
    } else returned.push(body);
    return returned;
  }

  /** The parameter every returned collection is made as large as. */
  private sizedByParam(fn: ModuleFunction, returned: readonly ts.Expression[]): ResultSize | undefined {
    const T = this.T;
    const body = fn.body;
    let index: number | undefined;
    for (const value of returned) {
      const length = this.lengthMade(value) ?? (body && T.isBlock(body) ? this.pushedLength(body, value) : undefined);
      const lengthName = length && T.isIdentifier(length) ? length.text : undefined;
      const at = lengthName === undefined ? -1 : fn.parameters.findIndex((p) => T.isIdentifier(p.name) && p.name.text === lengthName);
      if (at < 0 || (index !== undefined && index !== at)) return undefined;
      index = at;
    }
    return index === undefined ? undefined : { param: index };
  }

  /**
   * A generator whose one `yield` is a statement of the body of a `for (let k = 0; k < n; k++)` at its top level yields n
   * items, n a parameter (`function* reads(random, count) { …; for (let r = 0; r < count; r++) yield {…}; }`).
   */
  private yieldedByParam(fn: ModuleFunction): ResultSize | undefined {
    const T = this.T;
    const body = fn.body;
    if (!body || !T.isBlock(body) || this.yieldsIn(body) !== 1) return undefined;
    for (const statement of body.statements) {
      if (!T.isForStatement(statement) || this.yieldsIn(statement) !== 1) continue;
      const inLoop = T.isBlock(statement.statement) ? statement.statement.statements : [statement.statement];
      const yielded = inLoop.some((s) => T.isExpressionStatement(s) && T.isYieldExpression(s.expression) && !s.expression.asteriskToken);
      const bound = yielded ? this.countingBound(statement) : undefined;
      const at = bound && T.isIdentifier(bound) ? fn.parameters.findIndex((p) => T.isIdentifier(p.name) && p.name.text === bound.text) : -1;
      return at < 0 ? undefined : { param: at };
    }
    return undefined;
  }

  /** `yield` expressions under `node`, not in the functions inside it (bounded: iterative). */
  private yieldsIn(node: ts.Node): number {
    const T = this.T;
    let yields = 0;
    const pending: ts.Node[] = [node];
    while (pending.length > 0) {
      const next = pending.pop() as ts.Node;
      if (T.isYieldExpression(next)) yields++;
      if (next !== node && (T.isFunctionLike(next) || T.isClassLike(next))) continue;
      T.forEachChild(next, (child) => {
        pending.push(child);
      });
    }
    return yields;
  }

  /** The fields every object literal (returned, or an entry of a table) writes in place and the code sizes (`{ body, header: \`t=${t}\` }` has a short `header`), each as large as its largest. */
  private writtenFields(returned: readonly ts.Expression[]): ResultSize | undefined {
    const T = this.T;
    let fields: Map<string, number> | undefined;
    for (const value of returned) {
      const object = this.unwrap(value);
      if (!T.isObjectLiteralExpression(object)) return undefined;
      const here = new Map<string, number>();
      for (const property of object.properties) {
        const size = T.isPropertyAssignment(property) && T.isIdentifier(property.name) ? this.sizeOf(property.initializer, new SizeScope()) : undefined;
        if (size !== undefined && property.name && T.isIdentifier(property.name)) here.set(property.name.text, size);
      }
      if (!fields) fields = here;
      for (const [name, size] of fields) {
        const other = here.get(name);
        if (other === undefined) fields.delete(name);
        else fields.set(name, Math.max(size, other));
      }
    }
    return fields && fields.size > 0 ? { fields } : undefined;
  }

  /**
   * The sizes of the fields of the object a call of a module function returns (`const { header } = delivery(i)`), or of an
   * entry of a module's constant table (`const { bands } = TARIFFS[zone]`: as large as the largest entry's), where the code tells them.
   */
  fieldSizesOf(expression: ts.Expression): ReadonlyMap<string, number> | undefined {
    const T = this.T;
    const value = this.unwrap(expression);
    if (T.isElementAccessExpression(value) && T.isIdentifier(value.expression)) {
      const entries = this.moduleTables.get(value.expression.text);
      const fields = entries && this.writtenFields(entries);
      return fields && 'fields' in fields ? fields.fields : undefined;
    }
    if (!T.isCallExpression(value) || !T.isIdentifier(value.expression)) return undefined;
    const result = this.resultSize(value.expression.text);
    return result && 'fields' in result ? result.fields : undefined;
  }

  /** The entries of a table written in place: the values of an object literal or the elements of an array literal, every one an object literal. */
  private tableEntries(init: ts.Expression): ts.Expression[] | undefined {
    const T = this.T;
    const entries: ts.Expression[] = [];
    if (T.isObjectLiteralExpression(init)) {
      for (const property of init.properties) {
        if (!T.isPropertyAssignment(property)) return undefined;
        entries.push(property.initializer);
      }
    } else if (T.isArrayLiteralExpression(init)) {
      for (const element of init.elements) entries.push(element);
    } else return undefined;
    return entries.length > 0 && entries.every((entry) => T.isObjectLiteralExpression(this.unwrap(entry))) ? entries : undefined;
  }

  /** The longest of returned texts written in place (templates, literals), read as any template is (an interpolated value is short). */
  private writtenText(returned: readonly ts.Expression[]): ResultSize | undefined {
    const T = this.T;
    let chars = 0;
    for (const value of returned) {
      const text = this.unwrap(value);
      if (!T.isTemplateExpression(text) && !T.isStringLiteral(text) && !T.isNoSubstitutionTemplateLiteral(text)) return undefined;
      chars = Math.max(chars, this.sizeOf(text, new SizeScope()) ?? Infinity);
    }
    return returned.length > 0 && Number.isFinite(chars) ? { text: chars } : undefined;
  }

  /**
   * `n` when `value` names an array the body binds empty and fills with one `push` of one item per pass of
   * `for (let k = 0; k < n; k++)` (`const plays = []; for (…) plays.push(…); return plays;`).
   */
  private pushedLength(body: ts.Block, value: ts.Expression): ts.Expression | undefined {
    const T = this.T;
    const name = this.unwrap(value);
    if (!T.isIdentifier(name)) return undefined;
    let empty = false;
    let bound: ts.Expression | undefined;
    for (const statement of body.statements) {
      if (T.isVariableStatement(statement)) {
        for (const decl of statement.declarationList.declarations) {
          const init = decl.initializer && this.unwrap(decl.initializer);
          if (T.isIdentifier(decl.name) && decl.name.text === name.text) empty = init !== undefined && T.isArrayLiteralExpression(init) && init.elements.length === 0;
        }
      } else if (empty && T.isForStatement(statement)) {
        const pushes = this.pushesIn(statement, name.text);
        if (pushes === 0) continue;
        const inLoop = T.isBlock(statement.statement) ? statement.statement.statements : [statement.statement];
        const once = inLoop.filter((s) => T.isExpressionStatement(s) && this.pushesIn(s, name.text) === 1).length;
        if (bound !== undefined || once !== 1 || pushes !== 1) return undefined;
        bound = this.countingBound(statement);
        if (bound === undefined) return undefined;
      }
    }
    // Pushed anywhere else (a branch, another loop, a callback): not told.
    return bound !== undefined && this.pushesIn(body, name.text) === 1 ? bound : undefined;
  }

  /** `xs.push(one)` calls of `name` under `node` (bounded: iterative). */
  private pushesIn(node: ts.Node, name: string): number {
    const T = this.T;
    let pushes = 0;
    const pending: ts.Node[] = [node];
    while (pending.length > 0) {
      const next = pending.pop() as ts.Node;
      if (T.isCallExpression(next) && T.isPropertyAccessExpression(next.expression) && next.expression.name.text === 'push' && T.isIdentifier(next.expression.expression) && next.expression.expression.text === name) {
        pushes += next.arguments.length === 1 && !T.isSpreadElement(next.arguments[0] as ts.Expression) ? 1 : Infinity;
      }
      T.forEachChild(next, (child) => {
        pending.push(child);
      });
    }
    return pushes;
  }

  /** `n` of `for (let k = 0; k < n; k++)`. */
  private countingBound(loop: ts.ForStatement): ts.Expression | undefined {
    const T = this.T;
    const init = loop.initializer;
    const decl = init && T.isVariableDeclarationList(init) && init.declarations.length === 1 ? init.declarations[0] : undefined;
    const condition = loop.condition && this.unwrap(loop.condition);
    if (!decl || !T.isIdentifier(decl.name) || !decl.initializer || !T.isNumericLiteral(decl.initializer) || Number(decl.initializer.text) !== 0) return undefined;
    if (!condition || !T.isBinaryExpression(condition) || condition.operatorToken.kind !== T.SyntaxKind.LessThanToken || !T.isIdentifier(condition.left) || condition.left.text !== decl.name.text) return undefined;
    return this.stepOf(loop.incrementor, decl.name.text) === 1 ? condition.right : undefined;
  }

  /** The length expression of a collection made from it: `Array.from({ length: n }, …)`, `new Array(n)`, `new Uint16Array(n)`, `Buffer.alloc(n)`. */
  lengthMade(expression: ts.Expression): ts.Expression | undefined {
    const T = this.T;
    const value = this.unwrap(expression);
    if (!T.isCallExpression(value) && !T.isNewExpression(value)) return undefined;
    const callee = this.unwrap(value.expression);
    const first = value.arguments?.[0];
    if (T.isIdentifier(callee) && (callee.text === 'Array' || isTypedArray(callee.text)) && value.arguments?.length === 1) return first;
    if (!T.isPropertyAccessExpression(callee) || !T.isIdentifier(callee.expression) || !first) return undefined;
    const name = `${callee.expression.text}.${callee.name.text}`;
    if (BUFFER_FACTORIES.has(name)) return first;
    if (name !== 'Array.from') return undefined;
    const object = this.unwrap(first);
    if (!T.isObjectLiteralExpression(object)) return undefined;
    for (const property of object.properties) {
      if (T.isPropertyAssignment(property) && T.isIdentifier(property.name) && property.name.text === 'length') return property.initializer;
      if (T.isShorthandPropertyAssignment(property) && property.name.text === 'length') return property.name;
    }
    return undefined;
  }

  /** The size `node` has, or undefined when the code does not tell. */
  sizeOf(node: ts.Expression | undefined, scope: SizeScope): number | undefined {
    const size = this.evaluate(node, scope, 0);
    return size !== undefined && Number.isFinite(size) ? size : undefined;
  }

  /**
   * The size of each element of the collection `node` makes (a string's length), when the code tells:
   * `Array.from({ length: n }, (_, k) => \`id-${k}\`)`, a name bound to one, and `filter`/`slice`/`sort` of one.
   */
  elementSizeOf(node: ts.Expression | undefined, scope: SizeScope): number | undefined {
    const T = this.T;
    let value = node && this.unwrap(node);
    for (let depth = 0; value && depth < MAX_DEPTH; depth++) {
      if (T.isIdentifier(value)) return scope.lookup(value.text + ELEMENTS);
      // `['<gpx>', header]`: as large as its largest element, when every one is told (none: 0).
      if (T.isArrayLiteralExpression(value)) {
        const sizes = value.elements.map((element) => (T.isSpreadElement(element) ? undefined : this.sizeOf(element, scope)));
        return sizes.every((size) => size !== undefined) ? Math.max(0, ...(sizes as number[])) : undefined;
      }
      if (T.isCallExpression(value) && T.isIdentifier(value.expression)) return this.resultElementSize(value.expression.text);
      if (!T.isCallExpression(value) || !T.isPropertyAccessExpression(value.expression)) return undefined;
      const receiver = this.unwrap(value.expression.expression);
      const method = value.expression.name.text;
      // `CODE.exec(text)`, `text.match(CODE)`: the match and its groups, each at most as long as the pattern matches.
      const pattern = method === 'exec' ? receiver : method === 'match' && value.arguments[0] ? this.unwrap(value.arguments[0]) : undefined;
      if (pattern) {
        const source = this.patternOf(pattern);
        return source === undefined ? undefined : longestMatch(source);
      }
      if (T.isIdentifier(receiver) && receiver.text === 'Array' && method === 'from') {
        const made = value.arguments[1] && this.unwrap(value.arguments[1]);
        if (!made || !(T.isArrowFunction(made) || T.isFunctionExpression(made))) return undefined;
        // A block body: what its returns were sized to when the extractor walked it, with its locals.
        if (T.isBlock(made.body)) return this.callbackResults.get(made) ?? undefined;
        // The callback's parameters are the index and a hole: unknown, as a template's interpolated values are taken to be.
        const inner = new SizeScope(scope);
        for (const param of made.parameters) if (T.isIdentifier(param.name)) inner.bind(param.name.text, undefined);
        return this.sizeOf(made.body, inner);
      }
      if (!SAME_ELEMENT_METHODS.has(method)) return undefined;
      value = receiver;
    }
    return undefined;
  }

  /** The size of each element of what a module function returns, when every return tells it (`return Array.from({ length: n }, …)`). */
  private resultElementSize(name: string): number | undefined {
    const fn = this.moduleFunctions.get(name);
    if (!fn || this.sizingElementsOf.has(name)) return undefined;
    this.sizingElementsOf.add(name);
    try {
      const sizes = this.returnedValues(fn)?.map((value) => this.elementSizeOf(value, new SizeScope()));
      return sizes && sizes.length > 0 && sizes.every((size) => size !== undefined) ? Math.max(...(sizes as number[])) : undefined;
    } finally {
      this.sizingElementsOf.delete(name);
    }
  }

  /** A text or bytes (a template, a literal, a join, a Buffer made), whose size is its length: not a collection whose items' sizes matter. */
  isTextOrBytes(expression: ts.Expression): boolean {
    const T = this.T;
    const value = this.unwrap(expression);
    if (T.isTemplateExpression(value) || T.isStringLiteral(value) || T.isNoSubstitutionTemplateLiteral(value)) return true;
    if (!T.isCallExpression(value) || !T.isPropertyAccessExpression(value.expression)) return false;
    const made = T.isIdentifier(value.expression.expression) ? `${value.expression.expression.text}.${value.expression.name.text}` : '';
    return this.isJoin(value) || BUFFER_FACTORIES.has(made) || made === 'Buffer.from' || made === 'Buffer.concat';
  }

  private isJoin(expression: ts.Expression): boolean {
    const T = this.T;
    const value = this.unwrap(expression);
    return T.isCallExpression(value) && T.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'join';
  }

  private evaluate(node: ts.Expression | undefined, scope: SizeScope, depth: number): number | undefined {
    const T = this.T;
    if (!node || depth > MAX_DEPTH) return undefined;
    const value = this.unwrap(node);
    const next = depth + 1;
    if (T.isNumericLiteral(value)) return Number(value.text.replace(/_/g, ''));
    if (T.isStringLiteral(value) || T.isNoSubstitutionTemplateLiteral(value)) return value.text.length;
    if (T.isTemplateExpression(value)) {
      let chars = value.head.text.length;
      // A value written in is a word, unless it is a join, whose text is as long as the code tells (`[${items.join(',')}]`).
      for (const span of value.templateSpans) chars += span.literal.text.length + ((this.isJoin(span.expression) && this.evaluate(span.expression, scope, next)) || ASSUMED_WORD_CHARS);
      return chars;
    }
    if (T.isIdentifier(value)) return scope.lookup(value.text);
    if (T.isPropertyAccessExpression(value) && value.expression.kind === T.SyntaxKind.ThisKeyword) return scope.lookup(`${THIS_FIELD}${value.name.text}`);
    if (T.isArrayLiteralExpression(value)) {
      let items = 0;
      for (const element of value.elements) {
        if (T.isSpreadElement(element)) {
          const spread = this.evaluate(element.expression, scope, next);
          if (spread === undefined) return undefined;
          items += spread;
        } else items++;
      }
      return items;
    }
    if (T.isPropertyAccessExpression(value) && value.name.text === 'length') return this.evaluate(value.expression, scope, next);
    if (T.isPropertyAccessExpression(value)) return this.fieldSizesOf(value.expression)?.get(value.name.text);
    if (T.isObjectLiteralExpression(value)) return this.jsonBytes(value, scope, next);
    if (T.isBinaryExpression(value)) return this.arithmetic(value, scope, next);
    if (T.isCallExpression(value) || T.isNewExpression(value)) return this.callSize(value, scope, next);
    return undefined;
  }

  /** How many times `for (let i = A; i < B; i += S)` runs, when A, B and S are known (`<=`, `>`, `>=`, `--` too). */
  forCount(loop: ts.ForStatement, scope: SizeScope): number | undefined {
    const T = this.T;
    const init = loop.initializer;
    const condition = this.countingTest(loop);
    if (!init || !T.isVariableDeclarationList(init) || init.declarations.length !== 1 || !condition || !T.isBinaryExpression(condition)) return undefined;
    const decl = init.declarations[0];
    if (!decl || !T.isIdentifier(decl.name) || !T.isIdentifier(condition.left) || condition.left.text !== decl.name.text) return undefined;
    let start = this.sizeOf(decl.initializer, scope);
    let bound = this.sizeOf(condition.right, scope);
    const step = this.stepOf(loop.incrementor, decl.name.text);
    // A window around a value the code does not tell (`for (let r = row - k; r <= row + k; r++)`): its width is.
    if ((start === undefined || bound === undefined) && decl.initializer) {
      const from = this.offsetFrom(decl.initializer, scope);
      const to = this.offsetFrom(condition.right, scope);
      if (from && to && this.sameName(from.base, to.base)) [start, bound] = [from.offset, to.offset];
    }
    if (start === undefined || bound === undefined || step === undefined) return undefined;
    const op = condition.operatorToken.kind;
    let span: number | undefined;
    if (step > 0 && op === T.SyntaxKind.LessThanToken) span = bound - start;
    else if (step > 0 && op === T.SyntaxKind.LessThanEqualsToken) span = bound - start + 1;
    else if (step < 0 && op === T.SyntaxKind.GreaterThanToken) span = start - bound;
    else if (step < 0 && op === T.SyntaxKind.GreaterThanEqualsToken) span = start - bound + 1;
    return span === undefined ? undefined : Math.max(0, Math.ceil(span / Math.abs(step)));
  }

  /**
   * The test that bounds a `for` loop's count: its condition, or the first of its `&&` tests (`p < n && !found` runs at
   * most n times: the others only end it sooner, as a `break` does).
   */
  countingTest(loop: ts.ForStatement): ts.Expression | undefined {
    let test = loop.condition && this.unwrap(loop.condition);
    while (test && this.T.isBinaryExpression(test) && test.operatorToken.kind === this.T.SyntaxKind.AmpersandAmpersandToken) test = this.unwrap(test.left);
    return test;
  }

  private stepOf(incrementor: ts.Expression | undefined, name: string): number | undefined {
    const T = this.T;
    if (!incrementor) return undefined;
    if ((T.isPostfixUnaryExpression(incrementor) || T.isPrefixUnaryExpression(incrementor)) && T.isIdentifier(incrementor.operand) && incrementor.operand.text === name) {
      if (incrementor.operator === T.SyntaxKind.PlusPlusToken) return 1;
      if (incrementor.operator === T.SyntaxKind.MinusMinusToken) return -1;
      return undefined;
    }
    if (T.isBinaryExpression(incrementor) && T.isIdentifier(incrementor.left) && incrementor.left.text === name && T.isNumericLiteral(incrementor.right)) {
      const by = Number(incrementor.right.text.replace(/_/g, ''));
      if (!(by > 0)) return undefined;
      if (incrementor.operatorToken.kind === T.SyntaxKind.PlusEqualsToken) return by;
      if (incrementor.operatorToken.kind === T.SyntaxKind.MinusEqualsToken) return -by;
    }
    return undefined;
  }

  private arithmetic(value: ts.BinaryExpression, scope: SizeScope, depth: number): number | undefined {
    const T = this.T;
    const left = this.evaluate(value.left, scope, depth);
    if (left === undefined) return undefined;
    const right = this.evaluate(value.right, scope, depth);
    if (right === undefined) return undefined;
    switch (value.operatorToken.kind) {
      case T.SyntaxKind.PlusToken:
        return left + right;
      case T.SyntaxKind.MinusToken:
        return left - right;
      case T.SyntaxKind.AsteriskToken:
        return left * right;
      case T.SyntaxKind.SlashToken:
        return right === 0 ? undefined : left / right;
      case T.SyntaxKind.AsteriskAsteriskToken:
        return left ** right;
      case T.SyntaxKind.LessThanLessThanToken:
        return right >= 0 && right < 53 ? left * 2 ** right : undefined;
      default:
        return undefined;
    }
  }

  /** `createHash('sha512').update(…).digest()`: the algorithm's digest, in bytes or (`'hex'`) characters. */
  private digestSize(hash: ts.Expression, encoding: ts.Expression | undefined): number | undefined {
    const T = this.T;
    let made = hash;
    while (T.isCallExpression(made) && T.isPropertyAccessExpression(made.expression) && made.expression.name.text === 'update') made = this.unwrap(made.expression.expression);
    if (!T.isCallExpression(made)) return undefined;
    const callee = this.unwrap(made.expression);
    const name = T.isIdentifier(callee) ? callee.text : T.isPropertyAccessExpression(callee) ? callee.name.text : '';
    const algorithm = made.arguments[0] && this.unwrap(made.arguments[0]);
    const bytes = name === 'createHash' && algorithm && T.isStringLiteral(algorithm) ? DIGEST_BYTES[algorithm.text.toLowerCase()] : undefined;
    const hex = encoding !== undefined && T.isStringLiteral(this.unwrap(encoding)) && (this.unwrap(encoding) as ts.StringLiteral).text === 'hex';
    return bytes === undefined ? undefined : hex ? 2 * bytes : bytes;
  }

  private callSize(call: ts.CallExpression | ts.NewExpression, scope: SizeScope, depth: number): number | undefined {
    const T = this.T;
    const callee = this.unwrap(call.expression);
    const args = call.arguments ?? [];
    const [first, second] = args;
    // `new Array(n)`, `new Float64Array(n)` (or of an array of n items): n elements.
    if (T.isIdentifier(callee) && (callee.text === 'Array' || isTypedArray(callee.text)) && args.length === 1) return this.evaluate(first, scope, depth);
    if (T.isIdentifier(callee)) {
      const cached = this.cachedResults.get(callee.text);
      if (cached !== undefined) return cached.size;
      const result = this.resultSize(callee.text);
      if (result && 'param' in result) return this.evaluate(args[result.param], scope, depth);
      if (result && 'text' in result) return result.text;
    }
    const calleeName = T.isIdentifier(callee) ? callee.text : T.isPropertyAccessExpression(callee) ? callee.name.text : '';
    // `randomBytes(n)`: n bytes.
    if (first !== undefined && calleeName === 'randomBytes') return this.evaluate(first, scope, depth);
    if (FILE_READS.has(calleeName) && first !== undefined) return this.fileBytes(first, scope);
    // `String(n)`: the value written out, as large as a template's interpolated value is taken to be.
    if (T.isIdentifier(callee) && STRINGIFIED.has(callee.text) && args.length === 1) return ASSUMED_WORD_CHARS;
    if (!T.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const receiver = this.unwrap(callee.expression);
    if (T.isIdentifier(receiver) && (receiver.text === 'Array' || receiver.text === 'Buffer')) {
      const name = `${receiver.text}.${method}`;
      if (name === 'Array.from') return first && T.isObjectLiteralExpression(this.unwrap(first)) ? this.lengthProperty(this.unwrap(first) as ts.ObjectLiteralExpression, scope, depth) : this.evaluate(first, scope, depth);
      if (BUFFER_FACTORIES.has(name) || name === 'Buffer.from') return this.evaluate(first, scope, depth);
      // `Buffer.concat(parts)`: its items, each as large as the code tells.
      if (name === 'Buffer.concat') {
        const items = this.evaluate(first, scope, depth);
        const each = this.elementSizeOf(first, scope);
        return items === undefined || each === undefined ? undefined : items * each;
      }
      return undefined;
    }
    if (method === 'digest') return this.digestSize(receiver, first);
    if (method === 'repeat') {
      const unit = this.evaluate(receiver, scope, depth);
      const times = this.evaluate(first, scope, depth);
      return unit === undefined || times === undefined ? undefined : unit * times;
    }
    if ((method === 'slice' || method === 'subarray') && first !== undefined && second !== undefined) {
      const start = this.evaluate(first, scope, depth);
      const end = this.evaluate(second, scope, depth);
      if (start !== undefined && end !== undefined) return Math.max(0, end - start);
      // A window `xs.slice(k - n, k)` (or `(k, k + n)`) has n items wherever k is; else at most the receiver's.
      return this.offsetBetween(first, second, scope, depth) ?? this.evaluate(receiver, scope, depth);
    }
    if (method === 'join') {
      // `parts.join('\n')`: its items and a separator each (an item the code does not size: a written-out value's length).
      const items = this.evaluate(receiver, scope, depth);
      const separator = first === undefined ? 1 : this.evaluate(first, scope, depth);
      return items === undefined ? undefined : items * ((this.elementSizeOf(receiver, scope) ?? ASSUMED_WORD_CHARS) + (separator ?? 1));
    }
    // `JSON.stringify({ … })` of an object or array written in place: its JSON, field by field.
    if (T.isIdentifier(receiver) && receiver.text === 'JSON' && method === 'stringify' && first && (T.isObjectLiteralExpression(this.unwrap(first)) || T.isArrayLiteralExpression(this.unwrap(first)))) {
      return this.jsonBytes(first, scope, depth);
    }
    // `header.split(',')`: at most one part more than the text has characters; text joined by that separator, its items.
    const separator = first && this.unwrap(first);
    if (method === 'split' && separator && T.isStringLiteral(separator) && separator.text.length > 0) {
      const joined = this.joinedOf(receiver, scope);
      if (joined?.separator === separator.text) return joined.items;
      const chars = this.evaluate(receiver, scope, depth);
      return chars === undefined ? undefined : chars + 1;
    }
    // `xs.slice(k)`, `bytes.subarray(k)`: at most the receiver's.
    if (SAME_SIZE_METHODS.has(method) || method === 'subarray') return this.evaluate(receiver, scope, depth);
    if (method === 'formatToParts') return FORMATTED_PARTS;
    return undefined;
  }

  /** `n` when `end` is `start + n` or `start` is `end - n` (the same expression, a known offset apart), `n` told by the code. */
  private offsetBetween(start: ts.Expression, end: ts.Expression, scope: SizeScope, depth: number): number | undefined {
    const T = this.T;
    const from = this.unwrap(start);
    const to = this.unwrap(end);
    let offset: ts.Expression | undefined;
    if (T.isBinaryExpression(from) && from.operatorToken.kind === T.SyntaxKind.MinusToken && this.sameName(from.left, to)) offset = from.right;
    else if (T.isBinaryExpression(to) && to.operatorToken.kind === T.SyntaxKind.PlusToken && this.sameName(to.left, from)) offset = to.right;
    const items = offset && this.evaluate(offset, scope, depth + 1);
    return items === undefined ? undefined : Math.max(0, items);
  }

  /** `x + n` or `x - n` as x and ±n, n told by the code (x itself: an offset of 0). */
  private offsetFrom(expression: ts.Expression, scope: SizeScope): { base: ts.Expression; offset: number } | undefined {
    const T = this.T;
    const value = this.unwrap(expression);
    if (!T.isBinaryExpression(value)) return { base: value, offset: 0 };
    const sign = value.operatorToken.kind === T.SyntaxKind.PlusToken ? 1 : value.operatorToken.kind === T.SyntaxKind.MinusToken ? -1 : 0;
    const offset = sign === 0 ? undefined : this.sizeOf(value.right, scope);
    return offset === undefined ? undefined : { base: value.left, offset: sign * offset };
  }

  /** `a` and `b` name the same thing: one identifier, or one property chain on identifiers or `this` (iteratively). */
  private sameName(a: ts.Expression, b: ts.Expression): boolean {
    const T = this.T;
    let left = this.unwrap(a);
    let right = this.unwrap(b);
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      if (T.isIdentifier(left) && T.isIdentifier(right)) return left.text === right.text;
      if (left.kind === T.SyntaxKind.ThisKeyword && right.kind === T.SyntaxKind.ThisKeyword) return true;
      if (!T.isPropertyAccessExpression(left) || !T.isPropertyAccessExpression(right) || left.name.text !== right.name.text) return false;
      left = this.unwrap(left.expression);
      right = this.unwrap(right.expression);
    }
    return false;
  }

  /**
   * An object literal's size is the bytes of its JSON (what serializing or copying it handles): its keys and
   * values, a value the code does not tell taken as ASSUMED_WORD_CHARS characters.
   */
  private jsonBytes(node: ts.Expression, scope: SizeScope, depth: number): number {
    const T = this.T;
    const value = this.unwrap(node);
    if (depth > MAX_DEPTH) return ASSUMED_WORD_CHARS;
    if (T.isNumericLiteral(value)) return value.text.length;
    if (T.isStringLiteral(value) || T.isNoSubstitutionTemplateLiteral(value) || T.isTemplateExpression(value)) return (this.evaluate(value, scope, depth) ?? ASSUMED_WORD_CHARS) + 2;
    if (T.isArrayLiteralExpression(value)) {
      let bytes = 2;
      for (const element of value.elements) bytes += this.jsonBytes(element, scope, depth + 1) + 1;
      return bytes;
    }
    if (!T.isObjectLiteralExpression(value)) return ASSUMED_WORD_CHARS;
    let bytes = 2;
    for (const property of value.properties) {
      const key = property.name && (T.isIdentifier(property.name) || T.isStringLiteral(property.name)) ? property.name.text.length : ASSUMED_WORD_CHARS;
      const inner = T.isPropertyAssignment(property) ? this.jsonBytes(property.initializer, scope, depth + 1) : ASSUMED_WORD_CHARS;
      bytes += key + 4 + inner;
    }
    return bytes;
  }

  private lengthProperty(object: ts.ObjectLiteralExpression, scope: SizeScope, depth: number): number | undefined {
    const T = this.T;
    for (const property of object.properties) {
      if (T.isPropertyAssignment(property) && T.isIdentifier(property.name) && property.name.text === 'length') return this.evaluate(property.initializer, scope, depth);
      if (T.isShorthandPropertyAssignment(property) && property.name.text === 'length') return scope.lookup('length');
    }
    return undefined;
  }

  /** The source text of a regular expression literal, or of the one a module-level constant of this name holds. */
  private patternOf(node: ts.Expression): string | undefined {
    const T = this.T;
    if (T.isRegularExpressionLiteral(node)) return patternSource(node.text);
    return T.isIdentifier(node) ? this.modulePatterns.get(node.text) : undefined;
  }

  private unwrap(node: ts.Expression): ts.Expression {
    const T = this.T;
    for (;;) {
      if (T.isParenthesizedExpression(node) || T.isNonNullExpression(node) || T.isAsExpression(node) || T.isSatisfiesExpression(node) || T.isTypeAssertionExpression(node) || T.isAwaitExpression(node)) {
        node = node.expression;
      } else return node;
    }
  }
}

/** `/^[A-Z]{4}$/gi` -> `^[A-Z]{4}$`. */
function patternSource(literal: string): string {
  return literal.slice(1, literal.lastIndexOf('/'));
}
