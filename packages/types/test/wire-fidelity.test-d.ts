/**
 * The types follow what the API sends (the effective spec: upstream + specs/overlays), so everyday
 * OpenAI-style code compiles and the unsound forms do not.
 */
import { describe, expectTypeOf, test } from "vitest";
import type {
  ChatCompletion,
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionChunkDelta,
  ChatCompletionChunkFinishReason,
  ChatCompletionCreateParams,
  ChatCompletionFinishReason,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from "../src/index";

declare const completion: ChatCompletion;
declare const chunk: ChatCompletionChunk;

describe("everyday code compiles", () => {
  test("a reply goes back into messages as it came (the tool-call round trip)", () => {
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Lisbon?" }];
    const reply = completion.choices[0];
    if (reply) messages.push(reply.message);
    expectTypeOf<ChatCompletionMessage>().toMatchTypeOf<ChatCompletionMessageParam>();
    expectTypeOf<ChatCompletionMessage>().toMatchTypeOf<ChatCompletionAssistantMessageParam>();
  });

  test("an assistant tool-call turn with content: null", () => {
    const turn: ChatCompletionMessageParam = {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Lisbon"}' } }],
    };
    expectTypeOf(turn).toMatchTypeOf<ChatCompletionMessageParam>();
  });

  test("a reply's role is 'assistant' and its content may be null", () => {
    expectTypeOf<ChatCompletionMessage["role"]>().toEqualTypeOf<"assistant">();
    expectTypeOf<ChatCompletionMessage["content"]>().toEqualTypeOf<string | null>();
    const text = completion.choices[0]?.message.content ?? "";
    expectTypeOf(text).toEqualTypeOf<string>();
  });

  test("tool calls are function or custom calls, narrowed by type", () => {
    expectTypeOf<ChatCompletionMessageToolCall["type"]>().toEqualTypeOf<"function" | "custom">();
    expectTypeOf<ChatCompletionMessageFunctionToolCall["function"]["arguments"]>().toEqualTypeOf<string>();
    for (const call of completion.choices[0]?.message.tool_calls ?? []) {
      if (call.type === "function") expectTypeOf(call.function.name).toEqualTypeOf<string>();
      else expectTypeOf(call.custom.input).toEqualTypeOf<string>();
    }
  });

  test("a chunk's finish_reason is null until the end", () => {
    const finish = chunk.choices[0]?.finish_reason;
    if (finish === null) expectTypeOf(finish).toEqualTypeOf<null>();
    expectTypeOf<ChatCompletionChunkFinishReason>().toEqualTypeOf<
      "length" | "function_call" | "stop" | "tool_calls" | "content_filter" | null
    >();
    expectTypeOf<ChatCompletionFinishReason>().toEqualTypeOf<
      "stop" | "length" | "content_filter" | "tool_calls" | "function_call"
    >();
  });

  test("a delta's role is optional and its content nullable; tool-call fragments carry only their index for sure", () => {
    const empty: ChatCompletionChunkDelta = {};
    const toolFragment: ChatCompletionChunkDelta = { content: null, tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] };
    expectTypeOf(empty).toMatchTypeOf<ChatCompletionChunkDelta>();
    expectTypeOf(toolFragment).toMatchTypeOf<ChatCompletionChunkDelta>();
    expectTypeOf<ChatCompletionChunkDelta["role"]>().toEqualTypeOf<
      "user" | "assistant" | "developer" | "system" | "tool" | undefined
    >();
    expectTypeOf<ChatCompletionChunkDelta["content"]>().toEqualTypeOf<string | null | undefined>();
  });

  test("stop is a string, strings or null", () => {
    expectTypeOf<ChatCompletionCreateParams["stop"]>().toEqualTypeOf<string | string[] | null | undefined>();
    const params: ChatCompletionCreateParams = { model: "openai/gpt-4.1-2025-04-14", messages: [], stop: ["\n\n", "END"] };
    void params;
  });

  test("chunks and completions declare the fields the wire carries", () => {
    expectTypeOf<ChatCompletionChunk["system_fingerprint"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<ChatCompletion["system_fingerprint"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<NonNullable<ChatCompletionChunk["usage"]>["total_tokens"]>().toEqualTypeOf<number>();
  });
});

describe("unsound code is rejected", () => {
  test("content used without a null check", () => {
    const reply = completion.choices[0];
    if (reply) {
      // @ts-expect-error content is null when the model calls tools
      void reply.message.content.length;
    }
  });

  test("a chunk's finish_reason used as if it were always set", () => {
    const choice = chunk.choices[0];
    if (choice) {
      // @ts-expect-error finish_reason is null on every chunk but the last
      const reason: NonNullable<ChatCompletionChunkFinishReason> = choice.finish_reason;
      void reason;
    }
  });

  test("a delta's role read as always present", () => {
    const delta = chunk.choices[0]?.delta;
    if (delta) {
      // @ts-expect-error role comes only in a choice's first delta
      const role: "assistant" = delta.role;
      void role;
    }
  });

  test("stop of another type, and a reply role other than assistant", () => {
    // @ts-expect-error stop is a string, strings or null
    const params: ChatCompletionCreateParams = { model: "openai/gpt-4.1-2025-04-14", messages: [], stop: 42 };
    // @ts-expect-error a reply is always the assistant's
    const message: ChatCompletionMessage = { role: "user", content: "x" };
    void params;
    void message;
  });
});
