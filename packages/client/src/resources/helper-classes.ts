/**
 * The helpers' classes and functions as the package exports them (`ChatCompletionStream`,
 * `ChatCompletionRunner` …): their static factories and `accumulateChatCompletion` load lib/ on first
 * use, so that importing the package, or only `createClient`, does not bring the helpers along.
 */
import type { ChatCompletionChunk } from "@aimlapi-sdk/types";
import type { AccumulatedChatCompletion } from "../lib/accumulate";
import type * as Runner from "../lib/chat-completion-runner";
import type * as StreamHelper from "../lib/chat-completion-stream";
import { classMark } from "../lib/parseable";
import { lazyClass } from "./deferred";

/** A streamed completion as events (see `client.chat.completions.stream()`); `fromReadableStream` reads one sent on. */
export const ChatCompletionStream = lazyClass(
  () => import("../lib/chat-completion-stream").then((m) => m.ChatCompletionStream),
  classMark("ChatCompletionStream"),
  ["fromReadableStream", "createChatCompletion"],
);
/** A streamed completion as events. */
export type ChatCompletionStream<ParsedT = null> = StreamHelper.ChatCompletionStream<ParsedT>;

/** A tool run, one completion per round (see `client.chat.completions.runTools()`). */
export const ChatCompletionRunner = lazyClass(
  () => import("../lib/chat-completion-runner").then((m) => m.ChatCompletionRunner),
  classMark("ChatCompletionRunner"),
  ["runTools"],
);
/** A tool run, one completion per round. */
export type ChatCompletionRunner<ParsedT = null> = Runner.ChatCompletionRunner<ParsedT>;

/** A tool run whose rounds stream (see `client.chat.completions.runTools({ stream: true })`). */
export const ChatCompletionStreamingRunner = lazyClass(
  () => import("../lib/chat-completion-runner").then((m) => m.ChatCompletionStreamingRunner),
  classMark("ChatCompletionStreamingRunner"),
  ["runTools", "fromReadableStream", "createChatCompletion"],
);
/** A tool run whose rounds stream. */
export type ChatCompletionStreamingRunner<ParsedT = null> = Runner.ChatCompletionStreamingRunner<ParsedT>;

/** Rebuilds the completion from a whole sequence of chunks (a stream, or chunks you kept). */
export async function accumulateChatCompletion(
  chunks: AsyncIterable<ChatCompletionChunk> | Iterable<ChatCompletionChunk>,
): Promise<AccumulatedChatCompletion> {
  return (await import("../lib/accumulate")).accumulateChatCompletion(chunks);
}
