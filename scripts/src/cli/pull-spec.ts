/** `pnpm spec:pull [--from <file|url>] [--name <spec>] [--specs-dir <dir>]`: pull and verify pinned specs. */
import { parseArgs } from "node:util";
import { answerHelp, runCli } from "../cli-run";
import { SpecError } from "../errors";
import { shortHash } from "../hash";
import { defaultSpecsDir } from "../layout";
import { type ModelsLock, readModelsLock } from "../models/lock";
import { type PullModelsResult, pullModels } from "../models/pull-models";
import { displayPath, pullSpec, resolveSource } from "../pull";
import { readSources, selectSource } from "../sources";

const USAGE = `usage: pnpm spec:pull [--from <file|url>] [--name <spec>] [--specs-dir <dir>]

Fetches each spec pinned in specs/sources.json (default: its upstream address; SPEC_MIRROR=<dir>
reads <dir>/<name>.json instead), checks it is OpenAPI 3.x whose effective document is valid and
whose sha256 is the pinned one, and writes it atomically to specs/<name>.json.
Then (without --from or --name) every model spec its "models" section pins: from
raw.githubusercontent.com at the pinned api-docs commit (SPEC_MIRROR=<dir>: from
<dir>/api-docs/<commit>/<path>), 8 at a time with retries, each hash-checked and validated; the
set is written to specs/models/ at once, or not at all.

options:
  --from <file|url>   read this file or address instead (it must still match the pin)
  --name <spec>       pull only this spec (needed with --from when several are pinned)
  --specs-dir <dir>   the folder holding sources.json (default: specs/)
  -h, --help          this text`;

runCli("spec:pull", async () => {
  answerHelp(USAGE);
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
  const lock = values.from || values.name ? undefined : await readModelsLock(specsDir);
  if (lock)
    for (const line of pullReport(
      lock,
      await pullModels(specsDir, lock, { mirror: process.env.SPEC_MIRROR || undefined, validateAll: true }),
    ))
      console.log(line);
});

/** What the model pull did, what the selection rule skipped and how duplicate ids were resolved. */
function pullReport(lock: ModelsLock, result: PullModelsResult): string[] {
  const reasons = new Map<string, number>();
  for (const why of Object.values(lock.skipped)) reasons.set(why, (reasons.get(why) ?? 0) + 1);
  return [
    `models: ${result.files} specs (${result.ids} model ids, ${(result.bytes / 1e6).toFixed(1)} MB) at api-docs ${lock.commit.slice(0, 8)}: ${result.fetched} pulled, ${result.files - result.fetched} already in place; all valid`,
    `models: skipped ${Object.keys(lock.skipped).length} file(s) of ${lock.folder}: ${[...reasons].map(([why, n]) => `${n} ${why}`).join("; ")}`,
    ...(result.duplicates ?? []).map((d) => `models: ${d.id} is in ${1 + d.others.length} files: using ${d.chosen} (${d.rule})`),
  ];
}

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
    throw new SpecError(`${(error as Error).message} (see pnpm spec:pull --help)`);
  }
}
