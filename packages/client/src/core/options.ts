import { readEnv } from "./env";
import { AIMLAPIError } from "./errors";
import { createLog, type Log, type Logger, type LogLevel } from "./logger";

/**
 * Extra `fetch` options sent with every attempt, such as undici's `dispatcher` (a proxy agent) in
 * Node, or `keepalive`, `cache`, `priority`. Runtime-specific fields (Bun's `proxy`, Deno's
 * `client` …) are passed through as they are. The call's own method, headers, body and signal win.
 */
export type FetchOptions = Omit<RequestInit, "method" | "headers" | "body" | "signal"> & {
  /** Node: an undici `Dispatcher`, e.g. `new ProxyAgent(url)` from the `undici` package. */
  dispatcher?: unknown;
  [option: string]: unknown;
};

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** API key; defaults to `AIML_API_KEY`, then `AIMLAPI_API_KEY`. Sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** API origin; defaults to `AIML_API_BASE`, then `https://api.aimlapi.com`. A trailing `/v1` or `/` is ignored. */
  baseUrl?: string;
  /** Per-attempt timeout in ms: until the whole JSON body arrived, or until a stream's headers did. Default 600 000. */
  timeout?: number;
  /** Longest silence between two stream chunks, in ms, before the stream fails with a timeout. Default 60 000. */
  idleTimeout?: number;
  /** Retries after the first attempt on connection errors, timeouts, 408, 409, 429 and 5xx. Default 2. */
  maxRetries?: number;
  /** A `fetch` to use instead of the global one (for instrumentation, tests, other runtimes). */
  fetch?: typeof fetch;
  /** Extra `fetch` options for every request (for Node proxies: `{ dispatcher: new ProxyAgent(url) }`). */
  fetchOptions?: FetchOptions;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** What to log: `"off" | "error" | "warn" | "info" | "debug"`; default `AIML_LOG`, else `"warn"`. */
  logLevel?: LogLevel;
  /** Where log lines go (`{ error, warn, info, debug }`); default `console`. */
  logger?: Logger;
}

/** Per-call options, overriding the client's. */
export interface RequestOptions {
  /** Cancels the call; it then fails with `APIUserAbortError`, also during a retry's backoff. */
  signal?: AbortSignal;
  timeout?: number;
  idleTimeout?: number;
  maxRetries?: number;
  /** Headers of this call, over the client's. */
  headers?: Record<string, string>;
  /** Extra `fetch` options of this call, over the client's. */
  fetchOptions?: FetchOptions;
}

/** Client options with every default applied. */
export interface ResolvedOptions {
  apiKey: string;
  baseUrl: string;
  timeout: number;
  idleTimeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  fetchOptions: FetchOptions | undefined;
  headers: Record<string, string>;
  log: Log;
}

/** The public AI/ML API origin. */
export const DEFAULT_BASE_URL = "https://api.aimlapi.com";
export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

/** Applies defaults and environment variables, failing early on a missing key or bad numbers. */
export function resolveOptions(options: ClientOptions = {}): ResolvedOptions {
  const apiKey = options.apiKey ?? readEnv("AIML_API_KEY") ?? readEnv("AIMLAPI_API_KEY");
  if (!apiKey) {
    throw new AIMLAPIError(
      "Missing API key: pass { apiKey } to createClient(), or set the AIML_API_KEY (or AIMLAPI_API_KEY) environment variable.",
    );
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new AIMLAPIError("No fetch implementation: this runtime has no global fetch; pass { fetch } to createClient().");
  }
  const level = options.logLevel ?? readEnv("AIML_LOG");
  return {
    apiKey,
    baseUrl: normalizeBaseUrl(options.baseUrl ?? readEnv("AIML_API_BASE") ?? DEFAULT_BASE_URL),
    timeout: checkCount("timeout", options.timeout, DEFAULT_TIMEOUT_MS),
    idleTimeout: checkCount("idleTimeout", options.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS),
    maxRetries: checkCount("maxRetries", options.maxRetries, DEFAULT_MAX_RETRIES),
    // Called unbound: a `fetch` taken from `window` throws "Illegal invocation" when called as a method.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    fetchOptions: options.fetchOptions,
    headers: { ...options.headers },
    log: createLog(level, options.logger ?? console, apiKey),
  };
}

/** Strips a trailing `/` or `/v1` (other AI/ML SDKs put `/v1` in the base URL; paths here already have it). */
export function normalizeBaseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, "").replace(/\/v1$/, "");
  if (!/^https?:\/\/[^/]/i.test(trimmed)) {
    throw new AIMLAPIError(`Invalid baseUrl ${JSON.stringify(url)}: expected an http(s) URL such as ${DEFAULT_BASE_URL}`);
  }
  return trimmed;
}

/** Validates a non-negative number option, or returns its default. */
export function checkCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new AIMLAPIError(`Invalid ${name}: expected a non-negative number, got ${String(value)}`);
  }
  return value;
}
