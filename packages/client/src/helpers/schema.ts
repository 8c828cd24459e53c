/**
 * Schemas for structured output and tools: a Standard Schema with JSON Schema support (zod ≥ 4.2,
 * arktype ≥ 2.1.28, valibot through `toStandardJsonSchema`), or a plain JSON Schema with an optional
 * validator. Gives the JSON Schema the API gets (converted to the API's strict mode when asked) and
 * the validation of what the model sends back.
 */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { AIMLAPIError } from "../core/errors";
import type { Checked, SchemaIssue } from "../lib/parseable";

/** A schema that validates (Standard Schema) and describes itself as JSON Schema (Standard JSON Schema). */
// biome-ignore lint/suspicious/noExplicitAny: the input side of a schema is not ours to constrain
export type StandardJSONSchema<Output = unknown> = StandardSchemaV1<any, Output> & StandardJSONSchemaV1<any, Output>;

/** A plain JSON Schema, with an optional validator that returns the value (or throws). */
export interface PlainJSONSchema<Output = unknown> {
  /** The JSON Schema (an object schema) the API gets. */
  jsonSchema: Record<string, unknown>;
  /** Checks a parsed reply and returns it as `Output`; throw to reject it. Without one, replies are not checked. */
  validate?: (value: unknown) => Output | Promise<Output>;
}

/** Either kind of schema a helper takes. */
export type SchemaInput<Output = unknown> = StandardJSONSchema<Output> | PlainJSONSchema<Output>;

/** The value a schema produces. */
export type OutputOf<S> = S extends StandardSchemaV1<unknown, infer O> ? O : S extends PlainJSONSchema<infer O> ? O : unknown;

export type { Checked, SchemaIssue };

type Json = Record<string, unknown>;

/** What a schema becomes for a request and for checking replies. */
export interface PreparedSchema<T> {
  /** The JSON Schema to send. */
  jsonSchema: Json;
  /** Validates a parsed reply (nulls the strict conversion added for absent optional fields removed first). */
  check(value: unknown): Promise<Checked<T>>;
}

/** Where a schema is used, for messages: `response format "recipe"`, `tool "get_weather"`. */
export type SchemaUse = string;

/**
 * Prepares a schema: its JSON Schema (input side: what the model must produce), converted to strict
 * mode when `strict`, and its validator. Fails here, not at request time, when the schema cannot be
 * used — naming the offending property.
 */
export function prepareSchema<T>(schema: SchemaInput<T>, strict: boolean, use: SchemaUse): PreparedSchema<T> {
  const original = describe(schema, use);
  if (original.type !== "object" || !isObject(original.properties))
    throw new AIMLAPIError(
      `${use}: the schema must describe an object with properties (got ${JSON.stringify(original.type ?? "no type")})`,
    );
  const jsonSchema = strict ? toStrict(original, use) : withoutDialect(original);
  const validate = validator(schema);
  return {
    jsonSchema,
    async check(value) {
      const cleaned = strict ? dropAddedNulls(value, original, original) : value;
      return validate(cleaned);
    },
  };
}

function describe(schema: SchemaInput<unknown>, use: SchemaUse): Json {
  if ("jsonSchema" in schema && isObject(schema.jsonSchema)) return structuredClone(schema.jsonSchema);
  const standard = (schema as StandardJSONSchema)["~standard"];
  if (!standard || typeof standard.jsonSchema?.input !== "function")
    throw new AIMLAPIError(
      `${use}: expected a Standard Schema with JSON Schema support (zod >= 4.2, arktype >= 2.1.28, valibot with toStandardJsonSchema) or { jsonSchema, validate? }`,
    );
  try {
    return standard.jsonSchema.input({ target: "draft-2020-12" });
  } catch {
    // A library without the newest dialect: draft-07 says the same for this purpose.
    return standard.jsonSchema.input({ target: "draft-07" });
  }
}

function validator<T>(schema: SchemaInput<T>): (value: unknown) => Promise<Checked<T>> {
  if ("jsonSchema" in schema) {
    const { validate } = schema as PlainJSONSchema<T>;
    if (!validate) return async (value) => ({ value: value as T });
    return async (value) => {
      try {
        return { value: await validate(value) };
      } catch (error) {
        return { issues: [{ message: (error as Error)?.message ?? String(error) }] };
      }
    };
  }
  const standard = (schema as StandardSchemaV1<unknown, T>)["~standard"];
  return async (value) => {
    const result = await standard.validate(value);
    return result.issues ? { issues: result.issues } : { value: result.value };
  };
}

/** Keywords strict mode cannot express (the API rejects them, or they would loosen the object's shape). */
const UNSUPPORTED = [
  "patternProperties",
  "propertyNames",
  "unevaluatedProperties",
  "dependentSchemas",
  "dependentRequired",
  "if",
  "not",
  "allOf",
];

/**
 * The API's strict mode: every object lists all its properties as required and allows no others;
 * an optional property becomes required-but-nullable (the null is dropped again before validation);
 * `oneOf` becomes `anyOf`; `default` and `$schema` go. Anything else that cannot be expressed fails,
 * naming the property.
 */
export function toStrict(schema: Json, use: SchemaUse): Json {
  const convert = (node: unknown, path: string): unknown => {
    if (!isObject(node)) return node;
    if (isObjectSchema(node) && node.additionalProperties !== undefined && node.additionalProperties !== false)
      throw unsupported(use, path, "additional properties (a map or record)", "give it fixed properties");
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$schema" || key === "default") continue;
      if (UNSUPPORTED.includes(key)) throw unsupported(use, path, `"${key}"`);
      if (key === "properties" && isObject(value)) {
        out.properties = Object.fromEntries(
          Object.entries(value).map(([name, child]) => [name, convert(child, join(path, name))]),
        );
      } else if ((key === "$defs" || key === "definitions") && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, convert(child, `${key}.${name}`)]));
      } else if ((key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
        out.anyOf = value.map((branch) => convert(branch, path));
      } else if (key === "items") {
        out.items = Array.isArray(value) ? value.map((item) => convert(item, `${path}[]`)) : convert(value, `${path}[]`);
      } else if (key === "prefixItems" && Array.isArray(value)) {
        out.prefixItems = value.map((item) => convert(item, `${path}[]`));
      } else {
        out[key] = value;
      }
    }
    if (isObjectSchema(out)) {
      if (!isObject(out.properties))
        throw unsupported(use, path, "an object without declared properties", "declare its properties");
      const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
      for (const [name, child] of Object.entries(out.properties as Json)) {
        if (!required.has(name) && !acceptsNull(child, schema)) (out.properties as Json)[name] = nullable(child);
      }
      out.required = Object.keys(out.properties as Json);
      out.additionalProperties = false;
    }
    return out;
  };
  return convert(schema, "") as Json;
}

function unsupported(use: SchemaUse, path: string, what: string, fix = "remove it"): AIMLAPIError {
  const where = path ? `property "${path}"` : "the schema";
  return new AIMLAPIError(`${use}: strict mode cannot express ${what} in ${where}; ${fix}, or pass strict: false`);
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function withoutDialect(schema: Json): Json {
  const { $schema: _, ...rest } = schema;
  return rest;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isObjectSchema(schema: Json): boolean {
  return (
    schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object")) || isObject(schema.properties)
  );
}

/** The same schema, also accepting null. */
function nullable(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  if (typeof schema.type === "string" && !schema.enum && !schema.const) return { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.type) && !schema.enum) return { ...schema, type: [...schema.type, "null"] };
  return { anyOf: [schema, { type: "null" }] };
}

/** Whether a schema already admits null (then an absent value and null cannot be told apart, and null stays). */
function acceptsNull(schema: unknown, root: Json, seen = new Set<unknown>()): boolean {
  const node = resolve(schema, root);
  if (!isObject(node) || seen.has(node)) return false;
  seen.add(node);
  if (node.type === "null" || (Array.isArray(node.type) && node.type.includes("null")) || node.nullable === true) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  if ("const" in node && node.const === null) return true;
  const branches = [...((node.anyOf as unknown[]) ?? []), ...((node.oneOf as unknown[]) ?? [])];
  return branches.some((branch) => acceptsNull(branch, root, seen));
}

/** Follows a local `$ref` (`#`, `#/$defs/X`, `#/definitions/X`). */
function resolve(schema: unknown, root: Json): unknown {
  if (!isObject(schema) || typeof schema.$ref !== "string") return schema;
  const ref = schema.$ref;
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return schema;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/"))
    node = isObject(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return node ?? schema;
}

/**
 * A parsed reply with the nulls that strict mode made the model send for absent optional properties
 * removed, walking the value along the original schema (a copy; the input is not changed).
 */
export function dropAddedNulls(value: unknown, schema: unknown, root: Json, depth = 0): unknown {
  const node = resolve(schema, root);
  if (depth > 64 || !isObject(node) || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => dropAddedNulls(item, node.items, root, depth + 1));
  let out: Json = { ...(value as Json) };
  if (isObject(node.properties)) {
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    for (const [name, child] of Object.entries(node.properties)) {
      if (!(name in out)) continue;
      if (out[name] === null && !required.has(name) && !acceptsNull(child, root)) delete out[name];
      else out[name] = dropAddedNulls(out[name], child, root, depth + 1);
    }
  }
  for (const branch of [...((node.anyOf as unknown[]) ?? []), ...((node.oneOf as unknown[]) ?? [])]) {
    if (isObjectSchema((resolve(branch, root) as Json) ?? {})) out = dropAddedNulls(out, branch, root, depth + 1) as Json;
  }
  return out;
}

/** The API's rule for format and function names. */
export function checkName(name: string, helper: string): void {
  if (typeof name !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(name))
    throw new AIMLAPIError(`${helper}: name ${JSON.stringify(name)} must be 1 to 64 letters, digits, "_" or "-"`);
}
