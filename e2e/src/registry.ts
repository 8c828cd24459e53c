import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../scripts/src/free-port";
import { captureOutput, waitForServer } from "../../scripts/src/server-process";
import type { Resources } from "./resources";

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
export async function startRegistry(verdaccioBin: string, dir: string, resources: Resources): Promise<Registry> {
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
  const child = resources.start(verdaccioBin, ["--config", config, "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = captureOutput(child);
  await waitForServer(child, "verdaccio", `${url}/-/ping`, output, { timeoutMs: 60_000 });
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
