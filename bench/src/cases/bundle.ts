import {
  type BundleSize,
  CREATE_AND_STREAM_APP,
  measureBundle,
  OPENAI_CREATE_AND_STREAM_APP,
} from "../../../scripts/src/bundle-size";

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

/** Minified and gzipped browser bundles of the same create + stream app for each client. */
export async function bundleSizes(benchDir: string): Promise<Record<BundleContender, BundleSize>> {
  return {
    "raw fetch + eventsource-parser": await measureBundle(RAW_APP, benchDir),
    "openapi-fetch": await measureBundle(OPENAPI_FETCH_APP, benchDir),
    openai: await measureBundle(OPENAI_CREATE_AND_STREAM_APP, benchDir),
    ours: await measureBundle(CREATE_AND_STREAM_APP, benchDir),
  };
}
