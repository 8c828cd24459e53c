import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { must } from "@aimlapi-sdk/devkit/commands";
import type { Registry } from "@aimlapi-sdk/devkit/registry";

/**
 * Files a published tarball may hold: the build (in folders too), the manifest, the readme, the
 * licence, and the manifests that point subpath imports at the build for resolvers without `exports`.
 */
const ALLOWED =
  /^package\/(dist\/([\w-]+\/)*[\w.-]+\.(mjs|cjs|d\.mts|d\.cts)|([\w-]+\/)*package\.json|README\.md|CHANGELOG\.md|LICENSE)$/;

/**
 * Downloads a published tarball from the registry, unpacks it and checks what is inside: only the
 * allowed files, no source maps, no specs or tests, nothing shaped like a credential, and (given
 * `localDist`) a `dist` identical, file for file, to that local build.
 */
export async function inspectTarball(registry: Registry, name: string, version: string, localDist?: string): Promise<string[]> {
  const meta = (await (await fetch(`${registry.url}/${name.replace("/", "%2f")}/${version}`)).json()) as {
    dist: { tarball: string };
  };
  const dir = mkdtempSync(join(tmpdir(), "aimlapi-tarball-"));
  try {
    const file = join(dir, "package.tgz");
    writeFileSync(file, Buffer.from(await (await fetch(meta.dist.tarball)).arrayBuffer()));
    await must("tar", ["-xzf", file, "-C", dir], { cwd: dir });
    const files = walk(join(dir, "package")).map((f) => `package/${relative(join(dir, "package"), f)}`);
    const unexpected = files.filter((f) => !ALLOWED.test(f));
    if (unexpected.length > 0) throw new Error(`${name}@${version} ships unexpected files: ${unexpected.join(", ")}`);
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      if (/sourceMappingURL|_authToken|\bsk-[A-Za-z0-9]{20,}|Bearer [A-Za-z0-9._-]{24,}/.test(text)) {
        throw new Error(`${name}@${version}: ${f} holds a source-map link or something shaped like a credential`);
      }
    }
    if (localDist) {
      const published = files.filter((f) => f.startsWith("package/dist/")).map((f) => f.slice("package/dist/".length));
      const local = walk(localDist)
        .map((f) => relative(localDist, f))
        .sort();
      if (published.sort().join() !== local.join())
        throw new Error(`${name}@${version}: dist holds ${published.join(", ")}, the local build ${local.join(", ")}`);
      const differ = published.filter(
        (f) => !readFileSync(join(dir, "package", "dist", f)).equals(readFileSync(join(localDist, f))),
      );
      if (differ.length > 0) throw new Error(`${name}@${version}: published ${differ.join(", ")} differ from a local build`);
    }
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
