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

/** What a changeset for a spec or overlay update is made from. */
export interface ChangesetInput {
  name: string;
  oldHash: string;
  newHash: string;
  /** Upstream's raw change; undefined when only the overlay changed. */
  raw: DiffResult | undefined;
  /** The change users see (effective documents before and after); it decides the bump. */
  effective: DiffResult;
  /** The overlay file, when the spec has one. */
  overlay: string | undefined;
  bump: Bump;
}

/** A changeset for a spec or overlay update: the bump for each package, the effective change as the body. */
export function changesetFor(input: ChangesetInput): string {
  const { name, oldHash, newHash, raw, effective, overlay, bump } = input;
  const front = SPEC_PACKAGES.map((p) => `"${p}": ${bump}`).join("\n");
  const lines = effective.changes.map((c) => `- ${c.operation} (${c.location}, ${c.severity}): ${c.message} \`${c.pointer}\``);
  const what = raw
    ? `Upstream spec \`${name}\` updated (sha256 ${shortHash(oldHash)} → ${shortHash(newHash)}): upstream's change is **${raw.level}**, the change to the types and the mock is **${effective.level}**${overlay ? ` (with the corrections of \`${overlay}\`)` : ""}.`
    : `Corrections of upstream spec \`${name}\` changed (\`${overlay ?? "overlay removed"}\`): the change to the types and the mock is **${effective.level}**.`;
  return `---\n${front}\n---\n\n${what}\n\n${lines.join("\n")}\n`;
}
