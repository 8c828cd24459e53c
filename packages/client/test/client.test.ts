import { afterEach, describe, expect, expectTypeOf, test, vi } from "vitest";
import { AIMLAPIError, type ChatCompletion, type ChatCompletionCreateParamsNonStreaming, createClient } from "../src/index";
import { completion } from "./fixtures";
import { sendJson, startServer, type TestServer } from "./helpers/http-server";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.unstubAllEnvs();
});

const params: ChatCompletionCreateParamsNonStreaming = {
  model: "openai/gpt-4.1-2025-04-14",
  messages: [{ role: "user", content: "Hello" }],
};

describe("createClient against a real HTTP server", () => {
  test("create() sends POST /v1/chat/completions with auth and JSON body, returns the typed completion", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, completion, { "x-request-id": "req-1" }));
    const client = createClient({ apiKey: "test-key-123", baseUrl: server.url });
    const result = await client.chat.completions.create({ ...params, temperature: 0.5 });

    expect(result).toEqual(completion);
    expectTypeOf(result).toEqualTypeOf<ChatCompletion>();
    const seen = server.requests[0];
    expect(server.requests).toHaveLength(1);
    expect(seen?.method).toBe("POST");
    expect(seen?.url).toBe("/v1/chat/completions");
    expect(seen?.headers.authorization).toBe("Bearer test-key-123");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.headers.accept).toBe("application/json");
    expect(JSON.parse(seen?.body ?? "")).toEqual({ ...params, temperature: 0.5 });
  });

  test("the typed openapi-fetch POST stays available and gives a completion, not a union", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, completion));
    const client = createClient({ apiKey: "k", baseUrl: server.url });
    const { data, response } = await client.POST("/v1/chat/completions", { body: { ...params } });

    expect(response.status).toBe(200);
    expect(data).toEqual(completion);
    expectTypeOf(data).toEqualTypeOf<ChatCompletion | undefined>();
    expect(server.requests[0]?.headers.authorization).toBe("Bearer k");
    expect(server.requests[0]?.url).toBe("/v1/chat/completions");
  });

  test("withResponse() gives the parsed data and the raw Response", async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 200, completion, { "x-request-id": "req-42", "x-ratelimit-remaining-requests": "99" }),
    );
    const client = createClient({ apiKey: "k", baseUrl: server.url });
    const { data, response, requestId } = await client.chat.completions.create(params).withResponse();
    expect(data.id).toBe("chatcmpl-test-1");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("99");
    expect(requestId).toBe("req-42");
  });

  test.each([
    ["", "/v1/chat/completions"],
    ["/", "/v1/chat/completions"],
    ["/v1", "/v1/chat/completions"],
    ["/v1/", "/v1/chat/completions"],
  ])("a base URL ending in %j is tolerated", async (suffix, path) => {
    server = await startServer((_req, res) => sendJson(res, 200, completion));
    const client = createClient({ apiKey: "k", baseUrl: `${server.url}${suffix}` });
    await client.chat.completions.create(params);
    expect(server.requests[0]?.url).toBe(path);
  });

  test("key and base URL come from AIML_API_KEY and AIML_API_BASE", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, completion));
    vi.stubEnv("AIML_API_KEY", "env-key");
    vi.stubEnv("AIMLAPI_API_KEY", "other-key");
    vi.stubEnv("AIML_API_BASE", `${server.url}/v1`);
    await createClient().chat.completions.create(params);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer env-key");
  });

  test("AIMLAPI_API_KEY is the fallback; an explicit apiKey wins over both", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, completion));
    vi.stubEnv("AIML_API_KEY", "");
    vi.stubEnv("AIMLAPI_API_KEY", "fallback-key");
    await createClient({ baseUrl: server.url }).chat.completions.create(params);
    vi.stubEnv("AIML_API_KEY", "env-key");
    await createClient({ baseUrl: server.url, apiKey: "explicit" }).chat.completions.create(params);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer fallback-key", "Bearer explicit"]);
  });

  test("no key anywhere: a clear error at creation naming both variables", () => {
    vi.stubEnv("AIML_API_KEY", "");
    vi.stubEnv("AIMLAPI_API_KEY", "");
    expect(() => createClient()).toThrow(AIMLAPIError);
    expect(() => createClient()).toThrow(/AIML_API_KEY.*AIMLAPI_API_KEY/);
  });

  test("user headers are sent; per-request headers override client headers", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, completion));
    const client = createClient({ apiKey: "k", baseUrl: server.url, headers: { "x-team": "a", "x-trace": "client" } });
    await client.chat.completions.create(params, { headers: { "x-trace": "call" } });
    expect(server.requests[0]?.headers["x-team"]).toBe("a");
    expect(server.requests[0]?.headers["x-trace"]).toBe("call");
  });

  test("invalid options fail fast with a clear message", () => {
    expect(() => createClient({ apiKey: "k", baseUrl: "api.aimlapi.com" })).toThrow(/Invalid baseUrl/);
    expect(() => createClient({ apiKey: "k", timeout: -1 })).toThrow(/Invalid timeout/);
    expect(() => createClient({ apiKey: "k", maxRetries: Number.NaN })).toThrow(/Invalid maxRetries/);
  });
});
