import { describe, expectTypeOf, test } from "vitest";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  CheckedModel,
  ModelChunk,
  ModelCompletion,
  ModelCreateParams,
  ModelId,
  ModelParams,
  ModelRequests,
} from "../src/index";

/** Whether a model's own parameters include `P`. */
type Takes<M extends ModelId, P extends string> = P extends keyof ModelParams<M> ? true : false;

describe("each model is typed by its own spec", () => {
  test("a model takes the parameters its spec documents, and no other", () => {
    // Facts of upstream's specs at api-docs f14fa72f (MODELS.md lists them).
    expectTypeOf<Takes<"google/gemma-3n-e4b-it", "top_k">>().toEqualTypeOf<true>();
    expectTypeOf<Takes<"google/gemma-3n-e4b-it", "tools">>().toEqualTypeOf<false>();
    expectTypeOf<Takes<"anthropic/claude-sonnet-4", "reasoning_effort">>().toEqualTypeOf<true>();
    expectTypeOf<Takes<"openai/gpt-4o", "top_k">>().toEqualTypeOf<false>();
    expectTypeOf<Takes<"openai/gpt-4o", "tools">>().toEqualTypeOf<true>();
    expectTypeOf<Takes<"openai/gpt-4.1-2025-04-14", "min_p">>().toEqualTypeOf<false>();
    expectTypeOf<Takes<"deepseek/deepseek-chat", "repetition_penalty">>().toEqualTypeOf<true>();
  });

  test("the flagship's id gets the flagship's named types", () => {
    expectTypeOf<ModelParams<"openai/gpt-4.1-2025-04-14">>().toEqualTypeOf<ModelRequests["openai/gpt-4.1-2025-04-14"]>();
    expectTypeOf<ModelCompletion<"openai/gpt-4.1-2025-04-14">>().toMatchTypeOf<ChatCompletion>();
    expectTypeOf<ModelChunk<"openai/gpt-4.1-2025-04-14">>().toMatchTypeOf<ChatCompletionChunk>();
  });

  test("an id typed as string gets the common types", () => {
    expectTypeOf<ModelParams<string>>().toEqualTypeOf<Omit<ChatCompletionCreateParamsBase, "model">>();
    expectTypeOf<ModelCompletion<string>>().toEqualTypeOf<ChatCompletion>();
    expectTypeOf<ModelChunk<string>>().toEqualTypeOf<ChatCompletionChunk>();
    // The common params' own `model` (documented ids or any string) is the same case.
    expectTypeOf<ModelCompletion<ChatCompletionCreateParamsBase["model"]>>().toEqualTypeOf<ChatCompletion>();
  });

  test("a documented literal is accepted as itself; a misspelled one is checked against ModelId", () => {
    expectTypeOf<CheckedModel<"openai/gpt-4o">>().toEqualTypeOf<"openai/gpt-4o">();
    expectTypeOf<CheckedModel<string>>().toEqualTypeOf<string>();
    expectTypeOf<CheckedModel<"openai/gpt-4o-typo">>().toEqualTypeOf<ModelId>();
  });

  test("create's body for a model is that model's request with its id", () => {
    expectTypeOf<{ model: "google/gemma-3n-e4b-it"; messages: []; top_k: 5 }>().toMatchTypeOf<
      ModelCreateParams<"google/gemma-3n-e4b-it">
    >();
    expectTypeOf<{ model: "openai/gpt-4o"; messages: [] }>().toMatchTypeOf<ModelCreateParams<"openai/gpt-4o">>();
    expectTypeOf<{ model: "openai/gpt-4o-typo"; messages: [] }>().not.toMatchTypeOf<ModelCreateParams<"openai/gpt-4o-typo">>();
  });
});
