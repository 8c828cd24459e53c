/**
 * spec:check's part for the model set: the pulled files against the lock, the overlays against what
 * spec:update recorded, shared actions that apply to no spec, per-spec overlays of no spec, and the
 * generated files and MODELS.md against what the pinned set generates.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { SpecError } from "./errors";
import { sha256 } from "./hash";
import { buildCatalog } from "./models/catalog";
import { readModelOverlays, sharedActionName } from "./models/effective-model";
import { modelsDir, readModelsLock } from "./models/lock";
import { mockModelsText } from "./models/mock-table";
import { modelsDocText } from "./models/models-doc";
import { MODELS_MODULE_HEADER } from "./models/module-header";
import { overlaysHash } from "./models/overlays-hash";
import { generateModelsModule, MODELS_MODULE } from "./models/types-module";
import type { OpenAPIDocument } from "./validate-spec";

/** Every disagreement, one line each (empty when the repository pins no model set). */
export async function findModelDrift(root: string, specsDir: string, flagship: OpenAPIDocument | undefined): Promise<string[]> {
  const lock = await readModelsLock(specsDir);
  if (!lock) return [];
  const problems: string[] = [];
  const dir = modelsDir(specsDir);
  const present = (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"));
  const missing: string[] = [];
  const modified: string[] = [];
  for (const [path, pinned] of Object.entries(lock.files)) {
    const bytes = await readFile(join(dir, path)).catch(() => undefined);
    if (!bytes) missing.push(path);
    else if (sha256(bytes) !== pinned) modified.push(path);
  }
  const extra = present.filter((p) => !(p in lock.files));
  if (missing.length > 0)
    problems.push(`${missing.length} model spec(s) missing from specs/models/, first ${missing[0]} (run pnpm spec:pull)`);
  if (modified.length > 0)
    problems.push(
      `${modified.length} model spec(s) differ from their pin, first specs/models/${modified[0]} (run pnpm spec:pull)`,
    );
  if (extra.length > 0)
    problems.push(`${extra.length} file(s) in specs/models/ are not in specs/sources.json (models), first ${extra[0]}`);

  const paths = Object.keys(lock.files);
  const overlays = await readModelOverlays(specsDir, lock.sharedOverlays, paths);
  if (overlaysHash(overlays) !== lock.overlaysSha256)
    problems.push(
      "the model set's overlays changed since spec:update recorded them: run pnpm spec:update --models to classify the change and write its changeset",
    );
  const ownDir = join(specsDir, "overlays", "models");
  const ownFiles = (await readdir(ownDir, { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((e) => e.isFile() && e.name.endsWith(".overlay.yaml"))
    .map((e) =>
      relative(ownDir, join(e.parentPath, e.name))
        .split("\\")
        .join("/")
        .replace(/\.overlay\.yaml$/, ".json"),
    );
  for (const orphan of ownFiles.filter((p) => !(p in lock.files)))
    problems.push(`specs/overlays/models/${orphan.replace(/\.json$/, ".overlay.yaml")} is the overlay of no pinned model spec`);
  if (missing.length + modified.length > 0) return problems;

  let catalog: Awaited<ReturnType<typeof buildCatalog>>;
  try {
    catalog = await buildCatalog(specsDir, lock, flagship);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return [...problems, error.message];
  }
  // A shared action that applies to no spec of the set corrects nothing any more.
  for (const overlay of overlays.shared) {
    overlay.document.actions.forEach((action, index) => {
      const name = sharedActionName(overlay, index);
      if (catalog.entries.every((e) => e.sharedUnmatched.includes(name)))
        problems.push(`overlay ${name} matches no model spec: remove it (target ${action.target})`);
    });
  }
  const compare = async (file: string, expected: string, fix: string) => {
    const actual = await readFile(join(root, file), "utf8").catch(() => undefined);
    if (actual !== expected)
      problems.push(`${file} is ${actual === undefined ? "missing" : "not what the pinned model set generates"} (run ${fix})`);
  };
  await compare(
    join("packages", "types", "src", "generated", MODELS_MODULE),
    await generateModelsModule(catalog, MODELS_MODULE_HEADER),
    "pnpm codegen",
  );
  await compare(join("packages", "mock-server", "src", "generated", "models.json"), mockModelsText(catalog), "pnpm codegen");
  await compare("MODELS.md", modelsDocText(catalog, lock), "pnpm models:doc");
  return problems;
}
