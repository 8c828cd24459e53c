/**
 * The `models` section of specs/sources.json: the pin of every AIML chat model's spec. One upstream
 * commit of api-docs, the folder the rule selects from, a sha256 per selected file, and the files
 * the rule skipped with the reason (so a pull at the pin needs no listing of upstream's folder).
 * One lock file for the flagship and the set: a reviewer sees every pin in one place.
 */
import { join } from "node:path";
import { SpecError } from "../errors";
import { readSourcesJson, writeSourcesSection } from "../sources";

/** The upstream repository the model specs come from. */
export const API_DOCS_REPOSITORY = "aimlapi/api-docs";

/** The folder of api-docs whose JSON files the selection rule looks at. */
export const MODELS_FOLDER = "docs/api-references/text-models-llm";

/** Where the pin is, as messages name it. */
export const MODELS_LOCK = "specs/sources.json (models)";

/** The model set's pin. */
export interface ModelsLock {
  repository: string;
  /** The api-docs commit (40 hex digits) every file is pinned at. */
  commit: string;
  /** The commit's date (YYYY-MM-DD), when known. */
  date?: string;
  /** Folder of api-docs the paths below are relative to. */
  folder: string;
  /** Overlays (relative to specs/overlays/) whose actions apply to every spec they match. */
  sharedOverlays: string[];
  /** sha256 of the shared and per-spec overlays when spec:update last recorded them (see overlays-hash.ts). */
  overlaysSha256?: string;
  /** Selected files: path under `folder` → sha256 of upstream's bytes. */
  files: Record<string, string>;
  /** Files of the folder the rule skipped: path → why. */
  skipped: Record<string, string>;
}

/** Where the pulled model specs live inside a specs folder (git-ignored). */
export function modelsDir(specsDir: string): string {
  return join(specsDir, "models");
}

const HEX40 = /^[0-9a-f]{40}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const SAFE_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._ -]+(?:\/[A-Za-z0-9._ -]+)*\.json$/;

/** True when a path under the folder is a plain relative path to a JSON file (no `..`, no absolute path). */
export function isSafeSpecPath(path: string): boolean {
  return SAFE_PATH.test(path);
}

/** Reads and checks the pin; `undefined` when the repository pins no model set. */
export async function readModelsLock(specsDir: string): Promise<ModelsLock | undefined> {
  const section = (await readSourcesJson(specsDir))?.models;
  if (section === undefined) return undefined;
  const path = MODELS_LOCK;
  if (typeof section !== "object" || section === null || Array.isArray(section)) throw new SpecError(`${path} must be an object`);
  const lock = section as Partial<ModelsLock>;
  if (typeof lock.repository !== "string" || !/^[\w.-]+\/[\w.-]+$/.test(lock.repository))
    throw new SpecError(`${path}: "repository" must be owner/name`);
  if (typeof lock.commit !== "string" || !HEX40.test(lock.commit))
    throw new SpecError(`${path}: "commit" must be a full 40-digit lowercase hex commit`);
  if (lock.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(lock.date)))
    throw new SpecError(`${path}: "date" must be YYYY-MM-DD`);
  if (typeof lock.folder !== "string" || lock.folder.startsWith("/") || lock.folder.includes(".."))
    throw new SpecError(`${path}: "folder" must be a relative folder of ${lock.repository}`);
  if (
    !Array.isArray(lock.sharedOverlays) ||
    lock.sharedOverlays.some((o) => typeof o !== "string" || !/^[\w.-]+\.overlay\.yaml$/.test(o))
  )
    throw new SpecError(`${path}: "sharedOverlays" must list overlay file names of specs/overlays/`);
  if (lock.overlaysSha256 !== undefined && (typeof lock.overlaysSha256 !== "string" || !HEX64.test(lock.overlaysSha256)))
    throw new SpecError(`${path}: "overlaysSha256" must be a lowercase hex sha256`);
  const files = lock.files;
  if (!files || typeof files !== "object" || Object.keys(files).length === 0)
    throw new SpecError(`${path}: "files" must map at least one spec path to its sha256`);
  for (const [file, hash] of Object.entries(files)) {
    if (!isSafeSpecPath(file)) throw new SpecError(`${path}: "${file}" is not a relative path to a .json file`);
    if (typeof hash !== "string" || !HEX64.test(hash)) throw new SpecError(`${path}: ${file} needs a lowercase hex sha256`);
  }
  const skipped = lock.skipped ?? {};
  if (typeof skipped !== "object") throw new SpecError(`${path}: "skipped" must map paths to reasons`);
  return { ...(lock as ModelsLock), skipped };
}

/** Writes the pin atomically (the flagship's section is kept), its files sorted so that diffs of it read well. */
export async function writeModelsLock(specsDir: string, lock: ModelsLock): Promise<void> {
  const sorted = (record: Record<string, string>) =>
    Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, record[k] as string]),
    );
  const out: ModelsLock = { ...lock, files: sorted(lock.files), skipped: sorted(lock.skipped) };
  await writeSourcesSection(specsDir, "models", out);
}
