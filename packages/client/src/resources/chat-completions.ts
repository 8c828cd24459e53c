/**
 * `client.chat.completions`: `create` (JSON or a stream of chunks), and openai-node's helpers
 * `stream`, `parse` and `runTools`. Every one of them goes to the wire through the client's
 * dispatcher; the helpers' code (lib/) loads the first time one of them is called.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionParseParams,
  ModelChunk,
  ModelCompletion,
  ModelCreateParams,
} from "@aimlapi-sdk/types";
import { type APIPromise, toAPIPromise } from "../core/api-promise";
import type { Dispatcher } from "../core/dispatch";
import type { RequestOptions } from "../core/options";
import { resultOf } from "../core/responses";
import type { Stream } from "../core/streaming";
import type { RunnerOptions } from "../lib/abstract-runner";
import type { ChatCompletionRunner, ChatCompletionStreamingRunner } from "../lib/chat-completion-runner";
import type { ChatCompletionStream, ChatCompletionStreamParams } from "../lib/chat-completion-stream";
import type { ParseableTool, ParsedContentOf } from "../lib/parseable";
import type { ParsedChatCompletion } from "../lib/parser";
import type { ParsingToolFunction, RunnableToolFunction } from "../lib/runnable-function";
import { deferred } from "./deferred";

/** A tool `runTools()` can run: openai-node's `RunnableToolFunction`, or one from `defineTool()` or `zodFunction()`. */
// biome-ignore lint/suspicious/noExplicitAny: tools of any argument type can share one run
export type RunnableToolLike = RunnableToolFunction<any, any> | ParsingToolFunction<any, any> | ParseableTool<any>;

/** The request of a tool run: the usual parameters, with tools that can run, and an optional `toolContext`. */
export type RunToolsParams = Omit<ChatCompletionCreateParamsBase, "tools" | "stream"> & {
  tools: readonly RunnableToolLike[];
  /** Stream each round (then the runner's events include every chunk's). */
  stream?: boolean | null;
  /** A value every tool function gets as its third argument. */
  toolContext?: unknown;
};

/** `client.chat.completions`. */
export interface ChatCompletions {
  /**
   * Creates a chat completion and resolves to it. A documented model id (a literal) is checked
   * against that model's own spec: its parameters and its reply type. An id typed as `string` takes
   * the common parameters ({@link ChatCompletionCreateParamsBase}); a misspelled literal does not compile.
   */
  create<M extends string>(
    body: ModelCreateParams<M> & { stream?: false | null },
    options?: RequestOptions,
  ): APIPromise<ModelCompletion<M>>;
  /** With `stream: true`, resolves (once headers arrive) to a {@link Stream} of the model's chunks. */
  create<M extends string>(
    body: ModelCreateParams<M> & { stream: true },
    options?: RequestOptions,
  ): APIPromise<Stream<ModelChunk<M>>>;
  /** When `stream` is only known at run time: a completion or a stream. */
  create<M extends string>(
    body: ModelCreateParams<M> & { stream?: boolean | null },
    options?: RequestOptions,
  ): APIPromise<Stream<ModelChunk<M>> | ModelCompletion<M>>;
  /**
   * Streams a completion as events (`content`, `content.delta`, `tool_calls.function.arguments.done`
   * …), the snapshot so far and the final completion; also an async iterable of chunks. With a
   * parseable `response_format` the events and the final message carry the parsed output.
   */
  stream<Params extends ChatCompletionStreamParams>(
    body: Params,
    options?: RequestOptions,
  ): ChatCompletionStream<ParsedContentOf<Params>>;
  /**
   * Creates a completion whose messages carry `parsed` (the output of a `response_format` from
   * `jsonSchemaFormat()` or `zodResponseFormat()`, validated) and whose calls of parseable tools carry
   * `parsed_arguments`.
   */
  parse<Params extends ChatCompletionParseParams>(
    body: Params,
    options?: RequestOptions,
  ): APIPromise<ParsedChatCompletion<ParsedContentOf<Params>>>;
  /**
   * Runs the tool loop: asks, runs the tools the model calls, sends the results back, until the
   * model answers without tools or `maxChatCompletions` (10) requests were made.
   */
  runTools<Params extends RunToolsParams & { stream?: false | null }>(
    body: Params,
    options?: RunnerOptions,
  ): ChatCompletionRunner<ParsedContentOf<Params>>;
  /** The tool loop with every round streamed. */
  runTools<Params extends RunToolsParams & { stream: true }>(
    body: Params,
    options?: RunnerOptions,
  ): ChatCompletionStreamingRunner<ParsedContentOf<Params>>;
  /** When `stream` is only known at run time: either runner. */
  runTools<Params extends RunToolsParams>(
    body: Params,
    options?: RunnerOptions,
  ): ChatCompletionRunner<ParsedContentOf<Params>> | ChatCompletionStreamingRunner<ParsedContentOf<Params>>;
}

let lib: Promise<typeof import("../lib/index")> | undefined;

/** The helpers' module, loaded once, on first use. */
function loadLib(): Promise<typeof import("../lib/index")> {
  lib ??= import("../lib/index");
  return lib;
}

/** The chat-completions surface of a client whose calls go through `dispatcher`. */
export function chatCompletions(dispatcher: Dispatcher, apiKey: string): ChatCompletions {
  function create(body: ChatCompletionCreateParamsBase, options?: RequestOptions) {
    const stream = body.stream === true;
    const sent = dispatcher.dispatch({
      method: "POST",
      path: "/v1/chat/completions",
      body: JSON.stringify(body),
      stream,
      options,
    });
    return toAPIPromise(sent, (result) => resultOf<ChatCompletion, ChatCompletionChunk>(result, apiKey, stream));
  }
  const completions = { create } as ChatCompletions;
  completions.stream = (body, options) => deferred(loadLib().then((l) => l.stream(completions, body, options))) as never;
  completions.parse = (body, options) =>
    toAPIPromise(
      loadLib().then((l) => l.parse(completions, body, options)),
      (whole) => whole,
    ) as never;
  completions.runTools = ((body: RunToolsParams, options?: RunnerOptions) =>
    deferred(loadLib().then((l) => l.runTools(completions, body, options)))) as ChatCompletions["runTools"];
  return completions;
}
