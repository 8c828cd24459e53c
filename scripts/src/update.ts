import { execFileSync, spawnSync } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { writeFileAtomic } from "./atomic-write";
import { canonicalize } from "./canonical";
import { type Bump, bumpFor, changesetFor, clientVersion } from "./changeset";
import { diffEffective, diffSpecs, type EffectiveDiff, formatBoth, formatEffective } from "./diff/diff";
import { deepEqual } from "./diff/schema-compare";
import type { DiffResult } from "./diff/types";
import { effectiveDocument, fixedUpstream, fixedUpstreamLine, labelled } from "./effective";
import { oneLine, SpecError } from "./errors";
import { sha256, shortHash } from "./hash";
import { specLayout } from "./layout";
import { inspectLocalSpec, requirePinnedSpec } from "./local-spec";
import { type LoadedOverlay, loadOverlayText, readOverlay } from "./overlay";
import { displayPath, fetchSpec, forSource, pullSpec, resolveSource } from "./pull";
import { readSources, type SourcesFile, type SpecSource, selectSource, sourcesPath, writeSources } from "./sources";
import type { OpenAPIDocument } from "./validate-spec";

export interface UpdateOptions {
  root: string;
  from?: string;
  mirror?: string;
  name?: string;
  /** Classify an edit of the overlay against the pinned upstream spec, without fetching anything. */
  overlayOnly?: boolean;
  log: (line: string) => void;
}

export interface UpdateResult {
  /** Upstream's raw change (undefined when upstream did not change). */
  diff: DiffResult | undefined;
  /** The change users see: between the effective documents before and after. */
  effective: EffectiveDiff | undefined;
  bump: Bump | undefined;
  changeset: string | undefined;
}

/**
 * Moves the pin to a new upstream version, or records an overlay edit: apply the overlay to the new
 * document (refusing an action that matches nothing or a lapse it does not repair), diff upstream's
 * raw change and the effective change users see, write spec and lock, regenerate and rebuild, and
 * record a changeset whose bump follows the effective change. Any failure puts every file back.
 */
export async function updateSpec(options: UpdateOptions): Promise<UpdateResult> {
  const { root, log } = options;
  const specsDir = join(root, "specs");
  requireCleanTree(root);
  const sources = await readSources(specsDir);
  const spec = selectSource(sources, options.name);
  const layout = specLayout(root, spec.name, specsDir);

  // The pinned version is the "before" side; pull it first if this checkout has none yet.
  if ((await inspectLocalSpec(specsDir, spec)).state === "missing") {
    await pullSpec(specsDir, spec, resolveSource(spec, { mirror: options.mirror }));
  }
  const oldBytes = await requirePinnedSpec(specsDir, spec);
  const oldUpstream = JSON.parse(oldBytes.toString("utf8")) as OpenAPIDocument;
  const overlay = await readOverlay(specsDir, spec.name);

  let newBytes: Uint8Array = oldBytes;
  let newSha = spec.sha256;
  let newUpstream = oldUpstream;
  let label = layout.shown.pinned;
  if (!options.overlayOnly) {
    const source = resolveSource(spec, { from: options.from, mirror: options.from ? undefined : options.mirror });
    const fetched = await forSource(spec.name, source, () => fetchSpec(source));
    ({ bytes: newBytes, sha256: newSha, document: newUpstream } = fetched);
    label = `${spec.name} from ${displayPath(source)}`;
  }
  const upstreamChanged = newSha !== spec.sha256;
  const overlayChanged = overlay?.sha256 !== spec.overlaySha256;
  if (!upstreamChanged && !overlayChanged) {
    log(
      `${spec.name}: already pinned to this version (sha256 ${shortHash(spec.sha256)}) and the overlay is unchanged; nothing to do`,
    );
    return { diff: undefined, effective: undefined, bump: undefined, changeset: undefined };
  }

  // The new effective document must exist and be valid before anything is written.
  const next = await labelled(label, effectiveDocument(newUpstream, overlay));
  if (overlay) for (const fixed of fixedUpstream(next)) log(fixedUpstreamLine(fixed, overlay));
  const diff = upstreamChanged ? await diffSpecs(oldUpstream, newUpstream) : undefined;
  const oldOverlay = await recordedOverlay(root, layout.shown.overlay, spec, overlay);
  const effective = await diffEffective(oldUpstream, newUpstream, overlay, { oldOverlay, validateOld: false });
  if (effective.level === null) throw new SpecError(`cannot classify the effective change: ${effective.reason}`);
  if (upstreamChanged) log(`${spec.name}: sha256 ${shortHash(spec.sha256)} → ${shortHash(newSha)}`);
  if (overlayChanged) log(`${spec.name}: overlay ${overlay?.shown ?? "(removed)"} changed since it was last classified`);
  log(diff ? formatBoth(diff, effective) : formatEffective(effective));

  const backup = await snapshot([layout.pinned, sourcesPath(specsDir), ...(await generatedFiles(layout.generatedDirs))]);
  let changeset: string | undefined;
  try {
    if (upstreamChanged) await writeFileAtomic(layout.pinned, newBytes);
    const pinned: SpecSource = { ...spec, sha256: newSha };
    if (overlay) pinned.overlaySha256 = overlay.sha256;
    else delete pinned.overlaySha256;
    const lock: SourcesFile = { specs: sources.specs.map((s) => (s.name === spec.name ? pinned : s)) };
    await writeSources(specsDir, lock);
    // Generation is deterministic over the canonical form: the same effective document gives the same
    // files, which already build, so there is nothing to rebuild (key-order changes, repaired lapses).
    if (deepEqual(canonicalize(effective.documents[0]), canonicalize(effective.documents[1]))) {
      log("same effective document: the generated files do not change, nothing to rebuild");
    } else {
      rebuild(root);
    }
    const bump = bumpFor(effective.level, await clientVersion(root));
    if (bump) {
      // Named after what moved: the new upstream version, or the new overlay.
      const [kind, id] = upstreamChanged ? ["spec", newSha.slice(0, 8)] : ["overlay", (overlay?.sha256 ?? "removed").slice(0, 8)];
      changeset = join(root, ".changeset", `${kind}-${spec.name.replace(/[^A-Za-z0-9]+/g, "-")}-${id}.md`);
      await writeFileAtomic(
        changeset,
        changesetFor({
          name: spec.name,
          oldHash: spec.sha256,
          newHash: newSha,
          raw: diff,
          effective,
          overlay: overlay?.shown,
          bump,
        }),
      );
      log(`changeset: ${relative(root, changeset)} (${bump} bump for an effective ${effective.level} change)`);
    } else {
      log("no semantic change for users: lock updated, no changeset");
    }
    return { diff, effective, bump, changeset };
  } catch (error) {
    await restore(layout.generatedDirs, backup);
    if (changeset) await rm(changeset, { force: true });
    throw error instanceof SpecError ? new SpecError(`${error.message} (nothing was changed)`) : error;
  }
}

/**
 * The overlay as it was when its effect was last classified: the one whose sha256 the lock records,
 * found in the working tree or in git history. The effective "before" side is built with it, so an
 * edited overlay is compared with what users have now.
 */
async function recordedOverlay(
  root: string,
  path: string,
  spec: SpecSource,
  current: LoadedOverlay | undefined,
): Promise<LoadedOverlay | undefined> {
  if (!spec.overlaySha256) return undefined;
  if (current?.sha256 === spec.overlaySha256) return current;
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "buffer", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 << 20 });
  let commits: string[] = [];
  try {
    commits = git("log", "--format=%H", "--", path).toString("utf8").split("\n").filter(Boolean);
  } catch {
    // Not a git checkout: handled below.
  }
  for (const commit of commits) {
    let bytes: Buffer;
    try {
      bytes = git("show", `${commit}:${path}`);
    } catch {
      continue;
    }
    if (sha256(bytes) === spec.overlaySha256) return loadOverlayText(bytes, `${path} at ${commit.slice(0, 8)}`);
  }
  throw new SpecError(
    `cannot find the overlay sources.json records for ${spec.name} (sha256 ${shortHash(spec.overlaySha256)}) in ${path} or its git history, so the change users would see cannot be classified`,
  );
}

/**
 * Refuses to run over uncommitted work in specs/ (other than the overlays, which a maintainer edits
 * and then runs this to classify) or .changeset/, which a failed update could mix with its own.
 */
function requireCleanTree(root: string): void {
  let status: string;
  try {
    status = execFileSync("git", ["status", "--porcelain", "--", "specs", ".changeset", ":(exclude)specs/overlays"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    throw new SpecError("spec:update needs a git checkout (it refuses to run over uncommitted changes)");
  }
  const dirty = status
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(3));
  if (dirty.length > 0)
    throw new SpecError(`uncommitted changes in specs/ or .changeset/ (${dirty.join(", ")}): commit or stash them first`);
}

/** Regenerates and rebuilds every package through turbo, so a spec the packages cannot build with is refused. */
function rebuild(root: string): void {
  const turbo = join(root, "node_modules", ".bin", "turbo");
  const run = spawnSync(turbo, ["run", "build", "typecheck", "--output-logs=errors-only"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  if (run.status !== 0) {
    const output = `${run.stdout ?? ""}\n${run.stderr ?? ""}`;
    // The failing tool's own line, rather than the package manager's "command failed" after it.
    const lines = output.split("\n").filter((l) => !/ELIFECYCLE|ERR_PNPM|run failed|command .* exited/.test(l));
    const firstError =
      lines.find((l) => /error TS\d+|(^|\s)(codegen|prune-spec|spec-effective): /.test(l)) ??
      lines.find((l) => /error|ERR_|failed/i.test(l)) ??
      run.error?.message ??
      `exit ${run.status}`;
    throw new SpecError(`the packages do not build with the new spec: ${oneLine(firstError, 300)}`);
  }
}

async function generatedFiles(dirs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    files.push(...names.map((n) => join(dir, n)));
  }
  return files;
}

type Snapshot = Map<string, Buffer | undefined>;

async function snapshot(files: string[]): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const file of files) out.set(file, await readFile(file).catch(() => undefined));
  return out;
}

/** Puts every backed-up file back, and removes generated files that did not exist before. */
async function restore(generatedDirs: string[], backup: Snapshot): Promise<void> {
  for (const file of await generatedFiles(generatedDirs)) if (!backup.has(file)) await rm(file, { force: true });
  for (const [file, bytes] of backup) {
    if (bytes === undefined) await rm(file, { force: true });
    else await writeFileAtomic(file, bytes);
  }
}
