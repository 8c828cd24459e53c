import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const scriptsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repoRoot = resolve(scriptsDir, "..");
const tsx = join(scriptsDir, "node_modules", ".bin", "tsx");

/** Result of running one of the repository's CLIs as a separate process. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs scripts/src/cli/<name>.ts with tsx, as `pnpm spec:*` does. */
export function runCli(
  name: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = repoRoot,
): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile(
      tsx,
      [join(scriptsDir, "src", "cli", `${name}.ts`), ...args],
      { cwd, env: { ...process.env, SPEC_MIRROR: undefined, INIT_CWD: undefined, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

/** The pulled, pinned spec of this repository (`pnpm test` pulls it first). */
export function pinnedSpecPath(): string {
  return join(repoRoot, "specs", "gpt-4.1.json");
}

/** The read-only upstream snapshots beside the repository (CI sets SPEC_MIRROR to them). */
export function sharedSpecsDir(): string {
  return resolve(process.env.SPEC_MIRROR ?? join(repoRoot, "..", "shared", "specs"));
}

/** The repository's overlay of the gpt-4.1 spec. */
export const overlayFile = join(repoRoot, "specs", "overlays", "gpt-4.1.overlay.yaml");

/**
 * A scratch specs folder with a sources.json pinning `sha256` and (unless `overlay: false`) a copy of
 * the repository's overlay, removed by the returned cleanup.
 */
export function scratchSpecsDir(sha256: string, options: { overlay?: boolean } = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "aimlapi-specs-"));
  writeFileSync(
    join(dir, "sources.json"),
    JSON.stringify({ specs: [{ name: "gpt-4.1", url: "https://example.invalid/gpt-4.1.json", sha256 }] }, null, 2),
  );
  if (options.overlay !== false) cpSync(overlayFile, join(dir, "overlays", "gpt-4.1.overlay.yaml"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export { cpSync, readFileSync, writeFileSync };
