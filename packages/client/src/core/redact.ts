/**
 * Keeps the API key out of errors and log lines, even when a server echoes it back. A "key" shorter
 * than 8 characters is left alone: it cannot be told from ordinary text (a test key "k" would turn
 * every "k" of a message into "[redacted]"), and real keys are far longer.
 */
export function redact(text: string, secret: string): string {
  return secret.length >= 8 && text.includes(secret) ? text.split(secret).join("[redacted]") : text;
}
