import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root above `from`: the nearest folder holding pnpm-workspace.yaml. */
export function findRepoRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
  }
}

/** This repository's root. */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The read-only material beside the repository (upstream's specs and recordings): $SPEC_MIRROR
 * (relative to the repository root, where pnpm runs, when not absolute), else ../shared/specs.
 */
export function sharedSpecsDir(): string {
  return resolve(repoRoot, process.env.SPEC_MIRROR || join("..", "shared", "specs"));
}

/** An environment for a nested turbo run: the variables of the turbo task running us removed, telemetry off. */
export function withoutTurboEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...env, TURBO_TELEMETRY_DISABLED: "1" };
  for (const key of Object.keys(clean)) if (key.startsWith("TURBO_") && key !== "TURBO_TELEMETRY_DISABLED") delete clean[key];
  return clean;
}

/**
 * The environment that lets a throwaway clone reuse this tree's cache of derived model-spec shapes
 * (scripts/src/models/shape-cache.ts): its keys name the content, so sharing it only saves time.
 */
export function sharedModelCacheEnv(): NodeJS.ProcessEnv {
  return { AIMLAPI_MODEL_CACHE_DIR: join(repoRoot, "node_modules", ".cache", "aimlapi-sdk", "model-specs") };
}
