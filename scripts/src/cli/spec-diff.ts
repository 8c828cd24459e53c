/**
 * `pnpm spec:diff <old> <new> [--json] [--no-compiler] [--name <spec>] [--overlay <file>] [--no-overlay]`:
 * classify the change between two upstream OpenAPI files, and the change users see between their
 * effective documents (each with the spec's overlay applied).
 */
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { answerHelp, runCli } from "../cli-run";
import { diffEffective, diffSpecs, formatBoth, toJson } from "../diff/diff";
import { SpecError } from "../errors";
import { defaultSpecsDir } from "../layout";
import { diffModelSets, formatSetDiff, type SetSide } from "../models/diff-set";
import { readModelOverlays } from "../models/effective-model";
import { API_DOCS_REPOSITORY, MODELS_FOLDER, readModelsLock } from "../models/lock";
import { scanSet } from "../models/scan";
import { folderReader } from "../models/set-reader";
import { type LoadedOverlay, loadOverlayText, readOverlay } from "../overlay";
import { readSources, selectSource } from "../sources";
import { parseOpenAPI } from "../validate-spec";

const USAGE = "usage: spec:diff <old> <new> [--json] [--name <spec>] [--overlay <file>] [--no-overlay] [--no-compiler]";

const HELP = `${USAGE}

Classifies the change between two upstream OpenAPI files (breaking, additive, docs or none), and
the change users see between their effective documents (each with the spec's overlay applied).
Exit 0 whatever the level; non-zero only for unreadable input.

Given two folders in upstream's layout (<Provider>/<model>.json, as in api-docs'
docs/api-references/text-models-llm/), compares the model sets: models added and removed, and the
changes of each model's effective document (shared and per-spec overlays of specs/ applied),
grouped by model. JSON: { level, added, removed, groups: [{ models, level, changes }] }.

options:
  --json          the JSON form: { level, changes, effectiveLevel, effective }
  --name <spec>   whose overlay to apply, when several specs are pinned
  --overlay <f>   apply this overlay file instead
  --no-overlay    compare upstream's documents only
  --no-compiler   rules only, without TypeScript's check of the generated types
  -h, --help      this text`;

runCli("spec:diff", async () => {
  answerHelp(HELP);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    throw new SpecError(`${(error as Error).message} (${USAGE})`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new SpecError(`expected two files or two folders (${USAGE})`);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const [oldFile = "", newFile = ""] = positionals;
  const folders = await Promise.all(
    positionals.map((p) =>
      stat(resolve(cwd, p)).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  if (folders[0] && folders[1]) {
    const diff = await diffFolders(resolve(cwd, oldFile), resolve(cwd, newFile));
    console.log(values.json ? JSON.stringify(diff, null, 2) : formatSetDiff(diff).join("\n"));
    return;
  }
  if (folders[0] || folders[1]) throw new SpecError(`compare two files or two folders, not one of each (${USAGE})`);
  const [oldDoc, newDoc] = await Promise.all([load(resolve(cwd, oldFile), oldFile), load(resolve(cwd, newFile), newFile)]);
  const overlay = values["no-overlay"] ? undefined : await chooseOverlay(values, cwd);
  const compiler = !values["no-compiler"];
  const [result, effective] = await Promise.all([
    diffSpecs(oldDoc, newDoc, { compiler }),
    diffEffective(oldDoc, newDoc, overlay, { compiler }),
  ]);
  console.log(values.json ? JSON.stringify(toJson(result, effective), null, 2) : formatBoth(result, effective));
});

/** Two model sets, each selected by the rule and made effective with the repository's model overlays. */
async function diffFolders(oldDir: string, newDir: string) {
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const lock = await readModelsLock(specsDir);
  const sides = await Promise.all(
    [oldDir, newDir].map(async (dir) => {
      const scanned = await scanSet(await folderReader(dir), {
        repository: lock?.repository ?? API_DOCS_REPOSITORY,
        commit: "0".repeat(40),
        folder: lock?.folder ?? MODELS_FOLDER,
        sharedOverlays: lock?.sharedOverlays ?? [],
      });
      const overlays = await readModelOverlays(specsDir, scanned.lock.sharedOverlays, Object.keys(scanned.lock.files));
      return { files: scanned.files, overlays };
    }),
  );
  return diffModelSets(sides[0] as SetSide, sides[1] as SetSide);
}

function parse() {
  return parseArgs({
    options: {
      json: { type: "boolean" },
      "no-compiler": { type: "boolean" },
      name: { type: "string" },
      overlay: { type: "string" },
      "no-overlay": { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
}

/** --overlay <file>, else the overlay of the named (or only) pinned spec, if it has one. */
async function chooseOverlay(values: { name?: string; overlay?: string }, cwd: string): Promise<LoadedOverlay | undefined> {
  if (values.overlay) {
    const path = resolve(cwd, values.overlay);
    const bytes = await readFile(path).catch(() => {
      throw new SpecError(`${values.overlay}: cannot read the overlay file`);
    });
    return loadOverlayText(bytes, values.overlay);
  }
  const specsDir = process.env.SPECS_DIR ?? defaultSpecsDir;
  const spec = selectSource(await readSources(specsDir), values.name);
  return readOverlay(specsDir, spec.name);
}

async function load(path: string, shown: string) {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new SpecError(`${shown}: ${error.code === "ENOENT" ? "file not found" : `cannot read (${error.code})`}`);
  });
  try {
    return await parseOpenAPI(bytes);
  } catch (error) {
    throw new SpecError(`${shown}: ${(error as Error).message}`);
  }
}
