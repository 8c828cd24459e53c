import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  platform: "neutral",
  // Runtime dependencies stay imports; consumers install them.
  external: ["openapi-fetch", "@aimlapi-sdk/types", "partial-json", "@standard-schema/spec"],
  target: "es2022",
  clean: true,
  fixedExtension: true,
});
