import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import table from "../src/generated/models.json" with { type: "json" };
import { createMockServer, type MockServer, toJsonSchema } from "../src/index";
import { json, MODEL, parseSSE, post } from "./helpers";

type Entry = { provider: string; file: string; request: string; completion?: string; chunk?: string };
const models = table.models as Record<string, Entry>;
const schemas = table.schemas as Record<string, { properties?: Record<string, unknown> }>;

// The generated shapes, compiled here on their own: what each model's replies are judged by.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: "shapes", definitions: Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, toJsonSchema(s)])) });
const shape = (name: string) =>
  ajv.getSchema(`shapes#/definitions/${name}`) ?? ajv.compile({ $ref: `shapes#/definitions/${name}` });
const takes = (id: string, parameter: string) => parameter in (schemas[(models[id] as Entry).request]?.properties ?? {});

/** One model per distinct request shape that takes a plain text message (every shape but audio-only ones). */
const perShape = [...new Map(Object.entries(models).map(([id, m]) => [m.request, id])).values()].filter(
  (id) => id !== "alibaba/qwen3-omni-30b-a3b-captioner",
);

let server: MockServer;
let url = "";
beforeAll(async () => {
  server = await createMockServer();
  url = `${server.url}/v1/chat/completions`;
});
afterAll(() => server.close());

const ask = (model: string, extra: Record<string, unknown> = {}) =>
  post(url, { model, messages: [{ role: "user", content: "Hello, mock!" }], ...extra });

describe("every model of the pinned set", () => {
  test("GET /v1/models lists every model id once, with its provider", async () => {
    const res = await fetch(`${server.url}/v1/models`, { headers: { authorization: "Bearer k" } });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { object: string; data: { id: string; object: string; owned_by: string }[] };
    expect(list.object).toBe("list");
    const ids = list.data.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([MODEL, ...Object.keys(models)]));
    expect(list.data.find((m) => m.id === "anthropic/claude-sonnet-4")?.owned_by).toBe("anthropic");
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(401);
  });

  test(`each distinct request shape (${perShape.length}) is answered in its model's reply shape, and each stream shape streams`, async () => {
    const failures: string[] = [];
    const streamed = new Set<string>();
    for (const id of perShape) {
      const entry = models[id] as Entry;
      const res = await ask(id);
      const body = await json(res);
      if (res.status !== 200) failures.push(`${id}: ${res.status} ${body.message}`);
      else if (entry.completion && !shape(entry.completion)?.(body)) failures.push(`${id}: reply is not ${entry.completion}`);
      // One stream per distinct stream-event shape: the events are shaped the same way for every model of it.
      if (!entry.chunk || streamed.has(entry.chunk)) continue;
      streamed.add(entry.chunk);
      const events = parseSSE(await (await ask(id, { stream: true })).text()).filter((e) => e.data !== "[DONE]");
      const check = shape(entry.chunk);
      const bad = events.find((e) => !check?.(JSON.parse(e.data)));
      if (events.length === 0 || bad) failures.push(`${id}: chunk is not ${entry.chunk}: ${bad?.data.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  });

  test("a parameter the model's spec lacks gets a 400 naming it; a model that takes it answers", async () => {
    expect(takes("openai/gpt-4o", "top_k")).toBe(false);
    expect(takes("google/gemma-3n-e4b-it", "top_k")).toBe(true);
    const refused = await ask("openai/gpt-4o", { top_k: 5 });
    expect(refused.status).toBe(400);
    expect((await json(refused)).message).toBe(
      'Body validation error: "top_k" is not a parameter of openai/gpt-4o (its spec: OpenAI/gpt-4o.json)',
    );
    expect((await ask("google/gemma-3n-e4b-it", { top_k: 5 })).status).toBe(200);
    const noTools = await ask("google/gemma-3n-e4b-it", { tools: [] });
    expect((await json(noTools)).message).toMatch(/"tools" is not a parameter of google\/gemma-3n-e4b-it/);
  });

  test("a value the model's spec refuses gets a 400 naming the field", async () => {
    const res = await post(url, { model: "alibaba/qwen3-omni-30b-a3b-captioner", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/"messages\[0\]\.content" must be array/);
  });
});
