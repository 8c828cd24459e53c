import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from "@aimlapi-sdk/types";

export const MODEL = "openai/gpt-4.1-2025-04-14" as const;
export const API_KEY = "bench-key";

/** The request every contender sends. */
export const params: ChatCompletionCreateParamsNonStreaming = {
  model: MODEL,
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Say hello in five words." },
  ],
  temperature: 0.2,
};

/** The canned completion every contender parses. */
export const completion: ChatCompletion = {
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_762_343_744,
  model: MODEL,
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Hello there, nice to meet!", refusal: null },
      finish_reason: "stop",
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 24, completion_tokens: 7, total_tokens: 31 },
};
export const completionText = JSON.stringify(completion);

/** `count` SSE chunks of a streamed reply, then `[DONE]`, as one buffer. */
export function sseBody(count: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = {
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created: 1_762_343_744,
      model: MODEL,
      choices: [{ index: 0, delta: { role: "assistant", content: `tok${i % 97} ` }, finish_reason: null, logprobs: null }],
    };
    parts.push(`data: ${JSON.stringify(chunk)}\n\n`);
  }
  parts.push("data: [DONE]\n\n");
  return Buffer.from(parts.join(""));
}
