/**
 * OpenAPI Overlays: our reviewed corrections of upstream's document, kept in
 * specs/overlays/<name>.overlay.yaml and applied with openapi-format's `openapiOverlay` (maintained,
 * pure JS, Overlay 1.0 and 1.1, JSONPath by jsonpathly). This module reads and checks the file and
 * applies it action by action, so that each action's effect can be judged: an action that matches
 * nothing means upstream moved what it targets; one that matches but changes nothing means upstream
 * fixed the lapse itself.
 */
import { readFile } from "node:fs/promises";
import * as openapiFormat from "openapi-format";
import YAML from "yaml";
import { canonicalize } from "./canonical";
import { oneLine, SpecError } from "./errors";
import { sha256 } from "./hash";
import { layoutIn } from "./layout";
import { matchedOperations, operationScope } from "./overlay-scope";
import type { OpenAPIDocument } from "./validate-spec";

/** One action of an overlay (the fields this project uses; others are passed through). */
export interface OverlayAction {
  target: string;
  description: string;
  update?: unknown;
  remove?: boolean;
  /** Overlay 1.1: a JSONPath whose single node is copied onto the target. */
  copy?: string;
  /** Short stable name used in messages. */
  "x-id"?: string;
  /** The operations the action is for (`POST /v1/chat/completions` …), when not every one its target expands over. */
  "x-operations"?: string[];
  [extension: `x-${string}`]: unknown;
}

/** A parsed Overlay document. */
export interface OverlayDocument {
  overlay: string;
  info: { title: string; version: string };
  actions: OverlayAction[];
  [key: string]: unknown;
}

/** An overlay file as read from disk. */
export interface LoadedOverlay {
  /** Path shown in messages (relative to the repository, e.g. specs/overlays/gpt-4.1.overlay.yaml). */
  shown: string;
  sha256: string;
  document: OverlayDocument;
}

/** What one action did to a document. */
export interface ActionOutcome {
  index: number;
  name: string;
  action: OverlayAction;
  /** The target matched at least one node. */
  matched: boolean;
  /** Applying the action changed the document. */
  changed: boolean;
  /** The operations its target is for, and those where it matched (when the target is under operations). */
  operations?: { scope: string[]; matched: string[] };
}

/** Two consecutive actions that replace a value (remove it, then update its parent) and together change nothing. */
export interface NoOpPair {
  remove: ActionOutcome;
  update: ActionOutcome;
}

/** Reads the overlay of spec `name` (specs/overlays/<name>.overlay.yaml); undefined when it has none. */
export async function readOverlay(specsDir: string, name: string): Promise<LoadedOverlay | undefined> {
  const layout = layoutIn(specsDir, name);
  const path = layout.overlay;
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new SpecError(`cannot read ${path} (${error.code})`);
  });
  if (!bytes) return undefined;
  return loadOverlayText(bytes, layout.shown.overlay);
}

/** Parses and checks overlay text (YAML or JSON) read from somewhere shown as `shown`. */
export function loadOverlayText(bytes: Uint8Array | string, shown: string): LoadedOverlay {
  const text = typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8");
  return { shown, sha256: sha256(bytes), document: parseOverlay(text, shown) };
}

/** YAML text → a checked Overlay document; every problem is one line naming the file. */
export function parseOverlay(text: string, shown: string): OverlayDocument {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text, { prettyErrors: false });
  } catch (error) {
    throw new SpecError(`${shown} is not valid YAML: ${oneLine((error as Error).message, 200)}`);
  }
  const fail = (why: string): never => {
    throw new SpecError(`${shown} is not a valid overlay: ${why}`);
  };
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return fail("expected a mapping at the top");
  const doc = parsed as Partial<OverlayDocument>;
  if (typeof doc.overlay !== "string" || !/^1\.[01]\.\d+$/.test(doc.overlay))
    fail(`"overlay" must name version 1.0.x or 1.1.x (got ${JSON.stringify(doc.overlay)})`);
  if (typeof doc.info?.title !== "string" || typeof doc.info?.version !== "string")
    fail('"info" needs a "title" and a "version"');
  if (!Array.isArray(doc.actions) || doc.actions.length === 0) fail('"actions" must be a non-empty list');
  const ids = new Set<string>();
  for (const [index, action] of (doc.actions as unknown[]).entries()) {
    const a = action as Partial<OverlayAction> | null;
    const name = a && typeof a === "object" ? actionName(a as OverlayAction, index) : `action #${index + 1}`;
    if (!a || typeof a !== "object" || Array.isArray(a)) fail(`${name} is not a mapping`);
    const act = a as Partial<OverlayAction>;
    if (typeof act.target !== "string" || !act.target.startsWith("$"))
      fail(`${name}: "target" must be a JSONPath starting with "$"`);
    if (typeof act.description !== "string" || act.description.trim() === "")
      fail(`${name}: "description" must say which upstream lapse it repairs and the evidence`);
    if (!("update" in act) && act.remove !== true && !("copy" in act)) fail(`${name}: needs "update", "remove: true" or "copy"`);
    if ("remove" in act && act.remove !== true) fail(`${name}: "remove" can only be true`);
    if ("copy" in act && !(doc.overlay as string).startsWith("1.1.")) fail(`${name}: "copy" needs overlay version 1.1.x`);
    const ops = act["x-operations"];
    if (
      ops !== undefined &&
      (!Array.isArray(ops) || ops.length === 0 || !ops.every((o) => typeof o === "string" && /^[A-Z]+ \//.test(o)))
    )
      fail(`${name}: "x-operations" must list operations such as "POST /v1/chat/completions"`);
    const id = act["x-id"];
    if (id !== undefined) {
      if (typeof id !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(id)) fail(`${name}: "x-id" must be a lowercase slug`);
      if (ids.has(id as string)) fail(`${name}: "x-id" is used twice`);
      ids.add(id as string);
    }
  }
  return doc as OverlayDocument;
}

/** How an action is named in messages: its `x-id` and position. */
export function actionName(action: OverlayAction, index: number): string {
  const id = action["x-id"];
  return typeof id === "string" ? `action "${id}" (#${index + 1})` : `action #${index + 1}`;
}

/**
 * Applies an overlay to a copy of a document, one action at a time, and reports what each did.
 * After every action, repeated entries of `enum` and `required` lists are dropped: Overlay `update`
 * appends to arrays, and a value upstream has since added itself must not be listed twice.
 */
export async function applyOverlay(
  document: OpenAPIDocument,
  overlay: OverlayDocument,
): Promise<{ document: OpenAPIDocument; outcomes: ActionOutcome[]; noOpPairs: NoOpPair[] }> {
  let current = structuredClone(document);
  const outcomes: ActionOutcome[] = [];
  const states: string[] = [];
  for (const [index, action] of overlay.actions.entries()) {
    const name = actionName(action, index);
    const before = JSON.stringify(current);
    states.push(before);
    const scope = operationScope(action, current);
    const operations = scope
      ? { scope, matched: [...matchedOperations(action, current)].filter((o) => scope.includes(o)) }
      : undefined;
    const problems: string[] = [];
    // openapi-format reports bad JSONPath and type mismatches with console.error; collect them.
    const consoleError = console.error;
    console.error = (...args: unknown[]) => problems.push(args.map(String).join(" "));
    let result: Awaited<ReturnType<typeof openapiFormat.openapiOverlay>>;
    try {
      result = await openapiFormat.openapiOverlay(current, {
        overlaySet: { overlay: overlay.overlay, info: overlay.info, actions: [action] },
      });
    } finally {
      console.error = consoleError;
    }
    if (problems.length > 0) throw new SpecError(`overlay ${name}: ${oneLine(problems[0] as string, 240)}`);
    current = dropRepeatedEntries(result.data) as OpenAPIDocument;
    const matched = Number((result.resultData as { totalUsedActions?: number }).totalUsedActions ?? 0) > 0;
    outcomes.push({
      index,
      name,
      action,
      matched,
      changed: JSON.stringify(current) !== before,
      ...(operations ? { operations } : {}),
    });
  }
  states.push(JSON.stringify(current));
  return { document: current, outcomes, noOpPairs: noOpPairs(outcomes, states) };
}

/**
 * Remove-then-update pairs (the way to replace an array: remove it, then update its parent) that
 * leave the document as it was: upstream now has what the pair puts there. `states[i]` is the
 * document before action i, `states[n]` after the last.
 */
function noOpPairs(outcomes: ActionOutcome[], states: string[]): NoOpPair[] {
  const pairs: NoOpPair[] = [];
  for (let i = 0; i + 1 < outcomes.length; i++) {
    const remove = outcomes[i] as ActionOutcome;
    const update = outcomes[i + 1] as ActionOutcome;
    if (remove.action.remove !== true || !("update" in update.action)) continue;
    if (!remove.action.target.startsWith(update.action.target)) continue;
    // Key order does not count: the update puts the value back at the end of its parent.
    if (remove.changed && sameContent(states[i] as string, states[i + 2] as string)) pairs.push({ remove, update });
  }
  return pairs;
}

function sameContent(a: string, b: string): boolean {
  return a === b || JSON.stringify(canonicalize(JSON.parse(a))) === JSON.stringify(canonicalize(JSON.parse(b)));
}

/** Drops repeated primitives from every `enum` and `required` list, keeping the first of each. */
export function dropRepeatedEntries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropRepeatedEntries);
  if (value === null || typeof value !== "object") return value;
  const out = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(out)) {
    if (
      (key === "enum" || key === "required") &&
      Array.isArray(child) &&
      child.every((v) => v === null || typeof v !== "object")
    ) {
      if (new Set(child).size !== child.length) out[key] = [...new Set(child)];
    } else {
      dropRepeatedEntries(child);
    }
  }
  return out;
}
