/**
 * `pnpm spec:diff <old> <new> [--json] [--no-compiler] [--name <spec>] [--overlay <file>] [--no-overlay]`:
 * classify the change between two upstream OpenAPI files, and the change users see between their
 * effective documents (each with the spec's overlay applied).
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { answerHelp, runCli } from "../cli-run";
import { diffEffective, diffSpecs, formatBoth, toJson } from "../diff/diff";
import { SpecError } from "../errors";
import { defaultSpecsDir } from "../layout";
import { type LoadedOverlay, loadOverlayText, readOverlay } from "../overlay";
import { readSources, selectSource } from "../sources";
import { parseOpenAPI } from "../validate-spec";

const USAGE = "usage: spec:diff <old> <new> [--json] [--name <spec>] [--overlay <file>] [--no-overlay] [--no-compiler]";

const HELP = `${USAGE}

Classifies the change between two upstream OpenAPI files (breaking, additive, docs or none), and
the change users see between their effective documents (each with the spec's overlay applied).
Exit 0 whatever the level; non-zero only for unreadable input.

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
  if (positionals.length !== 2) throw new SpecError(`expected two files (${USAGE})`);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const [oldFile = "", newFile = ""] = positionals;
  const [oldDoc, newDoc] = await Promise.all([load(resolve(cwd, oldFile), oldFile), load(resolve(cwd, newFile), newFile)]);
  const overlay = values["no-overlay"] ? undefined : await chooseOverlay(values, cwd);
  const compiler = !values["no-compiler"];
  const [result, effective] = await Promise.all([
    diffSpecs(oldDoc, newDoc, { compiler }),
    diffEffective(oldDoc, newDoc, overlay, { compiler }),
  ]);
  console.log(values.json ? JSON.stringify(toJson(result, effective), null, 2) : formatBoth(result, effective));
});

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
