/**
 * The client's openapi-fetch instance: the typed verbs (`client.GET`, `client.POST` …) and the
 * road middleware takes. It is created, and openapi-fetch loaded (with `import()`), the first time
 * either is used, so an app that only calls `chat.completions` without middleware does not
 * download it; every openapi-fetch call returns a promise anyway, so loading on first use changes
 * nothing a caller can see.
 */
import type { paths } from "@aimlapi-sdk/types";
import type { Client, ClientOptions, Middleware } from "openapi-fetch";

/** openapi-fetch's client over this API's paths (JSON media, so `data` is a completion). */
export type FetchClient = Client<paths, "application/json">;

/** openapi-fetch's typed verbs, and its `request(method, path, init)`. */
export type TypedVerbs = Pick<
  FetchClient,
  "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" | "request"
>;

const VERBS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/** One client's openapi-fetch instance, made on first use, with the middleware registered so far. */
export class OpenAPIClient {
  /** The registered middleware, in order (openapi-fetch keeps its own copy, but does not expose it). */
  readonly middlewares: Middleware[] = [];
  readonly #options: ClientOptions;
  #client: Promise<FetchClient> | undefined;
  #loaded: FetchClient | undefined;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  /** The openapi-fetch client, loading openapi-fetch the first time. */
  get(): Promise<FetchClient> {
    this.#client ??= import("openapi-fetch").then((module) => {
      // openapi-fetch has only a default export. Our CommonJS build imports it with Node's interop,
      // which may hand over its whole `exports` object as the default; take `.default` from it then.
      type Create = typeof module.default;
      const create =
        typeof module.default === "function" ? module.default : (module.default as unknown as { default: Create }).default;
      const client = create<paths, "application/json">(this.#options);
      client.use(...this.middlewares);
      this.#loaded = client;
      return client;
    });
    return this.#client;
  }

  /** Registers middleware (checked at once, as openapi-fetch checks it). */
  use(...added: Middleware[]): void {
    for (const middleware of added) {
      if (!middleware) continue;
      if (typeof middleware !== "object" || !("onRequest" in middleware || "onResponse" in middleware || "onError" in middleware))
        throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");
      this.middlewares.push(middleware);
      this.#loaded?.use(middleware);
    }
  }

  /** Unregisters middleware. */
  eject(...removed: Middleware[]): void {
    for (const middleware of removed) {
      const at = this.middlewares.indexOf(middleware);
      if (at >= 0) this.middlewares.splice(at, 1);
    }
    this.#loaded?.eject(...removed);
  }

  /** The typed verbs, each going through openapi-fetch (loaded on the first call). */
  verbs(): TypedVerbs {
    const verbs = {
      request: (...args: unknown[]) => this.get().then((client) => (client.request as (...a: unknown[]) => unknown)(...args)),
    } as Record<string, unknown>;
    for (const verb of VERBS)
      verbs[verb] = (...args: unknown[]) => this.get().then((client) => (client[verb] as (...a: unknown[]) => unknown)(...args));
    return verbs as unknown as TypedVerbs;
  }
}
