/**
 * `client.chat.completions.runTools()`: the tool loop as a runner with openai-node's events and
 * methods. Without `stream: true` each round is one completion (`ChatCompletionRunner`, with a
 * `content` event per reply); with it each round is streamed (`ChatCompletionStreamingRunner`, with
 * every event of a streamed completion, and the chunks of all rounds as its async iterable).
 */
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from "@aimlapi-sdk/types";
import type { RequestOptions } from "../core/options";
import {
  AbstractChatCompletionRunner,
  type AbstractChatCompletionRunnerEvents,
  type RunnerOptions,
  type RunToolsRequest,
} from "./abstract-runner";
import { ChatCompletionStream, type ChatCompletionStreamEvents } from "./chat-completion-stream";
import type { CompletionsCreate } from "./context";
import { implementationOf, markClass, parserOf } from "./parseable";
import { type ParsedChatCompletion, parseChatCompletion } from "./parser";

/** The events of a tool run without streaming. */
export interface ChatCompletionRunnerEvents extends AbstractChatCompletionRunnerEvents {
  /** The text of each reply that has any. */
  content: (content: string) => void;
}

/** A tool run, one completion per round. */
export class ChatCompletionRunner<ParsedT = null> extends AbstractChatCompletionRunner<ChatCompletionRunnerEvents, ParsedT> {
  #request: RunToolsRequest;

  private constructor(request: RunToolsRequest) {
    super();
    this.#request = request;
  }

  /** Starts a run (what `client.chat.completions.runTools()` returns without `stream: true`). */
  static runTools<ParsedT>(
    client: CompletionsCreate,
    request: RunToolsRequest,
    options: RunnerOptions = {},
  ): ChatCompletionRunner<ParsedT> {
    const runner = new ChatCompletionRunner<ParsedT>(request);
    runner._listenForAbort(options.signal);
    runner._run(() => runner._runTools(client, request, options));
    return runner;
  }

  protected async _createChatCompletion(
    client: CompletionsCreate,
    params: ChatCompletionCreateParamsBase,
    options: RequestOptions,
  ): Promise<ParsedChatCompletion<ParsedT>> {
    const completion = await client.create({ ...params, stream: false }, { ...options, signal: this.controller.signal });
    this._connected();
    const request = { response_format: params.response_format, tools: this.#request.tools };
    const parses = parserOf(request.response_format) || request.tools.some((t) => implementationOf(t));
    const parsed = parses
      ? await parseChatCompletion<typeof completion, ParsedT>(completion, request, true)
      : { ...completion, choices: completion.choices.map((c) => ({ ...c, message: { ...c.message, parsed: null } })) };
    return this._addChatCompletion(parsed);
  }

  protected override _addMessage(message: ChatCompletionMessageParam, emit = true): void {
    super._addMessage(message, emit);
    if (emit && message.role === "assistant" && typeof message.content === "string" && message.content)
      this._emit("content", message.content);
  }
}

/** A tool run whose rounds stream: every event of a streamed completion, across the rounds. */
export class ChatCompletionStreamingRunner<ParsedT = null>
  extends ChatCompletionStream<ParsedT>
  implements AsyncIterable<import("@aimlapi-sdk/types").ChatCompletionChunk>
{
  // The run answers arguments that do not validate (the tool's reply says why).
  protected override _lenientTools = true;

  /** Starts a streamed run (what `client.chat.completions.runTools({ stream: true, … })` returns). */
  static runTools<ParsedT>(
    client: CompletionsCreate,
    request: RunToolsRequest,
    options: RunnerOptions = {},
  ): ChatCompletionStreamingRunner<ParsedT> {
    const runner = new ChatCompletionStreamingRunner<ParsedT>({ response_format: request.response_format, tools: request.tools });
    runner._listenForAbort(options.signal);
    // Each round asks for its usage, so that `totalUsage` counts the whole run (unless the caller chose).
    const streamed = { ...request, stream_options: request.stream_options ?? { include_usage: true } };
    runner._run(() => runner._runTools(client, streamed, options));
    return runner;
  }
}

markClass(ChatCompletionRunner, "ChatCompletionRunner");
markClass(ChatCompletionStreamingRunner, "ChatCompletionStreamingRunner");

export type { ChatCompletionStreamEvents as ChatCompletionStreamingRunnerEvents };
