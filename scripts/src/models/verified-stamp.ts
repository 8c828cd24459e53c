/**
 * What the last pull verified in a models folder: each file's size and modification time, under the
 * lock's file list. spec:ensure runs before every build and test; when no file changed since (the
 * same stat, as git's index decides), it need not read and hash 90 MB again. spec:pull, spec:check
 * and the updates still hash every file. A file modified within two seconds of the stamp is not
 * trusted (a write in the same clock tick would keep its stat), so it is hashed again next time.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write";
import { sha256 } from "../hash";
import { repoRoot } from "../layout";
import { type ModelsLock, modelsDir } from "./lock";

interface Stamp {
  /** sha256 of the lock's file list (paths and hashes) the stamp was made under. */
  lock: string;
  /** When it was written (ms since the epoch). */
  at: number;
  /** path → [size, mtimeMs]. */
  files: Record<string, [number, number]>;
}

const RACY_MS = 2000;

function stampPath(specsDir: string): string {
  const key = sha256(modelsDir(specsDir)).slice(0, 16);
  return join(repoRoot, "node_modules", ".cache", "aimlapi-sdk", "verified", `${key}.json`);
}

const lockKey = (lock: ModelsLock) => sha256(JSON.stringify(Object.entries(lock.files).sort()));

/** The stat of each locked file, or undefined when one is missing. */
async function stats(specsDir: string, lock: ModelsLock): Promise<Stamp["files"] | undefined> {
  const dir = modelsDir(specsDir);
  const files: Stamp["files"] = {};
  for (const path of Object.keys(lock.files)) {
    const info = await stat(join(dir, path)).catch(() => undefined);
    if (!info) return undefined;
    files[path] = [info.size, info.mtimeMs];
  }
  return files;
}

/** True when every locked file is as the last verification left it (no need to read and hash them). */
export async function unchangedSinceVerified(specsDir: string, lock: ModelsLock): Promise<boolean> {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(await readFile(stampPath(specsDir), "utf8")) as Stamp;
  } catch {
    return false;
  }
  if (stamp.lock !== lockKey(lock)) return false;
  const now = await stats(specsDir, lock);
  if (!now) return false;
  return Object.entries(now).every(([path, [size, mtime]]) => {
    const was = stamp.files[path];
    return was !== undefined && was[0] === size && was[1] === mtime && mtime < stamp.at - RACY_MS;
  });
}

/** Records that every locked file in the folder has its pinned bytes (the caller just hashed them). */
export async function recordVerified(specsDir: string, lock: ModelsLock): Promise<void> {
  const files = await stats(specsDir, lock);
  if (!files) return;
  const stamp: Stamp = { lock: lockKey(lock), at: Date.now(), files };
  // A cache: a failed write only means the next ensure hashes again.
  await writeFileAtomic(stampPath(specsDir), JSON.stringify(stamp)).catch(() => {});
}
