import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Minified and gzipped size of an app bundled for browsers. */
export interface BundleSize {
  minified: number;
  gzip: number;
}

/** Bundles a small ESM app (its source as a string) for the browser, minified, and measures it. */
export async function measureBundle(source: string, resolveDir: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: "ts" },
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "silent",
    // The published ESM build, as a browser bundler would pick it.
    conditions: ["import", "browser"],
  });
  const bytes = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

/** The same create + stream app for any client; `setup` imports the client and builds `client`. */
export function createAndStreamApp(setup: string): string {
  return `${setup}
const params = { model: "openai/gpt-4.1-2025-04-14" as const, messages: [{ role: "user" as const, content: "Hi" }] };
export async function run(): Promise<string> {
  const reply = await client.chat.completions.create(params);
  let text = reply.choices[0]?.message.content ?? "";
  const stream = await client.chat.completions.create({ ...params, stream: true });
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  return text;
}
`;
}

/** The create + stream app written against this project's client (the size budget's subject). */
export const CREATE_AND_STREAM_APP = createAndStreamApp(
  `import { createClient } from "@aimlapi-sdk/client";\nconst client = createClient({ apiKey: "key", baseUrl: "http://127.0.0.1:4010" });`,
);

/** The same app written against the `openai` package, pointed at the AI/ML API. */
export const OPENAI_CREATE_AND_STREAM_APP = createAndStreamApp(
  `import OpenAI from "openai";\nconst client = new OpenAI({ apiKey: "key", baseURL: "http://127.0.0.1:4010/v1", dangerouslyAllowBrowser: true });`,
);
