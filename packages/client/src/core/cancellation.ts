import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "./errors";

/** Why an attempt was cancelled. */
export type CancelCause = "user" | "timeout" | "idle" | "closed";

/**
 * One AbortController per attempt that combines the caller's signal, the attempt timeout and the
 * stream idle timeout, and remembers which of them fired, so the right error class is raised.
 * (AbortSignal.any would combine the signals but not tell which one fired.)
 */
export class Cancellation {
  readonly #controller = new AbortController();
  cause: CancelCause | undefined;
  /** Whether a stream is waiting for data; idle time counts only then (a slow consumer is not a silent server). */
  waiting = true;
  // Private names: bundlers shorten them, and this class is on every call's path.
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idleMs = 0;
  #lastActivity = 0;
  #timeoutMs = 0;
  /** Listener on the caller's signal; created only when there is one (the request path is hot). */
  #onUserAbort: (() => void) | undefined;
  readonly #userSignal: AbortSignal | undefined;
  /** Told when a timeout cancels the attempt or stream (set when logging is on). */
  report: ((error: APIError) => void) | undefined;

  constructor(userSignal?: AbortSignal) {
    this.#userSignal = userSignal;
    if (!userSignal) return;
    if (userSignal.aborted) this.cancel("user");
    else {
      this.#onUserAbort = () => this.cancel("user");
      userSignal.addEventListener("abort", this.#onUserAbort);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Fails the attempt unless it completes within `ms` (0 disables). */
  startTimeout(ms: number): void {
    this.#timeoutMs = ms;
    if (ms > 0) this.#timer = setTimeout(() => this.cancel("timeout"), ms);
  }

  /** Headers arrived on a stream: from now on only silence longer than `ms` between chunks fails it. */
  switchToIdle(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#idleMs = ms;
    if (ms > 0) {
      this.#lastActivity = Date.now();
      this.#timer = setTimeout(() => this.#checkIdle(), ms);
    }
  }

  /** Restarts the silence clock; cheap enough for every read (one timer is re-armed lazily). */
  touch(): void {
    this.#lastActivity = Date.now();
  }

  /** Aborts the attempt for the given cause (the first cause wins). */
  cancel(cause: CancelCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.dispose();
    const error = this.error();
    if (cause === "idle") this.report?.(error);
    this.#controller.abort(error);
  }

  /** Stops timers and the caller-signal listener; the attempt is over. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onUserAbort) this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
  }

  /** The error for a failure of this attempt: by cause when it was cancelled, else a connection error. */
  error(cause?: unknown): APIError {
    if (cause instanceof APIError) return cause;
    switch (this.cause) {
      case "user":
        return new APIUserAbortError("Request was aborted.", { cause });
      case "timeout":
        return new APIConnectionTimeoutError(`Request timed out after ${this.#timeoutMs} ms.`, { cause });
      case "idle":
        return new APIConnectionTimeoutError(`Stream timed out: no data for ${this.#idleMs} ms.`, { cause });
      default:
        return new APIConnectionError(`Connection error: ${describeCause(cause)}`, { cause });
    }
  }

  #checkIdle(): void {
    const quiet = this.waiting ? Date.now() - this.#lastActivity : 0;
    if (quiet >= this.#idleMs) this.cancel("idle");
    else this.#timer = setTimeout(() => this.#checkIdle(), this.#idleMs - quiet);
  }
}

/** Waits `ms`, failing at once with APIUserAbortError if the caller's signal fires meanwhile. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function describeCause(cause: unknown): string {
  const err = cause as { message?: string; cause?: { code?: string; message?: string } } | undefined;
  const inner = err?.cause?.code ?? err?.cause?.message;
  const outer = err?.message ?? String(cause);
  return inner ? `${outer} (${inner})` : outer;
}
