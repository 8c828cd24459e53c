import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { Registry } from "./registry";
import { must, run } from "./run";
import { printedResult, type ScenarioOutput, scenarioProgram } from "./scenario";

/** The program every Node consumer runs: start the mock, run the scenario, print the outcome. */
const BODY = scenarioProgram();

const TS_BODY = BODY.replace("const reply = ", "const reply: ChatCompletion = ").replace(
  "for await (const chunk of stream) {",
  "for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {",
);

/**
 * Compiled (not run) by the TypeScript consumers against the published declarations: everyday
 * OpenAI-style code must compile, and the unsound forms must not (an expected error that does not
 * happen fails the build).
 */
const WIRE_FIDELITY = `import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, ChatCompletionMessageParam } from "@aimlapi-sdk/client";
export function roundTrip(reply: ChatCompletion, chunk: ChatCompletionChunk): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "Weather?" }];
  const choice = reply.choices[0];
  if (choice) messages.push(choice.message);
  messages.push({ role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] });
  const finish = chunk.choices[0]?.finish_reason;
  if (finish === null) messages.push({ role: "user", content: chunk.choices[0]?.delta?.content ?? "" });
  const params: ChatCompletionCreateParams = { model: "openai/gpt-4.1-2025-04-14", messages, stop: ["END"] };
  const stop: string | string[] | null | undefined = params.stop;
  void stop;
  // @ts-expect-error content is null when the model calls tools
  void choice?.message.content.length;
  // @ts-expect-error a chunk's finish_reason is null until the last chunk
  const always: "stop" | "length" | "tool_calls" | "content_filter" | "function_call" = finish;
  void always;
  return messages;
}
`;

/** A consumer project: its files, how it checks types, how it runs. */
export interface Consumer {
  name: string;
  packageJson: Record<string, unknown>;
  files: Record<string, string>;
  devDependencies?: string[];
  /** Commands run before the program (type checks, builds). */
  prepare?: (dir: string) => Promise<void>;
  /** The file node runs. */
  entry: string;
}

const tsconfig = (options: Record<string, unknown>) =>
  JSON.stringify(
    { compilerOptions: { strict: true, target: "ES2022", skipLibCheck: false, types: ["node"], ...options }, include: ["src"] },
    null,
    2,
  );

/** Node ESM, Node CJS, TypeScript (node16 and bundler resolution). */
export function consumers(): Consumer[] {
  const tsc = (dir: string, project = ".") =>
    must(join(dir, "node_modules", ".bin", "tsc"), ["-p", project], { cwd: dir }).then(() => {});
  return [
    {
      name: "node-esm",
      packageJson: { type: "module" },
      files: {
        "main.mjs": `import { APIUserAbortError, createClient, RateLimitError } from "@aimlapi-sdk/client";\nimport { createMockServer } from "@aimlapi-sdk/mock-server";\n${BODY}`,
      },
      entry: "main.mjs",
    },
    {
      name: "node-cjs",
      packageJson: { type: "commonjs" },
      files: {
        "main.cjs": `const { APIUserAbortError, createClient, RateLimitError } = require("@aimlapi-sdk/client");\nconst { createMockServer } = require("@aimlapi-sdk/mock-server");\n(async () => {\n${BODY}\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
      },
      entry: "main.cjs",
    },
    {
      name: "typescript-node16",
      packageJson: { type: "module" },
      devDependencies: ["typescript@5.9.3", "@types/node@20.19.43"],
      files: {
        "tsconfig.json": tsconfig({ module: "node16", moduleResolution: "node16", outDir: "dist" }),
        "src/main.ts": `import { APIUserAbortError, createClient, RateLimitError, type ChatCompletionChunk } from "@aimlapi-sdk/client";\nimport { createMockServer } from "@aimlapi-sdk/mock-server";\nimport type { ChatCompletion, ModelId } from "@aimlapi-sdk/types";\nconst model: ModelId = "openai/gpt-4.1-2025-04-14";\nvoid model;\n${TS_BODY}`,
        "src/wire-fidelity.ts": WIRE_FIDELITY,
      },
      prepare: (dir) => tsc(dir),
      entry: "dist/main.js",
    },
    {
      name: "typescript-bundler",
      packageJson: { type: "module" },
      devDependencies: ["typescript@5.9.3", "@types/node@20.19.43"],
      files: {
        "tsconfig.json": tsconfig({ module: "esnext", moduleResolution: "bundler", noEmit: true }),
        "src/main.ts": `import { APIUserAbortError, createClient, RateLimitError, type ChatCompletion, type ChatCompletionChunk } from "@aimlapi-sdk/client";\nimport { createMockServer } from "@aimlapi-sdk/mock-server";\n${TS_BODY}`,
        "src/wire-fidelity.ts": WIRE_FIDELITY,
      },
      prepare: async (dir) => {
        await tsc(dir);
        await build({
          absWorkingDir: dir,
          entryPoints: ["src/main.ts"],
          bundle: true,
          platform: "node",
          format: "esm",
          outfile: "dist/main.mjs",
          packages: "external",
          logLevel: "silent",
        });
      },
      entry: "dist/main.mjs",
    },
  ];
}

/** Creates a consumer folder that installs only from `registry`, and installs the published packages. */
export async function installConsumer(
  dir: string,
  registry: Registry,
  packages: string[],
  extra: string[],
  cacheDir: string,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ".npmrc"), `registry=${registry.url}/\n`);
  await must(
    "npm",
    ["install", "--no-audit", "--no-fund", "--cache", cacheDir, "--registry", `${registry.url}/`, ...packages, ...extra],
    {
      cwd: dir,
      timeoutMs: 300_000,
    },
  );
}

/** Writes, prepares and runs a consumer; returns what it printed. */
export async function runConsumer(dir: string, consumer: Consumer): Promise<ScenarioOutput> {
  const pkgPath = join(dir, "package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as Record<string, unknown>;
  writeFileSync(
    pkgPath,
    JSON.stringify({ ...pkg, name: `consumer-${consumer.name}`, private: true, ...consumer.packageJson }, null, 2),
  );
  for (const [file, content] of Object.entries(consumer.files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  await consumer.prepare?.(dir);
  const result = await must(process.execPath, [consumer.entry], { cwd: dir, timeoutMs: 60_000 });
  return printedResult<ScenarioOutput>(result.stdout);
}

/** Imports one of our packages' ESM build from a consumer's node_modules (into this Node process). */
export function importInstalled<T>(dir: string, name: "client" | "mock-server"): Promise<T> {
  return import(pathToFileURL(join(dir, "node_modules", "@aimlapi-sdk", name, "dist", "index.mjs")).href) as Promise<T>;
}

/** Importing a file that is not in the package's `exports` must fail as Node says it should. */
export async function importOutsideExports(dir: string): Promise<string> {
  const result = await run(
    process.execPath,
    ["--input-type=module", "-e", 'await import("@aimlapi-sdk/client/dist/index.mjs")'],
    { cwd: dir },
  );
  const match = /ERR_PACKAGE_PATH_NOT_EXPORTED/.exec(result.stderr);
  if (result.code === 0 || !match)
    throw new Error(`a path outside "exports" was importable: exit ${result.code} ${result.stderr.slice(0, 500)}`);
  return match[0];
}
