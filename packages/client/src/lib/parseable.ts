/**
 * What a response format from `jsonSchemaFormat()`/`zodResponseFormat()` and a tool from
 * `defineTool()`/`zodFunction()` carry besides the request fields, under symbols that JSON leaves
 * out: the schema's parser, and the tool's implementation. `parse()`, `.stream()` and `runTools()`
 * read them; nothing else needs them, so an app that uses none of those bundles none of it.
 */
import type { ChatCompletionFunctionTool, ResponseFormatJSONSchema } from "@aimlapi-sdk/types";
import type { StandardSchemaV1 } from "@standard-schema/spec";

/** One problem with a value, as Standard Schema reports it. */
export type SchemaIssue = StandardSchemaV1.Issue;

/** The key under which a response format keeps its parser. */
export const PARSER: unique symbol = Symbol.for("aimlapi-sdk.parser");

/** The key under which a tool keeps its implementation. */
export const TOOL: unique symbol = Symbol.for("aimlapi-sdk.tool");

/** A validation outcome. */
export type Checked<T> = { value: T; issues?: undefined } | { issues: readonly SchemaIssue[] };

/** Turns the model's JSON text into the schema's output; throws OutputParseError when it does not fit. */
export type OutputParser<T = unknown> = (text: string) => Promise<T>;

/** What a tool made by a helper can do: check the model's arguments, and run (when it has a function). */
export interface ToolImplementation<Args = unknown> {
  /** Parses and validates the arguments' JSON text. */
  check(text: string): Promise<Checked<Args>>;
  /** Runs the tool with validated arguments; absent for a tool only meant for `parse()` and `.stream()`. */
  run?: (args: Args, context: ToolRunContext) => unknown;
  /** Whether an error the function throws goes back to the model as the tool's reply (else it ends the run). */
  replyWithErrors?: boolean;
}

/** What a tool's function gets besides its arguments. */
export interface ToolRunContext {
  /** Aborts when the run is stopped. */
  signal: AbortSignal;
  /** The tool call being answered. */
  call: { id: string; type: "function"; function: { name: string; arguments: string } };
}

/** The mark a class of lib/ puts on its instances, so that the package's exported class can answer `instanceof`. */
export function classMark(name: string): symbol {
  return Symbol.for(`aimlapi-sdk.class.${name}`);
}

/** Marks a class of lib/ so that the package's exported (lazily loaded) class answers `instanceof` for its instances. */
export function markClass(cls: { prototype: object }, name: string): void {
  Object.defineProperty(cls.prototype, classMark(name), { value: true });
}

/** The parser a response format carries, if it was made by a helper. */
export function parserOf(format: unknown): OutputParser | undefined {
  return (format as { [PARSER]?: OutputParser } | null | undefined)?.[PARSER];
}

/** The implementation a tool carries, if it was made by a helper. */
export function implementationOf(tool: unknown): ToolImplementation | undefined {
  return (tool as { [TOOL]?: ToolImplementation } | null | undefined)?.[TOOL];
}

/** A `json_schema` response format that `parse()` and `.stream()` turn into `T` (from `jsonSchemaFormat()`, `zodResponseFormat()`). */
export interface ParseableResponseFormat<T = unknown> extends ResponseFormatJSONSchema {
  /** What turns the reply into `T` (left out of the request: JSON has no symbols). */
  readonly [PARSER]: OutputParser<T>;
}

/** A function tool whose arguments `parse()`, `.stream()` and `runTools()` check and type as `Args` (from `defineTool()`, `zodFunction()`). */
export interface ParseableTool<Args = unknown> extends ChatCompletionFunctionTool {
  /** What checks and runs it (left out of the request: JSON has no symbols). */
  readonly [TOOL]: ToolImplementation<Args>;
}

/** The parsed type of a request's response format: `T` for a parseable format, else null. */
export type ParsedContentOf<Params> = Params extends { response_format?: infer Format }
  ? [Format] extends [ParseableResponseFormat<infer T> | undefined]
    ? [Format] extends [undefined]
      ? null
      : T
    : null
  : null;
