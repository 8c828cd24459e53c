/** The promise every call returns: the data, with `.withResponse()` for the raw `Response` too. */

/** A result together with the HTTP response it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** Upstream's request id (`x-request-id`), when sent. */
  requestId: string | undefined;
  /** The same, under openai-node's name (null when not sent). */
  request_id?: string | null;
}

/** A promise of the parsed result that can also give the raw `Response` (headers such as rate limits). */
export type APIPromise<T> = Promise<T> & {
  /** Resolves with the parsed result and the `Response`. */
  withResponse(): Promise<WithResponse<T>>;
  /** Resolves with the raw `Response` (its body unread for a stream, already read for JSON). */
  asResponse(): Promise<Response>;
};

/**
 * Makes an APIPromise from a call's outcome: `unwrap` turns it into the result with its response.
 * `withResponse()` and `asResponse()` follow the data promise rather than run beside it (one
 * promise less per call, and a failure nobody awaits is reported once).
 */
export function toAPIPromise<R, T>(outcome: Promise<R>, unwrap: (outcome: R) => Answer<T>): APIPromise<T> {
  let whole: Answer<T>;
  const data = outcome.then((value) => {
    whole = unwrap(value);
    return whole.data;
  }) as APIPromise<T>;
  data.withResponse = () =>
    data.then(() => {
      // Read only when asked for: a header lookup is a measurable part of a call.
      const requestId = whole.response.headers.get("x-request-id") ?? undefined;
      return { data: whole.data, response: whole.response, requestId, request_id: requestId ?? null };
    });
  data.asResponse = () => data.then(() => whole.response);
  return data;
}

/** A call's result and the response it came from. */
export type Answer<T> = Pick<WithResponse<T>, "data" | "response">;
