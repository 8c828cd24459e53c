/**
 * The compiler as a second judge: types are generated for both documents and TypeScript checks that
 * every old request (body and parameters) is still assignable to the new request type, and every
 * new success response is assignable to the old response type. A failure the rules did not already
 * report as breaking becomes a breaking change of its own.
 */
import { dirname, join } from "node:path";
import ts from "typescript";
import { generateTypes } from "../codegen/generate";
import { HTTP_METHODS, operationName } from "../operations";
import type { OpenAPIDocument } from "../validate-spec";
import { child } from "./pointer";
import type { Change } from "./types";

interface Check {
  operation: string;
  location: "request" | "response";
  pointer: string;
  what: string;
  line: number;
}

/** Breaking changes TypeScript finds between the generated types of two documents. */
export async function compilerChanges(oldDoc: OpenAPIDocument, newDoc: OpenAPIDocument): Promise<Change[]> {
  const [oldTypes, newTypes] = await Promise.all([generateTypes(oldDoc, { names: [] }), generateTypes(newDoc, { names: [] })]);
  const lines = [
    'import type { paths as O } from "./old";',
    'import type { paths as N } from "./new";',
    "type Is<A, B> = [A] extends [B] ? true : false;",
    "type Body<T> = T extends { requestBody?: infer B } ? B : undefined;",
    "type Params<T> = T extends { parameters: infer P } ? P : undefined;",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text with a template literal type
    "type Ok<T> = T extends { responses: infer R } ? { [K in keyof R as `${K & (string | number)}` extends `2${string}` ? K : never]: R[K] } : undefined;",
  ];
  const checks: Check[] = [];
  const newPaths = new Map(Object.keys(newDoc.paths ?? {}).map((p) => [p.replace(/\{[^}]*\}/g, "{}"), p]));
  for (const [oldPath, oldItem] of Object.entries(oldDoc.paths ?? {})) {
    const newPath = newPaths.get(oldPath.replace(/\{[^}]*\}/g, "{}"));
    const newItem = newPath ? (newDoc.paths?.[newPath] as Record<string, unknown>) : undefined;
    if (!newPath || !newItem) continue;
    for (const method of HTTP_METHODS) {
      if (!(oldItem as Record<string, unknown>)[method] || !newItem[method]) continue;
      const o = `O[${JSON.stringify(oldPath)}][${JSON.stringify(method)}]`;
      const n = `N[${JSON.stringify(newPath)}][${JSON.stringify(method)}]`;
      const operation = operationName(newPath, method);
      const at = child(child("/paths", newPath), method);
      const add = (location: Check["location"], what: string, pointer: string, type: string) => {
        checks.push({ operation, location, pointer, what, line: lines.length });
        lines.push(`export const c${checks.length}: ${type} = true;`);
      };
      add("request", "an old request body is no longer accepted", child(at, "requestBody"), `Is<Body<${o}>, Body<${n}>>`);
      add("request", "old request parameters are no longer accepted", child(at, "parameters"), `Is<Params<${o}>, Params<${n}>>`);
      add("response", "a new success response no longer fits the old type", child(at, "responses"), `Is<Ok<${n}>, Ok<${o}>>`);
    }
  }
  if (checks.length === 0) return [];

  const dir = "/spec-diff";
  const files = new Map([
    [join(dir, "old.ts"), oldTypes],
    [join(dir, "new.ts"), newTypes],
    [join(dir, "check.ts"), `${lines.join("\n")}\n`],
  ]);
  const checkFile = join(dir, "check.ts");
  const program = ts.createProgram([checkFile], COMPILER_OPTIONS, inMemoryHost(files));
  const failing = new Set<number>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.file?.fileName !== checkFile || d.start === undefined) continue;
    failing.add(d.file.getLineAndCharacterOfPosition(d.start).line);
  }
  return checks
    .filter((c) => failing.has(c.line))
    .map((c) => ({
      location: c.location,
      pointer: c.pointer,
      kind: `${c.location}.type-incompatible`,
      breaking: true,
      severity: "breaking",
      message: `TypeScript: ${c.what}`,
      operation: c.operation,
    }));
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: [],
};

/** TypeScript's own library files, parsed once per process: most of a check's cost otherwise. */
const libraryFiles = new Map<string, ts.SourceFile | undefined>();

/** A compiler host that reads the given files from memory and everything else (the libraries) from disk, once. */
function inMemoryHost(files: Map<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  const dirs = new Set([...files.keys()].map((name) => dirname(name)));
  return {
    ...host,
    directoryExists: (name) => dirs.has(name) || (host.directoryExists?.(name) ?? false),
    realpath: (name) => (files.has(name) || dirs.has(name) ? name : (host.realpath?.(name) ?? name)),
    fileExists: (name) => files.has(name) || host.fileExists(name),
    readFile: (name) => files.get(name) ?? host.readFile(name),
    getSourceFile(name, language, onError) {
      const text = files.get(name);
      if (text !== undefined) return ts.createSourceFile(name, text, language);
      if (!libraryFiles.has(name)) libraryFiles.set(name, getSourceFile(name, language, onError));
      return libraryFiles.get(name);
    },
  };
}
