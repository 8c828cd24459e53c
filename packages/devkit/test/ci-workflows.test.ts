import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../src/repo";

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  shell?: string;
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

const ACTION = "./.github/actions/turbo-remote-cache";
const REMOTE_VARS = ["TURBO_API", "TURBO_TOKEN", "TURBO_TEAM", "TURBO_REMOTE_CACHE_SIGNATURE_KEY"];
const action = parse(readFileSync(join(repoRoot, ".github", "actions", "turbo-remote-cache", "action.yml"), "utf8")) as {
  runs: { steps: Step[] };
};
const workflows = readdirSync(join(repoRoot, ".github", "workflows")).map((file) => ({
  file,
  workflow: parse(readFileSync(join(repoRoot, ".github", "workflows", file), "utf8")) as Workflow,
}));
const temp = mkdtempSync(join(tmpdir(), "aimlapi-actions-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the action's shell step as GitHub would, and returns what it exported and printed. */
function runAction(inputs: { API?: string; TOKEN?: string; TEAM?: string; KEY?: string }, name: string) {
  const githubEnv = join(temp, `${name}.env`);
  writeFileSync(githubEnv, "");
  const script = action.runs.steps[0]?.run ?? "";
  const stdout = execFileSync("bash", ["-e", "-c", script], {
    env: { PATH: process.env.PATH, GITHUB_ENV: githubEnv, API: "", TOKEN: "", TEAM: "", KEY: "", ...inputs },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exported = Object.fromEntries(
    readFileSync(githubEnv, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return { exported, stdout };
}

describe("the turbo-remote-cache action", () => {
  test("exports nothing when the secrets are unset (empty strings), and says the cache is off", () => {
    const { exported, stdout } = runAction({}, "unset");
    expect(exported).toEqual({});
    expect(stdout).toMatch(/remote cache: off/);
  });

  test("exports the four variables when all are set", () => {
    const key = "k".repeat(64);
    const { exported, stdout } = runAction(
      { API: "https://cache.example.invalid", TOKEN: "t0ken", TEAM: "fleet", KEY: key },
      "set",
    );
    expect(exported).toEqual({
      TURBO_API: "https://cache.example.invalid",
      TURBO_TOKEN: "t0ken",
      TURBO_TEAM: "fleet",
      TURBO_REMOTE_CACHE_SIGNATURE_KEY: key,
    });
    expect(stdout).toMatch(/remote cache: on/);
    expect(stdout).not.toContain(key);
  });

  test("warns when the token is set without the signing key, and exports no empty key", () => {
    const { exported, stdout } = runAction({ TOKEN: "t0ken", TEAM: "fleet" }, "no-key");
    expect(exported).toEqual({ TURBO_TOKEN: "t0ken", TURBO_TEAM: "fleet" });
    expect(stdout).toMatch(/^::warning::.*TURBO_REMOTE_CACHE_SIGNATURE_KEY is not/m);
  });
});

describe("workflows", () => {
  test.each(workflows)("$file sets the remote cache only through the action, before anything runs pnpm", ({ workflow }) => {
    expect(Object.keys(workflow.env ?? {}).filter((k) => REMOTE_VARS.includes(k))).toEqual([]);
    for (const job of Object.values(workflow.jobs)) {
      expect(Object.keys(job.env ?? {}).filter((k) => REMOTE_VARS.includes(k))).toEqual([]);
      const setup = job.steps.findIndex((s) => s.uses === ACTION);
      const firstPnpm = job.steps.findIndex(
        (s) => /\bpnpm\b|bootstrap\.sh/.test(s.run ?? "") || s.uses?.startsWith("changesets/"),
      );
      expect(setup, "the job uses the turbo-remote-cache action").toBeGreaterThanOrEqual(0);
      expect(setup).toBeLessThan(firstPnpm);
      for (const step of job.steps) expect(Object.keys(step.env ?? {}).filter((k) => REMOTE_VARS.includes(k))).toEqual([]);
    }
  });

  test("turbo signs remote artifacts and refuses short keys", () => {
    const turbo = JSON.parse(readFileSync(join(repoRoot, "turbo.json"), "utf8"));
    expect(turbo.remoteCache).toEqual({ signature: true });
    expect(turbo.futureFlags).toMatchObject({ longerSignatureKey: true });
  });

  test("pnpm release builds everything itself, reading no cache", () => {
    const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.release).toMatch(/turbo run build --cache=local:w && changeset publish$/);
  });
});
