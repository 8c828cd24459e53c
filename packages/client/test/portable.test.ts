import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");

describe("runs wherever fetch runs", () => {
  test("no source file imports a node: module or touches `process` unguarded", () => {
    for (const file of readdirSync(src).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(join(src, file), "utf8");
      expect(text, file).not.toMatch(/from\s+["']node:|require\(["']node:/);
      expect(text.replace(/globalThis as \{[\s\S]*?\};/g, ""), file).not.toMatch(/(?<!\.)\bprocess\./);
    }
  });

  test("bundles for the browser platform with no Node built-ins", async () => {
    const result = await build({
      stdin: {
        contents: 'import { createClient } from "./index";\nexport const client = createClient({ apiKey: "k" });',
        resolveDir: src,
        loader: "ts",
      },
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]?.text.length).toBeGreaterThan(1_000);
  });
});
