import { openRunRegistry, type Resources } from "@aimlapi-sdk/devkit/processes";
import { UsageError } from "@aimlapi-sdk/devkit/usage-error";

/** A failure that is a plain fact (a missing tool, say): reported as its one-line message, no stack. */
export class PlainFailure extends UsageError {}

/**
 * Runs an end-to-end test's `main`: prints `<name>: 1 passed, 0 failed` (or the failure and
 * `0 passed, 1 failed`), releases everything it started, also on Ctrl-C, and exits accordingly.
 * Every process it starts is recorded; one still alive at the end fails the test.
 */
export function runTest(name: string, resources: Resources, main: () => Promise<void>): void {
  const registry = openRunRegistry();
  const stop = async (code: number) => {
    await resources.release();
    registry.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  let failed = false;
  main()
    .catch((error: unknown) => {
      failed = true;
      const detail = error instanceof UsageError ? error.message : ((error as Error).stack ?? String(error));
      console.error(`${name}: FAILED: ${detail}`);
    })
    .finally(async () => {
      await resources.release();
      const left = registry.close();
      if (left.length > 0) {
        failed = true;
        console.error(`${name}: FAILED: left running (now killed): ${left.map((p) => `${p.name} (pid ${p.pid})`).join(", ")}`);
      }
      console.log(failed ? `${name}: 0 passed, 1 failed` : `${name}: 1 passed, 0 failed`);
      process.exit(failed ? 1 : 0);
    });
}
