/**
 * `spec:update --models`: moves the model set's pin to another api-docs commit (or a local folder in
 * upstream's layout), or records an edit of the overlays that shape it. Every file is checked
 * before anything is built (all problems at once); the change is classified per model; the new set
 * is regenerated, built and tested in a candidate copy; only a passing set is adopted, with its
 * lock, MODELS.md and one changeset grouped by model.
 */
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { writeFileAtomic } from "../atomic-write";
import { bumpFor, clientVersion, SPEC_PACKAGES } from "../changeset";
import { pinnedEffective } from "../effective";
import { SpecError } from "../errors";
import { buildCatalog, readPinnedModel } from "../models/catalog";
import { diffModelSets, formatSetDiff, type SetDiff } from "../models/diff-set";
import { type ModelOverlays, readModelOverlays } from "../models/effective-model";
import { type ModelsLock, modelsDir, readModelsLock, writeModelsLock } from "../models/lock";
import { modelsDocText } from "../models/models-doc";
import { overlaysHash } from "../models/overlays-hash";
import { checkModelSpec, pullModels, replaceFolder } from "../models/pull-models";
import { scanSet } from "../models/scan";
import { selectChatSpec } from "../models/select";
import { commitReader, folderReader, type SetReader } from "../models/set-reader";
import { type LoadedOverlay, loadOverlayText } from "../overlay";
import type { Provenance } from "../provenance";
import { readSources } from "../sources";
import { gateAndAdopt, requireCleanTree } from "./adopt";
import { problemCount, refusal, type Section } from "./report";

/** How a model-set update runs. */
export interface UpdateModelsOptions {
  root: string;
  /** A local folder in upstream's layout, or an api-docs commit (40 hex digits); absent: the pinned set, to record overlay edits. */
  from?: string;
  /** SPEC_MIRROR: where a commit's files are read (api-docs/<commit>/<path>). */
  mirror?: string;
  /** The commit and date of a folder whose path does not name its commit. */
  upstream?: Provenance;
  skipTests?: boolean;
  log: (line: string) => void;
}

/** What the update did. */
export interface UpdateModelsResult {
  diff: SetDiff | undefined;
  changeset: string | undefined;
}

/** Runs the update; throws a one-line SpecError or a SpecRefusal, changing nothing, when it refuses. */
export async function updateModels(options: UpdateModelsOptions): Promise<UpdateModelsResult> {
  const { root } = options;
  const specsDir = join(root, "specs");
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  requireCleanTree(root);
  const oldLock = await readModelsLock(specsDir);
  if (!oldLock) throw new SpecError("specs/sources.json (models) pins no model set");
  // The pinned set is the "before" side; pull what this checkout lacks first.
  await pullModels(specsDir, oldLock, { mirror: options.mirror });
  const oldFiles = new Map<string, Uint8Array>();
  for (const path of Object.keys(oldLock.files)) oldFiles.set(path, await readPinnedModel(specsDir, oldLock, path));

  let newLock: ModelsLock = oldLock;
  let newFiles = oldFiles;
  let label = `the pinned model set (api-docs ${oldLock.commit.slice(0, 8)})`;
  if (options.from) {
    const reader = await chooseReader(options.from, oldLock, options.mirror);
    const commit = reader.commit ?? options.upstream?.commit;
    if (!commit || !/^[0-9a-f]{40}$/.test(commit))
      throw new SpecError(
        `${options.from} does not say which api-docs commit it is: give --upstream-commit <40-digit sha> (and --upstream-date)`,
      );
    const date = options.upstream?.commit === commit ? options.upstream.date : undefined;
    const scanned = await scanSet(reader, {
      repository: oldLock.repository,
      commit,
      ...(date ? { date } : {}),
      folder: oldLock.folder,
      sharedOverlays: oldLock.sharedOverlays,
    });
    newLock = scanned.lock;
    newFiles = scanned.files;
    label = `model set from ${reader.label}`;
  }
  const overlays = await readModelOverlays(specsDir, newLock.sharedOverlays, Object.keys(newLock.files));
  newLock = { ...newLock, overlaysSha256: overlaysHash(overlays) };
  const sameFiles = JSON.stringify(newLock.files) === JSON.stringify(oldLock.files);
  if (sameFiles && newLock.overlaysSha256 === oldLock.overlaysSha256 && newLock.commit === oldLock.commit) {
    options.log(`models: already pinned to api-docs ${oldLock.commit.slice(0, 8)} with these overlays; nothing to do`);
    return { diff: undefined, changeset: undefined };
  }

  // Everything that can be judged without a build, for every file, all at once.
  const problems: string[] = [];
  for (const [path, bytes] of newFiles) {
    await checkModelSpec(path, bytes, overlays).catch((error: unknown) => {
      if (!(error instanceof SpecError)) throw error;
      problems.push(error.message);
    });
  }
  if (problems.length > 0) {
    const sections: Section[] = [
      { title: `model specs that fail the pull's checks with the overlays applied (${problems.length})`, lines: problems },
    ];
    throw await refusal(
      `refused ${label}: ${problemCount(sections)} found before building, in ${elapsed()} (nothing was changed)`,
      sections,
    );
  }
  const lines: string[] = [`checks before building passed for ${newFiles.size} specs (${elapsed()})`];

  const flagship = await flagshipDocument(specsDir);
  const flagshipSelection = flagship ? selectChatSpec(flagship) : undefined;
  const exclude = new Set(flagshipSelection?.selected ? flagshipSelection.ids : []);
  const diff = await diffModelSets(
    { files: oldFiles, overlays: await committedOverlays(root, specsDir, oldLock, overlays) },
    { files: newFiles, overlays },
    exclude,
  );
  lines.push(`change classified (${elapsed()})`, ...formatSetDiff(diff));
  for (const { file, lost } of diff.drift)
    lines.push(`shared overlay actions that no longer apply to ${file}: ${lost.join("; ")}`);

  const prepareSet = async (dir: string) => {
    await replaceFolder(
      modelsDir(join(dir, "specs")),
      [...newFiles].map(([path, bytes]) => ({ path, bytes })),
    );
    await writeModelsLock(join(dir, "specs"), newLock);
  };
  let tested = false;
  if (diff.level === "none" && sameFiles) {
    lines.push("no change to any model's types: nothing to rebuild or test");
  } else {
    tested = await gateAndAdopt(root, prepareSet, { label, skipTests: options.skipTests === true, log: (l) => lines.push(l) });
  }
  await prepareSet(root);
  const catalog = await buildCatalog(specsDir, newLock, flagship);
  await writeFileAtomic(join(root, "MODELS.md"), modelsDocText(catalog, newLock));

  const bump = bumpFor(diff.level, await clientVersion(root));
  let changeset: string | undefined;
  if (bump) {
    const id = options.from ? newLock.commit.slice(0, 8) : (newLock.overlaysSha256 as string).slice(0, 8);
    changeset = join(root, ".changeset", `models-${options.from ? "spec" : "overlay"}-${id}.md`);
    await writeFileAtomic(changeset, modelsChangeset(oldLock, newLock, diff, bump, !tested && diff.level !== "none"));
    lines.push(`changeset: ${relative(root, changeset)} (${bump} bump for a ${diff.level} change to the model set)`);
  } else {
    lines.push("no semantic change for users: lock updated, no changeset");
  }
  options.log(`models: accepted ${label}: ${bump ? `${bump} release for a ${diff.level} change` : "no release"} (${elapsed()})`);
  for (const line of lines) options.log(line);
  return { diff, changeset };
}

/** --from: a local folder, or an api-docs commit read from the mirror or upstream. */
async function chooseReader(from: string, lock: ModelsLock, mirror: string | undefined): Promise<SetReader> {
  if (/^[0-9a-f]{40}$/.test(from))
    return commitReader({ repository: lock.repository, commit: from, folder: lock.folder }, mirror);
  if (/^[0-9a-f]{7,39}$/.test(from)) throw new SpecError(`give the full 40-digit commit, not ${from}`);
  return folderReader(from);
}

/** The flagship's effective document (its ids are typed by it, not by the set). */
async function flagshipDocument(specsDir: string) {
  const [spec] = (await readSources(specsDir)).specs;
  return spec ? (await pinnedEffective(specsDir, spec)).document : undefined;
}

/**
 * The overlays as committed (what users have now), for the "before" side: an uncommitted overlay
 * edit is then part of the change classified. Outside git, the overlays on disk.
 */
export async function committedOverlays(
  root: string,
  specsDir: string,
  lock: ModelsLock,
  current: ModelOverlays,
): Promise<ModelOverlays> {
  const committed = (path: string, shown: string): LoadedOverlay | undefined => {
    try {
      const bytes = execFileSync("git", ["show", `HEAD:${relative(root, path)}`], {
        cwd: root,
        stdio: ["ignore", "pipe", "ignore"],
      });
      return loadOverlayText(bytes, shown);
    } catch {
      return undefined;
    }
  };
  const shared = current.shared.map((o) => committed(join(specsDir, "..", o.shown), o.shown) ?? o);
  const own = new Map<string, LoadedOverlay>();
  for (const path of Object.keys(lock.files)) {
    const shown = `specs/overlays/models/${path.replace(/\.json$/, ".overlay.yaml")}`;
    const found = committed(join(root, shown), shown);
    if (found) own.set(path, found);
  }
  return { shared, own };
}

/** The changeset: bump per package, the changelog line naming both commits, then the changes by model. */
function modelsChangeset(oldLock: ModelsLock, newLock: ModelsLock, diff: SetDiff, bump: string, untested: boolean): string {
  const version = (lock: ModelsLock) => `${lock.commit.slice(0, 8)}${lock.date ? ` (${lock.date})` : ""}`;
  const front = SPEC_PACKAGES.map((p) => `"${p}": ${bump}`).join("\n");
  const head =
    oldLock.commit === newLock.commit
      ? `Corrections of the model specs at api-docs ${version(newLock)} changed: the change to the types and the mock is **${diff.level}**.`
      : `Upstream model specs api-docs ${version(newLock)}: the change to the types and the mock is **${diff.level}**. Previous version: api-docs ${version(oldLock)}.`;
  const notes = untested
    ? ["Adopted with `spec:update --models --skip-tests`: the spec-dependent test suites were not run against it."]
    : [];
  return `---\n${front}\n---\n\n${head}\n\n${formatSetDiff(diff).slice(1).join("\n")}\n${notes.length > 0 ? `\n${notes.join("\n")}\n` : ""}`;
}

/**
 * After a flagship update: gpt-4.1's overlay is shared by the model set, so the set's lock records
 * the overlays as they now are and MODELS.md follows. Returns the set's change when the overlays
 * moved (the flagship's changeset lists it), else undefined.
 */
export async function followModelSet(root: string): Promise<SetDiff | undefined> {
  const specsDir = join(root, "specs");
  const lock = await readModelsLock(specsDir);
  if (!lock) return undefined;
  const overlays = await readModelOverlays(specsDir, lock.sharedOverlays, Object.keys(lock.files));
  const hash = overlaysHash(overlays);
  let diff: SetDiff | undefined;
  if (hash !== lock.overlaysSha256) {
    const files = new Map<string, Uint8Array>();
    for (const path of Object.keys(lock.files)) files.set(path, await readPinnedModel(specsDir, lock, path));
    const flagship = await flagshipDocument(specsDir);
    const selection = flagship ? selectChatSpec(flagship) : undefined;
    diff = await diffModelSets(
      { files, overlays: await committedOverlays(root, specsDir, lock, overlays) },
      { files, overlays },
      new Set(selection?.selected ? selection.ids : []),
    );
    await writeModelsLock(specsDir, { ...lock, overlaysSha256: hash });
  }
  const catalog = await buildCatalog(specsDir, lock, await flagshipDocument(specsDir));
  await writeFileAtomic(join(root, "MODELS.md"), modelsDocText(catalog, lock));
  return diff;
}
