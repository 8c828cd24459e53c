import { Validator } from "@seriousme/openapi-schema-validator";
import { oneLine, SpecError } from "./errors";

/** A parsed OpenAPI 3.x document. */
export type OpenAPIDocument = Record<string, unknown> & { openapi: string; paths?: Record<string, unknown> };

/**
 * Checks that bytes are a JSON OpenAPI 3.x document accepted by the official OpenAPI JSON schemas,
 * and returns it parsed.
 */
export async function parseOpenAPI(bytes: Uint8Array, contentType?: string): Promise<OpenAPIDocument> {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).replace(/^\uFEFF/, "");
  const head = text.trimStart().slice(0, 1);
  // Error pages and login walls come back as HTML, often with a 200 status.
  if (contentType?.includes("text/html") || head.startsWith("<")) {
    throw new SpecError("got an HTML page, not a JSON spec");
  }
  if (text.trim() === "") throw new SpecError("empty body, not a JSON spec");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    if (/end of (json )?input|unterminated|expected .* after|bad control/i.test(message) && looksCutShort(text)) {
      throw new SpecError(`truncated JSON (${bytes.byteLength} bytes end mid-document: ${oneLine(message, 120)})`);
    }
    throw new SpecError(`invalid JSON: ${oneLine(message, 160)}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new SpecError("JSON is not an object, so not an OpenAPI document");
  }
  const version = (doc as { openapi?: unknown }).openapi;
  if (typeof version !== "string") {
    const swagger = (doc as { swagger?: unknown }).swagger;
    throw new SpecError(
      swagger
        ? `Swagger ${String(swagger)} document; only OpenAPI 3.x is supported`
        : 'not an OpenAPI document (no "openapi" version field)',
    );
  }
  if (!/^3\.\d+(\.\d+)?$/.test(version)) {
    throw new SpecError(`OpenAPI ${version} is not supported; only 3.x is`);
  }
  // The validator checks the document against the official OpenAPI JSON Schema for its version.
  const validator = new Validator();
  const result = await validator.validate(withResponseDescriptions(doc as OpenAPIDocument));
  if (!result.valid) {
    const errors = Array.isArray(result.errors) ? result.errors : [];
    const first = errors[0] as { instancePath?: string; message?: string } | undefined;
    const where = first?.instancePath ? `at ${first.instancePath}` : "at /";
    throw new SpecError(
      `not a valid OpenAPI ${version} document ${where}: ${oneLine(first?.message ?? String(result.errors), 160)}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ""}`,
    );
  }
  return doc as OpenAPIDocument;
}

/** A document cut short ends without its closing brace, unlike one with a stray byte inside. */
function looksCutShort(text: string): boolean {
  return !text.trimEnd().endsWith("}");
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * Upstream's document omits the `description` that OpenAPI requires on every Response Object.
 * It is documentation only (no effect on types or the wire), so it is the one lapse tolerated:
 * the copy handed to the validator gets an empty one; every other rule is checked strictly.
 */
function withResponseDescriptions(doc: OpenAPIDocument): OpenAPIDocument {
  const copy = structuredClone(doc) as OpenAPIDocument & { components?: { responses?: Record<string, unknown> } };
  const fill = (responses: unknown) => {
    if (!responses || typeof responses !== "object") return;
    for (const response of Object.values(responses as Record<string, unknown>)) {
      if (response && typeof response === "object" && !("$ref" in response) && !("description" in response)) {
        (response as Record<string, unknown>).description = "";
      }
    }
  };
  for (const item of Object.values(copy.paths ?? {})) {
    if (!item || typeof item !== "object") continue;
    for (const method of METHODS) fill((item as Record<string, { responses?: unknown } | undefined>)[method]?.responses);
  }
  fill(copy.components?.responses);
  return copy;
}
