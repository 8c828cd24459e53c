import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import { copyWorkingTree } from "@aimlapi-sdk/devkit/repo-copy";
import { median } from "../stats";

export interface RegenerationResult {
  codegenPinnedSeconds: number;
  pinnedSpecBytes: number;
  codegenLargeSeconds: number;
  largeSpecBytes: number;
  buildColdSeconds: number;
  buildWarmSeconds: number;
  buildAfterSpecChangeSeconds: number;
}

const seconds = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

/** A valid document of at least `bytes`: the pinned operations repeated under new paths. */
function largeSpec(pinned: string, bytes: number): string {
  const doc = JSON.parse(pinned) as { paths: Record<string, Record<string, { operationId?: string }>> };
  const original = Object.entries(doc.paths);
  for (let i = 0; JSON.stringify(doc).length < bytes; i++) {
    for (const [path, item] of original) {
      const copy = structuredClone(item);
      for (const op of Object.values(copy)) if (op.operationId) op.operationId = `${op.operationId}_${i}`;
      doc.paths[`/copy${i}${path}`] = copy;
    }
  }
  return JSON.stringify(doc);
}

/**
 * Codegen wall time (the CLI, as the codegen task runs it) on the pinned spec and on a 1.8 MB one;
 * `pnpm build` in a fresh copy of the repository: cold (no turbo cache), warm (no change), and after
 * the pinned spec changes (to upstream's 2026-04-22 version).
 */
export async function regeneration(repoRoot: string, historyDir: string, quick: boolean): Promise<RegenerationResult> {
  const work = mkdtempSync(join(tmpdir(), "aimlapi-bench-"));
  try {
    const tsx = join(repoRoot, "scripts", "node_modules", ".bin", "tsx");
    const codegen = (spec: string) =>
      must(tsx, [join(repoRoot, "scripts", "src", "cli", "codegen.ts"), "--spec", spec, "--out", join(work, "out")], {
        cwd: repoRoot,
      });
    const pinnedPath = join(repoRoot, "specs", "gpt-4.1.json");
    const bigPath = join(work, "large.json");
    writeFileSync(bigPath, largeSpec(readFileSync(pinnedPath, "utf8"), 1_800_000));
    const reps = quick ? 1 : 3;
    const pinnedTimes: number[] = [];
    const largeTimes: number[] = [];
    for (let i = 0; i < reps; i++) {
      pinnedTimes.push(await seconds(() => codegen(pinnedPath)));
      largeTimes.push(await seconds(() => codegen(bigPath)));
    }

    const repo = join(work, "repo");
    const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
    for (const key of Object.keys(env)) if (key.startsWith("TURBO_") && key !== "TURBO_TELEMETRY_DISABLED") delete env[key];
    copyWorkingTree(repoRoot, repo, env);
    await must("pnpm", ["install", "--offline", "--frozen-lockfile"], { cwd: repo, env });
    const build = () => must("pnpm", ["build"], { cwd: repo, env, timeoutMs: 600_000 });
    const cold = await seconds(build);
    const warm = await seconds(build);
    const next = join(historyDir, "gpt-4.1.2026-04-22.1a0876e7.json");
    const nextBytes = readFileSync(next);
    writeFileSync(join(repo, "specs", "gpt-4.1.json"), nextBytes);
    const sources = JSON.parse(readFileSync(join(repo, "specs", "sources.json"), "utf8")) as { specs: { sha256: string }[] };
    (sources.specs[0] as { sha256: string }).sha256 = createHash("sha256").update(nextBytes).digest("hex");
    writeFileSync(join(repo, "specs", "sources.json"), JSON.stringify(sources, null, 2));
    const afterChange = await seconds(build);
    return {
      codegenPinnedSeconds: median(pinnedTimes),
      pinnedSpecBytes: statSync(pinnedPath).size,
      codegenLargeSeconds: median(largeTimes),
      largeSpecBytes: statSync(bigPath).size,
      buildColdSeconds: cold,
      buildWarmSeconds: warm,
      buildAfterSpecChangeSeconds: afterChange,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
