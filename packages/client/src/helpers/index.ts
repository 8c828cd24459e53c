/**
 * The structured-output and tool helpers, in their own module so that bundlers drop them (and the
 * partial-JSON parser they use) from apps that do not import them.
 */
export { ContentFilterFinishReasonError, LengthFinishReasonError, OutputParseError } from "./errors";
export type { JSONSchemaFormatOptions, JSONSchemaResponseFormat } from "./format";
export { jsonSchemaFormat } from "./format";
export type {
  ChatCompletionParseStream,
  DeepPartial,
  ParsedChatCompletion,
  ParsedChatCompletionChoice,
  ParsedChatCompletionMessage,
  ParsedStreamedCompletion,
  ParseSnapshot,
} from "./parse";
export type { RunnerStep, RunToolsOptions, RunToolsParams, ToolRunner } from "./runner";
export type { PlainJSONSchema, SchemaInput, SchemaIssue, StandardJSONSchema } from "./schema";
export type { RunnableTool, ToolContext, ToolDefinition } from "./tools";
export { defineTool } from "./tools";
