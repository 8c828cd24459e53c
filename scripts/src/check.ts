import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { generatedFileName, generateTypes } from "./codegen";
import { shortHash } from "./hash";
import { inspectLocalSpec } from "./local-spec";
import { prunedSpecText } from "./prune";
import { readSources } from "./sources";

/**
 * Disagreements between the lock, the pulled specs and the generated files, one line each:
 * a spec missing or not matching its pin, generated types or the mock server's spec copy missing
 * or not what the pulled spec generates.
 */
export async function findDrift(root: string): Promise<string[]> {
  const specsDir = join(root, "specs");
  const problems: string[] = [];
  /** Compares a generated file with what the pulled spec generates. */
  const compare = async (file: string, expected: () => Promise<string> | string, specName: string) => {
    const actual = await readFile(join(root, file), "utf8").catch(() => undefined);
    if (actual === undefined) problems.push(`${file} is missing (run pnpm codegen)`);
    else if (actual !== (await expected()))
      problems.push(`${file} is not what specs/${specName}.json generates (run pnpm codegen)`);
  };
  const sources = await readSources(specsDir);
  for (const [index, spec] of sources.specs.entries()) {
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
    await compare(
      join("packages", "types", "src", "generated", generatedFileName(spec.name)),
      () => generateTypes(document, spec.name),
      spec.name,
    );
    // The mock server embeds the first (default) spec.
    if (index === 0)
      await compare(join("packages", "mock-server", "src", "generated", "spec.json"), () => prunedSpecText(document), spec.name);
  }
  return problems;
}
