/** `pnpm models:doc [--check]`: writes MODELS.md from the pinned model set, or checks that it is current. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../atomic-write";
import { answerHelp, runCli } from "../cli-run";
import { SpecError } from "../errors";
import { defaultSpecsDir } from "../layout";
import { pinnedCatalog } from "../models/catalog";
import { readModelsLock } from "../models/lock";
import { modelsDocText } from "../models/models-doc";

runCli("models:doc", async () => {
  answerHelp(`usage: pnpm models:doc [--check]

Writes MODELS.md (every model id, provider, spec file, notable parameters) from the model specs
pinned by specs/sources.json (models). --check: fail if MODELS.md is not what it would write.`);
  const { values } = parseArgs({ options: { check: { type: "boolean" } }, strict: true });
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const lock = await readModelsLock(specsDir);
  const catalog = await pinnedCatalog(specsDir);
  if (!lock || !catalog) throw new SpecError("specs/sources.json (models) pins no model set");
  const path = join(specsDir, "..", "MODELS.md");
  const text = modelsDocText(catalog, lock);
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (values.check) {
    if (current !== text) throw new SpecError("MODELS.md is not current: run pnpm models:doc");
    return;
  }
  if (current !== text) await writeFileAtomic(path, text);
  console.log(`MODELS.md: ${catalog.entries.length} models${current === text ? " (unchanged)" : ""}`);
});
