import { execFileSync, spawnSync } from "node:child_process";
import { readdir, readFile, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { writeFileAtomic } from "./atomic-write";
import { type Bump, bumpFor, changesetFor, clientVersion } from "./changeset";
import { diffSpecs, formatSummary } from "./diff/diff";
import type { DiffResult } from "./diff/types";
import { oneLine, SpecError } from "./errors";
import { shortHash } from "./hash";
import { inspectLocalSpec, requirePinnedSpec } from "./local-spec";
import { specPath } from "./paths";
import { fetchSpec, forSource, pullSpec, resolveSource } from "./pull";
import { readSources, type SourcesFile, selectSource, sourcesPath, writeSources } from "./sources";

/** Folders whose files codegen writes; backed up before an update and restored if it fails. */
const GENERATED_DIRS = ["packages/types/src/generated", "packages/mock-server/src/generated"];

export interface UpdateOptions {
  root: string;
  from?: string;
  mirror?: string;
  name?: string;
  log: (line: string) => void;
}

export interface UpdateResult {
  diff: DiffResult | undefined;
  bump: Bump | undefined;
  changeset: string | undefined;
}

/**
 * Moves the pin to a new upstream version: diff against the pinned spec, write spec and lock,
 * regenerate and rebuild, and record a changeset. Any failure puts every file back as it was.
 */
export async function updateSpec(options: UpdateOptions): Promise<UpdateResult> {
  const { root, log } = options;
  const specsDir = join(root, "specs");
  requireCleanTree(root);
  const sources = await readSources(specsDir);
  const spec = selectSource(sources, options.name);

  // The pinned version is the "before" side; pull it first if this checkout has none yet.
  if ((await inspectLocalSpec(specsDir, spec)).state === "missing") {
    await pullSpec(specsDir, spec, resolveSource(spec, { mirror: options.mirror }));
  }
  const oldBytes = await requirePinnedSpec(specsDir, spec);
  const source = resolveSource(spec, { from: options.from, mirror: options.from ? undefined : options.mirror });
  const fetched = await forSource(spec.name, source, () => fetchSpec(source));
  if (fetched.sha256 === spec.sha256) {
    log(`${spec.name}: already pinned to this version (sha256 ${shortHash(spec.sha256)}); nothing to do`);
    return { diff: undefined, bump: undefined, changeset: undefined };
  }

  const diff = await diffSpecs(JSON.parse(oldBytes.toString("utf8")), fetched.document);
  log(`${spec.name}: sha256 ${shortHash(spec.sha256)} → ${shortHash(fetched.sha256)}`);
  log(formatSummary(diff));

  const backup = await snapshot([specPath(specsDir, spec.name), sourcesPath(specsDir), ...(await generatedFiles(root))]);
  let changeset: string | undefined;
  try {
    await writeFileAtomic(specPath(specsDir, spec.name), fetched.bytes);
    const next: SourcesFile = { specs: sources.specs.map((s) => (s.name === spec.name ? { ...s, sha256: fetched.sha256 } : s)) };
    await writeSources(specsDir, next);
    rebuild(root);
    const bump = bumpFor(diff.level, await clientVersion(root));
    if (bump) {
      changeset = join(root, ".changeset", `spec-${spec.name.replace(/[^A-Za-z0-9]+/g, "-")}-${fetched.sha256.slice(0, 8)}.md`);
      await writeFileAtomic(changeset, changesetFor(spec.name, spec.sha256, fetched.sha256, diff, bump));
      log(`changeset: ${relative(root, changeset)} (${bump} bump for ${diff.level})`);
    } else {
      log("no semantic change: lock updated, no changeset");
    }
    return { diff, bump, changeset };
  } catch (error) {
    await restore(root, backup);
    if (changeset) await rm(changeset, { force: true });
    throw error instanceof SpecError ? new SpecError(`${error.message} (nothing was changed)`) : error;
  }
}

/** Refuses to run over uncommitted work in specs/ or .changeset/, which a failed update could mix with its own. */
function requireCleanTree(root: string): void {
  let status: string;
  try {
    status = execFileSync("git", ["status", "--porcelain", "--", "specs", ".changeset"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    throw new SpecError("spec:update needs a git checkout (it refuses to run over uncommitted changes)");
  }
  const dirty = status
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(3));
  if (dirty.length > 0)
    throw new SpecError(`uncommitted changes in specs/ or .changeset/ (${dirty.join(", ")}): commit or stash them first`);
}

/** Regenerates and rebuilds every package through turbo, so a spec the packages cannot build with is refused. */
function rebuild(root: string): void {
  const turbo = join(root, "node_modules", ".bin", "turbo");
  const run = spawnSync(turbo, ["run", "build", "typecheck", "--output-logs=errors-only"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  if (run.status !== 0) {
    const output = `${run.stdout ?? ""}\n${run.stderr ?? ""}`;
    const firstError = output.split("\n").find((l) => /error|ERR_|failed/i.test(l)) ?? run.error?.message ?? `exit ${run.status}`;
    throw new SpecError(`the packages do not build with the new spec: ${oneLine(firstError, 300)}`);
  }
}

async function generatedFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const dir of GENERATED_DIRS) {
    const names = await readdir(join(root, dir)).catch(() => [] as string[]);
    files.push(...names.map((n) => join(root, dir, n)));
  }
  return files;
}

type Snapshot = Map<string, Buffer | undefined>;

async function snapshot(files: string[]): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const file of files) out.set(file, await readFile(file).catch(() => undefined));
  return out;
}

/** Puts every backed-up file back, and removes generated files that did not exist before. */
async function restore(root: string, backup: Snapshot): Promise<void> {
  for (const file of await generatedFiles(root)) if (!backup.has(file)) await rm(file, { force: true });
  for (const [file, bytes] of backup) {
    if (bytes === undefined) await rm(file, { force: true });
    else await writeFileAtomic(file, bytes);
  }
}
