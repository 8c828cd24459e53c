import { sharedTestConfig } from "@aimlapi-sdk/devkit/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    ...sharedTestConfig(5_000),
  },
});
