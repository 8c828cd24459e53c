import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../scripts/src/free-port";
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
  let log = "";
  child.stdout?.on("data", (d: Buffer) => {
    log += d;
  });
  child.stderr?.on("data", (d: Buffer) => {
    log += d;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited ${child.exitCode}: ${log.slice(-2000)}`);
    const ok = await fetch(`${url}/-/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`verdaccio did not start within 60 s: ${log.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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
