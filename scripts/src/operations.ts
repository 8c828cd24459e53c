/** OpenAPI operations: the methods a Path Item may hold, and how an operation is named in messages. */

/** The HTTP methods of an OpenAPI Path Item, in the order the specification lists them. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** `POST /v1/chat/completions` for a path and a method. */
export function operationName(path: string, method: string): string {
  return `${method.toUpperCase()} ${path}`;
}
