/**
 * The tool loop against the mock server over HTTP, with tools typed by zod, valibot and arktype:
 * parallel calls run concurrently, arguments are validated, errors go back to the model, rounds are
 * bounded, a signal stops it, and streaming runs stream each round.
 */
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { APIUserAbortError, defineTool, type RunnerStep } from "../src/index";
import { fault, hello, useMockServer } from "./helpers/mock";

const mock = useMockServer();

const weather = defineTool({
  name: "get_weather",
  description: "Current weather for a city",
  parameters: z.object({ city: z.string(), unit: z.enum(["c", "f"]).optional() }),
  execute: async ({ city, unit }) => ({ city, unit: unit ?? "c", temperature: 21 }),
});

async function collect(runner: AsyncIterable<RunnerStep>): Promise<RunnerStep[]> {
  const steps: RunnerStep[] = [];
  for await (const step of runner) steps.push(step);
  return steps;
}

describe("runTools()", () => {
  test("asks, runs the tool, sends the result back, ends with the model's answer; transcript, usage and steps", async () => {
    const runner = mock.client().chat.completions.runTools({ ...hello, tools: [weather] });
    const steps = await collect(runner);
    expect(steps.map((s) => `${s.type}#${s.round}`)).toEqual(["message#1", "tool#1", "message#2"]);
    expect(await runner.finalContent()).toMatch(/^This is a mock reply to/);
    expect((await runner.finalMessage()).role).toBe("assistant");
    expect(runner.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    const result = runner.messages[2];
    expect(result?.role === "tool" ? JSON.parse(result.content as string) : undefined).toMatchObject({ temperature: 21 });
    expect(runner.totalUsage.total_tokens).toBeGreaterThan(0);
    expect(runner.totalUsage.total_tokens).toBe(runner.totalUsage.prompt_tokens + runner.totalUsage.completion_tokens);
    // The second request carried the whole conversation, with the tools as plain JSON.
    const second = JSON.parse(mock.server().requests[1]?.body ?? "");
    expect(second.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(second.tools[0]).toEqual(JSON.parse(JSON.stringify(weather)));
    expect(second.tools[0].function.strict).toBe(true);
  });

  test.each([
    ["valibot", toStandardJsonSchema(v.object({ city: v.string(), days: v.optional(v.number()) }))],
    ["arktype", type({ city: "string", "days?": "number" })],
  ] as const)("%s tools: validated arguments reach execute", async (_name, parameters) => {
    const seen: unknown[] = [];
    const tool = defineTool({
      name: "forecast",
      parameters,
      execute: (args) => {
        seen.push(args);
        return "ok";
      },
    });
    await mock
      .client()
      .chat.completions.runTools({ ...hello, tools: [tool] })
      .done();
    expect(seen).toEqual([{ city: expect.any(String), days: expect.any(Number) }]);
  });

  test("parallel calls run concurrently, and their results go back in the order of the calls", async () => {
    let started = 0;
    let release: () => void = () => {};
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = (name: string) =>
      defineTool({
        name,
        parameters: z.object({ city: z.string() }),
        execute: async () => {
          if (++started === 2) release();
          // Each call waits until the other has started: only concurrency lets this finish.
          await Promise.race([
            bothStarted,
            new Promise((_, reject) => setTimeout(() => reject(new Error("ran one at a time")), 2_000)),
          ]);
          return name;
        },
      });
    const runner = mock.client().chat.completions.runTools({ ...hello, tools: [slow("first"), slow("second")] });
    expect(await runner.finalContent()).toMatch(/^This is a mock reply/);
    const results = runner.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(results).toEqual(["first", "second"]);
  });

  test("invalid arguments and a throwing tool go back to the model as the tool's reply, not as a crash", async () => {
    const broken = defineTool({
      name: "broken",
      parameters: z.object({ city: z.string() }),
      execute: () => {
        throw new Error("the weather service is down");
      },
    });
    const invalid = await mock.client().chat.completions.runTools({ ...hello, tools: [weather] }, fault("invalid-tool-args"));
    const invalidSteps = await collect(invalid);
    const reply = invalidSteps.find((s) => s.type === "tool");
    expect(reply?.type === "tool" && reply.content).toMatch(/^Error: invalid arguments for get_weather: city: /);
    expect(await invalid.finalContent()).toMatch(/^This is a mock reply/);
    const throwing = mock.client().chat.completions.runTools({ ...hello, tools: [broken] });
    await throwing.done();
    expect(throwing.messages.find((m) => m.role === "tool")?.content).toBe("Error: the weather service is down");
  });

  test("maxRounds bounds the requests; the run then ends on the last tool results", async () => {
    const runner = mock
      .client()
      .chat.completions.runTools({ ...hello, tools: [weather] }, { maxRounds: 3, ...fault("tool-rounds=50") });
    expect(await runner.finalContent()).toBeNull();
    expect(mock.server().requests).toHaveLength(3);
    expect(runner.messages.at(-1)?.role).toBe("tool");
    const defaults = mock.client().chat.completions.runTools({ ...hello, tools: [weather] }, fault("tool-rounds=50"));
    await defaults.done();
    expect(mock.server().requests).toHaveLength(3 + 10);
  });

  test("a signal stops the run during a request, and between rounds; abort() too", async () => {
    const controller = new AbortController();
    const slowModel = mock
      .client()
      .chat.completions.runTools({ ...hello, tools: [weather] }, { signal: controller.signal, ...fault("delay=2000") });
    setTimeout(() => controller.abort(), 50);
    await expect(slowModel.finalContent()).rejects.toBeInstanceOf(APIUserAbortError);

    const stopper = new AbortController();
    const stopping = defineTool({
      name: "stop_here",
      parameters: z.object({ city: z.string() }),
      execute: () => {
        stopper.abort();
        return "done";
      },
    });
    const between = mock.client().chat.completions.runTools({ ...hello, tools: [stopping] }, { signal: stopper.signal });
    await expect(between.done()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(mock.server().requests).toHaveLength(2);

    const manual = mock.client().chat.completions.runTools({ ...hello, tools: [weather] }, fault("delay=2000"));
    setTimeout(() => manual.abort(), 50);
    await expect(collect(manual)).rejects.toBeInstanceOf(APIUserAbortError);
  });

  test("stream: true streams each round's reply as chunk steps, with usage counted", async () => {
    const runner = mock.client().chat.completions.runTools({ ...hello, tools: [weather], stream: true });
    const steps = await collect(runner);
    const chunks = steps.filter((s) => s.type === "chunk");
    expect(new Set(chunks.map((s) => s.round))).toEqual(new Set([1, 2]));
    const text = chunks
      .filter((s) => s.round === 2)
      .map((s) => (s.type === "chunk" ? (s.chunk.choices[0]?.delta?.content ?? "") : ""))
      .join("");
    expect(text).toBe(await runner.finalContent());
    expect(runner.totalUsage.total_tokens).toBeGreaterThan(0);
    expect(JSON.parse(mock.server().requests[0]?.body ?? "").stream_options).toEqual({ include_usage: true });
  });

  test("API errors end the run; runTools needs tools from defineTool()", async () => {
    const failing = mock.client({ maxRetries: 0 }).chat.completions.runTools({ ...hello, tools: [weather] }, fault("status=429"));
    await expect(failing.finalContent()).rejects.toMatchObject({ status: 429 });
    expect(() =>
      mock
        .client()
        .chat.completions.runTools({ ...hello, tools: [{ type: "function", function: { name: "x", parameters: {} } }] } as never),
    ).toThrow("runTools() needs tools made with defineTool()");
  });
});
