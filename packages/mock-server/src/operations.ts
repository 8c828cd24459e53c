import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { withDefinitions } from "./openapi-schema";

/** The parts of an OpenAPI document the mock server reads. */
export interface OpenAPIDocument {
  paths?: Record<string, Record<string, OperationObject | unknown> | undefined>;
  components?: { schemas?: Record<string, unknown> };
}

interface OperationObject {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/** One POST operation the server answers, with validators compiled from its schemas. */
export interface MockOperation {
  path: string;
  validateRequest: ValidateFunction | undefined;
  /** Validates a 200 `application/json` body, when the spec documents one. */
  validateJson: ValidateFunction | undefined;
  /** Validates one `text/event-stream` data payload, when the spec documents one. */
  validateChunk: ValidateFunction | undefined;
  /** Whether the request schema has a `provider` property, etc.: the request properties it accepts. */
  requestProperties: Set<string>;
  /** The model ids its request documents (the `model` enum). */
  models: Set<string>;
}

// ajv-formats is CommonJS; under ESM interop its function may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** Compiles validators for every POST operation of a document (ajv: maintained, fast, JSON Schema draft-07). */
export function loadOperations(document: OpenAPIDocument): Map<string, MockOperation> {
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
  addFormats(ajv);
  const compile = (schema: unknown) => (schema === undefined ? undefined : ajv.compile(withDefinitions(schema, document)));
  const operations = new Map<string, MockOperation>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const post = item?.post as OperationObject | undefined;
    if (!post) continue;
    const requestSchema = post.requestBody?.content?.["application/json"]?.schema;
    const ok = post.responses?.["200"]?.content;
    operations.set(path, {
      path,
      validateRequest: compile(requestSchema),
      validateJson: compile(ok?.["application/json"]?.schema),
      validateChunk: compile(ok?.["text/event-stream"]?.schema),
      requestProperties: new Set(Object.keys((requestSchema as { properties?: object } | undefined)?.properties ?? {})),
      models: new Set(modelEnum(requestSchema)),
    });
  }
  return operations;
}

function modelEnum(schema: unknown): string[] {
  const values = (schema as { properties?: { model?: { enum?: unknown } } } | undefined)?.properties?.model?.enum;
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
}

/** One readable sentence naming the offending field, from ajv's errors. */
export function describeValidationErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return "the body does not match the schema";
  // The deepest error is the most specific one (a failed oneOf also reports each branch).
  const error = [...errors].sort((a, b) => depth(b) - depth(a))[0] as ErrorObject;
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty;
  const field = fieldName(error.instancePath, extra);
  if (params.missingProperty) return `"${field}" is required`;
  if (params.additionalProperty) return `"${field}" is not an allowed property`;
  // Each branch of a oneOf on a discriminator (message roles) reports its own enum: merge them.
  const values = errors
    .filter((e) => e.keyword === "enum" && e.instancePath === error.instancePath)
    .flatMap((e) => (e.params as { allowedValues?: unknown[] }).allowedValues ?? []);
  const allowed = values.length > 0 ? `: ${[...new Set(values)].map((v) => JSON.stringify(v)).join(", ")}` : "";
  return `"${field || "body"}" ${error.message ?? "is invalid"}${allowed}`;
}

function depth(error: ErrorObject): number {
  const p = error.params as { missingProperty?: string; additionalProperty?: string };
  return (
    error.instancePath.split("/").length +
    (p.missingProperty || p.additionalProperty ? 1 : 0) -
    (error.keyword === "oneOf" ? 1 : 0)
  );
}

function fieldName(pointer: string, extra: string | undefined): string {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra) parts.push(extra);
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}
