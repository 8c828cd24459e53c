import { join } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import type { Registry } from "@aimlapi-sdk/devkit/registry";
import { installFromRegistry, printedResult, writeTypeScriptProject } from "./runtime-consumer";

/** What the models consumer prints. */
export interface ModelsOutput {
  openai: { model: string; toolCall: string | null };
  anthropic: { model: string; content: string | null };
  google: { chunks: number; text: string };
  refused: string;
  listed: number;
}

/**
 * Compiled with strict TypeScript (node16): three models from three providers, each called with
 * parameters its own spec documents; the probes (never run) must fail to compile for the reasons
 * given. Then it runs against the published mock server.
 */
const MAIN = `import { createClient, type ChatCompletionTool } from "@aimlapi-sdk/client";
import { createMockServer } from "@aimlapi-sdk/mock-server";
import type { ModelCompletions } from "@aimlapi-sdk/types";

type Equals<A, B> = 0 extends 1 & A ? false : [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const server = await createMockServer();
const client = createClient({ apiKey: "consumer-key", baseUrl: server.url });
const messages = [{ role: "user" as const, content: "What is the weather in Lisbon?" }];
const weather: ChatCompletionTool = {
  type: "function",
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

// OpenAI: tools.
const gpt = await client.chat.completions.create({ model: "openai/gpt-4o", messages, tools: [weather] });
// Anthropic: reasoning_effort and top_k, which gpt-4o's spec lacks.
const claude = await client.chat.completions.create({ model: "anthropic/claude-sonnet-4", messages, reasoning_effort: "low", top_k: 20 });
const claudeIsTyped: Equals<typeof claude, ModelCompletions["anthropic/claude-sonnet-4"]> = true;
// Google's Gemma 3n: no tools in its spec; top_k and min_p; streamed.
let text = "";
let chunks = 0;
for await (const chunk of await client.chat.completions.create({ model: "google/gemma-3n-e4b-it", messages, top_k: 40, min_p: 0.05, stream: true })) {
  chunks++;
  text += chunk.choices[0]?.delta?.content ?? "";
}

/** Never called: what the compiler must refuse. */
export function probes() {
  // @ts-expect-error Gemma 3n's spec has no tools
  void client.chat.completions.create({ model: "google/gemma-3n-e4b-it", messages, tools: [weather] });
  // @ts-expect-error gpt-4o's spec has no top_k
  void client.chat.completions.create({ model: "openai/gpt-4o", messages, top_k: 40 });
  // @ts-expect-error no model has this id
  void client.chat.completions.create({ model: "openai/gpt-4o-typo", messages });
}

// An id widened to string compiles against the common parameters; the mock, like the types, refuses what the model lacks.
const widened: string = "google/gemma-3n-e4b-it";
const refused = await client.chat.completions.create({ model: widened, messages, tools: [weather] }).then(
  () => "accepted",
  (error: { status?: number; message?: string }) => \`\${error.status}: \${error.message}\`,
);
const listed = (await (await fetch(\`\${server.url}/v1/models\`, { headers: { authorization: "Bearer consumer-key" } })).json()) as { data: unknown[] };
await server.close();
void claudeIsTyped;
console.log(JSON.stringify({
  openai: { model: gpt.model, toolCall: gpt.choices[0]?.message.tool_calls?.[0]?.type === "function" ? gpt.choices[0].message.tool_calls[0].function.name : null },
  anthropic: { model: claude.model ?? "", content: claude.choices?.[0]?.message?.content ?? null },
  google: { chunks, text },
  refused,
  listed: listed.data.length,
}));
`;

/**
 * A TypeScript project that installs the published packages from the registry, type-checks calls of
 * three models from three providers (one without tools) against their own specs' types, and runs
 * them against the published mock server, which serves every model by its own spec.
 */
export async function runModelsConsumer(
  dir: string,
  registry: Registry,
  packages: string[],
  cacheDir: string,
): Promise<ModelsOutput> {
  writeTypeScriptProject(dir, "consumer-models", MAIN);
  await installFromRegistry(dir, registry, [...packages, "typescript@5.9.3", "@types/node@20.19.43"], cacheDir);
  await must(join(dir, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: dir });
  const result = await must(process.execPath, ["dist/main.js"], { cwd: dir, timeoutMs: 60_000 });
  return printedResult<ModelsOutput>(result.stdout);
}

/** Checks the models consumer's outcome and returns its log line. */
export function checkModels(out: ModelsOutput): string {
  const problems = [
    out.openai.toolCall === "get_weather" ? "" : "gpt-4o's tool call",
    typeof out.anthropic.content === "string" && out.anthropic.content.length > 0 ? "" : "claude's reply",
    out.google.chunks > 1 && out.google.text.length > 0 ? "" : "gemma's stream",
    /^400: .*"tools" is not a parameter of google\/gemma-3n-e4b-it/.test(out.refused) ? "" : "the 400 for tools sent to gemma",
    out.listed >= 444 ? "" : "GET /v1/models",
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`consumer models: wrong ${problems.join(", ")}: ${JSON.stringify(out)}`);
  return `consumer models (openai/gpt-4o with tools, anthropic/claude-sonnet-4 with reasoning_effort, google/gemma-3n-e4b-it streamed, no tools): ok (each checked by tsc against its own spec, probes refused; the mock refused tools for gemma with a 400 naming them; ${out.listed} models listed)`;
}
