/** A local npm registry for release tests: verdaccio (pinned in packages/devkit/package.json) on a loopback port. */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort } from "./ports";
import { type Resources, waitForServer } from "./processes";

const require = createRequire(import.meta.url);

/** A running local npm registry and a token that may publish to it. */
export interface Registry {
  url: string;
  token: string;
}

/**
 * Starts verdaccio on 127.0.0.1 with its storage in `dir`. Our packages are served only from its
 * storage (never proxied); everything else is proxied from the npm registry, so consumers install
 * from this one registry alone.
 */
export async function startRegistry(dir: string, resources: Resources): Promise<Registry> {
  const port = await freePort();
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "    max_users: 10",
      "uplinks:",
      "  npmjs:",
      "    url: https://registry.npmjs.org/",
      "    timeout: 60s",
      "packages:",
      "  '@aimlapi-sdk/*':",
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "    proxy: npmjs",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const url = `http://127.0.0.1:${port}`;
  // verdaccio's own bin, run with this Node (its .bin shim would need a shell).
  const bin = join(dirname(require.resolve("verdaccio/package.json")), "bin", "verdaccio");
  const server = resources.start("verdaccio", process.execPath, [bin, "--config", config, "--listen", `127.0.0.1:${port}`]);
  await waitForServer(server, `${url}/-/ping`, { timeoutMs: 120_000 });
  const name = "release-test";
  const res = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name,
      password: `pw-${port}-${Date.now()}`,
      email: "release-test@example.invalid",
      type: "user",
      roles: [],
    }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) throw new Error(`could not create a registry user: HTTP ${res.status}`);
  return { url, token: body.token };
}

/** The versions of a package the registry holds (empty when it has none). */
export async function publishedVersions(registry: Registry, name: string): Promise<string[]> {
  const res = await fetch(`${registry.url}/${name.replace("/", "%2f")}`, { headers: { accept: "application/json" } });
  if (res.status === 404) return [];
  const doc = (await res.json()) as { versions?: Record<string, unknown> };
  return Object.keys(doc.versions ?? {});
}
