import * as vscode from 'vscode';
import { globToRegExp, inSkippedFolder } from '../core/files';
import { readConfig } from './config';
import { FAMILY_FILES, type Family } from './languages';

/**
 * The workspace's files of a language family that its analyzer should know (so calls into them are
 * followed): `files.exclude` applies, then `concurrencyLens.analysis.exclude`, and dependency folders
 * and virtual environments are skipped (for TS/JS also declarations and build output).
 */
export async function findWorkspaceFiles(family: Family, token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const { include, exclude } = FAMILY_FILES[family];
  const uris = await vscode.workspace.findFiles(include, exclude, undefined, token);
  const filter = analyzedFilter();
  return uris.filter(filter);
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
