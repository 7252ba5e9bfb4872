import { shortName } from './python';
import type { PythonRule } from './rule';

/** A task a process pool cannot pickle: it fails at run time. */
export const CL003: PythonRule<'CL003'> = {
  id: 'CL003',
  title: 'task a process pool cannot pickle',
  severity: 'error',
  language: 'python',
  docs: 'cl003',
  checkCall(site, report) {
    if (!site.processes) return;
    if (site.call.lambdaArg) {
      report(site.call.line, `a lambda handed to ${shortName(site.api)}: lambdas cannot be pickled (PicklingError). Use a function defined at module level.`);
      return;
    }
    const name = site.task()?.fn.qualname;
    if (name?.includes('<locals>')) {
      report(site.call.line, `\`${name}\` is a nested function: a process pool cannot pickle it ("Can't pickle local object"). Define it at module level.`);
    }
  },
};
