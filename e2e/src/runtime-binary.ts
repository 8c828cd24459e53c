import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "@aimlapi-sdk/devkit/commands";
import { PlainFailure } from "./test-main";

const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A runtime the release test drives: its binary and the version e2e/package.json pins. */
export interface Runtime {
  name: string;
  bin: string;
  version: string;
}

/** A runtime that is missing or cannot start here; the release test reports it in one line. */
export class RuntimeUnavailableError extends PlainFailure {
  override name = "RuntimeUnavailableError";
}

/** The pinned runtime behind `dependency` in e2e/package.json (an npm alias such as `npm:bun@1.4.4`). */
export function pinnedRuntime(name: string, dependency: string, binName: string): Runtime {
  const manifest = JSON.parse(readFileSync(join(e2eDir, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const spec = manifest.devDependencies[dependency] ?? "";
  const version = /(\d+\.\d+\.\d+)$/.exec(spec)?.[1];
  if (!version) throw new RuntimeUnavailableError(`${name}: e2e/package.json pins no version of ${dependency}`);
  return { name, bin: join(e2eDir, "node_modules", ".bin", binName), version };
}

/** Checks that a runtime starts here and reports its version; returns the first line it printed. */
export async function checkRuntimeStarts(runtime: Runtime, versionArgs = ["--version"]): Promise<string> {
  const { name, version, bin } = runtime;
  const unavailable = (why: string) =>
    new RuntimeUnavailableError(`${name} ${version} cannot start on this machine: ${why.trim().split("\n")[0]}`);
  if (!existsSync(bin)) throw unavailable(`${bin} is missing (run pnpm install)`);
  const started = await run(bin, versionArgs, { cwd: e2eDir, timeoutMs: 60_000 }).catch((error: Error) => error);
  if (started instanceof Error) throw unavailable(started.message);
  if (started.code !== 0) throw unavailable(`exit ${started.code}: ${started.stderr || started.stdout}`);
  return started.stdout.trim().split("\n")[0] ?? "";
}
