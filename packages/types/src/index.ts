/**
 * Types for the AI/ML API's chat completions, generated from the pinned upstream spec of
 * `openai/gpt-4.1-2025-04-14` with the overlay's corrections.
 *
 * The generated module names the shapes of the wire with openai-node's names (`ChatCompletion`,
 * `ChatCompletionChunk.Choice.Delta`, `ChatCompletionMessageParam` …), as interfaces, so that code
 * written for `openai` finds them and compiler messages print them. What is defined here is
 * derived from those generated types, never copied from the spec by hand.
 */
import type * as generated from "./generated/gpt-4-1";
import type * as models from "./generated/models";

export type {
  ChatCompletion,
  ChatCompletionAssistantMessageParam,
  ChatCompletionAudio,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartRefusal,
  ChatCompletionContentPartText,
  ChatCompletionDeveloperMessageParam,
  ChatCompletionFunctionTool,
  ChatCompletionMessage,
  ChatCompletionMessageCustomToolCall,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionNamedToolChoice,
  ChatCompletionPredictionContent,
  ChatCompletionStreamOptions,
  ChatCompletionSystemMessageParam,
  ChatCompletionTokenLogprob,
  ChatCompletionToolChoiceOption,
  ChatCompletionToolMessageParam,
  ChatCompletionUserMessageParam,
  CompletionUsage,
  FunctionDefinition,
  ResponseFormatJSONObject,
  ResponseFormatJSONSchema,
  ResponseFormatText,
} from "./generated/gpt-4-1";
export type * from "./openai-compat";

/** An operation whose JSON request body takes any model id as a string (the documented ones stay literal). */
type AnyModel<Op> = Op extends { requestBody: { content: { "application/json": infer Body } } }
  ? Omit<Op, "requestBody"> & {
      requestBody: { content: { "application/json": Omit<Body, "model"> & { model: ModelId | (string & {}) } } };
    }
  : Op;

/**
 * Every path of the API, with its operations: the type openapi-fetch's typed `GET`/`POST` use. As in
 * {@link ChatCompletionCreateParams}, a request's `model` is any string.
 */
export type paths = {
  [Path in keyof generated.paths]: { [Method in keyof generated.paths[Path]]: AnyModel<generated.paths[Path][Method]> };
};

/** Every operation, keyed by its `operationId`. */
export type operations = generated.operations;

/** The spec's component schemas: the named types above, as openapi-typescript lists them. */
export type components = generated.components;

/** Webhooks of the spec (none). */
export type webhooks = generated.webhooks;

/** JSON Schema `$defs` of the spec (none). */
export type $defs = generated.$defs;

/** The chat-completions operation this package names types for (`POST /v1/chat/completions`). */
export type ChatCompletionsOperation = paths["/v1/chat/completions"]["post"];

/**
 * Every model id the pinned specs document: the flagship's and every AIML chat model's (see
 * MODELS.md). As a literal, an id is checked; a newer model is called with its id widened to `string`.
 */
export type ModelId = keyof models.ModelRequests;

// Each model's request, reply and stream-event types (ModelRequests, ModelCompletions, ModelChunks)
// and the distinct shapes they are made of, named so that a consumer's declarations can name them.
export type * from "./generated/models";

/**
 * The request parameters of model `M` (`model` aside): its own spec's for a documented id, the
 * common {@link ChatCompletionCreateParamsBase} for an id widened to `string`.
 */
export type ModelParams<M extends string> =
  KnownModel<M> extends never ? Omit<ChatCompletionCreateParamsBase, "model"> : models.ModelRequests[KnownModel<M>];

/**
 * `M` when it names documented ids only, else `never`: an id type that admits any string (such as
 * the common params' `model`) gets the common types, not the union of every model's.
 */
type KnownModel<M extends string> = string extends M ? never : [M] extends [ModelId] ? M : never;

/**
 * What `model` accepts for an inferred `M`: a documented id, or any id typed as `string`. A literal
 * the specs do not document (a misspelling) is checked against {@link ModelId}, so it does not compile.
 */
export type CheckedModel<M extends string> = string extends M ? M : M extends ModelId ? M : ModelId;

/** The reply of model `M`: its own spec's, or the common {@link ChatCompletion}. */
export type ModelCompletion<M extends string> =
  KnownModel<M> extends never ? generated.ChatCompletion : models.ModelCompletions[KnownModel<M>];

/** The stream event of model `M`: its own spec's, or the common {@link ChatCompletionChunk}. */
export type ModelChunk<M extends string> =
  KnownModel<M> extends never ? generated.ChatCompletionChunk : models.ModelChunks[KnownModel<M>];

/**
 * The body of a `create` call for model `M`: its own parameters, `model` checked; the common ones
 * for an id typed as `string`. Written as a lookup rather than as {@link ModelParams}: while `M` is
 * still being inferred, a conditional type would make the compiler consider every model's
 * parameters at once, and a lookup does not.
 */
export type ModelCreateParams<M extends string> = { model: CheckedModel<M> } & RequestsById[M] & CommonUnlessModel<M>;

/** Each documented id's request parameters; any other id gives `unknown` (then the common ones apply). */
type RequestsById = models.ModelRequests & { [id: string]: unknown };

/** The common parameters where `M` is not a documented id: an id typed as `string`, or a misspelling. */
type CommonUnlessModel<M extends string> = string extends M
  ? Omit<ChatCompletionCreateParamsBase, "model">
  : M extends ModelId
    ? unknown
    : Omit<ChatCompletionCreateParamsBase, "model">;

/**
 * The request body, streaming or not. `model` takes the documented ids as literals (with
 * autocompletion) and any other string, since new models appear before a spec documents them.
 */
export interface ChatCompletionCreateParamsBase extends Omit<generated.ChatCompletionCreateParamsBase, "model"> {
  /** The model id, for example `openai/gpt-4.1-2025-04-14`. */
  model: ModelId | (string & {});
}

/** A request answered with one {@link ChatCompletion}. */
export interface ChatCompletionCreateParamsNonStreaming extends ChatCompletionCreateParamsBase {
  /** Absent or false: the reply is one completion. */
  stream?: false;
}

/** A request answered with a stream of {@link ChatCompletionChunk}s. */
export interface ChatCompletionCreateParamsStreaming extends ChatCompletionCreateParamsBase {
  /** The reply is streamed as server-sent events. */
  stream: true;
}

/**
 * Either kind of request. A value annotated with it narrows by its `stream` field, so `create`
 * returns a completion or a stream accordingly.
 */
export type ChatCompletionCreateParams = ChatCompletionCreateParamsNonStreaming | ChatCompletionCreateParamsStreaming;

type NonStreaming = ChatCompletionCreateParamsNonStreaming;
type Streaming = ChatCompletionCreateParamsStreaming;

export declare namespace ChatCompletionCreateParams {
  /** {@link ChatCompletionCreateParamsNonStreaming}, where openai-node also names it. */
  export type ChatCompletionCreateParamsNonStreaming = NonStreaming;
  /** {@link ChatCompletionCreateParamsStreaming}, where openai-node also names it. */
  export type ChatCompletionCreateParamsStreaming = Streaming;
}

/** The parameters of `parse()`: a request answered with one completion. */
export type ChatCompletionParseParams = ChatCompletionCreateParamsNonStreaming;

/** A tool the model may call. This API takes function tools only. */
export type ChatCompletionTool = generated.ChatCompletionFunctionTool;

/** How the model picks tools (the name this package used before openai-node's). */
export type ChatCompletionToolChoice = generated.ChatCompletionToolChoiceOption;

/** Output format: text, a JSON object, or a JSON schema. */
export type ResponseFormat = NonNullable<ChatCompletionCreateParamsBase["response_format"]>;

/** The `role` values a request message can have. */
export type ChatCompletionRole = generated.ChatCompletionMessageParam["role"];

/** One choice of a chat completion. */
export type ChatCompletionChoice = generated.ChatCompletion.Choice;

/** Why generation stopped. */
export type ChatCompletionFinishReason = generated.ChatCompletion.Choice["finish_reason"];

/** One choice of a stream chunk. */
export type ChatCompletionChunkChoice = generated.ChatCompletionChunk.Choice;

/** Why generation of a streamed choice stopped; null on every chunk but the choice's last. */
export type ChatCompletionChunkFinishReason = generated.ChatCompletionChunk.Choice["finish_reason"];

/** The incremental message of a stream chunk's choice. */
export type ChatCompletionChunkDelta = generated.ChatCompletionChunk.Choice.Delta;

/** A tool-call fragment inside a stream chunk. */
export type ChatCompletionChunkToolCall = generated.ChatCompletionChunk.Choice.Delta.ToolCall;

/**
 * AI/ML API billing details (`meta.usage`: credits used, USD spent). Spec versions before 2026-04
 * have no `meta`; there this is `never`, so the package still builds with them.
 */
export type ChatCompletionMeta = generated.ChatCompletion extends { meta?: infer M } ? NonNullable<M> : never;
