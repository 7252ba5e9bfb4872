import { POOLS } from '../knowledge/pools';
import { shortName } from './python';
import type { PythonRule } from './rule';

/** A pool created inside a loop: its start-up is paid on every pass. */
export const CL006: PythonRule<'CL006'> = {
  id: 'CL006',
  title: 'pool created inside a loop',
  severity: 'warning',
  language: 'python',
  docs: 'cl006',
  checkCall(site, report) {
    if (!POOLS.has(site.api) || !site.call.loopDepth) return;
    report(site.call.line, `${shortName(site.api)} is created on every pass of the loop: its start-up is paid each time. Create the pool once, outside the loop, and submit to it.`);
  },
};
