import { defineConfig } from "tsdown";

export default defineConfig({
  // The client, and openai-node's zod helpers as their own entry (`@aimlapi-sdk/client/helpers/zod`).
  entry: { index: "src/index.ts", "helpers/zod": "src/helpers/zod.ts" },
  format: ["esm", "cjs"],
  dts: true,
  platform: "neutral",
  // Runtime dependencies stay imports; consumers install them.
  external: ["openapi-fetch", "@aimlapi-sdk/types", "partial-json", "@standard-schema/spec"],
  target: "es2022",
  clean: true,
  fixedExtension: true,
  // One file per module: a bundler that splits code can then leave the helpers (lib/, loaded with
  // `import()`) out of an app that only creates completions.
  unbundle: true,
});
