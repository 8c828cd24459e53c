import { readFile } from "node:fs/promises";
import { oneLine, SpecError } from "./errors";

/** Bytes of a spec as delivered by its source, before any check. */
export interface SourceBytes {
  bytes: Uint8Array;
  /** The response's media type, when the source was a URL. */
  contentType?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** True when the source names an http(s) URL rather than a file. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Reads a spec from a file path or an http(s) URL, turning every failure into a one-line SpecError. */
export async function readSource(source: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SourceBytes> {
  return isUrl(source) ? download(source, timeoutMs) : readLocal(source);
}

async function readLocal(path: string): Promise<SourceBytes> {
  try {
    return { bytes: await readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new SpecError("file not found");
    if (code === "EISDIR") throw new SpecError("is a directory, not a file");
    throw new SpecError(`cannot read file (${code ?? oneLine(String(error))})`);
  }
}

async function download(url: string, timeoutMs: number): Promise<SourceBytes> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
  } catch (error) {
    throw new SpecError(`network error: ${describeFetchError(error, timeoutMs)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new SpecError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    // undici rejects when the connection closes before Content-Length bytes arrived.
    throw new SpecError(`download cut short (truncated body): ${describeFetchError(error, timeoutMs)}`);
  }
  const expected = Number(response.headers.get("content-length"));
  if (Number.isFinite(expected) && expected > 0 && bytes.byteLength < expected && !response.headers.get("content-encoding")) {
    throw new SpecError(`download cut short (truncated body): ${bytes.byteLength} of ${expected} bytes`);
  }
  return { bytes, contentType: response.headers.get("content-type") ?? undefined };
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${oneLine(cause.message, 120)})` : ""}`;
  return oneLine(cause?.message ?? err?.message ?? String(error), 160);
}
