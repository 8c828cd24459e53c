/**
 * Moves the schemas that get names (type-names.ts) into `components.schemas`, leaving `$ref`s where
 * they were, so that openapi-typescript emits a named type for each and refers to it by name. A shape
 * that appears elsewhere too, structurally the same (descriptions and examples aside), is referred to
 * by the same name. A selector that matches nothing is reported, not skipped.
 */
import type { OpenAPIDocument } from "../validate-spec";
import { at, resolveSelector } from "./selectors";
import type { TypeName } from "./type-names";

type Json = Record<string, unknown>;

/** Keys that only document a schema: two schemas that differ only in them are the same shape. */
const ANNOTATIONS = new Set(["description", "title", "example", "examples"]);

/** A document with named schemas as components, and the names whose selector matched nothing. */
export interface Hoisted {
  document: OpenAPIDocument;
  missing: { name: string; at: string; stoppedAt: string }[];
}

/** Hoists the named schemas of `operation` (a document in canonical form) into components. */
export function hoistNamedSchemas(
  document: OpenAPIDocument,
  names: readonly TypeName[],
  operation: { path: string; method: string },
): Hoisted {
  const doc = structuredClone(document) as OpenAPIDocument & { components?: { schemas?: Json } };
  const missing: Hoisted["missing"] = [];
  const found: { name: string; path: string[]; doc: string | undefined }[] = [];
  for (const { name, at: selector, doc: line } of names) {
    const resolved = resolveSelector(document, operation, selector);
    if ("missing" in resolved) missing.push({ name, at: selector, stoppedAt: resolved.missing });
    else found.push({ name, path: resolved.path, doc: line });
  }
  // Deepest first: a parent is hoisted with its named children already replaced by references.
  found.sort((a, b) => b.path.length - a.path.length);
  doc.components ??= {};
  doc.components.schemas ??= {};
  const schemas = doc.components.schemas as Json;
  for (const { name, path, doc: line } of found) {
    const parent = at(doc, path.slice(0, -1)) as Json;
    const key = path[path.length - 1] as string;
    const schema = parent[key] as Json;
    const component = withoutSiteKeys(schema);
    // The type's doc comment: the spec's description, else the name's own line.
    if (line && typeof component.description !== "string") component.description = line;
    schemas[name] = component;
    parent[key] = reference(name, schema);
  }
  // The same shapes elsewhere take the same names (again deepest first, so parents compare by reference).
  for (const { name } of found) {
    const shape = structure(schemas[name]);
    if (!isSubstantial(schemas[name])) continue;
    replaceEqual(doc, (node) => node !== schemas[name] && !("$ref" in node) && structure(withoutSiteKeys(node)) === shape, name);
  }
  return { document: doc, missing };
}

/** The schema as a component: what only belongs to where it was used (`nullable`) removed. */
function withoutSiteKeys(schema: Json): Json {
  const { nullable: _, ...rest } = schema;
  return rest;
}

/** What replaces a hoisted schema where it was: a reference, keeping its description and `nullable` there. */
function reference(name: string, schema: Json): Json {
  const ref = { $ref: `#/components/schemas/${name.replace(/~/g, "~0").replace(/\//g, "~1")}` };
  const site: Json = {};
  for (const key of ["description", "nullable"]) if (schema[key] !== undefined) site[key] = schema[key];
  return Object.keys(site).length === 0 ? ref : { allOf: [ref], ...site };
}

/**
 * A schema's shape as text: annotations dropped, `required` as a set, and a reference wrapped only to
 * carry a description (`{ allOf: [{ $ref }] }`) the same as the bare reference. (Keys are already
 * sorted: the document is canonical.)
 */
function structure(schema: unknown): string {
  return JSON.stringify(normalize(schema));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== "object") return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value as Json)) {
    if (ANNOTATIONS.has(key)) continue;
    out[key] = key === "required" && Array.isArray(child) ? [...child].sort() : normalize(child);
  }
  const keys = Object.keys(out);
  if (keys.length === 1 && Array.isArray(out.allOf) && out.allOf.length === 1) return out.allOf[0];
  return out;
}

/** Worth naming wherever it appears: an object with properties, or a choice of alternatives. */
function isSubstantial(schema: unknown): boolean {
  const s = schema as Json;
  return Boolean(s && typeof s === "object" && (s.properties || s.oneOf || s.anyOf));
}

/** Replaces, anywhere below `root`, every object `matches` accepts with a reference to `name`. */
function replaceEqual(root: unknown, matches: (node: Json) => boolean, name: string): void {
  if (root === null || typeof root !== "object") return;
  const entries = Array.isArray(root) ? root.entries() : Object.entries(root as Json);
  for (const [key, child] of entries) {
    if (child === null || typeof child !== "object" || Array.isArray(child)) {
      replaceEqual(child, matches, name);
      continue;
    }
    if (matches(child as Json)) (root as Json)[key as string] = reference(name, child as Json);
    else replaceEqual(child, matches, name);
  }
}
