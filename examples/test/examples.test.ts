import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { run as runCommand } from "@aimlapi-sdk/devkit/commands";
import { scaledTimeout } from "@aimlapi-sdk/devkit/load";
import { describe, expect, test } from "vitest";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Runs an example as a user would, without an API key (so against the in-process mock server):
 * its build (turbo builds the examples before their tests), so no TypeScript is compiled per run.
 */
async function run(example: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = await runCommand(process.execPath, [join(dir, "dist", `${example}.mjs`), ...args], {
    cwd: dir,
    env: { ...process.env, AIML_API_KEY: "", AIMLAPI_API_KEY: "", ...env },
    timeoutMs: scaledTimeout(30_000),
  });
  return { code: result.code ?? 1, stdout: result.stdout, stderr: result.stderr };
}

describe.concurrent("examples run against the mock server", () => {
  test("demo: says it uses the mock, streams the answer, prints usage", async () => {
    const r = await run("demo", ["What", "is", "an", "SDK?"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^No AIML_API_KEY set: answering from a local mock server at http:\/\/127\.0\.0\.1:\d+\.\n/);
    expect(r.stdout).toBe('This is a mock reply to: "What is an SDK?".\n');
    expect(r.stderr).toMatch(/— \d+ tokens \(\d+ prompt \+ \d+ completion\)\n$/);
  });

  test("demo under a fault: one readable error line with status, message and request id; exit 1", async () => {
    const r = await run("demo", ["hi"], { AIMLAPI_MOCK_FAULT: "status=429; message=Rate limit exceeded" });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^error: 429 Rate limit exceeded \(request id mock-\d+\)$/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test("demo when the stream drops: a connection error line, not a short answer", async () => {
    const r = await run("demo", ["hi"], { AIMLAPI_MOCK_FAULT: "drop-after=3" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("This is \n");
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^error: Connection error: /);
  });

  test.each(["0", "1"])(
    "tools (stream %s): runTools calls the typed tool, sends the result back, prints the answer",
    async (stream) => {
      const r = await run("tools", [], { AIMLAPI_EXAMPLE_STREAM: stream });
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^round 1: the model calls get_weather\(\{"city":"[^"]+","unit":"celsius"\}\)\n/);
      expect(r.stdout).toMatch(/\nround 1: \{"city":"[^"]+","unit":"celsius","temperature":21\}\n/);
      expect(r.stdout).toMatch(
        /\nanswer: This is a mock reply to: "What's the weather in Lisbon\?"\.\n4 messages, \d+ tokens\n$/,
      );
    },
  );

  test("structured output: parse() gives the recipe typed and validated, whole and streamed", async () => {
    const r = await run("structured-output");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^\w+: 1 min, 1 ingredient\(s\)\nstreamed: \d+ snapshots, then "\w+"\n$/);
  });

  test("structured output under faults: a refusal and a cut reply are one readable line each", async () => {
    const refused = await run("structured-output", [], { AIMLAPI_MOCK_FAULT: "refusal" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: refused: I'm sorry/);
    const cut = await run("structured-output", [], { AIMLAPI_MOCK_FAULT: "finish-reason=length" });
    expect(cut.stderr).toMatch(/^error: Could not parse the response: the model ran out of tokens/);
  });

  test("abort: a deadline stops a slow stream", async () => {
    const r = await run("abort", [], { AIMLAPI_ABORT_AFTER_MS: "300", AIMLAPI_MOCK_FAULT: "chunk-delay=100" });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/aborted after [0-4] chunks\n$/);
    expect(r.stdout).not.toContain("completed");
  });
});
