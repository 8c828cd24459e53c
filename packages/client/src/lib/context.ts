/** What the stream and runner helpers need from the client: the chat-completions `create` (the one road to the wire). */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "@aimlapi-sdk/types";
import type { APIPromise } from "../core/api-promise";
import type { RequestOptions } from "../core/options";
import type { Stream } from "../core/streaming";

/** `client.chat.completions.create`, as the helpers call it. */
export interface CompletionsCreate {
  create(body: ChatCompletionCreateParamsNonStreaming, options?: RequestOptions): APIPromise<ChatCompletion>;
  create(body: ChatCompletionCreateParamsStreaming, options?: RequestOptions): APIPromise<Stream<ChatCompletionChunk>>;
}
