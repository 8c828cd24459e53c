/**
 * The helpers of the chat-completions surface — `.stream()`, `.parse()`, `.runTools()` — loaded
 * the first time one of them is called (resources/chat-completions.ts imports this module
 * dynamically), so that an app that only creates completions does not download them.
 */
import type { ChatCompletionCreateParamsNonStreaming } from "@aimlapi-sdk/types";
import type { Answer } from "../core/api-promise";
import type { RequestOptions } from "../core/options";
import type { RunnerOptions, RunToolsRequest } from "./abstract-runner";
import { ChatCompletionRunner, ChatCompletionStreamingRunner } from "./chat-completion-runner";
import { ChatCompletionStream, type ChatCompletionStreamParams } from "./chat-completion-stream";
import type { CompletionsCreate } from "./context";
import { type ParsedChatCompletion, parseChatCompletion } from "./parser";

/** `.stream()`: a ChatCompletionStream of the request. */
export function stream<ParsedT>(client: CompletionsCreate, params: ChatCompletionStreamParams, options?: RequestOptions) {
  return ChatCompletionStream.createChatCompletion<ParsedT>(client, params, options);
}

/** `.runTools()`: a runner, streaming its rounds with `stream: true`. */
export function runTools<ParsedT>(client: CompletionsCreate, request: RunToolsRequest, options?: RunnerOptions) {
  return request.stream
    ? ChatCompletionStreamingRunner.runTools<ParsedT>(client, request, options)
    : ChatCompletionRunner.runTools<ParsedT>(client, request, options);
}

/** `.parse()`: a completion whose messages carry `parsed` and whose parseable tool calls carry `parsed_arguments`. */
export function parse<ParsedT>(
  client: CompletionsCreate,
  params: ChatCompletionCreateParamsNonStreaming,
  options?: RequestOptions,
): Promise<Answer<ParsedChatCompletion<ParsedT>>> {
  return client
    .create({ ...params, stream: false }, options)
    .withResponse()
    .then(async ({ data, response }) => ({ data: await parseChatCompletion<typeof data, ParsedT>(data, params), response }));
}
