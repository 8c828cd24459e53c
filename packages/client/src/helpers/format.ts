/** `jsonSchemaFormat()`: a `response_format` from your schema, which `parse()` turns into typed output. */
import type { ResponseFormat } from "@aimlapi-sdk/types";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { type FormatHelpers, HELPERS } from "./carrier";
import { parseWith } from "./parse";
import { checkName, type PlainJSONSchema, prepareSchema, type SchemaInput, type StandardJSONSchema } from "./schema";

declare const OUTPUT: unique symbol;

/** A `json_schema` response format that `parse()` can turn into `T`. */
export type JSONSchemaResponseFormat<T> = Extract<ResponseFormat, { type: "json_schema" }> & {
  /** Type only: the output the schema produces. */
  readonly [OUTPUT]?: T;
  /** What `parse()` runs (left out of the request: JSON has no symbols). */
  readonly [HELPERS]: FormatHelpers;
};

/** Options of {@link jsonSchemaFormat}. */
export interface JSONSchemaFormatOptions {
  /** The format's name (letters, digits, `_` and `-`, up to 64). */
  name: string;
  /** What the output is for; the model reads it. */
  description?: string;
  /**
   * The API's strict mode (default true): the model must follow the schema exactly. The schema is
   * converted (all properties required, optional ones nullable, no extra properties); one that
   * cannot be fails here, naming the property.
   */
  strict?: boolean;
}

/** A `response_format` from a Standard Schema with JSON Schema support (zod, arktype, valibot …). */
export function jsonSchemaFormat<S extends StandardJSONSchema>(
  schema: S,
  options: JSONSchemaFormatOptions,
): JSONSchemaResponseFormat<StandardSchemaV1.InferOutput<S>>;
/** A `response_format` from a plain JSON Schema, with an optional validator. */
export function jsonSchemaFormat<T = unknown>(
  schema: PlainJSONSchema<T>,
  options: JSONSchemaFormatOptions,
): JSONSchemaResponseFormat<T>;
export function jsonSchemaFormat<T>(schema: SchemaInput<T>, options: JSONSchemaFormatOptions): JSONSchemaResponseFormat<T> {
  const { name, description, strict = true } = options;
  checkName(name, "jsonSchemaFormat");
  const prepared = prepareSchema(schema, strict, `response format "${name}"`);
  return {
    type: "json_schema",
    json_schema: { name, ...(description === undefined ? {} : { description }), schema: prepared.jsonSchema, strict },
    [HELPERS]: { parse: parseWith(prepared, name) },
  } as JSONSchemaResponseFormat<T>;
}
