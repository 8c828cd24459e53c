import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import { freePort } from "@aimlapi-sdk/devkit/ports";
import { type Resources, waitForOutput } from "@aimlapi-sdk/devkit/processes";
import type { Registry } from "@aimlapi-sdk/devkit/registry";
import { installFromRegistry, printedResult, writeTypeScriptProject } from "./runtime-consumer";

/** The schema libraries the consumer installs from the registry, pinned. */
export const SCHEMA_LIBRARIES = ["zod@4.6.7", "valibot@1.5.0", "@valibot/to-json-schema@1.8.0"];

/** What the helpers consumer prints. */
export interface HelpersOutput {
  zod: { city: string; celsius: number } | null;
  valibot: { title: string; tags: string[] } | null;
  streamedSnapshots: number;
  toolRuns: string[];
  answer: string | null;
  messages: number;
}

/** Compiled with strict TypeScript: the inferred types are asserted, then the program runs. */
const MAIN = `import { createClient, defineTool, jsonSchemaFormat } from "@aimlapi-sdk/client";
import { zodResponseFormat } from "@aimlapi-sdk/client/helpers/zod";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";
import { z } from "zod";

// Mutually assignable and not any (zod's object types are mapped types, equal only structurally).
type Equals<A, B> = 0 extends 1 & A ? false : [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const model = "openai/gpt-4.1-2025-04-14";
const client = createClient({ apiKey: "consumer-key", baseUrl: process.env.MOCK_URL });

const Weather = z.object({ city: z.string(), celsius: z.number() });
const weather = await client.chat.completions.parse({
  model,
  messages: [{ role: "user", content: "Weather in Lisbon?" }],
  response_format: jsonSchemaFormat(Weather, { name: "weather" }),
});
const w = weather.choices[0]?.message.parsed;
const wIsTyped: Equals<NonNullable<typeof w>, { city: string; celsius: number }> = true;

const Post = toStandardJsonSchema(v.object({ title: v.string(), tags: v.array(v.string()) }));
const post = await client.chat.completions.parse({
  model,
  messages: [{ role: "user", content: "A post." }],
  response_format: jsonSchemaFormat(Post, { name: "post" }),
});
const p = post.choices[0]?.message.parsed;
const pIsTyped: Equals<NonNullable<typeof p>, { title: string; tags: string[] }> = true;

let streamedSnapshots = 0;
const stream = client.chat.completions
  .stream({
    model,
    messages: [{ role: "user", content: "Weather in Porto?" }],
    response_format: zodResponseFormat(Weather, "weather"),
  })
  .on("content.delta", ({ parsed }) => {
    if (parsed) streamedSnapshots++;
  });
const streamed = (await stream.finalChatCompletion()).choices[0]?.message.parsed;
const sIsTyped: Equals<NonNullable<typeof streamed>, { city: string; celsius: number }> = true;
void sIsTyped;

const toolRuns: string[] = [];
const getWeather = defineTool({
  name: "get_weather",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    const cityIsString: Equals<typeof city, string> = true;
    void cityIsString;
    toolRuns.push(\`get_weather(\${typeof city})\`);
    return { city, celsius: 21 };
  },
});
const getTime = defineTool({
  name: "get_time",
  parameters: toStandardJsonSchema(v.object({ zone: v.string() })),
  execute: ({ zone }) => {
    const zoneIsString: Equals<typeof zone, string> = true;
    void zoneIsString;
    toolRuns.push(\`get_time(\${typeof zone})\`);
    return "12:00";
  },
});
const runner = client.chat.completions.runTools({
  model,
  messages: [{ role: "user", content: "Weather and time in Lisbon?" }],
  tools: [getWeather, getTime],
});
const answer = await runner.finalContent();
void wIsTyped;
void pIsTyped;
console.log(JSON.stringify({ zod: w ?? null, valibot: p ?? null, streamedSnapshots, toolRuns: toolRuns.sort(), answer, messages: runner.messages.length }));
`;

/**
 * A TypeScript project that installs the published client and mock server with zod and valibot
 * from the registry, type-checks structured output and tool calls typed from both, and runs them
 * against the mock server started with its own CLI.
 */
export async function runHelpersConsumer(
  dir: string,
  registry: Registry,
  packages: string[],
  cacheDir: string,
  resources: Resources,
): Promise<HelpersOutput> {
  writeTypeScriptProject(dir, "consumer-helpers", MAIN);
  await installFromRegistry(
    dir,
    registry,
    [...packages, ...SCHEMA_LIBRARIES, "typescript@5.9.3", "@types/node@20.19.43"],
    cacheDir,
  );
  await must(join(dir, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: dir });

  // The mock server as its README says to start it anywhere: npx fetches it (from the local registry).
  const port = await freePort();
  const elsewhere = join(dir, "..", "npx-mock");
  mkdirSync(elsewhere, { recursive: true });
  const mockVersion = packages.find((p) => p.startsWith("@aimlapi-sdk/mock-server@")) as string;
  const mock = resources.start(
    "npx @aimlapi-sdk/mock-server",
    "npx",
    ["--yes", "--cache", cacheDir, mockVersion, "--port", String(port)],
    {
      cwd: elsewhere,
      env: { ...process.env, npm_config_registry: `${registry.url}/` },
    },
  );
  await waitForOutput(mock, /listening on/);
  const result = await must(process.execPath, ["dist/main.js"], {
    cwd: dir,
    env: { ...process.env, MOCK_URL: `http://127.0.0.1:${port}` },
    timeoutMs: 60_000,
  });
  return printedResult<HelpersOutput>(result.stdout);
}

/** Checks the helpers consumer's outcome and returns its log line. */
export function checkHelpers(out: HelpersOutput): string {
  const problems = [
    typeof out.zod?.city === "string" && typeof out.zod.celsius === "number" ? "" : "zod-parsed reply",
    typeof out.valibot?.title === "string" && Array.isArray(out.valibot.tags) ? "" : "valibot-parsed reply",
    out.streamedSnapshots > 0 ? "" : "streamed snapshots",
    out.toolRuns.join() === "get_time(string),get_weather(string)" ? "" : "both tools run with validated arguments",
    typeof out.answer === "string" && out.answer.length > 0 ? "" : "final answer",
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`consumer helpers: wrong ${problems.join(", ")}: ${JSON.stringify(out)}`);
  return `consumer helpers (zod 4.6.7, valibot 1.5.0 from the registry; mock via npx @aimlapi-sdk/mock-server): ok (parse typed and validated by both, ${out.streamedSnapshots} streamed snapshots through helpers/zod, runTools ran ${out.toolRuns.join(" and ")} in ${out.messages} messages; inferred types asserted by tsc)`;
}
