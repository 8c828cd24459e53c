/**
 * Type tests (checked by `tsc` in `pnpm typecheck`): `parsed` and a tool's `execute` arguments are
 * inferred from the schema, whichever library made it.
 */
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expectTypeOf, test } from "vitest";
import { z } from "zod";
import { zodFunction, zodResponseFormat } from "../src/helpers/zod";
import {
  type ChatCompletionRunner,
  type ChatCompletionStream,
  type ChatCompletionStreamingRunner,
  type CompletionUsage,
  createClient,
  defineTool,
  jsonSchemaFormat,
  type ParsedChatCompletion,
} from "../src/index";

interface Recipe {
  title: string;
  minutes: number;
  tags?: string[] | undefined;
}

const client = createClient({ apiKey: "k" });
const base = { model: "openai/gpt-4.1-2025-04-14" as const, messages: [{ role: "user" as const, content: "Hi" }] };

const zodRecipe = z.object({ title: z.string(), minutes: z.number(), tags: z.array(z.string()).optional() });
const valibotRecipe = toStandardJsonSchema(
  v.object({ title: v.string(), minutes: v.number(), tags: v.optional(v.array(v.string())) }),
);
const arkRecipe = type({ title: "string", minutes: "number", "tags?": "string[]" });

describe("parse() infers `parsed` from the schema", () => {
  test("zod", async () => {
    const reply = await client.chat.completions.parse({ ...base, response_format: jsonSchemaFormat(zodRecipe, { name: "r" }) });
    expectTypeOf(reply).toEqualTypeOf<ParsedChatCompletion<{ title: string; minutes: number; tags?: string[] | undefined }>>();
    expectTypeOf(reply.choices[0]?.message.parsed).toEqualTypeOf<
      { title: string; minutes: number; tags?: string[] | undefined } | null | undefined
    >();
  });

  test("valibot", async () => {
    const reply = await client.chat.completions.parse({
      ...base,
      response_format: jsonSchemaFormat(valibotRecipe, { name: "r" }),
    });
    expectTypeOf(reply.choices[0]?.message.parsed).toEqualTypeOf<
      { title: string; minutes: number; tags?: string[] | undefined } | null | undefined
    >();
  });

  test("arktype", async () => {
    const reply = await client.chat.completions.parse({ ...base, response_format: jsonSchemaFormat(arkRecipe, { name: "r" }) });
    const parsed = reply.choices[0]?.message.parsed;
    if (parsed) {
      expectTypeOf(parsed.title).toEqualTypeOf<string>();
      expectTypeOf(parsed.minutes).toEqualTypeOf<number>();
      expectTypeOf(parsed.tags).toEqualTypeOf<string[] | undefined>();
    }
  });

  test("a plain JSON Schema: the type you give, or the validator's", async () => {
    const given = jsonSchemaFormat<Recipe>({ jsonSchema: { type: "object", properties: {} } }, { name: "r" });
    expectTypeOf(
      (await client.chat.completions.parse({ ...base, response_format: given })).choices[0]?.message.parsed,
    ).toEqualTypeOf<Recipe | null | undefined>();
    const checked = jsonSchemaFormat(
      { jsonSchema: { type: "object", properties: {} }, validate: (value) => value as { ok: boolean } },
      { name: "r" },
    );
    expectTypeOf(
      (await client.chat.completions.parse({ ...base, response_format: checked })).choices[0]?.message.parsed,
    ).toEqualTypeOf<{ ok: boolean } | null | undefined>();
  });

  test("streamed with .stream(): the final message and `content.done` carry the schema's output", async () => {
    const stream = client.chat.completions.stream({ ...base, response_format: jsonSchemaFormat(zodRecipe, { name: "r" }) });
    expectTypeOf(stream).toEqualTypeOf<ChatCompletionStream<{ title: string; minutes: number; tags?: string[] | undefined }>>();
    stream.on("content.done", ({ parsed }) => {
      expectTypeOf(parsed).toEqualTypeOf<{ title: string; minutes: number; tags?: string[] | undefined } | null>();
    });
    expectTypeOf((await stream.finalChatCompletion()).choices[0]?.message.parsed?.minutes).toEqualTypeOf<number | undefined>();
    // A plain request streams too; there is nothing to parse.
    expectTypeOf(client.chat.completions.stream(base)).toEqualTypeOf<ChatCompletionStream<null>>();
  });

  test("parse() does not stream (that is .stream()'s job, as in openai)", () => {
    // @ts-expect-error parse() takes non-streaming parameters
    void client.chat.completions.parse({ ...base, stream: true, response_format: jsonSchemaFormat(zodRecipe, { name: "r" }) });
  });

  test("parse() with a response_format that has no schema gives `parsed: null`, as in openai", async () => {
    const reply = await client.chat.completions.parse({ ...base, response_format: { type: "json_object" } });
    expectTypeOf(reply.choices[0]?.message.parsed).toEqualTypeOf<null | undefined>();
  });
});

describe("defineTool() infers `execute`'s arguments from the schema", () => {
  test("zod, valibot, arktype", () => {
    defineTool({
      name: "z",
      parameters: z.object({ city: z.string(), days: z.number().optional() }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ city: string; days?: number | undefined }>();
      },
    });
    defineTool({
      name: "v",
      parameters: toStandardJsonSchema(v.object({ city: v.string(), days: v.optional(v.number()) })),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ city: string; days?: number | undefined }>();
      },
    });
    defineTool({
      name: "a",
      parameters: type({ city: "string", "days?": "number" }),
      execute: (args) => {
        expectTypeOf(args.city).toEqualTypeOf<string>();
        expectTypeOf(args.days).toEqualTypeOf<number | undefined>();
      },
    });
  });

  test("wrong use of the arguments does not compile, and runTools gives a runner", () => {
    const tool = defineTool({
      name: "t",
      parameters: z.object({ city: z.string() }),
      // @ts-expect-error `city` is a string
      execute: ({ city }) => city.toFixed(2),
    });
    const runner = client.chat.completions.runTools({ ...base, tools: [tool] });
    expectTypeOf(runner).toEqualTypeOf<ChatCompletionRunner<null>>();
    expectTypeOf(runner.finalContent()).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(runner.totalUsage()).toEqualTypeOf<Promise<CompletionUsage>>();
    const streamed = client.chat.completions.runTools({ ...base, stream: true, tools: [tool] });
    expectTypeOf(streamed).toEqualTypeOf<ChatCompletionStreamingRunner<null>>();
    // @ts-expect-error runTools needs tools that can run: a plain tool has no function
    void client.chat.completions.runTools({ ...base, tools: [{ type: "function", function: { name: "x", parameters: {} } }] });
  });
});

describe("helpers/zod: openai-node's signatures, typed from the schema", () => {
  test("zodResponseFormat(schema, name, props?): parse() types `parsed`", async () => {
    const format = zodResponseFormat(zodRecipe, "recipe", { description: "A recipe" });
    const reply = await client.chat.completions.parse({ ...base, response_format: format });
    expectTypeOf(reply.choices[0]?.message.parsed).toEqualTypeOf<
      { title: string; minutes: number; tags?: string[] | undefined } | null | undefined
    >();
    // @ts-expect-error the name is required, as in openai-node
    zodResponseFormat(zodRecipe);
  });

  test("zodFunction({ name, parameters, function?, description? }): the function gets the schema's output", () => {
    const tool = zodFunction({
      name: "get_weather",
      parameters: z.object({ city: z.string() }),
      function: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ city: string }>();
        return args.city;
      },
      description: "Weather",
    });
    void client.chat.completions.runTools({ ...base, tools: [tool] });
    void client.chat.completions.parse({ ...base, tools: [tool] });
    // @ts-expect-error parameters must be a schema
    zodFunction({ name: "x", parameters: { type: "object" } });
  });
});
