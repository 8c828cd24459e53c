import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "./registry";
import { must } from "./run";
import type { Runtime } from "./runtime-binary";
import { printedResult, type ScenarioOutput, scenarioProgram } from "./scenario";

const MAIN = `import { APIUserAbortError, createClient, RateLimitError } from "@aimlapi-sdk/client";
import { createMockServer } from "@aimlapi-sdk/mock-server";
${scenarioProgram()}`;

/**
 * A Bun project that installs the published packages with `bun install` from the local registry
 * only (its own cache folder), then runs a TypeScript file directly, mock server included.
 */
export async function runBunConsumer(
  dir: string,
  bun: Runtime,
  registry: Registry,
  packages: Record<string, string>,
): Promise<ScenarioOutput> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer-bun", private: true, type: "module", dependencies: packages }, null, 2),
  );
  writeFileSync(join(dir, "bunfig.toml"), `[install]\nregistry = "${registry.url}/"\n`);
  writeFileSync(join(dir, "main.ts"), MAIN);
  const env = { ...process.env, BUN_INSTALL_CACHE_DIR: join(dir, ".bun-cache"), NPM_CONFIG_REGISTRY: `${registry.url}/` };
  await must(bun.bin, ["install", "--no-progress"], { cwd: dir, env, timeoutMs: 300_000 });
  const result = await must(bun.bin, ["run", "main.ts"], { cwd: dir, env, timeoutMs: 60_000 });
  return printedResult<ScenarioOutput>(result.stdout);
}
