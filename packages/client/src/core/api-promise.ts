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
export function toAPIPromise<R, T>(outcome: Promise<R>, unwrap: (outcome: R) => WithResponse<T>): APIPromise<T> {
  let whole: WithResponse<T>;
  const data = outcome.then((value) => {
    whole = unwrap(value);
    return whole.data;
  }) as APIPromise<T>;
  data.withResponse = () => data.then(() => ({ ...whole, request_id: whole.requestId ?? null }));
  data.asResponse = () => data.then(() => whole.response);
  return data;
}
