/**
 * `pnpm size`: what a create + stream app downloads first (its entry chunk and the chunks that
 * imports statically, bundled with code splitting) must stay within the budget in
 * packages/client/size-budget.json (set from the measured size with a little headroom).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CREATE_AND_STREAM_APP, measureBundle } from "../bundle-size";
import { repoRoot } from "../repo";
import { runCli, UsageError } from "./run-cli";

runCli("size", async () => {
  const clientDir = join(repoRoot, "packages", "client");
  const budget = JSON.parse(readFileSync(join(clientDir, "size-budget.json"), "utf8")) as { minified: number; gzip: number };
  const size = await measureBundle(CREATE_AND_STREAM_APP, clientDir);
  const line =
    `create+stream app, first load: ${size.minified} B minified (budget ${budget.minified}), ${size.gzip} B gzip (budget ${budget.gzip}); ` +
    `on demand ${size.lazy.gzip} B gzip; in one file ${size.oneFile.gzip} B gzip`;
  if (size.minified > budget.minified || size.gzip > budget.gzip) throw new UsageError(`over budget: ${line}`);
  console.log(`size: ${line}`);
});
