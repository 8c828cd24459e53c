import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "./errors";

/** Why an attempt was cancelled. */
export type CancelCause = "user" | "timeout" | "idle" | "closed";

/**
 * Controllers of attempts whose responses were read in full without an abort, for later attempts.
 * Making an AbortSignal is the largest cost a JSON call adds to `fetch` (Node 20); a signal that
 * never fired can serve again. `fetch` leaves a listener on each signal it was given until the
 * request is garbage-collected, so a controller serves a few attempts only (fewer than the
 * listener count at which runtimes warn of a leak), and it is dropped the moment it aborts.
 */
const spare: AbortController[] = [];
/** How many attempts each spare controller has served (kept beside it: no wrapper object per call). */
const spareUses: number[] = [];
const MAX_USES = 8;
const MAX_SPARE = 64;

/**
 * One AbortController per attempt that combines the caller's signal, the attempt timeout and the
 * stream idle timeout, and remembers which of them fired, so the right error class is raised.
 * (AbortSignal.any would combine the signals but not tell which one fired.)
 */
export class Cancellation {
  readonly #controller: AbortController;
  #uses: number;
  /** The controller went back to the spares: this attempt can no longer abort it. */
  #recycled = false;
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
    const reused = spare.pop();
    this.#controller = reused ?? new AbortController();
    this.#uses = reused ? (spareUses.pop() as number) + 1 : 1;
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

  /**
   * Fails the attempt unless it completes within `ms` (0 disables). This timer may keep the process
   * alive: it runs only while a request is in flight, which does anyway.
   */
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
      this.#timer = unref(setTimeout(() => this.#checkIdle(), ms));
    }
  }

  /** Restarts the silence clock; cheap enough for every read (one timer is re-armed lazily). */
  touch(): void {
    this.#lastActivity = Date.now();
  }

  /** Aborts the attempt for the given cause (the first cause wins). */
  cancel(cause: CancelCause): void {
    if (this.cause || this.#recycled) return;
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

  /**
   * The attempt's response has been read in full and nothing can cancel it any more: stops its
   * timers, and lets a later attempt use its controller.
   */
  recycle(): void {
    this.dispose();
    if (this.cause || this.#recycled || this.#uses >= MAX_USES || spare.length >= MAX_SPARE) return;
    this.#recycled = true;
    spare.push(this.#controller);
    spareUses.push(this.#uses);
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
    else this.#timer = unref(setTimeout(() => this.#checkIdle(), this.#idleMs - quiet));
  }
}

/**
 * A timer that does not keep the process alive by itself (Node, Bun, Deno): the idle timer watches
 * a stream, and a stream nobody reads must not hold a script open for the idle timeout's 60 s.
 */
function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/**
 * Waits `ms`, failing at once with APIUserAbortError if the caller's signal fires meanwhile. (This
 * timer keeps the process alive: nothing else may, between two attempts.)
 */
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
