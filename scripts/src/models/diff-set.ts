/**
 * What changed between two model sets, per model: ids added and removed, and for every model whose
 * types changed, the classified changes (spec:diff's rules). Both sets are interned into one shape
 * table, so a model whose request, reply and stream event have the same shapes did not change for
 * users, and each distinct pair of shapes is compared once; models with the same changes are
 * grouped, so a change AIML's generator made in many specs is listed once.
 */
import { diffSpecs } from "../diff/diff";
import type { Change, Level } from "../diff/types";
import type { OpenAPIDocument } from "../validate-spec";
import { type Catalog, catalogOfFiles, type ModelEntry } from "./catalog";
import type { ModelOverlays } from "./effective-model";
import { CHAT_OPERATION_PATH, type Schema, ShapeTable } from "./shapes";

/** One side of the comparison: its selected files' bytes and the overlays that apply. */
export interface SetSide {
  files: Map<string, Uint8Array>;
  overlays: ModelOverlays;
}

/** Models that changed in the same way. */
export interface ChangeGroup {
  models: string[];
  level: Level;
  changes: Change[];
}

/** The whole comparison. */
export interface SetDiff {
  level: Level;
  added: string[];
  removed: string[];
  groups: ChangeGroup[];
  /** Ids left out: the flagship's, which its own spec (specs/sources.json) types. */
  excluded: string[];
  /**
   * Drift of the shared overlays, per spec file whose bytes changed: actions that applied to its old
   * version and not to its new one (upstream fixed the lapse, or moved what the action corrects).
   */
  drift: { file: string; lost: string[] }[];
}

const ORDER: Level[] = ["none", "docs", "additive", "breaking"];

/** Compares two sets; `exclude` names ids whose types do not come from the set (the flagship's). */
export async function diffModelSets(before: SetSide, after: SetSide, exclude: ReadonlySet<string> = new Set()): Promise<SetDiff> {
  const table = new ShapeTable();
  const oldCatalog = await catalogOfFiles(before.files, before.overlays, table);
  const newCatalog = await catalogOfFiles(after.files, after.overlays, table);
  const byId = (catalog: Catalog) => new Map(catalog.entries.filter((e) => !exclude.has(e.id)).map((e) => [e.id, e]));
  const [oldIds, newIds] = [byId(oldCatalog), byId(newCatalog)];
  const added = [...newIds.keys()].filter((id) => !oldIds.has(id)).sort();
  const removed = [...oldIds.keys()].filter((id) => !newIds.has(id)).sort();
  const components = table.components();
  const compared = new Map<string, Promise<{ level: Level; changes: Change[] }>>();
  const byChange = new Map<string, ChangeGroup>();
  for (const [id, now] of [...newIds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const was = oldIds.get(id);
    if (!was) continue;
    const pair = `${shapesKey(was)}→${shapesKey(now)}`;
    if (shapesKey(was) === shapesKey(now)) continue;
    let result = compared.get(pair);
    if (!result) {
      result = diffSpecs(operationDocument(was, components), operationDocument(now, components), { compiler: false });
      compared.set(pair, result);
    }
    const { level, changes } = await result;
    if (changes.length === 0) continue;
    const key = JSON.stringify(changes.map((c) => [c.severity, c.kind, c.pointer, c.message]));
    const group = byChange.get(key) ?? { models: [], level, changes };
    group.models.push(id);
    byChange.set(key, group);
  }
  const groups = [...byChange.values()].sort(
    (a, b) => ORDER.indexOf(b.level) - ORDER.indexOf(a.level) || b.models.length - a.models.length,
  );
  const levels: Level[] = [
    ...groups.map((g) => g.level),
    ...(removed.length > 0 ? (["breaking"] as const) : []),
    ...(added.length > 0 ? (["additive"] as const) : []),
  ];
  const level = levels.reduce<Level>((max, l) => (ORDER.indexOf(l) > ORDER.indexOf(max) ? l : max), "none");
  return {
    level,
    added,
    removed,
    groups,
    excluded: [...exclude].sort(),
    drift: sharedDrift(before, after, oldCatalog, newCatalog),
  };
}

/** The shared actions each changed file lost, read from the catalogs' entries (one per id; a file's ids agree). */
function sharedDrift(before: SetSide, after: SetSide, oldCatalog: Catalog, newCatalog: Catalog): SetDiff["drift"] {
  const byFile = (catalog: Catalog) => new Map(catalog.entries.map((e) => [e.file, e.sharedUnmatched]));
  const [was, now] = [byFile(oldCatalog), byFile(newCatalog)];
  const drift: SetDiff["drift"] = [];
  for (const [file, bytes] of after.files) {
    const old = before.files.get(file);
    if (!old || Buffer.compare(old, bytes) === 0) continue;
    const lost = (now.get(file) ?? []).filter((name) => !(was.get(file) ?? []).includes(name));
    if (lost.length > 0) drift.push({ file, lost });
  }
  return drift;
}

/** What decides a model's types: its request, reply and stream-event shapes. */
function shapesKey(entry: ModelEntry): string {
  return [entry.request, entry.completion ?? "-", entry.chunk ?? "-"].join(" ");
}

/** The chat operation as a document, its shapes inlined: what the diff rules compare. */
function operationDocument(entry: ModelEntry, components: Record<string, Schema>): OpenAPIDocument {
  const inline = (name: string): Schema => resolve(components[name] as Schema, components);
  const replies: Record<string, { schema: Schema }> = {};
  if (entry.completion) replies["application/json"] = { schema: inline(entry.completion) };
  if (entry.chunk) replies["text/event-stream"] = { schema: inline(entry.chunk) };
  return {
    openapi: "3.0.0",
    info: { title: entry.id, version: "1" },
    paths: {
      [CHAT_OPERATION_PATH]: {
        post: {
          requestBody: { content: { "application/json": { schema: inline(entry.request) } } },
          responses: { "200": { description: "", ...(Object.keys(replies).length > 0 ? { content: replies } : {}) } },
        },
      },
    },
  };
}

function resolve(value: unknown, components: Record<string, Schema>): Schema {
  if (Array.isArray(value)) return value.map((v) => resolve(v, components)) as unknown as Schema;
  if (value === null || typeof value !== "object") return value as Schema;
  const ref = (value as { $ref?: string }).$ref;
  if (ref?.startsWith("#/components/schemas/")) return resolve(components[ref.slice(21)], components);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, components)])) as Schema;
}

/** The diff as text: verdict, models added and removed, then each group of models with its changes. */
export function formatSetDiff(diff: SetDiff): string[] {
  const list = (ids: string[]) => ids.map((id) => `\`${id}\``).join(", ");
  return [
    `model set: ${diff.level} (${diff.added.length} added, ${diff.removed.length} removed, ${diff.groups.reduce((n, g) => n + g.models.length, 0)} changed)`,
    ...(diff.added.length > 0 ? [`- added (${diff.added.length}, additive): ${list(diff.added)}`] : []),
    ...(diff.removed.length > 0 ? [`- removed (${diff.removed.length}, breaking): ${list(diff.removed)}`] : []),
    ...diff.groups.flatMap((g) => [
      `- ${list(g.models)} (${g.models.length} model${g.models.length === 1 ? "" : "s"}, ${g.level}):`,
      ...g.changes.map((c) => `  - ${c.operation} (${c.location}, ${c.severity}): ${c.message}${where(c.pointer)}`),
    ]),
  ];
}

/** The part of a pointer that says where in the operation a change is (` at /properties/seed`). */
function where(pointer: string): string {
  const inOperation = pointer
    .replace(/^\/paths\/[^/]+\/[a-z]+/, "")
    .replace(/^\/(requestBody|responses\/\d+)\/content\/[^/]+\/schema/, "");
  return inOperation ? ` at ${inOperation}` : "";
}
