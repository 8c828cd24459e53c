import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./run";
import { PlainFailure } from "./test-main";

const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A runtime the release test drives: its binary and the version e2e/package.json pins. */
export interface Runtime {
  name: string;
  bin: string;
  version: string;
  /** What `--version` printed (first line). */
  reports: string;
}

/** A runtime that is missing or cannot start here; the release test reports it in one line. */
export class RuntimeUnavailableError extends PlainFailure {
  override name = "RuntimeUnavailableError";
}

/**
 * The pinned runtime behind `dependency` in e2e/package.json (an npm alias such as
 * `npm:bun@1.4.4`), after checking that it starts and reports that version.
 */
export async function pinnedRuntime(
  name: string,
  dependency: string,
  binName: string,
  versionArgs = ["--version"],
): Promise<Runtime> {
  const manifest = JSON.parse(readFileSync(join(e2eDir, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const spec = manifest.devDependencies[dependency] ?? "";
  const version = /(\d+\.\d+\.\d+)$/.exec(spec)?.[1];
  if (!version) throw new RuntimeUnavailableError(`${name}: e2e/package.json pins no version of ${dependency}`);
  const bin = join(e2eDir, "node_modules", ".bin", binName);
  const unavailable = (why: string) =>
    new RuntimeUnavailableError(`${name} ${version} cannot start on this machine: ${why.trim().split("\n")[0]}`);
  if (!existsSync(bin)) throw unavailable(`${bin} is missing (run pnpm install)`);
  const started = await run(bin, versionArgs, { cwd: e2eDir, timeoutMs: 30_000 }).catch((error: Error) => error);
  if (started instanceof Error) throw unavailable(started.message);
  if (started.code !== 0) throw unavailable(`exit ${started.code}: ${started.stderr || started.stdout}`);
  return { name, bin, version, reports: started.stdout.trim().split("\n")[0] ?? "" };
}
