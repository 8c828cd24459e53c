/** How much a change matters to a TypeScript caller, most severe first. */
export type Severity = "breaking" | "additive" | "docs";

/** The overall verdict: the most severe change, or none. */
export type Level = Severity | "none";

/** One classified difference between two specs. */
export interface Change {
  /** Where the change is, from the caller's side: what they send, what they get, or the operation itself. */
  location: "request" | "response" | "path";
  /** JSON pointer into the document that has the element (the new one, or the old one for removals). */
  pointer: string;
  /** A stable identifier of the rule, e.g. `request.property.removed`. */
  kind: string;
  breaking: boolean;
  message: string;
  severity: Severity;
  /** `POST /v1/chat/completions`, or "document" for changes outside operations. */
  operation: string;
}

/** The result of a diff. */
export interface DiffResult {
  level: Level;
  changes: Change[];
  /** Component schemas no operation reaches that were added, removed or changed: not part of the API. */
  unreachable?: string[];
}

/** The most severe level among changes. */
export function levelOf(changes: readonly Change[]): Level {
  if (changes.some((c) => c.severity === "breaking")) return "breaking";
  if (changes.some((c) => c.severity === "additive")) return "additive";
  if (changes.some((c) => c.severity === "docs")) return "docs";
  return "none";
}
