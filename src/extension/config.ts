import * as vscode from 'vscode';
import { SECTION, Settings } from './constants';

/** Typed access to the extension's settings. */
export interface LensConfig {
  pythonPath: string;
  analysisExclude: string[];
  followLibraries: boolean;
}

export function readConfig(scope?: vscode.ConfigurationScope): LensConfig {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    pythonPath: config.get<string>(Settings.pythonPath, '').trim(),
    analysisExclude: config.get<string[]>(Settings.analysisExclude, []),
    followLibraries: config.get<boolean>(Settings.followLibraries, true),
  };
}

export function affectsAnalyzer(event: vscode.ConfigurationChangeEvent): boolean {
  return [Settings.pythonPath, Settings.followLibraries].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
