import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in scripts/src). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The default folder holding sources.json and the pulled specs. */
export const defaultSpecsDir = join(repoRoot, "specs");

/** Where the pulled copy of a named spec lives. */
export function specPath(specsDir: string, name: string): string {
  return join(specsDir, `${name}.json`);
}
