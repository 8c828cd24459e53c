/**
 * Compares two OpenAPI documents operation by operation: paths and methods, parameters, request
 * bodies and success responses (schemas via schema-compare), plus document-level docs. Vendor
 * extensions (`x-*`) and key order never count.
 */
import { HTTP_METHODS, operationName } from "../operations";
import { reachableComponents } from "../reachability";
import { child } from "./pointer";
import { type CompareContext, compareSchema, type Direction, deepEqual, deref } from "./schema-compare";
import type { Change, Severity } from "./types";

type Obj = Record<string, unknown>;
const OPERATION_DOCS = ["summary", "description", "tags", "externalDocs", "deprecated"];
const INFO_AND_DOCS = ["info", "tags", "externalDocs"];

/**
 * All rule-based changes between two documents. Component schemas no operation reaches are left
 * out; their names go to `unreachable` when given (added, removed or changed).
 */
export function compareDocuments(oldDoc: Obj, newDoc: Obj, unreachable: string[] = []): Change[] {
  const changes: Change[] = [];
  const add = (operation: string, change: Omit<Change, "operation">) => changes.push({ ...change, operation });
  const say: Say = (operation, location, severity, kind, pointer, message) =>
    add(operation, { location, severity, kind, pointer, message, breaking: severity === "breaking" });

  for (const key of INFO_AND_DOCS) {
    if (!deepEqual(oldDoc[key], newDoc[key]))
      say("document", "path", "docs", `document.${key}.changed`, `/${key}`, `${key} changed`);
  }
  // Servers and security schemes: a change in their descriptions alone is docs, anything else additive
  // (the client sets its own base URL and auth, so neither breaks callers' code).
  for (const [key, pointer] of [
    ["servers", "/servers"],
    ["securitySchemes", "/components/securitySchemes"],
  ] as const) {
    const o = key === "servers" ? oldDoc.servers : (oldDoc.components as Obj | undefined)?.securitySchemes;
    const n = key === "servers" ? newDoc.servers : (newDoc.components as Obj | undefined)?.securitySchemes;
    if (deepEqual(o, n)) continue;
    const docsOnly = deepEqual(withoutDocs(o), withoutDocs(n));
    say(
      "document",
      "path",
      docsOnly ? "docs" : "additive",
      `document.${key}.changed`,
      pointer,
      `${key} ${docsOnly ? "descriptions " : ""}changed`,
    );
  }
  if (!deepEqual((oldDoc.components as Obj | undefined)?.examples, (newDoc.components as Obj | undefined)?.examples))
    say("document", "path", "docs", "document.examples.changed", "/components/examples", "examples changed");

  const oldPaths = indexPaths(oldDoc);
  const newPaths = indexPaths(newDoc);
  for (const [shape, oldEntry] of oldPaths) {
    const newEntry = newPaths.get(shape);
    for (const method of HTTP_METHODS) {
      const oldOp = oldEntry.item[method] as Obj | undefined;
      if (!oldOp) continue;
      const name = operationName(oldEntry.path, method);
      const newOp = newEntry?.item[method] as Obj | undefined;
      if (!newEntry || !newOp) {
        say(
          name,
          "path",
          "breaking",
          "path.operation.removed",
          child(child("/paths", oldEntry.path), method),
          `operation ${name} removed`,
        );
        continue;
      }
      const ctx: CompareContext = { oldDoc, newDoc, operation: name, emit: (c) => add(name, c), active: new Set() };
      compareOperation(ctx, say, oldEntry, newEntry, method, oldOp, newOp);
    }
  }
  for (const [shape, newEntry] of newPaths) {
    const oldEntry = oldPaths.get(shape);
    for (const method of HTTP_METHODS) {
      if (!newEntry.item[method] || oldEntry?.item[method]) continue;
      const name = operationName(newEntry.path, method);
      say(
        name,
        "path",
        "additive",
        "path.operation.added",
        child(child("/paths", newEntry.path), method),
        `operation ${name} added`,
      );
    }
  }

  // Named component schemas that operations reach are exported as types (`components["schemas"]["X"]`):
  // removing one breaks code that names it; their content is compared where operations use them.
  // Schemas no operation reaches are not part of the API (codegen drops them): they are only counted.
  const oldSchemas = ((oldDoc.components as Obj | undefined)?.schemas ?? {}) as Obj;
  const newSchemas = ((newDoc.components as Obj | undefined)?.schemas ?? {}) as Obj;
  const reached = { old: reachableComponents(oldDoc), new: reachableComponents(newDoc) };
  const isReached = (side: "old" | "new", name: string) => reached[side].has(`#${child("/components/schemas", name)}`);
  for (const name of new Set([...Object.keys(oldSchemas), ...Object.keys(newSchemas)])) {
    if (name in oldSchemas && name in newSchemas) {
      if (!isReached("old", name) && !isReached("new", name) && !deepEqual(oldSchemas[name], newSchemas[name]))
        unreachable.push(name);
      continue;
    }
    const removed = name in oldSchemas;
    if (!isReached(removed ? "old" : "new", name)) {
      unreachable.push(name);
      continue;
    }
    const kind = `components.schema.${removed ? "removed" : "added"}`;
    say(
      "document",
      "path",
      removed ? "breaking" : "additive",
      kind,
      child("/components/schemas", name),
      `schema "${name}" ${removed ? "removed" : "added"}`,
    );
  }
  return dedupe(changes);
}

interface PathEntry {
  path: string;
  item: Obj;
}

/** Paths keyed by their shape: `/items/{id}` and `/items/{itemId}` are the same path. */
function indexPaths(doc: Obj): Map<string, PathEntry> {
  const out = new Map<string, PathEntry>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Obj)) {
    const resolved = deref(doc, item);
    out.set(path.replace(/\{[^}]*\}/g, "{}"), { path, item: resolved });
  }
  return out;
}

type Say = (
  operation: string,
  location: Change["location"],
  severity: Severity,
  kind: string,
  pointer: string,
  message: string,
) => void;

function compareOperation(
  ctx: CompareContext,
  say: Say,
  oldEntry: PathEntry,
  newEntry: PathEntry,
  method: string,
  oldOp: Obj,
  newOp: Obj,
): void {
  const name = ctx.operation;
  const at = child(child("/paths", newEntry.path), method);
  for (const key of OPERATION_DOCS) {
    if (!deepEqual(oldOp[key], newOp[key]))
      say(name, "path", "docs", `path.operation.${key}.changed`, child(at, key), `${key} changed`);
  }
  if (oldOp.operationId !== newOp.operationId) {
    // operationId names the `operations[…]` type: renaming it breaks code that refers to it.
    const severity: Severity = oldOp.operationId === undefined ? "additive" : "breaking";
    say(
      name,
      "path",
      severity,
      "path.operation.id-changed",
      child(at, "operationId"),
      `operationId ${String(oldOp.operationId)} → ${String(newOp.operationId)}`,
    );
  }
  compareParameters(ctx, say, at, parametersOf(ctx.oldDoc, oldEntry.item, oldOp), parametersOf(ctx.newDoc, newEntry.item, newOp));
  compareRequestBody(ctx, say, at, oldOp.requestBody, newOp.requestBody);
  compareResponses(ctx, say, at, (oldOp.responses ?? {}) as Obj, (newOp.responses ?? {}) as Obj);
}

function parametersOf(doc: unknown, item: Obj, op: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const raw of [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])]) {
    const p = deref(doc, raw);
    out.set(`${String(p.in)}:${String(p.name)}`, p);
  }
  return out;
}

function compareParameters(
  ctx: CompareContext,
  say: Say,
  at: string,
  oldParams: Map<string, Obj>,
  newParams: Map<string, Obj>,
): void {
  const name = ctx.operation;
  for (const [key, oldP] of oldParams) {
    const pointer = child(child(at, "parameters"), key);
    const newP = newParams.get(key);
    if (!newP) {
      say(name, "request", "breaking", "request.parameter.removed", pointer, `parameter ${key} removed`);
      continue;
    }
    if (oldP.required !== true && newP.required === true)
      say(name, "request", "breaking", "request.parameter.became-required", pointer, `parameter ${key} is now required`);
    if (oldP.required === true && newP.required !== true)
      say(name, "request", "additive", "request.parameter.became-optional", pointer, `parameter ${key} is now optional`);
    for (const doc of ["description", "example", "examples", "deprecated"]) {
      if (!deepEqual(oldP[doc], newP[doc]))
        say(name, "request", "docs", `request.parameter.${doc}.changed`, child(pointer, doc), `${doc} of ${key} changed`);
    }
    compareSchema(ctx, "request", oldP.schema, newP.schema, child(pointer, "schema"));
  }
  for (const [key, newP] of newParams) {
    if (oldParams.has(key)) continue;
    const pointer = child(child(at, "parameters"), key);
    if (newP.required === true)
      say(name, "request", "breaking", "request.parameter.added-required", pointer, `required parameter ${key} added`);
    else say(name, "request", "additive", "request.parameter.added", pointer, `optional parameter ${key} added`);
  }
}

function compareRequestBody(ctx: CompareContext, say: Say, at: string, oldRaw: unknown, newRaw: unknown): void {
  const name = ctx.operation;
  const pointer = child(at, "requestBody");
  if (oldRaw === undefined && newRaw === undefined) return;
  const oldB = deref(ctx.oldDoc, oldRaw);
  const newB = deref(ctx.newDoc, newRaw);
  if (oldRaw === undefined) {
    say(
      name,
      "request",
      newB.required === true ? "breaking" : "additive",
      "request.body.added",
      pointer,
      `${newB.required === true ? "required" : "optional"} request body added`,
    );
    return;
  }
  if (newRaw === undefined) {
    say(name, "request", "breaking", "request.body.removed", pointer, "request body removed");
    return;
  }
  if (oldB.required !== true && newB.required === true)
    say(name, "request", "breaking", "request.body.became-required", pointer, "request body is now required");
  if (oldB.required === true && newB.required !== true)
    say(name, "request", "additive", "request.body.became-optional", pointer, "request body is now optional");
  if (!deepEqual(oldB.description, newB.description))
    say(name, "request", "docs", "request.body.description.changed", child(pointer, "description"), "description changed");
  compareContent(ctx, say, "request", child(pointer, "content"), (oldB.content ?? {}) as Obj, (newB.content ?? {}) as Obj, true);
}

function compareContent(
  ctx: CompareContext,
  say: Say,
  direction: Direction,
  pointer: string,
  oldC: Obj,
  newC: Obj,
  guarded: boolean,
): void {
  const name = ctx.operation;
  for (const media of Object.keys(oldC)) {
    const at = child(pointer, media);
    if (!(media in newC)) {
      say(
        name,
        direction,
        guarded ? "breaking" : "additive",
        `${direction}.media-type.removed`,
        at,
        `media type ${media} removed`,
      );
      continue;
    }
    const o = oldC[media] as Obj;
    const n = newC[media] as Obj;
    for (const key of ["example", "examples"]) {
      if (!deepEqual(o[key], n[key]))
        say(name, direction, "docs", `${direction}.media-type.${key}.changed`, child(at, key), `${key} changed`);
    }
    compareSchema(ctx, direction, o.schema, n.schema, child(at, "schema"));
  }
  for (const media of Object.keys(newC)) {
    if (!(media in oldC))
      say(name, direction, "additive", `${direction}.media-type.added`, child(pointer, media), `media type ${media} added`);
  }
}

const isSuccess = (status: string) => /^2(\d\d|XX)$/i.test(status);

function compareResponses(ctx: CompareContext, say: Say, at: string, oldR: Obj, newR: Obj): void {
  const name = ctx.operation;
  const pointer = child(at, "responses");
  for (const status of Object.keys(oldR)) {
    const statusAt = child(pointer, status);
    if (!(status in newR)) {
      say(
        name,
        "response",
        isSuccess(status) ? "breaking" : "additive",
        "response.status.removed",
        statusAt,
        `${isSuccess(status) ? "success " : ""}status ${status} removed`,
      );
      continue;
    }
    const o = deref(ctx.oldDoc, oldR[status]);
    const n = deref(ctx.newDoc, newR[status]);
    if (!deepEqual(o.description, n.description))
      say(
        name,
        "response",
        "docs",
        "response.description.changed",
        child(statusAt, "description"),
        `description of ${status} changed`,
      );
    compareHeaders(ctx, say, child(statusAt, "headers"), (o.headers ?? {}) as Obj, (n.headers ?? {}) as Obj);
    compareContent(
      ctx,
      say,
      "response",
      child(statusAt, "content"),
      (o.content ?? {}) as Obj,
      (n.content ?? {}) as Obj,
      isSuccess(status),
    );
  }
  for (const status of Object.keys(newR)) {
    if (!(status in oldR))
      say(name, "response", "additive", "response.status.added", child(pointer, status), `status ${status} added`);
  }
}

/**
 * Response headers: openapi-fetch does not type them for callers, so adding or removing one is not
 * breaking; their descriptions are docs and their schemas compare like response bodies.
 */
function compareHeaders(ctx: CompareContext, say: Say, pointer: string, oldH: Obj, newH: Obj): void {
  const name = ctx.operation;
  for (const header of new Set([...Object.keys(oldH), ...Object.keys(newH)])) {
    const at = child(pointer, header);
    if (!(header in newH)) say(name, "response", "additive", "response.header.removed", at, `header ${header} removed`);
    else if (!(header in oldH)) say(name, "response", "additive", "response.header.added", at, `header ${header} added`);
    else {
      const o = deref(ctx.oldDoc, oldH[header]);
      const n = deref(ctx.newDoc, newH[header]);
      if (!deepEqual(o.description, n.description))
        say(name, "response", "docs", "response.header.description.changed", at, `description of header ${header} changed`);
      compareSchema(ctx, "response", o.schema, n.schema, child(at, "schema"));
    }
  }
}

/** A value without its documentation keys, at every depth (to tell docs-only changes apart). */
function withoutDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDocs);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !["description", "summary", "title", "example", "examples", "externalDocs"].includes(k))
      .map(([k, v]) => [k, withoutDocs(v)]),
  );
}

/** One change per pointer and kind (a schema reached twice through `$ref`s reports once). */
function dedupe(changes: Change[]): Change[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = `${c.operation}|${c.kind}|${c.pointer}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
