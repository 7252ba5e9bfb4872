import type { ScriptRule } from './rule';
import { describe } from './typescript';

/**
 * In an async function or a request handler, a synchronous wait or CPU-heavy work (a heavy native
 * call, a CPU-bound function, a CPU-bound loop), directly or through the plain functions it calls.
 * Calls into async functions are left to those functions' own findings.
 */
export const CL101: ScriptRule<'CL101'> = {
  id: 'CL101',
  title: 'event loop blocked in an async function or request handler',
  severity: 'warning',
  language: 'typescript',
  docs: 'cl101',
  checkFunction(site, report) {
    const { fn, knownToBlock, showChain } = site;
    if (!fn.async && !fn.handler) return;
    const summary = site.summary();
    const where = describe(fn);
    const stalls = fn.handler ? 'Every other request waits meanwhile' : 'Every other callback and request waits meanwhile';
    let cpuFlagged = false;
    for (const c of summary.contributions) {
      if (knownToBlock(c) && c.blocking) {
        const calls = c.blocking.calls;
        const api = calls.at(-1) ?? calls[0] ?? '';
        const through = calls.length > 1 ? ` through ${calls.map(showChain).join(' → ')}` : '';
        const instead = c.blocking.instead ? `use ${c.blocking.instead} (await it)` : 'use the async API';
        report(c.line, `\`${showChain(api)}\` blocks the event loop in ${where}${through}: ${c.blocking.why}. ${stalls}: ${instead}.`);
      } else if (c.kind === 'cpu' && c.heavy && !c.fromAsync) {
        const calls = c.heavy.calls;
        const through = calls.length > 1 ? ` through ${calls.map(showChain).join(' → ')}` : '';
        const last = calls.at(-1) ?? '';
        if (c.heavy.cpuBoundFunction) {
          report(c.line, `\`${showChain(last)}\` is CPU-bound (${c.heavy.why}) and runs on the event loop in ${where}${through}. ${stalls}: run it in a worker_threads pool (e.g. piscina).`);
        } else {
          const asyncForm = last.endsWith('Sync') ? `, or use \`${showChain(last.slice(0, -'Sync'.length))}\`, whose async form runs in libuv's thread pool` : '';
          report(c.line, `\`${showChain(last)}\` is CPU work on the event loop in ${where}${through}: ${c.heavy.why}. ${stalls}: run it in a worker_threads pool (e.g. piscina)${asyncForm}.`);
        }
        cpuFlagged = true;
      }
    }
    if (cpuFlagged || !site.heavy(summary) || site.verdict(summary) !== 'cpu') return;
    const loop = summary.contributions.find((c) => c.kind === 'cpu' && c.loop && !c.fromAsync);
    if (!loop) return;
    report(loop.line, `CPU-bound work on the event loop in ${where} (${loop.reason}): ${stalls}. Run the loop in a worker_threads pool (e.g. piscina), or split it into chunks that yield (setImmediate) between them.`);
  },
};
