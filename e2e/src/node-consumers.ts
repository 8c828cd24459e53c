/**
 * Node consumers of the published packages: plain ESM and CommonJS (the scenario bundled for each,
 * our packages left as imports), and TypeScript with `node16` and `bundler` resolution, which
 * compile the scenario as it is against the published declarations, plus a file of everyday
 * OpenAI-style code that must compile and unsound forms that must not.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { must, run } from "@aimlapi-sdk/devkit/commands";
import { build } from "esbuild";
import {
  bundleScenario,
  type ConsumerContext,
  copyScenario,
  patchPackageJson,
  printedResult,
  type RuntimeConsumer,
  type ScenarioOutput,
} from "./runtime-consumer";

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
  if (finish === null) messages.push({ role: "user", content: chunk.choices[0]?.delta.content ?? "" });
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

const tsconfig = (options: Record<string, unknown>) =>
  JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: "ES2022",
        skipLibCheck: false,
        types: ["node"],
        allowImportingTsExtensions: true,
        ...options,
      },
      include: ["src"],
    },
    null,
    2,
  );

/** Runs `node <entry>` in the consumer and returns what the scenario printed. */
async function runNode(ctx: ConsumerContext, entry: string): Promise<ScenarioOutput> {
  const result = await must(process.execPath, [entry], { cwd: ctx.dir, timeoutMs: 120_000 });
  return printedResult<ScenarioOutput>(result.stdout);
}

/** The scenario bundled for plain Node (ESM or CommonJS), with our packages left as imports. */
function javascriptConsumer(name: string, format: "esm" | "cjs", readmeClaim: string): RuntimeConsumer {
  const entry = format === "esm" ? "main.mjs" : "main.cjs";
  return {
    name,
    readmeClaim,
    async run(ctx) {
      await ctx.install();
      patchPackageJson(ctx.dir, { name: `consumer-${name}`, type: format === "esm" ? "module" : "commonjs" });
      await bundleScenario(ctx.dir, "main.ts", {
        platform: "node",
        format,
        target: "node20",
        packages: "external",
        outfile: entry,
      });
      const out = await runNode(ctx, entry);
      if (format === "esm") await importOutsideExports(ctx.dir);
      return out;
    },
  };
}

/** The scenario compiled by tsc as it is, against the published declarations (and run). */
function typescriptConsumer(name: string, resolution: "node16" | "bundler", readmeClaim: string): RuntimeConsumer {
  return {
    name,
    readmeClaim,
    async run(ctx) {
      await ctx.install(["typescript@5.9.3", "@types/node@20.19.43"]);
      patchPackageJson(ctx.dir, { name: `consumer-${name}`, type: "module" });
      const src = join(ctx.dir, "src");
      copyScenario(src);
      writeFileSync(join(src, "wire-fidelity.ts"), WIRE_FIDELITY);
      writeFileSync(
        join(ctx.dir, "tsconfig.json"),
        resolution === "node16"
          ? tsconfig({ module: "node16", moduleResolution: "node16", outDir: "dist", rewriteRelativeImportExtensions: true })
          : tsconfig({ module: "esnext", moduleResolution: "bundler", noEmit: true }),
      );
      await must(join(ctx.dir, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: ctx.dir });
      if (resolution === "node16") return runNode(ctx, "dist/main.js");
      await build({
        absWorkingDir: ctx.dir,
        entryPoints: ["src/main.ts"],
        bundle: true,
        platform: "node",
        format: "esm",
        outfile: "dist/main.mjs",
        packages: "external",
        logLevel: "silent",
      });
      return runNode(ctx, "dist/main.mjs");
    },
  };
}

/** Importing a file that is not in the package's `exports` must fail as Node says it should. */
async function importOutsideExports(dir: string): Promise<void> {
  const result = await run(
    process.execPath,
    ["--input-type=module", "-e", 'await import("@aimlapi-sdk/client/dist/index.mjs")'],
    { cwd: dir },
  );
  if (result.code === 0 || !/ERR_PACKAGE_PATH_NOT_EXPORTED/.test(result.stderr))
    throw new Error(`a path outside "exports" was importable: exit ${result.code} ${result.stderr.slice(0, 500)}`);
}

/** Node ESM, Node CJS, TypeScript with node16 and bundler resolution. */
export const NODE_CONSUMERS: RuntimeConsumer[] = [
  {
    ...javascriptConsumer("node-esm", "esm", "Node.js 20 (ESM"),
    notes: 'a path outside "exports" fails with ERR_PACKAGE_PATH_NOT_EXPORTED',
  },
  javascriptConsumer("node-cjs", "cjs", "CommonJS"),
  typescriptConsumer("typescript-node16", "node16", "TypeScript `node16`"),
  typescriptConsumer("typescript-bundler", "bundler", "`bundler` resolution"),
];
