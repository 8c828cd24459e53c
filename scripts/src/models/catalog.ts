/**
 * The model catalog: every model id of the pinned set with its provider, spec file and the
 * distinct shapes of its request and replies. Built from the pulled files (each checked against the
 * lock) through their effective documents; the types, the mock's table and MODELS.md come from it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pinnedEffective } from "../effective";
import { SpecError } from "../errors";
import { sha256 } from "../hash";
import { readSources } from "../sources";
import { type OpenAPIDocument, parseOpenAPI } from "../validate-spec";
import { type ModelOverlays, modelEffective, readModelOverlays } from "./effective-model";
import { type ModelsLock, modelsDir, readModelsLock } from "./lock";
import { checkModelSpec } from "./pull-models";
import { type Candidate, type DuplicateResolution, resolveDuplicates, selectChatSpec } from "./select";
import { cacheKey, readCached, writeCached } from "./shape-cache";
import { extractShapes, type ModelShapes, ShapeTable } from "./shapes";
import { mapLimit } from "./sources";

/** One model id and what its spec says. */
export interface ModelEntry {
  id: string;
  /** Upstream's provider folder (`OpenAI`, `Anthropic`, …). */
  provider: string;
  /** The spec file, relative to the models folder. */
  file: string;
  /** Interned shape names. */
  request: string;
  completion?: string;
  chunk?: string;
  /** The request's parameter names. */
  parameters: string[];
  /** Shared overlay actions that did not apply to this spec. */
  sharedUnmatched: string[];
}

/** The whole catalog. */
export interface Catalog {
  entries: ModelEntry[];
  table: ShapeTable;
  duplicates: DuplicateResolution[];
  /** Shape names of the flagship's own request and replies, when a flagship document was given. */
  flagship?: { request: string; completion?: string; chunk?: string };
}

/** One spec file's contribution. */
interface FileShapes {
  path: string;
  ids: string[];
  shapes: ModelShapes;
  sharedUnmatched: string[];
}

/** Reads a pulled file, refusing one that is absent or differs from the lock. */
export async function readPinnedModel(specsDir: string, lock: ModelsLock, path: string): Promise<Uint8Array> {
  const bytes = await readFile(join(modelsDir(specsDir), path)).catch(() => {
    throw new SpecError(`specs/models/${path} is missing: run pnpm spec:pull`);
  });
  if (sha256(bytes) !== lock.files[path])
    throw new SpecError(
      `specs/models/${path} differs from its pin in specs/sources.json (models): run pnpm spec:pull to restore it`,
    );
  return bytes;
}

/** The shapes of one file's effective document (from the cache when this file and its overlays were seen). */
async function fileShapes(path: string, bytes: Uint8Array, overlays: ModelOverlays): Promise<FileShapes> {
  const key = cacheKey(path, bytes, overlays);
  const cached = await readCached(key);
  if (cached) return { path, ids: cached.ids, shapes: cached.shapes, sharedUnmatched: cached.sharedUnmatched };
  try {
    const document = await parseOpenAPI(bytes);
    const selection = selectChatSpec(document);
    if (!selection.selected) throw new SpecError(selection.reason);
    const effective = await modelEffective(document, overlays, path);
    const entry = { ids: selection.ids, shapes: extractShapes(effective.document), sharedUnmatched: effective.sharedUnmatched };
    await writeCached(key, entry);
    return { path, ...entry };
  } catch (error) {
    throw error instanceof SpecError ? new SpecError(`${path}: ${error.message}`) : error;
  }
}

/** Where a catalog's files and overlays come from, when not the pinned set's on disk. */
export interface CatalogSources {
  /** The bytes of a file of the set (default: the pulled file, checked against the lock). */
  read?: (path: string) => Promise<Uint8Array>;
  /** The overlays (default: the specs folder's). */
  overlays?: ModelOverlays;
  /** The table to intern into (one table for two sets makes their shape names comparable). */
  table?: ShapeTable;
}

/** A file's ids and whether it documents its reply (cached like its shapes), for duplicate resolution. */
export async function specFacts(path: string, bytes: Uint8Array, overlays: ModelOverlays): Promise<Candidate> {
  const { ids, shapes } = await fileShapes(path, bytes, overlays);
  return { path, ids, documentsResponse: shapes.completion !== undefined || shapes.chunk !== undefined };
}

/** Builds the catalog of a set; `flagship` (the flagship's effective document) names its shapes and types its ids. */
export async function buildCatalog(
  specsDir: string,
  lock: ModelsLock,
  flagship?: OpenAPIDocument,
  sources: CatalogSources = {},
): Promise<Catalog> {
  const paths = Object.keys(lock.files).sort();
  const overlays = sources.overlays ?? (await readModelOverlays(specsDir, lock.sharedOverlays, paths));
  const read = sources.read ?? ((path: string) => readPinnedModel(specsDir, lock, path));
  return catalogOf(paths, read, overlays, flagship, sources.table);
}

/** The catalog of files in memory (a set being compared), interned into `table`. */
export function catalogOfFiles(files: Map<string, Uint8Array>, overlays: ModelOverlays, table: ShapeTable): Promise<Catalog> {
  return catalogOf([...files.keys()].sort(), async (path) => files.get(path) as Uint8Array, overlays, undefined, table);
}

async function catalogOf(
  paths: string[],
  read: (path: string) => Promise<Uint8Array>,
  overlays: ModelOverlays,
  flagship: OpenAPIDocument | undefined,
  shared: ShapeTable | undefined,
): Promise<Catalog> {
  const files = await mapLimit(paths, 4, async (path) => fileShapes(path, await read(path), overlays));
  const table = shared ?? new ShapeTable();
  const named = (shapes: ModelShapes) => ({
    request: table.intern(shapes.request, "ChatRequest"),
    ...(shapes.completion ? { completion: table.intern(shapes.completion, "ChatCompletionBody") } : {}),
    ...(shapes.chunk ? { chunk: table.intern(shapes.chunk, "ChatCompletionChunkBody") } : {}),
  });
  const flagshipShapes = flagship ? extractShapes(flagship) : undefined;
  const flagshipNames = flagshipShapes ? named(flagshipShapes) : undefined;
  // The flagship's own ids are typed by the flagship's document (specs/sources.json), whatever the set's copy says.
  const flagshipSelection = flagship ? selectChatSpec(flagship) : undefined;
  const flagshipIds = new Set(flagshipSelection?.selected ? flagshipSelection.ids : []);
  const byPath = new Map(files.map((f) => [f.path, { file: f, names: named(f.shapes) }]));
  const { owner, duplicates } = resolveDuplicates(
    files.map((f) => ({
      path: f.path,
      ids: f.ids,
      documentsResponse: f.shapes.completion !== undefined || f.shapes.chunk !== undefined,
    })),
  );
  const entries: ModelEntry[] = [...owner].map(([id, path]) => {
    const { file, names } = byPath.get(path) as { file: FileShapes; names: ReturnType<typeof named> };
    return {
      id,
      provider: path.split("/")[0] as string,
      file: path,
      ...(flagshipNames && flagshipIds.has(id) ? flagshipNames : names),
      parameters: flagshipShapes && flagshipIds.has(id) ? flagshipShapes.parameters : file.shapes.parameters,
      sharedUnmatched: file.sharedUnmatched,
    };
  });
  return { entries, table, duplicates, ...(flagshipNames ? { flagship: flagshipNames } : {}) };
}

/** The catalog of the repository's pinned set, its shapes named against the flagship's; undefined when no model set is pinned. */
export async function pinnedCatalog(specsDir: string): Promise<Catalog | undefined> {
  const lock = await readModelsLock(specsDir);
  if (!lock) return undefined;
  const [flagship] = (await readSources(specsDir)).specs;
  const flagshipDocument = flagship ? (await pinnedEffective(specsDir, flagship)).document : undefined;
  return buildCatalog(specsDir, lock, flagshipDocument);
}

/**
 * The spec file a `--name` means: a file of the set (with or without `.json`), or a model id (the
 * file that owns it, duplicates resolved as in the catalog). Undefined when it is neither.
 */
export async function findModelSpec(specsDir: string, lock: ModelsLock, name: string): Promise<string | undefined> {
  for (const path of [name, `${name}.json`]) if (lock.files[path]) return path;
  const overlays = await readModelOverlays(specsDir, lock.sharedOverlays, Object.keys(lock.files));
  const candidates = await mapLimit(Object.keys(lock.files).sort(), 8, async (path) =>
    specFacts(path, await readPinnedModel(specsDir, lock, path), overlays),
  );
  return resolveDuplicates(candidates).owner.get(name);
}

/** A model spec's effective document (shared overlays, then its own), validated as the pull validates it. */
export async function modelEffectiveDocument(specsDir: string, lock: ModelsLock, path: string): Promise<OpenAPIDocument> {
  const overlays = await readModelOverlays(specsDir, lock.sharedOverlays, [path]);
  const bytes = await readPinnedModel(specsDir, lock, path);
  await checkModelSpec(path, bytes, overlays);
  return (await modelEffective(await parseOpenAPI(bytes), overlays, path)).document;
}
