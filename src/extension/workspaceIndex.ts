import * as vscode from 'vscode';
import { globToRegExp, inSkippedFolder, RootedPaths, sourcePathWithin } from '../core/files';
import { readConfig } from './config';
import { FAMILY_FILES, familyOfFile, type Family } from './languages';

/**
 * The workspace's files of a language family that its analyzer should know (so calls into them are
 * followed): `files.exclude` applies, then `concurrencyLens.analysis.exclude`, and dependency folders
 * and virtual environments are skipped (for TS/JS also declarations and build output). Symlinks
 * follow the CLI's rule (`sourcePathWithin`): each regular file inside the workspace folder once,
 * under its real path; nothing outside the folder (`findFiles` follows every symlink).
 */
export async function findWorkspaceFiles(family: Family, token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const { include, exclude } = FAMILY_FILES[family];
  const uris = await vscode.workspace.findFiles(include, exclude, undefined, token);
  const filter = analyzedFilter();
  const source = sourceResolver();
  const found = new Map<string, vscode.Uri>();
  for (const uri of uris) {
    const file = filter(uri) ? source(uri) : undefined;
    if (file && filter(file) && familyOfFile(file.fsPath) === family) found.set(file.fsPath, file);
  }
  return [...found.values()];
}

/**
 * The regular file a workspace path stands for (`sourcePathWithin`: symlinks resolved inside its
 * workspace folder), or undefined for a FIFO, a device, a folder, or a symlink leading outside the folder.
 */
export function sourceResolver(): (uri: vscode.Uri) => vscode.Uri | undefined {
  const roots = new Map<string, RootedPaths | null>();
  return (uri) => {
    const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    if (!folder) return undefined;
    let root = roots.get(folder.uri.fsPath);
    if (root === undefined) {
      root = rootedPaths(folder.uri.fsPath);
      roots.set(folder.uri.fsPath, root);
    }
    const file = root && sourcePathWithin(root, uri.fsPath);
    return file ? vscode.Uri.file(file) : undefined;
  };
}

function rootedPaths(folder: string): RootedPaths | null {
  try {
    return new RootedPaths(folder);
  } catch {
    return null;
  }
}

/** A predicate for "this file belongs in the analysis", reading the settings once. */
export function analyzedFilter(): (uri: vscode.Uri) => boolean {
  const excludes = new Map<string, RegExp[]>();
  return (uri) => {
    if (uri.scheme !== 'file') return false;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const relative = vscode.workspace.asRelativePath(uri, false);
    if (inSkippedFolder(relative)) return false;
    let exclude = excludes.get(folder.uri.toString());
    if (!exclude) {
      exclude = readConfig(folder.uri).analysisExclude.map(globToRegExp);
      excludes.set(folder.uri.toString(), exclude);
    }
    return !exclude.some((re) => re.test(relative));
  };
}
