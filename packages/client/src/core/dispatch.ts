/**
 * The one road to the wire. Every call — `chat.completions.create` (JSON or stream), the typed
 * openapi-fetch `POST` and whatever is built on them — goes through openapi-fetch's request
 * pipeline, so the middleware registered with `client.use()` runs on it the way openapi-fetch runs
 * it, and openapi-fetch hands the (possibly rewritten) Request to one `fetch`: {@link transportFetch},
 * which sends it with the transport's retries, timeouts and logging. Middleware therefore sees each
 * logical request once and its final response, after any retries (the debug log shows every attempt).
 * With no middleware registered, `create` skips building a Request nobody would look at and hands
 * the same call straight to the transport.
 */
import { Cancellation } from "./cancellation";
import { send, type TransportRequest, type TransportResult } from "./transport";

/** How a call is sent: everything but what openapi-fetch's Request carries (URL, method, headers, body, signal). */
export type CallSettings = Omit<TransportRequest, "url" | "method" | "headers" | "body" | "signal">;

/** A `fetch` for openapi-fetch that sends through the transport and remembers the result behind each response. */
export interface TransportFetch {
  (request: Request): Promise<Response>;
  /** The transport's result behind the last response this fetch returned (so `create` can own its stream). */
  last?: TransportResult;
  /** That response, as handed to openapi-fetch. */
  returned?: Response;
}

/**
 * openapi-fetch's `fetch`. For `create` (`raw: false`) a stream's Response is returned as the server
 * sent it, so that `create` can read it through its own Stream; for the typed methods the body is
 * watched for the idle timeout while openapi-fetch's caller reads it.
 */
export function transportFetch(settings: CallSettings, raw: boolean): TransportFetch {
  const fetcher: TransportFetch = async (request) => {
    const sent = await send({
      ...settings,
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body: request.body ? await request.arrayBuffer() : undefined,
      signal: request.signal,
    });
    fetcher.last = sent;
    fetcher.returned =
      sent.kind === "buffered"
        ? new Response(sent.text || null, sent.response)
        : raw
          ? sent.response
          : new Response(trackActivity(sent), sent.response);
    return fetcher.returned;
  };
  return fetcher;
}

/**
 * The transport result for the response openapi-fetch ended with: the one the transport produced, or,
 * when middleware answered or replaced it, one made from that response (a stream keeps the
 * connection's cancellation, so timeouts and `break` still reach the socket).
 */
export async function resultFor(
  { response, error }: { response: Response; error?: unknown },
  fetcher: TransportFetch,
  stream: boolean,
  signal?: AbortSignal,
): Promise<TransportResult> {
  const { last } = fetcher;
  if (response === fetcher.returned) return last as TransportResult;
  if (stream && response.ok && response.body)
    return {
      kind: "stream",
      response,
      body: response.body,
      cancellation: last?.kind === "stream" ? last.cancellation : new Cancellation(signal),
    };
  // openapi-fetch has already read an error body (into `error`, parsed when it is JSON).
  const text = response.bodyUsed ? (typeof error === "string" ? error : JSON.stringify(error)) : await response.text();
  return { kind: "buffered", response, text };
}

/** Feeds the idle timer from a raw stream that someone else reads, and releases it at the end. */
function trackActivity(sent: Extract<TransportResult, { kind: "stream" }>): ReadableStream<Uint8Array> {
  const { cancellation } = sent;
  return sent.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        cancellation.touch();
        controller.enqueue(chunk);
      },
      flush() {
        cancellation.dispose();
      },
    }),
  );
}
