/**
 * openai-node's names and nested names for the same shapes, so that code written for `openai`
 * compiles after changing its imports: `OpenAI.Chat.Completions.X` is `X` here.
 */
import { describe, expectTypeOf, test } from "vitest";
import type {
  ChatCompletion,
  ChatCompletionAudioParam,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionModality,
  ChatCompletionNamedToolChoice,
  ChatCompletionReasoningEffort,
  ChatCompletionRole,
  ChatCompletionStreamOptions,
  ChatCompletionTokenLogprob,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
  CompletionUsage,
  FunctionDefinition,
  ResponseFormatJSONSchema,
} from "../src/index";

declare const completion: ChatCompletion;
declare const chunk: ChatCompletionChunk;

describe("openai-node's names", () => {
  test("nested names of the completion, the chunk and the message", () => {
    expectTypeOf<ChatCompletion["choices"][number]>().toEqualTypeOf<ChatCompletion.Choice>();
    expectTypeOf<ChatCompletion.Choice["message"]>().toEqualTypeOf<ChatCompletionMessage>();
    expectTypeOf<NonNullable<ChatCompletion.Choice["logprobs"]>>().toEqualTypeOf<ChatCompletion.Choice.Logprobs>();
    expectTypeOf<ChatCompletionChunk["choices"][number]>().toEqualTypeOf<ChatCompletionChunk.Choice>();
    expectTypeOf<ChatCompletionChunk.Choice["delta"]>().toEqualTypeOf<ChatCompletionChunk.Choice.Delta>();
    expectTypeOf<
      NonNullable<ChatCompletionChunk.Choice.Delta["tool_calls"]>[number]
    >().toEqualTypeOf<ChatCompletionChunk.Choice.Delta.ToolCall>();
    expectTypeOf<ChatCompletionChunk.Choice.Delta.ToolCall.Function["arguments"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<ChatCompletionMessage["annotations"]>[number]>().toEqualTypeOf<ChatCompletionMessage.Annotation>();
    expectTypeOf<ChatCompletionMessage.Annotation.URLCitation["url"]>().toEqualTypeOf<string>();
    expectTypeOf<ChatCompletionMessageFunctionToolCall.Function["name"]>().toEqualTypeOf<string>();
    expectTypeOf<ChatCompletionTokenLogprob.TopLogprob["logprob"]>().toEqualTypeOf<number>();
    expectTypeOf<CompletionUsage.PromptTokensDetails["cached_tokens"]>().toEqualTypeOf<number | null | undefined>();
  });

  test("a chunk's delta is always there (`choices[0]?.delta.content` compiles)", () => {
    const text: string = chunk.choices[0]?.delta.content ?? "";
    void text;
  });

  test("the same shape has the same name wherever it appears", () => {
    expectTypeOf<NonNullable<ChatCompletionChunk["usage"]>>().toEqualTypeOf<CompletionUsage>();
    expectTypeOf<NonNullable<ChatCompletion.Choice.Logprobs["refusal"]>[number]>().toEqualTypeOf<ChatCompletionTokenLogprob>();
    type AssistantToolCalls = NonNullable<Extract<ChatCompletionMessageParam, { role: "assistant" }>["tool_calls"]>;
    expectTypeOf<AssistantToolCalls[number]>().toEqualTypeOf<ChatCompletionMessageToolCall>();
  });

  test("request shapes: content parts, tools, tool choice, formats, stream options", () => {
    expectTypeOf<ChatCompletionContentPart>().toEqualTypeOf<
      ChatCompletionContentPartText | ChatCompletionContentPartImage | ChatCompletionContentPart.File
    >();
    expectTypeOf<ChatCompletionContentPartImage.ImageURL["url"]>().toEqualTypeOf<string>();
    expectTypeOf<ChatCompletionContentPart.File.File["filename"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ChatCompletionTool>().toEqualTypeOf<ChatCompletionFunctionTool>();
    expectTypeOf<ChatCompletionFunctionTool["function"]>().toEqualTypeOf<FunctionDefinition>();
    expectTypeOf<ChatCompletionNamedToolChoice.Function["name"]>().toEqualTypeOf<string>();
    expectTypeOf<"auto">().toMatchTypeOf<ChatCompletionToolChoiceOption>();
    expectTypeOf<ResponseFormatJSONSchema.JSONSchema["name"]>().toEqualTypeOf<string>();
    expectTypeOf<ChatCompletionStreamOptions["include_usage"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ChatCompletionRole>().toEqualTypeOf<"user" | "developer" | "system" | "tool" | "assistant">();
  });

  test("ChatCompletionCreateParams is the union of the streaming and non-streaming params", () => {
    expectTypeOf<ChatCompletionCreateParams>().toEqualTypeOf<
      ChatCompletionCreateParamsNonStreaming | ChatCompletionCreateParamsStreaming
    >();
    expectTypeOf<ChatCompletionCreateParamsStreaming>().toMatchTypeOf<ChatCompletionCreateParamsBase>();
    expectTypeOf<ChatCompletionCreateParams.ChatCompletionCreateParamsStreaming>().toEqualTypeOf<ChatCompletionCreateParamsStreaming>();
    // A value annotated with the union narrows by `stream`, as in openai-node.
    const streaming: ChatCompletionCreateParams = { model: "openai/gpt-4.1-2025-04-14", messages: [], stream: true };
    expectTypeOf(streaming).toEqualTypeOf<ChatCompletionCreateParamsStreaming>();
    const plain: ChatCompletionCreateParams = { model: "openai/gpt-4.1-2025-04-14", messages: [] };
    expectTypeOf(plain).toEqualTypeOf<ChatCompletionCreateParamsNonStreaming>();
    // `stream: boolean` fits the union too (it is either member).
    const dynamic = { model: "openai/gpt-4.1-2025-04-14", messages: [], stream: Math.random() > 0.5 };
    const either: ChatCompletionCreateParams = dynamic;
    void either;
  });

  test("where AIML's spec says otherwise than OpenAI's, AIML's truth wins", () => {
    // A function's parameters are required by AIML.
    // @ts-expect-error parameters is required
    const tool: ChatCompletionTool = { type: "function", function: { name: "f" } };
    // gpt-4.1 takes no audio output parameters (the name exists, for code that names it).
    const audio: ChatCompletionAudioParam = { format: "mp3", voice: "alloy" };
    // @ts-expect-error no `audio` field on this model's request
    const params: ChatCompletionCreateParams = { model: "openai/gpt-4.1-2025-04-14", messages: [], audio };
    expectTypeOf<ChatCompletionModality>().toEqualTypeOf<"text" | "audio">();
    expectTypeOf<"low">().toMatchTypeOf<ChatCompletionReasoningEffort>();
    void tool;
    void params;
  });

  test("completion fields read as in openai-node", () => {
    const first = completion.choices[0];
    if (first) {
      expectTypeOf(first.message.tool_calls).toEqualTypeOf<ChatCompletionMessageToolCall[] | null | undefined>();
      expectTypeOf(completion.usage.prompt_tokens_details).toEqualTypeOf<
        CompletionUsage.PromptTokensDetails | null | undefined
      >();
    }
  });
});
