import { compareModes, runnableFamilyOf } from '../languages';
import type { BenchMode } from './events';

/** Files the Node harness runs (TypeScript ones transpiled first); anything else goes to the Python harness. */
export function isNodeTarget(file: string): boolean {
  return runnableFamilyOf(file) === 'typescript';
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether the function `qualname` (its last part) is declared async or promise-returning in `source`,
 * without a parser (the TypeScript compiler is 14 MB): `async function f`, `async f(` (methods),
 * `f = async`, `f: async`, and a `: Promise<…>` return type. A guess, good enough to decide whether a
 * benchmark includes the `async` mode (the harness also runs it when the sequential calls returned
 * promises).
 */
export function declaredAsync(source: string, qualname: string): boolean {
  const name = escape(qualname.split('.').at(-1) ?? qualname);
  const patterns = [
    new RegExp(`\\basync\\s+function\\s+${name}\\s*[<(]`),
    new RegExp(`\\b(?:const|let|var)\\s+${name}\\s*(?::[^=;]+)?=\\s*async\\b`),
    new RegExp(`(?:^|[^\\w$])${name}\\s*[:=]\\s*async\\b`, 'm'),
    new RegExp(`\\basync\\s+${name}\\s*[<(]`),
    new RegExp(`(?:^|[^\\w$])${name}\\s*(?:<[^>()]*>)?\\s*\\([^()]*\\)\\s*:\\s*Promise\\s*<`, 'm'),
  ];
  return patterns.some((pattern) => pattern.test(source));
}

/** What a Node comparison runs: sequential and both pools, and `async` for async functions (cheapest first). */
export function defaultNodeModes(isAsync: boolean): BenchMode[] {
  return compareModes('typescript', isAsync);
}
