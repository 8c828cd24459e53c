/** `defineTool()`: a function tool from your schema, with the code that runs it for `runTools()`. */
import type { ChatCompletionMessageFunctionToolCall, ChatCompletionTool } from "@aimlapi-sdk/types";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { HELPERS, type ToolHelpers } from "./carrier";
import { runTools } from "./runner";
import {
  type Checked,
  checkName,
  type PlainJSONSchema,
  prepareSchema,
  type SchemaInput,
  type StandardJSONSchema,
} from "./schema";

/** What `execute` gets besides the arguments. */
export interface ToolContext {
  /** Aborts when the run is stopped. */
  signal: AbortSignal;
  /** The tool call being answered. */
  call: ChatCompletionMessageFunctionToolCall;
}

/** A tool `runTools()` can run: the request's function tool, plus `execute` and its argument check. */
export type RunnableTool<Args = unknown> = ChatCompletionTool & {
  /** Runs the tool; the result (a string, or anything JSON can hold) goes back to the model. */
  execute(args: Args, context: ToolContext): unknown;
  /** Left out of the request (JSON has no symbols): checks arguments and runs the loop. */
  readonly [HELPERS]: ToolHelpers & {
    /** Validates arguments the model sent. */
    check(args: unknown): Promise<Checked<Args>>;
  };
};

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

/** A function tool whose `execute` gets arguments typed (and validated) by its schema. */
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
    [HELPERS]: { runTools, check: (args: unknown) => prepared.check(args) },
  } as never;
}
