/**
 * `client.chat.completions.stream()`: a streamed completion as events, with openai-node's names
 * and meanings — `chunk` (with the snapshot so far), `content` and `content.delta` (with the
 * structured output parsed so far when the format is parseable), `content.done`, `refusal.*`,
 * `tool_calls.function.arguments.*` (with parsed arguments for parseable tools), `logprobs.*`, then
 * `message`, `chatCompletion` and the final events — and as an async iterable of chunks.
 */
import type { ChatCompletionChunk, ChatCompletionCreateParamsBase, ChatCompletionTokenLogprob } from "@aimlapi-sdk/types";
import type { RequestOptions } from "../core/options";
import { Stream, toNDJSON } from "../core/streaming";
import { AbstractChatCompletionRunner, type AbstractChatCompletionRunnerEvents } from "./abstract-runner";
import { ChatCompletionAccumulator, type ChatCompletionSnapshot } from "./accumulate";
import type { CompletionsCreate } from "./context";
import { ContentFilterFinishReasonError, LengthFinishReasonError } from "./errors";
import { implementationOf, markClass, parserOf } from "./parseable";
import { findTool, type ParsedStreamedChatCompletion, parseArguments, parseChatCompletion, partialParser } from "./parser";

/** A piece of the reply's text, with the text so far and the structured output parsed so far. */
export interface ContentDeltaEvent {
  delta: string;
  snapshot: string;
  /** The object parsed from the text so far (not validated yet), when the format is parseable; else null. */
  parsed: unknown | null;
}

/** The reply's whole text, and its structured output, validated, when the format is parseable. */
export interface ContentDoneEvent<ParsedT = null> {
  content: string;
  parsed: ParsedT | null;
}

/** A piece of a refusal, with the refusal so far. */
export interface RefusalDeltaEvent {
  delta: string;
  snapshot: string;
}

/** The whole refusal. */
export interface RefusalDoneEvent {
  refusal: string;
}

/** A piece of a function call's arguments, with the arguments so far (parsed so far for a parseable tool). */
export interface FunctionToolCallArgumentsDeltaEvent {
  name: string;
  index: number;
  arguments: string;
  parsed_arguments: unknown;
  arguments_delta: string;
}

/** A function call's whole arguments (validated and parsed for a parseable tool, else null). */
export interface FunctionToolCallArgumentsDoneEvent {
  name: string;
  index: number;
  arguments: string;
  parsed_arguments: unknown;
}

/** Token log probabilities of the content that just arrived, with all so far. */
export interface LogProbsContentDeltaEvent {
  content: ChatCompletionTokenLogprob[];
  snapshot: ChatCompletionTokenLogprob[];
}

/** All token log probabilities of the content. */
export interface LogProbsContentDoneEvent {
  content: ChatCompletionTokenLogprob[];
}

/** Token log probabilities of the refusal that just arrived, with all so far. */
export interface LogProbsRefusalDeltaEvent {
  refusal: ChatCompletionTokenLogprob[];
  snapshot: ChatCompletionTokenLogprob[];
}

/** All token log probabilities of the refusal. */
export interface LogProbsRefusalDoneEvent {
  refusal: ChatCompletionTokenLogprob[];
}

/** The events of a streamed completion. */
export interface ChatCompletionStreamEvents<ParsedT = null> extends AbstractChatCompletionRunnerEvents {
  /** A piece of the reply's text, and the text so far. */
  content: (contentDelta: string, contentSnapshot: string) => void;
  /** Every chunk, with the completion as far as the stream has come. */
  chunk: (chunk: ChatCompletionChunk, snapshot: ChatCompletionSnapshot) => void;
  /** A piece of the reply's text, with the text and the structured output so far. */
  "content.delta": (props: ContentDeltaEvent) => void;
  /** The reply's whole text, and its structured output when the format is parseable. */
  "content.done": (props: ContentDoneEvent<ParsedT>) => void;
  /** A piece of a refusal. */
  "refusal.delta": (props: RefusalDeltaEvent) => void;
  /** The whole refusal. */
  "refusal.done": (props: RefusalDoneEvent) => void;
  /** A piece of a function call's arguments. */
  "tool_calls.function.arguments.delta": (props: FunctionToolCallArgumentsDeltaEvent) => void;
  /** A function call's whole arguments. */
  "tool_calls.function.arguments.done": (props: FunctionToolCallArgumentsDoneEvent) => void;
  /** Token log probabilities of a piece of the content. */
  "logprobs.content.delta": (props: LogProbsContentDeltaEvent) => void;
  /** Token log probabilities of the whole content. */
  "logprobs.content.done": (props: LogProbsContentDoneEvent) => void;
  /** Token log probabilities of a piece of the refusal. */
  "logprobs.refusal.delta": (props: LogProbsRefusalDeltaEvent) => void;
  /** Token log probabilities of the whole refusal. */
  "logprobs.refusal.done": (props: LogProbsRefusalDoneEvent) => void;
}

/** The parameters of `.stream()`: a request, streamed (`stream: true` may be given, or left out). */
export type ChatCompletionStreamParams = Omit<ChatCompletionCreateParamsBase, "stream"> & { stream?: true };

/** Per choice, what has been announced as done. */
interface ChoiceProgress {
  contentDone: boolean;
  refusalDone: boolean;
  logprobsContentDone: boolean;
  logprobsRefusalDone: boolean;
  /** The tool call being streamed (its arguments are done when the next one starts, or the choice ends). */
  currentToolCall: number | undefined;
  doneToolCalls: Set<number>;
}

/** A streamed completion: its events, the snapshot so far, the final completion, and its chunks. */
export class ChatCompletionStream<ParsedT = null>
  extends AbstractChatCompletionRunner<ChatCompletionStreamEvents<ParsedT>, ParsedT>
  implements AsyncIterable<ChatCompletionChunk>
{
  #params: { response_format?: unknown; tools?: readonly unknown[] | undefined } | null;
  /** Whether invalid tool-call arguments are left unparsed (a run answers them) rather than an error. */
  protected _lenientTools = false;
  #accumulator = new ChatCompletionAccumulator();
  #progress = new Map<number, ChoiceProgress>();
  #partial: ((text: string) => unknown) | undefined;

  constructor(params: { response_format?: unknown; tools?: readonly unknown[] | undefined } | null) {
    super();
    this.#params = params;
  }

  /** Streams a completion (what `client.chat.completions.stream()` returns). */
  static createChatCompletion<ParsedT>(
    client: CompletionsCreate,
    params: ChatCompletionStreamParams,
    options: RequestOptions = {},
  ): ChatCompletionStream<ParsedT> {
    const runner = new ChatCompletionStream<ParsedT>(params);
    runner._run(() => runner._createChatCompletion(client, { ...params, stream: true }, options));
    return runner;
  }

  /**
   * Reads a stream written by `toReadableStream()` (on a server, say, and read back in a browser):
   * the same events, from the chunks it carries.
   */
  static fromReadableStream(readable: ReadableStream<Uint8Array>): ChatCompletionStream<null> {
    const runner = new ChatCompletionStream<null>(null);
    runner._run(() => runner.#read(readable));
    return runner;
  }

  /** The completion as far as the stream has come (undefined before the first chunk). */
  get currentChatCompletionSnapshot(): ChatCompletionSnapshot | undefined {
    return this.#accumulator.snapshot;
  }

  protected async _createChatCompletion(
    client: CompletionsCreate,
    params: ChatCompletionCreateParamsBase,
    options: RequestOptions,
  ): Promise<ParsedStreamedChatCompletion<ParsedT>> {
    this._listenForAbort(options.signal);
    this.#begin(params);
    if (this.#parses()) this.#partial = await partialParser();
    const stream: Stream<ChatCompletionChunk> = await client.create(
      { ...params, stream: true },
      { ...options, signal: this.controller.signal },
    );
    this._connected();
    for await (const chunk of stream) await this.#addChunk(chunk);
    return this._addChatCompletion(await this.#end());
  }

  async #read(readable: ReadableStream<Uint8Array>): Promise<void> {
    const chunks = Stream.fromReadableStream<ChatCompletionChunk>(readable);
    this.controller.signal.addEventListener("abort", () => chunks.abort(), { once: true });
    this.#begin(null);
    this._connected();
    for await (const chunk of chunks) await this.#addChunk(chunk);
    if (!this.#accumulator.snapshot) throw new Error("the stream ended without sending any chunks");
    this._addChatCompletion(await this.#end());
  }

  /** A new request of the run: a fresh snapshot. */
  #begin(params: { response_format?: unknown; tools?: readonly unknown[] | undefined } | null): void {
    if (params) this.#params = params;
    this.#accumulator = new ChatCompletionAccumulator();
    this.#progress = new Map();
  }

  /** Whether anything of the request is parsed: a parseable format, or a parseable tool. */
  #parses(): boolean {
    const params = this.#params;
    return Boolean(parserOf(params?.response_format) || params?.tools?.some((t) => implementationOf(t)));
  }

  /** Takes one chunk: the snapshot grows, and the events it gives are emitted in order. */
  async #addChunk(chunk: ChatCompletionChunk): Promise<void> {
    if (this.ended) return;
    const snapshot = this.#accumulator.add(chunk);
    this._emit("chunk", chunk, snapshot);
    const parseable = Boolean(parserOf(this.#params?.response_format));
    for (const choice of chunk.choices) {
      const state = snapshot.choices.find((c) => c.index === choice.index) as ChatCompletionSnapshot.Choice;
      const message = state.message;
      const progress = this.#progressOf(choice.index);
      const { delta } = choice;
      if (typeof delta.content === "string" && delta.content !== "" && message.content) {
        if (parseable && this.#partial && !message.refusal) message.parsed = this.#partial(message.content) ?? message.parsed;
        this._emit("content", delta.content, message.content);
        this._emit("content.delta", { delta: delta.content, snapshot: message.content, parsed: message.parsed ?? null });
      }
      if (typeof delta.refusal === "string" && delta.refusal !== "" && message.refusal)
        this._emit("refusal.delta", { delta: delta.refusal, snapshot: message.refusal });
      if (choice.logprobs?.content)
        this._emit("logprobs.content.delta", { content: choice.logprobs.content, snapshot: state.logprobs?.content ?? [] });
      if (choice.logprobs?.refusal)
        this._emit("logprobs.refusal.delta", { refusal: choice.logprobs.refusal, snapshot: state.logprobs?.refusal ?? [] });
      for (const fragment of delta.tool_calls ?? []) {
        // A new call starts: the text before it, and the call before it, are complete.
        if (progress.currentToolCall !== fragment.index) {
          await this.#contentDone(state, progress);
          if (progress.currentToolCall !== undefined) await this.#toolCallDone(state, progress, progress.currentToolCall);
          progress.currentToolCall = fragment.index;
        }
        const call = message.tool_calls?.[fragment.index];
        if (!call) continue;
        const tool = findTool(this.#params?.tools, call.function.name);
        if (implementationOf(tool) && this.#partial) call.function.parsed_arguments = this.#partial(call.function.arguments);
        this._emit("tool_calls.function.arguments.delta", {
          name: call.function.name,
          index: fragment.index,
          arguments: call.function.arguments,
          parsed_arguments: call.function.parsed_arguments ?? null,
          arguments_delta: fragment.function?.arguments ?? "",
        });
      }
      if (state.finish_reason) {
        await this.#contentDone(state, progress);
        if (progress.currentToolCall !== undefined) await this.#toolCallDone(state, progress, progress.currentToolCall);
      }
    }
  }

  #progressOf(index: number): ChoiceProgress {
    let progress = this.#progress.get(index);
    if (!progress) {
      progress = {
        contentDone: false,
        refusalDone: false,
        logprobsContentDone: false,
        logprobsRefusalDone: false,
        currentToolCall: undefined,
        doneToolCalls: new Set(),
      };
      this.#progress.set(index, progress);
    }
    return progress;
  }

  /**
   * Announces a choice's text (with its structured output, validated, for a parseable format),
   * refusal and logprobs as complete, once each.
   */
  async #contentDone(state: ChatCompletionSnapshot.Choice, progress: ChoiceProgress): Promise<void> {
    const { message } = state;
    if (typeof message.content === "string" && message.content !== "" && !progress.contentDone) {
      progress.contentDone = true;
      const parse = parserOf(this.#params?.response_format);
      let parsed: unknown = null;
      if (parse && !message.refusal) {
        // Text cut short by the token limit or the filter is not the structured output.
        if (state.finish_reason === "length") throw new LengthFinishReasonError();
        if (state.finish_reason === "content_filter") throw new ContentFilterFinishReasonError();
        parsed = await parse(message.content);
      }
      this._emit("content.done", { content: message.content, parsed: parsed as ParsedT | null });
    }
    if (message.refusal && !progress.refusalDone) {
      progress.refusalDone = true;
      this._emit("refusal.done", { refusal: message.refusal });
    }
    if (state.logprobs?.content && !progress.logprobsContentDone) {
      progress.logprobsContentDone = true;
      this._emit("logprobs.content.done", { content: state.logprobs.content });
    }
    if (state.logprobs?.refusal && !progress.logprobsRefusalDone) {
      progress.logprobsRefusalDone = true;
      this._emit("logprobs.refusal.done", { refusal: state.logprobs.refusal });
    }
  }

  /** Announces a tool call's arguments as complete, parsed for a parseable tool (null when they do not parse). */
  async #toolCallDone(state: ChatCompletionSnapshot.Choice, progress: ChoiceProgress, index: number): Promise<void> {
    if (progress.doneToolCalls.has(index)) return;
    const call = state.message.tool_calls?.[index];
    if (!call) return;
    progress.doneToolCalls.add(index);
    const tool = findTool(this.#params?.tools, call.function.name);
    const parsed = await parseArguments(tool, call.function.name, call.function.arguments).catch(() => undefined);
    if (parsed) call.function.parsed_arguments = parsed.value;
    this._emit("tool_calls.function.arguments.done", {
      name: call.function.name,
      index,
      arguments: call.function.arguments,
      parsed_arguments: parsed?.value ?? null,
    });
  }

  /** The completion the stream added up to, parsed when anything of the request is parseable. */
  async #end(): Promise<ParsedStreamedChatCompletion<ParsedT>> {
    const completion = this.#accumulator.result();
    const params = this.#params ?? {};
    if (this.#parses()) return parseChatCompletion<typeof completion, ParsedT>(completion, params, this._lenientTools);
    return {
      ...completion,
      choices: completion.choices.map((choice) => ({ ...choice, message: { ...choice.message, parsed: null } })),
    };
  }

  /** The chunks as they arrive; leaving the loop early aborts the request. */
  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    const queue: ChatCompletionChunk[] = [];
    const waiting: { resolve: (r: IteratorResult<ChatCompletionChunk>) => void; reject: (e: unknown) => void }[] = [];
    let finished = false;
    let failure: unknown;
    this.on("chunk", (chunk) => {
      const reader = waiting.shift();
      if (reader) reader.resolve({ value: chunk, done: false });
      else queue.push(chunk);
    });
    this.on("end", () => {
      finished = true;
      for (const reader of waiting.splice(0)) reader.resolve({ value: undefined, done: true });
    });
    const fail = (error: unknown) => {
      finished = true;
      failure = error;
      for (const reader of waiting.splice(0)) reader.reject(error);
    };
    this.on("error", fail);
    this.on("abort", fail);
    return {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift() as ChatCompletionChunk, done: false });
        if (failure !== undefined) return Promise.reject(failure);
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return: () => {
        this.abort();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** Newline-delimited JSON of the chunks, for `ChatCompletionStream.fromReadableStream()` elsewhere. */
  toReadableStream(): ReadableStream<Uint8Array> {
    return toNDJSON(() => this[Symbol.asyncIterator]());
  }
}
markClass(ChatCompletionStream, "ChatCompletionStream");
