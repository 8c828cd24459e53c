/**
 * One road to the wire: openapi-fetch middleware registered with `client.use()` runs on every call —
 * `create` (JSON and stream), the helpers (`stream`, `parse`, `runTools`) and the typed `POST` —
 * against the mock server over real HTTP.
 * Middleware sees each logical request once and its final response, after retries.
 */
import type { Middleware } from "openapi-fetch";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { APIConnectionError, type ChatCompletion, createClient, defineTool, jsonSchemaFormat } from "../src/index";
import { completion } from "./fixtures";
import { fault, hello, helloStream, MOCK_REPLY, question, useMockServer } from "./helpers/mock";

const mock = useMockServer();

/** A middleware that records what it sees and tags every request with a header. */
function recorder() {
  const seen: { phase: string; method: string; url: string; schemaPath: string; id: string; status?: number }[] = [];
  const middleware: Middleware = {
    onRequest({ request, schemaPath, id }) {
      seen.push({ phase: "request", method: request.method, url: request.url, schemaPath, id });
      request.headers.set("x-traced", "yes");
      return request;
    },
    onResponse({ request, response, schemaPath, id }) {
      seen.push({ phase: "response", method: request.method, url: request.url, schemaPath, id, status: response.status });
    },
  };
  return { seen, middleware };
}

describe("client.use() middleware", () => {
  test("sees create (JSON and stream) and POST alike, and what onRequest changes reaches the wire", async () => {
    const client = mock.client();
    const { seen, middleware } = recorder();
    client.use(middleware);

    const json = await client.chat.completions.create(hello);
    expect(json.choices[0]?.message.content).toBe(MOCK_REPLY);
    let text = "";
    for await (const chunk of await client.chat.completions.create(helloStream)) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe(MOCK_REPLY);
    const { data } = await client.POST("/v1/chat/completions", { body: hello });
    expect(data?.choices[0]?.message.content).toBe(MOCK_REPLY);

    expect(seen.map((s) => `${s.phase} ${s.method} ${s.schemaPath} ${s.status ?? ""}`.trim())).toEqual([
      "request POST /v1/chat/completions",
      "response POST /v1/chat/completions 200",
      "request POST /v1/chat/completions",
      "response POST /v1/chat/completions 200",
      "request POST /v1/chat/completions",
      "response POST /v1/chat/completions 200",
    ]);
    expect(seen[0]?.url).toBe(`${mock.server().url}/v1/chat/completions`);
    // Each logical call has its own id, shared by its request and response.
    expect(new Set(seen.map((s) => s.id)).size).toBe(3);
    expect(seen[0]?.id).toBe(seen[1]?.id);
    expect(mock.server().requests.map((r) => r.headers["x-traced"])).toEqual(["yes", "yes", "yes"]);
    // The stream request still asks for an event stream and sends the same body.
    expect(mock.server().requests[1]?.headers.accept).toBe("text/event-stream");
    expect(JSON.parse(mock.server().requests[1]?.body ?? "")).toEqual(helloStream);
  });

  test("the helpers take the same road: stream(), parse() and each round of runTools() pass the middleware", async () => {
    const client = mock.client();
    const { seen, middleware } = recorder();
    client.use(middleware);

    expect(await client.chat.completions.stream(question).finalContent()).toBe(MOCK_REPLY);
    const format = jsonSchemaFormat(z.object({ title: z.string() }), { name: "t" });
    const parsed = await client.chat.completions.parse({ ...question, response_format: format });
    expect(parsed.choices[0]?.message.parsed?.title).toEqual(expect.any(String));
    const weather = defineTool({ name: "get_weather", parameters: z.object({ city: z.string() }), execute: () => "sunny" });
    const runner = client.chat.completions.runTools({ ...question, tools: [weather] });
    expect(await runner.finalContent()).toMatch(/^This is a mock reply to/);
    const streamed = client.chat.completions.runTools({ ...question, stream: true, tools: [weather] });
    await streamed.done();

    // stream 1, parse 1, runTools 2 rounds, streamed runTools 2 rounds: each request and its response.
    expect(seen.filter((s) => s.phase === "request")).toHaveLength(6);
    expect(seen.filter((s) => s.phase === "response" && s.status === 200)).toHaveLength(6);
    expect(mock.server().requests.map((r) => r.headers["x-traced"])).toEqual(Array(6).fill("yes"));
    // The streamed ones asked for an event stream.
    expect(mock.server().requests.map((r) => r.headers.accept === "text/event-stream")).toEqual([
      true,
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  test("retries happen beneath middleware: one onRequest, one onResponse with the final status, three attempts on the wire", async () => {
    const client = mock.client({ maxRetries: 2 });
    const { seen, middleware } = recorder();
    client.use(middleware);
    await client.chat.completions.create(hello, fault("status=503; times=2; retry-after-ms=1"));
    expect(seen.map((s) => [s.phase, s.status])).toEqual([
      ["request", undefined],
      ["response", 200],
    ]);
    expect(mock.server().requests).toHaveLength(3);
    // The header the middleware added was sent on every attempt.
    expect(mock.server().requests.every((r) => r.headers["x-traced"] === "yes")).toBe(true);
  });

  test("onError sees a connection failure once retries are exhausted, and can answer in its place", async () => {
    const errors: unknown[] = [];
    const client = createClient({ apiKey: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 1, timeout: 2_000 });
    client.use({
      onError({ error }) {
        errors.push(error);
        return new Response(JSON.stringify(completion), { status: 200, headers: { "content-type": "application/json" } });
      },
    });
    const result: ChatCompletion = await client.chat.completions.create(hello);
    expect(result.id).toBe(completion.id);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(APIConnectionError);
    // Without an answer, the error goes on to the caller.
    const plain = createClient({ apiKey: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
    const seen: unknown[] = [];
    plain.use({ onError: ({ error }) => void seen.push(error) });
    await expect(plain.chat.completions.create(hello)).rejects.toBeInstanceOf(APIConnectionError);
    expect(seen).toHaveLength(1);
  });

  test("onRequest can answer without the network: JSON and an event stream (mocking)", async () => {
    const client = mock.client();
    client.use({
      onRequest({ request }) {
        if (request.headers.get("accept") === "text/event-stream") {
          const body =
            'data: {"id":"s","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\ndata: [DONE]\n\n';
          return new Response(body, { headers: { "content-type": "text/event-stream" } });
        }
        return new Response(JSON.stringify(completion), { headers: { "content-type": "application/json" } });
      },
    });
    expect((await client.chat.completions.create(hello)).id).toBe(completion.id);
    let text = "";
    for await (const chunk of await client.chat.completions.create(helloStream)) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe("hi");
    expect(mock.server().requests).toHaveLength(0);
  });

  test("onResponse can replace the response; an error status it returns becomes the API error", async () => {
    const client = mock.client();
    client.use({
      onResponse: () => new Response(JSON.stringify({ message: "replaced", statusCode: 418 }), { status: 418 }),
    });
    await expect(client.chat.completions.create(hello)).rejects.toMatchObject({ status: 418, message: "418 replaced" });
  });

  test("eject() removes middleware; per-call middleware of the typed POST runs after the client's", async () => {
    const client = mock.client();
    const order: string[] = [];
    const first: Middleware = { onRequest: () => void order.push("client") };
    client.use(first);
    await client.POST("/v1/chat/completions", { body: hello, middleware: [{ onRequest: () => void order.push("call") }] });
    expect(order).toEqual(["client", "call"]);
    client.eject(first);
    await client.chat.completions.create(hello);
    expect(order).toEqual(["client", "call"]);
    expect(() => client.use({} as Middleware)).toThrow(/Middleware must be an object/);
  });
});

describe("client.withOptions()", () => {
  test("a client with the same middleware and the given overrides; the original keeps its own", async () => {
    const client = mock.client({ headers: { "x-team": "a" }, maxRetries: 0 });
    const { seen, middleware } = recorder();
    client.use(middleware);
    const patient = client.withOptions({ maxRetries: 2, headers: { "x-call": "b" } });
    await patient.chat.completions.create(hello, fault("status=503; times=1; retry-after-ms=1"));
    expect(mock.server().requests).toHaveLength(2);
    expect(mock.server().requests[1]?.headers).toMatchObject({ "x-team": "a", "x-call": "b", "x-traced": "yes" });
    expect(seen.filter((s) => s.phase === "response").map((s) => s.status)).toEqual([200]);
    // The original client still does not retry, and has no x-call header.
    mock.server().requests.splice(0);
    await expect(client.chat.completions.create(hello, fault("status=503; times=1"))).rejects.toMatchObject({ status: 503 });
    expect(mock.server().requests).toHaveLength(1);
    expect(mock.server().requests[0]?.headers["x-call"]).toBeUndefined();
  });

  test("overrides the key, base URL and timeouts", async () => {
    const other = await import("@aimlapi-sdk/mock-server").then((m) => m.createMockServer({ apiKey: "second-key" }));
    try {
      const client = mock.client();
      const moved = client.withOptions({ apiKey: "second-key", baseUrl: other.url, timeout: 5_000 });
      expect((await moved.chat.completions.create(hello)).choices[0]?.message.content).toBe(MOCK_REPLY);
      expect(other.requests[0]?.headers.authorization).toBe("Bearer second-key");
      expect(mock.server().requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
