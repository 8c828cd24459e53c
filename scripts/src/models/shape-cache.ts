/**
 * A cache of what each model spec yields (its ids, shapes, the shared actions that miss it, and
 * whether its effective document passed validation), keyed by the file's bytes, the overlays that
 * apply to it and the code that derives it. Every codegen task, spec:check, MODELS.md and the update
 * gates read 408 specs; with the cache only changed ones are parsed and corrected again. It lives in
 * the root node_modules/.cache, which candidate copies share through their node_modules link.
 */
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256 } from "../hash";
import { repoRoot } from "../layout";
import type { ModelOverlays } from "./effective-model";
import type { ModelShapes } from "./shapes";

/** What a spec yields. */
export interface CachedSpec {
  ids: string[];
  shapes: ModelShapes;
  sharedUnmatched: string[];
  /** Its effective document passed the pull's validation. */
  validated?: boolean;
}

/**
 * Where entries live; AIMLAPI_MODEL_CACHE_DIR lets a throwaway clone (the tests' repository copies)
 * reuse another tree's entries, which is safe because every key names the content it was derived from.
 */
const DIR = process.env.AIMLAPI_MODEL_CACHE_DIR || join(repoRoot, "node_modules", ".cache", "aimlapi-sdk", "model-specs");

/**
 * The code that derives an entry: the sources of the modules that read, correct, validate and
 * reduce a spec. Read from the repository rather than taken from the running functions, so that
 * tsx (codegen) and the bundled CLIs (tests) share entries; a change to any of them makes every key new.
 */
const CODE = sha256(
  [
    "models/shapes.ts",
    "models/select.ts",
    "models/effective-model.ts",
    "models/pull-models.ts",
    "overlay.ts",
    "overlay-scope.ts",
    "effective.ts",
    "validate-spec.ts",
    "openapi-validation.ts",
  ]
    .map((file) => {
      try {
        return readFileSync(join(repoRoot, "scripts", "src", file), "utf8");
      } catch {
        return `missing ${file}`;
      }
    })
    .join("\n"),
);

/** The key of a spec's entry: its bytes, the overlays that apply to it, the code. */
export function cacheKey(path: string, bytes: Uint8Array, overlays: ModelOverlays): string {
  const own = overlays.own.get(path);
  return sha256([CODE, sha256(bytes), ...overlays.shared.map((o) => o.sha256), own?.sha256 ?? "-"].join(" "));
}

/** The cached entry, if any (a damaged one counts as absent). */
export async function readCached(key: string): Promise<CachedSpec | undefined> {
  try {
    return JSON.parse(await readFile(join(DIR, `${key}.json`), "utf8")) as CachedSpec;
  } catch {
    return undefined;
  }
}

/** Stores an entry (atomically; a failure to cache is not an error). */
export async function writeCached(key: string, entry: CachedSpec): Promise<void> {
  try {
    await mkdir(DIR, { recursive: true });
    const tmp = join(DIR, `.tmp-${key}-${process.pid}`);
    await writeFile(tmp, JSON.stringify(entry));
    await rename(tmp, join(DIR, `${key}.json`));
  } catch {
    // Read-only or full disk: the next run derives it again.
  }
}
