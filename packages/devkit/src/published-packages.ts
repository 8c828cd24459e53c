import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./repo";

/** A workspace package that is published to npm. */
export interface PublishedPackage {
  name: string;
  version: string;
  dir: string;
}

/** The non-private packages under packages/. */
export function publishedPackages(root = repoRoot): PublishedPackage[] {
  return readdirSync(join(root, "packages"))
    .map((entry) => join(root, "packages", entry))
    .map((dir) => ({
      dir,
      pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string; private?: boolean },
    }))
    .filter(({ pkg }) => !pkg.private)
    .map(({ dir, pkg }) => ({ name: pkg.name, version: pkg.version, dir }));
}
