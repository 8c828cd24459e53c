/** `pnpm spec:diff <old> <new> [--json] [--no-compiler]`: classify the change between two OpenAPI files. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runCli } from "../cli-run";
import { diffSpecs, formatSummary, toJson } from "../diff/diff";
import { SpecError } from "../errors";
import { parseOpenAPI } from "../validate-spec";

runCli("spec:diff", async () => {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    throw new SpecError(`${(error as Error).message} (usage: spec:diff <old> <new> [--json])`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new SpecError("expected two files (usage: spec:diff <old> <new> [--json])");
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const [oldFile = "", newFile = ""] = positionals;
  const [oldDoc, newDoc] = await Promise.all([load(resolve(cwd, oldFile), oldFile), load(resolve(cwd, newFile), newFile)]);
  const result = await diffSpecs(oldDoc, newDoc, { compiler: !values["no-compiler"] });
  console.log(values.json ? JSON.stringify(toJson(result), null, 2) : formatSummary(result));
});

function parse() {
  return parseArgs({
    options: { json: { type: "boolean" }, "no-compiler": { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
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
