/** Errors of structured output: the model stopped early, was filtered, or sent something that does not fit the schema. */
import { AIMLAPIError } from "../core/errors";
import type { SchemaIssue } from "./parseable";

/** The reply ran out of tokens (`finish_reason: "length"`) before the structured output was complete. */
export class LengthFinishReasonError extends AIMLAPIError {
  override name = "LengthFinishReasonError";
  constructor() {
    super(
      "Could not parse the response: the model ran out of tokens (finish_reason: length); raise max_tokens or shorten the request.",
    );
  }
}

/** The reply was withheld by the content filter (`finish_reason: "content_filter"`). */
export class ContentFilterFinishReasonError extends AIMLAPIError {
  override name = "ContentFilterFinishReasonError";
  constructor() {
    super("Could not parse the response: it was withheld by the content filter (finish_reason: content_filter).");
  }
}

/** The reply is not JSON, or does not validate against the schema; `text` is what the model sent. */
export class OutputParseError extends AIMLAPIError {
  override name = "OutputParseError";
  /** The schema's issues (or the JSON syntax error, as one issue). */
  readonly issues: readonly SchemaIssue[];
  /** The raw text the model sent. */
  readonly text: string;

  constructor(message: string, issues: readonly SchemaIssue[], text: string, options?: { cause?: unknown }) {
    super(message, options);
    this.issues = issues;
    this.text = text;
  }
}

/** "title: Expected string" lines for issues, for error messages and tool replies. */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues
    .map((issue) => {
      const path = (issue.path ?? []).map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
