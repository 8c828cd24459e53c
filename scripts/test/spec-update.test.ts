/**
 * spec:update end to end, in a temporary copy of this repository (real install, real turbo build,
 * real git, and the update's own candidate copy, build and tests): downgrade to an old upstream
 * version, come back, re-run, a no-op key-order change; the overlay's flows (a lapse it does not
 * repair is refused until an action is added, an action that matches nothing, drift on one
 * operation, one upstream made unnecessary, an overlay-only edit); versions that break the build or
 * the client's tests are refused with the tree unchanged byte for byte; a dirty tree; --help.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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
  return { ...withoutTurboEnv(process.env), SPEC_MIRROR: sharedSpecsDir(), WIRE_DIR: join(sharedSpecsDir(), "wire") };
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

/** Runs spec:update on the copy; a refusal's log is read into `log` and its folder removed. */
function update(from: string | undefined, extra: string[] = []) {
  const run = cli("spec-update", [...(from ? ["--from", from] : ["--overlay-only"]), ...extra]);
  const logPath = /^details: (.+)$/m.exec(run.stderr)?.[1];
  const log = logPath ? readFileSync(logPath, "utf8") : undefined;
  if (logPath) rmSync(dirname(logPath), { recursive: true, force: true });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, log };
}

/** sha256 over every file of the copy (path, bytes, symlink target), ignored ones included; node_modules and .git aside. */
function treeHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const path = join(dir, entry.name);
      hash.update(`${path}\0`);
      if (entry.isSymbolicLink()) hash.update(readlinkSync(path));
      else if (entry.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(copy);
  return hash.digest("hex");
}

/** The install's own state files, which the update's candidate copy (it links node_modules) must not touch. */
function installState(): string {
  return ["node_modules/.modules.yaml", "node_modules/.pnpm-workspace-state-v1.json"]
    .map((f) =>
      createHash("sha256")
        .update(readFileSync(join(copy, f)))
        .digest("hex"),
    )
    .join(" ");
}

/** The log file a refusal names on its last line, as `update` read it. */
function refusalLog(result: { stderr: string; log?: string }): string {
  expect(result.log, result.stderr).toBeDefined();
  return result.log as string;
}

const commitAll = (message: string) => {
  sh("git", ["add", "-A"]);
  sh("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", message]);
};
const read = (path: string) => readFileSync(join(copy, path), "utf8");
/** The built declarations of the flagship's generated module (the types' dist also holds every model's). */
const flagshipDeclarations = () => {
  const dist = read("packages/types/dist/index.d.mts");
  const start = dist.indexOf("//#region src/generated/gpt-4-1.d.ts");
  expect(start).toBeGreaterThanOrEqual(0);
  return dist.slice(start, dist.indexOf("//#endregion", start));
};
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
/** A copy of the pinned model set's folder (upstream's layout), each file edited by `edit`, then `extra` run on the folder. */
function modelSet(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: edits walk arbitrary OpenAPI JSON
  edit: (doc: Record<string, any>, path: string) => void,
  extra: (dir: string) => void = () => {},
): string {
  const lock = JSON.parse(readFileSync(join(repoRoot, "specs", "models.lock.json"), "utf8")) as {
    commit: string;
    folder: string;
  };
  const dir = join(variants, name);
  cpSync(join(sharedSpecsDir(), "api-docs", lock.commit, lock.folder), dir, { recursive: true });
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    const file = join(entry.parentPath, entry.name);
    const path = file.slice(dir.length + 1);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const before = JSON.stringify(doc);
    edit(doc, path);
    if (JSON.stringify(doc) !== before) writeFileSync(file, JSON.stringify(doc));
  }
  extra(dir);
  return dir;
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
    "to the oldest version: breaking → minor changeset naming upstream's commit, lock, generated types and built output follow after the gate",
    () => {
      // That version has no `meta` at all, so the action repairing `meta.usage` goes with it (the
      // maintainer adapts the overlay in the same step; spec:update classifies both together).
      writeFileSync(join(copy, OVERLAY), withoutAction(read(OVERLAY), "meta-usage-fields-optional"));
      const r = update(OLDEST);
      expect(r.stderr, r.log).toBe("");
      expect(r.code).toBe(0);
      // The verdict comes first; the gate built and tested the candidate.
      expect(r.stdout.split("\n")[0]).toMatch(
        /^gpt-4\.1: accepted 23c54eb5 \(2026-01-16\): minor release for an effective breaking change \(\d+\.\d s\)$/,
      );
      expect(r.stdout).toMatch(/candidate builds \(.*\n.*candidate type-checks/);
      expect(r.stdout).toMatch(/candidate passes \d+ tests in \d+ files/);
      expect(r.stdout).toMatch(/Upstream change \(before the overlay\):\nLevel: breaking/);
      expect(r.stdout).toMatch(
        /Effective change \(with specs\/overlays\/gpt-4\.1\.overlay\.yaml; what the packages expose\):\nLevel: breaking/,
      );
      expect(r.stdout).toMatch(/! property "provider" removed/);
      expect(pinned()).toBe("861d1f6855c279f8ca66ae565af83fe7363167b8640cbd113b9dca274fbdc1fc");
      expect(read("specs/gpt-4.1.json")).toBe(readFileSync(OLDEST, "utf8"));
      expect(read("packages/types/src/generated/gpt-4-1.ts")).not.toContain("provider?: string");
      expect(flagshipDeclarations()).not.toContain("provider?: string");
      expect(lock()).toMatchObject({ upstream: { commit: "23c54eb5", date: "2026-01-16" } });
      expect(changesets()).toEqual(["spec-gpt-4-1-861d1f68.md"]);
      const changeset = read(".changeset/spec-gpt-4-1-861d1f68.md");
      expect(changeset).toMatch(
        /^---\n"@aimlapi-sdk\/types": minor\n"@aimlapi-sdk\/client": minor\n"@aimlapi-sdk\/mock-server": minor\n---\n/,
      );
      expect(changeset).toContain(
        "Upstream gpt-4.1.json 23c54eb5 (2026-01-16): upstream's change is **breaking**, the change to the types and the mock is **breaking** (with the corrections of `specs/overlays/gpt-4.1.overlay.yaml`). Previous version: 4cd011cd (2026-06-12); sha256 7dc3d0a8accd… → 861d1f6855c2….",
      );
      expect(changeset).toContain('property "meta" removed');
      commitAll("spec: oldest");
    },
    scaledTimeout(120_000),
  );

  test(
    "back to the current version (a copy without a dated name: its commit and date given by hand): additive for gpt-4.1; the model set's change through the shared overlay decides the bump",
    () => {
      writeFileSync(join(copy, OVERLAY), readFileSync(join(repoRoot, OVERLAY), "utf8"));
      const r = update(CURRENT, ["--upstream-commit", "4cd011cd", "--upstream-date", "2026-06-12"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Upstream change \(before the overlay\):\nLevel: additive/);
      expect(pinned()).toBe("7dc3d0a8accd14ceb2cd36113b4e1f6396621d18e50f887c33cd08d9fcaaa235");
      expect(read("packages/types/src/generated/gpt-4-1.ts")).toContain("provider?: string");
      const added = changesets().filter((f) => f !== "spec-gpt-4-1-861d1f68.md");
      expect(added).toEqual(["spec-gpt-4-1-7dc3d0a8.md"]);
      const text = read(`.changeset/${added[0]}`);
      expect(text).toContain(
        "Upstream gpt-4.1.json 4cd011cd (2026-06-12): upstream's change is **additive**, the change to the types and the mock is **additive**",
      );
      // The restored action is shared by every model spec: their meta.usage fields become optional
      // again, which breaks readers of those replies, so the release is minor (0.x), not patch.
      expect(text).toContain("The model set follows the shared overlay: model set: breaking (0 added, 0 removed, ");
      expect(text).toContain('POST /v1/chat/completions (response, breaking): property "credits_used" is now optional');
      expect(text).toMatch(/"@aimlapi-sdk\/client": minor/);
      expect(lock()).toMatchObject({ upstream: { commit: "4cd011cd", date: "2026-06-12" } });
      expect(flagshipDeclarations()).toContain("provider?: string");
      commitAll("spec: current");
    },
    scaledTimeout(120_000),
  );

  test("the same version again: nothing to do", () => {
    const r = update(CURRENT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /already pinned to this version \(4cd011cd \(2026-06-12\), sha256 7dc3d0a8accd…\) and the overlay is unchanged; nothing to do/,
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
      expect(r.stdout).not.toMatch(/candidate/);
      expect(pinned()).toBe("3a0111562cb21e7c2273560d095473028734403ce3d7cd63032a49f94e69f10f");
      expect(lock()).toMatchObject({ upstream: { commit: "fbcad4ca", date: "2026-06-12" } });
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
      const before = treeHash();
      const refused = update(lapse);
      expect(refused.code).toBe(1);
      const lines = refused.stderr.trim().split("\n");
      expect(lines[0]).toMatch(
        /^spec:update: refused gpt-4\.1 from .*\/lapse\.json: 1 problem found before building, in \d+\.\d s \(nothing was changed\)$/,
      );
      expect(lines.slice(1, -1)).toEqual([
        "OpenAPI 3.0.0 violations with the overlay applied: 1 in 1 rule(s); add actions to specs/overlays/gpt-4.1.overlay.yaml that repair them:",
        '  1× must not have the field "in" (OpenAPI schema: HTTPSecurityScheme): /components/securitySchemes/access-token',
      ]);
      expect(refusalLog(refused)).toContain('/components/securitySchemes/access-token: must not have the field "in"');
      expect(treeHash()).toBe(before);

      addAction(`  - x-id: http-scheme-without-in
    target: $.components.securitySchemes['access-token'].in
    description: >-
      An http security scheme must not have "in" (OpenAPI 3.0 HTTPSecurityScheme); the bearer
      token always travels in the Authorization header.
    remove: true
`);
      const accepted = update(lapse);
      expect(accepted.stderr, accepted.log).toBe("");
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toMatch(
        /upstream fixed this: remove action "chunk-delta-content-nullable" \(#\d+\) from specs\/overlays\/gpt-4\.1\.overlay\.yaml \(it no longer changes anything\)/,
      );
      // Upstream's change shows (a breaking one, even); what users see does not change, so no release.
      expect(accepted.stdout).toMatch(/Upstream change \(before the overlay\):\nLevel: breaking/);
      expect(accepted.stdout).toMatch(/Effective change .*\nLevel: none/);
      expect(accepted.stdout).toMatch(/same effective document: the generated files do not change, nothing to rebuild or test/);
      expect(accepted.stdout).toMatch(/no semantic change for users: lock updated, no changeset/);
      expect(lock()?.sha256).toBe(createHash("sha256").update(readFileSync(lapse)).digest("hex"));
      expect(lock()?.overlaySha256).toBe(
        createHash("sha256")
          .update(readFileSync(join(copy, OVERLAY)))
          .digest("hex"),
      );
      // spec:check now asks for the action upstream made unnecessary to go; and since gpt-4.1's
      // overlay is shared by the model set, the new action also repairs the model specs' same lapse,
      // so the model set's own action for it matches nothing any more.
      const stale = check();
      expect(stale.status).toBe(1);
      expect(stale.stderr.trim().split("\n").sort()).toEqual([
        expect.stringMatching(
          /^spec:check: overlay action "chunk-delta-content-nullable" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml changes nothing in specs\/gpt-4\.1\.json: remove it$/,
        ),
        expect.stringMatching(
          /^spec:check: overlay specs\/overlays\/models\.overlay\.yaml: action "http-security-scheme-no-in" \(#1\) matches no model spec: remove it/,
        ),
      ]);
      commitAll("spec: upstream's lapse repaired by the overlay");
    },
    scaledTimeout(120_000),
  );

  test(
    "actions that no longer apply are all reported before building (unmatched, drift on one operation); a remove upstream made unnecessary is reported as fixed",
    () => {
      const original = read(OVERLAY);
      // One update whose target is gone, one that matches in /v1/chat/completions only (`provider` is not in /chat/completions).
      addAction(`  - x-id: gone-target
    target: $.paths['/v2/chat/completions'].post
    description: test action whose target upstream does not have
    update:
      deprecated: true
  - x-id: provider-not-empty
    target: $.paths.*.post.requestBody.content['application/json'].schema.properties.provider
    description: test action over both operations whose target exists in one
    update:
      minLength: 1
`);
      const before = treeHash();
      const refused = update(KEY_ORDER_TWIN);
      expect(refused.code).toBe(1);
      const lines = refused.stderr.trim().split("\n");
      expect(lines.length).toBeLessThanOrEqual(40);
      expect(lines[0]).toMatch(
        /^spec:update: refused gpt-4\.1 from .*: 2 problems found before building, in \d+\.\d s \(nothing was changed\)$/,
      );
      expect(refused.stderr).toMatch(
        /overlay action "gone-target" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml matches nothing \(target \$\.paths\['\/v2\/chat\/completions'\]\.post\)/,
      );
      expect(refused.stderr).toMatch(
        /overlay action "provider-not-empty" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml matches nothing in POST \/chat\/completions \(it matches in POST \/v1\/chat\/completions\)/,
      );
      expect(treeHash()).toBe(before);

      // Without them, the version is adopted; the remove action whose lapse upstream fixed is named, not fatal.
      writeFileSync(join(copy, OVERLAY), original);
      const r = update(KEY_ORDER_TWIN);
      expect(r.stderr, r.log).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /upstream fixed this: remove action "http-scheme-without-in" \(#\d+\) from specs\/overlays\/gpt-4\.1\.overlay\.yaml \(what it removes is gone\)/,
      );
      expect(check().stderr).toMatch(
        /overlay action "http-scheme-without-in" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml changes nothing/,
      );
      commitAll("spec: back to the key-order twin");
    },
    scaledTimeout(60_000),
  );

  test(
    "an overlay-only edit: spec:check asks for it to be classified; --overlay-only writes its changeset",
    () => {
      // The maintainer drops the action upstream made unnecessary, and adds one.
      writeFileSync(join(copy, OVERLAY), withoutAction(read(OVERLAY), "http-scheme-without-in"));
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
      const r = update(undefined, ["--skip-tests"]);
      expect(r.stderr, r.log).toBe("");
      expect(r.stdout).toMatch(/candidate builds \(.*\n.*candidate type-checks/);
      expect(r.stdout).not.toMatch(/candidate passes/);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Effective change .*\nLevel: additive/);
      const added = changesets().filter((f) => !existing.includes(f));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^overlay-gpt-4-1-[0-9a-f]{8}\.md$/);
      const text = read(`.changeset/${added[0]}`);
      expect(text).toMatch(/"@aimlapi-sdk\/types": patch/);
      expect(text).toContain(
        "Corrections of upstream gpt-4.1.json fbcad4ca (2026-06-12) changed (`specs/overlays/gpt-4.1.overlay.yaml`): the change to the types and the mock is **additive**.",
      );
      expect(text).toContain("Adopted with `spec:update --skip-tests`");
      expect(text).toContain('property "reasoning_content" added');
      expect(read("packages/types/src/generated/gpt-4-1.ts")).toContain("reasoning_content?: string | null;");
      expect(check().status).toBe(0);
      commitAll("overlay: reasoning_content");
    },
    scaledTimeout(120_000),
  );

  test(
    "a spec without the operation the types come from is refused before building",
    () => {
      const other = variant("other", (doc) => {
        delete doc.paths["/v1/chat/completions"];
      });
      const before = treeHash();
      const r = update(other);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^spec:update: refused gpt-4\.1 from .*\/other\.json: \d+ problems? found before building/);
      expect(r.stderr).toMatch(/the document has no POST \/v1\/chat\/completions/);
      expect(treeHash()).toBe(before);
    },
    scaledTimeout(60_000),
  );

  test(
    "a version the client neither compiles against nor passes its tests with is refused, naming the TypeScript errors and the failing tests; the tree hashes the same",
    () => {
      // One candidate shows both sections of a refusal (type-check and tests run side by side):
      // upstream forbids `tools[].function.strict`, which the zod helpers set (a TypeScript error);
      // and, still valid, a tool loop needs more than the two messages upstream now allows (failing tests).
      const broken = variant("strictless-short", (doc) => {
        for (const item of Object.values(doc.paths as Record<string, typeof doc>)) {
          const body = item.post.requestBody.content["application/json"].schema;
          const fn = body.properties.tools.items.properties.function;
          delete fn.properties.strict;
          fn.additionalProperties = false;
          body.properties.messages.maxItems = 2;
        }
      });
      const before = treeHash();
      const install = installState();
      const r = update(broken);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines.length).toBeLessThanOrEqual(40);
      expect(lines[0]).toMatch(
        /^spec:update: refused gpt-4\.1 from .*: \d+ problems in the candidate build \(nothing was changed\)$/,
      );
      expect(r.stderr).toMatch(/error TS\d+: .*'strict'/);
      expect(r.stderr).toMatch(/failing tests against the new spec \(\d+\):/);
      expect(r.stderr).toMatch(/client test\/run-tools\.test\.ts › runTools\(\)/);
      const log = refusalLog(r);
      expect(log).toMatch(/error TS\d+/);
      expect(log).toMatch(/400/);
      expect(treeHash()).toBe(before);
      expect(installState()).toBe(install);
      expect(sh("git", ["status", "--porcelain"])).toBe("");
    },
    scaledTimeout(180_000),
  );

  test("--help prints the usage and changes nothing", () => {
    const r = cli("spec-update", ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: pnpm spec:update /);
    for (const option of ["--from", "--name", "--upstream-commit", "--upstream-date", "--overlay-only", "--skip-tests"])
      expect(r.stdout).toContain(option);
  });

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
    "--models: a set with a lapse no overlay repairs is refused before building, naming the file; the tree hashes the same",
    () => {
      const folder = modelSet("lapse", (doc, path) => {
        if (path === "OpenAI/gpt-4o.json")
          doc.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.n = {
            type: "nothing",
          };
      });
      const before = treeHash();
      const r = cli("spec-update", [
        "--models",
        "--from",
        folder,
        "--upstream-commit",
        "1".repeat(40),
        "--upstream-date",
        "2026-09-01",
      ]);
      expect(r.status).toBe(1);
      expect(r.stderr.split("\n")[0]).toMatch(
        /^spec:update: refused model set from .*: 1 problem found before building, in \d+\.\d s \(nothing was changed\)$/,
      );
      expect(r.stderr).toContain("OpenAI/gpt-4o.json: invalid OpenAPI after the overlays: ");
      const logPath = /^details: (.+)$/m.exec(r.stderr)?.[1];
      if (logPath) rmSync(dirname(logPath), { recursive: true, force: true });
      expect(treeHash()).toBe(before);
    },
    scaledTimeout(120_000),
  );

  test(
    "--models --from <commit> at the pin: nothing to do; --from <folder>: models added and changed, one changeset grouped by model",
    () => {
      // The pinned commit, read from SPEC_MIRROR's api-docs/<commit>/ and selected again: the same set.
      const same = cli("spec-update", ["--models", "--from", "f14fa72fbcea53f909372ad0975b079f4587c70b"]);
      expect(same.stderr).toBe("");
      expect(same.stdout.trim()).toBe("models: already pinned to api-docs f14fa72f with these overlays; nothing to do");

      const folder = modelSet(
        "newer",
        (doc, path) => {
          if (path === "OpenAI/gpt-4o.json")
            delete doc.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.seed;
          if (path !== "AI21/jamba-large-1.7.json") return;
          // What a shared action corrects goes away in this spec: reported as drift of the shared overlay.
          for (const item of Object.values(doc.paths) as {
            post: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> };
          }[])
            delete item.post.responses["200"]?.content["text/event-stream"]?.schema.properties.service_tier;
        },
        (dir) => {
          const newer = JSON.parse(readFileSync(join(dir, "OpenAI", "gpt-4o-mini.json"), "utf8"));
          newer.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.model.enum = [
            "openai/gpt-9-test",
          ];
          writeFileSync(join(dir, "OpenAI", "gpt-9-test.json"), JSON.stringify(newer));
        },
      );
      const r = cli("spec-update", [
        "--models",
        "--from",
        folder,
        "--upstream-commit",
        "2".repeat(40),
        "--upstream-date",
        "2026-09-01",
        "--skip-tests",
      ]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout.split("\n")[0]).toMatch(
        /^models: accepted model set from .*: minor release for a breaking change \(\d+\.\d s\)$/,
      );
      const models = JSON.parse(read("specs/models.lock.json")) as {
        commit: string;
        date: string;
        files: Record<string, string>;
      };
      expect(models).toMatchObject({ commit: "2".repeat(40), date: "2026-09-01" });
      expect(Object.keys(models.files)).toContain("OpenAI/gpt-9-test.json");
      const [changeset] = changesets().filter((f) => f.startsWith("models-spec-"));
      expect(changeset).toBe("models-spec-22222222.md");
      const text = read(`.changeset/${changeset}`);
      expect(text).toContain('"@aimlapi-sdk/client": minor');
      expect(text).toContain(
        "Upstream model specs api-docs 22222222 (2026-09-01): the change to the types and the mock is **breaking**. Previous version: api-docs f14fa72f (2026-08-21).",
      );
      expect(text).toContain("- added (1, additive): `openai/gpt-9-test`");
      // One change, listed once for the four ids of gpt-4o's spec.
      expect(text).toContain("- `gpt-4o`, `gpt-4o-2024-05-13`, `gpt-4o-2024-08-06`, `openai/gpt-4o` (4 models, breaking):\n");
      expect(text).toContain('  - POST /v1/chat/completions (request, breaking): property "seed" removed at /properties/seed\n');
      expect(text.match(/property "seed" removed/g)).toHaveLength(1);
      expect(r.stdout).toContain(
        'shared overlay actions that no longer apply to AI21/jamba-large-1.7.json: specs/overlays/gpt-4.1.overlay.yaml: action "service-tier-fast" (#16)',
      );
      expect(text).toContain("spec-dependent test suites were not run");
      expect(read("packages/types/src/generated/models.ts")).toContain('"openai/gpt-9-test":');
      expect(read("MODELS.md")).toContain("`openai/gpt-9-test`");
      expect(check().status).toBe(0);
      commitAll("models: api-docs 2222222");
    },
    scaledTimeout(300_000),
  );

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
