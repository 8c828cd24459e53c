/**
 * OpenAPI 3.0 Schema Objects → JSON Schema (draft-07) for ajv.
 * - `nullable: true` means "may also be null": with `type`, null joins the type list (and the enum);
 *   without `type` (upstream has six such schemas) but with a composition or `$ref`, the schema becomes
 *   `anyOf: [null, itself]`; with neither, the schema already accepts null, so nothing is added.
 * - Boolean `exclusiveMinimum`/`exclusiveMaximum` (3.0 style) become draft-07 numbers.
 * - `#/components/schemas/X` references point into `definitions`, so cycles stay references.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const src = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === "nullable" || key.startsWith("x-") || key === "discriminator" || key === "xml" || key === "example") continue;
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.replace(/^#\/components\/schemas\//, "#/definitions/");
    } else if (key === "properties" || key === "patternProperties" || key === "definitions") {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonSchema(v)]));
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  for (const bound of ["Minimum", "Maximum"] as const) {
    const flag = `exclusive${bound}`;
    const limit = bound.toLowerCase();
    if (out[flag] === true && typeof out[limit] === "number") {
      out[flag] = out[limit];
      delete out[limit];
    } else if (out[flag] === false) {
      delete out[flag];
    }
  }
  if (src.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if ("$ref" in out || "allOf" in out || "anyOf" in out || "oneOf" in out || "enum" in out) {
    return { anyOf: [{ type: "null" }, out] };
  }
  return out;
}

/** A schema from the spec, converted, with the document's component schemas attached as `definitions`. */
export function withDefinitions(schema: unknown, document: { components?: { schemas?: Record<string, unknown> } }): object {
  const converted = toJsonSchema(schema) as Record<string, unknown>;
  const components = document.components?.schemas;
  if (!components || Object.keys(components).length === 0) return converted;
  return {
    ...converted,
    definitions: Object.fromEntries(Object.entries(components).map(([name, s]) => [name, toJsonSchema(s)])),
  };
}
