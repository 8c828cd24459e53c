import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import { checkRuntimeStarts, pinnedRuntime } from "./runtime-binary";
import { copyScenario, printedResult, type RuntimeConsumer, type ScenarioOutput } from "./runtime-consumer";

const bun = pinnedRuntime("Bun", "bun-runtime", "bun");

/**
 * A Bun project that installs the published packages with `bun install` from the local registry
 * only (its own cache folder), then runs the scenario's TypeScript directly, mock server included.
 */
export const BUN_CONSUMER: RuntimeConsumer = {
  name: `bun ${bun.version}`,
  readmeClaim: `Bun ${bun.version}`,
  notes: "bun install, bun run main.ts",
  check: () => checkRuntimeStarts(bun),
  async run({ dir, registry, packages }) {
    copyScenario(dir);
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "consumer-bun", private: true, type: "module", dependencies: packages }, null, 2),
    );
    writeFileSync(join(dir, "bunfig.toml"), `[install]\nregistry = "${registry.url}/"\n`);
    const env = { ...process.env, BUN_INSTALL_CACHE_DIR: join(dir, ".bun-cache"), NPM_CONFIG_REGISTRY: `${registry.url}/` };
    await must(bun.bin, ["install", "--no-progress"], { cwd: dir, env, timeoutMs: 300_000 });
    const result = await must(bun.bin, ["run", "main.ts"], { cwd: dir, env, timeoutMs: 120_000 });
    return printedResult<ScenarioOutput>(result.stdout);
  },
};
