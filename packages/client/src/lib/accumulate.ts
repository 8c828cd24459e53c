import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionChunkToolCall,
  ChatCompletionFinishReason,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  CompletionUsage,
} from "@aimlapi-sdk/types";

/** The completion rebuilt from a stream; `usage` is present only when the request asked for it (`stream_options.include_usage`). */
export type AccumulatedChatCompletion = Omit<ChatCompletion, "usage"> & {
  usage: CompletionUsage | undefined;
};

interface ChoiceState {
  index: number;
  content: string | null;
  refusal: string | null;
  finishReason: ChatCompletionFinishReason | undefined;
  toolCalls: ChatCompletionMessageFunctionToolCall[];
  logprobs: NonNullable<ChatCompletionChoice["logprobs"]>["content"];
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
  private systemFingerprint: string | null | undefined;
  private usage: CompletionUsage | undefined;
  private readonly choices = new Map<number, ChoiceState>();

  /** Adds one chunk. */
  add(chunk: ChatCompletionChunk): void {
    this.id ||= chunk.id;
    this.created ||= chunk.created;
    this.model ||= chunk.model;
    this.systemFingerprint ??= chunk.system_fingerprint;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const state = this.choice(choice.index);
      const delta = choice.delta;
      if (delta) {
        // Content stays null until some arrives, as in a completion that only calls tools.
        if (typeof delta.content === "string") state.content = (state.content ?? "") + delta.content;
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
      .map((c): ChatCompletionChoice => {
        // A stream that sent neither content nor tool calls still produced an (empty) text reply.
        const message: ChatCompletionMessage = {
          role: "assistant",
          content: c.content ?? (c.toolCalls.length > 0 ? null : ""),
          refusal: c.refusal,
        };
        // Tool-call indexes may start above 0 or skip; holes are dropped.
        const toolCalls = c.toolCalls.filter(Boolean);
        if (toolCalls.length > 0) message.tool_calls = toolCalls;
        return {
          index: c.index,
          message,
          finish_reason: c.finishReason ?? "stop",
          logprobs: c.logprobs ? { content: c.logprobs, refusal: null } : null,
        };
      });
    const completion: AccumulatedChatCompletion = {
      id: this.id,
      object: "chat.completion",
      created: this.created,
      model: this.model,
      choices,
      usage: this.usage,
    };
    if (this.systemFingerprint !== undefined) completion.system_fingerprint = this.systemFingerprint;
    return completion;
  }

  private choice(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { index, content: null, refusal: null, finishReason: undefined, toolCalls: [], logprobs: null };
      this.choices.set(index, state);
    }
    return state;
  }
}

function mergeToolCall(calls: ChatCompletionMessageFunctionToolCall[], fragment: ChatCompletionChunkToolCall): void {
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
