/**
 * When to retry and how long to wait: exponential backoff with jitter (0.5 s doubling, capped at
 * 8 s), unless the server says when with `retry-after-ms` or `Retry-After` (seconds or HTTP date).
 */

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A server-given delay above this is not "reasonable": fall back to our own backoff. */
const MAX_SERVER_DELAY_MS = 60_000;

/** Whether a response with this status (and headers) is worth another attempt. */
export function shouldRetryResponse(response: Response): boolean {
  // Lets the server overrule the status-based rule, as OpenAI's API does.
  const hint = response.headers.get("x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  const s = response.status;
  return s === 408 || s === 409 || s === 429 || s >= 500;
}

/** Milliseconds to wait before retry number `retry` (0 for the first retry). */
export function retryDelay(retry: number, headers?: Headers): number {
  const fromServer = headers ? serverDelay(headers) : undefined;
  if (fromServer !== undefined) return fromServer;
  const base = Math.min(INITIAL_DELAY_MS * 2 ** retry, MAX_DELAY_MS);
  // Up to 25 % jitter, downwards, so clients that failed together do not retry together.
  return base * (1 - Math.random() * 0.25);
}

/** The delay the server asked for, if it is given and reasonable. */
export function serverDelay(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null) {
    const value = Number.parseFloat(ms);
    if (reasonable(value)) return value;
  }
  const after = headers.get("retry-after");
  if (after !== null) {
    const trimmed = after.trim();
    const seconds = /^\d+(\.\d+)?$/.test(trimmed) ? Number.parseFloat(trimmed) * 1000 : Number.NaN;
    if (reasonable(seconds)) return seconds;
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date) && Number.isNaN(seconds)) {
      const wait = Math.max(0, date - now);
      if (reasonable(wait)) return wait;
    }
  }
  return undefined;
}

function reasonable(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_SERVER_DELAY_MS;
}
