import type { Node } from '@vscode/tree-sitter-wasm';
import type { FixHint } from '../model';
import type { QuickFix, SourceEdit } from '../edits';
import { callsOnRow, compact, insertImport, moduleImportedAs } from '../python/edits';
import type { PythonRule } from './rule';

/**
 * A call known to block the thread inside `async def`, directly or through the plain functions it
 * calls: it stalls the event loop.
 */
export const CL005: PythonRule<'CL005'> = {
  id: 'CL005',
  title: 'blocking call in async def',
  severity: 'warning',
  language: 'python',
  docs: 'cl005',
  checkFunction(site, report) {
    if (!site.fn.async) return;
    const seen = new Set<number>();
    for (const c of site.blockingCalls()) {
      if (seen.has(c.line)) continue;
      seen.add(c.line);
      const calls = c.blocking?.calls ?? [];
      const [first] = calls;
      const where = `in async def \`${site.fn.qualname}\``;
      if (!c.blocking || first === undefined) {
        report(c.line, `blocking call ${where}: ${c.reason}. It stalls the event loop: await asyncio.to_thread(...) or use an async API.`);
        continue;
      }
      const api = calls.at(-1) ?? first;
      const path = calls.length > 1 ? ` through ${calls.map(site.showChain).join(' → ')}` : '';
      const sleeps = calls.length === 1 && site.externalName(first) === 'time.sleep';
      const remedy = sleeps ? 'await asyncio.sleep(...)' : `await asyncio.to_thread(${site.showChain(first)}, ...) or use an async API`;
      report(
        c.line,
        `\`${site.showChain(api)}\` blocks the event loop ${where}${path}: ${c.blocking.why}. Every other task waits meanwhile: ${remedy}.`,
        sleeps ? { kind: 'await-asyncio-sleep', callee: first } : { kind: 'await-to-thread', callee: first },
      );
    }
  },
  quickFix: { hints: ['await-to-thread', 'await-asyncio-sleep'], apply: awaitBlockingCall },
};

/** Where `await x` must be parenthesized: `(await x).attr`, `(await x)[0]`, `(await x)()`. */
const PRIMARY_PARENTS = new Set(['attribute', 'subscript', 'call']);

function awaitBlockingCall(
  module: Node,
  source: string,
  row: number,
  hint: FixHint,
): QuickFix | null {
  if (hint.kind !== 'await-to-thread' && hint.kind !== 'await-asyncio-sleep') return null;
  const call = callsOnRow(module, row).find((c) => compact(c.childForFieldName('function')?.text ?? '') === hint.callee);
  const fn = call?.childForFieldName('function');
  const args = call?.childForFieldName('arguments');
  if (!call || !fn || args?.type !== 'argument_list' || call.parent?.type === 'await') return null;
  const asyncio = moduleImportedAs(module, 'asyncio');
  const inner = source.slice(args.startIndex + 1, args.endIndex - 1);
  const awaited = hint.kind === 'await-asyncio-sleep'
    ? `await ${asyncio ?? 'asyncio'}.sleep(${inner})`
    : `await ${asyncio ?? 'asyncio'}.to_thread(${fn.text}${inner.trim() ? `, ${inner}` : ''})`;
  const needsParentheses = PRIMARY_PARENTS.has(call.parent?.type ?? '');
  const edits: SourceEdit[] = [{ start: call.startIndex, end: call.endIndex, text: needsParentheses ? `(${awaited})` : awaited }];
  if (!asyncio) edits.push(insertImport(module, source, 'import asyncio'));
  const title = hint.kind === 'await-asyncio-sleep' ? 'Use await asyncio.sleep(...)' : `Run ${fn.text} in a thread: await asyncio.to_thread(...)`;
  return { title, edits };
}
