/**
 * The overlay: reading and checking the file, applying it action by action (what each matched and
 * changed), the effective document and its strict validation, and the rule explanations.
 */
import { describe, expect, test } from "vitest";
import { applyOnly, effectiveDocument, fixedUpstreamLines, inspectEffective } from "../src/effective";
import { SpecError } from "../src/errors";
import { describeViolation, validateOpenAPI } from "../src/openapi-validation";
import { applyOverlay, dropRepeatedEntries, loadOverlayText, type OverlayDocument, parseOverlay } from "../src/overlay";
import type { OpenAPIDocument } from "../src/validate-spec";
import { overlayFile, pinnedSpecPath, readFileSync } from "./helpers/cli";

const upstream = () => JSON.parse(readFileSync(pinnedSpecPath(), "utf8")) as OpenAPIDocument;
const overlay = loadOverlayText(readFileSync(overlayFile), "specs/overlays/gpt-4.1.overlay.yaml");
// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary OpenAPI JSON
type Json = Record<string, any>;

/** A one-action overlay around `action`. */
function single(action: Record<string, unknown>): OverlayDocument {
  return {
    overlay: "1.0.0",
    info: { title: "t", version: "1" },
    actions: [{ description: "test", ...action } as OverlayDocument["actions"][number]],
  };
}

async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as Error).message;
  }
  throw new Error("expected a failure");
}

describe("the repository's overlay", () => {
  test("is an Overlay 1.0 document whose every action has an x-id and a description naming its evidence", () => {
    expect(overlay.document.overlay).toBe("1.0.0");
    for (const action of overlay.document.actions) {
      expect(action["x-id"]).toMatch(/^[a-z0-9-]+$/);
      expect(action.description.length).toBeGreaterThan(60);
      expect(action.description).toMatch(/Evidence|OpenAPI 3\.0|completes the previous action/);
    }
  });

  test("every action matches and changes upstream's pinned document; the result is valid OpenAPI", async () => {
    const effective = await effectiveDocument(upstream(), overlay);
    expect(effective.outcomes.map((o) => [o.name, o.matched, o.changed]).filter(([, m, c]) => !m || !c)).toEqual([]);
    expect(effective.findings).toEqual({ unmatched: [], drift: [], fixed: [], fixedPairs: [] });
    expect(await validateOpenAPI(effective.document)).toEqual([]);
  });

  test("upstream's document alone breaks the OpenAPI schema: no exception is made for it", async () => {
    const violations = await validateOpenAPI(upstream());
    expect(violations.length).toBeGreaterThan(0);
    expect(describeViolation(violations[0] as (typeof violations)[number])).toMatch(
      /^\/paths\/~1(v1~1)?chat~1completions\/post\/responses\/200: must have the field "description"$/,
    );
    expect(await failure(effectiveDocument(upstream(), undefined))).toMatch(
      /^not a valid OpenAPI 3\.0\.0 document: \/paths\/.*\/responses\/200: must have the field "description"; repair it with an overlay action$/,
    );
  });

  test("the corrections land where the wire needs them", async () => {
    const doc = (await effectiveDocument(upstream(), overlay)).document as Json;
    const op = doc.paths["/v1/chat/completions"].post;
    const chunk = op.responses["200"].content["text/event-stream"].schema.properties.choices.items.properties;
    expect(chunk.finish_reason).toMatchObject({ nullable: true });
    expect(chunk.finish_reason.enum.filter((v: unknown) => v === null)).toEqual([null]);
    expect(chunk.delta.required).toBeUndefined();
    expect(chunk.delta.properties.tool_calls.items.required).toEqual(["index"]);
    const message = op.responses["200"].content["application/json"].schema.properties.choices.items.properties.message;
    expect(message.properties.role.enum).toEqual(["assistant"]);
    expect(message.properties.content.nullable).toBe(true);
    const stop = op.requestBody.content["application/json"].schema.properties.stop;
    expect(stop.anyOf).toHaveLength(2);
    expect(stop.nullable).toBe(true);
    // Upstream's own object is untouched.
    expect(upstream().paths?.["/v1/chat/completions"]).toEqual((upstream() as Json).paths["/v1/chat/completions"]);
  });
});

describe("applying actions", () => {
  test("each outcome says whether the action matched and whether it changed the document", async () => {
    const doc = {
      openapi: "3.0.0",
      info: { title: "x", version: "1" },
      paths: {},
      components: { schemas: { A: { type: "string" } } },
    };
    const { document, outcomes } = await applyOverlay(doc, {
      overlay: "1.0.0",
      info: { title: "t", version: "1" },
      actions: [
        { "x-id": "adds", target: "$.components.schemas.A", description: "d", update: { nullable: true } },
        { "x-id": "same-again", target: "$.components.schemas.A", description: "d", update: { nullable: true } },
        { "x-id": "missing", target: "$.components.schemas.B", description: "d", update: { nullable: true } },
      ],
    });
    expect(outcomes.map((o) => [o.name, o.matched, o.changed])).toEqual([
      ['action "adds" (#1)', true, true],
      ['action "same-again" (#2)', true, false],
      ['action "missing" (#3)', false, false],
    ]);
    expect((document as Json).components.schemas.A).toEqual({ type: "string", nullable: true });
    expect(doc.components.schemas.A).toEqual({ type: "string" });
  });

  test("an appended enum or required entry upstream already has is not listed twice (so the action shows as a no-op)", async () => {
    const doc = {
      openapi: "3.0.0",
      components: { schemas: { R: { type: "string", nullable: true, enum: ["stop", null] } } },
    } as unknown as OpenAPIDocument;
    const { document, outcomes } = await applyOverlay(
      doc,
      single({ target: "$.components.schemas.R", update: { nullable: true, enum: [null] } }),
    );
    expect((document as Json).components.schemas.R.enum).toEqual(["stop", null]);
    expect(outcomes[0]?.changed).toBe(false);
    expect(dropRepeatedEntries({ required: ["a", "b", "a"], properties: { enum: { type: "string" } } })).toEqual({
      required: ["a", "b"],
      properties: { enum: { type: "string" } },
    });
  });

  const overlayOf = (actions: string) =>
    loadOverlayText(`overlay: 1.0.0\ninfo: {title: t, version: "1"}\nactions:\n${actions}`, "o.yaml");

  test("an update that matches nothing fails in one line naming it and its target", async () => {
    const message = await failure(
      applyOnly(
        upstream(),
        overlayOf(
          "  - x-id: gone\n    target: $.paths['/v2/gone'].post\n    description: test\n    update: {deprecated: true}\n",
        ),
      ),
    );
    expect(message).toBe(
      "overlay action \"gone\" (#1) in o.yaml matches nothing (target $.paths['/v2/gone'].post): upstream renamed, moved or fixed what it targets; correct or remove the action",
    );
  });

  test("a remove whose target is gone is a lapse upstream fixed, not a failure", async () => {
    const overlay = overlayOf("  - x-id: gone\n    target: $.paths['/v2/gone'].post\n    description: test\n    remove: true\n");
    const inspection = await inspectEffective(upstream(), overlay);
    expect(inspection.findings.unmatched).toEqual([]);
    expect(fixedUpstreamLines(inspection.findings, overlay)).toEqual([
      'upstream fixed this: remove action "gone" (#1) from o.yaml (what it removes is gone)',
    ]);
  });

  test("an action over several operations that misses one of them is drift, naming the action and the operation", async () => {
    const doc = upstream() as Json;
    // Upstream renames a field in one operation only: the action still matches in the other.
    const schema = doc.paths["/chat/completions"].post.requestBody.content["application/json"].schema;
    schema.properties.max_output_tokens = schema.properties.max_tokens;
    delete schema.properties.max_tokens;
    const overlay = overlayOf(
      "  - x-id: tokens\n    target: $.paths.*.post.requestBody.content['application/json'].schema.properties.max_tokens\n    description: test\n    update: {minimum: 1}\n",
    );
    const message = await failure(effectiveDocument(doc as OpenAPIDocument, overlay));
    expect(message).toBe(
      'overlay action "tokens" (#1) in o.yaml matches nothing in POST /chat/completions (it matches in POST /v1/chat/completions): upstream moved what it targets there; correct the action, or declare the operations it is for with x-operations',
    );
    // Declaring the operation it is for makes the partial match intended.
    const declared = overlayOf(
      "  - x-id: tokens\n    target: $.paths.*.post.requestBody.content['application/json'].schema.properties.max_tokens\n    x-operations: [POST /v1/chat/completions]\n    description: test\n    update: {minimum: 1}\n",
    );
    const inspection = await inspectEffective(doc as OpenAPIDocument, declared);
    expect(inspection.findings.drift).toEqual([]);
    expect(inspection.findings.unmatched).toEqual([]);
  });

  test("a remove+update pair that puts back what upstream now has is flagged as a pair", async () => {
    const doc = upstream() as Json;
    const stop = doc.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.stop;
    const overlay = overlayOf(
      `  - x-id: drop-stop\n    target: $.paths['/v1/chat/completions'].post.requestBody.content['application/json'].schema.properties.stop\n    description: test\n    remove: true\n  - x-id: put-stop\n    target: $.paths['/v1/chat/completions'].post.requestBody.content['application/json'].schema.properties\n    description: test\n    update: {stop: ${JSON.stringify(stop)}}\n`,
    );
    const inspection = await inspectEffective(doc as OpenAPIDocument, overlay);
    expect(inspection.findings.fixed).toEqual([]);
    expect(fixedUpstreamLines(inspection.findings, overlay)).toEqual([
      'upstream fixed this: remove action "drop-stop" (#1) and action "put-stop" (#2) from o.yaml (together they no longer change anything)',
    ]);
  });

  test("a JSONPath the engine cannot parse fails naming the action", async () => {
    const message = await failure(applyOverlay(upstream(), single({ "x-id": "typo", target: "$.paths[?(@.x ==", update: {} })));
    expect(message).toMatch(/^overlay action "typo" \(#1\): Error resolving JSONPath/);
  });
});

describe("reading an overlay file", () => {
  const head = 'overlay: 1.0.0\ninfo: {title: t, version: "1"}\n';
  test.each([
    ["not YAML", "overlay: [1.0.0\n", /^o\.yaml is not valid YAML: /],
    [
      "a wrong version",
      'overlay: 2.0.0\ninfo: {title: t, version: "1"}\nactions: []\n',
      /"overlay" must name version 1\.0\.x or 1\.1\.x \(got "2\.0\.0"\)/,
    ],
    ["no actions", `${head}actions: []\n`, /"actions" must be a non-empty list/],
    [
      "an action without a description",
      `${head}actions:\n  - target: $.info\n    update: {title: x}\n`,
      /action #1: "description" must say which upstream lapse/,
    ],
    [
      "a target that is not JSONPath",
      `${head}actions:\n  - target: info\n    description: d\n    update: {}\n`,
      /action #1: "target" must be a JSONPath/,
    ],
    [
      "an action that does nothing",
      `${head}actions:\n  - target: $.info\n    description: d\n`,
      /action #1: needs "update", "remove: true" or "copy"/,
    ],
    [
      "copy in a 1.0 overlay",
      `${head}actions:\n  - target: $.info\n    description: d\n    copy: $.servers\n`,
      /"copy" needs overlay version 1\.1\.x/,
    ],
    [
      "a repeated x-id",
      `${head}actions:\n  - {x-id: a, target: $.info, description: d, remove: true}\n  - {x-id: a, target: $.info, description: d, remove: true}\n`,
      /action "a" \(#2\): "x-id" is used twice/,
    ],
  ])("%s: one line naming the file", (_name, text, reason) => {
    let message = "";
    try {
      parseOverlay(text, "o.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(reason);
    expect(message).toMatch(/^o\.yaml /);
    expect(message).not.toContain("\n");
  });
});

describe("rule explanations name the pointer and the rule", () => {
  test("a JSON Schema keyword OpenAPI 3.0 does not allow in a Schema Object", async () => {
    const doc = (await effectiveDocument(upstream(), overlay)).document as Json;
    doc.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.model.const = "x";
    const [first] = await validateOpenAPI(doc as OpenAPIDocument);
    expect(first && describeViolation(first)).toBe(
      '/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema/properties/model: must not have the field "const"',
    );
  });

  test("a lapse in a component schema no operation reaches refuses nothing; the same lapse in a reached one does", async () => {
    const doc = upstream() as Json;
    const lapse = { type: ["string", "null"], const: "x", $schema: "http://json-schema.org/draft-07/schema#" };
    doc.components.schemas = { GatewayRoute: { type: "object", properties: { route: lapse } } };
    const effective = await effectiveDocument(doc as OpenAPIDocument, overlay);
    expect(effective.violations).toEqual([]);
    // Reached from the request body, it is part of the API again.
    doc.paths["/v1/chat/completions"].post.requestBody.content["application/json"].schema.properties.route = {
      $ref: "#/components/schemas/GatewayRoute",
    };
    expect(await failure(effectiveDocument(doc as OpenAPIDocument, overlay))).toMatch(
      /^not a valid OpenAPI 3\.0\.0 document even with the overlay applied: \/components\/schemas\/GatewayRoute\/properties\/route: /,
    );
  });

  test("a field an http security scheme must not have", async () => {
    const doc = (await effectiveDocument(upstream(), overlay)).document as Json;
    doc.components.securitySchemes["access-token"].in = "header";
    const [first] = await validateOpenAPI(doc as OpenAPIDocument);
    expect(first && describeViolation(first)).toBe(
      '/components/securitySchemes/access-token: must not have the field "in" (OpenAPI schema: HTTPSecurityScheme)',
    );
  });
});
