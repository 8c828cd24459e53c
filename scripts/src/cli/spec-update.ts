/**
 * `pnpm spec:update [--from <file|url>] [--name <spec>] [--overlay-only]`: move the pin to a new
 * upstream version, or (--overlay-only) record an edit of the spec's overlay, with a changeset whose
 * bump follows the change users see.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "../cli-run";
import { SpecError } from "../errors";
import { repoRoot } from "../layout";
import { updateSpec } from "../update";

runCli("spec:update", async () => {
  const usage = "usage: spec:update [--from <file|url>] [--name <spec>] [--overlay-only]";
  let values: { from?: string; name?: string; "overlay-only"?: boolean };
  try {
    ({ values } = parseArgs({
      options: { from: { type: "string" }, name: { type: "string" }, "overlay-only": { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    throw new SpecError(`${(error as Error).message} (${usage})`);
  }
  if (values.from && values["overlay-only"]) throw new SpecError(`--from and --overlay-only exclude each other (${usage})`);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const from = values.from && !/^https?:\/\//i.test(values.from) ? resolve(cwd, values.from) : values.from;
  await updateSpec({
    root: process.env.AIMLAPI_REPO_ROOT ?? repoRoot,
    from,
    mirror: process.env.SPEC_MIRROR || undefined,
    name: values.name,
    overlayOnly: values["overlay-only"],
    log: (line) => console.log(line),
  });
});
