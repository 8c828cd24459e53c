/**
 * Folds stream chunks into the completion they add up to, and keeps the snapshot so far: content
 * and refusal text concatenated, tool-call fragments merged by `index` (the first fragment carries
 * the id and name, later ones append to `arguments`), logprobs appended, the last finish reason and
 * the usage chunk kept.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionRole,
  ChatCompletionTokenLogprob,
  CompletionUsage,
} from "@aimlapi-sdk/types";

/** The completion rebuilt from a stream; `usage` is present only when the stream carried it (`stream_options.include_usage`). */
export interface AccumulatedChatCompletion extends Omit<ChatCompletion, "usage"> {
  usage?: CompletionUsage;
}

/** The completion as far as the stream has come: fields of a choice may still be incomplete. */
export interface ChatCompletionSnapshot {
  id: string;
  choices: ChatCompletionSnapshot.Choice[];
  created: number;
  model: string;
  system_fingerprint?: string | null;
  usage?: CompletionUsage;
}

export declare namespace ChatCompletionSnapshot {
  /** A choice so far. */
  export interface Choice {
    index: number;
    message: Choice.Message;
    /** Null until the choice's last chunk. */
    finish_reason: ChatCompletion.Choice["finish_reason"] | null;
    logprobs: { content: ChatCompletionTokenLogprob[] | null; refusal: ChatCompletionTokenLogprob[] | null } | null;
  }

  export namespace Choice {
    /** The message so far. */
    export interface Message {
      role?: ChatCompletionRole;
      content?: string | null;
      refusal?: string | null;
      /** The structured output parsed so far, when the request's format is parseable. */
      parsed?: unknown;
      tool_calls?: Message.ToolCall[];
    }

    export namespace Message {
      /** A function call so far: `arguments` may be incomplete JSON. */
      export interface ToolCall {
        id: string;
        type: "function";
        function: { name: string; arguments: string; parsed_arguments?: unknown };
      }
    }
  }
}

/** Folds chunks one by one; `snapshot` is the completion so far, `result()` the completion at the end. */
export class ChatCompletionAccumulator {
  /** The completion as far as the chunks added so far go (undefined before the first). */
  snapshot: ChatCompletionSnapshot | undefined;

  /** Adds one chunk and returns the snapshot it leads to. */
  add(chunk: ChatCompletionChunk): ChatCompletionSnapshot {
    let snapshot = this.snapshot;
    if (!snapshot) {
      snapshot = this.snapshot = { id: chunk.id, choices: [], created: chunk.created, model: chunk.model };
      if (chunk.system_fingerprint !== undefined) snapshot.system_fingerprint = chunk.system_fingerprint;
    }
    if (chunk.usage) snapshot.usage = chunk.usage;
    for (const { index, delta, finish_reason, logprobs } of chunk.choices) {
      let choice = snapshot.choices.find((c) => c.index === index);
      if (!choice) {
        choice = { index, message: {}, finish_reason: null, logprobs: null };
        snapshot.choices.push(choice);
        snapshot.choices.sort((a, b) => a.index - b.index);
      }
      if (finish_reason) choice.finish_reason = finish_reason;
      if (logprobs) {
        choice.logprobs ??= { content: null, refusal: null };
        const kept = choice.logprobs;
        if (logprobs.content) {
          kept.content ??= [];
          kept.content.push(...logprobs.content);
        }
        if (logprobs.refusal) {
          kept.refusal ??= [];
          kept.refusal.push(...logprobs.refusal);
        }
      }
      const message = choice.message;
      if (delta.role) message.role = delta.role;
      // Content stays null until some arrives, as in a completion that only calls tools.
      if (typeof delta.content === "string") message.content = (message.content ?? "") + delta.content;
      else if (delta.content === null && message.content === undefined) message.content = null;
      if (typeof delta.refusal === "string") message.refusal = (message.refusal ?? "") + delta.refusal;
      else if (delta.refusal === null && message.refusal === undefined) message.refusal = null;
      for (const fragment of delta.tool_calls ?? []) {
        message.tool_calls ??= [];
        const calls = message.tool_calls;
        const call = calls[fragment.index];
        if (!call) {
          calls[fragment.index] = {
            id: fragment.id ?? "",
            type: "function",
            function: { name: fragment.function?.name ?? "", arguments: fragment.function?.arguments ?? "" },
          };
          continue;
        }
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.function.name ||= fragment.function.name;
        if (fragment.function?.arguments) call.function.arguments += fragment.function.arguments;
      }
    }
    return snapshot;
  }

  /** The completion the chunks add up to (complete once the stream has ended). */
  result(): AccumulatedChatCompletion {
    const snapshot = this.snapshot;
    if (!snapshot) throw new Error("no chunk was received");
    const completion: AccumulatedChatCompletion = {
      id: snapshot.id,
      object: "chat.completion",
      created: snapshot.created,
      model: snapshot.model,
      choices: snapshot.choices.map(({ index, message: m, finish_reason, logprobs }) => {
        // Tool-call indexes may start above 0 or skip; holes are dropped.
        const toolCalls: ChatCompletionMessageFunctionToolCall[] = (m.tool_calls ?? []).filter(Boolean).map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.function.name, arguments: call.function.arguments },
        }));
        // A stream that sent neither content nor tool calls still produced an (empty) text reply.
        const message: ChatCompletionMessage = {
          role: "assistant",
          content: m.content ?? (toolCalls.length > 0 ? null : ""),
          refusal: m.refusal ?? null,
        };
        if (toolCalls.length > 0) message.tool_calls = toolCalls;
        return { index, message, finish_reason: finish_reason ?? "stop", logprobs };
      }),
    };
    if (snapshot.usage) completion.usage = snapshot.usage;
    if (snapshot.system_fingerprint !== undefined) completion.system_fingerprint = snapshot.system_fingerprint;
    return completion;
  }
}

/** Rebuilds the completion from a whole sequence of chunks (a stream, or chunks you kept). */
export async function accumulateChatCompletion(
  chunks: AsyncIterable<ChatCompletionChunk> | Iterable<ChatCompletionChunk>,
): Promise<AccumulatedChatCompletion> {
  const acc = new ChatCompletionAccumulator();
  for await (const chunk of chunks) acc.add(chunk);
  return acc.result();
}
