import type { Resources } from "./resources";

/** A failure that is a plain fact (a missing tool, say): reported as its one-line message, no stack. */
export class PlainFailure extends Error {}

/**
 * Runs an end-to-end test's `main`: prints `<name>: 1 passed, 0 failed` (or the failure and
 * `0 passed, 1 failed`), releases everything it started, also on Ctrl-C, and exits accordingly.
 */
export function runTest(name: string, resources: Resources, main: () => Promise<void>): void {
  const stop = async (code: number) => {
    await resources.release();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  let failed = false;
  main()
    .catch((error: unknown) => {
      failed = true;
      const detail = error instanceof PlainFailure ? error.message : ((error as Error).stack ?? String(error));
      console.error(`${name}: FAILED: ${detail}`);
    })
    .finally(async () => {
      await resources.release();
      console.log(failed ? `${name}: 0 passed, 1 failed` : `${name}: 1 passed, 0 failed`);
      process.exit(failed ? 1 : 0);
    });
}
