/**
 * Run before build/test: pulls each pinned spec that is absent (so a fresh clone builds with one
 * command) and refuses one that differs from its pin. Silent when everything is in place.
 */
import { answerHelp, runCli } from "../cli-run";
import { shortHash } from "../hash";
import { defaultSpecsDir } from "../layout";
import { inspectLocalSpec, modifiedSpecError } from "../local-spec";
import { readModelsLock } from "../models/lock";
import { pullModels } from "../models/pull-models";
import { unchangedSinceVerified } from "../models/verified-stamp";
import { displayPath, pullSpec, resolveSource } from "../pull";
import { readSources } from "../sources";

runCli("spec:ensure", async () => {
  answerHelp(`usage: pnpm spec:ensure

Pulls each pinned spec that is absent (from SPEC_MIRROR when set) and refuses one that differs
from its pin; pulls the model specs of specs/sources.json (models) that are absent or differ
(files whose size and time are unchanged since the last verification are not hashed again). Run
before build and test; silent when everything is in place. No options.`);
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const sources = await readSources(specsDir);
  for (const spec of sources.specs) {
    const local = await inspectLocalSpec(specsDir, spec);
    if (local.state === "modified") throw modifiedSpecError(specsDir, spec, local.sha256);
    if (local.state === "pinned") continue;
    const source = resolveSource(spec, { mirror: process.env.SPEC_MIRROR || undefined });
    const result = await pullSpec(specsDir, spec, source);
    console.log(`${spec.name}: absent, pulled from ${displayPath(source)} (sha256 ${shortHash(result.sha256)})`);
  }
  // Every AIML chat model's spec (the models section of specs/sources.json): the absent or altered files are pulled.
  const lock = await readModelsLock(specsDir);
  // Unchanged since the last pull or ensure verified them (same stat): not read and hashed again.
  if (lock && !(await unchangedSinceVerified(specsDir, lock))) {
    const result = await pullModels(specsDir, lock, { mirror: process.env.SPEC_MIRROR || undefined });
    if (result.fetched > 0)
      console.log(
        `models: ${result.fetched} of ${result.files} specs pulled from ${process.env.SPEC_MIRROR || "upstream"} (api-docs ${lock.commit.slice(0, 8)})`,
      );
  }
});
