import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DiffResult, Level } from "./diff/types";
import { shortHash } from "./hash";

/** The packages a spec change is released in (the mock server embeds the spec too). */
export const SPEC_PACKAGES = ["@aimlapi-sdk/types", "@aimlapi-sdk/client", "@aimlapi-sdk/mock-server"];

export type Bump = "major" | "minor" | "patch";

/**
 * The version bump for a spec change. While the packages are 0.x, a breaking change is a minor
 * bump and everything else a patch; from 1.0 on, breaking → major, additive → minor, docs → patch.
 * No semantic change → no release.
 */
export function bumpFor(level: Level, currentVersion: string): Bump | undefined {
  if (level === "none") return undefined;
  const major = Number.parseInt(currentVersion.split(".")[0] ?? "0", 10);
  if (major >= 1) return level === "breaking" ? "major" : level === "additive" ? "minor" : "patch";
  return level === "breaking" ? "minor" : "patch";
}

/** The version of the client package, which decides the bump policy. */
export async function clientVersion(root: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, "packages", "client", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** A changeset for a spec update: front matter with the bump for each package, the diff as the body. */
export function changesetFor(name: string, oldHash: string, newHash: string, result: DiffResult, bump: Bump): string {
  const front = SPEC_PACKAGES.map((p) => `"${p}": ${bump}`).join("\n");
  const lines = result.changes.map((c) => `- ${c.operation} (${c.location}, ${c.severity}): ${c.message} \`${c.pointer}\``);
  return `---\n${front}\n---\n\nUpstream spec \`${name}\` updated: **${result.level}** change (sha256 ${shortHash(oldHash)} → ${shortHash(newHash)}).\n\n${lines.join("\n")}\n`;
}
