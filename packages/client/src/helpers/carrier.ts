/**
 * How the helpers stay out of apps that do not use them: `jsonSchemaFormat()` and `defineTool()`
 * return plain request objects that also carry, under this symbol (which JSON leaves out), the code
 * that `parse()` and `runTools()` need. The client's methods only look it up, so an app that never
 * imports a helper bundles none of it.
 */
import type { ChatCompletionCreateParams } from "@aimlapi-sdk/types";
import type { APIPromise } from "../api-promise";
import type { ChatCompletions } from "../client";
import type { RequestOptions } from "../options";

/** The key under which formats and tools carry their implementation. */
export const HELPERS: unique symbol = Symbol.for("aimlapi-sdk.helpers");

/** What the client hands a helper: the one road to the wire. */
export interface HelperContext {
  create: ChatCompletions["create"];
}

/** Carried by a response format from `jsonSchemaFormat()`. */
export interface FormatHelpers {
  parse(context: HelperContext, params: ChatCompletionCreateParams, options?: RequestOptions): APIPromise<unknown>;
}

/** Carried by a tool from `defineTool()`. */
export interface ToolHelpers {
  runTools(context: HelperContext, params: unknown, options?: unknown): unknown;
}
