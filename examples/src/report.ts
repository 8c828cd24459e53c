import { APIError } from "@aimlapi-sdk/client";

/** One readable line for any failure: status, upstream's message, request id; never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof APIError) {
    const id = error.requestId ? ` (request id ${error.requestId})` : "";
    return `error: ${error.message}${id}`;
  }
  return `error: ${(error as Error)?.message ?? String(error)}`;
}

/** Runs an example's main, turning any failure into one line on stderr and exit code 1. */
export function runExample(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = process.exitCode || 1;
  });
}
