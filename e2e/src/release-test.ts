/**
 * `pnpm test:release`: publish with the project's own scripts to a local verdaccio, then install
 * and use the packages from fresh consumer projects (Node ESM, CJS, TypeScript node16 and bundler,
 * a browser, Bun, Deno, workerd). Stops everything it started and removes its folders, also when
 * it fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import { Resources } from "@aimlapi-sdk/devkit/processes";
import { publishedVersions, type Registry, startRegistry } from "@aimlapi-sdk/devkit/registry";
import { repoRoot, sharedModelCacheEnv, withoutTurboEnv } from "@aimlapi-sdk/devkit/repo";
import { copyWorkingTree } from "@aimlapi-sdk/devkit/repo-copy";
import { checkHelpers, runHelpersConsumer } from "./helpers-consumer";
import { checkModels, runModelsConsumer } from "./models-consumer";
import { poisonRemoteCache } from "./poisoned-cache";
import { checkScenario, installFromRegistry } from "./runtime-consumer";
import { RUNTIME_CONSUMERS } from "./runtimes";
import { inspectTarball } from "./tarballs";
import { runTest } from "./test-main";
import { CLIENT_BUILD } from "./turbo-cache";

const PACKAGES = ["@aimlapi-sdk/types", "@aimlapi-sdk/client", "@aimlapi-sdk/mock-server"];

const resources = new Resources();

async function main(): Promise<void> {
  // What each consumer proves must be what the README claims, and every runtime must start here:
  // both fail the test in one line, before anything is published.
  // Markdown wraps lines anywhere: claims are matched with runs of whitespace as one space.
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8").replace(/\s+/g, " ");
  for (const consumer of RUNTIME_CONSUMERS) {
    if (!readme.includes(consumer.readmeClaim))
      throw new Error(`README.md does not state what the ${consumer.name} consumer proves: "${consumer.readmeClaim}" is missing`);
  }
  const reports = await Promise.all(RUNTIME_CONSUMERS.map(async (c) => (c.check ? `${c.name} (${await c.check()})` : "")));
  console.log(`runtimes: ${reports.filter(Boolean).join(", ")}`);

  const root = resources.tempDir(mkdtempSync(join(tmpdir(), "aimlapi-release-")));
  const registryDir = join(root, "registry");
  mkdirSync(registryDir);
  const registry = await startRegistry(registryDir, resources);
  console.log(`registry: verdaccio at ${registry.url} (storage in a temp folder)`);

  // A throwaway copy of the repository, publishing through its own scripts.
  const repo = join(root, "repo");
  mkdirSync(repo);
  const env = releaseEnv(registry);
  copyWorkingTree(repoRoot, repo, env);
  await must("pnpm", ["install", "--offline", "--frozen-lockfile"], { cwd: repo, env });
  const host = registry.url.replace(/^http:/, "");
  writeFileSync(join(repo, ".npmrc"), `${readNpmrc(repo)}registry=${registry.url}/\n${host}/:_authToken=${registry.token}\n`);
  writeFileSync(
    join(repo, ".changeset", "release-test.md"),
    '---\n"@aimlapi-sdk/client": minor\n"@aimlapi-sdk/mock-server": minor\n---\n\nRelease test.\n',
  );
  await must("git", ["add", "-A"], { cwd: repo, env });
  await must("git", ["commit", "-qm", "release test changeset"], { cwd: repo, env });

  await must("pnpm", ["version-packages"], { cwd: repo, env });
  await must("git", ["commit", "-qam", "version packages"], { cwd: repo, env });

  // The release machine has a team's remote cache configured, and that cache holds a validly
  // signed, poisoned build of this very commit. The release must build what it publishes itself.
  const poisonStarted = Date.now();
  const poison = await poisonRemoteCache(repo, root, env, resources);
  console.log(
    `remote cache: holds a validly signed, poisoned @aimlapi-sdk/client#build (${poison.hash}) of the release commit; an ordinary build restores it (${seconds(poisonStarted)} s)`,
  );
  const releaseEnvWithCache = { ...env, ...poison.env };
  const dry = await must("pnpm", ["exec", "turbo", "run", "build", "--dry=json"], { cwd: repo, env: releaseEnvWithCache });
  const planned = (JSON.parse(dry.stdout) as { tasks: { taskId: string; hash: string }[] }).tasks.find(
    (t) => t.taskId === CLIENT_BUILD,
  );
  if (planned?.hash !== poison.hash)
    throw new Error(`the release would build a different hash (${planned?.hash}) than the poisoned one`);
  const first = await must("pnpm", ["release"], { cwd: repo, env: releaseEnvWithCache, timeoutMs: 600_000 });
  const versions = Object.fromEntries(
    await Promise.all(PACKAGES.map(async (p) => [p, await publishedVersions(registry, p)] as const)),
  );
  for (const p of PACKAGES) {
    if (versions[p]?.length !== 1)
      throw new Error(
        `${p}: expected one published version, registry has ${JSON.stringify(versions[p])}\n${first.stdout.slice(-2000)}`,
      );
  }
  const [typesVersion, clientVersion, mockVersion] = PACKAGES.map((p) => versions[p]?.[0] as string);
  if (typesVersion !== clientVersion)
    throw new Error(`types ${typesVersion} and client ${clientVersion} must be released together`);
  console.log(`published: ${PACKAGES.map((p) => `${p}@${versions[p]?.[0]}`).join(", ")}`);
  for (const p of PACKAGES) {
    const localDist = join(poison.localBuild, "packages", p.replace("@aimlapi-sdk/", ""), "dist");
    const files = await inspectTarball(registry, p, versions[p]?.[0] as string, localDist);
    console.log(
      `tarball ${p}: ${files.length} files (dist, package.json, README.md, CHANGELOG.md, LICENSE), no maps, specs, tests or credentials; dist identical to a local build`,
    );
  }

  // A second release without a new changeset publishes nothing.
  const second = await must("pnpm", ["release"], { cwd: repo, env, timeoutMs: 600_000 });
  const after = await Promise.all(PACKAGES.map((p) => publishedVersions(registry, p)));
  if (after.some((v) => v.length !== 1)) throw new Error(`a second release published again: ${JSON.stringify(after)}`);
  if (!/No unpublished projects to publish/i.test(second.stdout + second.stderr))
    throw new Error(`unexpected second release output: ${second.stdout.slice(-1000)}`);
  console.log("second release without a changeset: nothing published");
  console.log("release with a poisoned remote cache configured: nothing read from it, the tarballs hold the genuine build");

  const cache = join(root, "npm-cache");
  const packages = {
    "@aimlapi-sdk/client": clientVersion,
    "@aimlapi-sdk/types": typesVersion,
    "@aimlapi-sdk/mock-server": mockVersion,
  } as Record<string, string>;
  const wanted = Object.entries(packages).map(([name, version]) => `${name}@${version}`);
  const runtimesStarted = Date.now();
  for (const consumer of RUNTIME_CONSUMERS) {
    const dir = join(root, "consumers", consumer.name.replace(/[^\w.-]+/g, "-"));
    mkdirSync(dir, { recursive: true });
    const out = await consumer.run({
      dir,
      registry,
      packages,
      resources,
      install: (extra = []) => installFromRegistry(dir, registry, [...wanted, ...extra], cache),
    });
    console.log(checkScenario(consumer.notes ? `${consumer.name} (${consumer.notes})` : consumer.name, out));
  }
  console.log(`${RUNTIME_CONSUMERS.length} runtime consumers took ${seconds(runtimesStarted)} s`);

  const helpers = await runHelpersConsumer(join(root, "consumers", "helpers"), registry, wanted, cache, resources);
  console.log(checkHelpers(helpers));
  const models = await runModelsConsumer(join(root, "consumers", "models"), registry, wanted, cache);
  console.log(checkModels(models));
}

function releaseEnv(registry: Registry): NodeJS.ProcessEnv {
  // The copies share this tree's model-spec shape cache (content-keyed; what is published is built by the release).
  const env: NodeJS.ProcessEnv = {
    ...withoutTurboEnv(process.env),
    ...sharedModelCacheEnv(),
    npm_config_registry: `${registry.url}/`,
    CI: "true",
  };
  env.GIT_AUTHOR_NAME = env.GIT_COMMITTER_NAME = "aimlapi-sdk release test";
  env.GIT_AUTHOR_EMAIL = env.GIT_COMMITTER_EMAIL = "release-test@aimlapi-sdk.invalid";
  return env;
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function readNpmrc(repo: string): string {
  return existsSync(join(repo, ".npmrc")) ? `${readFileSync(join(repo, ".npmrc"), "utf8").trimEnd()}\n` : "";
}

runTest("test:release", resources, main);
