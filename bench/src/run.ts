/**
 * `pnpm bench [--quick]`: every benchmark side by side with its peers; writes bench/RESULTS.md and
 * bench/results.json. `--quick` runs each case briefly (a smoke run for CI) and writes nothing.
 * It runs as plain JavaScript (bundled by esbuild, dependencies left as they are installed), with
 * `--expose-gc`: a TypeScript loader in the process would keep the source of every module it
 * compiled, and that larger heap makes the clients that allocate more pay more for garbage
 * collection than they would in an app.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, type as osType, release, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleSizes, helperBundleSizes } from "./cases/bundle";
import { loopbackRoundTrip } from "./cases/loopback";
import { modelTypecheckCost } from "./cases/model-typecheck";
import { perCallOverhead } from "./cases/overhead";
import { regeneration } from "./cases/regeneration";
import { streamThroughput } from "./cases/stream";
import { typecheckCost } from "./cases/typecheck";
import { type BenchResults, toMarkdown } from "./report";

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(benchDir, "..");
const quick = process.argv.includes("--quick");
if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`usage: pnpm bench [--quick]

Runs every benchmark side by side with its peers (raw fetch, openapi-fetch, openai) and writes
bench/RESULTS.md and bench/results.json.

options:
  --quick      each case briefly, as a smoke run; writes nothing
  -h, --help   this text`);
  process.exit(0);
}
const historyDir = join(resolve(process.env.SPEC_MIRROR ?? join(repoRoot, "..", "shared", "specs")), "history");

async function main(): Promise<void> {
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await fn();
    console.error(`bench: ${name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
    return value;
  };
  const openaiVersion = (
    JSON.parse(readFileSync(join(benchDir, "node_modules", "openai", "package.json"), "utf8")) as { version: string }
  ).version;
  const results: BenchResults = {
    machine: {
      cpu: cpus()[0]?.model ?? "unknown CPU",
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${osType()} ${release()}`,
      node: process.versions.node,
      date: new Date().toISOString().slice(0, 10),
      openai: openaiVersion,
      mode: quick ? "quick (smoke run, not representative)" : "full",
    },
    overhead: await step("per-call overhead", () => perCallOverhead(quick)),
    loopback: await step("loopback round trip", () => loopbackRoundTrip(quick)),
    streams: [await step("stream 2,000 chunks", () => streamThroughput(2_000, quick))],
    bundles: await step("bundle sizes", () => bundleSizes(benchDir)),
    helperBundles: await step("helper bundle sizes", () => helperBundleSizes(benchDir)),
    regeneration: await step("regeneration", () => regeneration(repoRoot, historyDir, quick)),
    typecheck: await step("type-check cost", () => typecheckCost(benchDir)),
    modelTypecheck: await step("type-check cost per number of models", () => modelTypecheckCost(benchDir)),
  };
  if (!quick) results.streams.push(await step("stream 50,000 chunks", () => streamThroughput(50_000, quick)));
  const markdown = toMarkdown(results);
  if (quick) {
    console.log(markdown);
    console.log("\nbench --quick: every case ran (figures from a smoke run are not representative; nothing written)");
    return;
  }
  writeFileSync(join(benchDir, "RESULTS.md"), `${markdown}\n`);
  writeFileSync(join(benchDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(markdown);
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
