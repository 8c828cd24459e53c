/** Turns the transport's final response into data, a stream of events, or a thrown APIError: one place for every call. */
import type { Answer } from "./api-promise";
import { APIError, makeAPIError, parseErrorBody } from "./errors";
import { redact } from "./redact";
import { Stream } from "./streaming";
import type { TransportResult } from "./transport";

/**
 * A JSON body parsed as `T`, or (when the caller asked for one) the event stream of `E`; an error
 * status, a non-JSON body, or something other than an event stream where one was asked for, is an
 * APIError. The key never appears in an error, even when a server echoes it back.
 */
export function resultOf<T, E = never>(sent: TransportResult, apiKey: string, wantStream: boolean): Answer<T | Stream<E>> {
  const { response } = sent;
  if (sent.kind === "stream") {
    return { data: Stream.fromSSEResponse<E>(response, sent.body, sent.cancellation), response };
  }
  if (response.ok && !wantStream) {
    try {
      return { data: JSON.parse(sent.text) as T, response };
    } catch (error) {
      const text = redact(sent.text, apiKey);
      throw new APIError(
        response.status,
        text,
        `Invalid JSON in a ${response.status} response: ${text.slice(0, 200)}`,
        response.headers,
        {
          cause: error,
        },
      );
    }
  }
  const text = redact(sent.text, apiKey);
  if (!response.ok) throw makeAPIError(response.status, parseErrorBody(text), response.headers);
  // A stream was asked for. A server that ignores `stream: true`, or a proxy's HTML page: say what came instead of events.
  const type = response.headers.get("content-type") || "no content type";
  throw new APIError(
    response.status,
    parseErrorBody(text),
    `Expected an event stream (text/event-stream) but the server sent ${type}: ${text.slice(0, 200)}`,
    response.headers,
  );
}
