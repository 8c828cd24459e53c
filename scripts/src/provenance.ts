/**
 * Where an upstream version comes from: the api-docs commit that published it and that commit's
 * date. Recorded in sources.json and named in changesets, so a changelog reads "Upstream
 * gpt-4.1.json 4cd011cd (2026-06-12)" rather than a sha256.
 */
import { basename } from "node:path";
import { SpecError } from "./errors";

/** An upstream commit (7 to 40 hex digits) and its date (YYYY-MM-DD). */
export interface Provenance {
  commit: string;
  date: string;
}

const COMMIT_RE = /^[0-9a-f]{7,40}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a provenance given by hand (`--upstream-commit`, `--upstream-date`); both or neither. */
export function givenProvenance(commit: string | undefined, date: string | undefined): Provenance | undefined {
  if (commit === undefined && date === undefined) return undefined;
  if (commit === undefined || date === undefined)
    throw new SpecError("--upstream-commit and --upstream-date go together (give both, or neither)");
  if (!COMMIT_RE.test(commit)) throw new SpecError(`--upstream-commit must be 7 to 40 lowercase hex digits (got "${commit}")`);
  if (!DATE_RE.test(date) || Number.isNaN(Date.parse(date)))
    throw new SpecError(`--upstream-date must be a date as YYYY-MM-DD (got "${date}")`);
  return { commit, date };
}

/** Checks a provenance read from sources.json (a commit known without its date has date "unknown"). */
export function isProvenance(value: unknown): value is Provenance {
  const v = value as Partial<Provenance> | null;
  return (
    typeof v?.commit === "string" &&
    COMMIT_RE.test(v.commit) &&
    typeof v.date === "string" &&
    (DATE_RE.test(v.date) || v.date === "unknown")
  );
}

/**
 * What the source itself says: a history file named `<name>.<YYYY-MM-DD>.<commit>.json` (as upstream's
 * history is kept in ../shared/specs/history), or a raw.githubusercontent.com address or mirror path
 * that holds a commit (`…/api-docs/<commit>/…`, date unknown then). Undefined when it says nothing.
 */
export function provenanceFromSource(source: string): Partial<Provenance> | undefined {
  const named = /\.(\d{4}-\d{2}-\d{2})\.([0-9a-f]{7,40})\.json$/.exec(basename(source));
  if (named) return { date: named[1] as string, commit: named[2] as string };
  const inPath = /(?:^|\/)api-docs\/([0-9a-f]{40})\//.exec(source.replace(/\\/g, "/"));
  return inPath ? { commit: inPath[1] as string } : undefined;
}

/**
 * Asks GitHub for the last commit that touched a raw.githubusercontent.com file at its ref. Offline,
 * rate-limited or anything else unexpected gives undefined: provenance is then recorded as unknown,
 * which never stops an update.
 */
async function provenanceFromGitHub(url: string, timeoutMs = 5_000): Promise<Provenance | undefined> {
  const raw = /^https:\/\/raw\.githubusercontent\.com\/([^/]+)\/([^/]+)\/(refs\/heads\/[^/]+|[^/]+)\/(.+)$/.exec(url);
  if (!raw) return undefined;
  const [, owner, repo, ref, path] = raw as unknown as [string, string, string, string, string];
  const api = `https://api.github.com/repos/${owner}/${repo}/commits?sha=${encodeURIComponent(ref.replace(/^refs\/heads\//, ""))}&path=${encodeURIComponent(path)}&per_page=1`;
  try {
    const response = await fetch(api, {
      headers: { accept: "application/vnd.github+json", "user-agent": "aimlapi-sdk-spec-update" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const [last] = (await response.json()) as { sha?: string; commit?: { committer?: { date?: string } } }[];
    const commit = last?.sha;
    const date = last?.commit?.committer?.date?.slice(0, 10);
    return commit && date && COMMIT_RE.test(commit) && DATE_RE.test(date) ? { commit, date } : undefined;
  } catch {
    return undefined;
  }
}

/** The provenance of a source: given by hand, else read from its name, else asked of GitHub. */
export async function inferProvenance(source: string, given: Provenance | undefined): Promise<Provenance | undefined> {
  if (given) return given;
  const fromSource = provenanceFromSource(source);
  if (fromSource?.commit && fromSource.date) return fromSource as Provenance;
  const fromGitHub = /^https?:\/\//i.test(source) ? await provenanceFromGitHub(source) : undefined;
  return fromGitHub ?? (fromSource?.commit ? { commit: fromSource.commit, date: "unknown" } : undefined);
}

/** How a version is named in messages and changelogs: `4cd011cd (2026-06-12)`, or its sha256 when unknown. */
export function versionName(provenance: Provenance | undefined, sha256: string): string {
  if (!provenance) return `sha256 ${sha256.slice(0, 12)}…`;
  return `${provenance.commit.slice(0, 8)} (${provenance.date})`;
}
