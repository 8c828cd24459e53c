import { defineConfig } from "tsdown";

// Built (not published) so that tools which load plain JavaScript, such as vitest's config loader,
// can import it; e2e and bench import the same build.
export default defineConfig({
  entry: ["src/*.ts", "src/cli/*.ts"],
  format: ["esm"],
  dts: true,
  platform: "node",
  target: "node20",
  clean: true,
  fixedExtension: true,
  external: ["esbuild", "turborepo-remote-cache", "verdaccio"],
});
