/**
 * `pnpm cache:serve [--port 4900] [--host 127.0.0.1] [--storage <dir>] [--team <slug>]`: a turbo
 * remote cache for a team's machines, until Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REMOTE_CACHE_VERSION, remoteCacheEnv, startRemoteCache } from "../remote-cache";
import { repoRoot } from "../repo";
import { runCli, UsageError } from "./run-cli";

const HELP = `usage: pnpm cache:serve [--port 4900] [--host 127.0.0.1] [--storage <dir>] [--team <slug>]

Serves a turbo remote cache for a team's machines until Ctrl-C, and prints the environment
(TURBO_API, TURBO_TEAM, TURBO_TOKEN) a machine sets to use it. Artifacts are signed.

options:
  --port <n>        port to listen on (default 4900; 0 picks a free one)
  --host <addr>     address to bind (default 127.0.0.1)
  --storage <dir>   where artifacts are kept (default .turbo/remote-cache)
  --team <slug>     the team name machines use (default aimlapi-sdk)
  -h, --help        this text`;

runCli("cache:serve", async () => {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(HELP);
    return;
  }
  const { values } = parseCliArgs();
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, got "${values.port}"`);
  if (!/^[\w.-]+$/.test(values.team))
    throw new UsageError(`--team must be a slug (letters, digits, . _ -), got "${values.team}"`);
  // The token gates reads and writes: the caller's, or a fresh one for this server.
  const cache = await startRemoteCache({
    storage: values.storage,
    token: process.env.TURBO_TOKEN,
    team: values.team,
    host: values.host,
    port,
  });
  const lines = [
    `cache:serve: turborepo-remote-cache ${REMOTE_CACHE_VERSION} on ${cache.url}, artifacts in ${join(cache.storage, cache.team)} (Ctrl-C stops it)`,
    "Point turbo at it (on CI machines, from secrets):",
    ...Object.entries(remoteCacheEnv(cache)).map(([name, value]) => `  export ${name}=${value}`),
    "Artifacts are signed (turbo.json remoteCache.signature): every machine needs the same secret of 32+ bytes,",
    process.env.TURBO_REMOTE_CACHE_SIGNATURE_KEY
      ? "  TURBO_REMOTE_CACHE_SIGNATURE_KEY is set in this shell; give the others the same one."
      : `  for example a fresh one: export TURBO_REMOTE_CACHE_SIGNATURE_KEY=${randomBytes(32).toString("hex")}`,
  ];
  console.log(lines.join("\n"));
  let stopping = false;
  const stop = () => {
    stopping = true;
    void cache.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await new Promise<void>((done, reject) =>
    cache.process.child.once("exit", (code) =>
      stopping ? done() : reject(new UsageError(`turborepo-remote-cache stopped unexpectedly (exit ${code})`)),
    ),
  );
});

function parseCliArgs() {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: "4900" },
        host: { type: "string", default: "127.0.0.1" },
        storage: { type: "string", default: join(repoRoot, ".turbo", "remote-cache") },
        team: { type: "string", default: "aimlapi-sdk" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see pnpm cache:serve --help)`);
  }
}
