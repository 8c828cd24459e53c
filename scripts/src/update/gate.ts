/**
 * The gate a new spec passes in its candidate copy: regenerate, build and type-check the packages
 * that embed the spec (turbo), then run the suites that depend on it (vitest): the types' own
 * tests, the mock server's, and the client's wire-contract, streaming and helper suites. Every
 * TypeScript error and every failing test is collected, named, and kept for the report.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { Section } from "./report";

/**
 * The suites run against a candidate; an empty file list runs the whole package. The types' type
 * tests (`*.test-d.ts`) are already compiled by their typecheck task, so vitest runs the others.
 */
const GATE_SUITES: { pkg: string; files: string[]; flags: string[] }[] = [
  { pkg: "types", files: [], flags: ["--typecheck.enabled=false"] },
  { pkg: "mock-server", files: [], flags: [] },
  {
    pkg: "client",
    flags: [],
    files: [
      "test/client.test.ts",
      "test/errors.test.ts",
      "test/fetch-options.test.ts",
      "test/middleware.test.ts",
      "test/sse.test.ts",
      "test/streaming.test.ts",
      "test/parse-stream-cuts.test.ts",
      "test/chat-completion-stream.test.ts",
      "test/structured-output.test.ts",
      "test/run-tools.test.ts",
    ],
  },
];

const BUILT = ["@aimlapi-sdk/types", "@aimlapi-sdk/client", "@aimlapi-sdk/mock-server"];

/** What the gate found: sections for the report (empty when it passed) and the figures of its run. */
export interface GateResult {
  sections: Section[];
  tests: { passed: number; failed: number; files: number };
  seconds: { build: number; tests: number };
}

/** Builds, type-checks and tests the candidate at `dir`; `root` is the real tree (its tools are used). */
export async function runGate(
  dir: string,
  root: string,
  options: { skipTests: boolean; logDir: string; log: (line: string) => void },
): Promise<GateResult> {
  const env = gateEnv(root);
  const result: GateResult = { sections: [], tests: { passed: 0, failed: 0, files: 0 }, seconds: { build: 0, tests: 0 } };
  const turbo = (task: string) =>
    run(
      join(root, "node_modules", ".bin", "turbo"),
      [
        "run",
        task,
        ...BUILT.map((p) => `--filter=${p}`),
        "--output-logs=errors-only",
        "--continue=dependencies-successful",
        // Loose: the tasks' pnpm must see PNPM_CONFIG_VERIFY_DEPS_BEFORE_RUN (see gateEnv).
        "--env-mode=loose",
      ],
      dir,
      env,
    );
  let started = performance.now();
  const build = await turbo("build");
  result.seconds.build = (performance.now() - started) / 1000;
  if (build.code !== 0) {
    result.sections.push(buildSection(build.output));
    return result;
  }
  options.log(`candidate builds (${result.seconds.build.toFixed(1)} s)`);
  // Type-checking and the tests need the same build and nothing from each other: they run side by
  // side (tsc is single-threaded, vitest mostly waits on its servers), and a refusal reports both.
  started = performance.now();
  const [typecheck, tests] = await Promise.all([
    turbo("typecheck"),
    options.skipTests ? Promise.resolve(undefined) : runSuites(dir, env, options.logDir),
  ]);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (typecheck.code !== 0) result.sections.push(buildSection(typecheck.output));
  else options.log(`candidate type-checks (${seconds} s with the tests beside it)`);
  if (tests) {
    result.tests = tests.counts;
    result.seconds.tests = tests.seconds;
    if (tests.section) result.sections.push(tests.section);
    else
      options.log(`candidate passes ${tests.counts.passed} tests in ${tests.counts.files} files (${tests.seconds.toFixed(1)} s)`);
  }
  return result;
}

/** Runs the gate's suites side by side; a section names every failing test. */
async function runSuites(
  dir: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
): Promise<{ counts: GateResult["tests"]; seconds: number; section?: Section }> {
  const started = performance.now();
  const counts = { passed: 0, failed: 0, files: 0 };
  const failures: string[] = [];
  const details: string[] = [];
  const runs = await Promise.all(
    GATE_SUITES.map(async (suite) => {
      const pkgDir = join(dir, "packages", suite.pkg);
      const report = join(logDir, `vitest-${suite.pkg}.json`);
      const vitest = await run(
        join(pkgDir, "node_modules", ".bin", "vitest"),
        ["run", ...suite.files, ...suite.flags, "--reporter=dot", "--reporter=json", `--outputFile.json=${report}`],
        pkgDir,
        env,
      );
      return { suite, pkgDir, vitest, parsed: await readReport(report) };
    }),
  );
  for (const { suite, pkgDir, vitest, parsed } of runs) {
    if (!parsed) {
      failures.push(`${suite.pkg}: vitest did not run (exit ${vitest.code})`);
      details.push(`== ${suite.pkg}\n${vitest.output}`);
      continue;
    }
    counts.passed += parsed.passed;
    counts.files += parsed.files;
    for (const f of parsed.failed) {
      failures.push(`${suite.pkg} ${relative(pkgDir, f.file)} › ${f.name}`);
      details.push(`== ${suite.pkg} ${relative(pkgDir, f.file)} › ${f.name}\n${f.message}`);
    }
    if (vitest.code !== 0 && parsed.failed.length === 0) {
      failures.push(`${suite.pkg}: vitest exited ${vitest.code}`);
      details.push(`== ${suite.pkg}\n${vitest.output}`);
    }
  }
  counts.failed = failures.length;
  const seconds = (performance.now() - started) / 1000;
  if (failures.length === 0) return { counts, seconds };
  return {
    counts,
    seconds,
    section: { title: `failing tests against the new spec (${failures.length})`, lines: failures, detail: details.join("\n\n") },
  };
}

/** The environment of the candidate's runs: this one, without the variables of a turbo task running us. */
function gateEnv(root: string): NodeJS.ProcessEnv {
  // pnpm checks the install before running a script, and in the copy (whose node_modules is the real
  // tree's, linked) it would record the copy's paths there, or even reinstall: it must not check.
  const env: NodeJS.ProcessEnv = { TURBO_TELEMETRY_DISABLED: "1", PNPM_CONFIG_VERIFY_DEPS_BEFORE_RUN: "false" };
  for (const [key, value] of Object.entries(process.env)) if (!/^TURBO_|^VITEST|^npm_lifecycle/.test(key)) env[key] ??= value;
  // The recorded wire payloads sit beside the real tree, not beside the copy.
  const mirror = process.env.SPEC_MIRROR && !/^https?:/i.test(process.env.SPEC_MIRROR) ? process.env.SPEC_MIRROR : undefined;
  const wire = [process.env.WIRE_DIR, join(root, "..", "shared", "specs", "wire"), mirror && join(mirror, "wire")].find(
    (d) => d && existsSync(d),
  );
  if (wire) env.WIRE_DIR = wire;
  return env;
}

/** The report section for a failed turbo run: TypeScript and codegen errors, else the failing tasks' last lines. */
export function buildSection(output: string): Section {
  const clean = stripVTControlCharacters(output);
  const PREFIX = /^(@aimlapi-sdk\/[\w-]+):([\w:-]+): /;
  const bare = clean.split("\n").map((l) => l.replace(PREFIX, "").trim());
  const tsErrors = [...new Set(bare.filter((l) => /error TS\d+/.test(l)))];
  const other = bare.filter(
    (l) => /^(codegen|prune-spec|spec:ensure|spec-effective): /.test(l) || /\berror\b.*\[ERROR\]/i.test(l),
  );
  let lines = [...other, ...tsErrors];
  if (lines.length === 0) {
    // Nothing recognised: the last lines each failed task printed say what went wrong.
    const failed = [...new Set([...clean.matchAll(/(@aimlapi-sdk\/[\w-]+)#([\w-]+)/g)].map((m) => `${m[1]}:${m[2]}: `))];
    lines = failed.flatMap((prefix) => {
      const own = clean
        .split("\n")
        .filter((l) => l.startsWith(prefix))
        .map((l) => l.slice(prefix.length).trim())
        .filter(Boolean);
      return [`${prefix.slice(0, -2)} failed:`, ...own.slice(-6).map((l) => `  ${l}`)];
    });
  }
  return {
    title:
      tsErrors.length > 0
        ? `the packages do not build with the new spec: ${tsErrors.length} TypeScript error(s)`
        : "the packages do not build with the new spec",
    lines: lines.length > 0 ? lines : ["turbo failed (see the log)"],
    detail: clean,
  };
}

interface VitestFailure {
  file: string;
  name: string;
  message: string;
}

/** Reads vitest's JSON report: counts, and each failing test with its first lines of failure. */
async function readReport(path: string): Promise<{ passed: number; files: number; failed: VitestFailure[] } | undefined> {
  let json: {
    numPassedTests: number;
    testResults: {
      name: string;
      message?: string;
      status: string;
      assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
    }[];
  };
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
  const failed: VitestFailure[] = [];
  for (const file of json.testResults) {
    for (const a of file.assertionResults.filter((a) => a.status === "failed"))
      failed.push({
        file: file.name,
        name: a.fullName,
        message: a.failureMessages.join("\n").split("\n").slice(0, 12).join("\n"),
      });
    // A file that fails before its tests (an import, a hook) has a message and no failed assertion.
    if (file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed"))
      failed.push({ file: file.name, name: "(the file itself)", message: file.message ?? "failed" });
  }
  return { passed: json.numPassedTests, files: json.testResults.length, failed };
}

/** The gate's commands still running, so that an interrupted update can stop them. */
const running = new Set<ChildProcess>();

/** Stops every command the gate has running (an update interrupted by a signal). */
export function stopGateCommands(): void {
  for (const child of running) child.kill("SIGTERM");
}

/** Runs a command to its end, collecting stdout and stderr together. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    child.once("exit", () => running.delete(child));
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    child.on("error", (error) => resolve({ code: 127, output: `${output}\n${error.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}
