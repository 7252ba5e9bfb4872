import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileReport, Finding, FunctionReport } from '../../src/core/model';
import { TypeScriptAnalyzer, type ScriptAnalyzerOptions } from '../../src/core/typescript/index';
import { tempTree } from './helpers';

/** Analyzes a tree of TS/JS files (cross-file resolution included); the report of each file by relative path. */
export function analyzeScripts(files: Record<string, string>, options: ScriptAnalyzerOptions = {}): Map<string, FileReport> {
  const root = tempTree(files);
  const analyzer = new TypeScriptAnalyzer(options);
  try {
    const paths = Object.keys(files).map((relative) => path.join(root, relative));
    analyzer.loadFiles(paths);
    analyzer.resolveProject();
    return new Map(Object.keys(files).map((relative) => [relative, analyzer.fileReport(path.join(root, relative))]));
  } finally {
    analyzer.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** One module's functions by qualname. */
export function scriptFunctions(source: string, name = 'module.ts'): Map<string, FunctionReport> {
  const report = analyzeScripts({ [name]: source }).get(name) as FileReport;
  return new Map(report.functions.map((fn) => [fn.qualname, fn]));
}

export function scriptFn(functions: Map<string, FunctionReport>, qualname: string): FunctionReport {
  const found = functions.get(qualname);
  if (!found) throw new Error(`no function ${qualname}; have ${[...functions.keys()].join(', ')}`);
  return found;
}

/** `CL101@7`-style ids of findings, in order. */
export function findingIds(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.rule}@${f.line}`);
}

/** The 1-based line of the first line containing `marker`. */
export function lineOf(source: string, marker: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`no line with ${marker}`);
  return index + 1;
}
