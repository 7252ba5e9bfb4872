/** Shared by the integration tests (runs inside the VS Code extension host). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../src/extension/runHistory';
import type { ConcurrencyLensApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'concurrency-lens.concurrency-lens';

export function extension(): vscode.Extension<ConcurrencyLensApi> {
  const ext = vscode.extensions.getExtension<ConcurrencyLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** Activates the extension (a no-op when it already is) and returns its API. */
export async function api(): Promise<ConcurrencyLensApi> {
  return extension().activate();
}

/** A file of the fixture workspace the runner opened (a copy of test/fixtures/workspace). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the runner must open test/fixtures/workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `command` and accepts the call box it opens, as it is pre-filled (Enter), until the command settles. */
export async function acceptingTheCallBox(command: Thenable<RunRecord | undefined>): Promise<RunRecord | undefined> {
  let settled = false;
  const result = Promise.resolve(command).finally(() => {
    settled = true;
  });
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}
