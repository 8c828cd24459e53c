/**
 * Structured output from your own schema (zod 4, valibot, arktype — real libraries, Standard Schema),
 * against the mock server over HTTP: the JSON Schema sent (strict conversion), `parse()` and its
 * errors, the structured output streamed with `.stream()`, and openai-node's zod helpers.
 */
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { prepareSchema } from "../src/helpers/schema";
import { zodFunction, zodResponseFormat } from "../src/helpers/zod";
import {
  AIMLAPIError,
  ContentFilterFinishReasonError,
  jsonSchemaFormat,
  LengthFinishReasonError,
  OutputParseError,
} from "../src/index";
import { fault, hello, question, useMockServer } from "./helpers/mock";

const mock = useMockServer();
// biome-ignore lint/suspicious/noExplicitAny: assertions walk the JSON Schema that was sent
type Json = Record<string, any>;

const zodRecipe = z.object({ title: z.string(), minutes: z.number().int().min(1), tags: z.array(z.string()).optional() });
const valibotRecipe = toStandardJsonSchema(
  v.object({ title: v.string(), minutes: v.pipe(v.number(), v.integer(), v.minValue(1)), tags: v.optional(v.array(v.string())) }),
);
const arkRecipe = type({ title: "string", minutes: "number.integer >= 1", "tags?": "string[]" });

const libraries = [
  ["zod", zodRecipe],
  ["valibot", valibotRecipe],
  ["arktype", arkRecipe],
] as const;

describe("jsonSchemaFormat", () => {
  test.each(libraries)("%s: strict by default — every property required, optional ones nullable, no others", (_name, schema) => {
    const format = jsonSchemaFormat(schema, { name: "recipe", description: "A recipe" });
    expect(format.type).toBe("json_schema");
    expect(format.json_schema).toMatchObject({ name: "recipe", description: "A recipe", strict: true });
    const sent = format.json_schema.schema as Json;
    expect(sent.$schema).toBeUndefined();
    expect(sent.additionalProperties).toBe(false);
    expect([...sent.required].sort()).toEqual(["minutes", "tags", "title"]);
    expect(sent.properties.tags.type).toEqual(["array", "null"]);
    expect(sent.properties.title.type).toBe("string");
    // What goes over the wire is plain JSON: the helpers' code is not in it.
    expect(JSON.parse(JSON.stringify(format))).toEqual({ type: "json_schema", json_schema: format.json_schema });
  });

  test("strict: false sends the schema as the library describes it", () => {
    const format = jsonSchemaFormat(zodRecipe, { name: "recipe", strict: false });
    const sent = format.json_schema.schema as Json;
    expect(sent.required).toEqual(["title", "minutes"]);
    expect(sent.properties.tags.type).toBe("array");
    expect(format.json_schema.strict).toBe(false);
  });

  test("nested objects, arrays of objects, unions and recursion are converted too", () => {
    const Node: z.ZodType<{ name: string; note?: string; children: unknown[] }> = z.object({
      name: z.string(),
      note: z.string().optional(),
      get children() {
        return z.array(Node);
      },
    });
    const schema = z.object({
      owner: z.object({ id: z.string(), email: z.string().optional() }),
      items: z.array(z.object({ sku: z.string(), qty: z.number().optional() })),
      choice: z.union([z.object({ a: z.string() }), z.object({ b: z.number().optional() })]),
      tree: Node,
    });
    const sent = jsonSchemaFormat(schema, { name: "order" }).json_schema.schema as Json;
    expect(sent.properties.owner).toMatchObject({ required: ["id", "email"], additionalProperties: false });
    expect(sent.properties.owner.properties.email.type).toEqual(["string", "null"]);
    expect(sent.properties.items.items).toMatchObject({ required: ["sku", "qty"], additionalProperties: false });
    expect(sent.properties.choice.anyOf[1]).toMatchObject({ required: ["b"], additionalProperties: false });
  });

  test("what strict mode cannot express fails at definition, naming the property", () => {
    const withRecord = z.object({ title: z.string(), meta: z.record(z.string(), z.string()) });
    expect(() => jsonSchemaFormat(withRecord, { name: "r" })).toThrow(
      /^response format "r": strict mode cannot express additional properties \(a map or record\) in property "meta"; give it fixed properties, or pass strict: false$/,
    );
    const withAllOf = { type: "object", properties: { both: { allOf: [{ type: "object" }, { required: ["a"] }] } } };
    expect(() => jsonSchemaFormat({ jsonSchema: withAllOf }, { name: "r" })).toThrow(/cannot express "allOf" in property "both"/);
    const freeForm = z.object({ data: z.object({}).passthrough() });
    expect(() => jsonSchemaFormat(freeForm, { name: "r" })).toThrow(
      /additional properties \(a map or record\) in property "data"/,
    );
    expect(() => jsonSchemaFormat(withRecord, { name: "r", strict: false })).not.toThrow();
    expect(() => jsonSchemaFormat(z.string(), { name: "r" })).toThrow(/must describe an object/);
    expect(() => jsonSchemaFormat(zodRecipe, { name: "a recipe" })).toThrow(/name "a recipe" must be 1 to 64 letters/);
    expect(() => jsonSchemaFormat({} as never, { name: "r" })).toThrow(AIMLAPIError);
  });

  test("a plain JSON Schema, with a validator of your own", async () => {
    const format = jsonSchemaFormat<{ answer: string }>(
      {
        jsonSchema: { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] },
        validate: (value) => {
          if (!value || typeof (value as { answer?: unknown }).answer !== "string") throw new Error("answer must be a string");
          return value as { answer: string };
        },
      },
      { name: "answer" },
    );
    const reply = await mock.client().chat.completions.parse({ ...hello, response_format: format });
    expect(reply.choices[0]?.message.parsed).toEqual({ answer: expect.any(String) });
  });
});

describe("strict mode's nulls", () => {
  test.each(libraries)(
    "%s: a null the model sent for an absent optional property is dropped before validation",
    async (_name, schema) => {
      const prepared = prepareSchema(schema, true, "test");
      expect(await prepared.check({ title: "t", minutes: 2, tags: null })).toEqual({ value: { title: "t", minutes: 2 } });
      // A property that is nullable in the schema itself keeps its null.
      const nullable = prepareSchema(z.object({ note: z.string().nullable().optional() }), true, "test");
      expect(await nullable.check({ note: null })).toEqual({ value: { note: null } });
      // Without strict mode, null is the model's mistake.
      expect((await prepareSchema(schema, false, "test").check({ title: "t", minutes: 2, tags: null })).issues).toBeDefined();
    },
  );
});

describe("parse()", () => {
  test.each(libraries)("%s: the reply's content, validated and typed, on every choice", async (_name, schema) => {
    const client = mock.client();
    const reply = await client.chat.completions.parse({
      ...hello,
      n: 2,
      response_format: jsonSchemaFormat(schema, { name: "recipe" }),
    });
    for (const choice of reply.choices) {
      const parsed = choice.message.parsed;
      expect(parsed).toEqual(JSON.parse(choice.message.content ?? ""));
      expect(parsed?.minutes).toBeGreaterThanOrEqual(1);
    }
    // The request carried the strict schema, and nothing else the helpers hold.
    const sent = JSON.parse(mock.server().requests[0]?.body ?? "");
    expect(sent.response_format.json_schema.strict).toBe(true);
  });

  test("withResponse() gives the raw response too", async () => {
    const { data, response, requestId } = await mock
      .client()
      .chat.completions.parse({ ...hello, response_format: jsonSchemaFormat(zodRecipe, { name: "recipe" }) })
      .withResponse();
    expect(data.choices[0]?.message.parsed?.title).toEqual(expect.any(String));
    expect(response.status).toBe(200);
    expect(requestId).toMatch(/^mock-/);
  });

  test("a refusal gives parsed: null and the refusal text", async () => {
    const reply = await mock
      .client()
      .chat.completions.parse({ ...hello, response_format: jsonSchemaFormat(zodRecipe, { name: "recipe" }) }, fault("refusal"));
    expect(reply.choices[0]?.message).toMatchObject({
      parsed: null,
      content: null,
      refusal: expect.stringMatching(/can't help/),
    });
  });

  test("running out of tokens and the content filter are their own errors", async () => {
    const params = { ...hello, response_format: jsonSchemaFormat(zodRecipe, { name: "recipe" }) };
    await expect(mock.client().chat.completions.parse(params, fault("finish-reason=length"))).rejects.toBeInstanceOf(
      LengthFinishReasonError,
    );
    await expect(mock.client().chat.completions.parse(params, fault("finish-reason=content_filter"))).rejects.toBeInstanceOf(
      ContentFilterFinishReasonError,
    );
  });

  test("content that is not JSON, or does not match the schema: OutputParseError with the issues and the text", async () => {
    const params = { ...hello, response_format: jsonSchemaFormat(zodRecipe, { name: "recipe" }) };
    const broken = await mock
      .client()
      .chat.completions.parse(params, fault("invalid-json"))
      .catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(OutputParseError);
    expect((broken as OutputParseError).message).toMatch(/^The response for "recipe" is not valid JSON: /);
    expect((broken as OutputParseError).text).toMatch(/^\{"title":/);
    // The JSON Schema cannot say "not the word sample"; the schema's own check can, after the fact.
    const picky = z.object({ title: z.string().refine((t) => t !== "string", "the title is a placeholder") });
    const mismatch = await mock
      .client()
      .chat.completions.parse({ ...hello, response_format: jsonSchemaFormat(picky, { name: "picky" }) })
      .catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(OutputParseError);
    expect((mismatch as OutputParseError).issues[0]).toMatchObject({ message: "the title is a placeholder", path: ["title"] });
    expect((mismatch as OutputParseError).message).toBe(
      'The response does not match the schema "picky": title: the title is a placeholder',
    );
    expect((mismatch as OutputParseError).text).toBe('{"title":"string"}');
  });

  test("without a parseable format, parse() gives the completion with parsed: null (as openai-node)", async () => {
    const reply = await mock.client().chat.completions.parse({ ...hello, response_format: { type: "json_object" } });
    expect(reply.choices[0]?.message.parsed).toBeNull();
    expect(JSON.parse(reply.choices[0]?.message.content ?? "")).toMatchObject({ reply: expect.any(String) });
  });
});

describe("structured output streamed with .stream()", () => {
  test.each(libraries)(
    "%s: content.delta carries the object so far, content.done and the final message the validated one",
    async (_name, schema) => {
      const partials: unknown[] = [];
      let done: unknown;
      const stream = mock
        .client()
        .chat.completions.stream({ ...question, response_format: jsonSchemaFormat(schema, { name: "recipe" }) })
        .on("content.delta", ({ parsed }) => {
          if (parsed) partials.push(parsed);
        })
        .on("content.done", ({ parsed }) => {
          done = parsed;
        });
      const final = await stream.finalChatCompletion();
      const parsed = final.choices[0]?.message.parsed;
      expect(partials.length).toBeGreaterThan(2);
      expect(partials.at(-1)).toEqual(parsed);
      expect(done).toEqual(parsed);
      expect(parsed?.minutes).toBeGreaterThanOrEqual(1);
    },
  );

  test("finalChatCompletion() alone reads the stream; its errors are parse()'s", async () => {
    const params = { ...question, response_format: jsonSchemaFormat(zodRecipe, { name: "recipe" }) };
    const whole = mock.client().chat.completions.stream(params);
    expect((await whole.finalChatCompletion()).choices[0]?.message.parsed?.title).toEqual(expect.any(String));
    const cut = mock.client().chat.completions.stream(params, fault("finish-reason=length"));
    await expect(cut.finalChatCompletion()).rejects.toBeInstanceOf(LengthFinishReasonError);
    const broken = mock.client().chat.completions.stream(params, fault("invalid-json"));
    await expect(broken.finalChatCompletion()).rejects.toBeInstanceOf(OutputParseError);
  });
});

describe("@aimlapi-sdk/client/helpers/zod", () => {
  const MathResponse = z.object({
    steps: z.array(z.object({ explanation: z.string(), output: z.string() })),
    final_answer: z.string(),
  });

  test("zodResponseFormat(schema, name, props): a strict json_schema format; parse() gives message.parsed", async () => {
    const format = zodResponseFormat(MathResponse, "math_response", { description: "A worked answer" });
    expect(format.json_schema).toMatchObject({ name: "math_response", description: "A worked answer", strict: true });
    const reply = await mock.client().chat.completions.parse({ ...hello, response_format: format });
    const parsed = reply.choices[0]?.message.parsed;
    expect(parsed?.steps.length).toBeGreaterThan(0);
    expect(typeof parsed?.final_answer).toBe("string");
  });

  test("zodFunction({ name, parameters }): parse() gives tool_calls[].function.parsed_arguments, validated", async () => {
    const Query = z.object({ table_name: z.enum(["orders", "customers"]), limit: z.number().int().default(10) });
    const reply = await mock
      .client()
      .chat.completions.parse({ ...hello, tools: [zodFunction({ name: "query", parameters: Query })] });
    const call = reply.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type !== "function") return;
    expect(call.function.name).toBe("query");
    expect(call.function.parsed_arguments).toEqual(Query.parse(JSON.parse(call.function.arguments)));
    // Sent as a strict function tool, the schema converted for strict mode.
    const sent = JSON.parse(mock.server().requests[0]?.body ?? "");
    expect(sent.tools[0]).toMatchObject({ type: "function", function: { name: "query", strict: true } });
    expect(sent.tools[0].function.parameters.additionalProperties).toBe(false);
  });

  test("arguments that do not fit the schema: parse() fails with OutputParseError naming the function", async () => {
    const error = await mock
      .client()
      .chat.completions.parse(
        { ...hello, tools: [zodFunction({ name: "query", parameters: z.object({ table_name: z.string() }) })] },
        fault("invalid-tool-args"),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputParseError);
    expect((error as Error).message).toMatch(/^The arguments of query do not match its schema: table_name: /);
  });

  test("a name the API would refuse fails at once", () => {
    expect(() => zodFunction({ name: "no spaces", parameters: MathResponse })).toThrow(AIMLAPIError);
    expect(() => zodResponseFormat(MathResponse, "no spaces")).toThrow(/must be 1 to 64 letters/);
  });
});
