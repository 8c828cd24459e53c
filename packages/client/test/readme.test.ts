import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const readmePath = resolve(here, "..", "..", "..", "README.md");
const parsedFiles = new Map<string, ts.SourceFile>();

/** Every ```ts block of the README, each compiled as its own module. */
function readmeExamples(): string[] {
  const text = readFileSync(readmePath, "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

function compile(sources: string[]): string[] {
  const files = new Map(sources.map((code, i) => [join(here, `readme-example-${i}.ts`), code]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: ["node"],
    skipLibCheck: true,
    baseUrl: here,
    // Examples import the package by name; here it resolves to the source being tested.
    paths: {
      "@aimlapi-sdk/client": [resolve(here, "..", "src", "index.ts")],
      "@aimlapi-sdk/client/helpers/zod": [resolve(here, "..", "src", "helpers", "zod.ts")],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  // The client's sources, the types' declarations and the lib files are parsed once for both programs.
  host.getSourceFile = (name, language, onError) => {
    if (files.has(name)) return getSourceFile(name, language, onError);
    let parsed = parsedFiles.get(name);
    if (!parsed) {
      parsed = getSourceFile(name, language, onError);
      if (parsed) parsedFiles.set(name, parsed);
    }
    return parsed;
  };
  const program = ts.createProgram([...files.keys()], options, host);
  // The examples' own errors (the client's sources are type-checked by its typecheck task).
  return [...files.keys()]
    .map((name) => program.getSourceFile(name) as ts.SourceFile)
    .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])
    .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("README usage examples", () => {
  test("there are examples, and each compiles against the client", () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(4);
    expect(examples.every((code) => code.includes('from "@aimlapi-sdk/client"'))).toBe(true);
    expect(compile(examples)).toEqual([]);
  });

  test("a wrong example is caught (the check can fail)", () => {
    const broken =
      'import { createClient } from "@aimlapi-sdk/client";\nawait createClient().chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "wizard", content: "Hi" }] });\n';
    expect(compile([broken]).join("\n")).toMatch(/wizard/);
  });
});
