/**
 * `@aimlapi-sdk/client`: a small, typed, dependable client for the AI/ML API's chat completions,
 * a drop-in for code written against `openai`'s chat completions.
 * @packageDocumentation
 */

export type * from "@aimlapi-sdk/types";
export type { Middleware, MiddlewareCallbackParams } from "openapi-fetch";
export type { AIMLClient } from "./client";
export { createClient } from "./client";
export type { APIPromise, WithResponse } from "./core/api-promise";
export type { UpstreamErrorBody } from "./core/errors";
export {
  AIMLAPIError,
  AIMLAPIError as OpenAIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "./core/errors";
export type { Logger, LogLevel } from "./core/logger";
export type { ClientOptions, FetchOptions, RequestOptions } from "./core/options";
export { DEFAULT_BASE_URL } from "./core/options";
export { Stream } from "./core/streaming";
export * from "./helpers/index";
export type { AbstractChatCompletionRunner, AbstractChatCompletionRunnerEvents, RunnerOptions } from "./lib/abstract-runner";
export type { AccumulatedChatCompletion, ChatCompletionSnapshot } from "./lib/accumulate";
export type { ChatCompletionRunnerEvents } from "./lib/chat-completion-runner";
export type {
  ChatCompletionStreamEvents,
  ChatCompletionStreamParams,
  ContentDeltaEvent,
  ContentDoneEvent,
  FunctionToolCallArgumentsDeltaEvent,
  FunctionToolCallArgumentsDoneEvent,
  LogProbsContentDeltaEvent,
  LogProbsContentDoneEvent,
  LogProbsRefusalDeltaEvent,
  LogProbsRefusalDoneEvent,
  RefusalDeltaEvent,
  RefusalDoneEvent,
} from "./lib/chat-completion-stream";
export { ContentFilterFinishReasonError, LengthFinishReasonError, OutputParseError } from "./lib/errors";
export type { BaseEvents, EventStream } from "./lib/event-stream";
export type { ParseableResponseFormat, ParseableTool, ParsedContentOf, SchemaIssue } from "./lib/parseable";
export type {
  ParsedChatCompletion,
  ParsedChatCompletionMessage,
  ParsedChatCompletionMessageToolCall,
  ParsedChoice,
  ParsedFunction,
  ParsedFunctionToolCall,
  ParsedStreamedChatCompletion,
} from "./lib/parser";
export type {
  BaseFunctionsArgs,
  JSONSchema,
  RunnableFunction,
  RunnableFunctionWithoutParse,
  RunnableFunctionWithParse,
  RunnableToolFunction,
  RunnableToolFunctionWithoutParse,
  RunnableToolFunctionWithParse,
  RunnableTools,
} from "./lib/runnable-function";
export { ParsingToolFunction } from "./lib/runnable-function";
export type { ChatCompletions, RunnableToolLike, RunToolsParams } from "./resources/chat-completions";
export {
  accumulateChatCompletion,
  ChatCompletionRunner,
  ChatCompletionStream,
  ChatCompletionStreamingRunner,
} from "./resources/helper-classes";
