import { canonicalize } from "./canonical";

/** Keys that only document a schema or operation; they never change what is valid. */
const ANNOTATIONS = new Set(["description", "summary", "example", "examples", "title", "externalDocs"]);

/** Maps whose keys are names chosen by the spec's author (a property called `description` must stay). */
const NAME_MAPS = new Set(["properties", "paths", "schemas", "responses", "content", "headers", "securitySchemes"]);

/**
 * The spec without documentation or vendor extensions, keys sorted: what a runtime consumer such as
 * the mock server needs (paths, schemas, statuses, media types), at a fraction of the size.
 */
export function pruneSpec(document: unknown): unknown {
  return prune(canonicalize(document), false);
}

function prune(value: unknown, keysAreNames: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => prune(v, false));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!keysAreNames && ANNOTATIONS.has(key)) continue;
    out[key] = prune(child, !keysAreNames && NAME_MAPS.has(key));
  }
  return out;
}

/** The whole effective document as codegen and spec:effective write it. */
export function effectiveText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The mock server's embedded copy of a spec, as codegen writes it and spec:check expects it. */
export function prunedSpecText(document: unknown): string {
  return `${JSON.stringify(pruneSpec(document))}\n`;
}
