import { swapPool } from '../python/edits';
import { counterpart } from './python';
import type { PythonRule } from './rule';

/** CPU work that holds the GIL handed to threads: they take turns on one core. */
export const CL001: PythonRule<'CL001'> = {
  id: 'CL001',
  title: 'GIL-bound CPU work in threads',
  severity: 'warning',
  language: 'python',
  docs: 'cl001',
  checkCall(site, report) {
    if (!site.threads || site.call.lambdaArg) return;
    const task = site.task();
    if (!task) return;
    const { evidence, verdict } = task.report();
    if (verdict !== 'cpu' || (site.interpreter !== null && !site.interpreter.gilEnabled)) return;
    const name = task.fn.qualname;
    const why = evidence[0] ? ` (line ${evidence[0].line}: ${evidence[0].reason})` : '';
    // A module-level function pickles by reference; a method or a local function may not.
    const picklable = !name.includes('.');
    report(site.call.line, `\`${name}\` is CPU work that holds the GIL${why}: threads run it one at a time. Use ${counterpart(site.api)}.`, picklable ? { kind: 'use-processes' } : undefined);
  },
  quickFix: { hints: ['use-processes'], apply: swapPool },
};
