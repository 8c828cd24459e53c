/**
 * `prune-spec --out <file> [--name <spec>]`: write the effective document (pinned upstream spec +
 * overlay) without documentation, for the mock server's default (a codegen step; refuses a spec that
 * is missing or differs from its pin, and an overlay action that matches nothing).
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../atomic-write";
import { runCli } from "../cli-run";
import { pinnedEffective } from "../effective";
import { SpecError } from "../errors";
import { defaultSpecsDir } from "../paths";
import { prunedSpecText } from "../prune";
import { readSources, selectSource } from "../sources";

runCli("prune-spec", async () => {
  const { values } = parseArgs({ options: { out: { type: "string" }, name: { type: "string" } }, strict: true });
  if (!values.out) throw new SpecError("--out <file> is required");
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const sources = await readSources(specsDir);
  // The mock server serves one spec: the named one, else the first (default) one.
  const spec = values.name ? selectSource(sources, values.name) : (sources.specs[0] as (typeof sources.specs)[number]);
  const text = prunedSpecText((await pinnedEffective(specsDir, spec)).document);
  const out = resolve(values.out);
  if ((await readFile(out, "utf8").catch(() => undefined)) !== text) await writeFileAtomic(out, text);
});
