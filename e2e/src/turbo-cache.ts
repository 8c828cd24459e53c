/**
 * Helpers for the remote-cache tests: throwaway checkouts, turbo runs read back from their run
 * summaries, and the two ways a stored artifact goes bad (tampered bytes, a poisoned build).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import { copyWorkingTree } from "@aimlapi-sdk/devkit/repo-copy";
import { Zstd } from "@hpcc-js/wasm-zstd";

/** The client's default base URL, and the one-byte typosquat the poisoned artifacts carry instead. */
export const GENUINE_URL = "https://api.aimlapi.com";
export const POISONED_URL = "https://api.aimiapi.com";

/** The task the cache tests poison, and the built file they look into. */
export const CLIENT_BUILD = "@aimlapi-sdk/client#build";
export const CLIENT_DIST = join("packages", "client", "dist", "core", "options.mjs");

/** How turbo treated one task. */
export interface TaskCache {
  hash: string;
  status: "HIT" | "MISS";
  source?: "LOCAL" | "REMOTE";
}

/** A copy of `from`'s working tree at `dest` with its dependencies installed from the local store. */
export async function checkout(from: string, dest: string, env: NodeJS.ProcessEnv): Promise<string> {
  copyWorkingTree(from, dest, env);
  await must("pnpm", ["install", "--offline", "--frozen-lockfile"], { cwd: dest, env, timeoutMs: 300_000 });
  return dest;
}

/** Runs `turbo run <args>` in `dir` and returns each task's cache status from the run summary. */
export async function turboRun(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<Map<string, TaskCache>> {
  const result = await must("pnpm", ["exec", "turbo", "run", ...args, "--summarize", "--output-logs=errors-only"], {
    cwd: dir,
    env,
    timeoutMs: 600_000,
  });
  const summary = /Summary:\s+(\S+\.json)/.exec(result.stdout)?.[1];
  if (!summary || !existsSync(summary)) throw new Error(`turbo printed no run summary:\n${result.stdout.slice(-2000)}`);
  const { tasks } = JSON.parse(readFileSync(summary, "utf8")) as {
    tasks: { taskId: string; hash: string; cache: { status: "HIT" | "MISS"; source?: "LOCAL" | "REMOTE" } }[];
  };
  return new Map(tasks.map((t) => [t.taskId, { hash: t.hash, status: t.cache.status, source: t.cache.source }]));
}

/** One line per status, e.g. `4 from the remote cache, 1 built (@aimlapi-sdk/client#build)`. */
export function describeRun(tasks: Map<string, TaskCache>): string {
  const remote = [...tasks].filter(([, t]) => t.source === "REMOTE").map(([id]) => id);
  const built = [...tasks].filter(([, t]) => t.status === "MISS").map(([id]) => id);
  const local = [...tasks].filter(([, t]) => t.source === "LOCAL").map(([id]) => id);
  return [
    remote.length > 0 ? `${remote.length} from the remote cache` : "",
    local.length > 0 ? `${local.length} from the local cache` : "",
    built.length > 0 ? `${built.length} built (${built.join(", ")})` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** The task's cache status, or a failure naming the run's tasks. */
export function task(tasks: Map<string, TaskCache>, id: string): TaskCache {
  const found = tasks.get(id);
  if (!found) throw new Error(`turbo ran no ${id} (ran: ${[...tasks.keys()].join(", ")})`);
  return found;
}

/**
 * Rewrites one stored artifact so that `file`'s bytes inside it carry the poisoned URL: the
 * archive is decompressed, one byte of that file's content is changed in place, and it is
 * compressed again. The artifact's signature tag is left as it was.
 */
export async function tamperArtifact(artifact: string, file: Buffer): Promise<void> {
  const zstd = await Zstd.load();
  const tar = Buffer.from(zstd.decompress(readFileSync(artifact)));
  const start = tar.indexOf(file);
  if (start < 0) throw new Error(`${artifact} does not hold the expected file`);
  const at = tar.indexOf(GENUINE_URL, start);
  if (at < 0 || at >= start + file.length) throw new Error(`the file in ${artifact} does not hold ${GENUINE_URL}`);
  tar.write(POISONED_URL, at, "latin1");
  writeFileSync(artifact, zstd.compress(tar, 3));
}

/**
 * Replaces a package's build tool with one that builds, then swaps in the poisoned URL: what a
 * compromised CI machine holding the signing key would upload, validly signed.
 */
export function poisonBuildTool(packageDir: string, tool = "tsdown"): void {
  const bin = join(packageDir, "node_modules", ".bin", tool);
  renameSync(bin, `${bin}.genuine`);
  writeFileSync(
    bin,
    `#!/bin/sh\n"$(dirname "$0")/${tool}.genuine" "$@" || exit $?\nfind dist -name '*.mjs' -o -name '*.cjs' | xargs sed -i 's#${GENUINE_URL}#${POISONED_URL}#g'\n`,
    { mode: 0o755 },
  );
}

/** Whether a built file carries the poisoned URL, the genuine one, or neither. */
export function urlIn(file: string): "poisoned" | "genuine" | "none" {
  const text = readFileSync(file, "utf8");
  return text.includes(POISONED_URL) ? "poisoned" : text.includes(GENUINE_URL) ? "genuine" : "none";
}
