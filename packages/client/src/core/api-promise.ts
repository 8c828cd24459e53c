/** The promise every call returns: the data, with `.withResponse()` for the raw `Response` too. */

/** A result together with the HTTP response it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** Upstream's request id (`x-request-id`), when sent. */
  requestId: string | undefined;
}

/** A promise of the parsed result that can also give the raw `Response` (headers such as rate limits). */
export type APIPromise<T> = Promise<T> & {
  /** Resolves with the parsed result and the `Response`. */
  withResponse(): Promise<WithResponse<T>>;
};

/** Makes an APIPromise from a promise of the result with its response. */
export function toAPIPromise<T>(withResponse: Promise<WithResponse<T>>): APIPromise<T> {
  const data = withResponse.then((r) => r.data) as APIPromise<T>;
  // Either branch may be the one awaited; the other must not report an unhandled rejection.
  data.catch(() => {});
  data.withResponse = () => withResponse;
  return data;
}
