import type { ScriptRule } from './rule';
import { effectiveDepth, inPoolLoop } from './typescript';

/** A Worker (or a worker pool) per task: each task pays a worker's start-up. */
export const CL103: ScriptRule<'CL103'> = {
  id: 'CL103',
  title: 'a Worker created per task inside a loop',
  severity: 'warning',
  language: 'typescript',
  docs: 'cl103',
  checkWorkerCall({ entry, fn, call, kind }, report) {
    if (effectiveDepth(entry, fn, call) === 0 || inPoolLoop(entry, fn, call)) return;
    report(
      call.line,
      kind === 'worker'
        ? 'a new Worker per task, inside a loop: each one starts a V8 isolate and an event loop (tens of milliseconds and megabytes) and runs one task. Create a fixed pool once (about one worker per core, e.g. piscina) and post the tasks to it.'
        : 'a worker pool created on every pass of the loop: its workers start each time. Create the pool once, outside the loop, and run the tasks on it.',
    );
  },
  /** Through a call: a function that creates a Worker, called in a loop or once per element. */
  checkFunction({ entry, fn, resolveFunction, workerCreatedBy }, report) {
    for (const call of fn.calls) {
      const depth = inPoolLoop(entry, fn, call) ? 0 : effectiveDepth(entry, fn, call);
      const perElement = call.argChains !== undefined && /\.(map|forEach|flatMap)$/.test(call.callee);
      if (depth === 0 && !perElement) continue;
      const chains = depth > 0 ? [call.callee, ...(perElement ? (call.argChains ?? []) : [])] : (call.argChains ?? []);
      for (const chain of chains) {
        const target = resolveFunction(chain);
        if (!target || target.fn === fn) continue;
        const created = workerCreatedBy(target.entry, target.fn);
        if (!created) continue;
        report(
          call.line,
          `\`${target.fn.qualname}\` creates a new Worker on every call (line ${created.line}), and it runs once per task here: each task pays a worker's start-up (a V8 isolate, tens of milliseconds). Create a fixed pool once (about one worker per core, e.g. piscina) and post the tasks to it.`,
        );
      }
    }
  },
};
