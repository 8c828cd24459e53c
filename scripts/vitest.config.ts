import { sharedTestConfig } from "@aimlapi-sdk/devkit/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The spec:update suite builds and tests throwaway copies of the repository; its tests set their own timeouts.
    ...sharedTestConfig(20_000, ["./test/global-setup.ts"]),
  },
});
