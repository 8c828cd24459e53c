import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { findModelDrift } from "./check-models";
import { generateTypes } from "./codegen/generate";
import { effectiveDocument } from "./effective";
import { SpecError } from "./errors";
import { shortHash } from "./hash";
import { specLayout } from "./layout";
import { inspectLocalSpec } from "./local-spec";
import { readOverlay } from "./overlay";
import { effectiveText, prunedSpecText } from "./prune";
import { readSources } from "./sources";
import type { OpenAPIDocument } from "./validate-spec";

/**
 * Disagreements between the lock, the pulled specs, the overlays and the generated files, one line
 * each: a spec missing or not matching its pin; an overlay action that matches nothing or changes
 * nothing; an overlay edited since spec:update classified it; generated types or the mock server's
 * spec copy missing or not what the effective document generates.
 */
export async function findDrift(root: string): Promise<string[]> {
  const specsDir = join(root, "specs");
  const problems: string[] = [];
  /** Compares a generated file (repository-relative) with what the effective document generates. */
  const compare = async (file: string, expected: () => Promise<string> | string, pinned: string) => {
    const actual = await readFile(join(root, file), "utf8").catch(() => undefined);
    if (actual === undefined) problems.push(`${file} is missing (run pnpm codegen)`);
    else if (actual !== (await expected()))
      problems.push(`${file} is not what ${pinned} with its overlay generates (run pnpm codegen)`);
  };
  const sources = await readSources(specsDir);
  let flagship: OpenAPIDocument | undefined;
  for (const [index, spec] of sources.specs.entries()) {
    const layout = specLayout(root, spec.name, specsDir);
    const overlay = await readOverlay(specsDir, spec.name);
    const shown = layout.shown.overlay;
    if (overlay?.sha256 !== spec.overlaySha256) {
      problems.push(
        overlay
          ? `${shown} changed since spec:update classified it (sha256 ${shortHash(overlay.sha256)}, the lock records ${spec.overlaySha256 ? shortHash(spec.overlaySha256) : "none"}): run pnpm spec:update --overlay-only to record the change with its changeset`
          : `${shown} is missing but sources.json records one (sha256 ${shortHash(spec.overlaySha256 ?? "")})`,
      );
    }
    const local = await inspectLocalSpec(specsDir, spec);
    if (local.state === "missing") {
      problems.push(`${layout.shown.pinned} is missing (run pnpm spec:pull)`);
      continue;
    }
    if (local.state === "modified") {
      problems.push(`${layout.shown.pinned} has sha256 ${shortHash(local.sha256)}, the lock pins ${shortHash(spec.sha256)}`);
      continue;
    }
    let effective: Awaited<ReturnType<typeof effectiveDocument>>;
    try {
      effective = await effectiveDocument(JSON.parse(local.bytes.toString("utf8")), overlay);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      problems.push(`${layout.shown.pinned}: ${error.message}`);
      continue;
    }
    const { fixed, fixedPairs } = effective.findings;
    for (const useless of fixed) {
      problems.push(`overlay ${useless.name} in ${shown} changes nothing in ${layout.shown.pinned}: remove it`);
    }
    for (const { remove, update } of fixedPairs) {
      problems.push(
        `overlay ${remove.name} and ${update.name} in ${shown} together change nothing in ${layout.shown.pinned}: remove both`,
      );
    }
    const document = effective.document;
    if (index === 0) flagship = document;
    await compare(layout.shown.types, () => generateTypes(document, { source: layout }), layout.shown.pinned);
    // The mock server embeds the first (default) spec, and keeps its whole effective document beside it.
    if (index === 0) {
      await compare(layout.shown.mockSpec, () => prunedSpecText(document), layout.shown.pinned);
      await compare(layout.shown.effective, () => effectiveText(document), layout.shown.pinned);
    }
  }
  problems.push(...(await findModelDrift(root, specsDir, flagship)));
  return problems;
}
