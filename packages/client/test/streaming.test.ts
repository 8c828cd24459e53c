import { describe, expect, expectTypeOf, test } from "vitest";
import {
  APIConnectionError,
  APIError,
  accumulateChatCompletion,
  type ChatCompletionChunk,
  InternalServerError,
  Stream,
} from "../src/index";
import { ChatCompletionAccumulator } from "../src/lib/accumulate";
import { sendJson, startServer } from "./helpers/http-server";
import { fault, hello, helloStream, MOCK_REPLY, onEachRoad, useMockServer } from "./helpers/mock";

onEachRoad((road) => {
  const mock = useMockServer(road);

  async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of stream) out.push(item);
    return out;
  }

  const textOf = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");

  describe("SSE streams", () => {
    test("iterates typed chunks until [DONE], sending Accept: text/event-stream", async () => {
      const stream = await mock.client().chat.completions.create(helloStream);
      expectTypeOf(stream).toEqualTypeOf<Stream<ChatCompletionChunk>>();
      expect(stream).toBeInstanceOf(Stream);
      const chunks = await collect(stream);
      expect(textOf(chunks)).toBe(MOCK_REPLY);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
      expect(chunks.some((c) => c.usage)).toBe(false);
      expect(mock.server().requests[0]?.headers.accept).toBe("text/event-stream");
      expect(JSON.parse(mock.server().requests[0]?.body ?? "")).toMatchObject({ stream: true });
    });

    test("with include_usage, the last chunk has usage and no choices; the accumulator keeps it", async () => {
      const stream = await mock.client().chat.completions.create({ ...helloStream, stream_options: { include_usage: true } });
      const chunks = await collect(stream);
      const last = chunks.at(-1);
      expect(last?.choices).toEqual([]);
      expect(last?.usage?.total_tokens).toBeGreaterThan(0);
      const completion = await accumulateChatCompletion(chunks);
      expect(completion.usage).toEqual(last?.usage);
      expect(completion.choices[0]?.message.content).toBe(MOCK_REPLY);
    });

    test("accumulates to the same completion the JSON call returns", async () => {
      const client = mock.client();
      const json = await client.chat.completions.create(hello);
      const streamed = await accumulateChatCompletion(await client.chat.completions.create(helloStream));
      expect(streamed.id).toMatch(/^chatcmpl-mock-[0-9a-f]{8}$/);
      expect(streamed.model).toBe(json.model);
      expect(streamed.object).toBe("chat.completion");
      expect(streamed.choices[0]?.message.content).toBe(json.choices[0]?.message.content);
      expect(streamed.choices[0]?.finish_reason).toBe(json.choices[0]?.finish_reason);
      expect(streamed.usage).toBeUndefined();
    });

    test("tool-call deltas are merged into whole tool calls", async () => {
      const tools = [
        {
          type: "function" as const,
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer", minimum: 1 } } },
          },
        },
      ];
      const stream = await mock.client().chat.completions.create({ ...helloStream, tools });
      const chunks = await collect(stream);
      expect(chunks.filter((c) => c.choices[0]?.delta?.tool_calls?.length).length).toBeGreaterThan(2);
      const completion = await accumulateChatCompletion(chunks);
      const choice = completion.choices[0];
      expect(choice?.finish_reason).toBe("tool_calls");
      // As in the JSON reply: a message that only calls tools has no content.
      expect(choice?.message.content).toBeNull();
      expect(choice?.message.tool_calls).toHaveLength(1);
      expect(choice?.message.tool_calls?.[0]).toMatchObject({
        type: "function",
        function: { name: "get_weather" },
      });
      const call = choice?.message.tool_calls?.[0];
      // The JSON call gives the same call in one piece.
      const json = await mock.client().chat.completions.create({ ...hello, tools });
      expect({ ...call, id: "" }).toEqual({ ...json.choices[0]?.message.tool_calls?.[0], id: "" });
      expect(call?.id).toMatch(/^call_/);
      expect(call?.type === "function" ? JSON.parse(call.function.arguments) : undefined).toMatchObject({
        city: expect.any(String),
      });
    });

    test("the accumulator merges fragments by index, including two parallel calls and arguments split mid-token", () => {
      const base = { id: "c1", object: "chat.completion.chunk" as const, created: 1, model: "m" };
      const frag = (index: number, id: string, name: string, args: string): ChatCompletionChunk => ({
        ...base,
        choices: [
          {
            index: 0,
            finish_reason: "tool_calls",
            delta: {
              role: "assistant",
              content: "",
              tool_calls: [{ index, id, type: "function", function: { name, arguments: args } }],
            },
          },
        ],
      });
      const acc = new ChatCompletionAccumulator();
      for (const c of [frag(0, "a", "one", '{"x"'), frag(1, "b", "two", "{}"), frag(0, "a", "one", ":1}")]) acc.add(c);
      expect(acc.result().choices[0]?.message.tool_calls).toEqual([
        { id: "a", type: "function", function: { name: "one", arguments: '{"x":1}' } },
        { id: "b", type: "function", function: { name: "two", arguments: "{}" } },
      ]);
    });

    test("the accumulator takes fragments as the wire sends them: id and name first, then index and arguments only", () => {
      const base = { id: "c2", object: "chat.completion.chunk" as const, created: 1, model: "m", usage: null };
      const chunk = (
        delta: ChatCompletionChunk["choices"][number]["delta"],
        finish: "tool_calls" | null = null,
      ): ChatCompletionChunk => ({
        ...base,
        choices: [{ index: 0, finish_reason: finish, delta }],
      });
      const acc = new ChatCompletionAccumulator();
      acc.add(
        chunk({
          role: "assistant",
          content: null,
          tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "" } }],
        }),
      );
      acc.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }));
      acc.add(chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }));
      acc.add(chunk({}, "tool_calls"));
      const [choice] = acc.result().choices;
      expect(choice).toEqual({
        index: 0,
        finish_reason: "tool_calls",
        logprobs: null,
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
        },
      });
    });

    test("a connection dropped before [DONE] throws APIConnectionError after the chunks that arrived", async () => {
      const stream = await mock.client().chat.completions.create(helloStream, fault("drop-after=4"));
      const got: ChatCompletionChunk[] = [];
      await expect(
        (async () => {
          for await (const chunk of stream) got.push(chunk);
        })(),
      ).rejects.toBeInstanceOf(APIConnectionError);
      expect(textOf(got)).toBe("This is a ");
    });

    test("a malformed event throws APIError naming the data", async () => {
      const stream = await mock.client().chat.completions.create(helloStream, fault("malformed-at=1"));
      const error = await collect(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect((error as Error).message).toBe("Could not parse stream event as JSON: {not json");
    });

    test("an error event mid-stream throws the status's APIError class with upstream's message", async () => {
      const stream = await mock
        .client()
        .chat.completions.create(helloStream, fault("error-at=2; status=503; message=Overloaded"));
      const got: ChatCompletionChunk[] = [];
      const error = await (async () => {
        for await (const chunk of stream) got.push(chunk);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as InternalServerError).status).toBe(503);
      expect((error as Error).message).toBe("503 Overloaded");
      expect((error as InternalServerError).requestId).toMatch(/^mock-/);
      expect(got).toHaveLength(2);
    });

    test("an `error` payload in a data event throws APIError", async () => {
      const stream = await mock.client().chat.completions.create(helloStream, fault("error-at=1; error-as=payload"));
      const error = await collect(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect((error as Error).message).toMatch(/Mock error in the middle of the stream/);
    });

    test("`break` closes the connection: the server sees the client leave", async () => {
      const stream = await mock.client().chat.completions.create(helloStream, fault("chunk-delay=40"));
      for await (const chunk of stream) {
        expect(chunk.object).toBe("chat.completion.chunk");
        break;
      }
      expect(await mock.server().requests[0]?.closed).toEqual({ completed: false });
    });

    test("stream.abort() ends the loop quietly and closes the connection", async () => {
      const stream = await mock.client().chat.completions.create(helloStream, fault("chunk-delay=40"));
      const got: ChatCompletionChunk[] = [];
      for await (const chunk of stream) {
        got.push(chunk);
        if (got.length === 2) stream.abort();
      }
      expect(got).toHaveLength(2);
      expect(await mock.server().requests[0]?.closed).toEqual({ completed: false });
    });

    test("a stream is iterated once; tee() gives two full copies", async () => {
      const stream = await mock.client().chat.completions.create(helloStream);
      const [a, b] = stream.tee();
      const [left, right] = await Promise.all([collect(a), collect(b)]);
      expect(textOf(left)).toBe(MOCK_REPLY);
      expect(right).toEqual(left);
      expect(() => stream[Symbol.asyncIterator]()).toThrow(/already been iterated/);
    });

    test("toReadableStream() → fromReadableStream() round-trips the chunks (as when relaying to a browser)", async () => {
      const stream = await mock.client().chat.completions.create(helloStream);
      const bytes = stream.toReadableStream();
      const relayed = Stream.fromReadableStream<ChatCompletionChunk>(bytes);
      expect(textOf(await collect(relayed))).toBe(MOCK_REPLY);
    });

    test("stream.controller (openai-node's handle) aborts like stream.abort()", async () => {
      const stream = await mock.client().chat.completions.create(helloStream, fault("chunk-delay=40"));
      const got: ChatCompletionChunk[] = [];
      for await (const chunk of stream) {
        got.push(chunk);
        if (got.length === 2) stream.controller.abort();
      }
      expect(got).toHaveLength(2);
      expect(await mock.server().requests[0]?.closed).toEqual({ completed: false });
    });

    test("withResponse() on a stream gives the response headers before reading", async () => {
      const { data, response, requestId, request_id } = await mock.client().chat.completions.create(helloStream).withResponse();
      expect(request_id).toBe(requestId ?? null);
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      expect(requestId).toMatch(/^mock-/);
      expect(textOf(await collect(data))).toBe(MOCK_REPLY);
    });

    test("the typed POST can stream raw bytes with parseAs: 'stream'", async () => {
      const { data, response } = await mock.client().POST("/v1/chat/completions", { body: helloStream, parseAs: "stream" });
      expect(response.status).toBe(200);
      const text = await new Response(data as ReadableStream).text();
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    });
  });

  describe("the reply's media type must match the request", () => {
    test("stream: true answered with JSON, and a JSON call answered with a stream, are APIErrors", async () => {
      const server = await startServer((req, res) => {
        if (JSON.parse(req.body).stream) sendJson(res, 200, { id: "x", object: "chat.completion", choices: [] });
        else {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end("data: [DONE]\n\n");
        }
      });
      try {
        const client = road.createClient({ apiKey: "k", baseUrl: server.url });
        const streamed = await client.chat.completions.create(helloStream).catch((e: unknown) => e);
        expect(streamed).toBeInstanceOf(APIError);
        expect((streamed as Error).message).toBe(
          'Expected an event stream (text/event-stream) but the server sent application/json: {"id":"x","object":"chat.completion","choices":[]}',
        );
        const json = await client.chat.completions.create(hello).catch((e: unknown) => e);
        expect(json).toBeInstanceOf(APIError);
        expect((json as Error).message).toBe("Invalid JSON in a 200 response: data: [DONE]\n\n");
      } finally {
        await server.close();
      }
    });

    test("an HTML page where a stream was asked for is reported as that, not as a connection that closed early", async () => {
      const page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
      const server = await startServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(page);
      });
      try {
        const error = await road
          .createClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 })
          .chat.completions.create(helloStream)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(APIError);
        expect(error).not.toBeInstanceOf(APIConnectionError);
        expect((error as APIError).status).toBe(200);
        expect((error as Error).message).toBe(
          `Expected an event stream (text/event-stream) but the server sent text/html; charset=utf-8: ${page}`,
        );
      } finally {
        await server.close();
      }
    });

    test("a stream request answered without a content type is still read as a stream", async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200);
        res.end(
          'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
        );
      });
      try {
        const stream = await road.createClient({ apiKey: "k", baseUrl: server.url }).chat.completions.create(helloStream);
        expect(textOf(await collect(stream))).toBe("hi");
      } finally {
        await server.close();
      }
    });
  });
});
