/**
 * A throwaway copy of this repository for spec:update's end-to-end suites: installed, built, and a
 * git repository of its own, where the CLIs run as `pnpm spec:*` would there. Each suite file makes
 * its own copy, so the files (and the gates their updates run) go side by side.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { scaledTimeout } from "@aimlapi-sdk/devkit/load";
import { sharedModelCacheEnv, withoutTurboEnv } from "@aimlapi-sdk/devkit/repo";
import { copyWorkingTree } from "@aimlapi-sdk/devkit/repo-copy";
import { expect } from "vitest";
import { CLI_BUNDLES_ENV } from "../global-setup";
import { repoRoot, sharedSpecsDir } from "./cli";

const history = (name: string) => join(sharedSpecsDir(), "history", name);
/** Upstream's oldest recorded gpt-4.1 document (no `meta`, no `provider`). */
export const OLDEST = history("gpt-4.1.2026-01-16.23c54eb5.json");
/** A version that differs from the pinned one in key order only. */
export const KEY_ORDER_TWIN = history("gpt-4.1.2026-06-12.fbcad4ca.json");
/** The pinned version, under a name that carries no commit or date. */
export const CURRENT = join(sharedSpecsDir(), "gpt-4.1.json");
/** The flagship's overlay, relative to the copy. */
export const OVERLAY = "specs/overlays/gpt-4.1.overlay.yaml";

/** What spec:update printed; `log` is the refusal's log file, read and removed. */
export interface UpdateRun {
  code: number | null;
  stdout: string;
  stderr: string;
  log?: string;
}

/** The environment of a nested turbo/pnpm run, without the variables of the turbo task running this test. */
function cleanEnv(): NodeJS.ProcessEnv {
  return {
    ...withoutTurboEnv(process.env),
    SPEC_MIRROR: sharedSpecsDir(),
    WIRE_DIR: join(sharedSpecsDir(), "wire"),
    ...sharedModelCacheEnv(),
  };
}

/** The log file a refusal names on its last line, as `update` read it. */
export function refusalLog(result: { stderr: string; log?: string }): string {
  expect(result.log, result.stderr).toBeDefined();
  return result.log as string;
}

/** Overlay text without the action of that `x-id`. */
export function withoutAction(text: string, id: string): string {
  return text.replace(new RegExp(` {2}- x-id: ${id}\\n[\\s\\S]*?(?= {2}- x-id: |$)`), "");
}

/** One copy of the repository; `setUp` in a beforeAll, `remove` in an afterAll. */
export class UpdateCopy {
  /** The copy's root. */
  dir = "";
  /** Upstream documents made up by the tests, outside the copy (as a download would be). */
  private variants = "";
  /** Changesets the repository already held when the copy was made. */
  private pending: string[] = [];

  /** Copies the working tree, installs offline and builds. */
  setUp(): void {
    this.dir = mkdtempSync(join(tmpdir(), "aimlapi-update-"));
    this.variants = mkdtempSync(join(tmpdir(), "aimlapi-update-variants-"));
    copyWorkingTree(repoRoot, this.dir, cleanEnv());
    this.pending = this.allChangesets();
    this.sh("pnpm", ["install", "--offline", "--frozen-lockfile"]);
    this.turbo(["run", "build", "--output-logs=errors-only"]);
  }

  /** Removes the copy and the made-up documents. */
  remove(): void {
    for (const dir of [this.dir, this.variants]) if (dir) rmSync(dir, { recursive: true, force: true });
  }

  /** Runs a command in the copy; its standard output. */
  sh(command: string, args: string[]): string {
    return execFileSync(command, args, {
      cwd: this.dir,
      env: cleanEnv(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: scaledTimeout(120_000),
    });
  }

  /** Runs the copy's turbo. */
  turbo(args: string[]): string {
    return this.sh(join(this.dir, "node_modules", ".bin", "turbo"), args);
  }

  /** Runs a CLI of scripts/src/cli (bundled by the global setup) on the copy, as `pnpm spec:*` there would. */
  cli(name: string, args: string[]) {
    const bundles = process.env[CLI_BUNDLES_ENV] as string;
    return spawnSync(process.execPath, [join(bundles, `${name}.mjs`), ...args], {
      cwd: this.dir,
      env: { ...cleanEnv(), AIMLAPI_REPO_ROOT: this.dir },
      encoding: "utf8",
      timeout: scaledTimeout(180_000),
    });
  }

  /** Runs spec:update (`--overlay-only` without `from`); a refusal's log is read into `log` and its folder removed. */
  update(from: string | undefined, extra: string[] = []): UpdateRun {
    const run = this.cli("spec-update", [...(from ? ["--from", from] : ["--overlay-only"]), ...extra]);
    const logPath = /^details: (.+)$/m.exec(run.stderr)?.[1];
    const log = logPath ? readFileSync(logPath, "utf8") : undefined;
    if (logPath) rmSync(dirname(logPath), { recursive: true, force: true });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr, log };
  }

  /** Runs spec:check on the copy. */
  check() {
    return this.cli("spec-check", []);
  }

  /** sha256 over every file of the copy (path, bytes, symlink target), ignored ones included; node_modules and .git aside. */
  treeHash(): string {
    const hash = createHash("sha256");
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name === "node_modules" || entry.name === ".git") continue;
        const path = join(dir, entry.name);
        hash.update(`${path}\0`);
        if (entry.isSymbolicLink()) hash.update(readlinkSync(path));
        else if (entry.isDirectory()) walk(path);
        else hash.update(readFileSync(path));
      }
    };
    walk(this.dir);
    return hash.digest("hex");
  }

  /** The install's own state files, which the update's candidate copy (it links node_modules) must not touch. */
  installState(): string {
    return ["node_modules/.modules.yaml", "node_modules/.pnpm-workspace-state-v1.json"]
      .map((f) =>
        createHash("sha256")
          .update(readFileSync(join(this.dir, f)))
          .digest("hex"),
      )
      .join(" ");
  }

  /** Commits everything in the copy. */
  commitAll(message: string): void {
    this.sh("git", ["add", "-A"]);
    this.sh("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", message]);
  }

  /** A file of the copy, as text. */
  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  /** Writes a file of the copy. */
  write(path: string, text: string): void {
    writeFileSync(join(this.dir, path), text);
  }

  /** Appends an action to the copy's flagship overlay (YAML text, indented as a list item). */
  addAction(yaml: string): void {
    this.write(OVERLAY, `${this.read(OVERLAY).trimEnd()}\n${yaml}`);
  }

  /** The flagship's entry in the copy's lock. */
  lock(): { sha256: string; overlaySha256?: string } | undefined {
    return (JSON.parse(this.read("specs/sources.json")) as { specs: { sha256: string; overlaySha256?: string }[] }).specs[0];
  }

  /** Changesets written since the copy was made (the repository may already hold pending ones). */
  changesets(): string[] {
    return this.allChangesets().filter((f) => !this.pending.includes(f));
  }

  private allChangesets(): string[] {
    return readdirSync(join(this.dir, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  }

  /** A variant of the current upstream document, written outside the copy. */
  // biome-ignore lint/suspicious/noExplicitAny: edits walk arbitrary OpenAPI JSON
  variant(name: string, edit: (doc: Record<string, any>) => void): string {
    const doc = JSON.parse(readFileSync(CURRENT, "utf8"));
    edit(doc);
    const file = join(this.variants, `${name}.json`);
    writeFileSync(file, JSON.stringify(doc, null, 2));
    return file;
  }

  /** A copy of the pinned model set's folder (upstream's layout), each file edited by `edit`, then `extra` run on the folder. */
  modelSet(
    name: string,
    // biome-ignore lint/suspicious/noExplicitAny: edits walk arbitrary OpenAPI JSON
    edit: (doc: Record<string, any>, path: string) => void,
    extra: (dir: string) => void = () => {},
  ): string {
    const { models } = JSON.parse(readFileSync(join(repoRoot, "specs", "sources.json"), "utf8")) as {
      models: { commit: string; folder: string };
    };
    const dir = join(this.variants, name);
    cpSync(join(sharedSpecsDir(), "api-docs", models.commit, models.folder), dir, { recursive: true });
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
      const file = join(entry.parentPath, entry.name);
      const path = file.slice(dir.length + 1);
      const doc = JSON.parse(readFileSync(file, "utf8"));
      const before = JSON.stringify(doc);
      edit(doc, path);
      if (JSON.stringify(doc) !== before) writeFileSync(file, JSON.stringify(doc));
    }
    extra(dir);
    return dir;
  }
}
