/**
 * Copy of a JSON document with object keys sorted and vendor extensions (`x-*`) dropped.
 * Key order and extensions carry no meaning for types, so generating from this form makes
 * specs that differ only in those respects give byte-identical output. Array order is kept:
 * it can matter (enum order, `oneOf` order shown to readers).
 */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key.startsWith("x-")) continue;
    out[key] = canonicalize((value as Record<string, unknown>)[key]);
  }
  return out;
}
