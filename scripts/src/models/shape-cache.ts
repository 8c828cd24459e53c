/**
 * A cache of what each model spec yields (its ids, shapes, the shared actions that miss it, and
 * whether its effective document passed validation), keyed by the file's bytes, the overlays that
 * apply to it and the code that derives it. Every codegen task, spec:check, MODELS.md and the update
 * gates read 408 specs; with the cache only changed ones are parsed and corrected again. It lives in
 * the root node_modules/.cache, which candidate copies share through their node_modules link.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256 } from "../hash";
import { repoRoot } from "../layout";
import { applyOverlay, dropRepeatedEntries } from "../overlay";
import { type ModelOverlays, modelEffective } from "./effective-model";
import { selectChatSpec } from "./select";
import { extractShapes, type ModelShapes, strip } from "./shapes";

/** What a spec yields. */
export interface CachedSpec {
  ids: string[];
  shapes: ModelShapes;
  sharedUnmatched: string[];
  /** Its effective document passed the pull's validation. */
  validated?: boolean;
}

const DIR = join(repoRoot, "node_modules", ".cache", "aimlapi-sdk", "model-specs");

/** The code that derives an entry: a change to it makes every key new. */
const CODE = sha256(
  [extractShapes, strip, modelEffective, applyOverlay, dropRepeatedEntries, selectChatSpec].map(String).join("\n"),
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
