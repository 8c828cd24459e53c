/**
 * The checks that need no build: the overlay applies in every operation it is for, the effective
 * document is valid OpenAPI, and codegen finds every shape the types name. All problems are
 * collected, so one run shows everything a new upstream version needs.
 */
import { generateTypes } from "../codegen/generate";
import { type Inspection, inspectEffective, overlayProblemLines } from "../effective";
import { SpecError } from "../errors";
import type { SpecLayout } from "../layout";
import type { RuleViolation } from "../openapi-validation";
import type { LoadedOverlay } from "../overlay";
import type { OpenAPIDocument } from "../validate-spec";
import type { Section } from "./report";

/** The inspection of the new effective document, and the sections of what is wrong with it. */
export async function preflight(
  upstream: OpenAPIDocument,
  overlay: LoadedOverlay | undefined,
  layout: SpecLayout,
): Promise<{ inspection: Inspection; sections: Section[] }> {
  const inspection = await inspectEffective(upstream, overlay);
  const sections: Section[] = [];
  const overlayLines = overlay ? overlayProblemLines(inspection.findings, overlay) : [];
  if (overlayLines.length > 0)
    sections.push({ title: `overlay actions that no longer apply (${overlayLines.length})`, lines: overlayLines });
  if (inspection.violations.length > 0) {
    const repair = overlay ? `add actions to ${overlay.shown} that repair them` : "repair them with an overlay";
    sections.push({
      title: `OpenAPI ${upstream.openapi} violations${overlay ? " with the overlay applied" : ""}: ${inspection.violations.length} in ${groupByRule(inspection.violations).length} rule(s); ${repair}`,
      lines: groupByRule(inspection.violations).map(({ rule, pointers }) => ruleLine(rule, pointers)),
      detail: inspection.violations.map((v) => `${v.pointer || "/"}: ${v.rule}`).join("\n"),
    });
  }
  // Codegen only makes sense on a document whose actions all applied.
  if (overlayLines.length === 0) {
    try {
      await generateTypes(inspection.document, { source: layout });
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      sections.push({ title: "code generation", lines: [error.message] });
    }
  }
  return { inspection, sections };
}

/** Violations grouped by rule, the most frequent first. */
export function groupByRule(violations: RuleViolation[]): { rule: string; pointers: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const v of violations) groups.set(v.rule, [...(groups.get(v.rule) ?? []), v.pointer || "/"]);
  return [...groups].map(([rule, pointers]) => ({ rule, pointers })).sort((a, b) => b.pointers.length - a.pointers.length);
}

function ruleLine(rule: string, pointers: string[]): string {
  const shown = pointers.slice(0, 3).join(", ");
  const more = pointers.length > 3 ? ` (+${pointers.length - 3} more)` : "";
  return `${pointers.length}× ${rule}: ${shown}${more}`;
}
