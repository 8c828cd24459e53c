/**
 * `@aimlapi-sdk/client/helpers/zod`: openai-node's `zodResponseFormat` and `zodFunction`, built on
 * this package's Standard Schema helpers. Any zod ≥ 4.2 schema works (it describes itself as JSON
 * Schema through Standard Schema); nothing of zod is imported here, so zod stays the app's own
 * dependency (an optional peer).
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ParseableTool } from "../lib/parseable";
import { TOOL } from "../lib/parseable";
import { type JSONSchemaResponseFormat, jsonSchemaFormat } from "./format";
import { checkName, prepareSchema, type StandardJSONSchema } from "./schema";
import { toolImplementation } from "./tools";

/** What `zodResponseFormat` takes besides the schema and the name (openai-node's `props`). */
export interface ZodResponseFormatProps {
  /** What the output is for; the model reads it. */
  description?: string;
}

/**
 * A strict `json_schema` response format from a zod schema: `parse()` gives `message.parsed` as the
 * schema's output, and `.stream()` gives it in `content.delta` (so far) and `content.done`.
 */
export function zodResponseFormat<S extends StandardJSONSchema>(
  schema: S,
  name: string,
  props: ZodResponseFormatProps = {},
): JSONSchemaResponseFormat<StandardSchemaV1.InferOutput<S>> {
  return jsonSchemaFormat(schema, { name, ...props, strict: true });
}

/** What `zodFunction` takes (openai-node's options). */
export interface ZodFunctionOptions<S extends StandardJSONSchema> {
  /** The function's name (letters, digits, `_` and `-`, up to 64). */
  name: string;
  /** The arguments' schema. */
  parameters: S;
  /** Runs the tool in `runTools()` with the validated arguments; what it returns goes back to the model. */
  function?: ((args: StandardSchemaV1.InferOutput<S>) => unknown) | undefined;
  /** What the tool does; the model reads it. */
  description?: string | undefined;
}

/** A strict function tool whose arguments are validated and typed by the schema (openai-node's `zodFunction`). */
export type ZodFunctionTool<Args> = ParseableTool<Args>;

/**
 * A strict function tool from a zod schema: `parse()` gives the calls' `parsed_arguments`,
 * `.stream()` gives them in the `tool_calls.function.arguments.*` events, and `runTools()` runs
 * `function` with them. Arguments that do not validate go back to the model; an error the function
 * throws ends the run, as in openai-node.
 */
export function zodFunction<S extends StandardJSONSchema>(
  options: ZodFunctionOptions<S>,
): ZodFunctionTool<StandardSchemaV1.InferOutput<S>> {
  const { name, parameters, description } = options;
  checkName(name, "zodFunction");
  const prepared = prepareSchema(parameters, true, `tool "${name}"`);
  const callback = options.function;
  return {
    type: "function",
    function: { name, ...(description === undefined ? {} : { description }), parameters: prepared.jsonSchema, strict: true },
    [TOOL]: toolImplementation(prepared, callback && ((args) => callback(args)), false),
  };
}
