import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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
  /** `pnpm spec:update` to upstream's next version (an additive change): checks, candidate build, tests, adoption. */
  updateAdditiveSeconds: number;
  /** `pnpm spec:update` to a version refused before building (a lapse the overlay does not repair). */
  updateEarlyRefusalSeconds: number;
  /** Both codegen tasks with no cache (`turbo run codegen --force`, the shape cache emptied): the flagship and every model spec. */
  modelsCodegenColdSeconds: number;
  /** `pnpm codegen` again with nothing changed, and whether turbo answered FULL TURBO. */
  modelsCodegenNoOpSeconds: number;
  modelsCodegenNoOpFullTurbo: boolean;
  /** `pnpm codegen` after one model spec changed (a request property removed, its pin moved). */
  modelsCodegenOneSpecSeconds: number;
  /** How many model specs and ids were generated. */
  modelSpecs: number;
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
 * Codegen wall time (the CLI, as the codegen task runs it) on the pinned spec and on a 1.8 MB one
 * (a smoke run, --quick, stops there);
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

    // The repository-copy cases (builds, the model set's codegen, spec:update) take minutes: a smoke run stops here.
    if (quick) return notRun(median(pinnedTimes), statSync(pinnedPath).size, median(largeTimes), statSync(bigPath).size);
    const repo = join(work, "repo");
    const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
    for (const key of Object.keys(env)) if (key.startsWith("TURBO_") && key !== "TURBO_TELEMETRY_DISABLED") delete env[key];
    // The copy's own shape cache, so that the cold row is cold.
    delete env.AIMLAPI_MODEL_CACHE_DIR;
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

    // The model set: a cold generation of every spec (no turbo cache and no derived shapes: the
    // build above filled the copy's shape cache), a no-op, then one spec changed.
    const turbo = join(repo, "node_modules", ".bin", "turbo");
    rmSync(join(repo, "node_modules", ".cache", "aimlapi-sdk"), { recursive: true, force: true });
    const modelsCold = await seconds(() =>
      must(turbo, ["run", "codegen", "--force", "--output-logs=errors-only"], { cwd: repo, env, timeoutMs: 600_000 }),
    );
    let noOpOutput = "";
    const modelsNoOp = await seconds(async () => {
      noOpOutput = (await must("pnpm", ["codegen"], { cwd: repo, env })).stdout;
    });
    const lockPath = join(repo, "specs", "sources.json");
    const lockText = readFileSync(lockPath, "utf8");
    const lock = JSON.parse(lockText) as { models: { files: Record<string, string> } };
    const changedSpec = join(repo, "specs", "models", "OpenAI", "gpt-4o.json");
    const specText = readFileSync(changedSpec, "utf8");
    const edited = JSON.parse(specText);
    delete edited.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.seed;
    const editedBytes = JSON.stringify(edited);
    writeFileSync(changedSpec, editedBytes);
    lock.models.files["OpenAI/gpt-4o.json"] = createHash("sha256").update(editedBytes).digest("hex");
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));
    const modelsOneSpec = await seconds(() => must("pnpm", ["codegen"], { cwd: repo, env, timeoutMs: 600_000 }));
    writeFileSync(changedSpec, specText);
    writeFileSync(lockPath, lockText);
    await must("pnpm", ["codegen"], { cwd: repo, env, timeoutMs: 600_000 });

    // spec:update as a maintainer runs it: from the 2026-04-22 pin (committed) to upstream's next
    // version, which adds an optional request field; then to a version refused before any build.
    const git = (...args: string[]) =>
      must("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", ...args], { cwd: repo, env });
    await git("add", "-A");
    await git("commit", "-qm", "bench: pin 2026-04-22");
    const update = (from: string, expectFailure: boolean) =>
      must("pnpm", ["spec:update", "--from", from], {
        cwd: repo,
        // The copy is not beside ../shared: the candidate's wire-contract tests are told where the recordings are.
        env: { ...env, WIRE_DIR: join(historyDir, "..", "wire") },
        timeoutMs: 600_000,
      }).then(
        () => {
          if (expectFailure) throw new Error(`spec:update accepted ${from}, which the bench expects it to refuse`);
        },
        (error: unknown) => {
          if (!expectFailure) throw error;
          // A refusal keeps its log for the maintainer and names it; the bench reads nothing from it.
          const log = /^details: (.+)$/m.exec((error as Error).message)?.[1];
          if (log) rmSync(dirname(log), { recursive: true, force: true });
        },
      );
    const additive = quick
      ? Number.NaN
      : await seconds(() => update(join(historyDir, "gpt-4.1.2026-06-12.fbcad4ca.json"), false));
    const lapse = JSON.parse(readFileSync(join(historyDir, "gpt-4.1.2026-06-12.fbcad4ca.json"), "utf8"));
    lapse.components.securitySchemes["access-token"].in = "header";
    const lapsePath = join(work, "lapse.json");
    writeFileSync(lapsePath, JSON.stringify(lapse));
    await git("add", "-A");
    await git("commit", "-qm", "bench: pin 2026-06-12", "--allow-empty");
    const refusal = await seconds(() => update(lapsePath, true));
    return {
      modelsCodegenColdSeconds: modelsCold,
      modelsCodegenNoOpSeconds: modelsNoOp,
      modelsCodegenNoOpFullTurbo: noOpOutput.includes("FULL TURBO"),
      modelsCodegenOneSpecSeconds: modelsOneSpec,
      modelSpecs: Object.keys(lock.models.files).length,
      updateAdditiveSeconds: additive,
      updateEarlyRefusalSeconds: refusal,
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

/** The figures of a smoke run: the codegen CLI's; the repository-copy cases are not run (NaN). */
function notRun(pinned: number, pinnedBytes: number, large: number, largeBytes: number): RegenerationResult {
  return {
    codegenPinnedSeconds: pinned,
    pinnedSpecBytes: pinnedBytes,
    codegenLargeSeconds: large,
    largeSpecBytes: largeBytes,
    buildColdSeconds: Number.NaN,
    buildWarmSeconds: Number.NaN,
    buildAfterSpecChangeSeconds: Number.NaN,
    updateAdditiveSeconds: Number.NaN,
    updateEarlyRefusalSeconds: Number.NaN,
    modelsCodegenColdSeconds: Number.NaN,
    modelsCodegenNoOpSeconds: Number.NaN,
    modelsCodegenNoOpFullTurbo: false,
    modelsCodegenOneSpecSeconds: Number.NaN,
    modelSpecs: 0,
  };
}
