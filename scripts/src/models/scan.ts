/**
 * Builds a lock from a set's files: lists them, reads every JSON file, applies the selection rule,
 * and pins each selected file by its sha256. What the rule skips is kept with why.
 */
import { SpecError } from "../errors";
import { sha256 } from "../hash";
import { parseOpenAPI } from "../validate-spec";
import type { ModelsLock } from "./lock";
import { selectChatSpec } from "./select";
import type { SetReader } from "./set-reader";
import { mapLimit } from "./sources";

/** A scanned set: the lock it pins to, and the bytes of the selected files. */
export interface ScannedSet {
  lock: ModelsLock;
  files: Map<string, Uint8Array>;
}

/** Scans a set into a lock (its origin and shared overlays given by the caller). */
export async function scanSet(reader: SetReader, base: Omit<ModelsLock, "files" | "skipped">): Promise<ScannedSet> {
  const paths = await reader.list();
  if (paths.length === 0) throw new SpecError(`${reader.label} holds no JSON file`);
  const read = await mapLimit(paths, 8, async (path) => {
    let bytes: Uint8Array;
    try {
      bytes = await reader.read(path);
    } catch (error) {
      throw error instanceof SpecError ? new SpecError(`${path} from ${reader.label}: ${error.message}`) : error;
    }
    try {
      return { path, bytes, selection: selectChatSpec(await parseOpenAPI(bytes)) };
    } catch (error) {
      // A file that is not an OpenAPI document at all is not a chat model's spec: skipped, with why.
      if (error instanceof SpecError) return { path, bytes, selection: { selected: false as const, reason: error.message } };
      throw error;
    }
  });
  const lock: ModelsLock = { ...base, files: {}, skipped: {} };
  const files = new Map<string, Uint8Array>();
  for (const file of read) {
    if (file.selection.selected) {
      lock.files[file.path] = sha256(file.bytes);
      files.set(file.path, file.bytes);
    } else {
      lock.skipped[file.path] = file.selection.reason;
    }
  }
  if (files.size === 0) throw new SpecError(`no file of ${reader.label} documents a chat model`);
  return { lock, files };
}
