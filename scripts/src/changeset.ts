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
  /** The versions before and after, as `versionName` names them (`4cd011cd (2026-06-12)`). */
  oldVersion: string;
  newVersion: string;
  /** sha256 of the upstream bytes before and after. */
  hashes: [string, string];
  /** Upstream's raw change; undefined when only the overlay changed. */
  raw: DiffResult | undefined;
  /** The change users see (effective documents before and after); it decides the bump. */
  effective: DiffResult;
  /** The overlay file, when the spec has one. */
  overlay: string | undefined;
  bump: Bump;
  /** Adopted with --skip-tests: the spec-dependent suites did not run against it. */
  untested?: boolean;
  /** The model set's change through the shared overlay (formatSetDiff's lines), when it has one. */
  models?: string[];
}

/**
 * A changeset for a spec or overlay update: the bump for each package, and a body whose first line
 * (the changelog's entry) names the upstream version by commit and date, then the effective change.
 */
export function changesetFor(input: ChangesetInput): string {
  const { name, oldVersion, newVersion, hashes, raw, effective, overlay, bump } = input;
  const front = SPEC_PACKAGES.map((p) => `"${p}": ${bump}`).join("\n");
  const lines = effective.changes.map((c) => `- ${c.operation} (${c.location}, ${c.severity}): ${c.message} \`${c.pointer}\``);
  const corrections = overlay ? ` (with the corrections of \`${overlay}\`)` : "";
  const what = raw
    ? `Upstream ${name}.json ${newVersion}: upstream's change is **${raw.level}**, the change to the types and the mock is **${effective.level}**${corrections}. Previous version: ${oldVersion}; sha256 ${shortHash(hashes[0])} → ${shortHash(hashes[1])}.`
    : `Corrections of upstream ${name}.json ${newVersion} changed (\`${overlay ?? "overlay removed"}\`): the change to the types and the mock is **${effective.level}**.`;
  const notes = [
    ...(raw?.unreachable?.length
      ? [
          `Upstream also changed ${raw.unreachable.length} component schema(s) that no operation reaches; they are not part of the API.`,
        ]
      : []),
    ...(input.models ? [`The model set follows the shared overlay: ${input.models.join("\n")}`] : []),
    ...(input.untested
      ? ["Adopted with `spec:update --skip-tests`: the spec-dependent test suites were not run against this version."]
      : []),
  ];
  return `---\n${front}\n---\n\n${what}\n\n${lines.join("\n")}\n${notes.length > 0 ? `\n${notes.join("\n\n")}\n` : ""}`;
}
