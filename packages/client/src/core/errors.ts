/**
 * Error classes. Every failure of a call is an {@link APIError}: a subclass per HTTP status when a
 * response arrived, and {@link APIConnectionError} and friends when none did.
 */

/** Base class of every error this package throws (including configuration errors). */
export class AIMLAPIError extends Error {
  override name = "AIMLAPIError";
}

/** Upstream's documented error body: `statusCode` is sometimes a string. */
export interface UpstreamErrorBody {
  message?: string | string[];
  path?: string;
  requestId?: string;
  statusCode?: number | string;
  timestamp?: string;
  error?: { message?: string; type?: string; code?: string | number } | string;
  [key: string]: unknown;
}

/** A failed call: `status`, `headers` and `body` are set when the server answered. */
export class APIError extends AIMLAPIError {
  override name = "APIError";
  /** HTTP status, or undefined when no response was received. */
  readonly status: number | undefined;
  /** Response headers, when a response was received. */
  readonly headers: Headers | undefined;
  /** Upstream's request id: the body's `requestId`, else the `x-request-id` header. */
  readonly requestId: string | undefined;
  /** The parsed response body (JSON when it parses, else text), when one was received. */
  readonly body: unknown;

  constructor(status: number | undefined, body: unknown, message: string, headers?: Headers, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.requestId = requestIdOf(body, headers);
  }

  /** openai-node's name for {@link requestId}. */
  get requestID(): string | undefined {
    return this.requestId;
  }

  /** The body's `error` object when it has one (openai-node's `error`), else the body. */
  get error(): unknown {
    const inner = (this.body as UpstreamErrorBody | undefined)?.error;
    return inner && typeof inner === "object" ? inner : this.body;
  }

  /** The body's `error.code`, when sent. */
  get code(): string | number | undefined {
    return (this.error as { code?: string | number } | undefined)?.code;
  }

  /** The body's `error.param`, when sent. */
  get param(): string | undefined {
    return (this.error as { param?: string } | undefined)?.param;
  }

  /** The body's `error.type`, when sent. */
  get type(): string | undefined {
    return (this.error as { type?: string } | undefined)?.type;
  }
}

/** 400: the request was invalid (upstream's message names the field). */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
/** 401: the API key is missing or invalid. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
/** 403: not allowed (for the AI/ML API, typically no credits left). */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
/** 404: no such resource. */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
/** 409: conflict. */
export class ConflictError extends APIError {
  override name = "ConflictError";
}
/** 422: the request was well-formed but could not be processed. */
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
}
/** 429: rate or free-tier limit reached. */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
/** 5xx: the server failed. */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/** No response was received: the connection failed, dropped, or a stream ended early. */
export class APIConnectionError extends APIError {
  override name = "APIConnectionError";
  constructor(message = "Connection error.", options?: { cause?: unknown }) {
    super(undefined, undefined, message, undefined, options);
  }
}

/** The request timed out (before headers, before the body completed, or between stream chunks). */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
  constructor(message = "Request timed out.", options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The caller's `AbortSignal` fired. */
export class APIUserAbortError extends APIError {
  override name = "APIUserAbortError";
  constructor(message = "Request was aborted.", options?: { cause?: unknown }) {
    super(undefined, undefined, message, undefined, options);
  }
}

const STATUS_CLASSES: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** Builds the error for a status and body, choosing the subclass by status. */
export function makeAPIError(status: number, body: unknown, headers?: Headers): APIError {
  const Class = STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(status, body, describe(status, body), headers);
}

/** Parses an error body: JSON when it is JSON, the text otherwise, undefined when empty. */
export function parseErrorBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(status: number, body: unknown): string {
  const detail = upstreamMessage(body);
  return detail ? `${status} ${detail}` : `${status} status code (no message in body)`;
}

/** Upstream's human-readable message, from its own shape or OpenAI's `{ error: { message } }`. */
export function upstreamMessage(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim().slice(0, 500) || undefined;
  if (!body || typeof body !== "object") return undefined;
  const b = body as UpstreamErrorBody;
  if (Array.isArray(b.message)) return b.message.join("; ");
  if (typeof b.message === "string" && b.message) return b.message;
  if (typeof b.error === "string") return b.error;
  if (b.error && typeof b.error.message === "string") return b.error.message;
  return undefined;
}

function requestIdOf(body: unknown, headers: Headers | undefined): string | undefined {
  const fromBody = body && typeof body === "object" ? (body as UpstreamErrorBody).requestId : undefined;
  if (typeof fromBody === "string" && fromBody) return fromBody;
  return headers?.get("x-request-id") ?? undefined;
}
