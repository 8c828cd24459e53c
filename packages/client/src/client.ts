/**
 * `createClient()`: the client's settings, its middleware and its dispatcher, with openapi-fetch's
 * typed verbs and the chat-completions surface on top. Every call goes through the one dispatcher.
 */
import type { Middleware } from "openapi-fetch";
import { Dispatcher } from "./core/dispatch";
import { type FetchClient, OpenAPIClient } from "./core/openapi-client";
import { type ClientOptions, resolveOptions } from "./core/options";
import { type ChatCompletions, chatCompletions } from "./resources/chat-completions";

/**
 * The client: openapi-fetch's typed `GET`/`POST`/… over this API's paths (JSON media, so `data` is a
 * completion) and `chat.completions`, all on one road: the same middleware (`use`/`eject`), auth,
 * retries, timeouts and logging.
 */
export type AIMLClient = FetchClient & {
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
  const config = resolveOptions(options);
  const dispatcher = new Dispatcher(config);
  const openapi = new OpenAPIClient({ baseUrl: config.baseUrl, headers: dispatcher.authHeaders, fetch: dispatcher.fetch });
  dispatcher.useClient(openapi);
  openapi.use(...inherited);
  return {
    ...openapi.verbs(),
    use: (...added) => openapi.use(...added),
    eject: (...removed) => openapi.eject(...removed),
    chat: { completions: chatCompletions(dispatcher, config.apiKey) },
    withOptions: (overrides) =>
      build(
        {
          ...options,
          ...overrides,
          headers: { ...options.headers, ...overrides.headers },
          fetchOptions: { ...options.fetchOptions, ...overrides.fetchOptions },
        },
        openapi.middlewares,
      ),
  };
}
