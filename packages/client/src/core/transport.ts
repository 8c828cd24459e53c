import { Cancellation, sleep } from "./cancellation";
import { APIUserAbortError } from "./errors";
import { DEBUG, INFO, type Log, redactHeaders } from "./logger";
import type { FetchOptions } from "./options";
import { retryDelay, shouldRetryResponse } from "./retry";

/** One HTTP call as the transport sends it; the body is a string or bytes so every attempt resends it unchanged. */
export interface TransportRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | ArrayBuffer | undefined;
  signal?: AbortSignal | undefined;
  timeout: number;
  idleTimeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  /** Extra `fetch` options sent with every attempt (an undici dispatcher …). */
  fetchOptions?: FetchOptions | undefined;
  /** Whether the caller asked for a stream; when unknown (the raw `POST`), the content type decides. */
  stream?: boolean | undefined;
  log: Log;
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
  const { log } = req;
  for (let attempt = 0; ; attempt++) {
    const cancellation = new Cancellation(req.signal);
    if (cancellation.cause === "user") throw cancellation.error();
    cancellation.startTimeout(req.timeout);
    // Log lines are built only when the level asks for them: the request path is hot.
    const started = log.level >= INFO ? Date.now() : 0;
    const say = started
      ? (rank: number, what: string) =>
          log(rank, `${req.method} ${req.url} (attempt ${attempt + 1} of ${req.maxRetries + 1}) ${what}`)
      : undefined;
    try {
      const init: RequestInit = { method: req.method, headers: req.headers, body: req.body, signal: cancellation.signal };
      const response = await req.fetch(req.url, req.fetchOptions ? { ...req.fetchOptions, ...init } : init);
      if (log.level >= DEBUG)
        say?.(
          DEBUG,
          `${response.status} in ${Date.now() - started} ms, request id ${requestIdOf(response)}, request headers ${redactHeaders(req.headers)}`,
        );
      if (req.stream !== false && response.ok && response.body && readAsStream(req, response)) {
        // The stream's reader owns the cancellation from here (idle timeout, abort, disposal).
        cancellation.switchToIdle(req.idleTimeout);
        if (say) cancellation.report = (error) => say(INFO, error.message);
        return { kind: "stream", response, body: response.body, cancellation };
      }
      const text = await response.text();
      cancellation.recycle();
      const retry = !response.ok && attempt < req.maxRetries && shouldRetryResponse(response);
      const delay = retry ? retryDelay(attempt, response.headers) : 0;
      if (!response.ok)
        say?.(
          INFO,
          `failed: ${response.status}, request id ${requestIdOf(response, text)}${retry ? ` (retrying in ${Math.round(delay)} ms)` : ""}`,
        );
      if (!retry) return { kind: "buffered", response, text };
      await sleep(delay, req.signal);
    } catch (error) {
      // A thrown APIError (the abort reason, or a user abort during a backoff) is kept as it is.
      const failure = cancellation.error(error);
      cancellation.dispose();
      const userAbort = failure instanceof APIUserAbortError;
      const delay = userAbort || attempt >= req.maxRetries ? -1 : retryDelay(attempt);
      if (!userAbort) say?.(INFO, `failed: ${failure.message}${delay >= 0 ? ` (retrying in ${Math.round(delay)} ms)` : ""}`);
      if (delay < 0) throw failure;
      await sleep(delay, req.signal);
    }
  }
}

/**
 * A response is read as a stream (the caller checks that no JSON was asked for) when it is an event stream, or when a
 * stream was asked for and the server named no content type (some omit it). Anything else (JSON, an
 * HTML error page from a proxy) is read in full, so that it can be reported as what it is.
 */
function readAsStream(req: TransportRequest, response: Response): boolean {
  const type = response.headers.get("content-type") ?? "";
  return type.includes("text/event-stream") || (req.stream === true && type === "");
}

/** Upstream's request id, for log lines: the `x-request-id` header, else the error body's `requestId`. */
function requestIdOf(response: Response, body = ""): string {
  return response.headers.get("x-request-id") ?? /"requestId"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? "none";
}
