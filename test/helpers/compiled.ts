import path from "node:path";
import {inject} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";

/** The run's compiled copy of the package (test/globalSetup/compiledService.ts), where the project made one. */
function compiledRoot(): string | undefined {
  // Undefined in a project whose set-up did not provide it.
  return inject("compiledService") || undefined;
}

/**
 * Where `file` (a TypeScript file of src/ or test/helpers/, from the package root) runs from in a
 * child process: its compiled copy, or the sources where the project made none (the unit tests).
 */
export function runnable(file: string): string {
  const root = compiledRoot();
  return root ? path.join(root, file.replace(/\.ts$/, ".js")) : path.join(PACKAGE_ROOT, file);
}

/**
 * Node's arguments to run `file` in a child process, compiled or through tsx (see runnable), with
 * Node's own flags before it (a preload named by `runnable`, --expose-gc).
 */
export function nodeScript(file: string, nodeFlags: readonly string[] = []): string[] {
  const tsx = compiledRoot() ? [] : ["--import", "tsx"];
  return [...tsx, ...nodeFlags, runnable(file)];
}
