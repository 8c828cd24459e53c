/**
 * The structured-output and tool helpers: `jsonSchemaFormat()` and `defineTool()` from any Standard
 * Schema with JSON Schema support. They carry what `parse()`, `.stream()` and `runTools()` need to
 * read the model's output; bundlers drop them from apps that do not import them.
 */
export type { JSONSchemaFormatOptions, JSONSchemaResponseFormat } from "./format";
export { jsonSchemaFormat } from "./format";
export type { PlainJSONSchema, SchemaInput, SchemaIssue, StandardJSONSchema } from "./schema";
export type { RunnableTool, ToolContext, ToolDefinition } from "./tools";
export { defineTool } from "./tools";
