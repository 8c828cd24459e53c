/**
 * Logging: a level threshold over a `{ error, warn, info, debug }` logger (default `console`).
 * Every line is one string with the API key redacted, so no sink ever receives it.
 */

/** How much the client logs: nothing, or everything up to and including this level. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Where log lines go; `console` fits. */
export interface Logger {
  /** Receives lines at level "error". */
  error(message: string): void;
  /** Receives lines at level "warn". */
  warn(message: string): void;
  /** Receives lines at level "info". */
  info(message: string): void;
  /** Receives lines at level "debug". */
  debug(message: string): void;
}

import { redact } from "./redact";

const LEVELS = ["off", "error", "warn", "info", "debug"] as const;

/** Ranks of the levels, for `log.level >= INFO` checks before a line is built (the request path is hot). */
export const WARN = 2;
export const INFO = 3;
export const DEBUG = 4;

/** Writes one line at a level (a rank) if the threshold lets it through; `level` is the threshold. */
export interface Log {
  (rank: number, message: string): void;
  level: number;
}

/** A threshold-bound, redacting log; an unknown level name is reported and replaced by "warn". */
export function createLog(level: string | undefined, logger: Logger, secret: string): Log {
  const log = ((rank: number, message: string) => {
    if (log.level >= rank) logger[LEVELS[rank] as "warn"](`[aimlapi] ${redact(message, secret)}`);
  }) as Log;
  log.level = LEVELS.indexOf((level ?? "warn") as LogLevel);
  if (log.level < 0) {
    log.level = WARN;
    log(WARN, `log level ${JSON.stringify(level)} is not one of ${LEVELS.join(", ")}; using "warn"`);
  }
  return log;
}

/**
 * Headers as a debug line shows them: credentials (`Authorization`, cookies, `*-key` headers) and
 * any value shaped like a key or token replaced by "[redacted]".
 */
export function redactHeaders(headers: Record<string, string>): string {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    shown[name] =
      /auth|cookie|key|token|secret/i.test(name) || /^(bearer|basic)\s|[\w-]{20,}|\b[sp]k-/i.test(value) ? "[redacted]" : value;
  return JSON.stringify(shown);
}
