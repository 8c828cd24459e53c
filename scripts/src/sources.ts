import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write";
import { SpecError } from "./errors";
import { isProvenance, type Provenance } from "./provenance";

/** One pinned upstream spec, as recorded in specs/sources.json. */
export interface SpecSource {
  /** File stem: the spec is pulled to specs/<name>.json. */
  name: string;
  /** Upstream address fetched by default. */
  url: string;
  /** Lowercase hex sha256 of the exact upstream bytes the repository is pinned to. */
  sha256: string;
  /**
   * sha256 of specs/overlays/<name>.overlay.yaml when its effect was last classified by spec:update
   * (absent when the spec has no overlay). spec:check fails when the file no longer matches, so no
   * overlay edit reaches a release without a changeset.
   */
  overlaySha256?: string;
  /** The upstream commit that published the pinned bytes, and its date, when known. */
  upstream?: Provenance;
}

/** The pinned specs of the lock file (its `models` section is read by models/lock.ts). */
export interface SourcesFile {
  specs: SpecSource[];
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Path of the lock file inside a specs folder. */
export function sourcesPath(specsDir: string): string {
  return join(specsDir, "sources.json");
}

/**
 * The sections of specs/sources.json as parsed JSON, or undefined when the file is absent. Besides
 * `specs` (read by readSources) it holds `models`, the model set's pin (models/lock.ts).
 */
export async function readSourcesJson(specsDir: string): Promise<Record<string, unknown> | undefined> {
  const path = sourcesPath(specsDir);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SpecError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new SpecError(`${path} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

/** Replaces one section of specs/sources.json atomically; the other sections stay as they are on disk. */
export async function writeSourcesSection(specsDir: string, key: string, value: unknown): Promise<void> {
  const sections = { ...((await readSourcesJson(specsDir)) ?? {}), [key]: value };
  await writeFileAtomic(sourcesPath(specsDir), `${JSON.stringify(sections, null, 2)}\n`);
}

/** Reads and checks the pinned specs of specs/sources.json. */
export async function readSources(specsDir: string): Promise<SourcesFile> {
  const path = sourcesPath(specsDir);
  const parsed = await readSourcesJson(specsDir);
  if (!parsed) throw new SpecError(`cannot read ${path}`);
  const specs = (parsed as Partial<SourcesFile> | null)?.specs;
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new SpecError(`${path} must hold a non-empty "specs" array`);
  }
  for (const s of specs as Partial<SpecSource>[]) {
    if (typeof s?.name !== "string" || !NAME_RE.test(s.name)) {
      throw new SpecError(`${path}: every spec needs a file-safe "name"`);
    }
    if (typeof s.url !== "string" || !/^https?:\/\//.test(s.url)) {
      throw new SpecError(`${path}: spec ${s.name} needs an http(s) "url"`);
    }
    if (typeof s.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(s.sha256)) {
      throw new SpecError(`${path}: spec ${s.name} needs a lowercase hex "sha256"`);
    }
    if (s.overlaySha256 !== undefined && (typeof s.overlaySha256 !== "string" || !/^[0-9a-f]{64}$/.test(s.overlaySha256))) {
      throw new SpecError(`${path}: spec ${s.name} has an "overlaySha256" that is not a lowercase hex sha256`);
    }
    if (s.upstream !== undefined && !isProvenance(s.upstream)) {
      throw new SpecError(`${path}: spec ${s.name} has an "upstream" that is not { "commit": <hex>, "date": "YYYY-MM-DD" }`);
    }
  }
  return { specs: specs as SpecSource[] };
}

/** Picks the named spec, or the only one when no name is given. */
export function selectSource(sources: SourcesFile, name: string | undefined): SpecSource {
  if (name === undefined) {
    const [only, ...rest] = sources.specs;
    if (only && rest.length === 0) return only;
    throw new SpecError(`several specs are pinned; choose one with --name (${sources.specs.map((s) => s.name).join(", ")})`);
  }
  const found = sources.specs.find((s) => s.name === name);
  if (!found) throw new SpecError(`no spec named "${name}" in sources.json`);
  return found;
}

/** Rewrites the pinned specs of specs/sources.json atomically (the model set's section is kept). */
export async function writeSources(specsDir: string, sources: SourcesFile): Promise<void> {
  await writeSourcesSection(specsDir, "specs", sources.specs);
}
