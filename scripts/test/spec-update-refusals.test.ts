/**
 * spec:update end to end, in a temporary copy of this repository of its own (beside
 * spec-update.test.ts): versions refused before building, or by the gate because the client does
 * not compile against them or fails its tests, with the tree unchanged byte for byte; a dirty tree;
 * --help; the model set's update (a refused set, one adopted from a folder, the pin again); an
 * overlay-only edit; the overlay as a turbo input; spec:check on the result.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { scaledTimeout } from "@aimlapi-sdk/devkit/load";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { OLDEST, OVERLAY, refusalLog, UpdateCopy } from "./helpers/update-copy";

const repo = new UpdateCopy();
beforeAll(() => repo.setUp(), scaledTimeout(120_000));
afterAll(() => repo.remove());

/** Task hashes of a dry run of the whole pipeline, with each task's dependencies. */
function dryRun(): Map<string, { hash: string; dependencies: string[] }> {
  const out = repo.turbo(["run", "build", "typecheck", "lint", "test", "--dry=json"]);
  const tasks = (JSON.parse(out) as { tasks: { taskId: string; hash: string; dependencies: string[] }[] }).tasks;
  return new Map(tasks.map((t) => [t.taskId, { hash: t.hash, dependencies: t.dependencies }]));
}

describe("the overlay is a turbo input", () => {
  test(
    "editing it changes codegen and what depends on it, nothing else",
    () => {
      const before = dryRun();
      const original = repo.read(OVERLAY);
      repo.write(OVERLAY, `${original}# a reviewed edit\n`);
      let after: ReturnType<typeof dryRun>;
      try {
        after = dryRun();
      } finally {
        repo.write(OVERLAY, original);
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
    "a spec without the operation the types come from is refused before building",
    () => {
      const other = repo.variant("other", (doc) => {
        delete doc.paths["/v1/chat/completions"];
      });
      const before = repo.treeHash();
      const r = repo.update(other);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^spec:update: refused gpt-4\.1 from .*\/other\.json: \d+ problems? found before building/);
      expect(r.stderr).toMatch(/the document has no POST \/v1\/chat\/completions/);
      expect(repo.treeHash()).toBe(before);
    },
    scaledTimeout(60_000),
  );

  test(
    "a version the client neither compiles against nor passes its tests with is refused, naming the TypeScript errors and the failing tests; the tree hashes the same",
    () => {
      // One candidate shows both sections of a refusal (type-check and tests run side by side):
      // upstream forbids `tools[].function.strict`, which the zod helpers set (a TypeScript error);
      // and, still valid, a tool loop needs more than the two messages upstream now allows (failing tests).
      const broken = repo.variant("strictless-short", (doc) => {
        for (const item of Object.values(doc.paths as Record<string, typeof doc>)) {
          const body = item.post.requestBody.content["application/json"].schema;
          const fn = body.properties.tools.items.properties.function;
          delete fn.properties.strict;
          fn.additionalProperties = false;
          body.properties.messages.maxItems = 2;
        }
      });
      const before = repo.treeHash();
      const install = repo.installState();
      const r = repo.update(broken);
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
      expect(repo.treeHash()).toBe(before);
      expect(repo.installState()).toBe(install);
      expect(repo.sh("git", ["status", "--porcelain"])).toBe("");
    },
    scaledTimeout(180_000),
  );

  test("--help prints the usage and changes nothing", () => {
    const r = repo.cli("spec-update", ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: pnpm spec:update /);
    for (const option of ["--from", "--name", "--upstream-commit", "--upstream-date", "--overlay-only", "--skip-tests"])
      expect(r.stdout).toContain(option);
  });

  test("refuses to run over uncommitted changes in .changeset/", () => {
    const pinnedBefore = repo.lock()?.sha256;
    writeFileSync(join(repo.dir, ".changeset", "wip.md"), "---\n---\n");
    try {
      const r = repo.update(OLDEST);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "spec:update: uncommitted changes in specs/ or .changeset/ (.changeset/wip.md): commit or stash them first\n",
      );
      expect(repo.lock()?.sha256).toBe(pinnedBefore);
    } finally {
      rmSync(join(repo.dir, ".changeset", "wip.md"));
    }
  });

  test(
    "--models: a set with a lapse no overlay repairs is refused before building, naming the file; the tree hashes the same",
    () => {
      const folder = repo.modelSet("lapse", (doc, path) => {
        if (path === "OpenAI/gpt-4o.json")
          doc.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.n = {
            type: "nothing",
          };
      });
      const before = repo.treeHash();
      const r = repo.cli("spec-update", [
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
      expect(repo.treeHash()).toBe(before);
    },
    scaledTimeout(120_000),
  );

  test(
    "--models --from <commit> at the pin: nothing to do; --from <folder>: models added and changed, one changeset grouped by model",
    () => {
      // The pinned commit, read from SPEC_MIRROR's api-docs/<commit>/ and selected again: the same set.
      const same = repo.cli("spec-update", ["--models", "--from", "f14fa72fbcea53f909372ad0975b079f4587c70b"]);
      expect(same.stderr).toBe("");
      expect(same.stdout.trim()).toBe("models: already pinned to api-docs f14fa72f with these overlays; nothing to do");

      const folder = repo.modelSet(
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
      const r = repo.cli("spec-update", [
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
      const { models } = JSON.parse(repo.read("specs/sources.json")) as {
        models: { commit: string; date: string; files: Record<string, string> };
      };
      expect(models).toMatchObject({ commit: "2".repeat(40), date: "2026-09-01" });
      expect(Object.keys(models.files)).toContain("OpenAI/gpt-9-test.json");
      const [changeset] = repo.changesets().filter((f) => f.startsWith("models-spec-"));
      expect(changeset).toBe("models-spec-22222222.md");
      const text = repo.read(`.changeset/${changeset}`);
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
      expect(repo.read("packages/types/src/generated/models.ts")).toContain('"openai/gpt-9-test":');
      expect(repo.read("MODELS.md")).toContain("`openai/gpt-9-test`");
      expect(repo.check().status).toBe(0);
      repo.commitAll("models: api-docs 2222222");
    },
    scaledTimeout(300_000),
  );

  test(
    "an overlay-only edit: spec:check asks for it to be classified; --overlay-only writes its changeset",
    () => {
      // The maintainer adds an action to the overlay. (Last but one: it changes the shared overlay,
      // so every model spec's derived shapes are computed anew after it.)
      repo.addAction(`  - x-id: message-reasoning-content
    target: $.paths.*.post.responses['200'].content['application/json'].schema.properties.choices.items.properties.message.properties
    description: >-
      Reasoning models send their reasoning as \`reasoning_content\` (test action).
    update:
      reasoning_content:
        type: string
        nullable: true
`);
      const stale = repo.check();
      expect(stale.status).toBe(1);
      expect(stale.stderr).toMatch(
        /^spec:check: specs\/overlays\/gpt-4\.1\.overlay\.yaml changed since spec:update classified it \(sha256 [0-9a-f]{12}…, the lock records [0-9a-f]{12}…\): run pnpm spec:update --overlay-only/m,
      );
      const existing = repo.changesets();
      const r = repo.update(undefined, ["--skip-tests"]);
      expect(r.stderr, r.log).toBe("");
      expect(r.stdout).toMatch(/candidate builds \(.*\n.*candidate type-checks/);
      expect(r.stdout).not.toMatch(/candidate passes/);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Effective change .*\nLevel: additive/);
      const added = repo.changesets().filter((f) => !existing.includes(f));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^overlay-gpt-4-1-[0-9a-f]{8}\.md$/);
      const text = repo.read(`.changeset/${added[0]}`);
      expect(text).toMatch(/"@aimlapi-sdk\/types": patch/);
      expect(text).toContain(
        "Corrections of upstream gpt-4.1.json 4cd011cd (2026-06-12) changed (`specs/overlays/gpt-4.1.overlay.yaml`): the change to the types and the mock is **additive**.",
      );
      expect(text).toContain("Adopted with `spec:update --skip-tests`");
      expect(text).toContain('property "reasoning_content" added');
      expect(repo.read("packages/types/src/generated/gpt-4-1.ts")).toContain("reasoning_content?: string | null;");
      expect(repo.check().status).toBe(0);
      repo.commitAll("overlay: reasoning_content");
    },
    scaledTimeout(120_000),
  );

  test(
    "spec:check passes on the updated copy and fails on a hand-edited generated file",
    () => {
      expect(repo.check().status).toBe(0);
      const file = join(repo.dir, "packages", "types", "src", "generated", "gpt-4-1.ts");
      writeFileSync(file, `${readFileSync(file, "utf8")}// edited\n`);
      const r = repo.check();
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        "spec:check: packages/types/src/generated/gpt-4-1.ts is not what specs/gpt-4.1.json with its overlay generates (run pnpm codegen)\n",
      );
    },
    scaledTimeout(30_000),
  );
});
