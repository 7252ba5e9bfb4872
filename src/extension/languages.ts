import type * as vscode from 'vscode';

/**
 * The languages the extension analyzes, in two families with an analyzer each: Python (tree-sitter)
 * and TypeScript/JavaScript (ts-morph, started only when a TS/JS document is opened).
 */
export type Family = 'python' | 'typescript';

const FAMILY_OF_LANGUAGE: Readonly<Record<string, Family>> = {
  python: 'python',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  javascript: 'typescript',
  javascriptreact: 'typescript',
};

export function familyOf(languageId: string): Family | undefined {
  return Object.hasOwn(FAMILY_OF_LANGUAGE, languageId) ? FAMILY_OF_LANGUAGE[languageId] : undefined;
}

export function isAnalyzedLanguage(languageId: string): boolean {
  return familyOf(languageId) !== undefined;
}

/** Every analyzed language, in files and in untitled editors. */
export const ANALYZED_DOCUMENTS: vscode.DocumentSelector = Object.keys(FAMILY_OF_LANGUAGE).flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

/** The workspace files each family indexes. */
export const FAMILY_FILES: Readonly<Record<Family, { include: string; exclude?: string; noun: string }>> = {
  python: { include: '**/*.py', noun: 'Python' },
  typescript: {
    include: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
    // Declarations have no bodies; build output and bundles are not the code people edit.
    exclude: '{**/*.d.ts,**/*.d.mts,**/*.d.cts,**/*.min.js,**/node_modules/**,**/dist/**,**/out/**,**/build/**,**/coverage/**}',
    noun: 'TypeScript/JavaScript',
  },
};

const TYPESCRIPT_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** What FAMILY_FILES.typescript.exclude leaves out, for one path. */
const TYPESCRIPT_SKIPPED = /\.d\.(ts|mts|cts)$|\.min\.js$|[\\/](node_modules|dist|out|build|coverage)[\\/]/;

/** The family a file on disk belongs to, by its name (the watchers' events carry no language); undefined when not indexed. */
export function familyOfFile(file: string): Family | undefined {
  if (file.endsWith('.py')) return 'python';
  return TYPESCRIPT_FILE.test(file) && !TYPESCRIPT_SKIPPED.test(file) ? 'typescript' : undefined;
}
