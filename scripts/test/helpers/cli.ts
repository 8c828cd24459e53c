import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "@aimlapi-sdk/devkit/commands";
import { scaledTimeout } from "@aimlapi-sdk/devkit/load";
import { repoRoot, sharedSpecsDir } from "@aimlapi-sdk/devkit/repo";
import { CLI_BUNDLES_ENV } from "../global-setup";

export { repoRoot, sharedSpecsDir };

/** Result of running one of the repository's CLIs as a separate process. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI scripts/src/cli/<name>.ts (bundled once by the global setup) in its own process. */
export async function runCli(
  name: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = repoRoot,
): Promise<CliResult> {
  const bundles = process.env[CLI_BUNDLES_ENV];
  if (!bundles) throw new Error("the CLI bundles are missing: run the tests through vitest (scripts/vitest.config.ts)");
  const result = await run(process.execPath, [join(bundles, `${name}.mjs`), ...args], {
    cwd,
    env: { ...process.env, SPEC_MIRROR: undefined, INIT_CWD: undefined, ...env },
    timeoutMs: scaledTimeout(30_000),
  });
  return { code: result.code ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** The pulled, pinned spec of this repository (`pnpm test` pulls it first). */
export function pinnedSpecPath(): string {
  return join(repoRoot, "specs", "gpt-4.1.json");
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
