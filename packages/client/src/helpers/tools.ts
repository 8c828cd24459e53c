/** `defineTool()`: a function tool from your schema, with the code that runs it for `runTools()`. */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { type ParseableTool, TOOL, type ToolImplementation, type ToolRunContext } from "../lib/parseable";
import {
  checkName,
  type OutputOf,
  type PlainJSONSchema,
  type PreparedSchema,
  prepareSchema,
  type SchemaInput,
  type StandardJSONSchema,
} from "./schema";

/** What `execute` gets besides the arguments. */
export type ToolContext = ToolRunContext;

/** A tool `runTools()` can run: the request's function tool, plus `execute` and its argument check. */
export interface RunnableTool<Args = unknown> extends ParseableTool<Args> {
  /** Runs the tool; the result (a string, or anything JSON can hold) goes back to the model. */
  execute(args: Args, context: ToolContext): unknown;
}

/** What {@link defineTool} takes. */
export interface ToolDefinition<S> {
  /** The function's name (letters, digits, `_` and `-`, up to 64). */
  name: string;
  /** What the tool does; the model reads it to decide when to call it. */
  description?: string;
  /** The arguments' schema: a Standard Schema with JSON Schema support, or `{ jsonSchema, validate? }`. */
  parameters: S;
  /** The API's strict mode for the arguments (default true; see `jsonSchemaFormat`). */
  strict?: boolean;
  /** Runs the tool with validated arguments. */
  execute(
    args: S extends StandardSchemaV1<unknown, infer O> ? O : S extends PlainJSONSchema<infer O> ? O : never,
    context: ToolContext,
  ): unknown;
}

/**
 * A function tool whose `execute` gets arguments typed (and validated) by its schema. Invalid
 * arguments, and an error `execute` throws, go back to the model as the tool's reply, so it can
 * correct itself.
 */
export function defineTool<S extends StandardJSONSchema | PlainJSONSchema>(
  definition: ToolDefinition<S>,
): RunnableTool<S extends StandardSchemaV1<unknown, infer O> ? O : S extends PlainJSONSchema<infer O> ? O : never> {
  const { name, description, parameters, strict = true, execute } = definition;
  checkName(name, "defineTool");
  const prepared = prepareSchema(parameters as SchemaInput, strict, `tool "${name}"`);
  return {
    type: "function",
    function: { name, ...(description === undefined ? {} : { description }), parameters: prepared.jsonSchema, strict },
    execute,
    [TOOL]: toolImplementation(prepared, execute as (args: unknown, context: ToolContext) => unknown, true),
  } as never;
}

/** What a helper-made tool carries: the arguments' check and, when there is one, the function. */
export function toolImplementation<Args>(
  prepared: PreparedSchema<Args>,
  run: ((args: Args, context: ToolContext) => unknown) | undefined,
  replyWithErrors: boolean,
): ToolImplementation<Args> {
  return {
    async check(text) {
      let value: unknown;
      try {
        value = JSON.parse(text || "{}");
      } catch (error) {
        return { issues: [{ message: `the arguments are not valid JSON: ${(error as Error).message}` }] };
      }
      return prepared.check(value);
    },
    ...(run ? { run } : {}),
    replyWithErrors,
  };
}

export type { OutputOf, SchemaInput };
