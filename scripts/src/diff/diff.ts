import { applyOnly, effectiveDocument } from "../effective";
import { SpecError } from "../errors";
import type { LoadedOverlay } from "../overlay";
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
  const unreachable: string[] = [];
  const changes = compareDocuments(oldDoc, newDoc, unreachable);
  if (options.compiler !== false) {
    // Added only where the rules did not already call that side of the operation breaking.
    const covered = new Set(changes.filter((c) => c.breaking).map((c) => `${c.operation}|${c.location}`));
    for (const change of await compilerChanges(oldDoc, newDoc)) {
      if (!covered.has(`${change.operation}|${change.location}`)) changes.push(change);
    }
  }
  return { level: levelOf(changes), changes, ...(unreachable.length > 0 ? { unreachable } : {}) };
}

/** The change users see: between the effective documents (upstream + overlay), when both can be made. */
export type EffectiveDiff = { overlay: string | undefined } & (
  | { level: DiffResult["level"]; changes: Change[]; documents: [OpenAPIDocument, OpenAPIDocument] }
  | { level: null; reason: string }
);

/**
 * Diffs the effective documents of two upstream versions: each with its overlay applied (the old
 * side may use the overlay as it was, `oldOverlay`). When an overlay cannot be applied to a side or
 * leaves it invalid, there is no effective change to report and `reason` says why.
 */
export async function diffEffective(
  oldDoc: OpenAPIDocument,
  newDoc: OpenAPIDocument,
  overlay: LoadedOverlay | undefined,
  options: {
    compiler?: boolean;
    oldOverlay?: LoadedOverlay | undefined;
    validateOld?: boolean;
    /** The new side's effective document, when the caller has already made and checked it. */
    newEffective?: OpenAPIDocument;
  } = {},
): Promise<EffectiveDiff> {
  const oldOverlay = "oldOverlay" in options ? options.oldOverlay : overlay;
  const sides: OpenAPIDocument[] = [];
  for (const [side, doc, ov] of [
    ["old", oldDoc, oldOverlay],
    ["new", newDoc, overlay],
  ] as const) {
    if (side === "new" && options.newEffective) {
      sides.push(options.newEffective);
      continue;
    }
    try {
      // What users have now need not pass today's checks (it was accepted when it was pinned).
      const make = side === "old" && options.validateOld === false ? applyOnly : effectiveDocument;
      sides.push((await make(doc, ov)).document);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      return { overlay: overlay?.shown, level: null, reason: `${side} document: ${error.message}` };
    }
  }
  const documents = sides as [OpenAPIDocument, OpenAPIDocument];
  const result = await diffSpecs(documents[0], documents[1], options);
  return { overlay: overlay?.shown, ...result, documents };
}

type JsonChange = Pick<Change, "location" | "pointer" | "kind" | "breaking" | "message">;

/**
 * The JSON form promised in the design doc: upstream's raw change (`level`, `changes`), plus the
 * effective change users see (`effectiveLevel`, `effective`) when it was computed.
 */
export function toJson(
  result: DiffResult,
  effective?: EffectiveDiff,
): {
  level: DiffResult["level"];
  changes: JsonChange[];
  effectiveLevel?: DiffResult["level"] | null;
  effective?:
    | { overlay: string | null; level: DiffResult["level"]; changes: JsonChange[] }
    | { overlay: string | null; level: null; reason: string };
} {
  const pick = (changes: Change[]): JsonChange[] =>
    changes.map(({ location, pointer, kind, breaking, message }) => ({ location, pointer, kind, breaking, message }));
  const out = { level: result.level, changes: pick(result.changes) };
  if (!effective) return out;
  const overlay = effective.overlay ?? null;
  return {
    ...out,
    effectiveLevel: effective.level,
    effective:
      effective.level === null
        ? { overlay, level: null, reason: effective.reason }
        : { overlay, level: effective.level, changes: pick(effective.changes) },
  };
}

const MARK = { breaking: "!", additive: "+", docs: "~" } as const;

/** The human summary of a raw and an effective change, as spec:diff and spec:update print them. */
export function formatBoth(result: DiffResult, effective: EffectiveDiff): string {
  const head = `Upstream change (${effective.overlay ? "before the overlay" : "no overlay"}):`;
  return `${head}\n${formatSummary(result)}\n\n${formatEffective(effective)}`;
}

/** The human summary of the effective change alone. */
export function formatEffective(effective: EffectiveDiff): string {
  return effective.level === null
    ? `Effective change: not computed (${effective.reason})`
    : `Effective change (with ${effective.overlay ?? "no overlay"}; what the packages expose):\n${formatSummary(effective)}`;
}

/** A short human summary, grouped by operation and by request/response. */
export function formatSummary(result: DiffResult): string {
  const ignored = result.unreachable?.length
    ? [`(${result.unreachable.length} component schema(s) no operation reaches changed: not part of the API, ignored)`]
    : [];
  if (result.changes.length === 0)
    return ["Level: none (no semantic change: only key order, formatting or vendor extensions, if anything)", ...ignored].join(
      "\n",
    );
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
  if (ignored.length > 0) out.push("", ...ignored);
  return out.join("\n");
}
