/**
 * `prune-spec [--name <spec>]`: the mock server's codegen step. Writes the effective document
 * (pinned upstream spec + overlay) without documentation, which the server embeds as its default,
 * and the whole effective document beside it, for its tests and for inspection. Refuses a spec that
 * is missing or differs from its pin, and an overlay action that matches nothing.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../atomic-write";
import { answerHelp, runCli } from "../cli-run";
import { pinnedEffective } from "../effective";
import { defaultSpecsDir, layoutIn } from "../layout";
import { pinnedCatalog } from "../models/catalog";
import { mockModelsText } from "../models/mock-table";
import { effectiveText, prunedSpecText } from "../prune";
import { readSources, selectSource } from "../sources";

runCli("prune-spec", async () => {
  answerHelp(`usage: prune-spec [--name <spec>]

The mock server's codegen step: writes the effective document without documentation (embedded by
the server) and the whole effective document beside it. Run by pnpm codegen.`);
  const { values } = parseArgs({ options: { name: { type: "string" } }, strict: true });
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const sources = await readSources(specsDir);
  // The mock server serves one spec: the named one, else the first (default) one.
  const spec = values.name ? selectSource(sources, values.name) : (sources.specs[0] as (typeof sources.specs)[number]);
  const { document } = await pinnedEffective(specsDir, spec);
  const layout = layoutIn(specsDir, spec.name);
  const catalog = await pinnedCatalog(specsDir);
  const outputs: [string, string][] = [
    [layout.mockSpec, prunedSpecText(document)],
    [layout.effective, effectiveText(document)],
  ];
  // Every AIML chat model of the pinned set: the mock validates and answers each by its own spec.
  if (catalog) outputs.push([join(dirname(layout.mockSpec), "models.json"), mockModelsText(catalog)]);
  for (const [out, text] of outputs) {
    if ((await readFile(out, "utf8").catch(() => undefined)) !== text) await writeFileAtomic(out, text);
  }
});
