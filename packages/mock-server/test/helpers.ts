import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadOperations, type OpenAPIDocument } from "../src/operations";

/**
 * The whole effective document (not the server's pruned copy), as codegen writes it beside the
 * embedded one: what the server is judged by.
 */
export const effectiveSpec = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "src", "generated", "gpt-4.1.effective.json"), "utf8"),
) as OpenAPIDocument;

/** Validators built from the effective document. */
export const specOperations = loadOperations(effectiveSpec);

export const MODEL = "openai/gpt-4.1-2025-04-14";

/** POSTs a JSON body with a bearer key. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { authorization: "Bearer test-key", "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Splits an SSE body into events of `{ event, data }`. */
export function parseSSE(text: string): { event: string | undefined; data: string }[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      return { event, data };
    });
}

/** A response body as loosely typed JSON, for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary JSON bodies
export async function json(res: Response): Promise<any> {
  return res.json();
}
