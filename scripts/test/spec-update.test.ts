/**
 * spec:update end to end, in a temporary copy of this repository (real install, real turbo build,
 * real git): downgrade to an old upstream version, come back, re-run, a no-op key-order change,
 * a spec the packages cannot build with, and a dirty tree.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { copyWorkingTree } from "../src/repo-copy";
import { repoRoot, sharedSpecsDir } from "./helpers/cli";

const history = (name: string) => join(sharedSpecsDir(), "history", name);
const OLDEST = history("gpt-4.1.2026-01-16.23c54eb5.json");
const KEY_ORDER_TWIN = history("gpt-4.1.2026-06-12.fbcad4ca.json");
const CURRENT = join(sharedSpecsDir(), "gpt-4.1.json");

let copy = "";

/** The environment of a nested turbo/pnpm run, without the variables of the turbo task running this test. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", SPEC_MIRROR: sharedSpecsDir() };
  for (const key of Object.keys(env)) if (key.startsWith("TURBO_") && key !== "TURBO_TELEMETRY_DISABLED") delete env[key];
  return env;
}

function sh(command: string, args: string[]): string {
  return execFileSync(command, args, { cwd: copy, env: cleanEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function update(from: string) {
  const run = spawnSync(
    join(copy, "scripts", "node_modules", ".bin", "tsx"),
    [join(copy, "scripts", "src", "cli", "spec-update.ts"), "--from", from],
    {
      cwd: copy,
      env: cleanEnv(),
      encoding: "utf8",
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const commitAll = (message: string) => {
  sh("git", ["add", "-A"]);
  sh("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", message]);
};
const read = (path: string) => readFileSync(join(copy, path), "utf8");
const changesets = () => readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
const pinned = () => (JSON.parse(read("specs/sources.json")) as { specs: { sha256: string }[] }).specs[0]?.sha256;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "aimlapi-update-"));
  copyWorkingTree(repoRoot, copy, cleanEnv());
  sh("pnpm", ["install", "--offline", "--frozen-lockfile"]);
  sh(join(copy, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"]);
}, 300_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** Builds and runs the packages' own suites, as `pnpm test` does for them. */
function buildAndTest(): void {
  const run = spawnSync(
    join(copy, "node_modules", ".bin", "turbo"),
    [
      "run",
      "typecheck",
      "test",
      "--filter=@aimlapi-sdk/types",
      "--filter=@aimlapi-sdk/client",
      "--filter=@aimlapi-sdk/mock-server",
      "--output-logs=errors-only",
    ],
    { cwd: copy, env: cleanEnv(), encoding: "utf8" },
  );
  expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-3000)).toBe(0);
}

describe("spec:update", () => {
  test("to the oldest version: breaking → minor changeset, lock and generated types follow, repo builds and tests", () => {
    const r = update(OLDEST);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Level: breaking/);
    expect(r.stdout).toMatch(/! property "provider" removed/);
    expect(pinned()).toBe("861d1f6855c279f8ca66ae565af83fe7363167b8640cbd113b9dca274fbdc1fc");
    expect(read("specs/gpt-4.1.json")).toBe(readFileSync(OLDEST, "utf8"));
    expect(read("packages/types/src/generated/gpt-4-1.ts")).not.toContain("provider?: string");
    expect(changesets()).toEqual(["spec-gpt-4-1-861d1f68.md"]);
    const changeset = read(".changeset/spec-gpt-4-1-861d1f68.md");
    expect(changeset).toMatch(
      /^---\n"@aimlapi-sdk\/types": minor\n"@aimlapi-sdk\/client": minor\n"@aimlapi-sdk\/mock-server": minor\n---\n/,
    );
    expect(changeset).toContain("Upstream spec `gpt-4.1` updated: **breaking** change (sha256 7dc3d0a8accd… → 861d1f685");
    expect(changeset).toContain('property "meta" removed');
    buildAndTest();
    commitAll("spec: oldest");
  }, 300_000);

  test("back to the current version: additive → patch changeset; building and testing pass", () => {
    const r = update(CURRENT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Level: additive/);
    expect(pinned()).toBe("7dc3d0a8accd14ceb2cd36113b4e1f6396621d18e50f887c33cd08d9fcaaa235");
    expect(read("packages/types/src/generated/gpt-4-1.ts")).toContain("provider?: string");
    const added = changesets().filter((f) => f !== "spec-gpt-4-1-861d1f68.md");
    expect(added).toEqual(["spec-gpt-4-1-7dc3d0a8.md"]);
    expect(read(`.changeset/${added[0]}`)).toMatch(/"@aimlapi-sdk\/client": patch/);
    buildAndTest();
    commitAll("spec: current");
  }, 300_000);

  test("the same version again: nothing to do", () => {
    const r = update(CURRENT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already pinned to this version/);
    expect(sh("git", ["status", "--porcelain"])).toBe("");
  });

  test("a key-order-only version: the lock moves, no changeset, generated code unchanged", () => {
    const before = read("packages/types/src/generated/gpt-4-1.ts");
    const r = update(KEY_ORDER_TWIN);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Level: none/);
    expect(r.stdout).toMatch(/no changeset/);
    expect(pinned()).toBe("3a0111562cb21e7c2273560d095473028734403ce3d7cd63032a49f94e69f10f");
    expect(read("packages/types/src/generated/gpt-4-1.ts")).toBe(before);
    expect(sh("git", ["status", "--porcelain"]).trim()).toBe("M specs/sources.json");
    commitAll("spec: key order");
  }, 120_000);

  test("a spec the packages cannot build with is refused and every file is put back", () => {
    const lock = read("specs/sources.json");
    const spec = read("specs/gpt-4.1.json");
    const types = read("packages/types/src/generated/gpt-4-1.ts");
    const mock = read("packages/mock-server/src/generated/spec.json");
    const other = join(copy, "..", `${copy.split("/").pop()}-other.json`);
    writeFileSync(
      other,
      JSON.stringify({
        openapi: "3.0.0",
        info: { title: "Other", version: "1" },
        paths: {
          "/v2/other": {
            post: {
              responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object" } } } } },
            },
          },
        },
      }),
    );
    try {
      const r = update(other);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(
        /^spec:update: the packages do not build with the new spec: .*Property .\/v1\/chat\/completions. does not exist.*\(nothing was changed\)$/,
      );
      expect(read("specs/sources.json")).toBe(lock);
      expect(read("specs/gpt-4.1.json")).toBe(spec);
      expect(read("packages/types/src/generated/gpt-4-1.ts")).toBe(types);
      expect(read("packages/mock-server/src/generated/spec.json")).toBe(mock);
      expect(sh("git", ["status", "--porcelain"])).toBe("");
    } finally {
      rmSync(other, { force: true });
    }
  }, 120_000);

  test("refuses to run over uncommitted changes in .changeset/", () => {
    writeFileSync(join(copy, ".changeset", "wip.md"), "---\n---\n");
    try {
      const r = update(OLDEST);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "spec:update: uncommitted changes in specs/ or .changeset/ (.changeset/wip.md): commit or stash them first\n",
      );
      expect(pinned()).toBe("3a0111562cb21e7c2273560d095473028734403ce3d7cd63032a49f94e69f10f");
    } finally {
      rmSync(join(copy, ".changeset", "wip.md"));
    }
  });

  test("spec:check passes on the updated copy and fails on a hand-edited generated file", () => {
    const check = () =>
      spawnSync(join(copy, "scripts", "node_modules", ".bin", "tsx"), [join(copy, "scripts", "src", "cli", "spec-check.ts")], {
        cwd: copy,
        env: cleanEnv(),
        encoding: "utf8",
      });
    expect(check().status).toBe(0);
    const file = join(copy, "packages", "types", "src", "generated", "gpt-4-1.ts");
    writeFileSync(file, `${readFileSync(file, "utf8")}// edited\n`);
    const r = check();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "spec:check: packages/types/src/generated/gpt-4-1.ts is not what specs/gpt-4.1.json generates (run pnpm codegen)\n",
    );
  }, 60_000);
});
