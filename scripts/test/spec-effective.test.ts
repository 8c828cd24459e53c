/**
 * `pnpm spec:effective` (a contract: it writes the document codegen and the mock use) and the
 * overlay's place in codegen: an action that matches nothing fails the build and keeps old output.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { overlayFile, pinnedSpecPath, readFileSync, runCli, scratchSpecsDir, writeFileSync } from "./helpers/cli";

const pinnedText = readFileSync(pinnedSpecPath(), "utf8");
const pinnedHash = createHash("sha256").update(pinnedText).digest("hex");
// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary OpenAPI JSON
type Json = Record<string, any>;

function scratch() {
  const specs = scratchSpecsDir(pinnedHash);
  writeFileSync(join(specs.dir, "gpt-4.1.json"), pinnedText);
  const out = mkdtempSync(join(tmpdir(), "aimlapi-effective-"));
  return {
    ...specs,
    out,
    done: () => {
      specs.cleanup();
      rmSync(out, { recursive: true, force: true });
    },
  };
}

describe.concurrent("spec:effective", () => {
  test("--out writes upstream's document with the overlay applied, and says so in one line", async () => {
    const { dir, out, done } = scratch();
    try {
      const file = join(out, "effective.json");
      const r = await runCli("spec-effective", ["--out", file], { SPECS_DIR: dir });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^spec:effective: wrote .*effective\.json \(gpt-4\.1 with \d+ overlay action\(s\) applied, valid OpenAPI 3\.0\.0\)\n$/,
      );
      const doc = JSON.parse(readFileSync(file, "utf8")) as Json;
      const upstream = JSON.parse(pinnedText) as Json;
      // Everything upstream has is still there (vendor extensions included); the corrections are added.
      expect(doc.info).toEqual(upstream.info);
      expect(doc.paths["/v1/chat/completions"].post["x-codeSamples"]).toEqual(
        upstream.paths["/v1/chat/completions"].post["x-codeSamples"],
      );
      const message =
        doc.paths["/v1/chat/completions"].post.responses["200"].content["application/json"].schema.properties.choices.items
          .properties.message;
      expect(message.properties.role.enum).toEqual(["assistant"]);
      expect(doc.paths["/chat/completions"].post.responses["200"].description).toMatch(/chat completion/);
    } finally {
      done();
    }
  });

  test("without --out the document goes to standard output; --from makes any upstream file effective", async () => {
    const { dir, done } = scratch();
    try {
      const r = await runCli("spec-effective", ["--from", pinnedSpecPath()], { SPECS_DIR: dir });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).paths["/v1/chat/completions"].post.responses["200"].description).toBeDefined();
    } finally {
      done();
    }
  });

  test("an overlay action that matches nothing: one line naming it, nothing written", async () => {
    const { dir, out, done } = scratch();
    try {
      writeFileSync(
        join(dir, "overlays", "gpt-4.1.overlay.yaml"),
        readFileSync(overlayFile, "utf8").replace(
          "target: $.paths.*.post.responses['200'].content['application/json'].schema.properties.choices.items.properties.message.properties.role",
          "target: $.paths.*.post.responses['200'].content['application/json'].schema.properties.choices.items.properties.message.properties.author",
        ),
      );
      const file = join(out, "effective.json");
      const r = await runCli("spec-effective", ["--out", file], { SPECS_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^spec:effective: specs\/gpt-4\.1\.json: overlay action "message-role-assistant" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml matches nothing \(target .*\.author\)/,
      );
      expect(existsSync(file)).toBe(false);
    } finally {
      done();
    }
  });

  test("an unknown option is a one-line usage error", async () => {
    const r = await runCli("spec-effective", ["--output", "x.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^spec:effective: Unknown option '--output'.*usage: spec:effective/);
  });
});

describe.concurrent("codegen with the overlay", () => {
  test("types follow the effective document", async () => {
    const { dir, out, done } = scratch();
    try {
      const r = await runCli("codegen", ["--specs-dir", dir, "--out", out]);
      expect(r.code).toBe(0);
      const text = readFileSync(join(out, "gpt-4-1.ts"), "utf8");
      expect(text).toContain('role: "assistant";');
      expect(text).toContain("stop?: (string | string[]) | null;");
      expect(text).toContain("with the corrections of\n * specs/overlays/gpt-4.1.overlay.yaml applied");
    } finally {
      done();
    }
  });

  test("a broken overlay fails the build in one line and keeps the generated file", async () => {
    const { dir, out, done } = scratch();
    try {
      writeFileSync(join(out, "gpt-4-1.ts"), "// earlier output\n");
      writeFileSync(
        join(dir, "overlays", "gpt-4.1.overlay.yaml"),
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {}\n",
      );
      const r = await runCli("codegen", ["--specs-dir", dir, "--out", out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'codegen: specs/overlays/gpt-4.1.overlay.yaml is not a valid overlay: action #1: "description" must say which upstream lapse it repairs and the evidence\n',
      );
      expect(readFileSync(join(out, "gpt-4-1.ts"), "utf8")).toBe("// earlier output\n");
    } finally {
      done();
    }
  });
});
