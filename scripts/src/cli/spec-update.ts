/** `pnpm spec:update [--from <file|url>] [--name <spec>]`: move the pin to a new upstream version, with a changeset. */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "../cli-run";
import { SpecError } from "../errors";
import { repoRoot } from "../paths";
import { updateSpec } from "../update";

runCli("spec:update", async () => {
  let values: { from?: string; name?: string };
  try {
    ({ values } = parseArgs({ options: { from: { type: "string" }, name: { type: "string" } }, strict: true }));
  } catch (error) {
    throw new SpecError(`${(error as Error).message} (usage: spec:update [--from <file|url>] [--name <spec>])`);
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const from = values.from && !/^https?:\/\//i.test(values.from) ? resolve(cwd, values.from) : values.from;
  await updateSpec({
    root: process.env.AIMLAPI_REPO_ROOT ?? repoRoot,
    from,
    mirror: process.env.SPEC_MIRROR || undefined,
    name: values.name,
    log: (line) => console.log(line),
  });
});
