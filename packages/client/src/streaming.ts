import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { Cancellation } from "./cancellation";
import { APIConnectionError, APIError, makeAPIError, upstreamMessage } from "./errors";

/**
 * A server-sent-events response as an async iterable of parsed `data:` payloads. Ends at
 * `data: [DONE]`; an error event or an `error` payload throws APIError; a connection that ends
 * before `[DONE]` throws APIConnectionError. Iterate it once (or `tee()` it first).
 */
export class Stream<T> implements AsyncIterable<T> {
  /** The HTTP response the stream is read from (status, rate-limit headers …). */
  readonly response: Response;
  private readonly iterate: () => AsyncIterator<T>;
  private readonly onAbort: () => void;
  private consumed = false;

  constructor(iterate: () => AsyncIterator<T>, response: Response, onAbort: () => void) {
    this.iterate = iterate;
    this.response = response;
    this.onAbort = onAbort;
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
    this.onAbort();
  }

  /** Iterates the parsed events; `break` closes the connection. A stream can be iterated once. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.consumed) throw new Error("This stream has already been iterated; use tee() to read it twice.");
    this.consumed = true;
    return this.iterate();
  }

  /** Splits the stream into two that can be read independently (each buffers what the other has not read). */
  tee(): [Stream<T>, Stream<T>] {
    const queues: [IteratorResult<T>[], IteratorResult<T>[]] = [[], []];
    const source = this[Symbol.asyncIterator]();
    // One read of the source at a time, delivered to both queues, so both branches see the same order.
    let reading: Promise<void> | undefined;
    const pull = () => {
      reading ??= source.next().then((result) => {
        for (const queue of queues) queue.push(result);
        reading = undefined;
      });
      return reading;
    };
    const branch = (queue: IteratorResult<T>[]): Stream<T> =>
      new Stream<T>(
        () => ({
          next: async () => {
            while (queue.length === 0) await pull();
            return queue.shift() as IteratorResult<T>;
          },
        }),
        this.response,
        this.onAbort,
      );
    return [branch(queues[0]), branch(queues[1])];
  }

  /** Newline-delimited JSON bytes of the items, for passing the stream on (for example to a browser). */
  toReadableStream(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let iterator: AsyncIterator<T>;
    return new ReadableStream<Uint8Array>({
      start: () => {
        iterator = this[Symbol.asyncIterator]();
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
}

/**
 * Reads SSE events off a response body and hands out parsed payloads. A hand-written iterator
 * rather than an async generator: an event already framed is returned without another stream read
 * or generator round trip, which keeps per-chunk overhead close to a bare parser loop.
 */
class EventReader<T> implements AsyncIterator<T> {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private readonly events: EventSourceMessage[] = [];
  private head = 0;
  private readonly parser = createParser({ onEvent: (event) => this.events.push(event) });
  private open = true;
  /** The body reached its end (with or without [DONE]). */
  private ended = false;

  constructor(
    private readonly response: Response,
    body: ReadableStream<Uint8Array>,
    private readonly cancellation: Cancellation,
  ) {
    this.reader = body.getReader();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.open && this.head < this.events.length) {
      try {
        return Promise.resolve(this.take());
      } catch (error) {
        return Promise.reject(this.fail(error));
      }
    }
    return this.pull();
  }

  return(): Promise<IteratorResult<T>> {
    this.finish(false);
    return Promise.resolve({ value: undefined, done: true });
  }

  private take(): IteratorResult<T> {
    const event = this.events[this.head++] as EventSourceMessage;
    if (this.head === this.events.length) {
      this.events.length = 0;
      this.head = 0;
    }
    if (event.data === "[DONE]") {
      this.finish(true);
      return { value: undefined, done: true };
    }
    return { value: parseEvent<T>(event, this.response), done: false };
  }

  private async pull(): Promise<IteratorResult<T>> {
    if (!this.open) return { value: undefined, done: true };
    try {
      while (this.head >= this.events.length) {
        if (this.ended) throw new APIConnectionError("Stream ended before [DONE]: the connection closed early.");
        let read: ReadableStreamReadResult<Uint8Array>;
        // The idle clock runs only while we wait for the server, not while the caller works on a chunk.
        this.cancellation.waiting = true;
        this.cancellation.touch();
        try {
          read = await this.reader.read();
        } catch (error) {
          if (this.cancellation.cause === "closed") return this.return();
          throw this.cancellation.error(error);
        } finally {
          this.cancellation.waiting = false;
        }
        if (read.done) {
          if (this.cancellation.cause === "closed") return this.return();
          this.ended = true;
          this.parser.feed(this.decoder.decode());
          // A last event with no blank line after it still counts.
          this.parser.reset({ consume: true });
        } else {
          this.parser.feed(this.decoder.decode(read.value, { stream: true }));
        }
      }
      return this.take();
    } catch (error) {
      throw this.fail(error);
    }
  }

  private fail(error: unknown): unknown {
    this.finish(false);
    return error;
  }

  /** Releases the connection once: cleanly after [DONE], else by aborting the request (error, break, abort()). */
  private finish(clean: boolean): void {
    if (!this.open) return;
    this.open = false;
    if (!clean) this.cancellation.cancel("closed");
    this.cancellation.dispose();
    if (!this.ended) this.reader.cancel().catch(() => {});
    try {
      this.reader.releaseLock();
    } catch {
      // A read still pending (return() during next()): the cancel above settles it.
    }
  }
}

function parseEvent<T>(event: EventSourceMessage, response: Response): T {
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

async function* readLines<T>(readable: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<T> {
  const reader = readable.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as T;
        newline = buffer.indexOf("\n");
      }
      if (done) {
        if (buffer.trim()) yield JSON.parse(buffer) as T;
        return;
      }
    }
  } finally {
    if (signal.aborted) reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
