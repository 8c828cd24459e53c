/** `pnpm spec:check`: fail when the lock, the pulled spec and the generated files disagree (for CI). */

import { findDrift } from "../check";
import { answerHelp, runCli } from "../cli-run";
import { SpecError } from "../errors";
import { repoRoot } from "../layout";

runCli("spec:check", async () => {
  answerHelp(`usage: pnpm spec:check

Fails when the lock, the pulled specs, the overlays and the generated files disagree: a spec
missing or not matching its pin, an overlay edited since spec:update classified it, an overlay
action that no longer changes anything (alone or as a remove+update pair), generated files that
are not what the effective document generates. No options.`);
  const problems = await findDrift(process.env.AIMLAPI_REPO_ROOT ?? repoRoot);
  if (problems.length > 0) {
    for (const problem of problems.slice(1)) console.error(`spec:check: ${problem}`);
    throw new SpecError(problems[0] as string);
  }
  console.log("spec:check: lock, pulled spec, overlay and generated files agree");
});
