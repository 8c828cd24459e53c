/**
 * Type tests (checked by `tsc` in `pnpm typecheck`): `create` checks each documented model id
 * against its own spec, takes any id typed as `string`, and refuses a misspelled literal.
 */
import type { ChatCompletion, ChatCompletionChunk, ModelCompletions, ModelId } from "@aimlapi-sdk/types";
import { describe, expectTypeOf, test } from "vitest";
import { createClient, type Stream } from "../src/index";

const client = createClient({ apiKey: "k" });
const messages = [{ role: "user" as const, content: "Hi" }];

describe("create() per model", () => {
  test("a model's own parameters compile", () => {
    void client.chat.completions.create({ model: "google/gemma-3n-e4b-it", messages, top_k: 40, min_p: 0.05 });
    void client.chat.completions.create({ model: "anthropic/claude-sonnet-4", messages, reasoning_effort: "low" });
    void client.chat.completions.create({ model: "openai/gpt-4o", messages, tools: [] });
  });

  test("a parameter the model's spec lacks does not", () => {
    // @ts-expect-error gpt-4o's spec has no top_k
    void client.chat.completions.create({ model: "openai/gpt-4o", messages, top_k: 40 });
    // @ts-expect-error gemma-3n's spec has no tools
    void client.chat.completions.create({ model: "google/gemma-3n-e4b-it", messages, tools: [] });
    // @ts-expect-error gpt-4.1's spec has no min_p
    void client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages, min_p: 0.1 });
  });

  test("a misspelled literal id does not compile; an id typed as string does", () => {
    // @ts-expect-error no model is called this
    void client.chat.completions.create({ model: "openai/gpt-4o-typo", messages });
    const newer: string = "provider/model-newer-than-the-pin";
    void client.chat.completions.create({ model: newer, messages, temperature: 0.2 });
  });

  test("the reply and the stream are the model's own types", async () => {
    const completion = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages });
    expectTypeOf(completion).toEqualTypeOf<ChatCompletion>();
    const other = await client.chat.completions.create({ model: "Qwen/QwQ-32B", messages });
    expectTypeOf(other).toEqualTypeOf<ModelCompletions["Qwen/QwQ-32B"]>();
    const stream = await client.chat.completions.create({ model: "openai/gpt-4o", messages, stream: true });
    expectTypeOf(stream).toEqualTypeOf<Stream<ChatCompletionChunk>>();
    const wide = await client.chat.completions.create({ model: "x" as string, messages });
    expectTypeOf(wide).toEqualTypeOf<ChatCompletion>();
    expectTypeOf<"Qwen/QwQ-32B">().toMatchTypeOf<ModelId>();
  });
});
