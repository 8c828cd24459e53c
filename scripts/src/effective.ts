/**
 * The effective document: upstream's untouched spec with our overlay applied, validated strictly
 * against the OpenAPI schema. It is what codegen, the mock server and `spec:effective` use.
 * `inspectEffective` reports everything that is wrong at once (spec:update's summary is made from
 * it); `effectiveDocument` fails with one line for the commands that just need the document.
 */
import { SpecError } from "./errors";
import { layoutIn } from "./layout";
import { requirePinnedSpec } from "./local-spec";
import { describeViolation, type RuleViolation, validateOpenAPI } from "./openapi-validation";
import { type ActionOutcome, applyOverlay, type LoadedOverlay, type NoOpPair, readOverlay } from "./overlay";
import { withoutUnreachableSchemas } from "./reachability";
import type { SpecSource } from "./sources";
import type { OpenAPIDocument } from "./validate-spec";

/** An effective document and how each overlay action fared on the way. */
export interface Effective {
  document: OpenAPIDocument;
  /** One per action; empty without an overlay. */
  outcomes: ActionOutcome[];
  overlay: LoadedOverlay | undefined;
}

/** What the overlay's actions found in a document. */
export interface OverlayFindings {
  /** `update`/`copy` actions whose target matches nothing: upstream renamed or moved what they correct. */
  unmatched: ActionOutcome[];
  /** `update`/`copy` actions that match in some of their operations and not in the others. */
  drift: { outcome: ActionOutcome; missing: string[]; matched: string[] }[];
  /** Actions that no longer change anything (upstream fixed the lapse), and remove actions with nothing to remove. */
  fixed: ActionOutcome[];
  /** Remove-then-update pairs that together change nothing. */
  fixedPairs: NoOpPair[];
}

/** Everything spec:update needs to judge a document: the effective document, the overlay's findings, the OpenAPI violations. */
export interface Inspection extends Effective {
  findings: OverlayFindings;
  violations: RuleViolation[];
}

/** Applies the overlay and validates the result, collecting every problem rather than stopping at the first. */
export async function inspectEffective(upstream: OpenAPIDocument, overlay: LoadedOverlay | undefined): Promise<Inspection> {
  const applied = overlay ? await applyOverlay(upstream, overlay.document) : { document: upstream, outcomes: [], noOpPairs: [] };
  const findings = judgeOutcomes(applied.outcomes, applied.noOpPairs);
  // A document with actions that did not apply is not the effective one: it is not validated. Component
  // schemas no operation reaches are not part of the API (codegen emits nothing for them): their
  // lapses refuse nothing, so a version is not held back by schemas of other products.
  const violations =
    findings.unmatched.length + findings.drift.length > 0
      ? []
      : await validateOpenAPI(withoutUnreachableSchemas(applied.document));
  return { document: applied.document, outcomes: applied.outcomes, overlay, findings, violations };
}

/** Sorts the actions' outcomes into what is wrong (unmatched, drift) and what is no longer needed (fixed). */
export function judgeOutcomes(outcomes: ActionOutcome[], noOpPairs: NoOpPair[]): OverlayFindings {
  const findings: OverlayFindings = { unmatched: [], drift: [], fixed: [], fixedPairs: noOpPairs };
  const paired = new Set(noOpPairs.flatMap((p) => [p.remove.index, p.update.index]));
  for (const outcome of outcomes) {
    const removes = outcome.action.remove === true;
    if (!outcome.matched) {
      // Nothing to remove: the lapse is gone. Nothing to update: what it corrects has moved.
      (removes ? findings.fixed : findings.unmatched).push(outcome);
      continue;
    }
    const missing = outcome.operations ? outcome.operations.scope.filter((o) => !outcome.operations?.matched.includes(o)) : [];
    if (!removes && missing.length > 0) {
      findings.drift.push({ outcome, missing, matched: outcome.operations?.matched ?? [] });
      continue;
    }
    if (!outcome.changed && !paired.has(outcome.index)) findings.fixed.push(outcome);
  }
  return findings;
}

/** One line per overlay problem (unmatched and drift), naming the action and, for drift, the operations. */
export function overlayProblemLines(findings: OverlayFindings, overlay: LoadedOverlay): string[] {
  return [
    ...findings.unmatched.map(
      (o) =>
        `overlay ${o.name} in ${overlay.shown} matches nothing (target ${o.action.target}): upstream renamed, moved or fixed what it targets; correct or remove the action`,
    ),
    ...findings.drift.map(
      ({ outcome, missing, matched }) =>
        `overlay ${outcome.name} in ${overlay.shown} matches nothing in ${missing.join(", ")} (it matches in ${matched.join(", ")}): upstream moved what it targets there; correct the action, or declare the operations it is for with x-operations`,
    ),
  ];
}

/** The lines for actions upstream made unnecessary. */
export function fixedUpstreamLines(findings: OverlayFindings, overlay: LoadedOverlay): string[] {
  return [
    ...findings.fixed.map((o) => fixedUpstreamLine(o, overlay)),
    ...findings.fixedPairs.map(
      ({ remove, update }) =>
        `upstream fixed this: remove ${remove.name} and ${update.name} from ${overlay.shown} (together they no longer change anything)`,
    ),
  ];
}

/**
 * Applies the overlay (if any) to an upstream document and validates the result. Fails with one line
 * when an action matches nothing (upstream moved or renamed what it targets) or when the result
 * still breaks an OpenAPI rule (a lapse the overlay does not repair), naming the pointer and rule.
 */
export async function effectiveDocument(upstream: OpenAPIDocument, overlay: LoadedOverlay | undefined): Promise<Inspection> {
  const inspection = await inspectEffective(upstream, overlay);
  failOnOverlayProblems(inspection);
  const first = inspection.violations[0];
  if (first) {
    const repair = overlay ? `add an action to ${overlay.shown} that repairs it` : "repair it with an overlay action";
    throw new SpecError(
      `not a valid OpenAPI ${upstream.openapi} document${overlay ? " even with the overlay applied" : ""}: ${describeViolation(first, inspection.violations.length - 1)}; ${repair}`,
    );
  }
  return inspection;
}

/**
 * Applies the overlay without validating the result, for what users have now (accepted when it was
 * pinned, before today's checks); fails only when an action matches nothing at all.
 */
export async function applyOnly(upstream: OpenAPIDocument, overlay: LoadedOverlay | undefined): Promise<Inspection> {
  const inspection = await inspectEffective(upstream, overlay);
  failOnOverlayProblems(inspection, { drift: false });
  return inspection;
}

function failOnOverlayProblems(inspection: Inspection, options: { drift?: boolean } = {}): void {
  if (!inspection.overlay) return;
  const findings = options.drift === false ? { ...inspection.findings, drift: [] } : inspection.findings;
  const [first, ...others] = overlayProblemLines(findings, inspection.overlay);
  if (!first) return;
  // One line: the first problem whole, the others by the action's name (spec:update lists them all).
  const names = [...findings.unmatched.map((o) => o.name), ...findings.drift.map((d) => d.outcome.name)].slice(1);
  throw new SpecError(`${first}${others.length > 0 ? ` (+${others.length} more: ${names.join(", ")})` : ""}`);
}

/** The line spec:update prints for an action upstream made unnecessary. */
function fixedUpstreamLine(outcome: ActionOutcome, overlay: LoadedOverlay): string {
  const why = outcome.matched ? "it no longer changes anything" : "what it removes is gone";
  return `upstream fixed this: remove ${outcome.name} from ${overlay.shown} (${why})`;
}

/** The effective document of a pinned spec in a specs folder (the pulled bytes must match the pin). */
export async function pinnedEffective(specsDir: string, spec: SpecSource): Promise<Inspection> {
  const bytes = await requirePinnedSpec(specsDir, spec);
  // The pinned bytes parsed when pulled; parsing is all that is left before the overlay.
  const upstream = JSON.parse(bytes.toString("utf8")) as OpenAPIDocument;
  return labelled(
    layoutIn(specsDir, spec.name).shown.pinned,
    effectiveDocument(upstream, await readOverlay(specsDir, spec.name)),
  );
}

/** Prefixes a one-line failure with what was being made effective. */
export async function labelled<T>(label: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof SpecError ? new SpecError(`${label}: ${error.message}`) : error;
  }
}
