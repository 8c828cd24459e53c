import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CREATE_AND_STREAM_APP, OPENAI_CREATE_AND_STREAM_APP } from "@aimlapi-sdk/devkit/bundle-size";
import { run } from "@aimlapi-sdk/devkit/commands";

export interface TypecheckCost {
  instantiations: number;
  memoryKB: number;
  checkSeconds: number;
  totalSeconds: number;
}

/** The same consumer program (the bundle benchmark's create + stream app) for each client. */
const PROGRAMS = { ours: CREATE_AND_STREAM_APP, openai: OPENAI_CREATE_AND_STREAM_APP };

/** `tsc --extendedDiagnostics` on the same consumer program written against each client. */
export async function typecheckCost(benchDir: string): Promise<Record<keyof typeof PROGRAMS, TypecheckCost>> {
  const out = {} as Record<keyof typeof PROGRAMS, TypecheckCost>;
  for (const [name, source] of Object.entries(PROGRAMS) as [keyof typeof PROGRAMS, string][]) {
    const figures = await compileProgram(benchDir, `typecheck-${name}`, source, []);
    out[name] = {
      instantiations: figures("Instantiations"),
      memoryKB: figures("Memory used"),
      checkSeconds: figures("Check time"),
      totalSeconds: figures("Total time"),
    };
  }
  return out;
}

/**
 * Type-checks one program with `tsc --extendedDiagnostics` (strict, bundler resolution, the given
 * `@types`), in a folder of its own inside the bench package so that the clients resolve from its
 * node_modules; returns a reader of the figures tsc printed.
 */
export async function compileProgram(
  benchDir: string,
  name: string,
  source: string,
  types: string[],
): Promise<(label: string) => number> {
  const dir = join(benchDir, `.tmp-${name}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, "main.ts"), source);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      types,
      skipLibCheck: true,
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["main.ts"] }));
    const result = await run(join(benchDir, "node_modules", ".bin", "tsc"), ["-p", dir, "--extendedDiagnostics"], {
      cwd: benchDir,
    });
    if (result.code !== 0) throw new Error(`tsc failed for ${name}: ${result.stdout.slice(0, 1500)}`);
    return (label) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(result.stdout)?.[1] ?? Number.NaN);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
