import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { writeFileAtomic } from "../atomic-write";
import { canonicalize } from "../canonical";
import { type Bump, bumpFor, changesetFor, clientVersion } from "../changeset";
import { diffEffective, diffSpecs, type EffectiveDiff, formatBoth, formatEffective } from "../diff/diff";
import { deepEqual } from "../diff/schema-compare";
import type { DiffResult } from "../diff/types";
import { fixedUpstreamLines } from "../effective";
import { SpecError } from "../errors";
import { sha256, shortHash } from "../hash";
import { specLayout } from "../layout";
import { inspectLocalSpec, requirePinnedSpec } from "../local-spec";
import { formatSetDiff } from "../models/diff-set";
import { type LoadedOverlay, loadOverlayText, readOverlay } from "../overlay";
import { inferProvenance, type Provenance, versionName } from "../provenance";
import { displayPath, fetchSpec, forSource, pullSpec, resolveSource } from "../pull";
import { readSources, type SourcesFile, type SpecSource, selectSource, writeSources } from "../sources";
import type { OpenAPIDocument } from "../validate-spec";
import { gateAndAdopt, requireCleanTree } from "./adopt";
import { preflight } from "./preflight";
import { problemCount, refusal } from "./report";
import { followModelSet } from "./update-models";

/** Levels, least severe first. */
const LEVELS = ["none", "docs", "additive", "breaking"];

export interface UpdateOptions {
  root: string;
  from?: string;
  mirror?: string;
  name?: string;
  /** Classify an edit of the overlay against the pinned upstream spec, without fetching anything. */
  overlayOnly?: boolean;
  /** Adopt without running the spec-dependent tests (recorded in the changeset). */
  skipTests?: boolean;
  /** Where the new version comes from, when the source cannot tell (`--upstream-commit`, `--upstream-date`). */
  upstream?: Provenance;
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
 * Moves the pin to a new upstream version, or records an overlay edit. Checks that need no build come
 * first (the overlay applies in every operation it is for, the effective document is valid, codegen
 * finds its shapes), all problems at once; then the change is classified, and the new spec is
 * regenerated, built, type-checked and tested in a candidate copy of the repository. Only a candidate
 * that passes is brought back with its lock and changeset; a refusal changes nothing.
 */
export async function updateSpec(options: UpdateOptions): Promise<UpdateResult> {
  const { root } = options;
  const specsDir = join(root, "specs");
  requireCleanTree(root);
  const sources = await readSources(specsDir);
  const spec = selectSource(sources, options.name);
  const layout = specLayout(root, spec.name, specsDir);
  // The report is printed at the end, verdict first.
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const started = performance.now();

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
  let provenance = spec.upstream;
  let label = layout.shown.pinned;
  if (!options.overlayOnly) {
    const source = resolveSource(spec, { from: options.from, mirror: options.from ? undefined : options.mirror });
    const fetched = await forSource(spec.name, source, () => fetchSpec(source));
    ({ bytes: newBytes, sha256: newSha, document: newUpstream } = fetched);
    label = `${spec.name} from ${displayPath(source)}`;
    provenance =
      fetched.sha256 === spec.sha256 ? (spec.upstream ?? options.upstream) : await inferProvenance(source, options.upstream);
  }
  const upstreamChanged = newSha !== spec.sha256;
  const overlayChanged = overlay?.sha256 !== spec.overlaySha256;
  if (!upstreamChanged && !overlayChanged) {
    options.log(
      `${spec.name}: already pinned to this version (${spec.upstream ? `${versionName(spec.upstream, spec.sha256)}, ` : ""}sha256 ${shortHash(spec.sha256)}) and the overlay is unchanged; nothing to do`,
    );
    return { diff: undefined, effective: undefined, bump: undefined, changeset: undefined };
  }

  // Everything that can be judged without a build, all at once.
  const checked = await preflight(newUpstream, overlay, layout);
  if (checked.sections.length > 0) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    throw await refusal(
      `refused ${label}: ${problemCount(checked.sections)} found before building, in ${seconds} s (nothing was changed)`,
      checked.sections,
    );
  }
  log(`checks before building passed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (overlay) for (const line of fixedUpstreamLines(checked.inspection.findings, overlay)) log(line);
  const diff = upstreamChanged ? await diffSpecs(oldUpstream, newUpstream) : undefined;
  const oldOverlay = await recordedOverlay(root, layout.shown.overlay, spec, overlay);
  const effective = await diffEffective(oldUpstream, newUpstream, overlay, {
    oldOverlay,
    validateOld: false,
    newEffective: checked.inspection.document,
  });
  if (effective.level === null) throw new SpecError(`cannot classify the effective change: ${effective.reason}`);
  log(`change classified (${((performance.now() - started) / 1000).toFixed(1)} s since the start)`);
  if (upstreamChanged)
    log(
      `${spec.name}: ${versionName(spec.upstream, spec.sha256)} → ${versionName(provenance, newSha)} (sha256 ${shortHash(spec.sha256)} → ${shortHash(newSha)})`,
    );
  if (overlayChanged) log(`${spec.name}: overlay ${overlay?.shown ?? "(removed)"} changed since it was last classified`);
  log(diff ? formatBoth(diff, effective) : formatEffective(effective));

  const pinned: SpecSource = { ...spec, sha256: newSha };
  if (overlay) pinned.overlaySha256 = overlay.sha256;
  else delete pinned.overlaySha256;
  if (provenance) pinned.upstream = provenance;
  else delete pinned.upstream;
  const lock: SourcesFile = { specs: sources.specs.map((s) => (s.name === spec.name ? pinned : s)) };

  // Generation is deterministic over the canonical form: the same effective document gives the same
  // files, which already build and pass, so there is nothing to gate (key-order changes, repaired lapses).
  const sameEffective = deepEqual(canonicalize(effective.documents[0]), canonicalize(effective.documents[1]));
  let tested = false;
  if (sameEffective) {
    log("same effective document: the generated files do not change, nothing to rebuild or test");
  } else {
    tested = await gateAndAdopt(
      root,
      async (candidate) => {
        const inCandidate = specLayout(candidate, layout.name);
        await writeFileAtomic(inCandidate.pinned, newBytes);
        await writeSources(inCandidate.specsDir, lock);
      },
      { label, skipTests: options.skipTests === true, log },
    );
  }
  if (upstreamChanged) await writeFileAtomic(layout.pinned, newBytes);
  await writeSources(specsDir, lock);
  // The flagship's overlay is shared by the model set: its lock, MODELS.md and changeset follow.
  const models = await followModelSet(root);
  if (models && models.level !== "none") log(formatSetDiff(models).join("\n"));
  const level = models && LEVELS.indexOf(models.level) > LEVELS.indexOf(effective.level) ? models.level : effective.level;

  const bump = bumpFor(level, await clientVersion(root));
  let changeset: string | undefined;
  if (bump) {
    // Named after what moved: the new upstream version, or the new overlay.
    const [kind, id] = upstreamChanged ? ["spec", newSha.slice(0, 8)] : ["overlay", (overlay?.sha256 ?? "removed").slice(0, 8)];
    changeset = join(root, ".changeset", `${kind}-${spec.name.replace(/[^A-Za-z0-9]+/g, "-")}-${id}.md`);
    await writeFileAtomic(
      changeset,
      changesetFor({
        name: spec.name,
        oldVersion: versionName(spec.upstream, spec.sha256),
        newVersion: versionName(provenance, newSha),
        hashes: [spec.sha256, newSha],
        raw: diff,
        effective,
        overlay: overlay?.shown,
        bump,
        untested: !sameEffective && !tested,
        ...(models && models.level !== "none" ? { models: formatSetDiff(models) } : {}),
      }),
    );
    log(`changeset: ${relative(root, changeset)} (${bump} bump for an effective ${effective.level} change)`);
  } else {
    log("no semantic change for users: lock updated, no changeset");
  }
  const verdict = bump
    ? `${bump} release for an effective ${effective.level} change`
    : "no release (no semantic change for users)";
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  options.log(
    `${spec.name}: accepted ${upstreamChanged ? versionName(provenance, newSha) : "the overlay edit"}: ${verdict} (${seconds} s)`,
  );
  for (const line of lines) options.log(line);
  return { diff, effective, bump, changeset };
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
