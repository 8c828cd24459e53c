import { sharedTestConfig } from "@aimlapi-sdk/devkit/vitest-config";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [],
    ...sharedTestConfig(10_000),
    typecheck: {
      enabled: true,
      only: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
