/**
 * `pnpm test:remote-cache`: a team's CI fleet sharing turbo's cache through a self-hosted
 * turborepo-remote-cache, with signed artifacts. Clean clones of the working tree build against
 * one server: the first uploads signed artifacts; a tampered artifact is restored by a reader
 * that does not check signatures (the control) but rebuilt by one that does, whose tests then
 * pass; and a machine without the key does not read the signed cache at all.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resources } from "@aimlapi-sdk/devkit/processes";
import { artifactFile, REMOTE_CACHE_VERSION, remoteCacheEnv, startRemoteCache } from "@aimlapi-sdk/devkit/remote-cache";
import { repoRoot, sharedModelCacheEnv, withoutTurboEnv } from "@aimlapi-sdk/devkit/repo";
import { runTest } from "./test-main";
import { CLIENT_BUILD, CLIENT_DIST, checkout, describeRun, tamperArtifact, task, turboRun, urlIn } from "./turbo-cache";

const GENERATED = join("packages", "types", "src", "generated");

const resources = new Resources();

async function main(): Promise<void> {
  const started = Date.now();
  const root = resources.tempDir(mkdtempSync(join(tmpdir(), "aimlapi-remote-cache-")));
  const cache = await startRemoteCache({
    storage: join(root, "storage"),
    team: "ci-fleet",
  });
  resources.defer(() => cache.close());
  console.log(`remote cache: turborepo-remote-cache ${REMOTE_CACHE_VERSION} at ${cache.url}, local storage`);
  // The clones share this tree's model-spec shape cache (content-keyed; turbo's caching is what is tested).
  const env = { ...withoutTurboEnv(process.env), ...sharedModelCacheEnv() };
  const key = randomBytes(32).toString("hex");
  const signed = { ...env, ...remoteCacheEnv(cache, key) };

  // Clone A builds from nothing and uploads every task's outputs, signed.
  const a = await checkout(repoRoot, join(root, "a"), env);
  const runA = await turboRun(a, ["build"], signed);
  const unsigned = [...runA.values()].filter((t) => !existsSync(`${artifactFile(cache, t.hash)}.tag`));
  if ([...runA.values()].some((t) => t.status !== "MISS") || unsigned.length > 0)
    throw new Error(`clone A: expected every task built and stored with a tag: ${JSON.stringify([...runA])}`);
  console.log(`clone A: ${describeRun(runA)}; ${runA.size} artifacts stored, each with its signature tag`);

  // Someone with write access to the storage changes one byte of the client's built code.
  const target = task(runA, CLIENT_BUILD);
  await tamperArtifact(artifactFile(cache, target.hash), readFileSync(join(a, CLIENT_DIST)));
  console.log(`tampered: one byte of ${CLIENT_DIST} inside the stored ${CLIENT_BUILD} artifact (its tag kept)`);

  // Control: a reader that does not check signatures takes the tampered artifact as it is.
  const control = await checkout(repoRoot, join(root, "control"), env);
  const turboJson = join(control, "turbo.json");
  const config = JSON.parse(readFileSync(turboJson, "utf8")) as Record<string, unknown>;
  delete config.remoteCache;
  writeFileSync(turboJson, JSON.stringify(config, null, 2));
  const runControl = await turboRun(control, ["build", "--cache=remote:r"], withoutKey(signed));
  if (task(runControl, CLIENT_BUILD).hash !== target.hash || task(runControl, CLIENT_BUILD).source !== "REMOTE")
    throw new Error(`control: expected ${CLIENT_BUILD} restored from the remote cache: ${JSON.stringify([...runControl])}`);
  if (urlIn(join(control, CLIENT_DIST)) !== "poisoned")
    throw new Error("control: the tampered artifact was restored but its change is not in the output");
  console.log("control (signatures off): the tampered artifact is restored as it is");

  // Clone B checks signatures: the tampered task is rebuilt, everything else comes from the cache.
  const b = await checkout(repoRoot, join(root, "b"), env);
  const runB = await turboRun(b, ["build", "--cache=remote:r,local:rw"], signed);
  for (const [id, t] of runB) {
    const expected = id === CLIENT_BUILD ? "MISS" : "HIT";
    if (t.status !== expected || (expected === "HIT" && t.source !== "REMOTE"))
      throw new Error(
        `clone B: expected ${id} ${expected === "HIT" ? "from the remote cache" : "rebuilt"}: ${JSON.stringify(t)}`,
      );
  }
  if (!existsSync(join(b, GENERATED))) throw new Error("clone B: the generated types were not restored");
  if (!readFileSync(join(b, CLIENT_DIST)).equals(readFileSync(join(a, CLIENT_DIST))))
    throw new Error(`clone B: the rebuilt ${CLIENT_DIST} differs from clone A's`);
  console.log(`clone B (signed): ${describeRun(runB)}; generated types restored, the rebuilt client equals clone A's`);
  // The rebuilt and restored outputs are what the examples' tests import.
  const tests = await turboRun(b, ["test", "--filter=@aimlapi-sdk/examples", "--cache=remote:r,local:rw"], signed);
  if (task(tests, "@aimlapi-sdk/examples#test").status !== "MISS") throw new Error("clone B: the examples' tests did not run");
  console.log(`clone B: the examples' tests ran and pass on those outputs (${describeRun(tests)})`);

  // Clone C has the server's address and token but not the key: it reads nothing signed.
  const c = await checkout(repoRoot, join(root, "c"), env);
  const runC = await turboRun(c, ["build", "--cache=remote:r,local:rw"], withoutKey(signed));
  if ([...runC.values()].some((t) => t.status !== "MISS"))
    throw new Error(`clone C: expected nothing read without the key: ${JSON.stringify([...runC])}`);
  console.log(`clone C (no key): ${describeRun(runC)}; a signed cache is not read without the key`);
  console.log(`remote cache test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function withoutKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { TURBO_REMOTE_CACHE_SIGNATURE_KEY: _, ...rest } = env;
  return rest;
}

runTest("test:remote-cache", resources, main);
