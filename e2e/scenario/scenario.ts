/**
 * The scenario every runtime consumer runs against the mock server, in whatever runtime it lives: a
 * JSON completion, a streamed completion read to `[DONE]` with usage, an API error surfacing as its
 * class with the request id, and an abort mid-stream. One type-checked module: Node, TypeScript,
 * Bun and Deno consumers run it as it is, the browser page and the workerd worker bundle its steps.
 */
import {
  type AIMLClient,
  APIUserAbortError,
  type ChatCompletionChunk,
  type ChatCompletionCreateParamsNonStreaming,
  RateLimitError,
} from "@aimlapi-sdk/client";

/** The request every consumer sends. */
export const PARAMS = {
  model: "openai/gpt-4.1-2025-04-14",
  messages: [{ role: "user", content: "Hello from a consumer" }],
} satisfies ChatCompletionCreateParamsNonStreaming;

/** The reply the mock server gives to {@link PARAMS}. */
export const EXPECTED = 'This is a mock reply to: "Hello from a consumer".';

/** What a consumer reports. */
export interface ScenarioOutput {
  /** The JSON completion's text. */
  json: string | null | undefined;
  /** The streamed completion's text. */
  stream: string;
  /** The usage chunk's total tokens. */
  usage: number;
  /** The class, status and request id of the error a 429 surfaced as. */
  error: string;
  /** The class of the error an abort mid-stream surfaced as, and the text read before it. */
  abort: string;
}

/** A JSON completion. */
export async function jsonStep(client: AIMLClient): Promise<Pick<ScenarioOutput, "json">> {
  const reply = await client.chat.completions.create(PARAMS);
  return { json: reply.choices[0]?.message.content };
}

/** A streamed completion with usage, as the stream the client returns. */
export function streamRequest(client: AIMLClient) {
  return client.chat.completions.create({ ...PARAMS, stream: true, stream_options: { include_usage: true } });
}

/** Reads a stream of chunks to its end: the text and the usage chunk's total. */
export async function readStream(chunks: AsyncIterable<ChatCompletionChunk>): Promise<Pick<ScenarioOutput, "stream" | "usage">> {
  let stream = "";
  let usage = 0;
  for await (const chunk of chunks) {
    stream += chunk.choices[0]?.delta.content ?? "";
    usage = chunk.usage?.total_tokens ?? usage;
  }
  return { stream, usage };
}

/** A 429 from the server, without retries: the error's class, status and request id. */
export async function errorStep(client: AIMLClient): Promise<Pick<ScenarioOutput, "error">> {
  try {
    await client.chat.completions.create(PARAMS, { maxRetries: 0, headers: { "x-mock-fault": "status=429" } });
    return { error: "no error" };
  } catch (e) {
    return { error: e instanceof RateLimitError ? `RateLimitError ${e.status} ${e.requestId}` : String(e) };
  }
}

/** A slow stream aborted once its first text arrived: the error's class and the text read before it. */
export async function abortStep(client: AIMLClient): Promise<Pick<ScenarioOutput, "abort">> {
  const controller = new AbortController();
  const slow = await client.chat.completions.create(
    { ...PARAMS, stream: true },
    { signal: controller.signal, headers: { "x-mock-fault": "chunk-delay=100" } },
  );
  let before = "";
  try {
    for await (const chunk of slow) {
      before += chunk.choices[0]?.delta.content ?? "";
      if (before !== "") controller.abort();
    }
    return { abort: "not aborted" };
  } catch (e) {
    return { abort: e instanceof APIUserAbortError ? `APIUserAbortError after ${JSON.stringify(before)}` : String(e) };
  }
}

/** Every step, in order. */
export async function runScenario(client: AIMLClient): Promise<ScenarioOutput> {
  return {
    ...(await jsonStep(client)),
    ...(await readStream(await streamRequest(client))),
    ...(await errorStep(client)),
    ...(await abortStep(client)),
  };
}
