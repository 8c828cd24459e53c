/**
 * The same two calls (a JSON completion, a streamed one) written for each contender: raw fetch
 * (+ eventsource-parser and JSON.parse for streams), bare openapi-fetch, the openai package, ours.
 */
import { createClient } from "@aimlapi-sdk/client";
import type { paths } from "@aimlapi-sdk/types";
import { createParser } from "eventsource-parser";
import OpenAI from "openai";
import createFetchClient from "openapi-fetch";
import { API_KEY, params } from "./fixtures";

/** One contender: a JSON call, and a streamed call that reports each chunk's arrival. */
export interface Contender {
  json(): Promise<unknown>;
  stream(onChunk: () => void): Promise<number>;
}

export type ContenderName = "raw fetch" | "raw fetch + timeout" | "openapi-fetch" | "openai" | "ours";

// The same request in openai's own types (its `stop` type is narrower than the spec's `unknown`).
const openaiParams: OpenAI.ChatCompletionCreateParamsNonStreaming = {
  model: params.model,
  messages: params.messages as OpenAI.ChatCompletionMessageParam[],
  temperature: params.temperature,
};

const headers = { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" };

/** Builds every contender against `baseUrl`, using `fetchImpl` (the global fetch, or a stub). */
export function contenders(baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch): Record<ContenderName, Contender> {
  const url = `${baseUrl}/v1/chat/completions`;
  const bare = createFetchClient<paths, "application/json">({ baseUrl, fetch: (req: Request) => fetchImpl(req), headers });
  const openai = new OpenAI({ apiKey: API_KEY, baseURL: `${baseUrl}/v1`, fetch: fetchImpl, maxRetries: 0 });
  const ours = createClient({ apiKey: API_KEY, baseUrl, fetch: fetchImpl, maxRetries: 0 });
  const rawStream = async (onChunk: () => void) => {
    const res = await fetchImpl(url, { method: "POST", headers, body: JSON.stringify({ ...params, stream: true }) });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let count = 0;
    let done = false;
    const parser = createParser({
      onEvent: (event) => {
        if (event.data === "[DONE]") {
          done = true;
          return;
        }
        JSON.parse(event.data);
        count++;
        onChunk();
      },
    });
    while (!done) {
      const { value, done: end } = await reader.read();
      if (end) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    return count;
  };
  return {
    "raw fetch": {
      json: async () => (await fetchImpl(url, { method: "POST", headers, body: JSON.stringify(params) })).json(),
      stream: rawStream,
    },
    // What raw fetch costs once it gets the one protection every client here has: a per-call timeout.
    "raw fetch + timeout": {
      json: async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 600_000);
        try {
          return await (
            await fetchImpl(url, { method: "POST", headers, body: JSON.stringify(params), signal: controller.signal })
          ).json();
        } finally {
          clearTimeout(timer);
        }
      },
      stream: rawStream,
    },
    "openapi-fetch": {
      json: async () => (await bare.POST("/v1/chat/completions", { body: params })).data,
      // openapi-fetch does no SSE parsing: its stream is the raw body, read like raw fetch's.
      stream: rawStream,
    },
    openai: {
      json: () => openai.chat.completions.create(openaiParams),
      stream: async (onChunk) => countChunks(await openai.chat.completions.create({ ...openaiParams, stream: true }), onChunk),
    },
    ours: {
      json: () => ours.chat.completions.create(params),
      stream: async (onChunk) => countChunks(await ours.chat.completions.create({ ...params, stream: true }), onChunk),
    },
  };
}

/** Reads a client's stream to the end, reporting each chunk. */
async function countChunks(stream: AsyncIterable<unknown>, onChunk: () => void): Promise<number> {
  let count = 0;
  for await (const _ of stream) {
    count++;
    onChunk();
  }
  return count;
}
