import { readFile } from "node:fs/promises";
import { SpecError } from "./errors";
import { sha256, shortHash } from "./hash";
import { layoutIn } from "./layout";
import type { SpecSource } from "./sources";

/** State of the pulled copy of a spec relative to its pin. */
export type LocalSpecState = { state: "missing" } | { state: "pinned"; bytes: Buffer } | { state: "modified"; sha256: string };

/** Tells whether the pulled spec (specs/<name>.json) is absent, the pinned bytes, or something else. */
export async function inspectLocalSpec(specsDir: string, spec: SpecSource): Promise<LocalSpecState> {
  const layout = layoutIn(specsDir, spec.name);
  const bytes = await readFile(layout.pinned).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new SpecError(`cannot read ${layout.shown.pinned} (${error.code})`);
  });
  if (!bytes) return { state: "missing" };
  const actual = sha256(bytes);
  return actual === spec.sha256 ? { state: "pinned", bytes } : { state: "modified", sha256: actual };
}

/** Returns the pinned spec's bytes, or fails with the one-line reason and the command that fixes it. */
export async function requirePinnedSpec(specsDir: string, spec: SpecSource): Promise<Buffer> {
  const local = await inspectLocalSpec(specsDir, spec);
  if (local.state === "missing") {
    throw new SpecError(
      `${layoutIn(specsDir, spec.name).shown.pinned} is missing: run pnpm spec:pull (offline: SPEC_MIRROR=<dir> pnpm spec:pull)`,
    );
  }
  if (local.state === "modified") throw modifiedSpecError(specsDir, spec, local.sha256);
  return local.bytes;
}

/** The failure for a pulled spec whose bytes are not the pinned ones, naming both ways out. */
export function modifiedSpecError(specsDir: string, spec: SpecSource, actualSha256: string): SpecError {
  return new SpecError(
    `${layoutIn(specsDir, spec.name).shown.pinned} has sha256 ${shortHash(actualSha256)} but sources.json pins ${shortHash(spec.sha256)}: it was edited or replaced by hand; restore it with pnpm spec:pull, or accept a new version with pnpm spec:update --from <file|url>`,
  );
}
