import type { Cancellation } from "./cancellation";
import { APIConnectionError, APIError, makeAPIError, upstreamMessage } from "./errors";
import { createSSEParser, type SSEEvent } from "./sse";

/**
 * A server-sent-events response as an async iterable of parsed `data:` payloads. Ends at
 * `data: [DONE]`; an error event or an `error` payload throws APIError; a connection that ends
 * before `[DONE]` throws APIConnectionError. Iterate it once (or `tee()` it first).
 */
export class Stream<T> implements AsyncIterable<T> {
  /** The HTTP response the stream is read from (status, rate-limit headers …). */
  readonly response: Response;
  readonly #iterate: () => AsyncIterator<T>;
  readonly #onAbort: () => void;
  #consumed = false;
  #controller: AbortController | undefined;

  constructor(iterate: () => AsyncIterator<T>, response: Response, onAbort: () => void) {
    this.#iterate = iterate;
    this.response = response;
    this.#onAbort = onAbort;
  }

  /** Reads an SSE response body; `cancellation` ties the read to timeouts and the caller's signal. */
  static fromSSEResponse<T>(response: Response, body: ReadableStream<Uint8Array>, cancellation: Cancellation): Stream<T> {
    return new Stream<T>(
      () => new EventReader<T>(response, body, cancellation),
      response,
      () => cancellation.cancel("closed"),
    );
  }

  /** Reads a stream written by {@link Stream.toReadableStream} (for example sent on to a browser). */
  static fromReadableStream<T>(readable: ReadableStream<Uint8Array>, response = new Response(null)): Stream<T> {
    const controller = new AbortController();
    return new Stream<T>(
      () => readLines<T>(readable, controller.signal),
      response,
      () => controller.abort(),
    );
  }

  /** Closes the connection; a loop over the stream ends quietly. */
  abort(): void {
    this.#onAbort();
  }

  /** openai-node's handle on the request: aborting it is {@link abort}. */
  get controller(): AbortController {
    if (!this.#controller) {
      this.#controller = new AbortController();
      this.#controller.signal.addEventListener("abort", () => this.abort(), { once: true });
    }
    return this.#controller;
  }

  /** Iterates the parsed events; `break` closes the connection. A stream can be iterated once. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#consumed) throw new Error("This stream has already been iterated; use tee() to read it twice.");
    this.#consumed = true;
    return this.#iterate();
  }

  /**
   * Splits the stream into two that can be read independently (the web stream `tee()` buffers what one
   * has read and the other not yet). The connection closes once both are done or aborted.
   */
  tee(): [Stream<T>, Stream<T>] {
    const [left, right] = this.toReadableStream().tee();
    return [Stream.fromReadableStream<T>(left, this.response), Stream.fromReadableStream<T>(right, this.response)];
  }

  /** Newline-delimited JSON bytes of the items, for passing the stream on (for example to a browser). */
  toReadableStream(): ReadableStream<Uint8Array> {
    return toNDJSON(() => this[Symbol.asyncIterator]());
  }
}

/** Newline-delimited JSON bytes of what an iterator yields (started on the first read, closed on cancel). */
export function toNDJSON<T>(iterate: () => AsyncIterator<T>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<T>;
  return new ReadableStream<Uint8Array>({
    start: () => {
      iterator = iterate();
    },
    pull: async (controller) => {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel: async () => {
      await iterator.return?.();
    },
  });
}

/**
 * Reads SSE events off a response body and hands out parsed payloads. A hand-written iterator
 * rather than an async generator: an event already framed is returned without another stream read
 * or generator round trip, which keeps per-chunk overhead close to a bare parser loop.
 */
class EventReader<T> implements AsyncIterator<T> {
  // Private names: bundlers shorten them, and this is the per-chunk path.
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  readonly #events: SSEEvent[] = [];
  #head = 0;
  readonly #parser = createSSEParser((event) => this.#events.push(event));
  #open = true;
  /** The body reached its end (with or without [DONE]). */
  #ended = false;
  readonly #response: Response;
  readonly #cancellation: Cancellation;

  constructor(response: Response, body: ReadableStream<Uint8Array>, cancellation: Cancellation) {
    this.#response = response;
    this.#cancellation = cancellation;
    this.#reader = body.getReader();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#open && this.#head < this.#events.length) {
      try {
        return Promise.resolve(this.#take());
      } catch (error) {
        return Promise.reject(this.#fail(error));
      }
    }
    return this.#pull();
  }

  return(): Promise<IteratorResult<T>> {
    this.#finish(false);
    return Promise.resolve({ value: undefined, done: true });
  }

  #take(): IteratorResult<T> {
    const event = this.#events[this.#head++] as SSEEvent;
    if (this.#head === this.#events.length) {
      this.#events.length = 0;
      this.#head = 0;
    }
    if (event.data === "[DONE]") {
      this.#finish(true);
      return { value: undefined, done: true };
    }
    return { value: parseEvent<T>(event, this.#response), done: false };
  }

  async #pull(): Promise<IteratorResult<T>> {
    if (!this.#open) return { value: undefined, done: true };
    try {
      while (this.#head >= this.#events.length) {
        if (this.#ended) throw new APIConnectionError("Stream ended before [DONE]: the connection closed early.");
        let read: ReadableStreamReadResult<Uint8Array>;
        // The idle clock runs only while we wait for the server, not while the caller works on a chunk.
        this.#cancellation.waiting = true;
        this.#cancellation.touch();
        try {
          read = await this.#reader.read();
        } catch (error) {
          if (this.#cancellation.cause === "closed") return this.return();
          throw this.#cancellation.error(error);
        } finally {
          this.#cancellation.waiting = false;
        }
        if (read.done) {
          if (this.#cancellation.cause === "closed") return this.return();
          this.#ended = true;
          // An event the body ends in the middle of is dropped (as the SSE spec says): no [DONE], no end.
          this.#parser.feed(this.#decoder.decode());
        } else {
          this.#parser.feed(this.#decoder.decode(read.value, { stream: true }));
        }
      }
      return this.#take();
    } catch (error) {
      throw this.#fail(error);
    }
  }

  #fail(error: unknown): unknown {
    this.#finish(false);
    return error;
  }

  /** Releases the connection once: cleanly after [DONE], else by aborting the request (error, break, abort()). */
  #finish(clean: boolean): void {
    if (!this.#open) return;
    this.#open = false;
    if (!clean) this.#cancellation.cancel("closed");
    this.#cancellation.dispose();
    if (!this.#ended) this.#reader.cancel().catch(() => {});
    try {
      this.#reader.releaseLock();
    } catch {
      // A read still pending (return() during next()): the cancel above settles it.
    }
  }
}

function parseEvent<T>(event: SSEEvent, response: Response): T {
  let payload: unknown;
  try {
    payload = JSON.parse(event.data);
  } catch (error) {
    if (event.event === "error") throw streamError(event.data, response);
    throw new APIError(
      undefined,
      event.data,
      `Could not parse stream event as JSON: ${event.data.slice(0, 200)}`,
      response.headers,
      {
        cause: error,
      },
    );
  }
  if (event.event === "error" || (payload && typeof payload === "object" && "error" in payload && !("choices" in payload))) {
    throw streamError(payload, response);
  }
  return payload as T;
}

/** An error sent inside a stream: a status-specific class when the payload carries a status. */
function streamError(payload: unknown, response: Response): APIError {
  const p = payload as { statusCode?: unknown; status?: unknown; error?: { code?: unknown } } | undefined;
  const status = Number(p?.statusCode ?? p?.status ?? p?.error?.code);
  if (Number.isInteger(status) && status >= 400 && status < 600) return makeAPIError(status, payload, response.headers);
  const detail = upstreamMessage(payload) ?? "the server reported an error";
  return new APIError(undefined, payload, `Stream error: ${detail}`, response.headers);
}

/** The items of newline-delimited JSON bytes (what {@link Stream.toReadableStream} writes). */
async function* readLines<T>(readable: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<T> {
  const reader = readable.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (let done = false; !done && !signal.aborted; ) {
      const read = await reader.read();
      done = read.done;
      buffer += decoder.decode(read.value, { stream: !done });
      const lines = buffer.split("\n");
      // The last piece is a partial line until the end.
      buffer = done ? "" : (lines.pop() as string);
      for (const line of lines) if (line.trim()) yield JSON.parse(line) as T;
    }
  } finally {
    if (signal.aborted) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
