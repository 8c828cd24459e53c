import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Copies the repository's working tree (tracked and untracked-but-not-ignored files, plus the
 * pulled specs, which are ignored) to `dest`, and commits it there as a fresh git repository.
 * Tests that run the project's own scripts against a throwaway checkout start from this.
 */
export function copyWorkingTree(from: string, dest: string, env: NodeJS.ProcessEnv = process.env): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: from,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && existsSync(join(from, f)));
  const specs = execFileSync("git", ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "specs"], {
    cwd: from,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f.endsWith(".json"));
  for (const file of [...files, ...specs]) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(from, file), join(dest, file));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dest, env, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.name", "aimlapi-sdk test");
  git("config", "user.email", "test@aimlapi-sdk.invalid");
  git("add", "-A");
  git("commit", "-qm", "copy of the working tree");
}
