/**
 * spec:update end to end on gpt-4.1, a maintainer's sequence in a temporary copy of this repository
 * (real install, real turbo build, real git, and the update's own candidate copy, build and tests):
 * downgrade to an old upstream version, come back, re-run, a no-op key-order change; the overlay's
 * flows (a lapse it does not repair is refused until an action is added, an action that matches
 * nothing, drift on one operation, one upstream made unnecessary). Each test starts where the
 * previous one committed. spec-update-refusals.test.ts runs beside it in its own copy.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scaledTimeout } from "@aimlapi-sdk/devkit/load";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "./helpers/cli";
import { CURRENT, KEY_ORDER_TWIN, OLDEST, OVERLAY, refusalLog, UpdateCopy, withoutAction } from "./helpers/update-copy";

const repo = new UpdateCopy();
beforeAll(() => repo.setUp(), scaledTimeout(120_000));
afterAll(() => repo.remove());

/** The built declarations of the flagship's generated module (the types' dist also holds every model's). */
const flagshipDeclarations = () => {
  const dist = repo.read("packages/types/dist/index.d.mts");
  const start = dist.indexOf("//#region src/generated/gpt-4-1.d.ts");
  expect(start).toBeGreaterThanOrEqual(0);
  return dist.slice(start, dist.indexOf("//#endregion", start));
};

describe("spec:update", () => {
  test(
    "to the oldest version: breaking → minor changeset naming upstream's commit, lock, generated types and built output follow after the gate",
    () => {
      // That version has no `meta` at all, so the action repairing `meta.usage` goes with it (the
      // maintainer adapts the overlay in the same step; spec:update classifies both together).
      repo.write(OVERLAY, withoutAction(repo.read(OVERLAY), "meta-usage-fields-optional"));
      const r = repo.update(OLDEST);
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
      expect(repo.lock()?.sha256).toBe("861d1f6855c279f8ca66ae565af83fe7363167b8640cbd113b9dca274fbdc1fc");
      expect(repo.read("specs/gpt-4.1.json")).toBe(readFileSync(OLDEST, "utf8"));
      expect(repo.read("packages/types/src/generated/gpt-4-1.ts")).not.toContain("provider?: string");
      expect(flagshipDeclarations()).not.toContain("provider?: string");
      expect(repo.lock()).toMatchObject({ upstream: { commit: "23c54eb5", date: "2026-01-16" } });
      expect(repo.changesets()).toEqual(["spec-gpt-4-1-861d1f68.md"]);
      const changeset = repo.read(".changeset/spec-gpt-4-1-861d1f68.md");
      expect(changeset).toMatch(
        /^---\n"@aimlapi-sdk\/types": minor\n"@aimlapi-sdk\/client": minor\n"@aimlapi-sdk\/mock-server": minor\n---\n/,
      );
      expect(changeset).toContain(
        "Upstream gpt-4.1.json 23c54eb5 (2026-01-16): upstream's change is **breaking**, the change to the types and the mock is **breaking** (with the corrections of `specs/overlays/gpt-4.1.overlay.yaml`). Previous version: 4cd011cd (2026-06-12); sha256 7dc3d0a8accd… → 861d1f6855c2….",
      );
      expect(changeset).toContain('property "meta" removed');
      repo.commitAll("spec: oldest");
    },
    scaledTimeout(120_000),
  );

  test(
    "back to the current version (a copy without a dated name: its commit and date given by hand): additive for gpt-4.1; the model set's change through the shared overlay decides the bump",
    () => {
      repo.write(OVERLAY, readFileSync(join(repoRoot, OVERLAY), "utf8"));
      // The gate builds and type-checks; its tests ran in the update before (and run on this version in CI).
      const r = repo.update(CURRENT, ["--upstream-commit", "4cd011cd", "--upstream-date", "2026-06-12", "--skip-tests"]);
      expect(r.stderr, r.log).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/candidate builds \(.*\n.*candidate type-checks/);
      expect(r.stdout).toMatch(/Upstream change \(before the overlay\):\nLevel: additive/);
      expect(repo.lock()?.sha256).toBe("7dc3d0a8accd14ceb2cd36113b4e1f6396621d18e50f887c33cd08d9fcaaa235");
      expect(repo.read("packages/types/src/generated/gpt-4-1.ts")).toContain("provider?: string");
      const added = repo.changesets().filter((f) => f !== "spec-gpt-4-1-861d1f68.md");
      expect(added).toEqual(["spec-gpt-4-1-7dc3d0a8.md"]);
      const text = repo.read(`.changeset/${added[0]}`);
      expect(text).toContain(
        "Upstream gpt-4.1.json 4cd011cd (2026-06-12): upstream's change is **additive**, the change to the types and the mock is **additive**",
      );
      // The restored action is shared by every model spec: their meta.usage fields become optional
      // again, which breaks readers of those replies, so the release is minor (0.x), not patch.
      expect(text).toContain("The model set follows the shared overlay: model set: breaking (0 added, 0 removed, ");
      expect(text).toContain('POST /v1/chat/completions (response, breaking): property "credits_used" is now optional');
      expect(text).toMatch(/"@aimlapi-sdk\/client": minor/);
      expect(repo.lock()).toMatchObject({ upstream: { commit: "4cd011cd", date: "2026-06-12" } });
      expect(flagshipDeclarations()).toContain("provider?: string");
      repo.commitAll("spec: current");
    },
    scaledTimeout(120_000),
  );

  test("the same version again: nothing to do", () => {
    const r = repo.update(CURRENT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /already pinned to this version \(4cd011cd \(2026-06-12\), sha256 7dc3d0a8accd…\) and the overlay is unchanged; nothing to do/,
    );
    expect(repo.sh("git", ["status", "--porcelain"])).toBe("");
  });

  test(
    "a key-order-only version: the lock moves, no changeset, generated code unchanged",
    () => {
      const before = repo.read("packages/types/src/generated/gpt-4-1.ts");
      const r = repo.update(KEY_ORDER_TWIN);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Level: none/);
      expect(r.stdout).toMatch(/no semantic change for users: lock updated, no changeset/);
      expect(r.stdout).not.toMatch(/candidate/);
      expect(repo.lock()?.sha256).toBe("3a0111562cb21e7c2273560d095473028734403ce3d7cd63032a49f94e69f10f");
      expect(repo.lock()).toMatchObject({ upstream: { commit: "fbcad4ca", date: "2026-06-12" } });
      expect(repo.read("packages/types/src/generated/gpt-4-1.ts")).toBe(before);
      expect(repo.sh("git", ["status", "--porcelain"]).trim()).toBe("M specs/sources.json");
      repo.commitAll("spec: key order");
    },
    scaledTimeout(60_000),
  );

  test(
    "a lapse the overlay does not repair is refused, naming the pointer and rule; after an action is added, the same command succeeds",
    () => {
      const lapse = repo.variant("lapse", (doc) => {
        // A field an `http` security scheme must not have (OpenAPI 3.0), as upstream once published.
        doc.components.securitySchemes["access-token"].in = "header";
        // And a lapse upstream fixed itself: the overlay's action for it no longer changes anything.
        for (const path of Object.values(doc.paths as Record<string, typeof doc>)) {
          const delta = path.post.responses["200"].content["text/event-stream"].schema.properties.choices.items.properties.delta;
          delta.properties.content.nullable = true;
        }
      });
      const before = repo.treeHash();
      const refused = repo.update(lapse);
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
      expect(repo.treeHash()).toBe(before);

      repo.addAction(`  - x-id: http-scheme-without-in
    target: $.components.securitySchemes['access-token'].in
    description: >-
      An http security scheme must not have "in" (OpenAPI 3.0 HTTPSecurityScheme); the bearer
      token always travels in the Authorization header.
    remove: true
`);
      const accepted = repo.update(lapse);
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
      expect(repo.lock()?.sha256).toBe(createHash("sha256").update(readFileSync(lapse)).digest("hex"));
      expect(repo.lock()?.overlaySha256).toBe(
        createHash("sha256")
          .update(readFileSync(join(repo.dir, OVERLAY)))
          .digest("hex"),
      );
      // spec:check now asks for the action upstream made unnecessary to go; and since gpt-4.1's
      // overlay is shared by the model set, the new action also repairs the model specs' same lapse,
      // so the model set's own action for it matches nothing any more.
      const stale = repo.check();
      expect(stale.status).toBe(1);
      expect(stale.stderr.trim().split("\n").sort()).toEqual([
        expect.stringMatching(
          /^spec:check: overlay action "chunk-delta-content-nullable" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml changes nothing in specs\/gpt-4\.1\.json: remove it$/,
        ),
        expect.stringMatching(
          /^spec:check: overlay specs\/overlays\/models\.overlay\.yaml: action "http-security-scheme-no-in" \(#1\) matches no model spec: remove it/,
        ),
      ]);
      repo.commitAll("spec: upstream's lapse repaired by the overlay");
    },
    scaledTimeout(120_000),
  );

  test(
    "actions that no longer apply are all reported before building (unmatched, drift on one operation); a remove upstream made unnecessary is reported as fixed",
    () => {
      const original = repo.read(OVERLAY);
      // One update whose target is gone, one that matches in /v1/chat/completions only (`provider` is not in /chat/completions).
      repo.addAction(`  - x-id: gone-target
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
      const before = repo.treeHash();
      const refused = repo.update(KEY_ORDER_TWIN);
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
      expect(repo.treeHash()).toBe(before);

      // Without them, the version is adopted; the remove action whose lapse upstream fixed is named, not fatal.
      repo.write(OVERLAY, original);
      const r = repo.update(KEY_ORDER_TWIN);
      expect(r.stderr, r.log).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /upstream fixed this: remove action "http-scheme-without-in" \(#\d+\) from specs\/overlays\/gpt-4\.1\.overlay\.yaml \(what it removes is gone\)/,
      );
      expect(repo.check().stderr).toMatch(
        /overlay action "http-scheme-without-in" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml changes nothing/,
      );
      repo.commitAll("spec: back to the key-order twin");
    },
    scaledTimeout(60_000),
  );
});
