import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { generatedFileName, generateTypes } from "./codegen";
import { shortHash } from "./hash";
import { inspectLocalSpec } from "./local-spec";
import { pruneSpec } from "./prune";
import { readSources } from "./sources";

/**
 * Disagreements between the lock, the pulled specs and the generated files, one line each:
 * a spec missing or not matching its pin, generated types or the mock server's spec copy missing
 * or not what the pulled spec generates.
 */
export async function findDrift(root: string): Promise<string[]> {
  const specsDir = join(root, "specs");
  const problems: string[] = [];
  const sources = await readSources(specsDir);
  for (const spec of sources.specs) {
    const local = await inspectLocalSpec(specsDir, spec);
    if (local.state === "missing") {
      problems.push(`specs/${spec.name}.json is missing (run pnpm spec:pull)`);
      continue;
    }
    if (local.state === "modified") {
      problems.push(`specs/${spec.name}.json has sha256 ${shortHash(local.sha256)}, the lock pins ${shortHash(spec.sha256)}`);
      continue;
    }
    const document = JSON.parse(local.bytes.toString("utf8"));
    const typesFile = join("packages", "types", "src", "generated", generatedFileName(spec.name));
    const types = await readFile(join(root, typesFile), "utf8").catch(() => undefined);
    if (types === undefined) problems.push(`${typesFile} is missing (run pnpm codegen)`);
    else if (types !== (await generateTypes(document, spec.name)))
      problems.push(`${typesFile} is not what specs/${spec.name}.json generates (run pnpm codegen)`);
  }
  // The mock server embeds the first (default) spec.
  const first = sources.specs[0];
  if (first) {
    const local = await inspectLocalSpec(specsDir, first);
    if (local.state === "pinned") {
      const mockFile = join("packages", "mock-server", "src", "generated", "spec.json");
      const mock = await readFile(join(root, mockFile), "utf8").catch(() => undefined);
      const expected = `${JSON.stringify(pruneSpec(JSON.parse(local.bytes.toString("utf8"))))}\n`;
      if (mock === undefined) problems.push(`${mockFile} is missing (run pnpm codegen)`);
      else if (mock !== expected) problems.push(`${mockFile} is not what specs/${first.name}.json generates (run pnpm codegen)`);
    }
  }
  return problems;
}
