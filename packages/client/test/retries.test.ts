import { describe, expect, test } from "vitest";
import { retryDelay, serverDelay, shouldRetryResponse } from "../src/core/retry";
import { APIConnectionError, InternalServerError, RateLimitError } from "../src/index";
import { startServer } from "./helpers/http-server";
import { fault, hello, helloStream, MOCK_REPLY, onEachRoad, useMockServer } from "./helpers/mock";

onEachRoad((road) => {
  const mock = useMockServer(road);

  describe("retries against the mock server", () => {
    test("503 twice then success: exactly 3 requests, each with the same body, default backoff", async () => {
      const started = Date.now();
      const result = await mock.client().chat.completions.create(hello, fault("status=503; times=2"));
      expect(result.choices[0]?.message.content).toBe(MOCK_REPLY);
      const seen = mock.server().requests;
      expect(seen).toHaveLength(3);
      expect(new Set(seen.map((r) => r.body)).size).toBe(1);
      expect(JSON.parse(seen[0]?.body ?? "")).toEqual(hello);
      // About 0.5 s then 1 s, each less up to 25 % jitter.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
    });

    test.each([
      ["retry-after-ms", "retry-after-ms=2500", 2_500],
      ["Retry-After in seconds", "retry-after=1", 1_000],
    ])("429 with %s is retried after that delay", async (_name, header, expectedMs) => {
      const started = Date.now();
      await mock.client({ maxRetries: 1 }).chat.completions.create(hello, fault(`status=429; times=1; ${header}`));
      expect(mock.server().requests).toHaveLength(2);
      // At least the server's delay: the default first backoff is at most 0.5 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(expectedMs - 5);
    });

    test("429 with Retry-After as an HTTP date is retried after that delay", async () => {
      const at = new Date(Date.now() + 1_500).toUTCString();
      const started = Date.now();
      await mock.client({ maxRetries: 1 }).chat.completions.create(hello, fault(`status=429; times=1; retry-after=${at}`));
      expect(mock.server().requests).toHaveLength(2);
      // HTTP dates have whole seconds, so the wait is between 0.5 and 1.5 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    });

    test("retries exhausted: maxRetries + 1 attempts, then the last error", async () => {
      const error = await mock
        .client({ maxRetries: 2 })
        .chat.completions.create(hello, fault("status=429; retry-after-ms=5"))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect(mock.server().requests).toHaveLength(3);
    });

    test("per-request maxRetries overrides the client's; 0 means one attempt", async () => {
      const error = await mock
        .client({ maxRetries: 5 })
        .chat.completions.create(hello, { maxRetries: 0, headers: { "x-mock-fault": "status=500" } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect(mock.server().requests).toHaveLength(1);
    });

    test.each([400, 401, 403, 404, 422])("%i is not retried", async (status) => {
      await mock
        .client({ maxRetries: 3 })
        .chat.completions.create(hello, fault(`status=${status}`))
        .catch(() => {});
      expect(mock.server().requests).toHaveLength(1);
    });

    test.each([408, 409])("%i is retried", async (status) => {
      await mock.client({ maxRetries: 1 }).chat.completions.create(hello, fault(`status=${status}; times=1; retry-after-ms=1`));
      expect(mock.server().requests).toHaveLength(2);
    });

    test("a stream that fails before its headers is retried, then streams", async () => {
      const stream = await mock.client().chat.completions.create(helloStream, fault("status=502; times=1; retry-after-ms=1"));
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      expect(text).toBe(MOCK_REPLY);
      expect(mock.server().requests).toHaveLength(2);
    });

    test("a stream that drops after delivering chunks is not retried", async () => {
      const stream = await mock.client({ maxRetries: 3 }).chat.completions.create(helloStream, fault("drop-after=3"));
      const got: string[] = [];
      await expect(
        (async () => {
          for await (const chunk of stream) got.push(chunk.choices[0]?.delta?.content ?? "");
        })(),
      ).rejects.toBeInstanceOf(APIConnectionError);
      // The first chunk carries the role (and empty content), as live.
      expect(got).toEqual(["", "This ", "is "]);
      expect(mock.server().requests).toHaveLength(1);
    });

    test("the typed POST shares the retries", async () => {
      const client = mock.client({ maxRetries: 2 });
      const { data, response } = await client.POST("/v1/chat/completions", {
        body: hello,
        headers: { "x-mock-fault": "status=503; times=1; retry-after-ms=1" },
      });
      expect(response.status).toBe(200);
      expect(data?.choices[0]?.message.content).toBe(MOCK_REPLY);
      expect(mock.server().requests).toHaveLength(2);
    });
  });

  describe("connection failures are retried", () => {
    test("a connection destroyed before any response is retried, then succeeds", async () => {
      let calls = 0;
      const server = await startServer((_req, res) => {
        calls++;
        if (calls === 1) {
          res.socket?.destroy();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
      });
      try {
        const result = await road
          .createClient({ apiKey: "k", baseUrl: server.url, maxRetries: 1 })
          .chat.completions.create(hello);
        expect(result).toEqual({ ok: true });
        expect(calls).toBe(2);
      } finally {
        await server.close();
      }
    });
  });
});

describe("backoff rules", () => {
  test("exponential from 0.5 s, doubling, capped at 8 s, with up to 25 % jitter downwards", () => {
    for (const [retry, base] of [
      [0, 500],
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [9, 8_000],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const d = retryDelay(retry);
        expect(d).toBeLessThanOrEqual(base);
        expect(d).toBeGreaterThanOrEqual(base * 0.75);
      }
    }
  });

  test("server hints: retry-after-ms wins, then Retry-After seconds or date; unreasonable ones are ignored", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(serverDelay(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(serverDelay(new Headers({ "retry-after": "2" }), now)).toBe(2_000);
    expect(serverDelay(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }), now)).toBe(3_000);
    expect(serverDelay(new Headers({ "retry-after": "3600" }), now)).toBeUndefined();
    expect(serverDelay(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(serverDelay(new Headers({ "retry-after-ms": "-5" }), now)).toBeUndefined();
  });

  test("which statuses are retried; x-should-retry overrules", () => {
    const res = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });
    expect([408, 409, 429, 500, 503].map((s) => shouldRetryResponse(res(s)))).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 422].map((s) => shouldRetryResponse(res(s)))).toEqual([false, false, false, false, false]);
    expect(shouldRetryResponse(res(400, { "x-should-retry": "true" }))).toBe(true);
    expect(shouldRetryResponse(res(503, { "x-should-retry": "false" }))).toBe(false);
  });
});
