/**
 * What every spec:update shares: it refuses to run over uncommitted specs or changesets, and it
 * gates new specs in a candidate copy before adopting the copy's generated files and built output.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SpecError } from "../errors";
import { adoptCandidate, createCandidate, removeCandidate } from "./candidate";
import { runGate, stopGateCommands } from "./gate";
import { problemCount, refusal } from "./report";

/**
 * Regenerates, builds and tests the new specs in a candidate copy (`prepare` writes them there); on
 * success brings its generated files and built output back. Returns whether the tests ran; throws a
 * refusal when the gate fails.
 */
export async function gateAndAdopt(
  root: string,
  prepare: (candidate: string) => Promise<void>,
  options: { label: string; skipTests: boolean; log: (line: string) => void },
): Promise<boolean> {
  const copying = performance.now();
  const candidate = await createCandidate(root);
  options.log(`candidate copy made (${((performance.now() - copying) / 1000).toFixed(1)} s)`);
  const logDir = await mkdtemp(join(tmpdir(), "aimlapi-spec-update-"));
  // Ctrl-C or a kill mid-gate: the copy goes, as it does on every other way out.
  const onSignal = (signal: NodeJS.Signals) => {
    stopGateCommands();
    rmSync(candidate, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let refused = false;
  try {
    await prepare(candidate);
    const gate = await runGate(candidate, root, { skipTests: options.skipTests, logDir, log: options.log });
    if (gate.sections.length > 0) {
      refused = true;
      // The report goes beside the suites' own JSON reports, which it points to.
      throw await refusal(
        `refused ${options.label}: ${problemCount(gate.sections)} in the candidate build (nothing was changed)`,
        gate.sections,
        [`candidate copy: ${candidate} (removed)`, `vitest reports: ${logDir}`],
        logDir,
      );
    }
    if (options.skipTests) options.log("tests skipped (--skip-tests): the changeset says so");
    await adoptCandidate(candidate, root);
    return !options.skipTests;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await removeCandidate(candidate);
    if (!refused) await rm(logDir, { recursive: true, force: true });
  }
}

/**
 * Refuses to run over uncommitted work in specs/ (other than the overlays, which a maintainer edits
 * and then runs this to classify) or .changeset/, which a failed update could mix with its own.
 */
export function requireCleanTree(root: string): void {
  let status: string;
  try {
    status = execFileSync("git", ["status", "--porcelain", "--", "specs", ".changeset", ":(exclude)specs/overlays"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    throw new SpecError("spec:update needs a git checkout (it refuses to run over uncommitted changes)");
  }
  const dirty = status
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(3));
  if (dirty.length > 0)
    throw new SpecError(`uncommitted changes in specs/ or .changeset/ (${dirty.join(", ")}): commit or stash them first`);
}
