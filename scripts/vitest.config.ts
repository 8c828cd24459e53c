import { availableParallelism } from "node:os";
import { sharedTestConfig } from "@aimlapi-sdk/devkit/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The spec:update suites build and test throwaway copies of the repository; their tests set their own timeouts.
    ...sharedTestConfig(20_000, ["./test/global-setup.ts"]),
    // At least two files at once, even on two cores (vitest's default there is one): the two
    // spec:update suites spend much of their time waiting on their gates' child processes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
