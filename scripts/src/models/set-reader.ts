/**
 * Where a model set is read from, as one interface: upstream's folder at a commit (raw files, or a
 * mirror laid out as api-docs/<commit>/<path>), or a local folder in upstream's layout
 * (`<Provider>/<model>.json`), such as a checkout of api-docs.
 */
import { readdir, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { SpecError } from "../errors";
import { readSource } from "../read-source";
import { fileSource, listFolder, readWithRetries, type SetOrigin } from "./sources";

/** A set's files: their paths under the models folder, and their bytes. */
export interface SetReader {
  /** What the set is, for messages. */
  label: string;
  /** The upstream commit the files are at, when known. */
  commit?: string;
  list(): Promise<string[]>;
  read(path: string): Promise<Uint8Array>;
}

/** Upstream's folder at a commit: from the mirror when given, else raw.githubusercontent.com. */
export function commitReader(origin: SetOrigin, mirror?: string): SetReader {
  return {
    label: `${origin.repository} ${origin.commit.slice(0, 8)}${mirror ? ` (mirror ${mirror})` : ""}`,
    commit: origin.commit,
    list: () => listFolder(origin, mirror),
    read: async (path) => (await readWithRetries(fileSource(origin, path, mirror))).bytes,
  };
}

/** A local folder in upstream's layout; its commit is read from an `api-docs/<commit>/` in its path, if any. */
export async function folderReader(dir: string): Promise<SetReader> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new SpecError(`${dir} is not a folder`);
  const commit = /(?:^|\/)api-docs\/([0-9a-f]{40})\//.exec(`${root}/`)?.[1];
  return {
    label: dir,
    ...(commit ? { commit } : {}),
    list: async () =>
      (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && e.name.endsWith(".json"))
        .map((e) => relative(root, join(e.parentPath, e.name)).split("\\").join("/"))
        .sort(),
    read: async (path) => (await readSource(join(root, path))).bytes,
  };
}
