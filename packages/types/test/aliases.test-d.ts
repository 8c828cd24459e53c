import { describe, expectTypeOf, test } from "vitest";
import type {
  ChatCompletion,
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsBase,
  ChatCompletionDeveloperMessageParam,
  ChatCompletionMessageParam,
  ChatCompletionSystemMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoice,
  ChatCompletionToolMessageParam,
  ChatCompletionUserMessageParam,
  CompletionUsage,
  ModelId,
  paths,
  ResponseFormat,
} from "../src/index";

/** True only for `any`. */
type IsAny<T> = 0 extends 1 & T ? true : false;
/** True for `any`, `unknown` or `never`: the imprecise types an alias must never collapse to. */
type IsImprecise<T> = IsAny<T> extends true ? true : [T] extends [never] ? true : unknown extends T ? true : false;

describe("named aliases are precise", () => {
  test("none is any, unknown or never", () => {
    expectTypeOf<IsImprecise<ChatCompletionCreateParams>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletion>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionChunk>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionMessageParam>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionUserMessageParam>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionSystemMessageParam>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionDeveloperMessageParam>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionAssistantMessageParam>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionToolMessageParam>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionTool>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ChatCompletionToolChoice>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ResponseFormat>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<CompletionUsage>>().toEqualTypeOf<false>();
    expectTypeOf<IsImprecise<ModelId>>().toEqualTypeOf<false>();
  });

  test("ModelId holds the flagship's literal id among the model set's, and no open string", () => {
    expectTypeOf<"openai/gpt-4.1-2025-04-14">().toMatchTypeOf<ModelId>();
    expectTypeOf<"anthropic/claude-sonnet-4">().toMatchTypeOf<ModelId>();
    expectTypeOf<string extends ModelId ? true : false>().toEqualTypeOf<false>();
  });

  test("the named types are the generated paths' own", () => {
    type Body = paths["/v1/chat/completions"]["post"]["requestBody"]["content"]["application/json"];
    expectTypeOf<Body>().toMatchTypeOf<ChatCompletionCreateParams>();
    expectTypeOf<Omit<Body, "model">>().toEqualTypeOf<Omit<ChatCompletionCreateParamsBase, "model">>();
    expectTypeOf<ChatCompletion>().toEqualTypeOf<
      paths["/v1/chat/completions"]["post"]["responses"][200]["content"]["application/json"]
    >();
    expectTypeOf<ChatCompletionChunk>().toEqualTypeOf<
      paths["/v1/chat/completions"]["post"]["responses"][200]["content"]["text/event-stream"]
    >();
  });

  test("ChatCompletion and ChatCompletionChunk are distinct, not a union", () => {
    expectTypeOf<ChatCompletion["object"]>().toEqualTypeOf<"chat.completion">();
    expectTypeOf<ChatCompletionChunk["object"]>().toEqualTypeOf<"chat.completion.chunk">();
    expectTypeOf<ChatCompletionChunk>().not.toMatchTypeOf<ChatCompletion>();
    expectTypeOf<ChatCompletion>().not.toMatchTypeOf<ChatCompletionChunk>();
  });

  test("per-role message variants are narrowed by role", () => {
    expectTypeOf<ChatCompletionUserMessageParam["role"]>().toEqualTypeOf<"user">();
    expectTypeOf<ChatCompletionSystemMessageParam["role"]>().toEqualTypeOf<"system">();
    expectTypeOf<ChatCompletionDeveloperMessageParam["role"]>().toEqualTypeOf<"developer">();
    expectTypeOf<ChatCompletionAssistantMessageParam["role"]>().toEqualTypeOf<"assistant">();
    expectTypeOf<ChatCompletionToolMessageParam["role"]>().toEqualTypeOf<"tool">();
    expectTypeOf<ChatCompletionToolMessageParam>().toHaveProperty("tool_call_id");
  });

  test("a message without role is rejected; a user message is accepted", () => {
    const ok: ChatCompletionMessageParam = { role: "user", content: "Hello" };
    expectTypeOf(ok).toMatchTypeOf<ChatCompletionMessageParam>();
    // @ts-expect-error role is required
    const noRole: ChatCompletionMessageParam = { content: "Hello" };
    // @ts-expect-error an unknown role is rejected
    const badRole: ChatCompletionMessageParam = { role: "robot", content: "Hello" };
    void noRole;
    void badRole;
  });

  test("request params accept the documented shape, and any model id as a string", () => {
    const params: ChatCompletionCreateParams = {
      model: "openai/gpt-4.1-2025-04-14",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      tool_choice: "auto",
      response_format: { type: "json_object" },
    };
    expectTypeOf(params).toMatchTypeOf<ChatCompletionCreateParams>();
    // A model newer than the pinned spec: any string (`process.env.MODEL ?? "…"` compiles).
    const fromEnv = (globalThis as { MODEL?: string }).MODEL ?? "openai/gpt-4.1-2025-04-14";
    const newer: ChatCompletionCreateParams = { model: fromEnv, messages: [] };
    void newer;
    // The documented ids stay literal, for completion in editors.
    expectTypeOf<ModelId>().toMatchTypeOf<ChatCompletionCreateParams["model"]>();
    // @ts-expect-error a model is still required
    const noModel: ChatCompletionCreateParams = { messages: [] };
    void noModel;
  });

  test("usage and tool types have their fields", () => {
    expectTypeOf<CompletionUsage["total_tokens"]>().toEqualTypeOf<number>();
    expectTypeOf<ChatCompletionTool["type"]>().toEqualTypeOf<"function">();
    expectTypeOf<"none">().toMatchTypeOf<ChatCompletionToolChoice>();
    expectTypeOf<ResponseFormat["type"]>().toEqualTypeOf<"text" | "json_object" | "json_schema">();
  });
});
