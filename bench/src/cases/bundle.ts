import {
  type BundleSize,
  CREATE_AND_STREAM_APP,
  measureBundle,
  OPENAI_CREATE_AND_STREAM_APP,
} from "@aimlapi-sdk/devkit/bundle-size";

type BundleContender = "raw fetch + eventsource-parser" | "openapi-fetch" | "openai" | "ours";

const RAW_APP = `import { createParser } from "eventsource-parser";
const url = "http://127.0.0.1:4010/v1/chat/completions";
const headers = { Authorization: "Bearer key", "Content-Type": "application/json" };
const params = { model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }] };
export async function run() {
  const reply = await (await fetch(url, { method: "POST", headers, body: JSON.stringify(params) })).json();
  let text = reply.choices[0]?.message.content ?? "";
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ ...params, stream: true }) });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: (e) => { if (e.data !== "[DONE]") text += JSON.parse(e.data).choices[0]?.delta?.content ?? ""; } });
  for (;;) { const { value, done } = await reader.read(); if (done) break; parser.feed(decoder.decode(value, { stream: true })); }
  return text;
}
`;

const OPENAPI_FETCH_APP = `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "http://127.0.0.1:4010", headers: { Authorization: "Bearer key" } });
const params = { model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }] };
export async function run() {
  const { data } = await client.POST("/v1/chat/completions", { body: params });
  const { data: body } = await client.POST("/v1/chat/completions", { body: { ...params, stream: true }, parseAs: "stream" });
  return [data, body];
}
`;

type HelperBundle =
  | "ours: parse + stream + runTools, plain JSON schemas"
  | "ours: parse + runTools, zod"
  | "ours: parse + zodResponseFormat, zod"
  | "openai: parse + zodResponseFormat, zod";

const PARAMS = `const params = { model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }] };`;

/** Our helpers with plain JSON schemas: their own weight, without a schema library. */
const OURS_HELPERS_PLAIN = `import { createClient, defineTool, jsonSchemaFormat } from "@aimlapi-sdk/client";
const client = createClient({ apiKey: "key", baseUrl: "http://127.0.0.1:4010" });
${PARAMS}
const format = jsonSchemaFormat({ jsonSchema: { type: "object", properties: { title: { type: "string" } }, required: ["title"] } }, { name: "r" });
const tool = defineTool({ name: "t", parameters: { jsonSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }, execute: (a) => a });
export async function run() {
  const parsed = await client.chat.completions.parse({ ...params, response_format: format });
  const streamed = client.chat.completions.stream({ ...params, response_format: format }).on("content.delta", (e) => void e.parsed);
  await streamed.finalChatCompletion();
  return [parsed, await client.chat.completions.runTools({ ...params, tools: [tool] }).finalContent()];
}
`;

const ZOD_SCHEMA = `const Recipe = z.object({ title: z.string(), minutes: z.number().int(), tags: z.array(z.string()).optional() });`;

const OURS_HELPERS_ZOD = `import { createClient, defineTool, jsonSchemaFormat } from "@aimlapi-sdk/client";
import { z } from "zod";
const client = createClient({ apiKey: "key", baseUrl: "http://127.0.0.1:4010" });
${PARAMS}
${ZOD_SCHEMA}
const tool = defineTool({ name: "t", parameters: z.object({ city: z.string() }), execute: (a) => a });
export async function run() {
  const parsed = await client.chat.completions.parse({ ...params, response_format: jsonSchemaFormat(Recipe, { name: "r" }) });
  return [parsed, await client.chat.completions.runTools({ ...params, tools: [tool] }).finalContent()];
}
`;

const OURS_PARSE_ZOD = `import { createClient } from "@aimlapi-sdk/client";
import { zodResponseFormat } from "@aimlapi-sdk/client/helpers/zod";
import { z } from "zod";
const client = createClient({ apiKey: "key", baseUrl: "http://127.0.0.1:4010" });
${PARAMS}
${ZOD_SCHEMA}
export async function run() {
  return client.chat.completions.parse({ ...params, response_format: zodResponseFormat(Recipe, "r") });
}
`;

const OPENAI_PARSE_ZOD = `import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
const client = new OpenAI({ apiKey: "key", baseURL: "http://127.0.0.1:4010/v1", dangerouslyAllowBrowser: true });
${PARAMS}
${ZOD_SCHEMA}
export async function run() {
  return client.chat.completions.parse({ ...params, response_format: zodResponseFormat(Recipe, "r") });
}
`;

/** Bundles of apps that use the structured-output and tool helpers (ours with and without zod; openai's peer). */
export async function helperBundleSizes(benchDir: string): Promise<Record<HelperBundle, BundleSize>> {
  return {
    "ours: parse + stream + runTools, plain JSON schemas": await measureBundle(OURS_HELPERS_PLAIN, benchDir),
    "ours: parse + runTools, zod": await measureBundle(OURS_HELPERS_ZOD, benchDir),
    "ours: parse + zodResponseFormat, zod": await measureBundle(OURS_PARSE_ZOD, benchDir),
    "openai: parse + zodResponseFormat, zod": await measureBundle(OPENAI_PARSE_ZOD, benchDir),
  };
}

/** Browser bundles of the same create + stream app for each client: first load, on demand, and in one file. */
export async function bundleSizes(benchDir: string): Promise<Record<BundleContender, BundleSize>> {
  return {
    "raw fetch + eventsource-parser": await measureBundle(RAW_APP, benchDir),
    "openapi-fetch": await measureBundle(OPENAPI_FETCH_APP, benchDir),
    openai: await measureBundle(OPENAI_CREATE_AND_STREAM_APP, benchDir),
    ours: await measureBundle(CREATE_AND_STREAM_APP, benchDir),
  };
}
