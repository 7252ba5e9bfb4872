import { swapPool } from '../python/edits';
import { counterpart } from './python';
import type { PythonRule } from './rule';

/** I/O-bound work handed to processes: threads overlap the waits as well, for less. */
export const CL002: PythonRule<'CL002'> = {
  id: 'CL002',
  title: 'I/O-bound work in processes',
  severity: 'warning',
  language: 'python',
  docs: 'cl002',
  checkCall(site, report) {
    if (!site.processes || site.call.lambdaArg) return;
    const task = site.task();
    // A nested function is CL003's: it does not run at all.
    if (!task || task.fn.qualname.includes('<locals>')) return;
    const { evidence, verdict } = task.report();
    if (verdict !== 'io') return;
    const why = evidence[0] ? ` (line ${evidence[0].line}: ${evidence[0].reason})` : '';
    report(site.call.line, `\`${task.fn.qualname}\` waits on I/O${why}: threads overlap the waits as well, with less memory and no start-up or pickling. Use ${counterpart(site.api)}.`, { kind: 'use-threads' });
  },
  quickFix: { hints: ['use-threads'], apply: swapPool },
};
