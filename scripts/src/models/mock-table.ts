/**
 * The mock server's table of models: each id's provider, spec file and shape names, and the shapes
 * themselves (OpenAPI 3.0 schemas, `$ref`s between them), so that it validates each request
 * against that model's own effective spec and replies in its shape.
 */
import type { Catalog } from "./catalog";
import { reachable } from "./shapes";

/** The JSON text the mock embeds (deterministic: sorted, no documentation). */
export function mockModelsText(catalog: Catalog): string {
  const models = Object.fromEntries(
    catalog.entries.map((e) => [
      e.id,
      {
        provider: e.provider,
        file: e.file,
        request: e.request,
        ...(e.completion ? { completion: e.completion } : {}),
        ...(e.chunk ? { chunk: e.chunk } : {}),
      },
    ]),
  );
  const roots = catalog.entries.flatMap((e) => [e.request, e.completion, e.chunk]).filter((n): n is string => !!n);
  return `${JSON.stringify({ models, schemas: reachable(catalog.table.components(), [...new Set(roots)]) })}\n`;
}
