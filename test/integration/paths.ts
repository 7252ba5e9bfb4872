/**
 * Where things are, for the runners (plain Node, outside VS Code). Compiled to out/test/integration/.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The extension's root: the nearest folder above this file whose package.json is ours. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'concurrency-lens') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the concurrency-lens package.json above ${start}`);
    dir = parent;
  }
}

export interface TestPaths {
  repoRoot: string;
  /** The fixture workspace as committed; tests run against a copy so an edit can never dirty the repo. */
  fixtureWorkspace: string;
  /** The compiled mocha entry that VS Code loads as extensionTestsPath. */
  suiteIndex: string;
  /** The same for the Restricted Mode suite. */
  restrictedSuiteIndex: string;
  /** Screenshots and logs of failed runs (gitignored). */
  resultsDir: string;
}

export function testPaths(): TestPaths {
  const repoRoot = findRepoRoot();
  const paths: TestPaths = {
    repoRoot,
    fixtureWorkspace: path.join(repoRoot, 'test', 'fixtures', 'workspace'),
    suiteIndex: path.join(repoRoot, 'out', 'test', 'integration', 'suite', 'index.js'),
    restrictedSuiteIndex: path.join(repoRoot, 'out', 'test', 'integration', 'suite', 'restricted', 'index.js'),
    resultsDir: path.join(repoRoot, 'test-results'),
  };
  for (const [what, file] of [
    ['the extension bundle (run `npm run build`)', path.join(repoRoot, 'dist', 'extension.js')],
    ['the compiled suite (run `npm run compile-tests`)', paths.suiteIndex],
    ['the fixture workspace', paths.fixtureWorkspace],
  ] as const) {
    if (!existsSync(file)) throw new Error(`missing ${what}: ${file}`);
  }
  return paths;
}

/** Copies the fixture workspace into `parent`/workspace and returns the copy's path. */
export function copyFixtureWorkspace(paths: TestPaths, parent: string): string {
  const target = path.join(parent, 'workspace');
  cpSync(paths.fixtureWorkspace, target, { recursive: true });
  return target;
}
