import type { OpenAPIDocument } from "../validate-spec";
import { compilerChanges } from "./compiler-check";
import { compareDocuments } from "./document-compare";
import { type Change, type DiffResult, levelOf } from "./types";

/** Classifies every change between two OpenAPI documents; the compiler backs the rules unless disabled. */
export async function diffSpecs(
  oldDoc: OpenAPIDocument,
  newDoc: OpenAPIDocument,
  options: { compiler?: boolean } = {},
): Promise<DiffResult> {
  const changes = compareDocuments(oldDoc, newDoc);
  if (options.compiler !== false) {
    // Added only where the rules did not already call that side of the operation breaking.
    const covered = new Set(changes.filter((c) => c.breaking).map((c) => `${c.operation}|${c.location}`));
    for (const change of await compilerChanges(oldDoc, newDoc)) {
      if (!covered.has(`${change.operation}|${change.location}`)) changes.push(change);
    }
  }
  return { level: levelOf(changes), changes };
}

/** The JSON form promised in the design doc. */
export function toJson(result: DiffResult): {
  level: DiffResult["level"];
  changes: Pick<Change, "location" | "pointer" | "kind" | "breaking" | "message">[];
} {
  return {
    level: result.level,
    changes: result.changes.map(({ location, pointer, kind, breaking, message }) => ({
      location,
      pointer,
      kind,
      breaking,
      message,
    })),
  };
}

const MARK = { breaking: "!", additive: "+", docs: "~" } as const;

/** A short human summary, grouped by operation and by request/response. */
export function formatSummary(result: DiffResult): string {
  if (result.changes.length === 0)
    return "Level: none (no semantic change: only key order, formatting or vendor extensions, if anything)";
  const counts = (["breaking", "additive", "docs"] as const)
    .map((s) => [s, result.changes.filter((c) => c.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
  const out = [`Level: ${result.level} (${counts})`];
  const byOperation = new Map<string, Change[]>();
  for (const c of result.changes) byOperation.set(c.operation, [...(byOperation.get(c.operation) ?? []), c]);
  for (const [operation, changes] of byOperation) {
    out.push("", operation);
    for (const location of ["path", "request", "response"] as const) {
      const here = changes.filter((c) => c.location === location);
      if (here.length === 0) continue;
      out.push(`  ${location}:`);
      for (const c of here) out.push(`    ${MARK[c.severity]} ${c.message}  (${c.pointer})`);
    }
  }
  return out.join("\n");
}
