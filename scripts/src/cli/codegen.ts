/**
 * `codegen --out <dir> [--specs-dir <dir>]`: generate openapi-typescript modules from the effective
 * document (upstream + overlay) of every pinned spec, refusing a pulled spec that is missing or
 * differs from its pin, and an overlay action that matches nothing.
 * `codegen --spec <file> --name <name> --out <dir>` generates from any upstream file, with the
 * overlay of that name (no pin check).
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../atomic-write";
import { answerHelp, runCli } from "../cli-run";
import { generateTypes } from "../codegen/generate";
import { effectiveDocument, labelled, pinnedEffective } from "../effective";
import { SpecError } from "../errors";
import { defaultSpecsDir, generatedFileName, layoutIn } from "../layout";
import { pinnedCatalog } from "../models/catalog";
import { MODELS_MODULE_HEADER } from "../models/module-header";
import { generateModelsModule, MODELS_MODULE } from "../models/types-module";
import { readOverlay } from "../overlay";
import { readSources } from "../sources";
import type { OpenAPIDocument } from "../validate-spec";
import { parseOpenAPI } from "../validate-spec";

runCli("codegen", async () => {
  answerHelp(`usage: codegen --out <dir> [--specs-dir <dir>]
       codegen --spec <file> --name <name> --out <dir>

Generates the openapi-typescript module of every pinned spec's effective document into <dir>, or
of one upstream file with the overlay of that name (no pin check). Run by the types package's
codegen task (pnpm codegen).`);
  const { values } = parseArgs({
    options: { out: { type: "string" }, spec: { type: "string" }, name: { type: "string" }, "specs-dir": { type: "string" } },
    strict: true,
  });
  if (!values.out) throw new SpecError("--out <dir> is required");
  const outDir = resolve(values.out);

  const specsDir = values["specs-dir"] ?? process.env.SPECS_DIR ?? defaultSpecsDir;
  const inputs: { name: string; document: OpenAPIDocument }[] = [];
  if (values.spec) {
    const file = values.spec;
    const name = values.name ?? "gpt-4.1";
    const bytes = await readFile(file).catch(() => {
      throw new SpecError(`cannot read ${file}`);
    });
    const upstream = await labelled(file, parseOpenAPI(bytes));
    const { document } = await labelled(file, effectiveDocument(upstream, await readOverlay(specsDir, name)));
    inputs.push({ name, document });
  } else {
    for (const spec of (await readSources(specsDir)).specs) {
      inputs.push({ name: spec.name, document: (await pinnedEffective(specsDir, spec)).document });
    }
  }
  // Generate everything before writing anything, so a failure leaves every old file in place.
  const outputs = await Promise.all(
    inputs.map(async ({ name, document }) => ({
      path: join(outDir, generatedFileName(name)),
      text: await generateTypes(document, { source: layoutIn(specsDir, name) }),
    })),
  );
  // Every AIML chat model of the pinned set (the models section of specs/sources.json), beside the flagship's module.
  const catalog = values.spec ? undefined : await pinnedCatalog(specsDir);
  if (catalog) {
    outputs.push({ path: join(outDir, MODELS_MODULE), text: await generateModelsModule(catalog, MODELS_MODULE_HEADER) });
  }
  for (const { path, text } of outputs) {
    const current = await readFile(path, "utf8").catch(() => undefined);
    if (current !== text) await writeFileAtomic(path, text);
  }
});
