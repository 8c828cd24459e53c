/**
 * What a runtime consumer of the published packages is: a name, the README's claim it proves, and
 * how it runs the scenario (e2e/scenario) against the mock server. The release test loops over one
 * list of them (runtimes.ts); adding a runtime is adding an entry.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { must } from "@aimlapi-sdk/devkit/commands";
import type { Resources } from "@aimlapi-sdk/devkit/processes";
import type { Registry } from "@aimlapi-sdk/devkit/registry";
import { type BuildOptions, build } from "esbuild";
import { EXPECTED, type ScenarioOutput } from "../scenario/scenario.ts";

export type { ScenarioOutput };

/** The scenario's source files, copied as they are into consumers that run TypeScript. */
export const SCENARIO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "scenario");

/** What the release test hands each consumer. */
export interface ConsumerContext {
  /** A fresh folder of its own. */
  dir: string;
  registry: Registry;
  /** The published versions, by package name. */
  packages: Record<string, string>;
  /** Installs the published packages (and `extra`) into `dir` with npm, from the local registry only. */
  install(extra?: string[]): Promise<void>;
  /** Processes, servers and folders released when the test ends. */
  resources: Resources;
}

/** One runtime the packages are proven on. */
export interface RuntimeConsumer {
  name: string;
  /** The text README.md must hold for this consumer (checked before anything is published). */
  readmeClaim: string;
  /** Checks the runtime can start here (before anything is published); returns what it reports. */
  check?(): Promise<string>;
  /** Runs the scenario and returns what it reported. */
  run(ctx: ConsumerContext): Promise<ScenarioOutput>;
  /** Further facts this consumer proved, for the log. */
  notes?: string;
}

/** Copies the scenario's files (scenario.ts and its entry points: main.ts, page.ts, worker.ts) into `dir`, as they are. */
export function copyScenario(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(SCENARIO_DIR).filter((f) => f.endsWith(".ts")))
    cpSync(join(SCENARIO_DIR, file), join(dir, file));
}

/**
 * Copies the scenario into the consumer and bundles one of its entry points (main.ts, page.ts,
 * worker.ts) with esbuild from there, so that its imports resolve to the packages installed in it.
 */
export async function bundleScenario(dir: string, entry: string, options: BuildOptions & { outfile: string }): Promise<void> {
  copyScenario(dir);
  await build({ absWorkingDir: dir, entryPoints: [entry], bundle: true, format: "esm", logLevel: "silent", ...options });
}

/** A strict TypeScript (node16) ESM project in `dir` whose only source is `src/main.ts`, built to `dist/`. */
export function writeTypeScriptProject(dir: string, name: string, main: string): void {
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }, null, 2));
  const compilerOptions = {
    strict: true,
    target: "ES2022",
    module: "node16",
    moduleResolution: "node16",
    outDir: "dist",
    types: ["node"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
  writeFileSync(join(dir, "src", "main.ts"), main);
}

/** Creates a consumer folder that installs only from `registry`, and installs the given packages. */
export async function installFromRegistry(dir: string, registry: Registry, packages: string[], cacheDir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ".npmrc"), `registry=${registry.url}/\n`);
  await must("npm", ["install", "--no-audit", "--no-fund", "--cache", cacheDir, "--registry", `${registry.url}/`, ...packages], {
    cwd: dir,
    timeoutMs: 300_000,
  });
}

/** Merges fields into the package.json npm wrote (a name, a module type …). */
export function patchPackageJson(dir: string, fields: Record<string, unknown>): void {
  const path = join(dir, "package.json");
  const pkg = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  writeFileSync(path, JSON.stringify({ ...pkg, private: true, ...fields }, null, 2));
}

/** The JSON a consumer printed on its last line of output. */
export function printedResult<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as T;
}

/** Checks a consumer's outcome and returns the line the release test prints for it. */
export function checkScenario(name: string, out: ScenarioOutput): string {
  const match = /^APIUserAbortError after (".+")$/.exec(out.abort ?? "");
  const before = match ? (JSON.parse(match[1] as string) as string) : "";
  const problems = [
    out.json === EXPECTED ? "" : "JSON completion",
    out.stream === EXPECTED ? "" : "streamed completion",
    out.usage > 0 ? "" : "usage",
    /^RateLimitError 429 mock-\d+$/.test(out.error ?? "") ? "" : "429 as RateLimitError with its request id",
    before !== "" && before !== EXPECTED && EXPECTED.startsWith(before) ? "" : "abort mid-stream as APIUserAbortError",
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${name}: wrong ${problems.join(", ")}: ${JSON.stringify(out)}`);
  return `consumer ${name}: ok (JSON and stream to [DONE]: ${JSON.stringify(out.stream)}, usage ${out.usage} tokens; ${out.error}; ${out.abort})`;
}
