/**
 * `runTools()`: ask, run the tools the model calls (concurrently, arguments validated by each tool's
 * schema), send their results back, and repeat until the model answers in words or `maxRounds` is
 * reached. Invalid arguments and a throwing tool become the tool's reply (the error text), so the
 * model can correct itself; API errors and aborts end the run.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  CompletionUsage,
} from "@aimlapi-sdk/types";
import { type AccumulatedChatCompletion, ChatCompletionAccumulator } from "../accumulate";
import { APIUserAbortError } from "../errors";
import type { RequestOptions } from "../options";
import type { Stream } from "../streaming";
import { HELPERS, type HelperContext } from "./carrier";
import { describeIssues } from "./schema";
import type { RunnableTool } from "./tools";

/** The request of a run: the usual parameters, with tools from `defineTool()`. */
export type RunToolsParams = Omit<ChatCompletionCreateParams, "tools" | "stream" | "stream_options"> & {
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type can share one run
  tools: RunnableTool<any>[];
  /** Stream each round's reply (steps of type "chunk" carry the chunks). */
  stream?: boolean;
};

/** Options of a run: the usual per-call options, and how many requests it may make. */
export interface RunToolsOptions extends RequestOptions {
  /** Most requests to the model in one run (default 10). */
  maxRounds?: number;
}

/** What a run reports as it goes. */
export type RunnerStep =
  | { type: "chunk"; round: number; chunk: ChatCompletionChunk }
  | { type: "message"; round: number; message: ChatCompletionMessage; completion: ChatCompletion | AccumulatedChatCompletion }
  | { type: "tool"; round: number; call: ChatCompletionMessageToolCall; content: string; error: unknown };

const DEFAULT_MAX_ROUNDS = 10;

/** The implementation tools from `defineTool()` carry: starts a run. */
export function runTools(context: HelperContext, params: unknown, options?: unknown): ToolRunner {
  return new ToolRunner(context, params as RunToolsParams, (options ?? {}) as RunToolsOptions);
}

/**
 * A run of the tool loop. It starts at once; iterate it for its steps, or await `finalContent()`,
 * `finalMessage()` or `done()`. `messages` is the transcript so far, `totalUsage` the tokens spent.
 */
export class ToolRunner implements AsyncIterable<RunnerStep> {
  /** The whole conversation: the request's messages, then every reply and tool result. */
  readonly messages: ChatCompletionMessageParam[];
  /** Tokens of every request of the run so far. */
  readonly totalUsage: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  readonly #steps: RunnerStep[] = [];
  #wake: (() => void) | undefined;
  #final: ChatCompletionMessage | undefined;
  readonly #done: Promise<void>;
  readonly #controller = new AbortController();
  #finished = false;

  constructor(context: HelperContext, params: RunToolsParams, options: RunToolsOptions) {
    this.messages = [...params.messages];
    const signal = options.signal;
    if (signal?.aborted) this.#controller.abort(signal.reason);
    else signal?.addEventListener("abort", () => this.#controller.abort(signal.reason), { once: true });
    this.#done = this.#run(context, params, options).finally(() => {
      this.#finished = true;
      this.#wake?.();
    });
    // Failures reach whoever awaits or iterates; a run nobody watches must not crash the process.
    this.#done.catch(() => {});
  }

  /** Stops the run: the request in flight and running tools get an aborted signal. */
  abort(): void {
    this.#controller.abort();
  }

  /** Resolves when the run has ended (rejects with its error). */
  done(): Promise<void> {
    return this.#done;
  }

  /** The model's last message. */
  async finalMessage(): Promise<ChatCompletionMessage> {
    await this.#done;
    return this.#final as ChatCompletionMessage;
  }

  /** The text of the model's last message (null when it ended by calling tools, at `maxRounds`). */
  async finalContent(): Promise<string | null> {
    return (await this.finalMessage()).content;
  }

  /** The steps of the run, as they happen (also those that happened before iteration began). */
  async *[Symbol.asyncIterator](): AsyncGenerator<RunnerStep> {
    for (let next = 0; ; ) {
      if (next < this.#steps.length) {
        yield this.#steps[next++] as RunnerStep;
        continue;
      }
      if (this.#finished) break;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    await this.#done;
  }

  #emit(step: RunnerStep): void {
    this.#steps.push(step);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #run(context: HelperContext, params: RunToolsParams, options: RunToolsOptions): Promise<void> {
    const { tools, stream, ...rest } = params;
    const { maxRounds = DEFAULT_MAX_ROUNDS, ...requestOptions } = options;
    const signal = this.#controller.signal;
    const byName = new Map(tools.map((tool) => [tool.function.name, tool]));
    for (let round = 1; round <= maxRounds; round++) {
      if (signal.aborted) throw new APIUserAbortError();
      const request = { ...rest, tools, messages: this.messages };
      const reply = stream
        ? await this.#streamRound(context, request, { ...requestOptions, signal }, round)
        : await context.create({ ...request, stream: false }, { ...requestOptions, signal });
      this.#count(reply.usage);
      const message = reply.choices[0]?.message;
      if (!message) throw new Error("The model sent no choice.");
      this.messages.push(message);
      this.#final = message;
      this.#emit({ type: "message", round, message, completion: reply });
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) return;
      // Parallel calls run concurrently; their results go back in the order the model made them.
      const results = await Promise.all(calls.map((call) => this.#call(byName, call, signal)));
      if (signal.aborted) throw new APIUserAbortError();
      for (const [i, call] of calls.entries()) {
        const { content, error } = results[i] as { content: string; error: unknown };
        this.messages.push({ role: "tool", tool_call_id: call.id, content });
        this.#emit({ type: "tool", round, call, content, error });
      }
    }
  }

  async #streamRound(
    context: HelperContext,
    request: ChatCompletionCreateParams,
    options: RequestOptions,
    round: number,
  ): Promise<AccumulatedChatCompletion> {
    const chunks = (await context.create(
      { ...request, stream: true, stream_options: { include_usage: true } },
      options,
    )) as Stream<ChatCompletionChunk>;
    const accumulator = new ChatCompletionAccumulator();
    for await (const chunk of chunks) {
      accumulator.add(chunk);
      this.#emit({ type: "chunk", round, chunk });
    }
    return accumulator.result();
  }

  /** Runs one tool call; what goes back to the model is the result, or the error's text. */
  async #call(
    byName: Map<string, RunnableTool<unknown>>,
    call: ChatCompletionMessageToolCall,
    signal: AbortSignal,
  ): Promise<{ content: string; error: unknown }> {
    const fail = (error: unknown) => ({ content: `Error: ${(error as Error)?.message ?? String(error)}`, error });
    if (call.type !== "function") return fail(new Error(`runTools cannot run custom tool calls ("${call.custom.name}")`));
    const tool = byName.get(call.function.name);
    if (!tool) return fail(new Error(`there is no tool named "${call.function.name}"`));
    let args: unknown;
    try {
      args = JSON.parse(call.function.arguments || "{}");
    } catch (error) {
      return fail(new Error(`the arguments are not valid JSON: ${(error as Error).message}`));
    }
    const checked = await tool[HELPERS].check(args);
    if (checked.issues) return fail(new Error(`invalid arguments for ${call.function.name}: ${describeIssues(checked.issues)}`));
    try {
      const result = await tool.execute(checked.value, { signal, call });
      return { content: typeof result === "string" ? result : JSON.stringify(result ?? null), error: undefined };
    } catch (error) {
      return fail(error);
    }
  }

  #count(usage: CompletionUsage | undefined): void {
    if (!usage) return;
    this.totalUsage.prompt_tokens += usage.prompt_tokens;
    this.totalUsage.completion_tokens += usage.completion_tokens;
    this.totalUsage.total_tokens += usage.total_tokens;
  }
}
