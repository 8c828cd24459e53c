/**
 * The selection rule, as code: a JSON file under the models folder is a chat model's spec when it
 * documents `POST /v1/chat/completions`; its model ids are that operation's `model` enum. An id
 * documented by several files is resolved to one of them by `resolveDuplicates`.
 */
import { CHAT_OPERATION_PATH } from "./shapes";

/** What the rule says about one file. */
export type Selection = { selected: true; ids: string[] } | { selected: false; reason: string };

/** Applies the selection rule to one parsed document. */
export function selectChatSpec(document: unknown): Selection {
  const paths = (document as { paths?: Record<string, Record<string, unknown> | undefined> }).paths ?? {};
  const post = paths[CHAT_OPERATION_PATH]?.post as
    | { requestBody?: { content?: Record<string, { schema?: { properties?: { model?: { enum?: unknown } } } }> } }
    | undefined;
  if (!post) {
    const documented = Object.keys(paths);
    return {
      selected: false,
      reason: `no POST ${CHAT_OPERATION_PATH} (documents ${documented.length > 0 ? documented.join(", ") : "no paths"})`,
    };
  }
  const ids = post.requestBody?.content?.["application/json"]?.schema?.properties?.model?.enum;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string")) {
    return { selected: false, reason: `POST ${CHAT_OPERATION_PATH} names no model ids (no "model" enum of strings)` };
  }
  return { selected: true, ids: ids as string[] };
}

/** One selected file, as duplicate resolution sees it. */
export interface Candidate {
  path: string;
  ids: string[];
  /** Whether the file documents a 200 response with a body (older files document a bare 201). */
  documentsResponse: boolean;
}

/** How an id documented by several files was resolved. */
export interface DuplicateResolution {
  id: string;
  chosen: string;
  others: string[];
  rule: string;
}

/**
 * Maps each model id to one file. For an id several files document, in order: a file that documents
 * its response wins over one that does not; then the file whose name is the id's last segment; then
 * the first path in code-point order.
 */
export function resolveDuplicates(candidates: Candidate[]): { owner: Map<string, string>; duplicates: DuplicateResolution[] } {
  const byId = new Map<string, Candidate[]>();
  for (const candidate of [...candidates].sort((a, b) => compare(a.path, b.path))) {
    for (const id of candidate.ids) byId.set(id, [...(byId.get(id) ?? []), candidate]);
  }
  const owner = new Map<string, string>();
  const duplicates: DuplicateResolution[] = [];
  for (const [id, files] of [...byId].sort(([a], [b]) => compare(a, b))) {
    if (files.length === 1) {
      owner.set(id, (files[0] as Candidate).path);
      continue;
    }
    const { chosen, rule } = pick(id, files);
    owner.set(id, chosen.path);
    duplicates.push({ id, chosen: chosen.path, others: files.filter((f) => f !== chosen).map((f) => f.path), rule });
  }
  return { owner, duplicates };
}

function pick(id: string, files: Candidate[]): { chosen: Candidate; rule: string } {
  const documenting = files.filter((f) => f.documentsResponse);
  if (documenting.length === 1) return { chosen: documenting[0] as Candidate, rule: "the only one documenting its response" };
  const pool = documenting.length > 0 ? documenting : files;
  const stem = (id.split("/").pop() ?? id).toLowerCase();
  const named = pool.filter((f) => (f.path.split("/").pop() ?? "").replace(/\.json$/, "").toLowerCase() === stem);
  if (named.length === 1) return { chosen: named[0] as Candidate, rule: "file named after the id" };
  return { chosen: (named.length > 0 ? named : pool)[0] as Candidate, rule: "first path" };
}

/** Code-point order, the same on every machine (no locale). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
