/**
 * spec:update end to end, in a temporary copy of this repository (real install, real turbo build,
 * real git): downgrade to an old upstream version, come back, re-run, a no-op key-order change; the
 * overlay's flows (a lapse it does not repair is refused until an action is added, an action that
 * matches nothing, one upstream made unnecessary, an overlay-only edit); a spec the packages cannot
 * build with, and a dirty tree.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scaledTimeout } from "@aimlapi-sdk/devkit/load";
import { withoutTurboEnv } from "@aimlapi-sdk/devkit/repo";
import { copyWorkingTree } from "@aimlapi-sdk/devkit/repo-copy";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLI_BUNDLES_ENV } from "./global-setup";
import { repoRoot, sharedSpecsDir } from "./helpers/cli";

const history = (name: string) => join(sharedSpecsDir(), "history", name);
const OLDEST = history("gpt-4.1.2026-01-16.23c54eb5.json");
const KEY_ORDER_TWIN = history("gpt-4.1.2026-06-12.fbcad4ca.json");
const CURRENT = join(sharedSpecsDir(), "gpt-4.1.json");

let copy = "";

/** The environment of a nested turbo/pnpm run, without the variables of the turbo task running this test. */
function cleanEnv(): NodeJS.ProcessEnv {
  return { ...withoutTurboEnv(process.env), SPEC_MIRROR: sharedSpecsDir() };
}

function sh(command: string, args: string[]): string {
  return execFileSync(command, args, {
    cwd: copy,
    env: cleanEnv(),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: scaledTimeout(120_000),
  });
}

/** Runs a CLI of scripts/src/cli (bundled by the global setup) on the copy, as `pnpm spec:*` there would. */
function cli(name: string, args: string[]) {
  const bundles = process.env[CLI_BUNDLES_ENV] as string;
  return spawnSync(process.execPath, [join(bundles, `${name}.mjs`), ...args], {
    cwd: copy,
    env: { ...cleanEnv(), AIMLAPI_REPO_ROOT: copy },
    encoding: "utf8",
    timeout: scaledTimeout(180_000),
  });
}

function update(from: string | undefined) {
  const run = cli("spec-update", from ? ["--from", from] : ["--overlay-only"]);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const commitAll = (message: string) => {
  sh("git", ["add", "-A"]);
  sh("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", message]);
};
const read = (path: string) => readFileSync(join(copy, path), "utf8");
const allChangesets = () => readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
/** Changesets written since the copy was made (the repository may already hold pending ones). */
let pending: string[] = [];
const changesets = () => allChangesets().filter((f) => !pending.includes(f));
const lock = () => (JSON.parse(read("specs/sources.json")) as { specs: { sha256: string; overlaySha256?: string }[] }).specs[0];
const pinned = () => lock()?.sha256;
const OVERLAY = "specs/overlays/gpt-4.1.overlay.yaml";
/** Appends an action to the copy's overlay (YAML text, indented as a list item). */
const addAction = (yaml: string) => writeFileSync(join(copy, OVERLAY), `${read(OVERLAY).trimEnd()}\n${yaml}`);
/** Overlay text without the action of that `x-id`. */
const withoutAction = (text: string, id: string) =>
  text.replace(new RegExp(` {2}- x-id: ${id}\\n[\\s\\S]*?(?= {2}- x-id: |$)`), "");
/** Upstream documents made up by the tests, outside the copy (as a download would be); removed at the end. */
let variants = "";
/** A variant of the current upstream document. */
// biome-ignore lint/suspicious/noExplicitAny: edits walk arbitrary OpenAPI JSON
function variant(name: string, edit: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(readFileSync(CURRENT, "utf8"));
  edit(doc);
  const file = join(variants, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}
function check() {
  return cli("spec-check", []);
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "aimlapi-update-"));
  variants = mkdtempSync(join(tmpdir(), "aimlapi-update-variants-"));
  copyWorkingTree(repoRoot, copy, cleanEnv());
  pending = allChangesets();
  sh("pnpm", ["install", "--offline", "--frozen-lockfile"]);
  sh(join(copy, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"]);
}, scaledTimeout(120_000));

afterAll(() => {
  for (const dir of [copy, variants]) if (dir) rmSync(dir, { recursive: true, force: true });
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
    { cwd: copy, env: cleanEnv(), encoding: "utf8", timeout: scaledTimeout(180_000) },
  );
  expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-3000)).toBe(0);
}

/** Task hashes of a dry run of the whole pipeline, with each task's dependencies. */
function dryRun(): Map<string, { hash: string; dependencies: string[] }> {
  const out = sh(join(copy, "node_modules", ".bin", "turbo"), ["run", "build", "typecheck", "lint", "test", "--dry=json"]);
  const tasks = (JSON.parse(out) as { tasks: { taskId: string; hash: string; dependencies: string[] }[] }).tasks;
  return new Map(tasks.map((t) => [t.taskId, { hash: t.hash, dependencies: t.dependencies }]));
}

describe("the overlay is a turbo input", () => {
  test(
    "editing it changes codegen and what depends on it, nothing else",
    () => {
      const before = dryRun();
      const original = read(OVERLAY);
      writeFileSync(join(copy, OVERLAY), `${original}# a reviewed edit\n`);
      let after: ReturnType<typeof dryRun>;
      try {
        after = dryRun();
      } finally {
        writeFileSync(join(copy, OVERLAY), original);
      }
      const changed = new Set([...after].filter(([id, t]) => before.get(id)?.hash !== t.hash).map(([id]) => id));
      // The generators read the overlay; scripts' own tests check it directly.
      const readers = ["@aimlapi-sdk/types#codegen", "@aimlapi-sdk/mock-server#codegen", "@aimlapi-sdk/scripts#test"];
      for (const id of readers) expect(changed, id).toContain(id);
      for (const id of [
        "@aimlapi-sdk/types#build",
        "@aimlapi-sdk/client#build",
        "@aimlapi-sdk/mock-server#test",
        "@aimlapi-sdk/examples#test",
      ])
        expect(changed, id).toContain(id);
      // Every other change is explained by a changed dependency; lint and scripts' typecheck do not move.
      for (const id of changed) {
        if (readers.includes(id)) continue;
        expect(
          after.get(id)?.dependencies.some((d) => changed.has(d)),
          `${id} changed without a changed dependency`,
        ).toBe(true);
      }
      for (const id of after.keys()) if (id.endsWith("#lint")) expect(changed.has(id), id).toBe(false);
      expect(changed.has("@aimlapi-sdk/scripts#typecheck")).toBe(false);
    },
    scaledTimeout(30_000),
  );
});

describe("spec:update", () => {
  test(
    "to the oldest version: breaking → minor changeset, lock and generated types follow, repo builds and tests",
    () => {
      // That version has no `meta` at all, so the action repairing `meta.usage` goes with it (the
      // maintainer adapts the overlay in the same step; spec:update classifies both together).
      writeFileSync(join(copy, OVERLAY), withoutAction(read(OVERLAY), "meta-usage-fields-optional"));
      const r = update(OLDEST);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Upstream change \(before the overlay\):\nLevel: breaking/);
      expect(r.stdout).toMatch(
        /Effective change \(with specs\/overlays\/gpt-4\.1\.overlay\.yaml; what the packages expose\):\nLevel: breaking/,
      );
      expect(r.stdout).toMatch(/! property "provider" removed/);
      expect(pinned()).toBe("861d1f6855c279f8ca66ae565af83fe7363167b8640cbd113b9dca274fbdc1fc");
      expect(read("specs/gpt-4.1.json")).toBe(readFileSync(OLDEST, "utf8"));
      expect(read("packages/types/src/generated/gpt-4-1.ts")).not.toContain("provider?: string");
      expect(changesets()).toEqual(["spec-gpt-4-1-861d1f68.md"]);
      const changeset = read(".changeset/spec-gpt-4-1-861d1f68.md");
      expect(changeset).toMatch(
        /^---\n"@aimlapi-sdk\/types": minor\n"@aimlapi-sdk\/client": minor\n"@aimlapi-sdk\/mock-server": minor\n---\n/,
      );
      expect(changeset).toContain(
        "Upstream spec `gpt-4.1` updated (sha256 7dc3d0a8accd… → 861d1f6855c2…): upstream's change is **breaking**, the change to the types and the mock is **breaking** (with the corrections of `specs/overlays/gpt-4.1.overlay.yaml`).",
      );
      expect(changeset).toContain('property "meta" removed');
      buildAndTest();
      commitAll("spec: oldest");
    },
    scaledTimeout(120_000),
  );

  test(
    "back to the current version: additive → patch changeset; building and testing pass",
    () => {
      writeFileSync(join(copy, OVERLAY), readFileSync(join(repoRoot, OVERLAY), "utf8"));
      const r = update(CURRENT);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Upstream change \(before the overlay\):\nLevel: additive/);
      expect(pinned()).toBe("7dc3d0a8accd14ceb2cd36113b4e1f6396621d18e50f887c33cd08d9fcaaa235");
      expect(read("packages/types/src/generated/gpt-4-1.ts")).toContain("provider?: string");
      const added = changesets().filter((f) => f !== "spec-gpt-4-1-861d1f68.md");
      expect(added).toEqual(["spec-gpt-4-1-7dc3d0a8.md"]);
      expect(read(`.changeset/${added[0]}`)).toMatch(/"@aimlapi-sdk\/client": patch/);
      buildAndTest();
      commitAll("spec: current");
    },
    scaledTimeout(120_000),
  );

  test("the same version again: nothing to do", () => {
    const r = update(CURRENT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /already pinned to this version \(sha256 7dc3d0a8accd…\) and the overlay is unchanged; nothing to do/,
    );
    expect(sh("git", ["status", "--porcelain"])).toBe("");
  });

  test(
    "a key-order-only version: the lock moves, no changeset, generated code unchanged",
    () => {
      const before = read("packages/types/src/generated/gpt-4-1.ts");
      const r = update(KEY_ORDER_TWIN);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Level: none/);
      expect(r.stdout).toMatch(/no semantic change for users: lock updated, no changeset/);
      expect(pinned()).toBe("3a0111562cb21e7c2273560d095473028734403ce3d7cd63032a49f94e69f10f");
      expect(read("packages/types/src/generated/gpt-4-1.ts")).toBe(before);
      expect(sh("git", ["status", "--porcelain"]).trim()).toBe("M specs/sources.json");
      commitAll("spec: key order");
    },
    scaledTimeout(60_000),
  );

  test(
    "a lapse the overlay does not repair is refused, naming the pointer and rule; after an action is added, the same command succeeds",
    () => {
      const lapse = variant("lapse", (doc) => {
        // A field an `http` security scheme must not have (OpenAPI 3.0), as upstream once published.
        doc.components.securitySchemes["access-token"].in = "header";
        // And a lapse upstream fixed itself: the overlay's action for it no longer changes anything.
        for (const path of Object.values(doc.paths as Record<string, typeof doc>)) {
          const delta = path.post.responses["200"].content["text/event-stream"].schema.properties.choices.items.properties.delta;
          delta.properties.content.nullable = true;
        }
      });
      const before = { lock: read("specs/sources.json"), spec: read("specs/gpt-4.1.json") };
      const refused = update(lapse);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr.trim()).toMatch(
        /^spec:update: gpt-4\.1 from .*\/lapse\.json: not a valid OpenAPI 3\.0\.0 document even with the overlay applied: \/components\/securitySchemes\/access-token: must not have the field "in" \(OpenAPI schema: HTTPSecurityScheme\); add an action to specs\/overlays\/gpt-4\.1\.overlay\.yaml that repairs it$/,
      );
      expect(read("specs/sources.json")).toBe(before.lock);
      expect(read("specs/gpt-4.1.json")).toBe(before.spec);

      addAction(`  - x-id: http-scheme-without-in
    target: $.components.securitySchemes['access-token'].in
    description: >-
      An http security scheme must not have "in" (OpenAPI 3.0 HTTPSecurityScheme); the bearer
      token always travels in the Authorization header.
    remove: true
`);
      const accepted = update(lapse);
      expect(accepted.stderr).toBe("");
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toMatch(
        /upstream fixed this: remove action "chunk-delta-content-nullable" \(#\d+\) from specs\/overlays\/gpt-4\.1\.overlay\.yaml \(it no longer changes anything\)/,
      );
      // Upstream's change shows (a breaking one, even); what users see does not change, so no release.
      expect(accepted.stdout).toMatch(/Upstream change \(before the overlay\):\nLevel: breaking/);
      expect(accepted.stdout).toMatch(/Effective change .*\nLevel: none/);
      expect(accepted.stdout).toMatch(/same effective document: the generated files do not change, nothing to rebuild/);
      expect(accepted.stdout).toMatch(/no semantic change for users: lock updated, no changeset/);
      expect(lock()?.sha256).toBe(createHash("sha256").update(readFileSync(lapse)).digest("hex"));
      expect(lock()?.overlaySha256).toBe(
        createHash("sha256")
          .update(readFileSync(join(copy, OVERLAY)))
          .digest("hex"),
      );
      // spec:check now asks for the action upstream made unnecessary to go.
      const stale = check();
      expect(stale.status).toBe(1);
      expect(stale.stderr).toMatch(
        /^spec:check: overlay action "chunk-delta-content-nullable" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml changes nothing in specs\/gpt-4\.1\.json: remove it\n$/,
      );
      commitAll("spec: upstream's lapse repaired by the overlay");
    },
    scaledTimeout(120_000),
  );

  test("an action that matches nothing (upstream fixed or moved what it targets) fails, naming the action", () => {
    const before = read("specs/sources.json");
    const r = update(KEY_ORDER_TWIN);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(
      /^spec:update: gpt-4\.1 from .*gpt-4\.1\.2026-06-12\.fbcad4ca\.json: overlay action "http-scheme-without-in" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml matches nothing \(target \$\.components\.securitySchemes\['access-token'\]\.in\): upstream renamed, moved or fixed what it targets; correct or remove the action$/,
    );
    expect(read("specs/sources.json")).toBe(before);
    expect(sh("git", ["status", "--porcelain"])).toBe("");
  });

  test(
    "an overlay-only edit: spec:check asks for it to be classified; --overlay-only writes its changeset",
    () => {
      // The maintainer drops the action upstream made unnecessary, and adds one.
      writeFileSync(join(copy, OVERLAY), withoutAction(read(OVERLAY), "chunk-delta-content-nullable"));
      addAction(`  - x-id: message-reasoning-content
    target: $.paths.*.post.responses['200'].content['application/json'].schema.properties.choices.items.properties.message.properties
    description: >-
      Reasoning models send their reasoning as \`reasoning_content\` (test action).
    update:
      reasoning_content:
        type: string
        nullable: true
`);
      const stale = check();
      expect(stale.status).toBe(1);
      expect(stale.stderr).toMatch(
        /^spec:check: specs\/overlays\/gpt-4\.1\.overlay\.yaml changed since spec:update classified it \(sha256 [0-9a-f]{12}…, the lock records [0-9a-f]{12}…\): run pnpm spec:update --overlay-only/m,
      );
      const existing = changesets();
      const r = update(undefined);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Effective change .*\nLevel: additive/);
      const added = changesets().filter((f) => !existing.includes(f));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^overlay-gpt-4-1-[0-9a-f]{8}\.md$/);
      const text = read(`.changeset/${added[0]}`);
      expect(text).toMatch(/"@aimlapi-sdk\/types": patch/);
      expect(text).toContain(
        "Corrections of upstream spec `gpt-4.1` changed (`specs/overlays/gpt-4.1.overlay.yaml`): the change to the types and the mock is **additive**.",
      );
      expect(text).toContain('property "reasoning_content" added');
      expect(read("packages/types/src/generated/gpt-4-1.ts")).toContain("reasoning_content?: string | null;");
      expect(check().status).toBe(0);
      commitAll("overlay: reasoning_content");
    },
    scaledTimeout(120_000),
  );

  test(
    "a spec the packages cannot build with is refused and every file is put back",
    () => {
      const lock = read("specs/sources.json");
      const spec = read("specs/gpt-4.1.json");
      const types = read("packages/types/src/generated/gpt-4-1.ts");
      const mock = read("packages/mock-server/src/generated/spec.json");
      // The overlay still applies (its targets cover /chat/completions too), but the client wraps /v1/….
      const other = variant("other", (doc) => {
        delete doc.paths["/v1/chat/completions"];
        doc.components.securitySchemes["access-token"].in = "header";
      });
      try {
        const r = update(other);
        expect(r.code).toBe(1);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr.trim()).toMatch(
          /^spec:update: the packages do not build with the new spec: .*the document has no POST \/v1\/chat\/completions.*\(nothing was changed\)$/,
        );
        expect(read("specs/sources.json")).toBe(lock);
        expect(read("specs/gpt-4.1.json")).toBe(spec);
        expect(read("packages/types/src/generated/gpt-4-1.ts")).toBe(types);
        expect(read("packages/mock-server/src/generated/spec.json")).toBe(mock);
        expect(sh("git", ["status", "--porcelain"])).toBe("");
      } finally {
        rmSync(other, { force: true });
      }
    },
    scaledTimeout(60_000),
  );

  test("refuses to run over uncommitted changes in .changeset/", () => {
    const pinnedBefore = pinned();
    writeFileSync(join(copy, ".changeset", "wip.md"), "---\n---\n");
    try {
      const r = update(OLDEST);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "spec:update: uncommitted changes in specs/ or .changeset/ (.changeset/wip.md): commit or stash them first\n",
      );
      expect(pinned()).toBe(pinnedBefore);
    } finally {
      rmSync(join(copy, ".changeset", "wip.md"));
    }
  });

  test(
    "spec:check passes on the updated copy and fails on a hand-edited generated file",
    () => {
      expect(check().status).toBe(0);
      const file = join(copy, "packages", "types", "src", "generated", "gpt-4-1.ts");
      writeFileSync(file, `${readFileSync(file, "utf8")}// edited\n`);
      const r = check();
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        "spec:check: packages/types/src/generated/gpt-4-1.ts is not what specs/gpt-4.1.json with its overlay generates (run pnpm codegen)\n",
      );
    },
    scaledTimeout(30_000),
  );
});
