import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "./registry";
import { must, run } from "./run";
import type { Runtime } from "./runtime-binary";
import { printedResult, type ScenarioOutput, scenarioProgram } from "./scenario";

/**
 * The permissions the consumer runs with: loopback only (mock server and client) and the one
 * variable the client reads its key from; nothing else.
 */
export const DENO_PERMISSIONS = ["--no-prompt", "--allow-net=127.0.0.1", "--allow-env=AIML_API_KEY"];

const main = (packages: Record<string, string>) =>
  `import { APIUserAbortError, createClient, RateLimitError } from "npm:@aimlapi-sdk/client@${packages["@aimlapi-sdk/client"]}";
import { createMockServer } from "npm:@aimlapi-sdk/mock-server@${packages["@aimlapi-sdk/mock-server"]}";
${scenarioProgram("{ baseUrl: server.url } /* the key comes from AIML_API_KEY */")}`;

/**
 * A Deno program importing the published packages by `npm:` specifiers, resolved against the
 * local registry only (NPM_CONFIG_REGISTRY, its own DENO_DIR): type-checked with `deno check`,
 * then run with loopback network access and no other permission.
 */
export async function runDenoConsumer(
  dir: string,
  deno: Runtime,
  registry: Registry,
  packages: Record<string, string>,
): Promise<ScenarioOutput> {
  mkdirSync(dir, { recursive: true });
  // Deno refuses versions younger than a day by default (a supply-chain guard worth keeping);
  // the packages under test were published a moment ago, so they, and only they, are exempt.
  writeFileSync(
    join(dir, "deno.json"),
    JSON.stringify({ minimumDependencyAge: { age: "P1D", exclude: ["npm:@aimlapi-sdk/*"] } }, null, 2),
  );
  writeFileSync(join(dir, "main.ts"), main(packages));
  const env = {
    ...process.env,
    DENO_DIR: join(dir, ".deno"),
    NPM_CONFIG_REGISTRY: `${registry.url}/`,
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
    AIML_API_KEY: "consumer-key-from-env",
  };
  await must(deno.bin, ["check", "main.ts"], { cwd: dir, env, timeoutMs: 300_000 });
  // Narrowest: without the env permission the key is unset (a clear error, not a permission crash).
  const withoutEnv = await run(deno.bin, ["run", ...DENO_PERMISSIONS.filter((p) => !p.startsWith("--allow-env")), "main.ts"], {
    cwd: dir,
    env,
    timeoutMs: 60_000,
  });
  if (withoutEnv.code === 0 || !withoutEnv.stderr.includes("Missing API key"))
    throw new Error(
      `deno without --allow-env: expected "Missing API key", got exit ${withoutEnv.code}: ${withoutEnv.stderr.slice(0, 500)}`,
    );
  const result = await must(deno.bin, ["run", ...DENO_PERMISSIONS, "main.ts"], { cwd: dir, env, timeoutMs: 60_000 });
  return printedResult<ScenarioOutput>(result.stdout);
}
