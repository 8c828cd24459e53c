import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  paths,
} from "@aimlapi-sdk/types";
import openapiFetch, { type Client } from "openapi-fetch";
import { APIError, makeAPIError, parseErrorBody } from "./errors";
import { type ClientOptions, checkCount, type RequestOptions, resolveOptions } from "./options";
import { Stream } from "./streaming";
import { send, type TransportResult } from "./transport";

// openapi-fetch has only a default export. Our CommonJS build imports it with Node's interop, which
// hands over its whole `exports` object as the default; take `.default` from it in that case.
const createFetchClient: typeof openapiFetch =
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

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

/** `client.chat.completions`. */
export interface ChatCompletions {
  /** Creates a chat completion and resolves to it. */
  create(params: ChatCompletionCreateParamsNonStreaming, options?: RequestOptions): APIPromise<ChatCompletion>;
  /** With `stream: true`, resolves (once headers arrive) to a {@link Stream} of chunks. */
  create(params: ChatCompletionCreateParamsStreaming, options?: RequestOptions): APIPromise<Stream<ChatCompletionChunk>>;
  /** When `stream` is only known at run time: a completion or a stream. */
  create(params: ChatCompletionCreateParams, options?: RequestOptions): APIPromise<ChatCompletion | Stream<ChatCompletionChunk>>;
}

/**
 * The client: openapi-fetch's typed `GET`/`POST`/… over this API's paths (JSON media, so `data` is a
 * completion), with auth, retries and timeouts, plus `chat.completions.create`.
 */
export type AIMLClient = Client<paths, "application/json"> & {
  chat: { completions: ChatCompletions };
};

/** Creates a client for the AI/ML API; the key comes from `apiKey`, `AIML_API_KEY` or `AIMLAPI_API_KEY`. */
export function createClient(options: ClientOptions = {}): AIMLClient {
  const config = resolveOptions(options);
  const authHeaders = { ...config.headers, Authorization: `Bearer ${config.apiKey}` };
  const url = `${config.baseUrl}/v1/chat/completions`;
  // Merged once: the request path is hot, and most calls add no headers of their own.
  const jsonHeaders = { "Content-Type": "application/json", Accept: "application/json", ...authHeaders };
  const streamHeaders = { ...jsonHeaders, Accept: "text/event-stream" };

  function create(
    params: ChatCompletionCreateParams,
    options: RequestOptions = {},
  ): APIPromise<ChatCompletion | Stream<ChatCompletionChunk>> {
    const stream = params.stream === true;
    const result = send({
      url,
      method: "POST",
      headers: withHeaders(stream ? streamHeaders : jsonHeaders, options.headers),
      body: JSON.stringify(params),
      stream,
      signal: options.signal,
      timeout: checkCount("timeout", options.timeout, config.timeout),
      idleTimeout: checkCount("idleTimeout", options.idleTimeout, config.idleTimeout),
      maxRetries: checkCount("maxRetries", options.maxRetries, config.maxRetries),
      fetch: config.fetch,
    }).then((sent) => unwrap(sent, config.apiKey, stream));
    return toAPIPromise(result);
  }

  const openapi = createFetchClient<paths, "application/json">({
    baseUrl: config.baseUrl,
    headers: authHeaders,
    // openapi-fetch builds the Request; the transport adds timeouts and retries around sending it.
    fetch: async (request: Request) => {
      const sent = await send({
        url: request.url,
        method: request.method,
        headers: Object.fromEntries(request.headers),
        body: request.body ? await request.arrayBuffer() : undefined,
        signal: request.signal,
        timeout: config.timeout,
        idleTimeout: config.idleTimeout,
        maxRetries: config.maxRetries,
        fetch: config.fetch,
      });
      if (sent.kind === "buffered") return new Response(sent.text || null, sent.response);
      return new Response(trackActivity(sent), sent.response);
    },
  });

  return Object.assign(openapi, { chat: { completions: { create } as ChatCompletions } });
}

/** Turns the transport's final response into data, a stream, or a thrown APIError. */
function unwrap(
  sent: TransportResult,
  apiKey: string,
  wantStream: boolean,
): WithResponse<ChatCompletion | Stream<ChatCompletionChunk>> {
  const { response } = sent;
  const requestId = response.headers.get("x-request-id") ?? undefined;
  if (sent.kind === "stream") {
    return { data: Stream.fromSSEResponse<ChatCompletionChunk>(response, sent.body, sent.cancellation), response, requestId };
  }
  if (!response.ok) throw makeAPIError(response.status, parseErrorBody(redact(sent.text, apiKey)), response.headers);
  if (wantStream) {
    // A server that ignores `stream: true` must not hand a completion to code that iterates a stream.
    const type = response.headers.get("content-type") ?? "no content type";
    throw new APIError(
      response.status,
      parseErrorBody(redact(sent.text, apiKey)),
      `Expected an event stream but the server sent ${type}.`,
      response.headers,
    );
  }
  try {
    return { data: JSON.parse(sent.text) as ChatCompletion, response, requestId };
  } catch (error) {
    throw new APIError(
      response.status,
      redact(sent.text, apiKey),
      `Invalid JSON in a ${response.status} response: ${sent.text.slice(0, 200)}`,
      response.headers,
      { cause: error },
    );
  }
}

/** A fresh copy of the base headers (a custom fetch may mutate it), with a call's own headers on top. */
function withHeaders(base: Record<string, string>, extra: Record<string, string> | undefined): Record<string, string> {
  return extra ? { ...base, ...extra } : { ...base };
}

/** Keeps the key out of errors even if a server echoes it back. */
function redact(text: string, apiKey: string): string {
  return text.includes(apiKey) ? text.split(apiKey).join("[redacted]") : text;
}

function toAPIPromise<T>(withResponse: Promise<WithResponse<T>>): APIPromise<T> {
  const data = withResponse.then((r) => r.data) as APIPromise<T>;
  // Either branch may be the one awaited; the other must not report an unhandled rejection.
  data.catch(() => {});
  data.withResponse = () => withResponse;
  return data;
}

/** For openapi-fetch's raw stream (`parseAs: "stream"`): feed the idle timer and release it at the end. */
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
