/** A failure with a one-line, user-facing reason; CLIs print it and exit non-zero. */
export class SpecError extends Error {
  override name = "SpecError";
}

/**
 * A refusal that found several problems: the message is the verdict (one line), `details` the
 * summary lines printed under it (at most a screenful; the whole report is in a log file).
 */
export class SpecRefusal extends SpecError {
  override name = "SpecRefusal";
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
  }
}

/** Collapses any text into a single line so CLI failures stay one line. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
