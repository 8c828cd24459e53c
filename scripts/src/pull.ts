import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { writeFileAtomic } from "./atomic-write";
import { effectiveDocument } from "./effective";
import { SpecError } from "./errors";
import { sha256, shortHash } from "./hash";
import { layoutIn } from "./layout";
import { readOverlay } from "./overlay";
import { readSource } from "./read-source";
import type { SpecSource } from "./sources";
import { type OpenAPIDocument, parseOpenAPI } from "./validate-spec";

/** Where to read a spec from, in order of precedence: an explicit source, a mirror folder, upstream. */
export interface SourceChoice {
  /** A file path or http(s) URL given with --from. */
  from?: string;
  /** A folder holding <name>.json, from SPEC_MIRROR. */
  mirror?: string;
}

/** Resolves which file or URL a spec is read from. */
export function resolveSource(spec: SpecSource, choice: SourceChoice, cwd = process.env.INIT_CWD ?? process.cwd()): string {
  if (choice.from) return /^https?:\/\//i.test(choice.from) ? choice.from : resolve(cwd, choice.from);
  if (choice.mirror) {
    return /^https?:\/\//i.test(choice.mirror)
      ? `${choice.mirror.replace(/\/+$/, "")}/${spec.name}.json`
      : join(resolve(cwd, choice.mirror), `${spec.name}.json`);
  }
  return spec.url;
}

/** A spec read and checked, not yet written anywhere. */
export interface FetchedSpec {
  source: string;
  bytes: Uint8Array;
  sha256: string;
  document: OpenAPIDocument;
}

/** Reads a spec from its source and checks it is a JSON document declaring OpenAPI 3.x; no hash check. */
export async function fetchSpec(source: string): Promise<FetchedSpec> {
  const { bytes, contentType } = await readSource(source);
  const document = await parseOpenAPI(bytes, contentType);
  return { source, bytes, sha256: sha256(bytes), document };
}

/** Runs a step on one spec's source, prefixing its one-line failure with "<name> from <source>: ". */
export async function forSource<T>(name: string, source: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof SpecError ? new SpecError(`${name} from ${displayPath(source)}: ${error.message}`) : error;
  }
}

/** Fails unless the fetched bytes are exactly the pinned ones. */
export function assertPinned(spec: SpecSource, fetched: FetchedSpec): void {
  if (fetched.sha256 !== spec.sha256) {
    throw new SpecError(
      `sha256 mismatch: got ${shortHash(fetched.sha256)}, pinned ${shortHash(spec.sha256)} (to accept a new upstream version run: pnpm spec:update --from ${displayPath(fetched.source)})`,
    );
  }
}

/** What a pull did. */
export interface PullResult {
  path: string;
  sha256: string;
  bytes: number;
  changed: boolean;
}

/**
 * Pulls one pinned spec: read, check that it is valid OpenAPI once the overlay is applied, check the
 * hash, then write atomically (only if the bytes differ).
 */
export async function pullSpec(specsDir: string, spec: SpecSource, source: string): Promise<PullResult> {
  const fetched = await forSource(spec.name, source, async () => {
    const checked = await fetchSpec(source);
    await effectiveDocument(checked.document, await readOverlay(specsDir, spec.name));
    assertPinned(spec, checked);
    return checked;
  });
  const path = layoutIn(specsDir, spec.name).pinned;
  const current = await readFile(path).catch(() => undefined);
  const changed = !current || sha256(current) !== fetched.sha256;
  if (changed) await writeFileAtomic(path, fetched.bytes);
  return { path, sha256: fetched.sha256, bytes: fetched.bytes.byteLength, changed };
}

/** A path relative to the working directory when shorter, for messages. */
export function displayPath(source: string): string {
  if (/^https?:\/\//i.test(source) || !isAbsolute(source)) return source;
  const rel = relative(process.cwd(), source);
  return rel.length < source.length ? rel : source;
}
