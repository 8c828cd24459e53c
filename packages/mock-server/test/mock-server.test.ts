import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, waitForOutput } from "@aimlapi-sdk/devkit/processes";
import { Ajv } from "ajv";
import { afterAll, beforeAll, beforeEach, describe, expect, onTestFinished, test } from "vitest";
import { createMockServer, type MockServer } from "../src/index";
import { json, MODEL, parseSSE, post, specOperations } from "./helpers";

let server: MockServer;
let url = "";
beforeAll(async () => {
  server = await createMockServer();
  url = `${server.url}/v1/chat/completions`;
});
afterAll(() => server.close());
beforeEach(() => server.clearFaults());

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const v1 = specOperations.get("/v1/chat/completions");
const legacy = specOperations.get("/chat/completions");
const hello = { model: MODEL, messages: [{ role: "user", content: "Hello, mock!" }] };

function expectValid(validate: (((data: unknown) => boolean) & { errors?: unknown }) | undefined, data: unknown) {
  expect(validate, "spec validator").toBeDefined();
  const ok = validate?.(data);
  expect(validate?.errors ?? null, JSON.stringify(data).slice(0, 300)).toBeNull();
  expect(ok).toBe(true);
}

describe("replies valid against the spec", () => {
  test("binds 127.0.0.1 by default", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("a JSON completion is valid against the 200 application/json schema and deterministic", async () => {
    const first = await post(url, hello);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toContain("application/json");
    const body = await json(first);
    expectValid(v1?.validateJson, body);
    expect(body.choices[0].message.content).toBe('This is a mock reply to: "Hello, mock!".');
    expect(body.meta.usage.usd_spent).toBeGreaterThan(0);
    const again = await json(await post(url, hello));
    expect(again).toEqual(body);
    const other = await json(await post(url, { ...hello, messages: [{ role: "user", content: "Other" }] }));
    expect(other.id).not.toBe(body.id);
  });

  test("/chat/completions is served too, valid against its own schema", async () => {
    const res = await post(`${server.url}/chat/completions`, hello);
    expect(res.status).toBe(200);
    expectValid(legacy?.validateJson, await json(res));
  });

  test("a stream: every chunk valid against the text/event-stream schema, content adds up, ends with [DONE]", async () => {
    const res = await post(url, { ...hello, stream: true });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSSE(await res.text());
    expect(events.at(-1)?.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    for (const chunk of chunks) expectValid(v1?.validateChunk, chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe('This is a mock reply to: "Hello, mock!".');
    expect(chunks.at(-1).choices[0].finish_reason).toBe("stop");
    expect(chunks.some((c) => c.usage)).toBe(false);
  });

  test("stream_options.include_usage adds a last chunk with usage and empty choices", async () => {
    const events = parseSSE(await (await post(url, { ...hello, stream: true, stream_options: { include_usage: true } })).text());
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    for (const chunk of chunks) expectValid(v1?.validateChunk, chunk);
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.total_tokens).toBe(last.usage.prompt_tokens + last.usage.completion_tokens);
  });

  test("tools: a tool call with arguments sampled from the function's parameters, in JSON and in stream fragments", async () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: {
            type: "object",
            properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
            required: ["city"],
          },
        },
      },
    ];
    const argumentsValid = new Ajv().compile(tools[0]?.function.parameters ?? {});
    const body = await json(await post(url, { ...hello, tools }));
    expectValid(v1?.validateJson, body);
    expect(body.choices[0].finish_reason).toBe("tool_calls");
    expect(body.choices[0].message.content).toBeNull();
    const call = body.choices[0].message.tool_calls[0].function;
    expect(call.name).toBe("get_weather");
    // The arguments are a value valid for the function's parameters.
    expect(argumentsValid(JSON.parse(call.arguments))).toBe(true);

    const events = parseSSE(await (await post(url, { ...hello, tools, stream: true })).text());
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    for (const chunk of chunks) expectValid(v1?.validateChunk, chunk);
    const fragments = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    // As live: the first fragment names the call, the others carry only the index and arguments.
    expect(fragments[0]).toMatchObject({ index: 0, type: "function", function: { name: "get_weather", arguments: "" } });
    for (const later of fragments.slice(1)) expect(Object.keys(later).sort()).toEqual(["function", "index"]);
    const args = fragments.map((t: { function: { arguments: string } }) => t.function.arguments);
    expect(args.length).toBeGreaterThan(2);
    expect(args.join("")).toBe(call.arguments);

    // The reply goes back in `messages` as it came (content null, refusal, annotations), with the tool's answer.
    const message = body.choices[0].message;
    const followUp = await post(url, {
      ...hello,
      tools,
      messages: [...hello.messages, message, { role: "tool", tool_call_id: message.tool_calls[0].id, content: '{"celsius":21}' }],
    });
    expect(followUp.status).toBe(200);
    expect((await json(followUp)).choices[0].finish_reason).toBe("stop");
  });

  test("response_format json_schema: the content is a sample of the schema", async () => {
    const response_format = {
      type: "json_schema",
      json_schema: {
        name: "answer",
        schema: { type: "object", properties: { answer: { type: "string" }, confidence: { type: "number", minimum: 0 } } },
      },
    };
    const body = await json(await post(url, { ...hello, response_format }));
    expectValid(v1?.validateJson, body);
    const value = JSON.parse(body.choices[0].message.content);
    expect(new Ajv().validate(response_format.json_schema.schema, value)).toBe(true);
    expect(Object.keys(value).sort()).toEqual(["answer", "confidence"]);
  });

  test("max_tokens cuts the reply with finish_reason length; n gives n choices", async () => {
    const cut = await json(await post(url, { ...hello, max_tokens: 2 }));
    expect(cut.choices[0].message.content).toBe("This is ");
    expect(cut.choices[0].finish_reason).toBe("length");
    const many = await json(await post(url, { ...hello, n: 2 }));
    expectValid(v1?.validateJson, many);
    expect(many.choices.map((c: { index: number }) => c.index)).toEqual([0, 1]);
  });
});

describe("structured output and tools, for the client's helpers", () => {
  const schema = {
    type: "object",
    properties: {
      title: { type: "string" },
      minutes: { type: "integer", minimum: 1 },
      tags: { type: ["array", "null"], items: { type: "string" } },
    },
    required: ["title", "minutes", "tags"],
    additionalProperties: false,
  };
  const structured = {
    ...hello,
    response_format: { type: "json_schema", json_schema: { name: "recipe", strict: true, schema } },
  };
  const tool = (name: string) => ({
    type: "function",
    function: { name, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  });

  test("parallel tool calls: one per tool, in JSON and in indexed stream fragments; parallel_tool_calls: false gives one", async () => {
    const tools = [tool("weather"), tool("time")];
    const body = await json(await post(url, { ...hello, tools }));
    expectValid(v1?.validateJson, body);
    expect(body.choices[0].message.tool_calls.map((c: { function: { name: string } }) => c.function.name)).toEqual([
      "weather",
      "time",
    ]);
    const chunks = parseSSE(await (await post(url, { ...hello, tools, stream: true })).text())
      .slice(0, -1)
      .map((e) => JSON.parse(e.data));
    for (const chunk of chunks) expectValid(v1?.validateChunk, chunk);
    const openings = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).filter((f: { id?: string }) => f.id);
    expect(openings.map((f: { index: number }) => f.index)).toEqual([0, 1]);
    const single = await json(await post(url, { ...hello, tools, parallel_tool_calls: false }));
    expect(single.choices[0].message.tool_calls).toHaveLength(1);
  });

  test("tool-rounds: the model keeps calling tools for that many rounds of the conversation", async () => {
    const tools = [tool("weather")];
    const first = await json(await post(url, { ...hello, tools }, { "x-mock-fault": "tool-rounds=2" }));
    const call = first.choices[0].message.tool_calls[0];
    const messages = [...hello.messages, first.choices[0].message, { role: "tool", tool_call_id: call.id, content: "21" }];
    const second = await json(await post(url, { ...hello, tools, messages }, { "x-mock-fault": "tool-rounds=2" }));
    expect(second.choices[0].finish_reason).toBe("tool_calls");
    const third = await json(
      await post(
        url,
        {
          ...hello,
          tools,
          messages: [...messages, second.choices[0].message, { role: "tool", tool_call_id: "x", content: "21" }],
        },
        { "x-mock-fault": "tool-rounds=2" },
      ),
    );
    expect(third.choices[0].finish_reason).toBe("stop");
  });

  test("faults: length cuts the JSON, content_filter withholds it, invalid-json breaks it, refusal refuses, invalid-tool-args breaks arguments", async () => {
    const full = (await json(await post(url, structured))).choices[0].message.content as string;
    expect(new Ajv().validate(schema, JSON.parse(full))).toBe(true);
    const cut = await json(await post(url, structured, { "x-mock-fault": "finish-reason=length" }));
    expectValid(v1?.validateJson, cut);
    expect(cut.choices[0].finish_reason).toBe("length");
    expect(full.startsWith(cut.choices[0].message.content)).toBe(true);
    expect(cut.choices[0].message.content.length).toBeLessThan(full.length);
    const filtered = await json(await post(url, structured, { "x-mock-fault": "finish-reason=content_filter" }));
    expect([filtered.choices[0].finish_reason, filtered.choices[0].message.content]).toEqual(["content_filter", ""]);
    const broken = await json(await post(url, structured, { "x-mock-fault": "invalid-json" }));
    expect(() => JSON.parse(broken.choices[0].message.content)).toThrow();
    const refused = await json(await post(url, structured, { "x-mock-fault": "refusal" }));
    expectValid(v1?.validateJson, refused);
    expect(refused.choices[0].message).toMatchObject({ content: null, refusal: expect.stringMatching(/can't help/) });
    const streamedRefusal = parseSSE(
      await (await post(url, { ...structured, stream: true }, { "x-mock-fault": "refusal" })).text(),
    )
      .slice(0, -1)
      .map((e) => JSON.parse(e.data));
    for (const chunk of streamedRefusal) expectValid(v1?.validateChunk, chunk);
    expect(streamedRefusal.map((c) => c.choices[0]?.delta.refusal ?? "").join("")).toBe(refused.choices[0].message.refusal);
    const wrong = await json(await post(url, { ...hello, tools: [tool("weather")] }, { "x-mock-fault": "invalid-tool-args" }));
    const args = JSON.parse(wrong.choices[0].message.tool_calls[0].function.arguments);
    expect(new Ajv().validate(tool("weather").function.parameters, args)).toBe(false);
  });
});

describe("auth and validation, in upstream's error shape", () => {
  test("no bearer token: 401", async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(hello),
    });
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body).toMatchObject({ path: "/v1/chat/completions", statusCode: 401, requestId: res.headers.get("x-request-id") });
    expect(body.message).toMatch(/API key/);
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
  });

  test("apiKey option: another key is refused", async () => {
    const strict = await createMockServer({ apiKey: "right" });
    try {
      expect((await post(`${strict.url}/v1/chat/completions`, hello, { authorization: "Bearer wrong" })).status).toBe(401);
      expect((await post(`${strict.url}/v1/chat/completions`, hello, { authorization: "Bearer right" })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  test.each([
    [{ messages: hello.messages }, /"model" is required/],
    [
      { ...hello, model: "gpt-4o-typo" },
      /"model" "gpt-4o-typo" is not a model this server serves \(GET \/v1\/models lists them\)/,
    ],
    [{ ...hello, top_k: 5 }, /"top_k" is not a parameter of openai\/gpt-4.1-2025-04-14/],
    [
      { ...hello, messages: [{ role: "robot", content: "x" }] },
      /"messages\[0\]\.role" must be equal to one of the allowed values: "user", "developer", "system".*"assistant"/,
    ],
    [{ ...hello, temperature: 3 }, /"temperature" must be <= 2/],
    [{ ...hello, n: "two" }, /"n" must be integer,null/],
    [{ ...hello, response_format: { type: "text", extra: 1 } }, /response_format/],
  ])("invalid body %j: 400 naming the field", async (body, reason) => {
    const res = await post(url, body);
    expect(res.status).toBe(400);
    const error = await json(res);
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/^Body validation error: /);
    expect(error.message).toMatch(reason);
  });

  test("a body that is not JSON: 400", async () => {
    const res = await post(url, "{oops");
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/not valid JSON/);
  });

  test("OpenAPI 3.0 nullable fields (`stop`, `n`, `logit_bias`, `logprobs`) accept null; `stop` takes a string or strings only", async () => {
    const res = await post(url, { ...hello, stop: null, n: null, logit_bias: null, logprobs: null });
    expect(res.status).toBe(200);
    expect((await post(url, { ...hello, stop: ["a", "b"] })).status).toBe(200);
    const wrong = await post(url, { ...hello, stop: 42 });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).message).toMatch(/"stop"/);
  });

  test("unknown path: 404; wrong method: 405", async () => {
    expect((await post(`${server.url}/v1/models`, {})).status).toBe(404);
    expect((await fetch(url, { headers: { authorization: "Bearer k" } })).status).toBe(405);
  });
});

describe("fault injection", () => {
  test("header status=503;times=2: two failures, then success", async () => {
    const fault = { "x-mock-fault": "status=503; times=2; retry-after=1" };
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(url, hello, fault);
      statuses.push(res.status);
      if (res.status === 503) {
        expect(res.headers.get("retry-after")).toBe("1");
        expect((await json(res)).statusCode).toBe(503);
      } else await res.body?.cancel();
    }
    expect(statuses).toEqual([503, 503, 200]);
  });

  test("programmatic: injectFault applies to the next N requests, with retry-after-ms and string statusCode", async () => {
    server.injectFault({ status: 429, times: 1, retryAfterMs: 25, statusCodeAsString: true, message: "Rate limit" });
    const limited = await post(url, hello);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after-ms")).toBe("25");
    expect(await json(limited)).toMatchObject({ statusCode: "429", message: "Rate limit" });
    expect((await post(url, hello)).status).toBe(200);
  });

  test("delay before headers", async () => {
    const started = Date.now();
    const res = await post(url, hello, { "x-mock-fault": "delay=150" });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("drop after K chunks: the body ends abruptly, without [DONE]", async () => {
    const res = await post(url, { ...hello, stream: true }, { "x-mock-fault": "drop-after=2" });
    await expect(res.text()).rejects.toThrow();
  });

  test("a malformed event, an error event and an error payload mid-stream", async () => {
    const malformed = parseSSE(await (await post(url, { ...hello, stream: true }, { "x-mock-fault": "malformed-at=1" })).text());
    expect(malformed[1]?.data).toBe("{not json");
    const errorEvent = parseSSE(
      await (await post(url, { ...hello, stream: true }, { "x-mock-fault": "error-at=2; status=500" })).text(),
    );
    expect(errorEvent).toHaveLength(3);
    expect(errorEvent[2]?.event).toBe("error");
    expect(JSON.parse(errorEvent[2]?.data ?? "")).toMatchObject({ statusCode: 500 });
    const payload = parseSSE(
      await (await post(url, { ...hello, stream: true }, { "x-mock-fault": "error-at=0; error-as=payload" })).text(),
    );
    expect(JSON.parse(payload[0]?.data ?? "").error.message).toMatch(/Mock error/);
  });

  test("chunk delay spaces the events out", async () => {
    const started = Date.now();
    await (await post(url, { ...hello, stream: true }, { "x-mock-fault": "chunk-delay=20" })).text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 * 9);
  });

  test("a malformed fault header is a 400 naming the key", async () => {
    const res = await post(url, hello, { "x-mock-fault": "explode=1" });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/unknown key "explode"/);
  });

  test("requests are recorded, and a client that leaves mid-stream shows as not completed", async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    const res = await post(url, { ...hello, stream: true }, { "x-mock-fault": "chunk-delay=50" });
    const reader = res.body?.getReader();
    await reader?.read();
    controller.abort();
    await reader?.cancel();
    const seen = server.requests[before];
    expect(seen?.path).toBe("/v1/chat/completions");
    expect(await seen?.closed).toEqual({ completed: false });
  });
});

describe("CORS, for browser pages", () => {
  test("preflight is answered and responses carry the headers", async () => {
    const preflight = await fetch(url, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    const res = await post(url, hello, { origin: "http://localhost:5173" });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")).toMatch(/x-request-id/);
  });
});

describe("CLI", () => {
  test("aimlapi-mock --port 0 listens on 127.0.0.1 and answers", async () => {
    // The built CLI, as `npx aimlapi-mock` runs it (turbo builds the package before its tests).
    const cli = startProcess("aimlapi-mock", process.execPath, [join(packageDir, "dist", "cli.mjs"), "--port", "0"]);
    onTestFinished(() => cli.stop());
    const [, base] = await waitForOutput(cli, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect((await post(`${base}/v1/chat/completions`, hello)).status).toBe(200);
  });

  test("SIGTERM closes the server and exits 0", async () => {
    const cli = startProcess("aimlapi-mock", process.execPath, [join(packageDir, "dist", "cli.mjs"), "--port", "0"]);
    onTestFinished(() => cli.stop());
    const [, base] = await waitForOutput(cli, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    cli.child.kill("SIGTERM");
    await cli.exited;
    expect(cli.child.exitCode).toBe(0);
    await expect(fetch(`${base}/v1/chat/completions`)).rejects.toThrow();
  });
});
