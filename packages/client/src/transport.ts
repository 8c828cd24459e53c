import { Cancellation, sleep } from "./cancellation";
import { APIUserAbortError } from "./errors";
import { retryDelay, shouldRetryResponse } from "./retry";

/** One HTTP call as the transport sends it; the body is a string or bytes so every attempt resends it unchanged. */
export interface TransportRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | ArrayBuffer;
  signal?: AbortSignal | undefined;
  timeout: number;
  idleTimeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  /** Whether the caller asked for a stream; when unknown (the raw `POST`), the content type decides. */
  stream?: boolean;
}

/** A final response: JSON and error bodies are read in full (within the timeout), streams are not. */
export type TransportResult =
  | { kind: "buffered"; response: Response; text: string }
  | { kind: "stream"; response: Response; body: ReadableStream<Uint8Array>; cancellation: Cancellation };

/**
 * Sends a request with per-attempt timeouts and retries. Resolves with the last response, whatever its
 * status (callers decide how to surface errors); rejects with APIConnectionError,
 * APIConnectionTimeoutError or APIUserAbortError when no usable response arrived.
 */
export async function send(req: TransportRequest): Promise<TransportResult> {
  for (let attempt = 0; ; attempt++) {
    const cancellation = new Cancellation(req.signal);
    if (cancellation.cause === "user") throw cancellation.error();
    cancellation.startTimeout(req.timeout);
    try {
      const response = await req.fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: cancellation.signal,
      });
      if (response.ok && response.body && readAsStream(req, response)) {
        // The stream's reader owns the cancellation from here (idle timeout, abort, disposal).
        cancellation.switchToIdle(req.idleTimeout);
        return { kind: "stream", response, body: response.body, cancellation };
      }
      const text = await response.text();
      cancellation.dispose();
      if (response.ok || attempt >= req.maxRetries || !shouldRetryResponse(response)) {
        return { kind: "buffered", response, text };
      }
      await sleep(retryDelay(attempt, response.headers), req.signal);
      continue;
    } catch (error) {
      // A thrown APIError (the abort reason, or a user abort during a backoff) is kept as it is.
      const failure = cancellation.error(error);
      cancellation.dispose();
      if (failure instanceof APIUserAbortError || attempt >= req.maxRetries) throw failure;
    }
    await sleep(retryDelay(attempt), req.signal);
  }
}

/**
 * A stream request is read as a stream whatever the content type says (as openai-node does: some
 * servers omit it), unless the server plainly answered JSON; otherwise only an event stream is.
 */
function readAsStream(req: TransportRequest, response: Response): boolean {
  const type = response.headers.get("content-type") ?? "";
  if (req.stream === undefined) return type.includes("text/event-stream");
  return req.stream && !type.includes("application/json");
}
