/**
 * Where model spec files are read from: upstream's raw files at the pinned commit, or a mirror
 * folder laid out as `api-docs/<commit>/<path>` (as ../shared/specs is). Reads run with bounded
 * concurrency and retry what may pass on a second try (network errors, 429, 5xx, cut-short bodies).
 */
import { readdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { SpecError } from "../errors";
import { isUrl, readSource, type SourceBytes } from "../read-source";

/** What identifies a model set upstream. */
export interface SetOrigin {
  repository: string;
  commit: string;
  folder: string;
}

/** The address of one file of the set: in the mirror when one is given, else upstream's raw file. */
export function fileSource(origin: SetOrigin, path: string, mirror?: string): string {
  const inRepo = `${origin.folder}/${path}`;
  if (!mirror) return `https://raw.githubusercontent.com/${origin.repository}/${origin.commit}/${inRepo}`;
  if (isUrl(mirror)) return `${mirror.replace(/\/+$/, "")}/api-docs/${origin.commit}/${inRepo}`;
  return join(resolve(mirror), "api-docs", origin.commit, inRepo);
}

/** Reads one file, retrying transient failures (up to `attempts` tries, waiting 0.5 s, then 1 s, …). */
export async function readWithRetries(source: string, attempts = 3): Promise<SourceBytes> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readSource(source);
    } catch (error) {
      const message = (error as Error).message;
      const transient = /^(network error|HTTP (429|5\d\d)|download cut short)/.test(message);
      if (!transient || attempt >= attempts) throw error;
      await new Promise((done) => setTimeout(done, 500 * 2 ** (attempt - 1)));
    }
  }
}

/** Runs `task` over `items` with at most `limit` running at once; results keep the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Every JSON file of the set's folder at its commit: from the mirror's folder, or GitHub's tree API. */
export async function listFolder(origin: SetOrigin, mirror?: string): Promise<string[]> {
  if (mirror && !isUrl(mirror)) {
    const root = join(resolve(mirror), "api-docs", origin.commit, origin.folder);
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => {
      throw new SpecError(`the mirror has no ${origin.folder} at commit ${origin.commit.slice(0, 8)} (${root})`);
    });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith(".json"))
      .map((e) => relative(root, join(e.parentPath, e.name)).split("\\").join("/"))
      .sort();
  }
  const url = `https://api.github.com/repos/${origin.repository}/git/trees/${origin.commit}?recursive=1`;
  const { bytes } = await readWithRetries(url);
  const tree = JSON.parse(Buffer.from(bytes).toString("utf8")) as {
    tree?: { path: string; type: string }[];
    truncated?: boolean;
  };
  if (!Array.isArray(tree.tree) || tree.truncated)
    throw new SpecError(`GitHub's tree of ${origin.commit.slice(0, 8)} is incomplete`);
  const prefix = `${origin.folder}/`;
  return tree.tree
    .filter((e) => e.type === "blob" && e.path.startsWith(prefix) && e.path.endsWith(".json"))
    .map((e) => e.path.slice(prefix.length))
    .sort();
}
