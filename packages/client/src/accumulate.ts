import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionChunkToolCall,
  ChatCompletionMessage,
  ChatCompletionMessageToolCall,
  CompletionUsage,
} from "@aimlapi-sdk/types";

/** A choice rebuilt from a stream (the chunk schema allows one more finish reason, `function_call`). */
export type AccumulatedChoice = Omit<ChatCompletionChoice, "finish_reason"> & {
  finish_reason: NonNullable<ChatCompletionChunkChoice["finish_reason"]>;
};

/** The completion rebuilt from a stream; `usage` is present only when the request asked for it (`stream_options.include_usage`). */
export type AccumulatedChatCompletion = Omit<ChatCompletion, "usage" | "choices"> & {
  choices: AccumulatedChoice[];
  usage: CompletionUsage | undefined;
};

type FunctionToolCall = Extract<ChatCompletionMessageToolCall, { type: "function" }>;

interface ChoiceState {
  index: number;
  content: string;
  refusal: string | null;
  role: string;
  finishReason: AccumulatedChoice["finish_reason"] | undefined;
  toolCalls: FunctionToolCall[];
  logprobs: unknown[] | null;
}

/**
 * Folds stream chunks into the completion they add up to: content and refusal text concatenated,
 * tool-call fragments merged by `index` (the first fragment carries id and name, later ones append
 * to `arguments`), the last finish reason and the usage chunk kept.
 */
export class ChatCompletionAccumulator {
  private id = "";
  private created = 0;
  private model = "";
  private usage: CompletionUsage | undefined;
  private readonly choices = new Map<number, ChoiceState>();

  /** Adds one chunk. */
  add(chunk: ChatCompletionChunk): void {
    this.id ||= chunk.id;
    this.created ||= chunk.created;
    this.model ||= chunk.model;
    if (chunk.usage) this.usage = chunk.usage as CompletionUsage;
    for (const choice of chunk.choices) {
      const state = this.choice(choice.index);
      const delta = choice.delta;
      if (delta) {
        if (delta.role) state.role = delta.role;
        if (delta.content) state.content += delta.content;
        if (delta.refusal) state.refusal = (state.refusal ?? "") + delta.refusal;
        for (const fragment of delta.tool_calls ?? []) mergeToolCall(state.toolCalls, fragment);
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
      if (choice.logprobs?.content) {
        state.logprobs ??= [];
        state.logprobs.push(...choice.logprobs.content);
      }
    }
  }

  /** The completion so far (complete once the stream has ended). */
  result(): AccumulatedChatCompletion {
    const choices = [...this.choices.values()]
      .sort((a, b) => a.index - b.index)
      .map((c): AccumulatedChoice => {
        const message: ChatCompletionMessage = { role: c.role, content: c.content, refusal: c.refusal };
        // Tool-call indexes may start above 0 or skip; holes are dropped.
        const toolCalls = c.toolCalls.filter(Boolean);
        if (toolCalls.length > 0) message.tool_calls = toolCalls;
        return {
          index: c.index,
          message,
          finish_reason: c.finishReason ?? "stop",
          logprobs: c.logprobs ? ({ content: c.logprobs } as ChatCompletionChoice["logprobs"]) : null,
        };
      });
    return { id: this.id, object: "chat.completion", created: this.created, model: this.model, choices, usage: this.usage };
  }

  private choice(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { index, content: "", refusal: null, role: "assistant", finishReason: undefined, toolCalls: [], logprobs: null };
      this.choices.set(index, state);
    }
    return state;
  }
}

function mergeToolCall(calls: FunctionToolCall[], fragment: ChatCompletionChunkToolCall): void {
  const existing = calls[fragment.index];
  if (!existing) {
    calls[fragment.index] = {
      id: fragment.id ?? "",
      type: "function",
      function: { name: fragment.function?.name ?? "", arguments: fragment.function?.arguments ?? "" },
    };
    return;
  }
  if (fragment.id) existing.id = fragment.id;
  if (fragment.function?.name) existing.function.name ||= fragment.function.name;
  if (fragment.function?.arguments) existing.function.arguments += fragment.function.arguments;
}

/** Rebuilds the completion from a whole sequence of chunks (a stream, or chunks you kept). */
export async function accumulateChatCompletion(
  chunks: AsyncIterable<ChatCompletionChunk> | Iterable<ChatCompletionChunk>,
): Promise<AccumulatedChatCompletion> {
  const acc = new ChatCompletionAccumulator();
  for await (const chunk of chunks) acc.add(chunk);
  return acc.result();
}
