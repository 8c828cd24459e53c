/** The pieces of spec:update's report: the 40-line summary, violations grouped by rule, provenance. */
import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, test } from "vitest";
import { SpecError } from "../src/errors";
import { givenProvenance, inferProvenance, provenanceFromSource, versionName } from "../src/provenance";
import { buildSection } from "../src/update/gate";
import { groupByRule } from "../src/update/preflight";
import { refusal, SUMMARY_LINES, summarize } from "../src/update/report";

describe("the refusal summary", () => {
  test("78 violations and 12 failing tests fit in 40 lines, verdict first, every section titled, the rest in the log", async () => {
    const violations = Array.from({ length: 78 }, (_, i) => ({
      pointer: `/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema/properties/p${i}`,
      rule: i % 3 === 0 ? 'must not have the field "const" (OpenAPI schema: Schema)' : "must be string (OpenAPI schema: Schema)",
    }));
    const groups = groupByRule(violations);
    expect(groups.map((g) => g.pointers.length)).toEqual([52, 26]);
    const sections = [
      { title: "overlay actions that no longer apply (1)", lines: ['overlay action "x" (#1) … matches nothing'] },
      { title: "OpenAPI violations", lines: violations.map((v) => `${v.pointer}: ${v.rule}`) },
      {
        title: "failing tests against the new spec (12)",
        lines: Array.from({ length: 12 }, (_, i) => `client test/t.test.ts › case ${i}`),
      },
    ];
    const error = await refusal("refused x: 91 problems", sections);
    expect(error).toBeInstanceOf(SpecError);
    const printed = [error.message, ...error.details];
    expect(printed.length).toBeLessThanOrEqual(SUMMARY_LINES);
    expect(printed[0]).toBe("refused x: 91 problems");
    for (const s of sections) expect(error.details).toContain(`${s.title}:`);
    expect(error.details.filter((l) => /… and \d+ more \(see the log\)/.test(l)).length).toBeGreaterThan(0);
    const path = /^details: (.+)$/.exec(error.details.at(-1) ?? "")?.[1] as string;
    const log = readFileSync(path, "utf8");
    rmSync(dirname(path), { recursive: true, force: true });
    for (const v of violations) expect(log).toContain(v.pointer);
    expect(log).toContain("case 11");
  });

  test("a short report is printed whole", () => {
    const lines = summarize(
      [{ title: "code generation", lines: ["the document has no POST /v1/chat/completions"] }],
      "/tmp/x.log",
    );
    expect(lines).toEqual(["code generation:", "  the document has no POST /v1/chat/completions", "details: /tmp/x.log"]);
  });
});

describe("provenance", () => {
  test("upstream's history file names carry the date and commit; a mirror path its commit", () => {
    expect(provenanceFromSource("/x/history/gpt-4.1.2026-04-22.1a0876e7.json")).toEqual({
      date: "2026-04-22",
      commit: "1a0876e7",
    });
    expect(
      provenanceFromSource(
        "/m/api-docs/f14fa72fbcea53f909372ad0975b079f4587c70b/docs/api-references/text-models-llm/OpenAI/gpt-4.1.json",
      ),
    ).toEqual({ commit: "f14fa72fbcea53f909372ad0975b079f4587c70b" });
    expect(provenanceFromSource("/tmp/new.json")).toBeUndefined();
  });

  test("given by hand: both or neither, checked", () => {
    expect(givenProvenance(undefined, undefined)).toBeUndefined();
    expect(givenProvenance("4cd011cd", "2026-06-12")).toEqual({ commit: "4cd011cd", date: "2026-06-12" });
    expect(() => givenProvenance("4cd011cd", undefined)).toThrow("--upstream-commit and --upstream-date go together");
    expect(() => givenProvenance("main", "2026-06-12")).toThrow("--upstream-commit must be 7 to 40 lowercase hex digits");
    expect(() => givenProvenance("4cd011cd", "12/06/2026")).toThrow("--upstream-date must be a date as YYYY-MM-DD");
  });

  test("a local file says nothing: unknown, named by its sha256", async () => {
    expect(await inferProvenance("/tmp/new.json", undefined)).toBeUndefined();
    expect(versionName(undefined, "7dc3d0a8accd14ceb2cd36113b4e1f6396621d18e50f887c33cd08d9fcaaa235")).toBe(
      "sha256 7dc3d0a8accd…",
    );
    expect(versionName({ commit: "4cd011cdabcdef", date: "2026-06-12" }, "x")).toBe("4cd011cd (2026-06-12)");
  });
});

describe("a failed build in the summary", () => {
  test("TypeScript errors, all of them, without turbo's prefixes", () => {
    const section = buildSection(
      [
        "@aimlapi-sdk/client:typecheck: src/a.ts(1,2): error TS2353: Object literal may only specify known properties, and 'strict' does not exist.",
        "@aimlapi-sdk/client:typecheck: src/b.ts(3,4): error TS2322: Type 'string' is not assignable to type 'number'.",
        "@aimlapi-sdk/client#typecheck: command exited (2)",
      ].join("\n"),
    );
    expect(section.title).toBe("the packages do not build with the new spec: 2 TypeScript error(s)");
    expect(section.lines).toHaveLength(2);
    expect(section.lines[1]).toMatch(/^src\/b\.ts\(3,4\): error TS2322/);
  });

  test("a failure nothing recognises: the failing task's last lines", () => {
    const section = buildSection(
      [
        "@aimlapi-sdk/mock-server:codegen: cache miss, executing 98b889e0ea3a6adc",
        "@aimlapi-sdk/mock-server:codegen: Error:   × installing dependencies",
        '@aimlapi-sdk/mock-server:codegen:   ╰─▶ failed to move existing "node_modules/.pnpm/bun" into staging',
        "@aimlapi-sdk/mock-server#codegen:  ERROR  command (packages/mock-server) pnpm run codegen exited (1)",
      ].join("\n"),
    );
    expect(section.lines).toEqual([
      "@aimlapi-sdk/mock-server:codegen failed:",
      "  cache miss, executing 98b889e0ea3a6adc",
      "  Error:   × installing dependencies",
      '  ╰─▶ failed to move existing "node_modules/.pnpm/bun" into staging',
    ]);
  });
});
