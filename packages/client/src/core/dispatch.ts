/**
 * The one road to the wire. Every call the client makes — `chat.completions.create` (JSON or stream),
 * `stream`, `parse`, `runTools`, and openapi-fetch's typed `GET`/`POST`/… — reaches the transport
 * (retries, timeouts, logging) through {@link Dispatcher.dispatch}. When middleware is registered
 * with `client.use()`, the call first goes through openapi-fetch's request pipeline, which runs the
 * middleware the way openapi-fetch runs it and hands the (possibly rewritten) Request back here.
 * Middleware therefore sees each logical request once and its final response, after any retries
 * (the debug log shows every attempt). Without middleware, no Request is built at all.
 */
import { Cancellation } from "./cancellation";
import type { FetchClient, OpenAPIClient } from "./openapi-client";
import { checkCount, type RequestOptions, type ResolvedOptions } from "./options";
import { send, type TransportRequest, type TransportResult } from "./transport";

/** One HTTP call of the client, before the client's settings are applied. */
export interface Call {
  method: string;
  /** The API path, e.g. `/v1/chat/completions`. */
  path: string;
  /** The JSON body, serialized once (every attempt resends these bytes). */
  body?: string;
  /** Whether the caller wants a stream; undefined (the typed verbs): the content type decides. */
  stream?: boolean;
  /** The call's own options, over the client's. */
  options?: RequestOptions;
}

/** How a call is sent: everything but what the request itself carries. */
type CallSettings = Omit<TransportRequest, "url" | "method" | "headers" | "body" | "signal">;

/** Sends every call of one client: its settings, its middleware, its transport. */
export class Dispatcher {
  readonly #config: ResolvedOptions;
  /** Headers of every request, merged once: the request path is hot and most calls add none. */
  readonly #json: Record<string, string>;
  readonly #stream: Record<string, string>;
  #openapi: OpenAPIClient | undefined;

  constructor(config: ResolvedOptions) {
    this.#config = config;
    this.#json = { "Content-Type": "application/json", Accept: "application/json", ...this.authHeaders };
    this.#stream = { ...this.#json, Accept: "text/event-stream" };
  }

  /** The client's own headers with its credentials (what openapi-fetch adds to every typed call). */
  get authHeaders(): Record<string, string> {
    return { ...this.#config.headers, Authorization: `Bearer ${this.#config.apiKey}` };
  }

  /** The openapi-fetch client (and its middleware) to route through when there is middleware. */
  useClient(openapi: OpenAPIClient): void {
    this.#openapi = openapi;
  }

  /** Sends a call: through the middleware when there is any, else straight to the transport. */
  dispatch(call: Call): Promise<TransportResult> {
    const openapi = this.#openapi;
    if (openapi && openapi.middlewares.length > 0)
      return openapi.get().then((client) => this.#viaMiddleware(call, this.#settings(call.options ?? {}, call.stream), client));
    const options = call.options;
    const base = call.stream ? this.#stream : this.#json;
    // One object literal of a fixed shape: this is every call's path.
    return send(
      this.#request(
        `${this.#config.baseUrl}${call.path}`,
        call.method,
        // A fresh copy: a custom fetch may change the headers it is given.
        options?.headers ? { ...base, ...options.headers } : { ...base },
        call.body,
        options?.signal,
        options ?? {},
        call.stream,
      ),
    );
  }
  /**
   * openapi-fetch's `fetch` for the typed verbs: the Request it built (and middleware may have
   * rewritten) goes to the transport with the client's settings. A streamed body is handed on with
   * the idle timer fed by its reads.
   */
  readonly fetch = (request: Request): Promise<Response> => this.#fetchWith(this.#settings({}, undefined), false)(request);

  /** How a call is sent: the client's settings with a call's own options over them. */
  #settings(options: RequestOptions, stream: boolean | undefined): CallSettings {
    const { url, method, headers, body, signal, ...settings } = this.#request("", "", {}, undefined, undefined, options, stream);
    return settings;
  }

  /** A request for the transport: the call's parts, and the client's settings with the call's options over them. */
  #request(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: TransportRequest["body"],
    signal: AbortSignal | undefined,
    options: RequestOptions,
    stream: boolean | undefined,
  ): TransportRequest {
    const config = this.#config;
    return {
      url,
      method,
      headers,
      body,
      signal,
      timeout: options.timeout === undefined ? config.timeout : checkCount("timeout", options.timeout, 0),
      idleTimeout: options.idleTimeout === undefined ? config.idleTimeout : checkCount("idleTimeout", options.idleTimeout, 0),
      maxRetries: options.maxRetries === undefined ? config.maxRetries : checkCount("maxRetries", options.maxRetries, 0),
      fetch: config.fetch,
      fetchOptions: options.fetchOptions ? { ...config.fetchOptions, ...options.fetchOptions } : config.fetchOptions,
      stream,
      log: config.log,
    };
  }

  /** A call through openapi-fetch's request pipeline, so that its middleware runs. */
  async #viaMiddleware(call: Call, settings: CallSettings, openapi: FetchClient): Promise<TransportResult> {
    const fetcher = this.#fetchWith(settings, true);
    const { signal, headers } = call.options ?? {};
    const init = {
      body: call.body,
      bodySerializer: (body: unknown) => body as string,
      headers: { "Content-Type": "application/json", Accept: call.stream ? "text/event-stream" : "application/json", ...headers },
      parseAs: "stream" as const,
      signal,
      fetch: fetcher,
    };
    // The path is one the caller chose; openapi-fetch types its verbs per path, which a Call does not know.
    const verb = (
      openapi as unknown as Record<string, (path: string, init: object) => Promise<{ response: Response; error?: unknown }>>
    )[call.method.toUpperCase()] as (path: string, init: object) => Promise<{ response: Response; error?: unknown }>;
    const result = await verb(call.path, init);
    return resultFor(result, fetcher, call.stream === true, signal);
  }

  /**
   * A `fetch` for openapi-fetch that sends through the transport and remembers the result behind
   * each response. With `raw`, a stream's Response is returned as the server sent it, so the caller
   * can read it through its own Stream; otherwise the body is watched for the idle timeout while
   * openapi-fetch's caller reads it.
   */
  #fetchWith(settings: CallSettings, raw: boolean): TransportFetch {
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
}

/** A `fetch` for openapi-fetch that remembers the transport's result behind the last response it returned. */
interface TransportFetch {
  (request: Request): Promise<Response>;
  last?: TransportResult;
  returned?: Response;
}

/**
 * The transport result for the response openapi-fetch ended with: the one the transport produced, or,
 * when middleware answered or replaced it, one made from that response (a stream keeps the
 * connection's cancellation, so timeouts and `break` still reach the socket).
 */
async function resultFor(
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
