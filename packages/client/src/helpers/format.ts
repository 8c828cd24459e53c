/** `jsonSchemaFormat()`: a `response_format` from your schema, which `parse()` and `.stream()` turn into typed output. */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describeIssues, OutputParseError } from "../lib/errors";
import { type OutputParser, PARSER, type ParseableResponseFormat } from "../lib/parseable";
import {
  checkName,
  type PlainJSONSchema,
  type PreparedSchema,
  prepareSchema,
  type SchemaInput,
  type StandardJSONSchema,
} from "./schema";

/** A `json_schema` response format that `parse()` and `.stream()` turn into `T`. */
export type JSONSchemaResponseFormat<T> = ParseableResponseFormat<T>;

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
    [PARSER]: parserFor(prepared, name),
  };
}

/** The reply's text as the schema's output: JSON, validated; an OutputParseError with the issues and the text when it is not. */
function parserFor<T>(prepared: PreparedSchema<T>, name: string): OutputParser<T> {
  return async (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      throw new OutputParseError(`The response for "${name}" is not valid JSON: ${message}`, [{ message }], text, {
        cause: error,
      });
    }
    const checked = await prepared.check(value);
    if (checked.issues) {
      throw new OutputParseError(
        `The response does not match the schema "${name}": ${describeIssues(checked.issues)}`,
        checked.issues,
        text,
      );
    }
    return checked.value;
  };
}
