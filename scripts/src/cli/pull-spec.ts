/** `pnpm spec:pull [--from <file|url>] [--name <spec>] [--specs-dir <dir>]`: pull and verify pinned specs. */
import { parseArgs } from "node:util";
import { runCli } from "../cli-run";
import { SpecError } from "../errors";
import { shortHash } from "../hash";
import { defaultSpecsDir } from "../layout";
import { displayPath, pullSpec, resolveSource } from "../pull";
import { readSources, selectSource } from "../sources";

runCli("spec:pull", async () => {
  const { values } = parseCliArgs();
  const specsDir = values["specs-dir"] ?? defaultSpecsDir;
  const sources = await readSources(specsDir);
  // --from names one file, so it needs one spec; otherwise every pinned spec is pulled.
  const selected = values.from || values.name ? [selectSource(sources, values.name)] : sources.specs;
  for (const spec of selected) {
    const source = resolveSource(spec, { from: values.from, mirror: process.env.SPEC_MIRROR || undefined });
    const result = await pullSpec(specsDir, spec, source);
    const verb = result.changed ? "pulled" : "already up to date";
    console.log(`${spec.name}: ${verb} from ${displayPath(source)} (sha256 ${shortHash(result.sha256)}, ${result.bytes} bytes)`);
  }
});

function parseCliArgs() {
  try {
    return parseArgs({
      options: {
        from: { type: "string" },
        name: { type: "string" },
        "specs-dir": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new SpecError(`${(error as Error).message} (usage: spec:pull [--from <file|url>] [--name <spec>])`);
  }
}
