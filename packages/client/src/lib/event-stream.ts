/**
 * An event emitter with a lifecycle, as openai-node's stream and runner helpers have: listeners
 * (`on`, `off`, `once`, `emitted`), `done()`, and `connect`, `error`, `abort` and `end` events.
 * The work starts on the next microtask, so listeners registered right after creation see every
 * event. An error nobody listens for or awaits surfaces as an unhandled rejection, not silently.
 */
import { AIMLAPIError, APIUserAbortError } from "../core/errors";

/** The lifecycle events every stream and runner has. */
export interface BaseEvents {
  /** The request (or the readable stream) is ready to produce events. */
  connect: () => void;
  /** The work failed (for a reason other than an abort). */
  error: (error: AIMLAPIError) => void;
  /** The work was aborted (`abort()`, or the caller's signal). */
  abort: (error: APIUserAbortError) => void;
  /** After success, failure or abort: nothing more will be emitted. */
  end: () => void;
}

// biome-ignore lint/suspicious/noExplicitAny: listener maps are indexed by event name, each with its own signature
type AnyListener = (...args: any[]) => void;

/** The arguments a listener of `E` receives. */
export type EventParameters<Events, E extends keyof Events> = Events[E] extends (...args: infer P) => unknown ? P : never;

/** What `emitted(event)` resolves with: nothing, the one argument, or the arguments as a tuple. */
export type EmittedResult<P extends unknown[]> = P extends [] ? undefined : P extends [infer Only] ? Only : P;

interface Registration {
  listener: AnyListener;
  once: boolean;
}

/** An abortable stream of typed events with a lifecycle. */
export class EventStream<Events extends BaseEvents> {
  /** Aborting it cancels the work (the request in flight, the tool calls running). */
  readonly controller: AbortController = new AbortController();
  readonly #listeners = new Map<keyof Events, Registration[]>();
  #ended = false;
  #errored = false;
  #aborted = false;
  /** Whether someone awaits the outcome (then an error is theirs, not an unhandled rejection). */
  #observed = false;
  readonly #end: Promise<void>;
  #resolveEnd!: () => void;
  #rejectEnd!: (error: unknown) => void;

  constructor() {
    this.#end = new Promise<void>((resolve, reject) => {
      this.#resolveEnd = resolve;
      this.#rejectEnd = reject;
    });
    // Rejections reach whoever awaits `done()`; an unobserved one is reported by `#fail`.
    this.#end.catch(() => {});
  }

  /** Starts the work on the next microtask, after the caller has registered its listeners. */
  protected _run(work: () => Promise<unknown>): void {
    Promise.resolve()
      .then(async () => {
        await work();
        this._emitFinal();
        this.#base._emit("end");
      })
      .catch((error: unknown) => this.#fail(error));
  }

  /** Marks the work as connected (a response or a readable stream is there). */
  protected _connected(): void {
    if (!this.#ended) this.#base._emit("connect");
  }

  /** Ties the work to a caller's signal: aborting it aborts this. */
  protected _listenForAbort(signal: AbortSignal | undefined): void {
    if (!signal) return;
    if (signal.aborted) this.controller.abort(signal.reason);
    else signal.addEventListener("abort", () => this.controller.abort(signal.reason), { once: true });
  }

  /** Whether the work has finished, failed or been aborted. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Whether it failed or was aborted. */
  get errored(): boolean {
    return this.#errored;
  }

  /** Whether it was aborted. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Cancels the work; `done()` then rejects with APIUserAbortError. */
  abort(): void {
    this.controller.abort();
  }

  /** Adds a listener for an event (chainable). */
  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    this.#add(event, listener as AnyListener, false);
    return this;
  }

  /** Removes a listener added with `on` or `once` (one registration of it). */
  off<E extends keyof Events>(event: E, listener: Events[E]): this {
    const registrations = this.#listeners.get(event);
    const at = registrations?.findIndex((r) => r.listener === listener) ?? -1;
    if (registrations && at >= 0) registrations.splice(at, 1);
    return this;
  }

  /** Adds a listener that is removed after its first call (chainable). */
  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    this.#add(event, listener as AnyListener, true);
    return this;
  }

  /**
   * Resolves the next time the event is emitted: with nothing, its one argument, or its arguments
   * as a tuple. Rejects if the work fails first (asking for `error` resolves with the error).
   */
  emitted<E extends keyof Events>(event: E): Promise<EmittedResult<EventParameters<Events, E>>> {
    return new Promise((resolve, reject) => {
      this.#observed = true;
      if (event !== "error") this.once("error", reject as Events["error"]);
      this.once(event, ((...args: unknown[]) => resolve((args.length > 1 ? args : args[0]) as never)) as Events[E]);
    });
  }

  /** Resolves when the work has finished; rejects with its error, or APIUserAbortError when aborted. */
  async done(): Promise<void> {
    this.#observed = true;
    await this.#end;
  }

  #add(event: keyof Events, listener: AnyListener, once: boolean): void {
    const registrations = this.#listeners.get(event);
    if (registrations) registrations.push({ listener, once });
    else this.#listeners.set(event, [{ listener, once }]);
  }

  /** Calls the listeners of an event; nothing is emitted after `end`. */
  protected _emit<E extends keyof Events>(event: E, ...args: EventParameters<Events, E>): void {
    if (this.#ended) return;
    if (event === "end") {
      this.#ended = true;
      this.#resolveEnd();
    }
    const registrations = this.#listeners.get(event);
    if (!registrations) return;
    // Listeners added or removed by a listener take effect from the next emit.
    this.#listeners.set(
      event,
      registrations.filter((r) => !r.once),
    );
    for (const { listener } of registrations) listener(...args);
  }

  /** Emits the events that summarize the work, once it has succeeded (before `end`). */
  protected _emitFinal(): void {}

  /** This stream, typed by the events every stream has (to emit those whatever its own event map). */
  get #base(): EventStream<BaseEvents> {
    return this as unknown as EventStream<BaseEvents>;
  }

  /** Ends the work with an error: `abort` for a cancellation, else `error`; then `end`. */
  #fail(cause: unknown): void {
    if (this.#ended) return;
    this.#errored = true;
    const error =
      cause instanceof AIMLAPIError
        ? cause
        : this.controller.signal.aborted || (cause instanceof Error && cause.name === "AbortError")
          ? new APIUserAbortError("Request was aborted.", { cause })
          : new AIMLAPIError(cause instanceof Error ? cause.message : String(cause), { cause });
    if (error instanceof APIUserAbortError) {
      this.#aborted = true;
      this.#base._emit("abort", error);
    } else {
      const heard = (this.#listeners.get("error")?.length ?? 0) > 0;
      this.#base._emit("error", error);
      // Nobody listens or awaits: let the runtime report it rather than losing it.
      if (!heard && !this.#observed) void Promise.reject(error);
    }
    this.#rejectEnd(error);
    this.#base._emit("end");
  }
}
