import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { repoRoot, sharedSpecsDir, withoutTurboEnv } from "../src/repo";

describe("the repository", () => {
  const saved = process.env.SPEC_MIRROR;
  afterEach(() => {
    process.env.SPEC_MIRROR = saved;
  });

  test("its root holds pnpm-workspace.yaml, found from the built or the source module alike", () => {
    expect(existsSync(join(repoRoot, "pnpm-workspace.yaml"))).toBe(true);
  });

  test("a relative SPEC_MIRROR is relative to the root (where pnpm runs), not to a package's folder", () => {
    process.env.SPEC_MIRROR = "../shared/specs";
    expect(sharedSpecsDir()).toBe(join(repoRoot, "..", "shared", "specs"));
    process.env.SPEC_MIRROR = "/abs/specs";
    expect(sharedSpecsDir()).toBe("/abs/specs");
    process.env.SPEC_MIRROR = "";
    expect(sharedSpecsDir()).toBe(join(repoRoot, "..", "shared", "specs"));
  });

  test("a nested turbo run gets no TURBO_* variable of the task running it, but telemetry stays off", () => {
    const env = withoutTurboEnv({ TURBO_HASH: "x", TURBO_API: "http://cache", PATH: "/bin" });
    expect(env).toEqual({ PATH: "/bin", TURBO_TELEMETRY_DISABLED: "1" });
  });
});
