/**
 * `pnpm spec:update`: move the pin to a new upstream version, or (--overlay-only) record an edit of
 * the spec's overlay, gated by a build and the spec-dependent tests, with a changeset whose bump
 * follows the change users see.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { answerHelp, runCli } from "../cli-run";
import { SpecError } from "../errors";
import { repoRoot } from "../layout";
import { givenProvenance } from "../provenance";
import { updateModels } from "../update/update-models";
import { updateSpec } from "../update/update-spec";

const USAGE = `usage: pnpm spec:update [--from <file|url>] [--name <spec>] [--upstream-commit <sha> --upstream-date <YYYY-MM-DD>] [--skip-tests]
       pnpm spec:update --overlay-only [--name <spec>] [--skip-tests]
       pnpm spec:update --models [--from <folder|commit>] [--upstream-commit <sha> --upstream-date <YYYY-MM-DD>] [--skip-tests]

Moves the pin of an upstream spec to a new version (default: upstream's address, or the
SPEC_MIRROR folder), or records an edit of its overlay. Checks that need no build come first and
report every problem at once; then the packages are regenerated, built, type-checked and tested
against the new spec in a temporary copy of the repository. Only a version that passes is adopted,
with its lock, generated files, built output and a changeset; a refusal changes nothing.

options:
  --from <file|url>          the new version (a history file, a download, an older file to go back)
  --name <spec>              the spec to update, when several are pinned
  --upstream-commit <sha>    the api-docs commit that published --from (with --upstream-date);
                             inferred from upstream's address or a file named <name>.<date>.<commit>.json
  --upstream-date <date>     that commit's date, YYYY-MM-DD
  --overlay-only             classify an edit of specs/overlays/<name>.overlay.yaml, fetch nothing
  --models                   the model set (the "models" pin of specs/sources.json) instead: --from
                             is a folder in upstream's layout (<Provider>/<model>.json) or an api-docs
                             commit (read from SPEC_MIRROR's api-docs/<commit>/, else upstream);
                             without --from, record edits of the overlays that shape the set. One
                             changeset, grouped by model
  --skip-tests               adopt after the build alone; the changeset records that tests did not run
  -h, --help                 this text`;

runCli("spec:update", async () => {
  answerHelp(USAGE);
  const usage = "see pnpm spec:update --help";
  let values: {
    from?: string;
    name?: string;
    "overlay-only"?: boolean;
    models?: boolean;
    "skip-tests"?: boolean;
    "upstream-commit"?: string;
    "upstream-date"?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: "string" },
        name: { type: "string" },
        "overlay-only": { type: "boolean" },
        models: { type: "boolean" },
        "skip-tests": { type: "boolean" },
        "upstream-commit": { type: "string" },
        "upstream-date": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new SpecError(`${(error as Error).message} (${usage})`);
  }
  if (values.from && values["overlay-only"]) throw new SpecError(`--from and --overlay-only exclude each other (${usage})`);
  const upstream = givenProvenance(values["upstream-commit"], values["upstream-date"]);
  if (upstream && values["overlay-only"])
    throw new SpecError(`--upstream-commit goes with a new version, not --overlay-only (${usage})`);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  if (values.models) {
    if (values["overlay-only"] || values.name)
      throw new SpecError(`--models goes with --from, not --overlay-only or --name (${usage})`);
    const from = values.from && !/^[0-9a-f]{7,40}$/.test(values.from) ? resolve(cwd, values.from) : values.from;
    await updateModels({
      root: process.env.AIMLAPI_REPO_ROOT ?? repoRoot,
      from,
      mirror: process.env.SPEC_MIRROR || undefined,
      upstream,
      skipTests: values["skip-tests"],
      log: (line) => console.log(line),
    });
    return;
  }
  const from = values.from && !/^https?:\/\//i.test(values.from) ? resolve(cwd, values.from) : values.from;
  await updateSpec({
    root: process.env.AIMLAPI_REPO_ROOT ?? repoRoot,
    from,
    mirror: process.env.SPEC_MIRROR || undefined,
    name: values.name,
    overlayOnly: values["overlay-only"],
    skipTests: values["skip-tests"],
    upstream,
    log: (line) => console.log(line),
  });
});
