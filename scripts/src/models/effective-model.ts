/**
 * A model's effective document: upstream's file, then the shared overlays' actions wherever they
 * match (AIML's one generator repeats the same lapses across specs, so one reviewed correction
 * serves them all), then the spec's own overlay, which must match in full as the flagship's does.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as openapiFormat from "openapi-format";
import { judgeOutcomes, type OverlayFindings, overlayProblemLines } from "../effective";
import { oneLine, SpecError } from "../errors";
import {
  actionName,
  applyOverlay,
  dropRepeatedEntries,
  type LoadedOverlay,
  loadOverlayText,
  type OverlayAction,
} from "../overlay";
import type { OpenAPIDocument } from "../validate-spec";

/** The overlays a model spec gets: the shared ones and its own. */
export interface ModelOverlays {
  shared: LoadedOverlay[];
  /** Per-spec overlays by spec path (relative to the models folder). */
  own: Map<string, LoadedOverlay>;
}

/** Folder of per-spec overlays: specs/overlays/models/<path without .json>.overlay.yaml. */
export function ownOverlayPath(specsDir: string, specPath: string): string {
  return join(specsDir, "overlays", "models", specPath.replace(/\.json$/, ".overlay.yaml"));
}

/** Reads the shared overlays named by the lock and every per-spec overlay of the listed specs. */
export async function readModelOverlays(specsDir: string, sharedNames: string[], specPaths: string[]): Promise<ModelOverlays> {
  const shared: LoadedOverlay[] = [];
  for (const name of sharedNames) {
    const path = join(specsDir, "overlays", name);
    const bytes = await readFile(path).catch(() => {
      throw new SpecError(`cannot read the shared overlay specs/overlays/${name}`);
    });
    shared.push(loadOverlayText(bytes, `specs/overlays/${name}`));
  }
  const own = new Map<string, LoadedOverlay>();
  await Promise.all(
    specPaths.map(async (specPath) => {
      const bytes = await readFile(ownOverlayPath(specsDir, specPath)).catch(() => undefined);
      if (bytes)
        own.set(specPath, loadOverlayText(bytes, `specs/overlays/models/${specPath.replace(/\.json$/, ".overlay.yaml")}`));
    }),
  );
  return { shared, own };
}

/** How a shared action is named in reports: its file, `x-id` and position. */
export function sharedActionName(overlay: LoadedOverlay, index: number): string {
  return `${overlay.shown}: ${actionName(overlay.document.actions[index] as OverlayAction, index)}`;
}

/** A model's effective document and how the overlays fared on it. */
export interface ModelEffective {
  document: OpenAPIDocument;
  /** Shared actions (named by sharedActionName) that matched nothing in this spec: they do not apply to it. */
  sharedUnmatched: string[];
  /** What the spec's own overlay found (strict, like the flagship's). */
  ownFindings?: OverlayFindings;
}

/** Applies the shared overlays leniently, then the spec's own overlay; fails with one line on drift in the latter. */
export async function modelEffective(
  upstream: OpenAPIDocument,
  overlays: ModelOverlays,
  specPath: string,
): Promise<ModelEffective> {
  let document = upstream;
  const sharedUnmatched: string[] = [];
  for (const overlay of overlays.shared) {
    const result = await openapiFormat.openapiOverlay(structuredClone(document), { overlaySet: overlay.document });
    const unused = (result.resultData as { unusedActions?: unknown[] }).unusedActions ?? [];
    for (const action of unused) {
      const index = overlay.document.actions.indexOf(action as (typeof overlay.document.actions)[number]);
      sharedUnmatched.push(sharedActionName(overlay, index));
    }
    document = dropRepeatedEntries(result.data) as OpenAPIDocument;
  }
  const own = overlays.own.get(specPath);
  if (!own) return { document, sharedUnmatched };
  const applied = await applyOverlay(document, own.document);
  const findings = judgeOutcomes(applied.outcomes, applied.noOpPairs);
  const problems = overlayProblemLines(findings, own);
  if (problems.length > 0) throw new SpecError(oneLine(`${own.shown}: ${problems.join("; ")}`, 400));
  return { document: applied.document, sharedUnmatched, ownFindings: findings };
}
