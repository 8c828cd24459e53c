import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { must, run } from "@aimlapi-sdk/devkit/commands";
import { checkRuntimeStarts, pinnedRuntime } from "./runtime-binary";
import { copyScenario, printedResult, type RuntimeConsumer, type ScenarioOutput } from "./runtime-consumer";

const deno = pinnedRuntime("Deno", "deno-runtime", "deno");

/**
 * The permissions the consumer runs with: loopback only (mock server and client) and the one
 * variable the client reads its key from; nothing else.
 */
export const DENO_PERMISSIONS = ["--no-prompt", "--allow-net=127.0.0.1", "--allow-env=AIML_API_KEY"];

/**
 * The scenario's TypeScript as it is, its package imports mapped to `npm:` specifiers of the
 * published versions, resolved against the local registry only (NPM_CONFIG_REGISTRY, its own
 * DENO_DIR): type-checked with `deno check`, then run with loopback network access and the one
 * variable the key comes from. Without that permission the client must report a missing key.
 */
export const DENO_CONSUMER: RuntimeConsumer = {
  name: `deno ${deno.version}`,
  readmeClaim: `Deno ${deno.version}`,
  notes: `npm: specifiers, deno check, ${DENO_PERMISSIONS.join(" ")}`,
  check: () => checkRuntimeStarts(deno),
  async run({ dir, registry, packages }) {
    copyScenario(dir);
    const imports = Object.fromEntries(Object.entries(packages).map(([name, version]) => [name, `npm:${name}@${version}`]));
    // Deno refuses versions younger than a day by default (a supply-chain guard worth keeping);
    // the packages under test were published a moment ago, so they, and only they, are exempt.
    writeFileSync(
      join(dir, "deno.json"),
      JSON.stringify({ imports, minimumDependencyAge: { age: "P1D", exclude: ["npm:@aimlapi-sdk/*"] } }, null, 2),
    );
    const env = {
      ...process.env,
      DENO_DIR: join(dir, ".deno"),
      NPM_CONFIG_REGISTRY: `${registry.url}/`,
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
      AIML_API_KEY: "consumer-key-from-env",
    };
    await must(deno.bin, ["check", "main.ts"], { cwd: dir, env, timeoutMs: 300_000 });
    const withoutEnv = await run(
      deno.bin,
      ["run", ...DENO_PERMISSIONS.filter((p) => !p.startsWith("--allow-env")), "main.ts", "--key-from-env"],
      { cwd: dir, env, timeoutMs: 120_000 },
    );
    if (withoutEnv.code === 0 || !withoutEnv.stderr.includes("Missing API key"))
      throw new Error(
        `deno without --allow-env: expected "Missing API key", got exit ${withoutEnv.code}: ${withoutEnv.stderr.slice(0, 500)}`,
      );
    const result = await must(deno.bin, ["run", ...DENO_PERMISSIONS, "main.ts", "--key-from-env"], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
    });
    return printedResult<ScenarioOutput>(result.stdout);
  },
};
