/**
 * `codegen --out <dir> [--specs-dir <dir>]`: generate openapi-typescript modules for every pinned
 * spec, refusing a pulled spec that is missing or differs from its pin.
 * `codegen --spec <file> --name <name> --out <dir>` generates from any file (no pin check).
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../atomic-write";
import { runCli } from "../cli-run";
import { generatedFileName, generateTypes } from "../codegen";
import { SpecError } from "../errors";
import { requirePinnedSpec } from "../local-spec";
import { defaultSpecsDir } from "../paths";
import { readSources } from "../sources";
import type { OpenAPIDocument } from "../validate-spec";
import { parseOpenAPI } from "../validate-spec";

runCli("codegen", async () => {
  const { values } = parseArgs({
    options: { out: { type: "string" }, spec: { type: "string" }, name: { type: "string" }, "specs-dir": { type: "string" } },
    strict: true,
  });
  if (!values.out) throw new SpecError("--out <dir> is required");
  const outDir = resolve(values.out);

  const inputs: { name: string; document: OpenAPIDocument }[] = [];
  if (values.spec) {
    const bytes = await readFile(values.spec).catch(() => {
      throw new SpecError(`cannot read ${values.spec}`);
    });
    inputs.push({ name: values.name ?? "gpt-4.1", document: await parseOpenAPI(bytes) });
  } else {
    const specsDir = values["specs-dir"] ?? process.env.SPECS_DIR ?? defaultSpecsDir;
    for (const spec of (await readSources(specsDir)).specs) {
      const bytes = await requirePinnedSpec(specsDir, spec);
      // The pinned bytes were validated when pulled; parsing is all that is left.
      inputs.push({ name: spec.name, document: JSON.parse(bytes.toString("utf8")) as OpenAPIDocument });
    }
  }
  // Generate everything before writing anything, so a failure leaves every old file in place.
  const outputs = await Promise.all(
    inputs.map(async ({ name, document }) => ({
      path: join(outDir, generatedFileName(name)),
      text: await generateTypes(document, name),
    })),
  );
  for (const { path, text } of outputs) {
    const current = await readFile(path, "utf8").catch(() => undefined);
    if (current !== text) await writeFileAtomic(path, text);
  }
});
