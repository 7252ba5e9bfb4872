import { execFile } from 'node:child_process';
import type { InterpreterInfo } from '../model';

/** What the analyzer needs from an interpreter: its identity and where its libraries live. */
export interface InterpreterProbe extends InterpreterInfo {
  /** `sys.path` entries that are directories (zip entries dropped). */
  sysPath: string[];
  stdlib: string;
}

const PROBE = [
  'import json, os, sys, sysconfig',
  'gil = getattr(sys, "_is_gil_enabled", lambda: True)()',
  'print(json.dumps({"path": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3],',
  '  "gilEnabled": bool(gil), "sysPath": [p for p in sys.path if p and os.path.isdir(p)],',
  '  "stdlib": sysconfig.get_paths()["stdlib"]}))',
].join('\n');

const cache = new Map<string, Promise<InterpreterProbe>>();

/**
 * Asks the interpreter once for its version, GIL state and `sys.path` (cached per command).
 * Rejects with a message naming the interpreter when it cannot be run.
 */
export function probeInterpreter(command: string): Promise<InterpreterProbe> {
  let probe = cache.get(command);
  if (!probe) {
    probe = runProbe(command);
    cache.set(command, probe);
    probe.catch(() => cache.delete(command));
  }
  return probe;
}

function runProbe(command: string): Promise<InterpreterProbe> {
  return new Promise((resolve, reject) => {
    execFile(command, ['-c', PROBE], { timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (stderr.trim() || error.message);
        reject(new Error(`Python interpreter '${command}' could not be run: ${reason}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as InterpreterProbe);
      } catch {
        reject(new Error(`Python interpreter '${command}' printed something unexpected: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/** The first of the given commands that runs, or null when none does. */
export async function findInterpreter(candidates: readonly string[]): Promise<InterpreterProbe | null> {
  for (const candidate of candidates) {
    try {
      return await probeInterpreter(candidate);
    } catch {
      // try the next one
    }
  }
  return null;
}
