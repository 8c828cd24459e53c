import { Ajv } from "ajv";
import { describe, expect, test } from "vitest";
import { toJsonSchema, withDefinitions } from "../src/openapi-schema";

const ajv = new Ajv({ strict: false });
const accepts = (schema: unknown, value: unknown) => ajv.validate(toJsonSchema(schema) as object, value);

describe("OpenAPI 3.0 → JSON Schema", () => {
  test("nullable with a type admits null, and null joins an enum", () => {
    expect(accepts({ type: "integer", nullable: true }, null)).toBe(true);
    expect(accepts({ type: "integer" }, null)).toBe(false);
    expect(accepts({ type: "string", enum: ["a"], nullable: true }, null)).toBe(true);
    expect(accepts({ type: "string", enum: ["a"], nullable: true }, "b")).toBe(false);
  });

  test("nullable without a type: alone it changes nothing; with a composition it admits null", () => {
    expect(toJsonSchema({ nullable: true })).toEqual({});
    const composed = { anyOf: [{ type: "string" }, { type: "number" }], nullable: true };
    expect(accepts(composed, null)).toBe(true);
    expect(accepts(composed, "x")).toBe(true);
    expect(accepts(composed, true)).toBe(false);
  });

  test("a property named like a keyword is kept; examples and vendor keys are dropped", () => {
    expect(toJsonSchema({ type: "object", properties: { nullable: { type: "string" } }, example: {}, "x-a": 1 })).toEqual({
      type: "object",
      properties: { nullable: { type: "string" } },
    });
  });

  test("3.0 boolean exclusive bounds become draft-07 numbers", () => {
    const schema = { type: "number", minimum: 0, exclusiveMinimum: true };
    expect(accepts(schema, 0)).toBe(false);
    expect(accepts(schema, 0.1)).toBe(true);
  });

  test("component references resolve through definitions", () => {
    const doc = { components: { schemas: { Name: { type: "string", nullable: true } } } };
    const schema = withDefinitions({ type: "object", properties: { name: { $ref: "#/components/schemas/Name" } } }, doc);
    expect(ajv.validate(schema, { name: null })).toBe(true);
    expect(ajv.validate(schema, { name: 1 })).toBe(false);
  });
});
