import type * as vscode from 'vscode';
import { FAMILIES, familyOfFileName, familyOfLanguage, LANGUAGES, type Family } from '../core/languages';

export { familyOfLanguage as familyOf, type Family } from '../core/languages';

export function isAnalyzedLanguage(languageId: string): boolean {
  return familyOfLanguage(languageId) !== undefined;
}

/** Every analyzed language, in files and in untitled editors. */
export const ANALYZED_DOCUMENTS: vscode.DocumentSelector = FAMILIES.flatMap((family) =>
  LANGUAGES[family].languageIds.flatMap((language) => [
    { language, scheme: 'file' },
    { language, scheme: 'untitled' },
  ]),
);

/** Build output and bundles are not the code people edit. */
const BUILD_FOLDERS = ['node_modules', 'dist', 'out', 'build', 'coverage'];
const IN_BUILD_FOLDER = new RegExp(`[\\\\/](${BUILD_FOLDERS.join('|')})[\\\\/]`);

/** The workspace files each family indexes (a glob for `findFiles`, what it leaves out, and the words for them). */
export const FAMILY_FILES: Readonly<Record<Family, { include: string; exclude?: string; noun: string }>> = {
  python: { include: globOf(LANGUAGES.python.extensions), noun: LANGUAGES.python.noun },
  typescript: {
    include: globOf(LANGUAGES.typescript.extensions),
    // Declarations have no bodies (familyOfFile also leaves out other declaration and bundle names).
    exclude: `{**/*.d.ts,**/*.d.mts,**/*.d.cts,**/*.min.js,${BUILD_FOLDERS.map((folder) => `**/${folder}/**`).join(',')}}`,
    noun: LANGUAGES.typescript.noun,
  },
};

function globOf(extensions: readonly string[]): string {
  const names = extensions.map((ext) => ext.slice(1));
  return names.length === 1 ? `**/*.${names[0] ?? ''}` : `**/*.{${names.join(',')}}`;
}

/** The family a file on disk belongs to, by its name (the watchers' events carry no language); undefined when not indexed. */
export function familyOfFile(file: string): Family | undefined {
  const family = familyOfFileName(file);
  return family === 'typescript' && IN_BUILD_FOLDER.test(file) ? undefined : family;
}
