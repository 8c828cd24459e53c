import { oneLine, SpecError } from "./errors";

/** A parsed OpenAPI 3.x document. */
export type OpenAPIDocument = Record<string, unknown> & { openapi: string; paths?: Record<string, unknown> };

/**
 * Checks that bytes are a JSON document declaring OpenAPI 3.x, and returns it parsed. Whether it obeys
 * the OpenAPI schema is checked on the effective document (after the overlay): see validateOpenAPI.
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
  return doc as OpenAPIDocument;
}

/** A document cut short ends without its closing brace, unlike one with a stray byte inside. */
function looksCutShort(text: string): boolean {
  return !text.trimEnd().endsWith("}");
}
