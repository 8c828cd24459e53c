import { baselineMs } from "@aimlapi-sdk/devkit/load";
import { describe, expect, test } from "vitest";
import { APIConnectionTimeoutError, APIUserAbortError } from "../src/index";
import { startServer } from "./helpers/http-server";
import { fault, hello, helloStream, MOCK_REPLY, onEachRoad, useMockServer } from "./helpers/mock";

/** Runs a promise and returns what it rejected with. */
async function failure(run: () => Promise<unknown>): Promise<{ error: unknown }> {
  try {
    await run();
  } catch (error) {
    return { error };
  }
  throw new Error("expected a failure");
}

onEachRoad((road) => {
  const mock = useMockServer(road);

  /**
   * The mock server answered none of the requests it received in full: the client hung up first. (A
   * request the client gave up on before the server read it is not recorded at all, which on a busy
   * machine happens; it was not answered either.)
   */
  async function noneAnswered(): Promise<void> {
    for (const request of mock.server().requests) expect(await request.closed).toEqual({ completed: false });
  }

  /**
   * A time limit that an ordinary exchange with the in-process mock server stays well within, on this
   * machine under its current load: tests where a limit must *not* fire use it rather than a constant.
   */
  async function roomyLimit(floorMs: number): Promise<number> {
    const client = mock.client({ maxRetries: 0 });
    const baseline = await baselineMs(async () => {
      for await (const _ of await client.chat.completions.create(helloStream));
    });
    mock.server().requests.splice(0);
    return Math.max(floorMs, Math.ceil(baseline * 20));
  }

  describe("timeouts", () => {
    test("no headers within `timeout`: APIConnectionTimeoutError, and the client hangs up before the reply", async () => {
      const started = Date.now();
      const { error } = await failure(() =>
        mock.client({ timeout: 150, maxRetries: 0 }).chat.completions.create(hello, fault("delay=3000")),
      );
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      expect((error as Error).message).toBe("Request timed out after 150 ms.");
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      // The server was still holding its reply back when the client gave up.
      await noneAnswered();
    });

    test("a timed-out attempt is retried like a connection error", async () => {
      // The retried attempt must finish within the timeout, whatever the machine's load.
      const timeout = await roomyLimit(1_000);
      const result = await mock
        .client({ timeout, maxRetries: 1 })
        .chat.completions.create(hello, fault(`delay=${timeout * 5}; times=1`));
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
          road.createClient({ apiKey: "k", baseUrl: server.url, timeout: 200, maxRetries: 0 }).chat.completions.create(hello),
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
      const { error } = await failure(async () => {
        for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? "");
      });
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      expect((error as Error).message).toBe("Stream timed out: no data for 150 ms.");
      // Only the first chunk (the role, with empty content) arrived before the silence: the client
      // gave up before the server's second chunk, and hung up.
      expect(got).toEqual([""]);
      expect(await mock.server().requests[0]?.closed).toEqual({ completed: false });
    });

    test("a slow but steady stream is not cut by `timeout` once headers arrived", async () => {
      const idleTimeout = await roomyLimit(1_000);
      const started = Date.now();
      const stream = await mock
        .client({ timeout: 200, idleTimeout })
        .chat.completions.create(helloStream, fault("chunk-delay=50"));
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      expect(text).toBe(MOCK_REPLY);
      // The stream lasted longer than `timeout` (ten chunks, 50 ms apart), yet was not cut.
      expect(Date.now() - started).toBeGreaterThan(200);
    });
  });

  describe("abort signals of finished calls", () => {
    test("are reused without leaking listeners, never fire for a finished call, and a later timeout still fires", async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on("warning", onWarning);
      try {
        const client = mock.client({ maxRetries: 0 });
        const replies = [];
        for (let i = 0; i < 120; i++) replies.push(await client.chat.completions.create(hello));
        expect(replies.every((r) => r.choices[0]?.message.content === MOCK_REPLY)).toBe(true);
        // A call that times out aborts its own request only; the next call is unaffected.
        const { error } = await failure(() =>
          mock.client({ timeout: 150, maxRetries: 0 }).chat.completions.create(hello, fault("delay=3000")),
        );
        expect(error).toBeInstanceOf(APIConnectionTimeoutError);
        expect((await client.chat.completions.create(hello)).choices[0]?.message.content).toBe(MOCK_REPLY);
        // A finished stream's abort() cannot reach a signal that now serves another call.
        const stream = await client.chat.completions.create(helloStream);
        for await (const _ of stream);
        const pending = client.chat.completions.create(hello, fault("delay=100"));
        stream.abort();
        expect((await pending).choices[0]?.message.content).toBe(MOCK_REPLY);
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.map((w) => w.message)).toEqual([]);
      } finally {
        process.off("warning", onWarning);
      }
    });
  });

  describe("user abort", () => {
    test("mid-request: APIUserAbortError at once, no retry", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const { error } = await failure(() =>
        mock
          .client({ maxRetries: 3 })
          .chat.completions.create(hello, { signal: controller.signal, headers: { "x-mock-fault": "delay=3000" } }),
      );
      expect(error).toBeInstanceOf(APIUserAbortError);
      // At once: before the server's delayed reply, and without a retry.
      await noneAnswered();
      expect(mock.server().requests.length).toBeLessThanOrEqual(1);
    });

    test("during a retry's backoff: APIUserAbortError at once", async () => {
      const controller = new AbortController();
      // Abort exactly when the client starts waiting 30 s to retry (it says so at level info).
      const logger = {
        error() {},
        warn() {},
        debug() {},
        info: (line: string) => line.includes("retrying in") && controller.abort(),
      };
      const { error } = await failure(() =>
        mock.client({ maxRetries: 3, logLevel: "info", logger }).chat.completions.create(hello, {
          signal: controller.signal,
          headers: { "x-mock-fault": "status=503; retry-after=30" },
        }),
      );
      // The 30 s backoff was cut short: no second attempt was ever made.
      expect(error).toBeInstanceOf(APIUserAbortError);
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
      // The server sends everything at once; the caller then spends longer than idleTimeout per chunk.
      const idleTimeout = await roomyLimit(200);
      const stream = await mock.client({ idleTimeout }).chat.completions.create(helloStream);
      let text = "";
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        await new Promise((resolve) => setTimeout(resolve, idleTimeout * 1.5));
      }
      expect(text).toBe(MOCK_REPLY);
    });
  });
});
