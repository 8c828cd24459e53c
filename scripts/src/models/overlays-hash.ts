/**
 * One sha256 over every overlay that shapes the model set (the shared ones, in order, and each
 * per-spec one), recorded in the model set's pin by spec:update: spec:check refuses an overlay edit that
 * reached no changeset.
 */
import { sha256 } from "../hash";
import type { ModelOverlays } from "./effective-model";

/** The hash of the overlays' bytes and where each applies. */
export function overlaysHash(overlays: ModelOverlays): string {
  const lines = [
    ...overlays.shared.map((o) => `shared ${o.shown} ${o.sha256}`),
    ...[...overlays.own].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, o]) => `own ${path} ${o.sha256}`),
  ];
  return sha256(lines.join("\n"));
}
