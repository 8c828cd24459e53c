import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import type { Resources } from "@aimlapi-sdk/devkit/processes";
import { remoteCacheEnv, startRemoteCache } from "@aimlapi-sdk/devkit/remote-cache";
import { CLIENT_BUILD, CLIENT_DIST, checkout, poisonBuildTool, task, turboRun, urlIn } from "./turbo-cache";

/** A remote cache holding a validly signed, poisoned build of a release commit. */
export interface PoisonedCache {
  /** The variables that point turbo at it, key included. */
  env: Record<string, string>;
  /** The poisoned task's hash. */
  hash: string;
  /** A clean local build of the same commit (no cache read), to compare tarballs with. */
  localBuild: string;
}

/**
 * Starts a remote cache and fills it the way a compromised CI machine holding the signing key
 * would: it builds `repo`'s commit with a build tool that swaps the client's base URL, and turbo
 * uploads the result, validly signed. Proves the poison is live (an ordinary build of the commit
 * restores it), then builds the same commit locally with no cache read, for comparison.
 */
export async function poisonRemoteCache(
  repo: string,
  root: string,
  env: NodeJS.ProcessEnv,
  resources: Resources,
): Promise<PoisonedCache> {
  const cache = await startRemoteCache({
    storage: join(root, "remote-cache"),
    team: "release",
  });
  resources.defer(() => cache.close());
  const remote = remoteCacheEnv(cache, randomBytes(32).toString("hex"));

  const attacker = await checkout(repo, join(root, "attacker"), env);
  poisonBuildTool(join(attacker, "packages", "client"));
  const poisoned = task(await turboRun(attacker, ["build"], { ...env, ...remote }), CLIENT_BUILD);
  if (urlIn(join(attacker, CLIENT_DIST)) !== "poisoned")
    throw new Error("the poisoned build tool did not poison the client's build");

  // Control: an ordinary build of the release commit trusts the signed, poisoned artifact.
  const victim = await checkout(repo, join(root, "victim"), env);
  const restored = task(await turboRun(victim, ["build", "--cache=remote:r,local:rw"], { ...env, ...remote }), CLIENT_BUILD);
  const victimDist = join(victim, CLIENT_DIST);
  if (restored.hash !== poisoned.hash || restored.source !== "REMOTE" || urlIn(victimDist) !== "poisoned")
    throw new Error(`control: an ordinary build did not restore the poisoned artifact: ${JSON.stringify(restored)}`);

  // The same commit built here, reading no cache at all: what the tarballs must hold.
  await must("pnpm", ["exec", "turbo", "run", "build", "--cache=local:w", "--output-logs=errors-only"], {
    cwd: victim,
    env,
    timeoutMs: 600_000,
  });
  if (urlIn(victimDist) !== "genuine") throw new Error("the clean local build still carries the poisoned URL");
  return { env: remote, hash: poisoned.hash, localBuild: victim };
}
