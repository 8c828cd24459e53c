/**
 * `pnpm spec:effective [--name gpt-4.1] [--from <file|url>] [--out <file>]`: write the effective
 * document (upstream's spec with specs/overlays/<name>.overlay.yaml applied, validated strictly) as
 * JSON. Without --from it is the pinned spec (pulled first if absent); without --out it goes to
 * standard output.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../atomic-write";
import { answerHelp, runCli } from "../cli-run";
import { effectiveDocument, labelled, pinnedEffective } from "../effective";
import { SpecError } from "../errors";
import { defaultSpecsDir } from "../layout";
import { inspectLocalSpec } from "../local-spec";
import { findModelSpec, modelEffectiveDocument } from "../models/catalog";
import { readModelsLock } from "../models/lock";
import { readOverlay } from "../overlay";
import { effectiveText } from "../prune";
import { displayPath, fetchSpec, forSource, pullSpec, resolveSource } from "../pull";
import { readSources, selectSource } from "../sources";

const USAGE = "usage: spec:effective [--name <spec|model id|spec file>] [--from <file|url>] [--out <file>]";

const HELP = `${USAGE}

Writes the effective document: upstream's spec with specs/overlays/<name>.overlay.yaml applied,
validated strictly. Without --from it is the pinned spec (pulled first if absent); without --out
it goes to standard output.

options:
  --name <spec>       the spec, when several are pinned; or a model id (openai/gpt-4o) or spec file
                      (OpenAI/gpt-4o.json) of the model set: its document with the shared overlays
                      and its own applied
  --from <file|url>   make the effective document of this upstream file instead of the pinned one
  --out <file>        write to this file (atomically) instead of standard output
  -h, --help          this text`;

runCli("spec:effective", async () => {
  answerHelp(HELP);
  let values: { name?: string; from?: string; out?: string };
  try {
    ({ values } = parseArgs({
      options: { name: { type: "string" }, from: { type: "string" }, out: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    throw new SpecError(`${(error as Error).message} (${USAGE})`);
  }
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const sources = await readSources(specsDir);
  // A model of the set (by id or spec file), unless the name is one of sources.json's specs.
  if (values.name && !sources.specs.some((s) => s.name === values.name)) {
    const lock = await readModelsLock(specsDir);
    const path = lock && (await findModelSpec(specsDir, lock, values.name));
    if (!lock || !path)
      throw new SpecError(
        `no spec named "${values.name}" in sources.json, and no model id or spec file of that name in specs/sources.json (models)`,
      );
    if (values.from)
      throw new SpecError("--from makes the effective document of the flagship's spec; a model's comes from its pinned file");
    const text = effectiveText(await modelEffectiveDocument(specsDir, lock, path));
    return emit(text, values.out, `${values.name === path ? path : `${values.name}, from ${path}`}, with the shared overlays`);
  }
  const spec = selectSource(sources, values.name);
  let effective: Awaited<ReturnType<typeof pinnedEffective>>;
  if (values.from) {
    const source = resolveSource(spec, { from: values.from });
    const fetched = await forSource(spec.name, source, () => fetchSpec(source));
    effective = await labelled(
      `${spec.name} from ${displayPath(source)}`,
      effectiveDocument(fetched.document, await readOverlay(specsDir, spec.name)),
    );
  } else {
    // Like build and test: an absent pinned spec is pulled first (SPEC_MIRROR or upstream).
    if ((await inspectLocalSpec(specsDir, spec)).state === "missing") {
      await pullSpec(specsDir, spec, resolveSource(spec, { mirror: process.env.SPEC_MIRROR || undefined }));
    }
    effective = await pinnedEffective(specsDir, spec);
  }
  const applied = effective.outcomes.length;
  await emit(
    effectiveText(effective.document),
    values.out,
    `${spec.name}${applied > 0 ? ` with ${applied} overlay action(s) applied` : ", no overlay"}, valid OpenAPI ${effective.document.openapi}`,
  );
});

/** Writes the document to --out (atomically, saying what it wrote) or to standard output. */
async function emit(text: string, outOption: string | undefined, what: string): Promise<void> {
  if (!outOption || outOption === "-") {
    process.stdout.write(text);
    return;
  }
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), outOption);
  await writeFileAtomic(out, text);
  console.log(`spec:effective: wrote ${displayPath(out)} (${what})`);
}
