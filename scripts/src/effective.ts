/**
 * The effective document: upstream's untouched spec with our overlay applied, validated strictly
 * against the OpenAPI schema. It is what codegen, the mock server and `spec:effective` use.
 */
import { SpecError } from "./errors";
import { layoutIn } from "./layout";
import { requirePinnedSpec } from "./local-spec";
import { describeViolation, validateOpenAPI } from "./openapi-validation";
import { type ActionOutcome, applyOverlay, type LoadedOverlay, readOverlay } from "./overlay";
import type { SpecSource } from "./sources";
import type { OpenAPIDocument } from "./validate-spec";

/** An effective document and how each overlay action fared on the way. */
export interface Effective {
  document: OpenAPIDocument;
  /** One per action; empty without an overlay. */
  outcomes: ActionOutcome[];
  overlay: LoadedOverlay | undefined;
}

/**
 * Applies the overlay (if any) to an upstream document and validates the result. Fails with one line
 * when an action matches nothing (upstream moved or renamed what it targets) or when the result
 * still breaks an OpenAPI rule (a lapse the overlay does not repair), naming the pointer and rule.
 */
export async function effectiveDocument(upstream: OpenAPIDocument, overlay: LoadedOverlay | undefined): Promise<Effective> {
  const applied = await applyOnly(upstream, overlay);
  const violations = await validateOpenAPI(applied.document);
  const first = violations[0];
  if (first) {
    const repair = overlay ? `add an action to ${overlay.shown} that repairs it` : "repair it with an overlay action";
    throw new SpecError(
      `not a valid OpenAPI ${upstream.openapi} document${overlay ? " even with the overlay applied" : ""}: ${describeViolation(first, violations.length - 1)}; ${repair}`,
    );
  }
  return applied;
}

/** Applies the overlay without validating the result; fails only when an action matches nothing. */
export async function applyOnly(upstream: OpenAPIDocument, overlay: LoadedOverlay | undefined): Promise<Effective> {
  if (!overlay) return { document: upstream, outcomes: [], overlay };
  const { document, outcomes } = await applyOverlay(upstream, overlay.document);
  const unmatched = outcomes.filter((o) => !o.matched);
  const first = unmatched[0];
  if (first) {
    const others = unmatched.slice(1).map((o) => o.name);
    const more =
      others.length > 0 ? ` (+${others.length} more: ${others.slice(0, 3).join(", ")}${others.length > 3 ? ", …" : ""})` : "";
    throw new SpecError(
      `overlay ${first.name} in ${overlay.shown} matches nothing (target ${first.action.target}): upstream renamed, moved or fixed what it targets; correct or remove the action${more}`,
    );
  }
  return { document, outcomes, overlay };
}

/** Actions that matched but changed nothing: upstream has fixed that lapse itself. */
export function fixedUpstream(effective: Effective): ActionOutcome[] {
  return effective.outcomes.filter((o) => o.matched && !o.changed);
}

/** The line spec:update prints for an action upstream made unnecessary. */
export function fixedUpstreamLine(outcome: ActionOutcome, overlay: LoadedOverlay): string {
  return `upstream fixed this: remove ${outcome.name} from ${overlay.shown} (it no longer changes anything)`;
}

/** The effective document of a pinned spec in a specs folder (the pulled bytes must match the pin). */
export async function pinnedEffective(specsDir: string, spec: SpecSource): Promise<Effective> {
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
