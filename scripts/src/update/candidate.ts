/**
 * A candidate: a throwaway copy of the repository where a new spec is regenerated, built and tested,
 * so that a refusal leaves the real tree byte for byte as it was. The copy shares the root
 * node_modules (a symlink) and keeps each package's own node_modules links, dist and generated
 * files, so turbo and vitest run there as they do here.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, rename, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SpecError } from "../errors";

/**
 * Ignored entries that are not copied: the shared root install (linked instead), generated docs and
 * reports. The turbo cache is copied (a few MB): the candidate's turbo reads it for the tasks the spec
 * does not reach, and writes only to its own copy.
 */
const NOT_COPIED = [/^node_modules\/?$/, /^docs\/?$/, /(^|\/)coverage\/?$/, /(^|\/)\.tmp-/];

/** The folders a successful update brings back from the candidate: generated sources and built output. */
const ADOPTED_DIRS = [
  "packages/types/src/generated",
  "packages/mock-server/src/generated",
  "packages/types/dist",
  "packages/client/dist",
  "packages/mock-server/dist",
];

/** Copies the working tree at `root` into a new temporary folder and returns its path. */
export async function createCandidate(root: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aimlapi-spec-candidate-"));
  try {
    const list = (...args: string[]) =>
      execFileSync("git", ["ls-files", "-z", ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 })
        .split("\0")
        .filter(Boolean);
    const tracked = list("--cached", "--others", "--exclude-standard");
    const ignored = list("--others", "--ignored", "--exclude-standard", "--directory").filter(
      (entry) => !NOT_COPIED.some((re) => re.test(entry)),
    );
    for (const entry of [...new Set([...tracked, ...ignored])]) {
      const to = join(dir, entry);
      await mkdir(dirname(to), { recursive: true });
      // verbatimSymlinks: pnpm's relative links must stay relative, so they resolve inside the copy.
      await cp(join(root, entry), to, { recursive: true, verbatimSymlinks: true, force: true }).catch((error) => {
        // A tracked file deleted in the working tree is simply not there.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      });
    }
    await symlink(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    return dir;
  } catch (error) {
    await removeCandidate(dir);
    throw new SpecError(`cannot make a candidate copy of the repository: ${(error as Error).message}`);
  }
}

/**
 * Brings the candidate's generated sources and built output into the real tree. Each folder is
 * copied beside its target first and then swapped in, so a failure half way leaves whole folders.
 */
export async function adoptCandidate(candidate: string, root: string): Promise<void> {
  for (const relativeDir of ADOPTED_DIRS) {
    const from = join(candidate, relativeDir);
    const to = join(root, relativeDir);
    const staged = join(dirname(to), `.tmp-adopt-${process.pid}`);
    await rm(staged, { recursive: true, force: true });
    try {
      await cp(from, staged, { recursive: true, verbatimSymlinks: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    await rm(to, { recursive: true, force: true });
    await rename(staged, to);
  }
}

/** Deletes a candidate copy (never follows its node_modules link). */
export async function removeCandidate(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
