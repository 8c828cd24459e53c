/**
 * Compiler messages name the types (`ChatCompletion`, `ChatCompletionChunk` …) instead of printing
 * whole object types: a consumer's program is compiled against this package's source and its
 * errors are read.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const parsedFiles = new Map<string, ts.SourceFile>();

/** The error messages of a consumer program importing `@aimlapi-sdk/types`, and what hovering `name` shows. */
function compile(code: string, hover?: string): { errors: string[]; hover: string } {
  const file = join(here, "consumer.ts");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    baseUrl: here,
    paths: { "@aimlapi-sdk/types": [join(here, "..", "src", "index.ts")] },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? code : readFile(name));
  host.fileExists = (name) => name === file || fileExists(name);
  // The package's sources and the lib files are parsed once for every program of this file.
  host.getSourceFile = (name, language, onError) => {
    if (name === file) return getSourceFile(name, language, onError);
    let parsed = parsedFiles.get(name);
    if (!parsed) {
      parsed = getSourceFile(name, language, onError);
      if (parsed) parsedFiles.set(name, parsed);
    }
    return parsed;
  };
  const program = ts.createProgram([file], options, host);
  const consumer = program.getSourceFile(file) as ts.SourceFile;
  // The consumer's own errors (the package's sources are type-checked by its typecheck task).
  const errors = [...program.getSyntacticDiagnostics(consumer), ...program.getSemanticDiagnostics(consumer)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  );
  let shown = "";
  if (hover) {
    const source = program.getSourceFile(file) as ts.SourceFile;
    const checker = program.getTypeChecker();
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.name.getText(source) === hover)
        shown = checker.typeToString(checker.getTypeAtLocation(node.name));
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { errors, hover: shown };
}

describe("compiler messages and hovers name the types", () => {
  test("a chunk where a completion is expected", () => {
    const { errors } = compile(
      'import type { ChatCompletion, ChatCompletionChunk } from "@aimlapi-sdk/types";\ndeclare const chunk: ChatCompletionChunk;\nexport const c: ChatCompletion = chunk;\n',
    );
    expect(errors.join("\n")).toMatch(/Type 'ChatCompletionChunk' is not assignable to type 'ChatCompletion'/);
    expect(errors.join("\n")).not.toMatch(/\{ id: string/);
  });

  test("streaming params where non-streaming ones are expected, and a nested type", () => {
    const { errors } = compile(
      'import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming, ChatCompletionChunk } from "@aimlapi-sdk/types";\ndeclare const p: ChatCompletionCreateParamsStreaming;\nexport const q: ChatCompletionCreateParamsNonStreaming = p;\nexport const d: ChatCompletionChunk.Choice.Delta = 42;\n',
    );
    expect(errors.join("\n")).toMatch(
      /Type 'ChatCompletionCreateParamsStreaming' is not assignable to type 'ChatCompletionCreateParamsNonStreaming'/,
    );
    expect(errors.join("\n")).toMatch(/Type '42' (has no properties in common with|is not assignable to) type 'Delta'/);
  });

  test("hovers show the name of a value's type", () => {
    const code =
      'import type { ChatCompletion } from "@aimlapi-sdk/types";\ndeclare const completion: ChatCompletion;\nexport const choice = completion.choices[0]!;\nexport const message = choice.message;\n';
    // Nested names show as editors show them, by their own name.
    expect(compile(code, "choice").hover).toBe("Choice");
    expect(compile(code, "message").hover).toBe("ChatCompletionMessage");
  });
});
