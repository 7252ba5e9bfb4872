/**
 * The untrusted folder of the Restricted Mode run, made at test time (never committed, so no tool run on
 * this repository meets it): every file that could run leaves a marker in `markers/` beside the folder.
 * Used by the runner (which creates it) and by the suite inside VS Code (which reads the markers).
 */
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const HOSTILE_APP = 'app.py';

/** Modules an interpreter started in the folder would import from it instead of the standard library's. */
export const SHADOWED_MODULES = ['json', 'sysconfig', 'os', 'site'] as const;

export const HOSTILE_APP_EXPECTED = ['crunch:cpu', 'wait:io'];

/** Where the folder's files leave their markers: beside the folder, not in it. */
export function markersFolder(workspace: string): string {
  return path.join(path.dirname(workspace), 'markers');
}

/** What ran so far: one marker per file that ran (`json`, `app`, `pythonPath` …). */
export function markersLeft(workspace: string): string[] {
  return readdirSync(markersFolder(workspace)).sort();
}

/**
 * `parent`/hostile: app.py (leaves a marker when imported, as a benchmark would), a module shadowing each of
 * SHADOWED_MODULES, and a workspace `.vscode/settings.json` whose `concurrencyLens.pythonPath` names a
 * program of the folder (a restricted setting: its workspace value is ignored while the folder is untrusted).
 */
export function createHostileWorkspace(parent: string): string {
  const workspace = path.join(parent, 'hostile');
  const markers = markersFolder(workspace);
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  mkdirSync(path.join(workspace, 'tools'));
  mkdirSync(markers);
  const leaveMarker = (name: string) => `open(${JSON.stringify(path.join(markers, name))}, "w").write("ran")\n`;
  writeFileSync(
    path.join(workspace, HOSTILE_APP),
    `import time\n\n${leaveMarker('app')}\n\ndef crunch(n):\n    return sum(i * i for i in range(n))\n\n\ndef wait():\n    time.sleep(1)\n`,
  );
  for (const module of SHADOWED_MODULES) writeFileSync(path.join(workspace, `${module}.py`), leaveMarker(module));
  const python = path.join(workspace, 'tools', 'python');
  writeFileSync(python, `#!/bin/sh\necho ran > ${JSON.stringify(path.join(markers, 'pythonPath'))}\nexec python3 "$@"\n`);
  chmodSync(python, 0o755);
  const settings = { 'concurrencyLens.pythonPath': python };
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return workspace;
}
