import type { PythonProgram } from '../python/program';
import { binaryReleasesGil, RELEASE_GIL_SYMBOL } from './extensionImports';

export interface CompiledModuleAnswer {
  /** The extension module's dotted name and file. */
  moduleName: string;
  file: string;
  /** Its binary references `PyEval_SaveThread`: some of its calls may release the GIL. False: none can. */
  releasesGil: boolean;
  /** One line of evidence. */
  why: string;
}

/**
 * For a call the knowledge base has no entry for, into a compiled extension module found on the
 * interpreter's `sys.path`: whether that module can release the GIL at all, read from its binary's
 * import table (see extensionImports.ts). Undefined when the name is not in a compiled module or its
 * binary cannot be read.
 */
export function compiledModuleReleasesGil(name: string, program: PythonProgram): CompiledModuleAnswer | undefined {
  const module = program.extensionModuleOf(name) ?? importedExtensionOf(name, program);
  if (!module) return undefined;
  const releasesGil = binaryReleasesGil(module.file);
  if (releasesGil === null) return undefined;
  const why = releasesGil
    ? `${module.moduleName} is compiled code whose binary references ${RELEASE_GIL_SYMBOL}: some of its calls may release the GIL`
    : `${module.moduleName} is compiled code that never releases the GIL: its binary does not reference ${RELEASE_GIL_SYMBOL} (read from the extension module's import table)`;
  return { ...module, releasesGil, why };
}

/**
 * The extension module a package imports `name`'s function from, when the package's source says
 * (`from ._lsap import linear_sum_assignment` in scipy/optimize/__init__.py: `scipy.optimize.linear_sum_assignment`
 * is `scipy.optimize._lsap`'s); null otherwise.
 */
function importedExtensionOf(name: string, program: PythonProgram): { moduleName: string; file: string } | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  const target = program.module(name.slice(0, dot))?.imports.get(name.slice(dot + 1));
  return target !== undefined && target !== name ? program.extensionModuleOf(target) : null;
}
