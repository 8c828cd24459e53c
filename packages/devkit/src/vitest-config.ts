/** The test settings every suite of the repository shares. */
import { scaledTimeout } from "./load";

/** Where the shared global setup is (the process registry and the load measurement). */
export const GLOBAL_SETUP = "@aimlapi-sdk/devkit/vitest-global-setup";

/**
 * The shared part of a suite's `test` config: the global setup that kills and reports any process
 * a test left running, and timeouts that are a safety net for hangs, scaled to the machine's load
 * from what the suite's slowest test takes on an idle machine (tests assert no wall-clock times).
 */
export function sharedTestConfig(slowestIdleMs: number, extraGlobalSetup: string[] = []) {
  return {
    globalSetup: [GLOBAL_SETUP, ...extraGlobalSetup],
    testTimeout: scaledTimeout(Math.max(10_000, slowestIdleMs * 3)),
    hookTimeout: scaledTimeout(Math.max(10_000, slowestIdleMs * 3)),
    teardownTimeout: scaledTimeout(10_000),
  };
}
