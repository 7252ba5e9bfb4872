import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';

/** Where the interpreter the advice assumes came from (for the log). */
export type InterpreterSource = 'setting' | 'python extension' | 'PATH';

export interface ChosenInterpreter {
  /** Undefined: let the analyzer try `python3`, then `python`, from the PATH. */
  path: string | undefined;
  source: InterpreterSource;
  /**
   * Where to start it (a pyenv-style shim picks the version from a `.python-version` there or above):
   * the first workspace folder once the workspace is trusted, as in a terminal there; undefined (the
   * analyzer's neutral folder) while it is not, so no file of the workspace decides what runs.
   */
  cwd: string | undefined;
}

/**
 * The interpreter to ask for `sys.path` and GIL state: `concurrencyLens.pythonPath` when set, else the
 * Python extension's active environment for the workspace, else the PATH. The Python extension's choice
 * is often a virtual environment inside the workspace, that is, a program from the workspace: it is
 * used only once the workspace is trusted.
 */
export async function chooseInterpreter(configured: string, output: vscode.LogOutputChannel): Promise<ChosenInterpreter> {
  const chosen = await chooseInterpreterPath(configured, output);
  return { ...chosen, cwd: vscode.workspace.isTrusted ? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath : undefined };
}

async function chooseInterpreterPath(configured: string, output: vscode.LogOutputChannel): Promise<Omit<ChosenInterpreter, 'cwd'>> {
  if (configured) return { path: configured, source: 'setting' };
  if (!vscode.workspace.isTrusted || !vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return { path: undefined, source: 'PATH' };
  try {
    const environments = (await PythonExtension.api()).environments;
    const active = environments.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri);
    const resolved = await environments.resolveEnvironment(active);
    const executable = resolved?.executable.uri?.fsPath;
    if (executable) return { path: executable, source: 'python extension' };
    output.warn(`the Python extension's active environment (${active.path}) has no executable; using the PATH`);
  } catch (error) {
    output.warn(`could not ask the Python extension for its interpreter: ${(error as Error).message}`);
  }
  return { path: undefined, source: 'PATH' };
}

/** Calls `listener` when the Python extension's active environment changes (once it is active). */
export async function onDidChangePythonEnvironment(listener: () => void): Promise<vscode.Disposable> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return new vscode.Disposable(() => undefined);
  try {
    return (await PythonExtension.api()).environments.onDidChangeActiveEnvironmentPath(listener);
  } catch {
    return new vscode.Disposable(() => undefined);
  }
}
