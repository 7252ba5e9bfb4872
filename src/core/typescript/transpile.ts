import { ts } from 'ts-morph';

/**
 * One TypeScript file as CommonJS JavaScript, types stripped and nothing checked (what the Node
 * benchmark harness loads for `.ts`/`.tsx`/`.mts`/`.cts` targets and their local imports).
 */
export function transpileForRun(source: string, fileName: string): string {
  const result = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      jsx: ts.JsxEmit.React,
      sourceMap: false,
      inlineSourceMap: true,
    },
  });
  return result.outputText;
}
