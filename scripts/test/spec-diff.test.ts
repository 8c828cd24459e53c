import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compilerChanges } from "../src/diff/compiler-check";
import { diffSpecs, formatSummary, toJson } from "../src/diff/diff";
import type { Level } from "../src/diff/types";
import type { OpenAPIDocument } from "../src/validate-spec";
import { readFileSync, runCli, sharedSpecsDir } from "./helpers/cli";

type Schema = Record<string, unknown>;

/** A small document with one POST operation; each part can be replaced. */
function doc(
  parts: { request?: Schema; response?: Schema; extra?: Schema; op?: Schema; paths?: Schema; components?: Schema } = {},
): OpenAPIDocument {
  const request = parts.request ?? {
    type: "object",
    required: ["model"],
    properties: { model: { type: "string", enum: ["m1", "m2"] }, temperature: { type: "number" }, stop: { type: "string" } },
  };
  const response = parts.response ?? {
    type: "object",
    required: ["id", "status"],
    properties: { id: { type: "string" }, status: { type: "string", enum: ["ok", "partial"] }, note: { type: "string" } },
  };
  return {
    openapi: "3.0.0",
    info: { title: "Fixture", version: "1" },
    paths: parts.paths ?? {
      "/v1/things": {
        post: {
          operationId: "createThing",
          requestBody: { required: true, content: { "application/json": { schema: request } } },
          responses: { "200": { description: "OK", content: { "application/json": { schema: response } } } },
          ...parts.op,
        },
      },
    },
    ...(parts.components ? { components: parts.components } : {}),
    ...parts.extra,
  } as OpenAPIDocument;
}

const base = doc();
const req = (props: Schema, required: string[] = ["model"]) => doc({ request: { type: "object", required, properties: props } });
const res = (props: Schema, required: string[] = ["id", "status"]) =>
  doc({ response: { type: "object", required, properties: props } });
const baseReqProps = { model: { type: "string", enum: ["m1", "m2"] }, temperature: { type: "number" }, stop: { type: "string" } };
const baseResProps = { id: { type: "string" }, status: { type: "string", enum: ["ok", "partial"] }, note: { type: "string" } };

const cases: [string, OpenAPIDocument, OpenAPIDocument, Level, string?][] = [
  // breaking
  [
    "operation removed",
    base,
    doc({ paths: { "/v1/things": { get: { responses: { "200": { description: "OK" } } } } } }),
    "breaking",
    "path.operation.removed",
  ],
  ["path removed", base, doc({ paths: {} }), "breaking", "path.operation.removed"],
  [
    "request property removed",
    base,
    req({ model: baseReqProps.model, temperature: baseReqProps.temperature }),
    "breaking",
    "request.property.removed",
  ],
  [
    "request property newly required",
    base,
    req(baseReqProps, ["model", "temperature"]),
    "breaking",
    "request.property.became-required",
  ],
  [
    "required request property added",
    base,
    req({ ...baseReqProps, seed: { type: "integer" } }, ["model", "seed"]),
    "breaking",
    "request.property.added-required",
  ],
  [
    "request type narrowed (number → integer)",
    base,
    req({ ...baseReqProps, temperature: { type: "integer" } }),
    "breaking",
    "request.schema.type.narrowed",
  ],
  [
    "request type narrowed (anyOf string|array → string)",
    req({ ...baseReqProps, stop: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] } }),
    base,
    "breaking",
    "request.schema.alternative.removed",
  ],
  [
    "request enum value removed",
    base,
    req({ ...baseReqProps, model: { type: "string", enum: ["m1"] } }),
    "breaking",
    "request.schema.enum.value-removed",
  ],
  [
    "request no longer nullable",
    req({ ...baseReqProps, stop: { type: "string", nullable: true } }),
    base,
    "breaking",
    "request.schema.nullable.removed",
  ],
  [
    "request maximum lowered",
    req({ ...baseReqProps, temperature: { type: "number", maximum: 2 } }),
    req({ ...baseReqProps, temperature: { type: "number", maximum: 1 } }),
    "breaking",
    "request.schema.maximum.tightened",
  ],
  [
    "request additionalProperties closed",
    base,
    doc({ request: { type: "object", required: ["model"], properties: baseReqProps, additionalProperties: false } }),
    "breaking",
    "request.schema.additionalProperties.tightened",
  ],
  [
    "response property removed",
    base,
    res({ id: baseResProps.id, status: baseResProps.status }),
    "breaking",
    "response.property.removed",
  ],
  ["response property made optional", base, res(baseResProps, ["id"]), "breaking", "response.property.became-optional"],
  [
    "response property made nullable",
    base,
    res({ ...baseResProps, id: { type: "string", nullable: true } }),
    "breaking",
    "response.schema.nullable.added",
  ],
  ["response type changed", base, res({ ...baseResProps, id: { type: "integer" } }), "breaking", "response.schema.type.changed"],
  [
    "response enum value added",
    base,
    res({ ...baseResProps, status: { type: "string", enum: ["ok", "partial", "failed"] } }),
    "breaking",
    "response.schema.enum.value-added",
  ],
  [
    "response oneOf gains an alternative",
    res({ ...baseResProps, note: { oneOf: [{ type: "string" }] } }),
    res({ ...baseResProps, note: { oneOf: [{ type: "string" }, { type: "object", properties: { text: { type: "string" } } }] } }),
    "breaking",
    "response.schema.alternative.added",
  ],
  [
    "success status removed",
    base,
    doc({ op: { responses: { "201": { description: "Created", content: { "application/json": { schema: base.paths } } } } } }),
    "breaking",
    "response.status.removed",
  ],
  [
    "success media type removed",
    doc({
      op: {
        responses: {
          "200": {
            description: "OK",
            content: { "application/json": { schema: { type: "object" } }, "text/event-stream": { schema: { type: "object" } } },
          },
        },
      },
    }),
    doc({ op: { responses: { "200": { description: "OK", content: { "application/json": { schema: { type: "object" } } } } } } }),
    "breaking",
    "response.media-type.removed",
  ],
  [
    "required query parameter added",
    base,
    doc({ op: { parameters: [{ in: "query", name: "v", required: true, schema: { type: "string" } }] } }),
    "breaking",
    "request.parameter.added-required",
  ],
  [
    "allOf: a property removed from a merged part",
    doc({
      response: {
        allOf: [
          { type: "object", required: ["id"], properties: { id: { type: "string" } } },
          { type: "object", properties: { extra: { type: "string" } } },
        ],
      },
    }),
    doc({ response: { allOf: [{ type: "object", required: ["id"], properties: { id: { type: "string" } } }] } }),
    "breaking",
    "response.property.removed",
  ],
  [
    "$ref: a change inside a referenced component",
    doc({
      response: { $ref: "#/components/schemas/Thing" },
      components: { schemas: { Thing: { type: "object", required: ["id"], properties: { id: { type: "string" } } } } },
    }),
    doc({
      response: { $ref: "#/components/schemas/Thing" },
      components: { schemas: { Thing: { type: "object", properties: { id: { type: "string" } } } } },
    }),
    "breaking",
    "response.property.became-optional",
  ],
  // additive
  [
    "operation added",
    base,
    doc({ paths: { ...(base.paths as Schema), "/v1/others": { get: { responses: { "200": { description: "OK" } } } } } }),
    "additive",
    "path.operation.added",
  ],
  [
    "optional request property added",
    base,
    req({ ...baseReqProps, provider: { type: "string" } }),
    "additive",
    "request.property.added",
  ],
  [
    "request enum value added",
    base,
    req({ ...baseReqProps, model: { type: "string", enum: ["m1", "m2", "m3"] } }),
    "additive",
    "request.schema.enum.value-added",
  ],
  [
    "response property added",
    base,
    res({ ...baseResProps, meta: { type: "object", properties: { cost: { type: "number" } } } }),
    "additive",
    "response.property.added",
  ],
  [
    "request property made nullable",
    base,
    req({ ...baseReqProps, stop: { type: "string", nullable: true } }),
    "additive",
    "request.schema.nullable.added",
  ],
  [
    "request property made optional",
    req(baseReqProps, ["model", "temperature"]),
    base,
    "additive",
    "request.property.became-optional",
  ],
  [
    "request widened to anyOf with a typeless nullable alternative (upstream's `stop`)",
    base,
    req({
      ...baseReqProps,
      stop: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }, { nullable: true }] },
    }),
    "additive",
    "request.schema.alternative.added",
  ],
  [
    "request type widened (integer → number)",
    req({ ...baseReqProps, temperature: { type: "integer" } }),
    base,
    "additive",
    "request.schema.type.widened",
  ],
  [
    "request additionalProperties opened",
    doc({ request: { type: "object", required: ["model"], properties: baseReqProps, additionalProperties: false } }),
    base,
    "additive",
    "request.schema.additionalProperties.loosened",
  ],
  [
    "response enum value removed",
    base,
    res({ ...baseResProps, status: { type: "string", enum: ["ok"] } }),
    "additive",
    "response.schema.enum.value-removed",
  ],
  // docs
  [
    "description changed",
    base,
    req({ ...baseReqProps, temperature: { type: "number", description: "How random." } }),
    "docs",
    "request.schema.description.changed",
  ],
  ["operation summary changed", base, doc({ op: { summary: "Create a thing" } }), "docs", "path.operation.summary.changed"],
  ["example and title changed", base, res({ ...baseResProps, id: { type: "string", example: "t_1", title: "Id" } }), "docs"],
  [
    "info changed",
    base,
    doc({ extra: { info: { title: "Fixture", version: "2", description: "New words" } } }),
    "docs",
    "document.info.changed",
  ],
  [
    "response header description changed",
    doc({
      op: {
        responses: {
          "200": { description: "OK", headers: { "x-request-id": { description: "Id", schema: { type: "string" } } } },
        },
      },
    }),
    doc({
      op: {
        responses: {
          "200": { description: "OK", headers: { "x-request-id": { description: "The id", schema: { type: "string" } } } },
        },
      },
    }),
    "docs",
    "response.header.description.changed",
  ],
  [
    "server description changed",
    doc({ extra: { servers: [{ url: "https://a.example", description: "A" }] } }),
    doc({ extra: { servers: [{ url: "https://a.example", description: "Main" }] } }),
    "docs",
    "document.servers.changed",
  ],
  [
    "server URL changed",
    doc({ extra: { servers: [{ url: "https://a.example" }] } }),
    doc({ extra: { servers: [{ url: "https://b.example" }] } }),
    "additive",
    "document.servers.changed",
  ],
  [
    "parameter example changed",
    doc({ op: { parameters: [{ in: "query", name: "v", schema: { type: "string" }, example: "a" }] } }),
    doc({ op: { parameters: [{ in: "query", name: "v", schema: { type: "string" }, example: "b" }] } }),
    "docs",
    "request.parameter.example.changed",
  ],
  // none
  ["identical", base, doc(), "none"],
  ["key order only", base, JSON.parse(JSON.stringify(base, Object.keys(flatKeys(base)).sort().reverse())), "none"],
  [
    "vendor extensions only",
    base,
    doc({ op: { "x-codeSamples": [{ lang: "curl", source: "curl …" }], "x-hideTryItPanel": true } }),
    "none",
  ],
];

/** Every key used anywhere in a value (to rebuild it with another key order). */
function flatKeys(value: unknown, out: Record<string, true> = {}): Record<string, true> {
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out[k] = true;
      flatKeys(v, out);
    }
  }
  return out;
}

describe("rules on hand-written fixtures (compiler check on)", () => {
  test.each(cases)("%s → %s", async (_name, before, after, level, kind) => {
    const result = await diffSpecs(before, after);
    expect(result.level, JSON.stringify(result.changes, null, 1)).toBe(level);
    if (kind) expect(result.changes.map((c) => c.kind)).toContain(kind);
    for (const c of result.changes) {
      expect(c.breaking).toBe(c.severity === "breaking");
      expect(c.pointer).toMatch(/^\//);
    }
  });
});

describe("the compiler backs the rules", () => {
  test("it finds a request made incompatible in a way the rules do not model (allOf of two oneOfs)", async () => {
    const part = (name: string, type: string) => ({
      oneOf: [{ type: "object", required: [name], properties: { [name]: { type } } }],
    });
    const before = doc({ request: { allOf: [part("a", "string"), part("b", "string")] } });
    const after = doc({ request: { allOf: [part("a", "string"), part("b", "integer")] } });
    const result = await diffSpecs(before, after);
    expect(result.level).toBe("breaking");
    expect(result.changes).toContainEqual(
      expect.objectContaining({
        location: "request",
        kind: "request.type-incompatible",
        breaking: true,
        pointer: "/paths/~1v1~1things/post/requestBody",
      }),
    );
    expect((await diffSpecs(before, after, { compiler: false })).level).not.toBe("breaking");
  });

  test("on its own it agrees with the rules on a response property removal, and finds nothing in an additive change", async () => {
    const removed = await compilerChanges(base, res({ status: baseResProps.status, note: baseResProps.note }, ["status"]));
    expect(removed.map((c) => c.kind)).toEqual(["response.type-incompatible"]);
    expect(await compilerChanges(base, req({ ...baseReqProps, provider: { type: "string" } }))).toEqual([]);
  });
});

describe("upstream's real history", () => {
  const h = (name: string) => JSON.parse(readFileSync(join(sharedSpecsDir(), "history", name), "utf8")) as OpenAPIDocument;
  const v0116 = h("gpt-4.1.2026-01-16.23c54eb5.json");
  const v0422 = h("gpt-4.1.2026-04-22.1a0876e7.json");
  const v0612 = h("gpt-4.1.2026-06-12.fbcad4ca.json");
  const current = JSON.parse(readFileSync(join(sharedSpecsDir(), "gpt-4.1.json"), "utf8")) as OpenAPIDocument;

  test("2026-01-16 → 2026-04-22: additive, the response gained meta", async () => {
    const r = await diffSpecs(v0116, v0422);
    expect(r.level).toBe("additive");
    expect(r.changes.every((c) => c.location === "response" && c.pointer.endsWith("/properties/meta"))).toBe(true);
  });

  test("2026-04-22 → 2026-06-12: additive, `provider` on /v1/chat/completions only", async () => {
    const r = await diffSpecs(v0422, v0612);
    expect(toJson(r)).toEqual({
      level: "additive",
      changes: [
        {
          location: "request",
          pointer: "/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema/properties/provider",
          kind: "request.property.added",
          breaking: false,
          message: 'optional property "provider" added',
        },
      ],
    });
  });

  test("fbcad4ca → current: none (key order only); every version against itself: none", async () => {
    expect((await diffSpecs(v0612, current)).level).toBe("none");
    for (const v of [v0116, v0422, v0612, current]) expect((await diffSpecs(v, v)).level).toBe("none");
  });

  test("going back in time is breaking", async () => {
    expect((await diffSpecs(current, v0116)).level).toBe("breaking");
  });

  test("the text summary groups by operation and side, with pointers", async () => {
    const text = formatSummary(await diffSpecs(v0116, v0422));
    expect(text).toContain("Level: additive (2 additive)");
    expect(text).toContain('POST /v1/chat/completions\n  response:\n    + optional property "meta" added  (/paths/');
  });
});

describe.concurrent("spec:diff CLI", () => {
  test("--json prints the contract's JSON and exits 0 even when breaking", async () => {
    const dir = sharedSpecsDir();
    const r = await runCli("spec-diff", [
      join(dir, "gpt-4.1.json"),
      join(dir, "history", "gpt-4.1.2026-04-22.1a0876e7.json"),
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.level).toBe("breaking");
    expect(Object.keys(out.changes[0]).sort()).toEqual(["breaking", "kind", "location", "message", "pointer"]);
    // The change users see: between the effective documents (each with the overlay applied).
    expect(out.effectiveLevel).toBe("breaking");
    expect(out.effective.overlay).toBe("specs/overlays/gpt-4.1.overlay.yaml");
    expect(out.effective.changes.map((c: { message: string }) => c.message)).toContain('property "provider" removed');
  });

  test("upstream fixing a lapse the overlay already repairs: breaking upstream, none for users", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aimlapi-diff-"));
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the edit walks arbitrary OpenAPI JSON
      type Json = Record<string, any>;
      const fixed = JSON.parse(readFileSync(join(sharedSpecsDir(), "gpt-4.1.json"), "utf8")) as Json;
      for (const path of Object.values(fixed.paths) as { post: Json }[]) {
        path.post.responses["200"].content[
          "application/json"
        ].schema.properties.choices.items.properties.message.properties.content.nullable = true;
      }
      const file = join(dir, "fixed.json");
      writeFileSync(file, JSON.stringify(fixed));
      const r = await runCli("spec-diff", [join(sharedSpecsDir(), "gpt-4.1.json"), file, "--json"]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.level).toBe("breaking");
      expect(out.changes[0].kind).toBe("response.schema.nullable.added");
      expect(out.effectiveLevel).toBe("none");
      expect(out.effective.changes).toEqual([]);
      const text = await runCli("spec-diff", [join(sharedSpecsDir(), "gpt-4.1.json"), file]);
      expect(text.stdout).toMatch(/^Upstream change \(before the overlay\):\nLevel: breaking/);
      expect(text.stdout).toMatch(
        /\n\nEffective change \(with specs\/overlays\/gpt-4\.1\.overlay\.yaml; what the packages expose\):\nLevel: none/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("documents the overlay does not fit still diff; the effective change says why it is missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aimlapi-diff-"));
    try {
      const [a, b] = [join(dir, "a.json"), join(dir, "b.json")];
      writeFileSync(a, JSON.stringify(base));
      writeFileSync(b, JSON.stringify(req({ model: baseReqProps.model })));
      const r = await runCli("spec-diff", [a, b, "--json"]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.level).toBe("breaking");
      expect(out.effectiveLevel).toBeNull();
      expect(out.effective.reason).toMatch(
        /^old document: overlay action "[a-z-]+" \(#\d+\) in specs\/overlays\/gpt-4\.1\.overlay\.yaml matches nothing/,
      );
      const plain = JSON.parse((await runCli("spec-diff", [a, b, "--json", "--no-overlay"])).stdout);
      expect(plain.effectiveLevel).toBe("breaking");
      expect(plain.effective.overlay).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("unreadable input: one line and a non-zero exit", async () => {
    const missing = await runCli("spec-diff", ["nope.json", join(sharedSpecsDir(), "gpt-4.1.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("spec:diff: nope.json: file not found\n");
    const bad = join(sharedSpecsDir(), "README.md");
    const notJson = await runCli("spec-diff", [bad, bad]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr.trim().split("\n")).toHaveLength(1);
    const usage = await runCli("spec-diff", ["only-one.json"]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/usage: spec:diff <old> <new>/);
  });
});

describe("classification follows reachability from the operations", () => {
  const thing = { type: "object", required: ["id"], properties: { id: { type: "string" } } };
  const gateway = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`Gateway${i}`, { type: "object", properties: { [`f${i}`]: { type: "string" } } }]),
    );

  test("a change inside a component the response reaches through $ref is classified as the same change inline", async () => {
    const inlineOld = doc({ response: thing });
    const inlineNew = doc({ response: { ...thing, required: [] } });
    const refOld = doc({ response: { $ref: "#/components/schemas/Thing" }, components: { schemas: { Thing: thing } } });
    const refNew = doc({
      response: { $ref: "#/components/schemas/Thing" },
      components: { schemas: { Thing: { ...thing, required: [] } } },
    });
    const inline = await diffSpecs(inlineOld, inlineNew);
    const viaRef = await diffSpecs(refOld, refNew);
    expect(viaRef.level).toBe(inline.level);
    expect(viaRef.changes.map((c) => c.kind)).toEqual(inline.changes.map((c) => c.kind));
    expect(viaRef.unreachable).toBeUndefined();
  });

  test("components no operation reaches are counted in one line and never move the level", async () => {
    const before = doc({ components: { schemas: { ...gateway(120), Kept: thing } } });
    // 97 of them go, one changes, three arrive: none is reached from an operation.
    const after = doc({
      components: {
        schemas: { ...gateway(23), Gateway0: { type: "string" }, Kept: thing, ...{ New1: thing, New2: thing, New3: thing } },
      },
    });
    const result = await diffSpecs(before, after);
    expect(result.level).toBe("none");
    expect(result.changes).toEqual([]);
    expect(result.unreachable).toHaveLength(97 + 1 + 3);
    expect(formatSummary(result).split("\n")).toEqual([
      "Level: none (no semantic change: only key order, formatting or vendor extensions, if anything)",
      "(101 component schema(s) no operation reaches changed: not part of the API, ignored)",
    ]);
  });

  test("a component reached only through another component counts, at the place the operation uses it", async () => {
    const components = (extra: Schema) => ({
      schemas: {
        Outer: { type: "object", properties: { inner: { $ref: "#/components/schemas/Inner" } } },
        Inner: thing,
        ...extra,
      },
    });
    const before = doc({ response: { $ref: "#/components/schemas/Outer" }, components: components({}) });
    const after = doc({
      response: { $ref: "#/components/schemas/Outer" },
      components: components({ Inner: { ...thing, properties: { id: { type: "integer" } } } }),
    });
    const result = await diffSpecs(before, after, { compiler: false });
    expect(result.level).toBe("breaking");
    expect(result.changes.map((c) => c.pointer)).toEqual([
      "/paths/~1v1~1things/post/responses/200/content/application~1json/schema/properties/inner/properties/id/type",
    ]);
    expect(result.unreachable).toBeUndefined();
  });
});
