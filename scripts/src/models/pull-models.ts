/**
 * Pulls the pinned model set into specs/models/: reads each locked file (kept when the local copy
 * already has the pinned bytes), checks its sha256, applies the selection rule and today's
 * validation to its effective document, then swaps the whole folder in at once. Any failure leaves
 * specs/models/ exactly as it was.
 */

import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SpecError } from "../errors";
import { sha256, shortHash } from "../hash";
import { describeViolation, validateOpenAPI } from "../openapi-validation";
import { withoutUnreachableSchemas } from "../reachability";
import { type OpenAPIDocument, parseOpenAPI } from "../validate-spec";
import { type ModelOverlays, modelEffective, readModelOverlays } from "./effective-model";
import { type ModelsLock, modelsDir } from "./lock";
import { type Candidate, type DuplicateResolution, resolveDuplicates, selectChatSpec } from "./select";
import { cacheKey, readCached, writeCached } from "./shape-cache";
import { extractShapes, type ModelShapes } from "./shapes";
import { fileSource, mapLimit, readWithRetries } from "./sources";
import { recordVerified } from "./verified-stamp";

/** How a pull goes. */
export interface PullModelsOptions {
  /** A folder (or URL) laid out as api-docs/<commit>/<path>; upstream's raw files when absent. */
  mirror?: string;
  /** Files read at once (default 8). */
  concurrency?: number;
  /** Validate every file, not only those read (spec:pull does; spec:ensure checks only what it fetched). */
  validateAll?: boolean;
}

/** What a pull did. */
export interface PullModelsResult {
  files: number;
  fetched: number;
  ids: number;
  bytes: number;
  /** Set when every file was parsed (validateAll, or all fetched). */
  duplicates?: DuplicateResolution[];
}

/** A model spec checked as the pull checks it: selected by the rule, effective document valid. */
export async function checkModelSpec(path: string, bytes: Uint8Array, overlays: ModelOverlays): Promise<Candidate> {
  const key = cacheKey(path, bytes, overlays);
  const documents = (shapes: ModelShapes) => shapes.completion !== undefined || shapes.chunk !== undefined;
  const cached = await readCached(key);
  // The same bytes with the same overlays passed before: the result cannot differ.
  if (cached?.validated) return { path, ids: cached.ids, documentsResponse: documents(cached.shapes) };
  try {
    const document = await parseOpenAPI(bytes);
    const selection = selectChatSpec(document);
    if (!selection.selected) throw new SpecError(`no longer a chat model's spec: ${selection.reason}`);
    const effective = await modelEffective(document, overlays, path);
    const violations = await validateOpenAPI(withoutUnreachableSchemas(effective.document) as OpenAPIDocument);
    const first = violations[0];
    if (first) throw new SpecError(`invalid OpenAPI after the overlays: ${describeViolation(first, violations.length - 1)}`);
    const shapes = extractShapes(effective.document);
    await writeCached(key, { ids: selection.ids, shapes, sharedUnmatched: effective.sharedUnmatched, validated: true });
    return { path, ids: selection.ids, documentsResponse: documents(shapes) };
  } catch (error) {
    throw error instanceof SpecError ? new SpecError(`${path}: ${error.message}`) : error;
  }
}

/** Pulls every locked file; writes the folder only when all of them pass. */
export async function pullModels(specsDir: string, lock: ModelsLock, options: PullModelsOptions = {}): Promise<PullModelsResult> {
  const dir = modelsDir(specsDir);
  const paths = Object.keys(lock.files).sort();
  const overlays = await readModelOverlays(specsDir, lock.sharedOverlays, paths);
  const read = await mapLimit(paths, options.concurrency ?? 8, async (path) => {
    const pinned = lock.files[path] as string;
    const local = await readFile(join(dir, path)).catch(() => undefined);
    if (local && sha256(local) === pinned) return { path, bytes: local, fetched: false };
    const source = fileSource(lock, path, options.mirror);
    let bytes: Uint8Array;
    try {
      bytes = (await readWithRetries(source)).bytes;
    } catch (error) {
      throw error instanceof SpecError ? new SpecError(`${path} from ${source}: ${error.message}`) : error;
    }
    const got = sha256(bytes);
    if (got !== pinned)
      throw new SpecError(
        `${path} from ${source}: sha256 mismatch: got ${shortHash(got)}, pinned ${shortHash(pinned)} in specs/sources.json (models)`,
      );
    return { path, bytes, fetched: true };
  });
  const fetched = read.filter((r) => r.fetched);
  const candidates: Candidate[] = [];
  for (const file of options.validateAll ? read : fetched) candidates.push(await checkModelSpec(file.path, file.bytes, overlays));
  if (fetched.length > 0) await replaceFolder(dir, read);
  await recordVerified(specsDir, lock);
  const complete = candidates.length === read.length;
  return {
    files: read.length,
    fetched: fetched.length,
    ids: new Set(candidates.flatMap((c) => c.ids)).size,
    bytes: read.reduce((sum, r) => sum + r.bytes.byteLength, 0),
    ...(complete ? { duplicates: resolveDuplicates(candidates).duplicates } : {}),
  };
}

/** Writes every file into a fresh folder beside `dir`, then swaps it in: readers see the old set or the new one. */
export async function replaceFolder(dir: string, files: { path: string; bytes: Uint8Array }[]): Promise<void> {
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = join(dirname(dir), `.tmp-models-${suffix}`);
  const previous = join(dirname(dir), `.tmp-models-old-${suffix}`);
  try {
    for (const file of files) {
      const target = join(staging, file.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.bytes);
    }
    const hadPrevious = await rename(dir, previous).then(
      () => true,
      () => false,
    );
    try {
      await rename(staging, dir);
    } catch (error) {
      if (hadPrevious) await rename(previous, dir);
      throw error;
    }
    await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
