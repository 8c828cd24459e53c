/**
 * A self-hosted turbo remote cache: turborepo-remote-cache (from the registry, pinned in
 * packages/devkit/package.json) on a loopback port with local storage, and the variables that
 * point turbo at it.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { freePort } from "./ports";
import { type ManagedProcess, startProcess, waitForServer } from "./processes";
import { UsageError } from "./usage-error";

const require = createRequire(import.meta.url);
const serverPackage = require.resolve("turborepo-remote-cache/package.json");

/** The pinned server's version. */
export const REMOTE_CACHE_VERSION = (JSON.parse(readFileSync(serverPackage, "utf8")) as { version: string }).version;

/** Where and how the server runs. */
export interface RemoteCacheOptions {
  /** Folder for the artifacts (`<storage>/<team>/<hash>` and `<hash>.tag`). */
  storage: string;
  /** Bearer token the server accepts (a fresh random one when absent). */
  token?: string | undefined;
  /** Team slug turbo sends (the storage sub-folder). */
  team: string;
  host?: string;
  /** 0 or absent: a free port. */
  port?: number;
}

/** A running server. */
export interface RemoteCache {
  url: string;
  token: string;
  team: string;
  storage: string;
  process: ManagedProcess;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Starts turborepo-remote-cache and waits until it answers. It stores and returns artifact tags
 * (`x-artifact-tag`) only when TURBO_REMOTE_CACHE_SIGNATURE_KEY is set in its environment, yet it
 * never checks them (turbo does, with the key), so it gets a placeholder and never the secret.
 */
export async function startRemoteCache(options: RemoteCacheOptions): Promise<RemoteCache> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port || (await freePort());
  const token = options.token || randomBytes(24).toString("hex");
  const storage = resolve(options.storage);
  mkdirSync(storage, { recursive: true });
  // The package's own bin, run with this Node (its .bin shim would need a shell).
  const main = join(dirname(serverPackage), "dist", "cli.js");
  const server = startProcess("turborepo-remote-cache", process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: host,
      PORT: String(port),
      STORAGE_PROVIDER: "local",
      STORAGE_PATH: storage,
      // Otherwise the path is taken relative to the system's temp folder.
      STORAGE_PATH_USE_TMP_FOLDER: "false",
      TURBO_TOKEN: token,
      TURBO_REMOTE_CACHE_SIGNATURE_KEY: "store-and-return-tags",
      LOG_LEVEL: "warn",
    },
  });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const probe = host === "0.0.0.0" ? `http://127.0.0.1:${port}` : url;
  await waitForServer(server, `${probe}/v8/artifacts/status`, {
    headers: { authorization: `Bearer ${token}` },
  }).catch(async (error: Error) => {
    await server.stop();
    throw new UsageError(error.message);
  });
  return {
    url,
    token,
    team: options.team,
    storage,
    process: server,
    close: () => server.stop(),
  };
}

/** The variables that make turbo read and write this cache (and sign with `signatureKey`, if given). */
export function remoteCacheEnv(
  cache: Pick<RemoteCache, "url" | "token" | "team">,
  signatureKey?: string,
): Record<string, string> {
  return {
    TURBO_API: cache.url,
    TURBO_TOKEN: cache.token,
    TURBO_TEAM: cache.team,
    ...(signatureKey ? { TURBO_REMOTE_CACHE_SIGNATURE_KEY: signatureKey } : {}),
  };
}

/** The stored artifact of a task hash (a zstd-compressed tar). */
export function artifactFile(cache: Pick<RemoteCache, "storage" | "team">, hash: string): string {
  return join(cache.storage, cache.team, hash);
}
