import { readEnv } from "./env";
import { AIMLAPIError } from "./errors";

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
  /** A `fetch` to use instead of the global one (for proxies, instrumentation, tests). */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** Per-call options, overriding the client's. */
export interface RequestOptions {
  /** Cancels the call; it then fails with `APIUserAbortError`, also during a retry's backoff. */
  signal?: AbortSignal;
  timeout?: number;
  idleTimeout?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
}

/** Client options with every default applied. */
export interface ResolvedOptions {
  apiKey: string;
  baseUrl: string;
  timeout: number;
  idleTimeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  headers: Record<string, string>;
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
  return {
    apiKey,
    baseUrl: normalizeBaseUrl(options.baseUrl ?? readEnv("AIML_API_BASE") ?? DEFAULT_BASE_URL),
    timeout: checkCount("timeout", options.timeout, DEFAULT_TIMEOUT_MS),
    idleTimeout: checkCount("idleTimeout", options.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS),
    maxRetries: checkCount("maxRetries", options.maxRetries, DEFAULT_MAX_RETRIES),
    // Called unbound: a `fetch` taken from `window` throws "Illegal invocation" when called as a method.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers: { ...options.headers },
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
