/**
 * `@aimlapi-sdk/client`: a small, typed, dependable client for the AI/ML API's GPT-4.1 chat completions.
 * @packageDocumentation
 */

export type * from "@aimlapi-sdk/types";
export type { Middleware, MiddlewareCallbackParams } from "openapi-fetch";
export type { AccumulatedChatCompletion } from "./accumulate";
export { accumulateChatCompletion, ChatCompletionAccumulator } from "./accumulate";
export type { APIPromise, WithResponse } from "./api-promise";
export type { AIMLClient, ChatCompletionParseParams, ChatCompletions } from "./client";
export { createClient } from "./client";
export type { UpstreamErrorBody } from "./errors";
export {
  AIMLAPIError,
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
} from "./errors";
export * from "./helpers/index";
export type { Logger, LogLevel } from "./logger";
export type { ClientOptions, FetchOptions, RequestOptions } from "./options";
export { DEFAULT_BASE_URL } from "./options";
export { Stream } from "./streaming";
