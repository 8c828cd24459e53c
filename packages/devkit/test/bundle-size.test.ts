import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { measureBundle } from "../src/bundle-size";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "bundle");

describe("measureBundle", () => {
  test("first load counts the entry and what it imports statically; an import() it reaches is on demand", async () => {
    const eager = await measureBundle(`import { shared } from "./shared";\nexport const run = () => shared(3);\n`, fixtures);
    expect(eager.lazy).toEqual({ minified: 0, gzip: 0 });
    // Without lazy chunks, the split build and the one file are the same code.
    expect(eager.minified).toBeGreaterThan(40);
    expect(eager.oneFile.minified).toBe(eager.minified);

    const split = await measureBundle(
      `import { shared } from "./shared";\nexport const run = async (n: number) => shared(n) + (await import("./lazy")).lazy(n);\n`,
      fixtures,
    );
    expect(split.lazy.minified).toBeGreaterThan(0);
    // The lazy module's text is not in the first load; `shared` is, in its own chunk or the entry.
    expect(split.minified).toBeGreaterThanOrEqual(eager.minified);
    expect(split.oneFile.minified).toBeGreaterThan(eager.oneFile.minified);
  });
});
