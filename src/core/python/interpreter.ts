import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InterpreterInfo } from '../model';

/** What the analyzer needs from an interpreter: its identity and where its libraries live. */
export interface InterpreterProbe extends InterpreterInfo {
  /** `sys.path` entries that are directories (zip entries dropped). */
  sysPath: string[];
  stdlib: string;
}

export interface ProbeOptions {
  /**
   * The folder the interpreter starts in. It runs nothing from there (the probe is isolated), but a
   * pyenv-style shim picks the Python version from a `.python-version` in it or above it. Default: the
   * user's home folder (outside any workspace), or the filesystem root when there is none.
   */
  cwd?: string;
}

/**
 * Run with `-I` (isolated: neither the current folder nor PYTHON* variables reach `sys.path`, so no file
 * of the folder it starts in can shadow the modules imported here). Isolation also drops what the
 * analyzer reads library source from and that is the user's own: the absolute folders of PYTHONPATH and
 * the user's site-packages (which Python adds outside virtual environments); the probe adds them back
 * where Python would put them.
 */
const PROBE = [
  'import json, os, site, sys, sysconfig',
  'path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if os.path.isabs(p)] + sys.path',
  'user = site.getusersitepackages()',
  'if sys.prefix == sys.base_prefix and not os.environ.get("PYTHONNOUSERSITE") and user not in path:',
  '    system = site.getsitepackages()',
  '    path.insert(next((k for k, p in enumerate(path) if p in system), len(path)), user)',
  'path = [p for k, p in enumerate(path) if p and os.path.isdir(p) and p not in path[:k]]',
  'gil = getattr(sys, "_is_gil_enabled", lambda: True)()',
  'print(json.dumps({"path": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3],',
  '  "gilEnabled": bool(gil), "sysPath": path, "stdlib": sysconfig.get_paths()["stdlib"]}))',
].join('\n');

const cache = new Map<string, Promise<InterpreterProbe>>();

/**
 * Asks the interpreter once for its version, GIL state and `sys.path` (cached per command, folder and
 * PYTHONPATH, which the probe reads), isolated from the folder it starts in. Rejects with a message naming
 * the interpreter when it cannot be run.
 */
export function probeInterpreter(command: string, options: ProbeOptions = {}): Promise<InterpreterProbe> {
  const cwd = options.cwd ?? neutralFolder();
  const key = `${cwd}\0${command}\0${process.env.PYTHONPATH ?? ''}`;
  let probe = cache.get(key);
  if (!probe) {
    probe = runProbe(command, cwd);
    cache.set(key, probe);
    probe.catch(() => cache.delete(key));
  }
  return probe;
}

/** The home folder: the user's own, so only the user's `.python-version` can apply there. */
function neutralFolder(): string {
  const home = os.homedir();
  try {
    if (fs.statSync(home).isDirectory()) return home;
  } catch {
    // no home folder (a service account): the root
  }
  return path.parse(os.tmpdir()).root;
}

function runProbe(command: string, cwd: string): Promise<InterpreterProbe> {
  return new Promise((resolve, reject) => {
    execFile(command, ['-I', '-c', PROBE], { cwd, timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
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

/**
 * A command as typed on a command line: with a folder part (`venv/bin/python`) it is a path relative
 * to the folder it was typed in, resolved here because the probe and the runs start elsewhere; a bare
 * name (`python3`) is looked up on the PATH.
 */
export function typedCommand(command: string): string {
  return /[\\/]/.test(command) ? path.resolve(command) : command;
}

/** The first of the given commands that runs, or null when none does. */
export async function findInterpreter(candidates: readonly string[], options: ProbeOptions = {}): Promise<InterpreterProbe | null> {
  for (const candidate of candidates) {
    try {
      return await probeInterpreter(candidate, options);
    } catch {
      // try the next one
    }
  }
  return null;
}
