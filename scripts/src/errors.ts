/** A failure with a one-line, user-facing reason; CLIs print it and exit non-zero. */
export class SpecError extends Error {
  override name = "SpecError";
}

/** Collapses any text into a single line so CLI failures stay one line. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
