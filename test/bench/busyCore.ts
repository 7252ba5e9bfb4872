import { spawn } from 'node:child_process';
import { keepPriority } from '../../src/core/bench/processTree';

/**
 * Keeps one core busy with a process of its own until the returned function is called. In a session of its
 * own, as the harness is: with its priority (autogroups), it weighs against the measured work as one core.
 */
export function keepOneCoreBusy(): () => void {
  const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true });
  if (spinner.pid !== undefined) keepPriority(spinner.pid);
  return () => spinner.kill('SIGKILL');
}
