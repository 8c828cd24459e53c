/**
 * The tool loop against the mock server over HTTP, with openai-node's runner events and methods:
 * tools from defineTool() (typed by zod, valibot and arktype), from zodFunction(), and openai-node's
 * own `RunnableToolFunction` shape; parallel calls run concurrently, arguments are validated, rounds
 * are bounded, a signal stops a run, and a streamed run streams every round.
 */
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { zodFunction } from "../src/helpers/zod";
import {
  AIMLAPIError,
  APIUserAbortError,
  ChatCompletionRunner,
  ChatCompletionStreamingRunner,
  createClient,
  defineTool,
  type RunnableToolFunction,
} from "../src/index";
import { sendJson, startServer } from "./helpers/http-server";
import { fault, question, useMockServer } from "./helpers/mock";

const mock = useMockServer();

const weather = defineTool({
  name: "get_weather",
  description: "Current weather for a city",
  parameters: z.object({ city: z.string(), unit: z.enum(["c", "f"]).optional() }),
  execute: async ({ city, unit }) => ({ city, unit: unit ?? "c", temperature: 21 }),
});

/** Records every event a runner emits, in order, by name. */
function record(runner: { on(event: string, listener: (...args: unknown[]) => void): unknown }, names: string[]): string[] {
  const seen: string[] = [];
  for (const name of names) runner.on(name, () => seen.push(name));
  return seen;
}

describe("runTools(): openai-node's events and methods", () => {
  test("asks, runs the tool, sends the result back, ends with the model's answer", async () => {
    const runner = mock.client().chat.completions.runTools({ ...question, tools: [weather] });
    const events = record(runner, [
      "connect",
      "chatCompletion",
      "message",
      "functionToolCall",
      "functionToolCallResult",
      "content",
      "finalChatCompletion",
      "finalMessage",
      "finalContent",
      "finalFunctionToolCall",
      "finalFunctionToolCallResult",
      "totalUsage",
      "end",
    ]);
    expect(await runner.finalContent()).toMatch(/^This is a mock reply to/);
    expect(events).toEqual([
      "connect",
      "chatCompletion",
      "message",
      "functionToolCall",
      "message",
      "functionToolCallResult",
      "connect",
      "chatCompletion",
      "message",
      "content",
      "finalChatCompletion",
      "finalMessage",
      "finalContent",
      "finalFunctionToolCall",
      "finalFunctionToolCallResult",
      "totalUsage",
      "end",
    ]);
    expect((await runner.finalMessage()).role).toBe("assistant");
    expect(runner.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(JSON.parse((await runner.finalFunctionToolCallResult()) ?? "")).toMatchObject({ temperature: 21 });
    expect((await runner.finalFunctionToolCall())?.name).toBe("get_weather");
    expect(runner.allChatCompletions()).toHaveLength(2);
    const usage = await runner.totalUsage();
    expect(usage.total_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
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
      .chat.completions.runTools({ ...question, tools: [tool] })
      .done();
    expect(seen).toEqual([{ city: expect.any(String), days: expect.any(Number) }]);
  });

  test("openai-node's RunnableToolFunction: parse, then function with the parsed arguments, the runner and toolContext", async () => {
    const calls: unknown[] = [];
    const list: RunnableToolFunction<{ genre: string }> = {
      type: "function",
      function: {
        name: "list",
        description: "Lists books by genre",
        parameters: { type: "object", properties: { genre: { type: "string", enum: ["mystery", "memoir"] } } },
        parse: JSON.parse,
        function: async ({ genre }, runner, context) => {
          calls.push({ genre, isRunner: runner instanceof ChatCompletionRunner, context });
          return [{ name: "A book", genre }];
        },
      },
    };
    const runner = mock.client().chat.completions.runTools({ ...question, tools: [list], toolContext: { user: 7 } });
    const results: string[] = [];
    runner.on("functionToolCallResult", (content) => results.push(content));
    await runner.done();
    expect(calls).toEqual([{ genre: "mystery", isRunner: true, context: { user: 7 } }]);
    expect(JSON.parse(results[0] ?? "")).toEqual([{ name: "A book", genre: "mystery" }]);
    // What the request says about the tool: the function's definition, not the callbacks.
    const sent = JSON.parse(mock.server().requests[0]?.body ?? "");
    expect(sent.tools[0]).toEqual({
      type: "function",
      function: { name: "list", description: "Lists books by genre", parameters: list.function.parameters },
    });
  });

  test("zodFunction tools: the function gets the validated arguments; its error ends the run, as in openai-node", async () => {
    const Args = z.object({ city: z.string(), units: z.enum(["c", "f"]).default("c") });
    const seen: unknown[] = [];
    const ok = mock.client().chat.completions.runTools({
      ...question,
      tools: [zodFunction({ name: "get_weather", parameters: Args, function: (args) => seen.push(args) && "sunny" })],
    });
    expect(await ok.finalContent()).toMatch(/mock reply/);
    expect(seen).toEqual([{ city: expect.any(String), units: "c" }]);

    const failing = mock.client().chat.completions.runTools({
      ...question,
      tools: [
        zodFunction({
          name: "get_weather",
          parameters: Args,
          function: () => {
            throw new Error("the weather service is down");
          },
        }),
      ],
    });
    await expect(failing.done()).rejects.toThrow("the weather service is down");
  });

  test("a tool without a function to run is refused, naming it", async () => {
    const runner = mock.client().chat.completions.runTools({
      ...question,
      tools: [zodFunction({ name: "only_for_parse", parameters: z.object({ a: z.string() }) })],
    });
    const errors: unknown[] = [];
    runner.on("error", (error) => errors.push(error));
    await expect(runner.done()).rejects.toThrow('runTools(): the tool "only_for_parse" has no function to run');
    expect(errors[0]).toBeInstanceOf(AIMLAPIError);
    expect(mock.server().requests).toHaveLength(0);
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
          await bothStarted;
          return name;
        },
      });
    const runner = mock.client().chat.completions.runTools({ ...question, tools: [slow("first"), slow("second")] });
    expect(await runner.finalContent()).toMatch(/^This is a mock reply/);
    const results = runner.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(results).toEqual(["first", "second"]);
  });

  test("parallel_tool_calls: false runs one call at a time", async () => {
    const order: string[] = [];
    const step = (name: string) =>
      defineTool({
        name,
        parameters: z.object({ city: z.string() }),
        execute: async () => {
          order.push(`${name} start`);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(`${name} end`);
          return name;
        },
      });
    await mock
      .client()
      .chat.completions.runTools(
        { ...question, parallel_tool_calls: false, tools: [step("a"), step("b")] },
        fault("tool-rounds=1"),
      )
      .done();
    // The mock calls only the first tool when parallel calls are off.
    expect(order).toEqual(["a start", "a end"]);
  });

  test("defineTool: invalid arguments and a throwing tool go back to the model as the tool's reply", async () => {
    const broken = defineTool({
      name: "broken",
      parameters: z.object({ city: z.string() }),
      execute: () => {
        throw new Error("the weather service is down");
      },
    });
    const failed = mock.client().chat.completions.runTools({ ...question, tools: [broken] });
    expect(await failed.finalContent()).toMatch(/mock reply/);
    expect(failed.messages[2]).toMatchObject({ role: "tool", content: "Error: the weather service is down" });

    const invalid = mock.client().chat.completions.runTools({ ...question, tools: [weather] }, fault("invalid-tool-args"));
    await invalid.done();
    expect(invalid.messages[2]?.content).toMatch(/^Error: invalid arguments for get_weather: city: /);
  });

  test("a call of a tool the run does not have is answered as openai-node answers it", async () => {
    const replies = [
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "nope", arguments: "{}" } }],
      },
      { role: "assistant", content: "Fine." },
    ];
    const server = await startServer((_req, res, index) =>
      sendJson(res, 200, {
        id: `c${index}`,
        object: "chat.completion",
        created: 1,
        model: "m",
        choices: [{ index: 0, message: replies[index], finish_reason: index === 0 ? "tool_calls" : "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
    try {
      const runner = createClient({ apiKey: "k", baseUrl: server.url }).chat.completions.runTools({
        ...question,
        tools: [weather],
      });
      expect(await runner.finalContent()).toBe("Fine.");
      expect(runner.messages[2]).toEqual({
        role: "tool",
        tool_call_id: "c1",
        content: 'Invalid tool_call: "nope". Available options are: "get_weather". Please try again',
      });
    } finally {
      await server.close();
    }
  });

  test("rounds are bounded by maxChatCompletions (default 10), and tool_choice naming a function ends after it ran", async () => {
    const bounded = mock
      .client()
      .chat.completions.runTools({ ...question, tools: [weather] }, { maxChatCompletions: 3, ...fault("tool-rounds=50") });
    await bounded.done();
    expect(mock.server().requests).toHaveLength(3);
    expect(await bounded.finalContent()).toBeNull();
    mock.server().requests.splice(0);
    const defaults = mock.client().chat.completions.runTools({ ...question, tools: [weather] }, fault("tool-rounds=50"));
    await defaults.done();
    expect(mock.server().requests).toHaveLength(10);
    mock.server().requests.splice(0);
    const named = mock
      .client()
      .chat.completions.runTools(
        { ...question, tools: [weather], tool_choice: { type: "function", function: { name: "get_weather" } } },
        fault("tool-rounds=50"),
      );
    await named.done();
    expect(mock.server().requests).toHaveLength(1);
    expect(named.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  });

  test("afterCompletion runs after each completion and its tool calls, and may add to the conversation", async () => {
    const seen: number[] = [];
    const runner = mock.client().chat.completions.runTools(
      { ...question, tools: [weather] },
      {
        afterCompletion: (_completion, run) => {
          seen.push(run.messages.length);
          if (seen.length === 1) run.messages.push({ role: "user", content: "And tomorrow?" });
        },
      },
    );
    await runner.done();
    expect(seen).toEqual([3, 5]);
    const second = JSON.parse(mock.server().requests[1]?.body ?? "");
    expect(second.messages.at(-1)).toEqual({ role: "user", content: "And tomorrow?" });
  });

  test("a signal stops the run during a request, and between rounds; abort() too", async () => {
    const controller = new AbortController();
    const slowModel = mock
      .client()
      .chat.completions.runTools({ ...question, tools: [weather] }, { signal: controller.signal, ...fault("delay=2000") });
    const aborted: unknown[] = [];
    slowModel.on("abort", (error) => aborted.push(error));
    setTimeout(() => controller.abort(), 50);
    await expect(slowModel.finalContent()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(aborted[0]).toBeInstanceOf(APIUserAbortError);
    expect(slowModel.aborted).toBe(true);

    const stopper = new AbortController();
    const stopping = defineTool({
      name: "stop_here",
      parameters: z.object({ city: z.string() }),
      execute: () => {
        stopper.abort();
        return "done";
      },
    });
    const between = mock.client().chat.completions.runTools({ ...question, tools: [stopping] }, { signal: stopper.signal });
    await expect(between.done()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(mock.server().requests).toHaveLength(2);

    const manual = mock.client().chat.completions.runTools({ ...question, tools: [weather] }, fault("delay=2000"));
    setTimeout(() => manual.abort(), 50);
    await expect(manual.done()).rejects.toBeInstanceOf(APIUserAbortError);
  });
});

describe("runTools({ stream: true })", () => {
  test("streams every round: content events and chunks across rounds, usage counted", async () => {
    // Its requests are marked: an aborted request of the test before may reach the server only now.
    const marked = { headers: { "x-test": "streamed rounds" } };
    const runner = mock.client(marked).chat.completions.runTools({ ...question, stream: true, tools: [weather] });
    let text = "";
    runner.on("content", (delta) => {
      text += delta;
    });
    const chunks = [];
    for await (const chunk of runner) chunks.push(chunk);
    expect(text).toMatch(/^This is a mock reply to/);
    expect(chunks.length).toBeGreaterThan(5);
    expect(runner.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect((await runner.totalUsage()).total_tokens).toBeGreaterThan(0);
    // Each streamed round (two: the tool call, then the answer) asked for its usage.
    const rounds = mock.server().requests.filter((r) => r.headers["x-test"] === "streamed rounds");
    expect(rounds).toHaveLength(2);
    for (const request of rounds) expect(JSON.parse(request.body).stream_options).toEqual({ include_usage: true });
  });

  test("is a ChatCompletionStreamingRunner once loaded; tool-call argument events carry the parsed arguments", async () => {
    const runner = mock.client().chat.completions.runTools({
      ...question,
      stream: true,
      tools: [zodFunction({ name: "get_weather", parameters: z.object({ city: z.string() }), function: () => "sunny" })],
    });
    const done: unknown[] = [];
    runner.on("tool_calls.function.arguments.done", (props) => done.push(props.parsed_arguments));
    await runner.done();
    expect(runner).toBeInstanceOf(ChatCompletionStreamingRunner);
    expect(done).toEqual([{ city: expect.any(String) }]);
  });
});
