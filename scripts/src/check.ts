import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { generatedFileName, generateTypes } from "./codegen";
import { effectiveDocument } from "./effective";
import { SpecError } from "./errors";
import { shortHash } from "./hash";
import { inspectLocalSpec } from "./local-spec";
import { readOverlay } from "./overlay";
import { prunedSpecText } from "./prune";
import { readSources } from "./sources";

/**
 * Disagreements between the lock, the pulled specs, the overlays and the generated files, one line
 * each: a spec missing or not matching its pin; an overlay action that matches nothing or changes
 * nothing; an overlay edited since spec:update classified it; generated types or the mock server's
 * spec copy missing or not what the effective document generates.
 */
export async function findDrift(root: string): Promise<string[]> {
  const specsDir = join(root, "specs");
  const problems: string[] = [];
  /** Compares a generated file with what the effective document generates. */
  const compare = async (file: string, expected: () => Promise<string> | string, specName: string) => {
    const actual = await readFile(join(root, file), "utf8").catch(() => undefined);
    if (actual === undefined) problems.push(`${file} is missing (run pnpm codegen)`);
    else if (actual !== (await expected()))
      problems.push(`${file} is not what specs/${specName}.json with its overlay generates (run pnpm codegen)`);
  };
  const sources = await readSources(specsDir);
  for (const [index, spec] of sources.specs.entries()) {
    const overlay = await readOverlay(specsDir, spec.name);
    const shown = `specs/overlays/${spec.name}.overlay.yaml`;
    if (overlay?.sha256 !== spec.overlaySha256) {
      problems.push(
        overlay
          ? `${shown} changed since spec:update classified it (sha256 ${shortHash(overlay.sha256)}, the lock records ${spec.overlaySha256 ? shortHash(spec.overlaySha256) : "none"}): run pnpm spec:update --overlay-only to record the change with its changeset`
          : `${shown} is missing but sources.json records one (sha256 ${shortHash(spec.overlaySha256 ?? "")})`,
      );
    }
    const local = await inspectLocalSpec(specsDir, spec);
    if (local.state === "missing") {
      problems.push(`specs/${spec.name}.json is missing (run pnpm spec:pull)`);
      continue;
    }
    if (local.state === "modified") {
      problems.push(`specs/${spec.name}.json has sha256 ${shortHash(local.sha256)}, the lock pins ${shortHash(spec.sha256)}`);
      continue;
    }
    let effective: Awaited<ReturnType<typeof effectiveDocument>>;
    try {
      effective = await effectiveDocument(JSON.parse(local.bytes.toString("utf8")), overlay);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(`specs/${spec.name}.json: ${error.message}`);
      continue;
    }
    for (const useless of effective.outcomes.filter((o) => !o.changed)) {
      problems.push(`overlay ${useless.name} in ${shown} changes nothing in specs/${spec.name}.json: remove it`);
    }
    await compare(
      join("packages", "types", "src", "generated", generatedFileName(spec.name)),
      () => generateTypes(effective.document, spec.name),
      spec.name,
    );
    // The mock server embeds the first (default) spec.
    if (index === 0)
      await compare(
        join("packages", "mock-server", "src", "generated", "spec.json"),
        () => prunedSpecText(effective.document),
        spec.name,
      );
  }
  return problems;
}
