/**
 * The named types: openai-node's names put on the effective document's shapes (selectors), hoisted
 * into components, emitted as interfaces and namespaces; the same shape elsewhere gets the same
 * name; a name whose shape upstream removed fails codegen, naming it.
 */
import { describe, expect, test } from "vitest";
import { canonicalize } from "../src/canonical";
import { generateTypes } from "../src/codegen/generate";
import { hoistNamedSchemas } from "../src/codegen/hoist";
import { resolveSelector } from "../src/codegen/selectors";
import { TYPE_NAMES } from "../src/codegen/type-names";
import type { OpenAPIDocument } from "../src/validate-spec";

/** The value at a path of keys inside a JSON document. */
function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce((inner, key) => (inner as Record<string, unknown>)[key], value);
}

const op = { path: "/things", method: "post" };

/** A small document: one operation whose request and response share a shape, used twice. */
function fixture(): OpenAPIDocument {
  const part = (type: string) => ({
    type: "object",
    required: ["type", "text"],
    properties: { type: { type: "string", enum: [type] }, text: { type: "string", description: `A ${type} part.` } },
  });
  return canonicalize({
    openapi: "3.0.0",
    info: { title: "t", version: "1" },
    paths: {
      "/things": {
        post: {
          requestBody: {
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["parts"],
                  properties: { parts: { type: "array", items: { oneOf: [part("text"), part("note")] } } },
                },
              },
            },
          },
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      echo: { ...part("text"), nullable: true, description: "The text part echoed." },
                      id: { type: "string" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  }) as OpenAPIDocument;
}

describe("selectors", () => {
  test("properties, items and alternatives by a property's enum or by type", () => {
    expect(resolveSelector(fixture(), op, "request.parts[]|type=note")).toEqual({
      path: [
        "paths",
        "/things",
        "post",
        "requestBody",
        "content",
        "application/json",
        "schema",
        "properties",
        "parts",
        "items",
        "oneOf",
        "1",
      ],
    });
    expect(resolveSelector(fixture(), op, "response.echo.text")).toMatchObject({ path: expect.any(Array) });
  });

  test("a selector that matches nothing says where it stopped", () => {
    expect(resolveSelector(fixture(), op, "request.parts[]|type=image")).toEqual({ missing: "request.parts[]|type=image" });
    expect(resolveSelector(fixture(), op, "chunk")).toEqual({ missing: "chunk" });
  });
});

describe("hoisting", () => {
  const names = [
    { name: "Request", at: "request" },
    { name: "TextPart", at: "request.parts[]|type=text" },
    { name: "Part", at: "request.parts[]" },
  ];

  test("named shapes move to components, the same shape elsewhere refers to the same name", () => {
    const { document, missing } = hoistNamedSchemas(fixture(), names, op);
    expect(missing).toEqual([]);
    const schemas = (document as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
    expect(Object.keys(schemas).sort()).toEqual(["Part", "Request", "TextPart"]);
    // The response's echo is a TextPart too (descriptions aside); where it was used, it stays nullable and described.
    const echo = at(
      document,
      "paths",
      "/things",
      "post",
      "responses",
      "200",
      "content",
      "application/json",
      "schema",
      "properties",
      "echo",
    );
    expect(echo).toEqual({
      allOf: [{ $ref: "#/components/schemas/TextPart" }],
      nullable: true,
      description: "The text part echoed.",
    });
    expect(schemas.TextPart).not.toHaveProperty("nullable");
  });

  test("the names are emitted as interfaces, unions and references", async () => {
    const text = await generateTypes(fixture(), { names, operation: op });
    expect(text).toContain("export interface Request {\n    parts: Part[];\n}");
    expect(text).toContain("export type Part = TextPart | {");
    expect(text).toContain("echo?: TextPart | null;");
    expect(text).toContain('"application/json": Request;');
    expect(text).toContain("TextPart: TextPart;");
  });

  test("nested names are namespaces", async () => {
    const text = await generateTypes(fixture(), {
      names: [
        { name: "Reply", at: "response" },
        { name: "Reply.Echo", at: "response.echo" },
      ],
      operation: op,
    });
    expect(text).toMatch(/export namespace Reply \{\n( {4}\/\*\*.*\*\/\n)? {4}export interface Echo \{/);
    expect(text).toContain("echo?: Reply.Echo | null;");
  });

  test("a named shape upstream removed fails codegen, naming the type and where its selector stopped", async () => {
    await expect(
      generateTypes(fixture(), { names: [{ name: "ImagePart", at: "request.parts[]|type=image" }], operation: op }),
    ).rejects.toThrow(
      "the document lacks 1 shape(s) the types name: ImagePart (request.parts[]|type=image: no request.parts[]|type=image); update scripts/src/codegen/type-names.ts",
    );
  });

  test("every name of the chat-completions types is unique, and nested ones have their parent", () => {
    const all = TYPE_NAMES.map((n) => n.name);
    expect(new Set(all).size).toBe(all.length);
    for (const name of all.filter((n) => n.includes(".")))
      expect(all, `${name} needs ${name.slice(0, name.lastIndexOf("."))}`).toContain(name.slice(0, name.lastIndexOf(".")));
  });
});

describe("components no operation reaches", () => {
  test("get no type: they are not part of the API", async () => {
    const document = {
      openapi: "3.0.0",
      info: { title: "t", version: "1" },
      paths: {
        "/things": {
          post: {
            responses: {
              "200": {
                description: "OK",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Thing: { type: "object", properties: { part: { $ref: "#/components/schemas/Part" } } },
          Part: { type: "string" },
          GatewayRequest: { type: "object", properties: { route: { type: "string" } } },
        },
      },
    };
    const text = await generateTypes(document as never, { names: [] });
    expect(text).toContain("Thing: {");
    expect(text).toContain("Part: string");
    expect(text).not.toContain("GatewayRequest");
  });
});
