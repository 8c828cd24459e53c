import { Validator } from "@seriousme/openapi-schema-validator";
import { oneLine } from "./errors";
import type { OpenAPIDocument } from "./validate-spec";

/** One broken OpenAPI rule: where (a JSON pointer into the document) and what. */
export interface RuleViolation {
  pointer: string;
  rule: string;
}

/** An ajv error as the validator reports it. */
interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  message?: string;
}

/**
 * Validates a document against the official OpenAPI JSON Schema of its version, strictly (no
 * exceptions: every lapse of upstream's is repaired by the overlay, or the document is refused).
 * Returns the violations, the most telling first; empty when the document is valid.
 */
export async function validateOpenAPI(document: OpenAPIDocument): Promise<RuleViolation[]> {
  // @seriousme/openapi-schema-validator: ajv plus the official schemas for 3.0, 3.1 and 3.2; it may
  // annotate the object it validates, so it gets a copy.
  const result = await validator().validate(structuredClone(document));
  if (result.valid) return [];
  const errors = (Array.isArray(result.errors) ? result.errors : []) as SchemaError[];
  return explain(errors, document);
}

let shared: Validator | undefined;

/** One validator for the process: compiling the OpenAPI schema costs more than validating a spec. */
function validator(): Validator {
  shared ??= new Validator();
  return shared;
}

/** One line for a violation: the pointer and the rule. */
export function describeViolation(violation: RuleViolation, others = 0): string {
  return `${violation.pointer || "/"}: ${violation.rule}${others > 0 ? ` (+${others} more)` : ""}`;
}

/**
 * Turns ajv's errors into violations. A failed `oneOf` reports every branch it tried (a Reference
 * Object, each kind of security scheme …); only the branch meant for the object is useful, so
 * summaries and `$ref` alternatives are dropped, and for an object with a `type` (security
 * schemes) the branch named after that type is preferred.
 */
function explain(errors: SchemaError[], document: unknown): RuleViolation[] {
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf" && !e.schemaPath.includes("/Reference/"));
  const candidates = specific.length > 0 ? specific : errors;
  const byPointer = new Map<string, SchemaError[]>();
  for (const error of candidates) byPointer.set(error.instancePath, [...(byPointer.get(error.instancePath) ?? []), error]);
  const violations: RuleViolation[] = [];
  for (const [pointer, here] of byPointer) {
    const best = pickBranch(here, valueAt(document, pointer));
    violations.push({ pointer, rule: ruleText(best) });
  }
  // Deepest first: the innermost object is where the lapse is.
  return violations.sort((a, b) => depth(b.pointer) - depth(a.pointer));
}

function pickBranch(errors: SchemaError[], value: unknown): SchemaError {
  const type = value && typeof value === "object" ? (value as { type?: unknown }).type : undefined;
  if (typeof type === "string") {
    const named = errors.find((e) => definitionOf(e)?.toLowerCase().startsWith(type.toLowerCase()));
    if (named) return named;
  }
  // An unexpected field names the problem better than a field another branch would need.
  return errors.find((e) => e.keyword === "additionalProperties") ?? (errors[0] as SchemaError);
}

function ruleText(error: SchemaError): string {
  const object = definitionOf(error);
  const where = object ? ` (OpenAPI schema: ${object})` : "";
  if (error.params.additionalProperty !== undefined)
    return `must not have the field "${error.params.additionalProperty}"${where}`;
  if (error.params.missingProperty !== undefined) return `must have the field "${error.params.missingProperty}"${where}`;
  const allowed = error.params.allowedValues ? `: ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : "";
  return `${oneLine(error.message ?? error.keyword, 160)}${allowed}${where}`;
}

/** The OpenAPI schema definition an error comes from (`#/definitions/HTTPSecurityScheme/...`), if named. */
function definitionOf(error: SchemaError): string | undefined {
  return /#\/(?:definitions|\$defs)\/([^/]+)/.exec(error.schemaPath)?.[1];
}

function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function depth(pointer: string): number {
  return pointer.split("/").length;
}
