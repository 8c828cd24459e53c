/**
 * Run before build/test: pulls each pinned spec that is absent (so a fresh clone builds with one
 * command) and refuses one that differs from its pin. Silent when everything is in place.
 */
import { runCli } from "../cli-run";
import { SpecError } from "../errors";
import { shortHash } from "../hash";
import { inspectLocalSpec, requirePinnedSpec } from "../local-spec";
import { defaultSpecsDir } from "../paths";
import { displayPath, pullSpec, resolveSource } from "../pull";
import { readSources } from "../sources";

runCli("spec:ensure", async () => {
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const sources = await readSources(specsDir);
  for (const spec of sources.specs) {
    const local = await inspectLocalSpec(specsDir, spec);
    if (local.state !== "missing") {
      await requirePinnedSpec(specsDir, spec);
      continue;
    }
    const source = resolveSource(spec, { mirror: process.env.SPEC_MIRROR || undefined });
    try {
      const result = await pullSpec(specsDir, spec, source);
      console.log(`${spec.name}: absent, pulled from ${displayPath(source)} (sha256 ${shortHash(result.sha256)})`);
    } catch (error) {
      if (error instanceof SpecError) throw new SpecError(`${spec.name} from ${displayPath(source)}: ${error.message}`);
      throw error;
    }
  }
});
