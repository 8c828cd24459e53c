import { describe, expect, test } from "vitest";
import { APIConnectionTimeoutError, APIUserAbortError, createClient } from "../src/index";
import { startServer } from "./helpers/http-server";
import { fault, hello, helloStream, MOCK_REPLY, useMockServer } from "./helpers/mock";

const mock = useMockServer();

/** Runs a promise and returns what it rejected with and how long that took. */
async function failure(run: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await run();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error("expected a failure");
}

describe("timeouts", () => {
  test("no headers within `timeout`: APIConnectionTimeoutError", async () => {
    const { error, ms } = await failure(() =>
      mock.client({ timeout: 150, maxRetries: 0 }).chat.completions.create(hello, fault("delay=3000")),
    );
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toBe("Request timed out after 150 ms.");
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1_500);
  });

  test("a timed-out attempt is retried like a connection error", async () => {
    // Generous figures: the retried attempt must finish within the timeout even on a loaded CI machine.
    const result = await mock
      .client({ timeout: 1_000, maxRetries: 1 })
      .chat.completions.create(hello, fault("delay=5000; times=1"));
    expect(result.choices[0]?.message.content).toBe(MOCK_REPLY);
    expect(mock.server().requests).toHaveLength(2);
  });

  test("the JSON timeout covers the body, not just the headers", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
      // …and the rest never comes.
    });
    try {
      const { error } = await failure(() =>
        createClient({ apiKey: "k", baseUrl: server.url, timeout: 200, maxRetries: 0 }).chat.completions.create(hello),
      );
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    } finally {
      await server.close();
    }
  });

  test("per-request timeout overrides the client's", async () => {
    const { error } = await failure(() =>
      mock
        .client({ timeout: 60_000, maxRetries: 0 })
        .chat.completions.create(hello, { timeout: 100, headers: { "x-mock-fault": "delay=2000" } }),
    );
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  test("a stream silent for longer than `idleTimeout` between chunks: APIConnectionTimeoutError", async () => {
    const stream = await mock
      .client({ idleTimeout: 150, maxRetries: 0 })
      .chat.completions.create(helloStream, fault("chunk-delay=1000"));
    const got: string[] = [];
    const { error, ms } = await failure(async () => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta?.content ?? "");
    });
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toBe("Stream timed out: no data for 150 ms.");
    // Only the first chunk (the role, with empty content) arrived before the silence.
    expect(got).toEqual([""]);
    expect(ms).toBeLessThan(1_000);
  });

  test("a slow but steady stream is not cut by `timeout` once headers arrived", async () => {
    const stream = await mock
      .client({ timeout: 500, idleTimeout: 1_000 })
      .chat.completions.create(helloStream, fault("chunk-delay=30"));
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe(MOCK_REPLY);
  });
});

describe("user abort", () => {
  test("mid-request: APIUserAbortError at once, no retry", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error, ms } = await failure(() =>
      mock
        .client({ maxRetries: 3 })
        .chat.completions.create(hello, { signal: controller.signal, headers: { "x-mock-fault": "delay=3000" } }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(ms).toBeLessThan(1_000);
    expect(mock.server().requests).toHaveLength(1);
  });

  test("during a retry's backoff: APIUserAbortError at once", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { error, ms } = await failure(() =>
      mock
        .client({ maxRetries: 3 })
        .chat.completions.create(hello, { signal: controller.signal, headers: { "x-mock-fault": "status=503; retry-after=30" } }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(ms).toBeLessThan(1_000);
    expect(mock.server().requests).toHaveLength(1);
  });

  test("an already-aborted signal sends nothing", async () => {
    const { error } = await failure(() => mock.client().chat.completions.create(hello, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(mock.server().requests).toHaveLength(0);
  });

  test("mid-stream: the loop throws APIUserAbortError and the server sees the connection close", async () => {
    const controller = new AbortController();
    const stream = await mock
      .client()
      .chat.completions.create(helloStream, { signal: controller.signal, headers: { "x-mock-fault": "chunk-delay=50" } });
    const got: string[] = [];
    const { error } = await failure(async () => {
      for await (const chunk of stream) {
        got.push(chunk.choices[0]?.delta?.content ?? "");
        if (got.length === 2) controller.abort();
      }
    });
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(got).toHaveLength(2);
    expect(await mock.server().requests[0]?.closed).toEqual({ completed: false });
  });
});

describe("idle timeout measures the server, not the caller", () => {
  test("a caller slower than idleTimeout between chunks does not time the stream out", async () => {
    const stream = await mock.client({ idleTimeout: 200 }).chat.completions.create(helloStream);
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(text).toBe(MOCK_REPLY);
  });
});
