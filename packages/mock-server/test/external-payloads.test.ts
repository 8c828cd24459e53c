/**
 * Payloads the overlay was never tuned on: the shapes of the examples in OpenAI's own OpenAPI
 * document, of replies openai-python recorded from the live API, and of AIML's documentation pages.
 * Each fixture below is written here to reproduce one such shape (the source it imitates is named
 * beside it); every one must validate against the effective document. Sources that are not this
 * API (Azure content-filter chunks, gateways that drop fields, custom tools of later models) are
 * left out on purpose: the effective document describes what AIML sends.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@aimlapi-sdk/devkit/repo";
import { describe, expect, test } from "vitest";
import { describeValidationErrors, loadOperations, type OpenAPIDocument } from "../src/operations";
import { MODEL, specOperations } from "./helpers";

const effective = specOperations.get("/v1/chat/completions");
const upstream = loadOperations(JSON.parse(readFileSync(join(repoRoot, "specs", "gpt-4.1.json"), "utf8")) as OpenAPIDocument).get(
  "/v1/chat/completions",
);

const usage = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

const token = (text: string, logprob: number, bytes: number[] | null = [...Buffer.from(text)]) => ({
  token: text,
  logprob,
  bytes,
});

/** Completions, each imitating one source's shape. */
const COMPLETIONS: Record<string, unknown> = {
  // AIML docs, api-references/text-models-llm/openai/gpt-4.1: `model` without the "openai/" prefix,
  // `choices` before `created`, no `service_tier`, usage with both details objects.
  "AIML docs page (gpt-4.1)": {
    id: "chatcmpl-docs-1",
    object: "chat.completion",
    choices: [
      {
        index: 0,
        finish_reason: "stop",
        logprobs: null,
        message: { role: "assistant", content: "Hi there.", refusal: null, annotations: [] },
      },
    ],
    created: 1744790000,
    model: "gpt-4.1-2025-04-14",
    usage,
    system_fingerprint: "fp_0000000001",
  },
  // AIML docs, gpt-4o-search-preview: a UUID id, no `logprobs` key in the choice, an empty fingerprint.
  "AIML docs page (search preview)": {
    id: "chatcmpl-0f4e7c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
    object: "chat.completion",
    choices: [
      { index: 0, finish_reason: "stop", message: { role: "assistant", content: "Found it.", refusal: null, annotations: [] } },
    ],
    created: 1744210000,
    model: "gpt-4o-search-preview-2025-03-11",
    usage,
    system_fingerprint: "",
  },
  // AIML docs, capabilities/function-calling: a reply that only calls a tool.
  "AIML docs page (function calling)": {
    id: "chatcmpl-docs-2",
    object: "chat.completion",
    created: 1744790100,
    model: "gpt-4.1-2025-04-14",
    choices: [
      {
        index: 0,
        finish_reason: "tool_calls",
        logprobs: null,
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          annotations: [],
          tool_calls: [{ id: "call_docs", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
        },
      },
    ],
    usage,
  },
  // openai-python's recordings of the live API: a null fingerprint, `service_tier`, a refusal.
  "live API recording (refusal)": {
    id: "chatcmpl-rec-1",
    object: "chat.completion",
    created: 1723024750,
    model: "gpt-4o-2024-08-06",
    choices: [
      {
        index: 0,
        finish_reason: "stop",
        logprobs: null,
        message: { role: "assistant", content: null, refusal: "I can't help with that.", annotations: [] },
      },
    ],
    usage,
    system_fingerprint: null,
    service_tier: "default",
  },
  // OpenAI's OpenAPI document, the "Logprobs" example of POST /chat/completions: `logprobs` with
  // `content` only (what `logprobs-refusal-optional` repairs), a top logprob without bytes, and a
  // logprob written with an exponent.
  "OpenAI's spec example (logprobs)": {
    id: "chatcmpl-ex-1",
    object: "chat.completion",
    created: 1702680000,
    model: "gpt-4o-mini",
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "Hello!" },
        logprobs: {
          content: [
            { ...token("Hello", -0.3), top_logprobs: [token("Hello", -0.3), token("Hi", -1.3, null)] },
            { ...token("!", -3.7e-6), top_logprobs: [token("!", -3.7e-6)] },
          ],
        },
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
  },
};

const chunk = (choices: unknown[], extra: object = {}) => ({
  id: "chatcmpl-rec-2",
  object: "chat.completion.chunk",
  created: 1723024760,
  model: "gpt-4o-2024-08-06",
  system_fingerprint: "fp_0000000002",
  choices,
  ...extra,
});

/** Chunks, each imitating one source's shape. */
const CHUNKS: Record<string, unknown> = {
  // openai-python's recorded streams: the first chunk with role, empty content and a null refusal.
  "first chunk": chunk([
    { index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null },
  ]),
  // …with logprobs asked for: empty content logprobs and a null refusal list.
  "first chunk with logprobs": chunk([
    {
      index: 0,
      delta: { role: "assistant", content: "", refusal: null },
      logprobs: { content: [], refusal: null },
      finish_reason: null,
    },
  ]),
  // …a refusal streamed with logprobs: null content logprobs, refusal logprobs.
  "refusal piece with logprobs": chunk([
    {
      index: 0,
      delta: { refusal: "I'm" },
      logprobs: { content: null, refusal: [{ ...token("I'm", -0.01), top_logprobs: [] }] },
      finish_reason: null,
    },
  ]),
  // …parallel tool calls: the first fragment of a call, then its arguments alone.
  "tool call opening": chunk([
    {
      index: 0,
      delta: {
        role: "assistant",
        content: null,
        tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "get_time", arguments: "" } }],
      },
      logprobs: null,
      finish_reason: null,
    },
  ]),
  "tool call arguments": chunk([
    { index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{"zone":' } }] }, logprobs: null, finish_reason: null },
  ]),
  // …the last chunk of a choice, and the usage chunk with no choices (`stream_options.include_usage`).
  "finishing chunk": chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" }]),
  "usage chunk": chunk([], { usage }),
  // Recent streams (2025) pad events with `obfuscation` and name the `service_tier` on every chunk.
  "padded chunk": chunk([{ index: 0, delta: { content: "Hi" }, logprobs: null, finish_reason: null }], {
    service_tier: "default",
    obfuscation: "a1B2c3",
    usage: null,
  }),
};

/** Requests, each imitating one source's shape (the model id made AIML's). */
const REQUESTS: Record<string, unknown> = {
  // AIML docs, capabilities/function-calling: a tool with a JSON Schema, `tool_choice: "auto"`.
  "AIML docs page (function calling)": {
    model: MODEL,
    messages: [{ role: "user", content: "What's the weather like in Paris?" }],
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Current weather of a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ],
    tool_choice: "auto",
  },
  // OpenAI's OpenAPI document: content parts with an image URL, and a strict JSON Schema format.
  "OpenAI's spec example (image input)": {
    model: MODEL,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this image?" },
          { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
        ],
      },
    ],
    response_format: {
      type: "json_schema",
      json_schema: { name: "answer", strict: true, schema: { type: "object", properties: {}, additionalProperties: false } },
    },
    stream: true,
    stream_options: { include_usage: true },
  },
};

function check(kind: "completion" | "chunk" | "request", payloads: Record<string, unknown>) {
  const validate =
    kind === "completion" ? effective?.validateJson : kind === "chunk" ? effective?.validateChunk : effective?.validateRequest;
  if (!validate) throw new Error(`no ${kind} schema`);
  return Object.entries(payloads)
    .filter(([, payload]) => !validate(payload))
    .map(([name]) => `${name}: ${describeValidationErrors(validate.errors)}`);
}

describe("payloads the overlay was never tuned on, against the effective document", () => {
  test("completions shaped like AIML's docs, OpenAI's spec examples and live recordings", () => {
    expect(check("completion", COMPLETIONS)).toEqual([]);
  });

  test("chunks shaped like live recordings", () => {
    expect(check("chunk", CHUNKS)).toEqual([]);
  });

  test("requests shaped like AIML's docs and OpenAI's spec examples", () => {
    expect(check("request", REQUESTS)).toEqual([]);
  });

  test("upstream's document as published rejects the logprobs example (what logprobs-refusal-optional repairs)", () => {
    const validate = upstream?.validateJson;
    expect(validate?.(COMPLETIONS["OpenAI's spec example (logprobs)"])).toBe(false);
    expect(describeValidationErrors(validate?.errors)).toMatch(/refusal/);
  });
});
