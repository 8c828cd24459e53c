/**
 * `client.chat.completions.stream()`: openai-node's ChatCompletionStream — its events (in order,
 * with their snapshots), its members, its errors and aborts, and `toReadableStream()` read back with
 * `ChatCompletionStream.fromReadableStream()`. Streams come from the mock server, or from a test
 * server sending chunks the mock does not produce (logprobs, two tool calls).
 */
import type { ServerResponse } from "node:http";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { zodFunction } from "../src/helpers/zod";
import {
  APIUserAbortError,
  type ChatCompletionChunk,
  ChatCompletionStream,
  type ChatCompletionTokenLogprob,
  InternalServerError,
  jsonSchemaFormat,
} from "../src/index";
import { startServer } from "./helpers/http-server";
import { fault, MOCK_REPLY, question, useMockServer } from "./helpers/mock";

const mock = useMockServer();

/** Every event of the stream, by name, in order (the ones with a listener of their own: all of them). */
const EVENTS = [
  "connect",
  "chunk",
  "content",
  "content.delta",
  "content.done",
  "refusal.delta",
  "refusal.done",
  "tool_calls.function.arguments.delta",
  "tool_calls.function.arguments.done",
  "logprobs.content.delta",
  "logprobs.content.done",
  "logprobs.refusal.delta",
  "logprobs.refusal.done",
  "message",
  "chatCompletion",
  "finalContent",
  "finalMessage",
  "finalChatCompletion",
  "totalUsage",
  "error",
  "abort",
  "end",
] as const;

/** Records the names of the events `stream` emits, with their arguments. */
function record(stream: ChatCompletionStream<unknown>): { name: string; args: unknown[] }[] {
  const seen: { name: string; args: unknown[] }[] = [];
  for (const name of EVENTS) stream.on(name as "end", ((...args: unknown[]) => seen.push({ name, args })) as () => void);
  return seen;
}

/** Event names with consecutive repeats collapsed: `chunk content content.delta chunk …` → readable order. */
const order = (seen: { name: string }[]) => seen.map((e) => e.name).filter((name, i, all) => name !== all[i - 1]);

const BASE = { id: "chatcmpl-t", object: "chat.completion.chunk", created: 1, model: "openai/gpt-4.1-2025-04-14" } as const;

/** One chunk of a single choice. */
function chunk(delta: object, finish: string | null = null, logprobs: object | null = null): ChatCompletionChunk {
  return { ...BASE, choices: [{ index: 0, delta, finish_reason: finish, logprobs }] } as ChatCompletionChunk;
}

/** Sends `chunks` as an event stream, then `[DONE]`. */
function sendEvents(res: ServerResponse, chunks: ChatCompletionChunk[]): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
  res.end("data: [DONE]\n\n");
}

const token = (text: string): ChatCompletionTokenLogprob => ({
  token: text,
  logprob: -0.25,
  bytes: [...Buffer.from(text)],
  top_logprobs: [],
});

describe("ChatCompletionStream events", () => {
  test("a reply: connect, chunk/content/content.delta per chunk, content.done, the completion, the final events, end", async () => {
    const stream = mock.client().chat.completions.stream(question);
    const seen = record(stream);
    await stream.done();
    const chunks = seen.filter((e) => e.name === "chunk").length;
    expect(chunks).toBeGreaterThan(3);
    // openai-node's order: the first chunk only says who speaks, each middle one carries text, the
    // last one says why it stopped; then the completion's events, then the final ones.
    expect(order(seen)).toEqual([
      "connect",
      "chunk",
      ...Array.from({ length: chunks - 2 }, () => ["content", "content.delta", "chunk"]).flat(),
      "content.done",
      "chatCompletion",
      "message",
      "finalChatCompletion",
      "finalMessage",
      "finalContent",
      "end",
    ]);
    const deltas = seen.filter((e) => e.name === "content.delta").map((e) => e.args[0] as { delta: string; snapshot: string });
    expect(deltas.map((d) => d.delta).join("")).toBe(MOCK_REPLY);
    // Each snapshot is the text so far.
    for (const [i, d] of deltas.entries())
      expect(d.snapshot).toBe(
        deltas
          .slice(0, i + 1)
          .map((x) => x.delta)
          .join(""),
      );
    expect(seen.find((e) => e.name === "content.done")?.args[0]).toEqual({ content: MOCK_REPLY, parsed: null });
    expect(seen.find((e) => e.name === "finalContent")?.args[0]).toBe(MOCK_REPLY);
  });

  test("members: final*(), the snapshot, emitted(), once/off, and the chunks as an async iterable", async () => {
    const stream = mock.client().chat.completions.stream(question);
    let onceCalls = 0;
    let offCalls = 0;
    const removed = () => offCalls++;
    stream
      .once("content", () => onceCalls++)
      .on("content", removed)
      .off("content", removed);
    const firstChunk = stream.emitted("chunk");
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    // An event with two arguments is emitted as a tuple: the chunk, and the snapshot after it.
    expect((await firstChunk)[0]).toEqual(chunks[0]);
    expect(onceCalls).toBe(1);
    expect(offCalls).toBe(0);
    expect(stream.currentChatCompletionSnapshot?.choices[0]?.message.content).toBe(MOCK_REPLY);
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message).toMatchObject({ role: "assistant", content: MOCK_REPLY, parsed: null });
    expect(await stream.finalContent()).toBe(MOCK_REPLY);
    expect((await stream.finalMessage()).content).toBe(MOCK_REPLY);
    expect(stream).toBeInstanceOf(ChatCompletionStream);
    expect(stream.ended).toBe(true);
  });

  test("a refusal: refusal.delta with the refusal so far, refusal.done; no content events; parsed is null", async () => {
    const format = jsonSchemaFormat(z.object({ answer: z.string() }), { name: "answer" });
    const stream = mock.client().chat.completions.stream({ ...question, response_format: format }, fault("refusal"));
    const seen = record(stream);
    const final = await stream.finalChatCompletion();
    const refusal = final.choices[0]?.message.refusal ?? "";
    expect(refusal.length).toBeGreaterThan(0);
    const deltas = seen.filter((e) => e.name === "refusal.delta").map((e) => e.args[0] as { delta: string; snapshot: string });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.delta).join("")).toBe(refusal);
    expect(deltas.at(-1)?.snapshot).toBe(refusal);
    expect(seen.filter((e) => e.name === "refusal.done").map((e) => e.args[0])).toEqual([{ refusal }]);
    expect(seen.some((e) => e.name.startsWith("content"))).toBe(false);
    expect(final.choices[0]?.message.parsed).toBeNull();
  });

  test("logprobs: logprobs.content.delta with the tokens so far, logprobs.content.done with all", async () => {
    const server = await startServer((_req, res) =>
      sendEvents(res, [
        chunk({ role: "assistant", content: "" }),
        chunk({ content: "Hi" }, null, { content: [token("Hi")], refusal: null }),
        chunk({ content: " there" }, null, { content: [token(" there")], refusal: null }),
        chunk({}, "stop"),
      ]),
    );
    try {
      const stream = mock.client({ baseUrl: server.url }).chat.completions.stream({ ...question, logprobs: true });
      const seen = record(stream);
      const final = await stream.finalChatCompletion();
      const deltas = seen.filter((e) => e.name === "logprobs.content.delta").map((e) => e.args[0]);
      expect(deltas).toHaveLength(2);
      expect(deltas[0]).toMatchObject({ content: [token("Hi")] });
      expect(deltas[1]).toMatchObject({ content: [token(" there")], snapshot: [token("Hi"), token(" there")] });
      expect(seen.filter((e) => e.name === "logprobs.content.done").map((e) => e.args[0])).toEqual([
        { content: [token("Hi"), token(" there")] },
      ]);
      expect(final.choices[0]?.logprobs?.content).toEqual([token("Hi"), token(" there")]);
      // Logprobs were asked for on the wire.
      expect(JSON.parse(server.requests[0]?.body ?? "{}")).toMatchObject({ logprobs: true, stream: true });
    } finally {
      await server.close();
    }
  });

  test("two tool calls: argument deltas with the arguments so far; each call is done when the next starts, parsed for a parseable tool", async () => {
    const call = (index: number, fn: object, id?: string) =>
      chunk({ tool_calls: [{ index, ...(id ? { id, type: "function" } : {}), function: fn }] });
    const server = await startServer((_req, res) =>
      sendEvents(res, [
        chunk({ role: "assistant", content: null }),
        call(0, { name: "get_weather", arguments: "" }, "call_1"),
        call(0, { arguments: '{"city":' }),
        call(0, { arguments: '"Lisbon"}' }),
        call(1, { name: "get_time", arguments: '{"zone":"UTC"}' }, "call_2"),
        chunk({}, "tool_calls"),
      ]),
    );
    try {
      const getWeather = zodFunction({ name: "get_weather", parameters: z.object({ city: z.string() }) });
      const getTime = zodFunction({ name: "get_time", parameters: z.object({ zone: z.string() }) });
      const stream = mock.client({ baseUrl: server.url }).chat.completions.stream({ ...question, tools: [getWeather, getTime] });
      const seen = record(stream);
      const message = await stream.finalMessage();
      const toolEvents = seen
        .filter((e) => e.name.startsWith("tool_calls"))
        .map((e) => [e.name.slice("tool_calls.function.arguments.".length), e.args[0]]);
      expect(toolEvents).toEqual([
        ["delta", { name: "get_weather", index: 0, arguments: "", arguments_delta: "", parsed_arguments: null }],
        ["delta", { name: "get_weather", index: 0, arguments: '{"city":', arguments_delta: '{"city":', parsed_arguments: {} }],
        [
          "delta",
          {
            name: "get_weather",
            index: 0,
            arguments: '{"city":"Lisbon"}',
            arguments_delta: '"Lisbon"}',
            parsed_arguments: { city: "Lisbon" },
          },
        ],
        ["done", { name: "get_weather", index: 0, arguments: '{"city":"Lisbon"}', parsed_arguments: { city: "Lisbon" } }],
        [
          "delta",
          {
            name: "get_time",
            index: 1,
            arguments: '{"zone":"UTC"}',
            arguments_delta: '{"zone":"UTC"}',
            parsed_arguments: { zone: "UTC" },
          },
        ],
        ["done", { name: "get_time", index: 1, arguments: '{"zone":"UTC"}', parsed_arguments: { zone: "UTC" } }],
      ]);
      expect(message.tool_calls?.map((c) => c.type === "function" && c.function.parsed_arguments)).toEqual([
        { city: "Lisbon" },
        { zone: "UTC" },
      ]);
      // No content: a message that only calls tools has no content events.
      expect(seen.some((e) => e.name.startsWith("content"))).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe("ChatCompletionStream failures", () => {
  test("an API error mid-stream: the error event and done() get the status's class; then end", async () => {
    const stream = mock.client().chat.completions.stream(question, fault("error-at=2; status=503; message=Overloaded"));
    const seen = record(stream);
    const failure = await stream.done().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InternalServerError);
    expect((failure as Error).message).toContain("Overloaded");
    expect(seen.filter((e) => e.name === "error").map((e) => e.args[0])).toEqual([failure]);
    expect(order(seen).slice(-2)).toEqual(["error", "end"]);
    expect(stream.errored).toBe(true);
    await expect(stream.finalChatCompletion()).rejects.toBe(failure);
  });

  test("abort(): the abort event and done() get APIUserAbortError, no error event; the server sees the client leave", async () => {
    const stream = mock.client().chat.completions.stream(question, fault("chunk-delay=50"));
    const seen = record(stream);
    stream.on("chunk", () => {
      if (seen.filter((e) => e.name === "chunk").length === 2) stream.abort();
    });
    await expect(stream.done()).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen.filter((e) => e.name === "chunk")).toHaveLength(2);
    expect(order(seen).slice(-2)).toEqual(["abort", "end"]);
    expect(seen.some((e) => e.name === "error")).toBe(false);
    expect(stream.aborted).toBe(true);
    expect(await mock.server().requests[0]?.closed).toEqual({ completed: false });
  });

  test("the caller's signal aborts it too, and leaving a for-await loop early closes the connection", async () => {
    const controller = new AbortController();
    const signalled = mock.client().chat.completions.stream(question, { signal: controller.signal, ...fault("chunk-delay=50") });
    signalled.once("chunk", () => controller.abort());
    await expect(signalled.finalChatCompletion()).rejects.toBeInstanceOf(APIUserAbortError);

    mock.server().requests.splice(0);
    const left = mock.client().chat.completions.stream(question, fault("chunk-delay=50"));
    for await (const _ of left) break;
    expect(await mock.server().requests[0]?.closed).toEqual({ completed: false });
  });
});

describe("toReadableStream() and ChatCompletionStream.fromReadableStream()", () => {
  test("the chunks cross as newline-delimited JSON, and the reading side gets the same events and completion", async () => {
    const sent = mock.client().chat.completions.stream(question);
    const body = await new Response(sent.toReadableStream()).text();
    const lines = body.trim().split("\n");
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ object: "chat.completion.chunk" });

    const read = ChatCompletionStream.fromReadableStream(new Response(body).body as ReadableStream<Uint8Array>);
    const seen = record(read);
    const final = await read.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(MOCK_REPLY);
    expect(final).toEqual(await sent.finalChatCompletion());
    expect(seen.filter((e) => e.name === "chunk")).toHaveLength(lines.length);
    expect(seen.filter((e) => e.name === "content.done")).toHaveLength(1);
    expect(read).toBeInstanceOf(ChatCompletionStream);
  });

  test("an empty readable stream is an error, not a completion", async () => {
    const read = ChatCompletionStream.fromReadableStream(new Response("").body as ReadableStream<Uint8Array>);
    await expect(read.done()).rejects.toThrow(/without sending any chunks/);
  });
});
