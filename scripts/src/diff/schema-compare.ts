/**
 * Compares two schemas from a caller's point of view.
 *
 * Direction decides what is breaking. For a **request**, every value an old caller could send must
 * still be accepted: narrowing (type, enum, required, constraints, nullable, additionalProperties,
 * oneOf/anyOf variants) is breaking, widening is additive. For a **response**, every value the
 * server may now send must still fit the old type: widening is breaking, narrowing is additive.
 *
 * - `$ref`: resolved in its own document; a pair of references already being compared is not
 *   compared again (recursive schemas terminate).
 * - `oneOf`/`anyOf`: both are read as a set of alternatives (for types, "exactly one" and "at least
 *   one" describe the same union). Alternatives are matched by a discriminating single-value enum
 *   property (e.g. `role`), else by their type, else by position; unmatched ones are added/removed
 *   alternatives. A plain schema is a set of one, so `string` → `anyOf[string, number]` is a widening.
 * - `allOf`: merged into one schema (properties and `required` united) before comparing.
 * - `nullable`: OpenAPI 3.0 `nullable: true`, a `"null"` type, or a typeless `{ nullable: true }`
 *   alternative all mean "may also be null", compared as one flag.
 * - `additionalProperties`: absent or `true` means any, `false` none, a schema is compared recursively.
 */
import { child, resolvePointer } from "./pointer";
import type { Change, Severity } from "./types";

type Schema = Record<string, unknown>;
export type Direction = "request" | "response";

/** Shared state of one comparison between two documents. */
export interface CompareContext {
  oldDoc: unknown;
  newDoc: unknown;
  operation: string;
  emit: (change: Omit<Change, "operation">) => void;
  /** Pairs of `$ref`s under comparison, to stop on recursive schemas. */
  active: Set<string>;
}

const DOC_KEYWORDS = ["description", "title", "example", "examples", "deprecated", "externalDocs"];
/** Bounds where a larger value loosens (for requests) and a smaller one tightens. */
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];

/** Compares a pair of schemas found at `pointer`, emitting every change. */
export function compareSchema(
  ctx: CompareContext,
  direction: Direction,
  oldRaw: unknown,
  newRaw: unknown,
  pointer: string,
): void {
  const oldRef = (oldRaw as Schema | undefined)?.$ref;
  const newRef = (newRaw as Schema | undefined)?.$ref;
  const key = `${direction}|${String(oldRef)}|${String(newRef)}`;
  if (typeof oldRef === "string" || typeof newRef === "string") {
    if (ctx.active.has(key)) return;
    ctx.active.add(key);
  }
  try {
    const oldS = deref(ctx.oldDoc, oldRaw);
    const newS = deref(ctx.newDoc, newRaw);
    compareDocs(ctx, direction, oldS, newS, pointer);
    const oldN = normalize(ctx.oldDoc, oldS);
    const newN = normalize(ctx.newDoc, newS);
    compareNullable(ctx, direction, oldN.nullable, newN.nullable, pointer);
    compareAlternatives(ctx, direction, oldN.variants, newN.variants, pointer, oldS, newS);
  } finally {
    ctx.active.delete(key);
  }
}

function emit(
  ctx: CompareContext,
  direction: Direction,
  severity: Severity,
  kind: string,
  pointer: string,
  message: string,
): void {
  ctx.emit({ location: direction, pointer, kind: `${direction}.${kind}`, breaking: severity === "breaking", message, severity });
}

/** Breaking when it narrows a request or widens a response; additive otherwise. */
function narrowing(direction: Direction): Severity {
  return direction === "request" ? "breaking" : "additive";
}
function widening(direction: Direction): Severity {
  return direction === "request" ? "additive" : "breaking";
}

/** Follows `$ref`s (local ones) to the schema they name. */
export function deref(doc: unknown, schema: unknown): Schema {
  let current = schema;
  for (let hops = 0; hops < 32; hops++) {
    const ref = (current as Schema | undefined)?.$ref;
    if (typeof ref !== "string") break;
    current = resolvePointer(doc, ref);
  }
  return current && typeof current === "object" ? (current as Schema) : {};
}

function compareDocs(ctx: CompareContext, direction: Direction, oldS: Schema, newS: Schema, pointer: string): void {
  for (const keyword of DOC_KEYWORDS) {
    if (!deepEqual(oldS[keyword], newS[keyword])) {
      emit(ctx, direction, "docs", `schema.${keyword}.changed`, child(pointer, keyword), `${keyword} changed`);
    }
  }
}

interface Normalized {
  nullable: boolean;
  variants: Schema[];
}

/** A schema as "may be null" plus its non-null alternatives (see the file comment). */
function normalize(doc: unknown, schema: Schema): Normalized {
  let nullable =
    schema.nullable === true || schema.type === "null" || (Array.isArray(schema.type) && schema.type.includes("null"));
  const union = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  const own = withoutKeys(schema, ["oneOf", "anyOf", "nullable", ...DOC_KEYWORDS]);
  if (Array.isArray(union) && !hasShape(own)) {
    const variants: Schema[] = [];
    for (const alternative of union) {
      const resolved = deref(doc, alternative);
      const inner = normalize(doc, resolved);
      nullable ||= inner.nullable;
      // `{ nullable: true }` alone, or `{ type: "null" }`, only says "null is allowed".
      if (inner.variants.length === 1 && isOnlyNull(resolved)) continue;
      variants.push(...inner.variants);
    }
    return { nullable, variants };
  }
  const merged = Array.isArray(schema.allOf) ? mergeAllOf(doc, schema) : schema;
  return { nullable, variants: [withoutKeys(merged, ["nullable"])] };
}

function isOnlyNull(schema: Schema): boolean {
  return schema.type === "null" || (schema.nullable === true && !hasShape(withoutKeys(schema, ["nullable", ...DOC_KEYWORDS])));
}

function hasShape(schema: Schema): boolean {
  return Object.keys(schema).some((k) => !k.startsWith("x-") && k !== "$ref");
}

function mergeAllOf(doc: unknown, schema: Schema): Schema {
  const merged: Schema = { ...withoutKeys(schema, ["allOf"]) };
  const properties: Record<string, unknown> = { ...((schema.properties as object) ?? {}) };
  const required = new Set<string>((schema.required as string[]) ?? []);
  for (const part of schema.allOf as unknown[]) {
    const p = deref(doc, part);
    const flat = Array.isArray(p.allOf) ? mergeAllOf(doc, p) : p;
    Object.assign(properties, flat.properties ?? {});
    for (const r of (flat.required as string[]) ?? []) required.add(r);
    for (const [k, v] of Object.entries(flat)) if (!["properties", "required"].includes(k) && !(k in merged)) merged[k] = v;
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function compareNullable(ctx: CompareContext, direction: Direction, oldN: boolean, newN: boolean, pointer: string): void {
  if (oldN === newN) return;
  if (newN) emit(ctx, direction, widening(direction), "schema.nullable.added", pointer, "may now be null");
  else emit(ctx, direction, narrowing(direction), "schema.nullable.removed", pointer, "may no longer be null");
}

function compareAlternatives(
  ctx: CompareContext,
  direction: Direction,
  oldVariants: Schema[],
  newVariants: Schema[],
  pointer: string,
  oldS: Schema,
  newS: Schema,
): void {
  if (oldVariants.length <= 1 && newVariants.length <= 1) {
    compareVariant(ctx, direction, oldVariants[0] ?? {}, newVariants[0] ?? {}, pointer);
    return;
  }
  const unionKey = (s: Schema) => (s.oneOf ? "oneOf" : s.anyOf ? "anyOf" : undefined);
  const base = unionKey(newS) ?? unionKey(oldS) ?? "anyOf";
  const oldTags = tagVariants(oldVariants);
  const newTags = tagVariants(newVariants);
  for (const [tag, index] of oldTags) {
    const match = newTags.get(tag);
    if (match === undefined) {
      emit(
        ctx,
        direction,
        narrowing(direction),
        "schema.alternative.removed",
        child(child(pointer, base), index),
        `alternative ${describeTag(tag)} removed`,
      );
    } else {
      compareSchema(ctx, direction, oldVariants[index], newVariants[match], child(child(pointer, base), match));
    }
  }
  for (const [tag, index] of newTags) {
    if (!oldTags.has(tag)) {
      emit(
        ctx,
        direction,
        widening(direction),
        "schema.alternative.added",
        child(child(pointer, base), index),
        `alternative ${describeTag(tag)} added`,
      );
    }
  }
}

/** Tags alternatives for matching: a discriminating single-value enum property, else the type; repeats numbered. */
function tagVariants(variants: Schema[]): Map<string, number> {
  const tags = new Map<string, number>();
  variants.forEach((v, index) => {
    let tag = discriminatorTag(v) ?? `type:${typesOf(v).sort().join("|")}`;
    for (let n = 2; tags.has(tag); n++) tag = `${tag.replace(/#\d+$/, "")}#${n}`;
    tags.set(tag, index);
  });
  return tags;
}

function discriminatorTag(schema: Schema): string | undefined {
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props) return undefined;
  for (const name of Object.keys(props).sort()) {
    const p = props[name] as Schema;
    const values = p.const !== undefined ? [p.const] : p.enum;
    if (Array.isArray(values) && values.length === 1) return `${name}=${JSON.stringify(values[0])}`;
  }
  return undefined;
}

function describeTag(tag: string): string {
  return tag.startsWith("type:") ? `of type ${tag.slice(5)}` : `with ${tag}`;
}

/** The JSON types a schema admits (without null); `any` when it does not restrict them. */
function typesOf(schema: Schema): string[] {
  const declared = Array.isArray(schema.type) ? schema.type : schema.type !== undefined ? [schema.type] : [];
  const types = (declared as string[]).filter((t) => t !== "null");
  if (types.length > 0) return types;
  if (schema.properties || schema.additionalProperties !== undefined) return ["object"];
  if (schema.items) return ["array"];
  const values = schema.const !== undefined ? [schema.const] : schema.enum;
  if (Array.isArray(values)) return [...new Set(values.filter((v) => v !== null).map(jsonType))];
  return ["any"];
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value === "object" ? "object" : typeof value;
}

/** Whether type `t` is admitted by a type set (integer is a kind of number). */
function covers(types: string[], t: string): boolean {
  return types.includes("any") || types.includes(t) || (t === "integer" && types.includes("number"));
}

function compareVariant(ctx: CompareContext, direction: Direction, oldS: Schema, newS: Schema, pointer: string): void {
  compareTypes(ctx, direction, oldS, newS, pointer);
  compareEnums(ctx, direction, oldS, newS, pointer);
  compareConstraints(ctx, direction, oldS, newS, pointer);
  const oldTypes = typesOf(oldS);
  const newTypes = typesOf(newS);
  if (oldTypes.includes("object") || newTypes.includes("object")) compareObjects(ctx, direction, oldS, newS, pointer);
  if (oldS.items !== undefined || newS.items !== undefined) {
    if (oldS.items !== undefined && newS.items !== undefined)
      compareSchema(ctx, direction, oldS.items, newS.items, child(pointer, "items"));
    else if (newS.items === undefined)
      emit(ctx, direction, widening(direction), "schema.items.removed", pointer, "array items are no longer described");
    else
      emit(ctx, direction, narrowing(direction), "schema.items.added", child(pointer, "items"), "array items are now restricted");
  }
}

function compareTypes(ctx: CompareContext, direction: Direction, oldS: Schema, newS: Schema, pointer: string): void {
  const oldTypes = typesOf(oldS);
  const newTypes = typesOf(newS);
  const lost = oldTypes.filter((t) => !covers(newTypes, t));
  const gained = newTypes.filter((t) => !covers(oldTypes, t));
  if (lost.length === 0 && gained.length === 0) return;
  const what = `type ${oldTypes.join("|")} → ${newTypes.join("|")}`;
  if (direction === "request") {
    if (lost.length > 0)
      emit(
        ctx,
        direction,
        "breaking",
        "schema.type.narrowed",
        child(pointer, "type"),
        `${what}: no longer accepts ${lost.join(", ")}`,
      );
    else
      emit(
        ctx,
        direction,
        "additive",
        "schema.type.widened",
        child(pointer, "type"),
        `${what}: now also accepts ${gained.join(", ")}`,
      );
  } else if (gained.length > 0) {
    emit(ctx, direction, "breaking", "schema.type.changed", child(pointer, "type"), `${what}: may now be ${gained.join(", ")}`);
  } else {
    emit(ctx, direction, "additive", "schema.type.narrowed", child(pointer, "type"), `${what}: no longer ${lost.join(", ")}`);
  }
}

function enumOf(schema: Schema): unknown[] | undefined {
  if (schema.const !== undefined) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum.filter((v) => v !== null) : undefined;
}

function compareEnums(ctx: CompareContext, direction: Direction, oldS: Schema, newS: Schema, pointer: string): void {
  const oldE = enumOf(oldS);
  const newE = enumOf(newS);
  const at = child(pointer, "enum");
  if (!oldE && !newE) return;
  if (oldE && !newE) {
    emit(ctx, direction, widening(direction), "schema.enum.removed", pointer, "no longer limited to a list of values");
    return;
  }
  if (!oldE && newE) {
    emit(ctx, direction, narrowing(direction), "schema.enum.added", at, `now limited to ${list(newE)}`);
    return;
  }
  const removed = (oldE as unknown[]).filter((v) => !(newE as unknown[]).some((n) => deepEqual(n, v)));
  const added = (newE as unknown[]).filter((v) => !(oldE as unknown[]).some((o) => deepEqual(o, v)));
  if (removed.length > 0)
    emit(
      ctx,
      direction,
      narrowing(direction),
      "schema.enum.value-removed",
      at,
      `value${removed.length > 1 ? "s" : ""} ${list(removed)} removed`,
    );
  if (added.length > 0)
    emit(
      ctx,
      direction,
      widening(direction),
      "schema.enum.value-added",
      at,
      `value${added.length > 1 ? "s" : ""} ${list(added)} added`,
    );
}

function list(values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/**
 * Validation keywords that TypeScript types do not express. For requests, tightening one can make a
 * caller's valid request fail, so it is breaking; loosening is additive. For responses they do not
 * change what a caller's code can rely on at the type level: additive either way.
 */
function compareConstraints(ctx: CompareContext, direction: Direction, oldS: Schema, newS: Schema, pointer: string): void {
  const check = (keyword: string, tighter: (o: number, n: number) => boolean) => {
    const o = oldS[keyword];
    const n = newS[keyword];
    if (deepEqual(o, n)) return;
    const at = child(pointer, keyword);
    const message = `${keyword} ${o === undefined ? "added" : n === undefined ? "removed" : "changed"} (${String(o)} → ${String(n)})`;
    const tightened =
      o === undefined ? true : n === undefined ? false : typeof o === "number" && typeof n === "number" ? tighter(o, n) : true;
    const severity = direction === "request" && tightened ? "breaking" : "additive";
    emit(ctx, direction, severity, `schema.${keyword}.${tightened ? "tightened" : "loosened"}`, at, message);
  };
  for (const k of UPPER_BOUNDS) check(k, (o, n) => n < o);
  for (const k of LOWER_BOUNDS) check(k, (o, n) => n > o);
  for (const k of ["pattern", "multipleOf", "format"]) check(k, () => true);
  if (oldS.uniqueItems !== newS.uniqueItems) {
    const tightened = newS.uniqueItems === true;
    emit(
      ctx,
      direction,
      direction === "request" && tightened ? "breaking" : "additive",
      `schema.uniqueItems.${tightened ? "tightened" : "loosened"}`,
      child(pointer, "uniqueItems"),
      "uniqueItems changed",
    );
  }
  if (!deepEqual(oldS.default, newS.default)) {
    emit(
      ctx,
      direction,
      "additive",
      "schema.default.changed",
      child(pointer, "default"),
      `default ${JSON.stringify(oldS.default)} → ${JSON.stringify(newS.default)}`,
    );
  }
}

function compareObjects(ctx: CompareContext, direction: Direction, oldS: Schema, newS: Schema, pointer: string): void {
  const oldProps = (oldS.properties ?? {}) as Record<string, unknown>;
  const newProps = (newS.properties ?? {}) as Record<string, unknown>;
  const oldReq = new Set((oldS.required as string[]) ?? []);
  const newReq = new Set((newS.required as string[]) ?? []);
  const props = child(pointer, "properties");
  for (const name of Object.keys(oldProps)) {
    const at = child(props, name);
    if (!(name in newProps)) {
      emit(ctx, direction, "breaking", "property.removed", at, `property "${name}" removed`);
      continue;
    }
    compareSchema(ctx, direction, oldProps[name], newProps[name], at);
    if (oldReq.has(name) && !newReq.has(name)) {
      emit(ctx, direction, widening(direction), "property.became-optional", at, `property "${name}" is now optional`);
    } else if (!oldReq.has(name) && newReq.has(name)) {
      emit(ctx, direction, narrowing(direction), "property.became-required", at, `property "${name}" is now required`);
    }
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) continue;
    const at = child(props, name);
    if (direction === "request" && newReq.has(name))
      emit(ctx, direction, "breaking", "property.added-required", at, `required property "${name}" added`);
    else
      emit(
        ctx,
        direction,
        "additive",
        newReq.has(name) ? "property.added-required" : "property.added",
        at,
        `${newReq.has(name) ? "required" : "optional"} property "${name}" added`,
      );
  }
  compareAdditional(ctx, direction, oldS.additionalProperties, newS.additionalProperties, child(pointer, "additionalProperties"));
}

function compareAdditional(ctx: CompareContext, direction: Direction, oldA: unknown, newA: unknown, pointer: string): void {
  const form = (a: unknown) => (a === undefined || a === true ? "any" : a === false ? "none" : "schema");
  const o = form(oldA);
  const n = form(newA);
  if (o === "schema" && n === "schema") {
    compareSchema(ctx, direction, oldA, newA, pointer);
    return;
  }
  if (o === n) return;
  // More keys accepted: a wider request, harmless in a response (TypeScript ignores extra keys there).
  const rank = { none: 0, schema: 1, any: 2 };
  const loosened = rank[n] > rank[o];
  const severity = direction === "request" && !loosened ? "breaking" : "additive";
  emit(
    ctx,
    direction,
    severity,
    `schema.additionalProperties.${loosened ? "loosened" : "tightened"}`,
    pointer,
    `additional properties: ${o} → ${n}`,
  );
}

function withoutKeys(schema: Schema, keys: string[]): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) if (!keys.includes(k) && !k.startsWith("x-")) out[k] = v;
  return out;
}

/** Structural equality ignoring key order and vendor extensions. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => !k.startsWith("x-"));
  const kb = Object.keys(b as object).filter((k) => !k.startsWith("x-"));
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Schema)[k], (b as Schema)[k]));
}
