/** `pnpm check:packages`: publint and `attw --pack` on every published package; fails on any problem. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { publishedPackages } from "../published-packages";
import { repoRoot } from "../repo";
import { runCli, UsageError } from "./run-cli";

runCli("check:packages", async () => {
  const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);
  const failed: string[] = [];
  for (const pkg of publishedPackages()) {
    for (const [tool, args] of [
      ["publint", ["--strict"]],
      ["attw", ["--pack", ".", "--format", "table-flipped"]],
    ] as const) {
      const run = spawnSync(bin(tool), [...args], { cwd: pkg.dir, encoding: "utf8" });
      const ok = run.status === 0;
      console.log(`${ok ? "ok  " : "FAIL"} ${tool.padEnd(8)} ${pkg.name}`);
      if (!ok) {
        console.log(`${run.stdout}${run.stderr}`);
        failed.push(`${tool} ${pkg.name}`);
      }
    }
  }
  if (failed.length > 0) throw new UsageError(`problems found: ${failed.join(", ")}`);
});
