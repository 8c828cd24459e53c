/**
 * What the stream helper and the tool runners share, with openai-node's events and methods: the
 * conversation (`messages`), the completions received, the events they give (`message`,
 * `chatCompletion`, `functionToolCall`, `functionToolCallResult`) and, at the end, the final ones
 * (`finalChatCompletion`, `finalMessage`, `finalContent`, `finalFunctionToolCall`,
 * `finalFunctionToolCallResult`, `totalUsage`), and the tool loop itself.
 */
import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
  CompletionUsage,
} from "@aimlapi-sdk/types";
import { AIMLAPIError, APIUserAbortError } from "../core/errors";
import type { RequestOptions } from "../core/options";
import type { CompletionsCreate } from "./context";
import { type BaseEvents, EventStream } from "./event-stream";
import type { ParsedChatCompletion, ParsedChatCompletionMessage, ParsedStreamedChatCompletion } from "./parser";
import { type RunnerTool, toRunnerTools } from "./runner-tools";

/** The events of every runner and stream helper. */
export interface AbstractChatCompletionRunnerEvents extends BaseEvents {
  /** A function call the model made (one per call, in each assistant message). */
  functionToolCall: (functionCall: ChatCompletionMessageFunctionToolCall.Function) => void;
  /** A message added to the conversation: each reply, each tool result. */
  message: (message: ChatCompletionMessageParam) => void;
  /** A completion received (each round of a tool run). */
  chatCompletion: (completion: ParsedChatCompletion<unknown> | ParsedStreamedChatCompletion<unknown>) => void;
  /** At the end: the text of the last assistant message, when it has any. */
  finalContent: (contentSnapshot: string) => void;
  /** At the end: the last assistant message. */
  finalMessage: (message: ChatCompletionMessageParam) => void;
  /** At the end: the last completion. */
  finalChatCompletion: (completion: ParsedChatCompletion<unknown> | ParsedStreamedChatCompletion<unknown>) => void;
  /** At the end: the last function call. */
  finalFunctionToolCall: (functionCall: ChatCompletionMessageFunctionToolCall.Function) => void;
  /** A tool's result, as sent back to the model. */
  functionToolCallResult: (content: string) => void;
  /** At the end: the last tool result. */
  finalFunctionToolCallResult: (content: string) => void;
  /** At the end: the tokens of every completion of the run, when they reported usage. */
  totalUsage: (usage: CompletionUsage) => void;
}

/** Options of a tool run: the usual per-call options, how many requests it may make, and a hook after each. */
export interface RunnerOptions extends RequestOptions {
  /** Most requests to the model in one run (default 10). openai-node's name. */
  maxChatCompletions?: number;
  /** The same as `maxChatCompletions` (this package's earlier name). */
  maxRounds?: number;
  /** Called after each completion and its tool calls, before the next request; may add to `runner.messages`. */
  afterCompletion?: (
    completion: ParsedChatCompletion<unknown> | ParsedStreamedChatCompletion<unknown>,
    runner: { messages: ChatCompletionMessageParam[]; abort(): void },
  ) => void | Promise<void>;
}

/** The request of a tool run: the usual parameters, with tools that can run. */
export type RunToolsRequest = Omit<ChatCompletionCreateParamsBase, "tools" | "stream"> & {
  tools: readonly unknown[];
  stream?: boolean | null;
  /** A value every tool function gets as its third argument (openai-node's `toolContext`). */
  toolContext?: unknown;
};

const DEFAULT_MAX_CHAT_COMPLETIONS = 10;

type AnyCompletion<ParsedT> = ParsedChatCompletion<ParsedT> | ParsedStreamedChatCompletion<ParsedT>;

/** The conversation, the completions and the final results of a stream or a run. */
export abstract class AbstractChatCompletionRunner<
  Events extends AbstractChatCompletionRunnerEvents,
  ParsedT,
> extends EventStream<Events> {
  /** The whole conversation: the request's messages, then every reply and tool result. */
  messages: ChatCompletionMessageParam[] = [];
  protected _chatCompletions: AnyCompletion<ParsedT>[] = [];

  /** This runner, typed by the events every runner has (to emit those whatever its own event map). */
  get #base(): AbstractChatCompletionRunner<AbstractChatCompletionRunnerEvents, ParsedT> {
    return this as unknown as AbstractChatCompletionRunner<AbstractChatCompletionRunnerEvents, ParsedT>;
  }

  /** Makes one request of the run and returns its (parsed) completion; subclasses stream it or not. */
  protected abstract _createChatCompletion(
    client: CompletionsCreate,
    params: ChatCompletionCreateParamsBase,
    options: RequestOptions,
  ): Promise<AnyCompletion<ParsedT>>;

  /** Records a completion: the `chatCompletion` event, and its message added to the conversation. */
  protected _addChatCompletion<C extends AnyCompletion<ParsedT>>(completion: C): C {
    this._chatCompletions.push(completion);
    this.#base._emit("chatCompletion", completion);
    const message = completion.choices[0]?.message;
    if (message) this._addMessage(message as ChatCompletionMessageParam);
    return completion;
  }

  /** Adds a message to the conversation, with the events it gives (unless `emit` is false: the request's own). */
  protected _addMessage(message: ChatCompletionMessageParam, emit = true): void {
    this.messages.push(message);
    if (!emit) return;
    this.#base._emit("message", message);
    if (message.role === "tool" && typeof message.content === "string" && message.content)
      this.#base._emit("functionToolCallResult", message.content);
    else if (message.role === "assistant")
      for (const call of message.tool_calls ?? [])
        if (call.type === "function") this.#base._emit("functionToolCall", call.function);
  }

  /** The last completion; rejects if the work failed or ended without one. */
  async finalChatCompletion(): Promise<AnyCompletion<ParsedT>> {
    await this.done();
    const completion = this._chatCompletions.at(-1);
    if (!completion) throw new AIMLAPIError("the stream ended without producing a chat completion");
    return completion;
  }

  /** The last assistant message; rejects if the work failed or ended without one. */
  async finalMessage(): Promise<ParsedChatCompletionMessage<ParsedT>> {
    await this.done();
    const message = this.#finalMessage();
    if (!message) throw new AIMLAPIError("the stream ended without producing an assistant message");
    return message;
  }

  /** The text of the last assistant message (null when it has none, e.g. it only called tools). */
  async finalContent(): Promise<string | null> {
    await this.done();
    return this.#finalContent();
  }

  /** The last function call the model made, if any. */
  async finalFunctionToolCall(): Promise<ChatCompletionMessageFunctionToolCall.Function | undefined> {
    await this.done();
    return this.#finalFunctionToolCall();
  }

  /** The last tool result sent back to the model, if any. */
  async finalFunctionToolCallResult(): Promise<string | undefined> {
    await this.done();
    return this.#finalFunctionToolCallResult();
  }

  /** The tokens of every completion of the run. */
  async totalUsage(): Promise<CompletionUsage> {
    await this.done();
    return this.#totalUsage();
  }

  /** The completions received so far, in order. */
  allChatCompletions(): AnyCompletion<ParsedT>[] {
    return [...this._chatCompletions];
  }

  protected override _emitFinal(): void {
    const completion = this._chatCompletions.at(-1);
    if (completion) this.#base._emit("finalChatCompletion", completion);
    const message = this.#finalMessage();
    if (message) this.#base._emit("finalMessage", message);
    const content = this.#finalContent();
    if (content) this.#base._emit("finalContent", content);
    const call = this.#finalFunctionToolCall();
    if (call) this.#base._emit("finalFunctionToolCall", call);
    const result = this.#finalFunctionToolCallResult();
    if (result !== undefined) this.#base._emit("finalFunctionToolCallResult", result);
    if (this._chatCompletions.some((c) => c.usage)) this.#base._emit("totalUsage", this.#totalUsage());
  }

  #finalMessage(): ParsedChatCompletionMessage<ParsedT> | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i] as ChatCompletionMessageParam;
      if (message.role === "assistant")
        return { content: null, parsed: null, ...message } as ParsedChatCompletionMessage<ParsedT>;
    }
    return undefined;
  }

  #finalContent(): string | null {
    const content = this.#finalMessage()?.content;
    return typeof content === "string" ? content : null;
  }

  #finalFunctionToolCall(): ChatCompletionMessageFunctionToolCall.Function | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i] as ChatCompletionMessageParam;
      if (message.role !== "assistant") continue;
      const call = message.tool_calls?.filter((c) => c.type === "function").at(-1);
      if (call?.type === "function") return call.function;
    }
    return undefined;
  }

  #finalFunctionToolCallResult(): string | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i] as ChatCompletionMessageParam;
      if (message.role === "tool" && typeof message.content === "string") return message.content;
    }
    return undefined;
  }

  #totalUsage(): CompletionUsage {
    const total: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    for (const { usage } of this._chatCompletions) {
      if (!usage) continue;
      total.prompt_tokens += usage.prompt_tokens;
      total.completion_tokens += usage.completion_tokens;
      total.total_tokens += usage.total_tokens;
    }
    return total;
  }

  /**
   * The tool loop: ask, run the function tools the model calls (concurrently; one after the other
   * with `parallel_tool_calls: false`), send their results back, and repeat until the model answers
   * without calling tools, or calls the one tool `tool_choice` names, or the request budget is spent.
   */
  protected async _runTools(client: CompletionsCreate, request: RunToolsRequest, options: RunnerOptions): Promise<void> {
    const { tools: given, toolContext, stream: _stream, ...rest } = request;
    const { maxChatCompletions, maxRounds, afterCompletion, ...requestOptions } = options;
    const budget = maxChatCompletions ?? maxRounds ?? DEFAULT_MAX_CHAT_COMPLETIONS;
    const tools = toRunnerTools(given, this, toolContext);
    const byName = new Map(tools.map((t) => [t.name, t]));
    const named = typeof rest.tool_choice === "object" && rest.tool_choice ? rest.tool_choice.function.name : undefined;
    for (const message of request.messages) this._addMessage(message, false);
    const signal = this.controller.signal;
    for (let round = 0; round < budget; round++) {
      if (signal.aborted) throw new APIUserAbortError();
      const completion = await this._createChatCompletion(
        client,
        { ...rest, tools: tools.map((t) => t.definition), messages: this.messages.map(forRequest) },
        requestOptions,
      );
      const calls = (completion.choices[0]?.message.tool_calls ?? []).filter(
        (call): call is ChatCompletionMessageFunctionToolCall => call.type === "function",
      );
      if (calls.length > 0) {
        const answer = (call: ChatCompletionMessageFunctionToolCall) => this.#answer(byName, call, named, signal);
        const replies =
          named || rest.parallel_tool_calls === false
            ? await calls.reduce<Promise<ChatCompletionToolMessageParam[]>>(
                async (done, call) => [...(await done), await answer(call)],
                Promise.resolve([]),
              )
            : await Promise.all(calls.map(answer));
        if (signal.aborted) throw new APIUserAbortError();
        // Results go back in the order the model made the calls.
        for (const reply of replies) this._addMessage(reply);
      }
      await afterCompletion?.(completion, this);
      if (calls.length === 0 || (named && calls.some((c) => c.function.name === named))) return;
    }
  }

  /** Runs one function call and returns the tool message that answers it. */
  async #answer(
    byName: Map<string, RunnerTool>,
    call: ChatCompletionMessageFunctionToolCall,
    named: string | undefined,
    signal: AbortSignal,
  ): Promise<ChatCompletionToolMessageParam> {
    const reply = (content: string): ChatCompletionToolMessageParam => ({ role: "tool", tool_call_id: call.id, content });
    const tool = byName.get(call.function.name);
    if (!tool)
      return reply(
        `Invalid tool_call: ${JSON.stringify(call.function.name)}. Available options are: ${[...byName.keys()].map((n) => JSON.stringify(n)).join(", ")}. Please try again`,
      );
    if (named && named !== call.function.name)
      return reply(
        `Invalid tool_call: ${JSON.stringify(call.function.name)}. ${JSON.stringify(named)} requested. Please try again`,
      );
    return reply(await tool.run(call, signal));
  }
}

/** A message as the API takes it back: without what parsing added (`parsed`, `parsed_arguments`). */
function forRequest(message: ChatCompletionMessageParam): ChatCompletionMessageParam {
  if (message.role !== "assistant") return message;
  const { parsed: _, ...rest } = message as ChatCompletionMessage & { parsed?: unknown };
  const calls = rest.tool_calls?.map((call) =>
    call.type === "function" ? { ...call, function: { name: call.function.name, arguments: call.function.arguments } } : call,
  );
  return (calls ? { ...rest, tool_calls: calls } : rest) as ChatCompletionMessageParam;
}
