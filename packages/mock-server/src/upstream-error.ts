/** Upstream's documented error body. */
export interface UpstreamErrorBody {
  message: string;
  path: string;
  requestId: string;
  statusCode: number | string;
  timestamp: string;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Body validation error",
  401: "Unauthorized: missing or invalid API key. Pass it as 'Authorization: Bearer <key>'.",
  403: "Forbidden: you do not have enough credits for this request.",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests: rate limit exceeded, retry later.",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** An error body as upstream sends it. */
export function upstreamError(
  status: number,
  path: string,
  requestId: string,
  message?: string,
  statusCodeAsString = false,
): UpstreamErrorBody {
  return {
    message: message ?? DEFAULT_MESSAGES[status] ?? `Error ${status}`,
    path,
    requestId,
    statusCode: statusCodeAsString ? String(status) : status,
    timestamp: new Date().toISOString(),
  };
}
