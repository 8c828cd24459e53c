/**
 * Fault injection: what should go wrong with a request. Given per request in the `x-mock-fault`
 * header (`status=503; times=2; retry-after=1`) or programmatically with `server.injectFault()`.
 */

/** A fault to apply to a request. */
export interface Fault {
  /** Answer with this HTTP status, in upstream's error shape. */
  status?: number;
  /** Error message in the body (default: a description of the status). */
  message?: string;
  /** Send `statusCode` as a string, as upstream sometimes does. */
  statusCodeAsString?: boolean;
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: string;
  /** `retry-after-ms` header value. */
  retryAfterMs?: number;
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** Wait this long between stream events. */
  chunkDelayMs?: number;
  /** Destroy the connection after this many stream chunks (no `[DONE]`). */
  dropAfterChunks?: number;
  /** Send a non-JSON `data:` line in place of chunk number K (0-based). */
  malformedAtChunk?: number;
  /** Send an error in place of chunk number K (0-based), then end the stream. */
  errorAtChunk?: number;
  /** How the mid-stream error is sent: an `event: error` (default) or a `data: {"error": …}` payload. */
  errorAs?: "event" | "payload";
  /** End a reply with this reason: `length` cuts the content mid-way, `content_filter` withholds it. */
  finishReason?: "length" | "content_filter";
  /** Send content that is not valid JSON (a structured reply with its last character missing). */
  invalidJson?: boolean;
  /** Refuse: no content, a `refusal` message instead. */
  refusal?: boolean;
  /** Call tools with arguments that break their schema. */
  invalidToolArgs?: boolean;
  /** Keep calling tools for this many rounds of the conversation before answering (default 1). */
  toolRounds?: number;
  /** Apply to this many matching requests, then stop (default: every request for a header, 1 for injectFault). */
  times?: number;
}

/** The header that carries a per-request fault. */
export const FAULT_HEADER = "x-mock-fault";

const NUMBER_KEYS: Record<string, keyof Fault> = {
  status: "status",
  "retry-after-ms": "retryAfterMs",
  delay: "delayMs",
  "chunk-delay": "chunkDelayMs",
  "drop-after": "dropAfterChunks",
  "malformed-at": "malformedAtChunk",
  "error-at": "errorAtChunk",
  "tool-rounds": "toolRounds",
  times: "times",
};

/** Keys that switch a behaviour on (`key`, `key=1`, `key=true`). */
const FLAG_KEYS: Record<string, "statusCodeAsString" | "invalidJson" | "refusal" | "invalidToolArgs"> = {
  "status-as-string": "statusCodeAsString",
  "invalid-json": "invalidJson",
  refusal: "refusal",
  "invalid-tool-args": "invalidToolArgs",
};

/** Parses `key=value; key=value` from the fault header; unknown keys or bad numbers are errors. */
export function parseFaultHeader(value: string): Fault {
  const fault: Fault = {};
  for (const part of value.split(";")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf("=");
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    const raw = eq < 0 ? "" : trimmed.slice(eq + 1).trim();
    const numeric = NUMBER_KEYS[key];
    if (numeric) {
      const n = Number(raw);
      if (raw === "" || !Number.isFinite(n) || n < 0) throw new Error(`${FAULT_HEADER}: "${key}" needs a non-negative number`);
      (fault as Record<string, unknown>)[numeric] = n;
    } else if (key === "retry-after") {
      fault.retryAfter = raw;
    } else if (key === "message") {
      fault.message = raw;
    } else if (FLAG_KEYS[key]) {
      fault[FLAG_KEYS[key]] = raw !== "false" && raw !== "0";
    } else if (key === "finish-reason") {
      if (raw !== "length" && raw !== "content_filter")
        throw new Error(`${FAULT_HEADER}: "finish-reason" is "length" or "content_filter"`);
      fault.finishReason = raw;
    } else if (key === "error-as") {
      if (raw !== "event" && raw !== "payload") throw new Error(`${FAULT_HEADER}: "error-as" is "event" or "payload"`);
      fault.errorAs = raw;
    } else {
      throw new Error(`${FAULT_HEADER}: unknown key "${key}"`);
    }
  }
  return fault;
}

/** Decides which fault, if any, applies to each request. */
export class FaultPlan {
  private readonly queue: Fault[] = [];
  private readonly uses = new Map<string, number>();

  /** Queues a fault for the next request(s) (`times`, default 1). */
  inject(fault: Fault): void {
    this.queue.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Forgets queued faults and header counters. */
  clear(): void {
    this.queue.length = 0;
    this.uses.clear();
  }

  /** The fault for this request: the programmatic queue first, then the header (counted per header value). */
  next(header: string | undefined): Fault | undefined {
    const queued = this.queue[0];
    if (queued) {
      queued.times = (queued.times ?? 1) - 1;
      if (queued.times <= 0) this.queue.shift();
      return queued;
    }
    if (!header) return undefined;
    const fault = parseFaultHeader(header);
    if (fault.times === undefined) return fault;
    const used = this.uses.get(header) ?? 0;
    this.uses.set(header, used + 1);
    return used < fault.times ? fault : undefined;
  }
}
