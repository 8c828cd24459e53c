import type { ChatCompletion } from "@aimlapi-sdk/types";

/** A completion shaped as the spec's 200 application/json schema. */
export const completion: ChatCompletion = {
  id: "chatcmpl-test-1",
  object: "chat.completion",
  created: 1_762_343_744,
  model: "openai/gpt-4.1-2025-04-14",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Hello there!", refusal: null },
      finish_reason: "stop",
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
};
