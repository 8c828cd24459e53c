import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  paths,
} from "@aimlapi-sdk/types";
import openapiFetch, { type Client, type Middleware } from "openapi-fetch";
import { type APIPromise, toAPIPromise, type WithResponse } from "./api-promise";
import { AIMLAPIError, APIError, makeAPIError, parseErrorBody } from "./errors";
import { HELPERS } from "./helpers/carrier";
import type { JSONSchemaResponseFormat } from "./helpers/format";
import type { ChatCompletionParseStream, ParsedChatCompletion } from "./helpers/parse";
import type { RunToolsOptions, RunToolsParams, ToolRunner } from "./helpers/runner";
import { type ClientOptions, checkCount, type RequestOptions, resolveOptions } from "./options";
import { type CallSettings, resultFor, transportFetch } from "./pipeline";
import { Stream } from "./streaming";
import { send, type TransportResult } from "./transport";

// openapi-fetch has only a default export. Our CommonJS build imports it with Node's interop, which
// hands over its whole `exports` object as the default; take `.default` from it in that case.
const createFetchClient: typeof openapiFetch =
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

/** `client.chat.completions`. */
export interface ChatCompletions {
  /**
   * Creates a completion whose messages carry `parsed`: the output of the schema given with
   * `response_format: jsonSchemaFormat(schema, { name })`, validated by it (null when the model refused).
   */
  parse<T>(
    params: ChatCompletionParseParams<T> & { stream?: false | null },
    options?: RequestOptions,
  ): APIPromise<ParsedChatCompletion<T>>;
  /** Streamed: resolves to snapshots of the object as it is written, then `finalCompletion()`. */
  parse<T>(
    params: ChatCompletionParseParams<T> & { stream: true },
    options?: RequestOptions,
  ): APIPromise<ChatCompletionParseStream<T>>;
  /**
   * Runs the tool loop with tools from `defineTool()`: asks, runs the tools the model calls, sends
   * the results back, until the model answers or `maxRounds` (10) is reached.
   */
  runTools(params: RunToolsParams, options?: RunToolsOptions): ToolRunner;
  /** Creates a chat completion and resolves to it. */
  create(params: ChatCompletionCreateParamsNonStreaming, options?: RequestOptions): APIPromise<ChatCompletion>;
  /** With `stream: true`, resolves (once headers arrive) to a {@link Stream} of chunks. */
  create(params: ChatCompletionCreateParamsStreaming, options?: RequestOptions): APIPromise<Stream<ChatCompletionChunk>>;
  /** When `stream` is only known at run time: a completion or a stream. */
  create(params: ChatCompletionCreateParams, options?: RequestOptions): APIPromise<ChatCompletion | Stream<ChatCompletionChunk>>;
}

/** Parameters of `parse()`: the usual ones, with a `response_format` from `jsonSchemaFormat()`. */
export type ChatCompletionParseParams<T> = Omit<ChatCompletionCreateParams, "response_format"> & {
  response_format: JSONSchemaResponseFormat<T>;
};

/**
 * The client: openapi-fetch's typed `GET`/`POST`/… over this API's paths (JSON media, so `data` is a
 * completion) and `chat.completions.create`, all on one road: the same middleware (`use`/`eject`),
 * auth, retries, timeouts and logging.
 */
export type AIMLClient = Client<paths, "application/json"> & {
  chat: { completions: ChatCompletions };
  /**
   * A new client with this one's options, the given ones over them (headers and fetchOptions are
   * merged), and the middleware registered on this one so far.
   */
  withOptions(options: ClientOptions): AIMLClient;
};

/** Creates a client for the AI/ML API; the key comes from `apiKey`, `AIML_API_KEY` or `AIMLAPI_API_KEY`. */
export function createClient(options: ClientOptions = {}): AIMLClient {
  return build(options, []);
}

/** A client over the given options, starting with the given middleware (`withOptions` passes its own). */
function build(options: ClientOptions, inherited: Middleware[]): AIMLClient {
  const middlewares: Middleware[] = [];
  const config = resolveOptions(options);
  const { apiKey } = config;
  const authHeaders = { ...config.headers, Authorization: `Bearer ${apiKey}` };
  const url = `${config.baseUrl}/v1/chat/completions`;
  // Merged once: the request path is hot, and most calls add no headers of their own.
  const jsonHeaders = { "Content-Type": "application/json", Accept: "application/json", ...authHeaders };
  const streamHeaders = { ...jsonHeaders, Accept: "text/event-stream" };

  /** How a call is sent: the client's settings with a call's own options over them. */
  const settings = (overrides: RequestOptions, stream?: boolean): CallSettings => ({
    timeout: checkCount("timeout", overrides.timeout, config.timeout),
    idleTimeout: checkCount("idleTimeout", overrides.idleTimeout, config.idleTimeout),
    maxRetries: checkCount("maxRetries", overrides.maxRetries, config.maxRetries),
    fetch: config.fetch,
    fetchOptions: overrides.fetchOptions ? { ...config.fetchOptions, ...overrides.fetchOptions } : config.fetchOptions,
    stream,
    log: config.log,
  });

  // openapi-fetch builds every Request and runs the middleware; its one `fetch` is the transport.
  const openapi = createFetchClient<paths, "application/json">({
    baseUrl: config.baseUrl,
    headers: authHeaders,
    fetch: transportFetch(settings({}), false),
  });

  /** `create` with middleware: openapi-fetch builds the Request from the same parts and runs it. */
  async function viaMiddleware(
    params: ChatCompletionCreateParams,
    body: string,
    how: CallSettings,
    requestOptions: RequestOptions,
  ) {
    const fetcher = transportFetch(how, true);
    const { signal } = requestOptions;
    const result = await openapi.POST("/v1/chat/completions", {
      body: params,
      bodySerializer: () => body,
      headers: { Accept: how.stream ? "text/event-stream" : "application/json", ...requestOptions.headers },
      parseAs: "stream",
      signal,
      fetch: fetcher,
    });
    return resultFor(result, fetcher, how.stream === true, signal);
  }

  function create(
    params: ChatCompletionCreateParams,
    requestOptions: RequestOptions = {},
  ): APIPromise<ChatCompletion | Stream<ChatCompletionChunk>> {
    const stream = params.stream === true;
    const body = JSON.stringify(params);
    const how = settings(requestOptions, stream);
    const sent =
      middlewares.length === 0
        ? // No middleware to show a Request to: the same call goes straight to the transport.
          send(
            Object.assign(how, {
              url,
              method: "POST",
              headers: withHeaders(stream ? streamHeaders : jsonHeaders, requestOptions.headers),
              body,
              signal: requestOptions.signal,
            }),
          )
        : viaMiddleware(params, body, how, requestOptions);
    return toAPIPromise(sent.then((result) => unwrap(result, apiKey, stream)));
  }

  const client = openapi as AIMLClient;
  // openapi-fetch keeps the middleware and runs it, but does not expose it: the list here tells
  // `create` whether there is any, and `withOptions` what to carry over.
  const { use, eject } = openapi;
  client.use = (...added) => {
    use(...added);
    for (const m of added) if (m) middlewares.push(m);
  };
  client.eject = (...removed) => {
    eject(...removed);
    for (const m of removed) {
      const at = middlewares.indexOf(m);
      if (at >= 0) middlewares.splice(at, 1);
    }
  };
  client.use(...inherited);
  // The helpers' code travels with the format or tools they made (see helpers/carrier.ts).
  const context = { create: create as ChatCompletions["create"] };
  /** The helpers a format or tool carries, or a clear error when it was not made by one. */
  // biome-ignore lint/suspicious/noExplicitAny: each caller knows which helper it asks for
  const helpersOf = (carrier: unknown, needs: string): any => {
    const helpers = (carrier as { [HELPERS]?: unknown } | undefined)?.[HELPERS];
    if (!helpers) throw new AIMLAPIError(needs);
    return helpers;
  };
  const parse = (params: ChatCompletionCreateParams, requestOptions?: RequestOptions) =>
    helpersOf(params.response_format, "parse() needs response_format: jsonSchemaFormat(schema, { name })").parse(
      context,
      params,
      requestOptions,
    );
  const runTools = (params: { tools?: object[] }, requestOptions?: RunToolsOptions) =>
    helpersOf(
      params.tools?.find((tool) => HELPERS in tool),
      "runTools() needs tools made with defineTool()",
    ).runTools(context, params, requestOptions);
  client.chat = { completions: { create, parse, runTools } as ChatCompletions };
  client.withOptions = (overrides) =>
    build(
      {
        ...options,
        ...overrides,
        headers: { ...options.headers, ...overrides.headers },
        fetchOptions: { ...options.fetchOptions, ...overrides.fetchOptions },
      },
      middlewares,
    );
  return client;
}

/** Turns the final response of a `create` call into data, a stream, or a thrown APIError. */
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
