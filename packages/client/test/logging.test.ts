/**
 * Logging at every level, over real HTTP against the mock server: success, retry, timeout, API
 * error and stream, each case's lines checked for what the level promises — and the API key never in
 * any line, even when the server echoes it.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { type ClientOptions, createClient, type Logger, type LogLevel } from "../src/index";
import { sendJson, startServer } from "./helpers/http-server";
import { API_KEY, fault, hello, helloStream, useMockServer } from "./helpers/mock";

const mock = useMockServer();
afterEach(() => vi.unstubAllEnvs());

/** A logger that keeps every line with its level. */
function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, error: keep("error"), warn: keep("warn"), info: keep("info"), debug: keep("debug") };
}

/** Runs the five cases with a client at `logLevel` and returns every line logged. */
async function runCases(logLevel: LogLevel | undefined, extra: ClientOptions = {}): Promise<string[]> {
  const logger = capture();
  const client = mock.client({ logger, maxRetries: 1, ...(logLevel ? { logLevel } : {}), ...extra });
  await client.chat.completions.create(hello); // success
  await client.chat.completions.create(hello, fault("status=503; times=1; retry-after-ms=5")); // retry, then success
  await client.chat.completions.create(hello, { ...fault("delay=400"), timeout: 100, maxRetries: 0 }).catch(() => {}); // timeout
  await client.chat.completions.create(hello, fault("status=429; message=Rate limit reached")).catch(() => {}); // API error, retried once
  for await (const _ of await client.chat.completions.create(helloStream)); // stream
  return logger.lines;
}

describe("logLevel and logger", () => {
  test("debug: every attempt with method, URL, status, duration, attempt and redacted headers", async () => {
    const lines = await runCases("debug");
    const url = `${mock.server().url}/v1/chat/completions`;
    const debug = lines.filter((l) => l.startsWith("debug "));
    // Six attempts answered: success, 503 + retry, 429 twice, stream (the timed-out one never answered).
    expect(debug).toHaveLength(6);
    for (const line of debug) {
      expect(line).toMatch(
        new RegExp(
          `^debug \\[aimlapi\\] POST ${url.replace(/[.]/g, "\\.")} \\(attempt [12] of [12]\\) \\d{3} in \\d+ ms, request id mock-\\d+, request headers \\{`,
        ),
      );
      expect(line).toContain('"Authorization":"[redacted]"');
      expect(line).toContain('"Content-Type":"application/json"');
    }
    expect(debug.map((l) => / \d{3} in /.exec(l)?.[0].trim())).toEqual([
      "200 in",
      "503 in",
      "200 in",
      "429 in",
      "429 in",
      "200 in",
    ]);
  });

  test("info: retries with reason and delay, timeouts, and the request ids of failures; no per-attempt detail", async () => {
    const lines = await runCases("info");
    expect(lines.some((l) => l.startsWith("debug"))).toBe(false);
    const info = lines.filter((l) => l.startsWith("info "));
    expect(info).toHaveLength(4);
    expect(info[0]).toMatch(/\(attempt 1 of 2\) failed: 503, request id mock-\d+ \(retrying in \d+ ms\)$/);
    expect(info[1]).toMatch(/\(attempt 1 of 1\) failed: Request timed out after 100 ms\.$/);
    expect(info[2]).toMatch(/\(attempt 1 of 2\) failed: 429, request id mock-\d+ \(retrying in \d+ ms\)$/);
    expect(info[3]).toMatch(/\(attempt 2 of 2\) failed: 429, request id mock-\d+$/);
  });

  test.each(["warn", "error", "off"] as const)("%s: nothing in these cases", async (level) => {
    expect(await runCases(level)).toEqual([]);
  });

  test("the default is AIML_LOG, else warn; an unknown level is reported in one line and replaced by warn", async () => {
    vi.stubEnv("AIML_LOG", "info");
    expect((await runCases(undefined)).filter((l) => l.startsWith("info"))).toHaveLength(4);
    vi.stubEnv("AIML_LOG", "");
    expect(await runCases(undefined)).toEqual([]);
    vi.stubEnv("AIML_LOG", "verbose");
    const logger = capture();
    mock.client({ logger });
    expect(logger.lines).toEqual([
      'warn [aimlapi] log level "verbose" is not one of off, error, warn, info, debug; using "warn"',
    ]);
  });

  test("a stream that goes silent is reported at info", async () => {
    const logger = capture();
    const stream = await mock
      .client({ logger, logLevel: "info", idleTimeout: 100, maxRetries: 0 })
      .chat.completions.create(helloStream, fault("chunk-delay=500"));
    await expect(
      (async () => {
        for await (const _ of stream);
      })(),
    ).rejects.toThrow(/no data for 100 ms/);
    expect(logger.lines).toEqual([
      expect.stringMatching(/^info \[aimlapi\] POST .* \(attempt 1 of 1\) Stream timed out: no data for 100 ms\.$/),
    ]);
  });

  test("the key is in no line at any level, even when the server echoes it and user headers look like keys", async () => {
    const all: string[] = [];
    for (const level of ["debug", "info", "warn", "error", "off"] as const) {
      all.push(...(await runCases(level, { headers: { "x-service-token": "tok_abcdefghijklmnopqrstuvwxyz012345" } })));
    }
    const echo = await startServer((req, res) => sendJson(res, 500, { message: `bad key ${req.headers.authorization}` }));
    try {
      const logger = capture();
      await createClient({ apiKey: API_KEY, baseUrl: echo.url, logger, logLevel: "debug", maxRetries: 1 })
        .chat.completions.create(hello)
        .catch(() => {});
      all.push(...logger.lines);
    } finally {
      await echo.close();
    }
    expect(all.length).toBeGreaterThan(10);
    for (const line of all) {
      expect(line).not.toContain(API_KEY);
      expect(line).not.toContain("tok_abcdefghijklmnopqrstuvwxyz012345");
    }
  });
});
