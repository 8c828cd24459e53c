/**
 * The shapes codegen and the mock need from a model's effective spec: the request body of
 * `POST /v1/chat/completions` without `model` (the id is the map's key) and its 200 replies, with
 * the documentation stripped and local `$ref`s inlined. `ShapeTable` then deduplicates: every
 * subschema large enough to matter is interned once under a content-derived name, so the cost of
 * the generated types follows the number of distinct shapes, not of specs.
 */
import { SpecError } from "../errors";
import { sha256 } from "../hash";

/** The operation every chat model's spec documents. */
export const CHAT_OPERATION_PATH = "/v1/chat/completions";

/** Keys that document a schema without changing what it accepts. */
const DOC_KEYS = new Set(["description", "example", "examples", "title", "externalDocs"]);

/** What one model's spec says on the wire, stripped of documentation. */
export interface ModelShapes {
  /** The JSON request body's schema, `model` removed. */
  request: Schema;
  /** The 200 `application/json` body, when the spec documents one. */
  completion?: Schema;
  /** The 200 `text/event-stream` event, when the spec documents one. */
  chunk?: Schema;
  /** The request's parameter names, `model` included, for the catalog. */
  parameters: string[];
}

/** A JSON Schema object (OpenAPI 3.0 flavour). */
export type Schema = Record<string, unknown>;

interface ChatPost {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/** Extracts a selected spec's shapes; fails with one line when it has no JSON request body. */
export function extractShapes(document: unknown): ModelShapes {
  const post = (document as { paths?: Record<string, { post?: ChatPost }> }).paths?.[CHAT_OPERATION_PATH]?.post;
  const body = post?.requestBody?.content?.["application/json"]?.schema;
  if (!body) throw new SpecError(`POST ${CHAT_OPERATION_PATH} has no application/json request body schema`);
  const resolve = (schema: Schema) => strip(inlineRefs(schema, { document, root: schema }, [])) as Schema;
  const request = resolve(body);
  const properties = { ...((request.properties as Record<string, unknown> | undefined) ?? {}) };
  const parameters = Object.keys(properties).sort();
  delete properties.model;
  const required = Array.isArray(request.required) ? request.required.filter((r) => r !== "model") : undefined;
  const withoutModel: Schema = { ...request, properties, ...(required ? { required } : {}) };
  const ok = post?.responses?.["200"]?.content;
  const completion = ok?.["application/json"]?.schema;
  const chunk = ok?.["text/event-stream"]?.schema;
  return {
    request: withoutModel,
    ...(completion ? { completion: resolve(completion) } : {}),
    ...(chunk ? { chunk: resolve(chunk) } : {}),
    parameters,
  };
}

/** What a `#/…` pointer may resolve against. */
interface RefScope {
  document: unknown;
  /** The request or reply schema being extracted. */
  root: unknown;
}

/**
 * Inlines local references; a reference cycle is refused (no model spec has one). Some of upstream's
 * files carry pointers relative to the schema they sit in (`#/properties/choices/…`, as a JSON
 * Schema generator writes them) rather than to the document: one that resolves to nothing in the
 * document is resolved against that schema, which is what its author meant.
 */
function inlineRefs(value: unknown, scope: RefScope, seen: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineRefs(v, scope, seen));
  if (value === null || typeof value !== "object") return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === "string") {
    if (!ref.startsWith("#/")) throw new SpecError(`external $ref ${ref} is not supported`);
    if (seen.includes(ref)) throw new SpecError(`recursive schema through ${ref} is not supported`);
    const target = pointAt(scope.document, ref) ?? pointAt(scope.root, ref);
    if (target === undefined) throw new SpecError(`$ref ${ref} points at nothing`);
    const { $ref: _ignored, ...siblings } = value as Record<string, unknown>;
    const inlined = inlineRefs(target, scope, [...seen, ref]) as Schema;
    return Object.keys(siblings).length > 0 ? { ...inlined, ...(inlineRefs(siblings, scope, seen) as Schema) } : inlined;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inlineRefs(v, scope, seen)]));
}

/** The value a `#/a/b` JSON pointer names inside `root`, if any. */
function pointAt(root: unknown, ref: string): unknown {
  let target = root;
  for (const part of ref.slice(2).split("/")) {
    if (target === null || typeof target !== "object") return undefined;
    target = (target as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return target;
}

/** Drops documentation and vendor extensions from a schema (never from a `properties` map's names). */
export function strip(value: unknown, inPropertyMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (inPropertyMap) {
      out[key] = strip(child);
      continue;
    }
    if (DOC_KEYS.has(key) || key.startsWith("x-")) continue;
    // enum values and defaults are data, not schemas: kept as they are.
    out[key] = key === "enum" || key === "default" ? child : strip(child, key === "properties" || key === "patternProperties");
  }
  return out;
}

/** Subschemas shorter than this (as canonical JSON) stay inline: naming them costs more than it saves. */
const INTERN_MIN_LENGTH = 160;

/** Interned schemas by content, each with a name derived from where it was first met and its hash. */
export class ShapeTable {
  readonly schemas = new Map<string, Schema>();
  private readonly byContent = new Map<string, string>();

  /** Interns a top-level shape under `hint` (always named) and its large subschemas; returns its name. */
  intern(schema: Schema, hint: string): string {
    return this.name(this.internChildren(schema, hint), hint);
  }

  /** Component schemas for an OpenAPI document, sorted by name. */
  components(): Record<string, Schema> {
    return Object.fromEntries([...this.schemas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private internChildren(schema: Schema, hint: string): Schema {
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === "properties" || key === "patternProperties") {
        out[key] = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, this.maybeIntern(child, pascal(name))]),
        );
      } else if (key === "items" || key === "additionalProperties" || key === "not") {
        out[key] = isSchema(value) ? this.maybeIntern(value, `${hint}Item`) : value;
      } else if (key === "anyOf" || key === "oneOf" || key === "allOf") {
        out[key] = (value as Schema[]).map((child) => this.maybeIntern(child, `${hint}Variant`));
      } else {
        out[key] = value;
      }
    }
    return out;
  }

  private maybeIntern(schema: Schema, hint: string): Schema {
    if (!isSchema(schema)) return schema;
    const inner = this.internChildren(schema, hint);
    if (JSON.stringify(inner).length < INTERN_MIN_LENGTH) return inner;
    return { $ref: `#/components/schemas/${this.name(inner, hint)}` };
  }

  private name(schema: Schema, hint: string): string {
    const content = JSON.stringify(schema);
    // One name per content: the hint of the first place it is met (specs are visited in path order).
    const known = this.byContent.get(content);
    if (known) return known;
    const name = `${hint}_${sha256(content).slice(0, 8)}`;
    if (this.schemas.has(name)) throw new SpecError(`two shapes hash to the same name ${name}`);
    this.schemas.set(name, schema);
    this.byContent.set(content, name);
    return name;
  }
}

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `response_format` → `ResponseFormat`. */
function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => (w[0] as string).toUpperCase() + w.slice(1)).join("");
  return /^[A-Za-z]/.test(joined) ? joined : `P${joined}`;
}

/** The schemas reachable from `roots` through `#/components/schemas/` references, sorted by name. */
export function reachable(all: Record<string, Schema>, roots: string[]): Record<string, Schema> {
  const keep = new Set<string>();
  const visit = (name: string) => {
    if (keep.has(name)) return;
    const schema = all[name];
    if (!schema) throw new SpecError(`shape ${name} is referenced but not interned`);
    keep.add(name);
    for (const match of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) visit(match[1] as string);
  };
  for (const root of roots) visit(root);
  return Object.fromEntries(
    Object.keys(all)
      .filter((n) => keep.has(n))
      .map((n) => [n, all[n] as Schema]),
  );
}
