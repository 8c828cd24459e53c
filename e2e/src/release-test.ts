/**
 * `pnpm test:release`: publish with the project's own scripts to a local verdaccio, then install
 * and use the packages from fresh consumer projects (Node ESM, CJS, TypeScript node16 and bundler,
 * a browser, Bun, Deno, workerd). Stops everything it started and removes its folders, also when
 * it fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { copyWorkingTree } from "../../scripts/src/repo-copy";
import { runBrowserConsumer } from "./browser";
import { runBunConsumer } from "./bun";
import { consumers, importOutsideExports, installConsumer, runConsumer } from "./consumers";
import { DENO_PERMISSIONS, runDenoConsumer } from "./deno";
import { checkHelpers, runHelpersConsumer } from "./helpers-consumer";
import { poisonRemoteCache } from "./poisoned-cache";
import { publishedVersions, type Registry, startRegistry } from "./registry";
import { Resources } from "./resources";
import { must } from "./run";
import { pinnedRuntime } from "./runtime-binary";
import { checkScenario } from "./scenario";
import { inspectTarball } from "./tarballs";
import { runTest } from "./test-main";
import { CLIENT_BUILD, withoutTurboEnv } from "./turbo-cache";
import { COMPATIBILITY_DATE, runWorkerdConsumer } from "./workerd";

const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(e2eDir, "..");
const PACKAGES = ["@aimlapi-sdk/types", "@aimlapi-sdk/client", "@aimlapi-sdk/mock-server"];

const resources = new Resources();

async function main(): Promise<void> {
  // The runtimes first: one that cannot start here fails the test at once, in one line.
  const bun = await pinnedRuntime("Bun", "bun-runtime", "bun");
  const deno = await pinnedRuntime("Deno", "deno-runtime", "deno");
  const workerd = await pinnedRuntime("workerd", "workerd", "workerd");
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  for (const claim of [`Bun ${bun.version}`, `Deno ${deno.version}`, `workerd ${workerd.version}`, COMPATIBILITY_DATE]) {
    if (!readme.includes(claim)) throw new Error(`README.md does not state what this test proves: "${claim}" is missing`);
  }
  console.log(`runtimes: ${[bun, deno, workerd].map((r) => `${r.name} ${r.version} (${r.reports})`).join(", ")}`);

  const root = resources.tempDir(mkdtempSync(join(tmpdir(), "aimlapi-release-")));
  const registryDir = join(root, "registry");
  mkdirSync(registryDir);
  const registry = await startRegistry(join(e2eDir, "node_modules", ".bin", "verdaccio"), registryDir, resources);
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
  for (const consumer of consumers()) {
    const dir = join(root, "consumers", consumer.name);
    await installConsumer(dir, registry, wanted, consumer.devDependencies ?? [], cache);
    console.log(checkScenario(consumer.name, await runConsumer(dir, consumer)));
    if (consumer.name === "node-esm")
      console.log(`consumer node-esm: a path outside "exports" fails with ${await importOutsideExports(dir)}`);
  }

  const browserDir = join(root, "consumers", "browser");
  await installConsumer(browserDir, registry, wanted, [], cache);
  const browser = await runBrowserConsumer(browserDir, resources);
  console.log(checkScenario(`browser (headless Chromium ${browser.version})`, browser));
  if (browser.sawOrigin !== browser.origin)
    throw new Error(`the mock server saw origin ${browser.sawOrigin}, the page is ${browser.origin}`);
  console.log(`consumer browser: cross-origin ${browser.origin} → mock server, CORS and streaming ok`);

  const helpers = await runHelpersConsumer(join(root, "consumers", "helpers"), registry, wanted, cache, resources);
  console.log(checkHelpers(helpers));

  const runtimesStarted = Date.now();
  const bunOut = await runBunConsumer(join(root, "consumers", "bun"), bun, registry, packages);
  console.log(checkScenario(`bun ${bun.version} (bun install, bun run main.ts)`, bunOut));
  const denoOut = await runDenoConsumer(join(root, "consumers", "deno"), deno, registry, packages);
  console.log(checkScenario(`deno ${deno.version} (npm: specifiers, deno check, ${DENO_PERMISSIONS.join(" ")})`, denoOut));
  const workerdDir = join(root, "consumers", "workerd");
  await installConsumer(workerdDir, registry, wanted, [], cache);
  const workerdOut = await runWorkerdConsumer(workerdDir, workerd, resources);
  console.log(
    checkScenario(
      `workerd ${workerd.version} (module worker, compatibility date ${COMPATIBILITY_DATE}, stream via toReadableStream)`,
      workerdOut,
    ),
  );
  console.log(`consumers bun, deno and workerd took ${seconds(runtimesStarted)} s`);
}

function releaseEnv(registry: Registry): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...withoutTurboEnv(process.env), npm_config_registry: `${registry.url}/`, CI: "true" };
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
