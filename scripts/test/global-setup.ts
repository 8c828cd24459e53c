/**
 * Bundles each CLI of scripts/src/cli once per test run (esbuild, dependencies left as imports), so
 * tests run them as `node <bundle>`: what `pnpm spec:*` runs, without compiling TypeScript in every
 * child process (which, on a busy machine, is most of a CLI test's time).
 */
import { readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Where the bundles go: inside scripts/, so their imports resolve from scripts/node_modules. */
export const CLI_BUNDLES_ENV = "AIMLAPI_CLI_BUNDLES";

/** Builds the bundles; the returned teardown removes them. */
export default async function setup(): Promise<() => void> {
  const scriptsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const cliDir = join(scriptsDir, "src", "cli");
  const outdir = join(scriptsDir, "node_modules", ".cache", `cli-${process.pid}`);
  await build({
    entryPoints: readdirSync(cliDir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(cliDir, f)),
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outExtension: { ".js": ".mjs" },
    logLevel: "silent",
  });
  process.env[CLI_BUNDLES_ENV] = outdir;
  return () => rmSync(outdir, { recursive: true, force: true });
}
