import { createHash } from "node:crypto";

/** Hex sha256 of the given bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A short form of a hash for messages: the first 12 hex digits. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}
