/**
 * Where a spec's files live: the one place that knows the layout. Every script asks `specLayout`
 * rather than writing paths out, so that the layout can grow (more specs, more generated files)
 * in one place.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root above this file: the nearest folder holding pnpm-workspace.yaml. */
export const repoRoot = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error("scripts/ is not inside the repository (no pnpm-workspace.yaml above it)");
  }
})();

/** The default folder holding sources.json, the pulled specs and their overlays. */
export const defaultSpecsDir = join(repoRoot, "specs");

/** The packages' folders that codegen writes (git-ignored, rebuilt from the specs). */
export const GENERATED_DIRS = [
  join("packages", "types", "src", "generated"),
  join("packages", "mock-server", "src", "generated"),
];

/** Every file of one spec, absolute, with the repository-relative forms used in messages. */
export interface SpecLayout {
  name: string;
  specsDir: string;
  /** Upstream's document as pulled and pinned (never edited). */
  pinned: string;
  /** Our reviewed corrections of it (may not exist). */
  overlay: string;
  /** The lock that pins it. */
  sources: string;
  /** The effective document (pinned + overlay), as codegen writes it for tools and tests. */
  effective: string;
  /** The generated openapi-typescript module. */
  types: string;
  /** The mock server's embedded copy of the effective document, without documentation. */
  mockSpec: string;
  /** The folders codegen writes, for backups and restores. */
  generatedDirs: string[];
  /** Repository-relative paths, for messages. */
  shown: { pinned: string; overlay: string; effective: string; types: string; mockSpec: string };
}

/** File name of the generated module for a spec name (a dot in a module name confuses resolvers). */
export function generatedFileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]+/g, "-")}.ts`;
}

/** The layout of spec `name` in the repository at `root` (its specs in `specsDir`, by default `<root>/specs`). */
export function specLayout(root: string, name: string, specsDir = join(root, "specs")): SpecLayout {
  const typesDir = join(root, "packages", "types", "src", "generated");
  const mockDir = join(root, "packages", "mock-server", "src", "generated");
  const paths = {
    pinned: join(specsDir, `${name}.json`),
    overlay: join(specsDir, "overlays", `${name}.overlay.yaml`),
    effective: join(mockDir, `${name}.effective.json`),
    types: join(typesDir, generatedFileName(name)),
    mockSpec: join(mockDir, "spec.json"),
  };
  // Shown relative to the repository; a scratch specs folder still shows as specs/… (what a user would edit).
  const inSpecs = (path: string) => join("specs", relative(specsDir, path));
  return {
    name,
    specsDir,
    sources: join(specsDir, "sources.json"),
    ...paths,
    generatedDirs: GENERATED_DIRS.map((dir) => join(root, dir)),
    shown: {
      pinned: inSpecs(paths.pinned),
      overlay: inSpecs(paths.overlay),
      effective: relative(root, paths.effective),
      types: relative(root, paths.types),
      mockSpec: relative(root, paths.mockSpec),
    },
  };
}

/** The layout of a spec found through a specs folder alone (the repository is the one around it, else this one). */
export function layoutIn(specsDir: string, name: string): SpecLayout {
  const resolved = resolve(specsDir);
  const root = existsSync(join(resolved, "..", "pnpm-workspace.yaml")) ? resolve(resolved, "..") : repoRoot;
  return specLayout(root, name, resolved);
}
