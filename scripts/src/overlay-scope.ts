/**
 * Which operations an overlay action is for, and in which of them its target matches. A target
 * written `$.paths.*.post…` expands over every POST operation: upstream may move what it targets in
 * one of them and not the other, and a correction that silently stops reaching one operation is
 * drift just as much as one that reaches none. An action can narrow its scope with
 * `x-operations: ["POST /v1/chat/completions", …]`.
 */
import { parse, paths } from "jsonpathly";
import { HTTP_METHODS, operationName } from "./operations";
import type { OpenAPIDocument } from "./validate-spec";

/** What of an overlay action its scope depends on: the target, and the operations it declares. */
export interface ScopedAction {
  target: string;
  "x-operations"?: string[];
}

/** The operations declared by `x-operations`, if the action declares them. */
function declaredOperations(action: ScopedAction): string[] | undefined {
  const declared = action["x-operations"];
  return Array.isArray(declared) ? declared.map(String) : undefined;
}

/**
 * The operations an action's target expands over (`$.paths.<path or *>.<method or *>…`), in the
 * document as it stands; undefined when the target is not under an operation (components, info …).
 * `x-operations`, when given, is the scope instead.
 */
export function operationScope(action: ScopedAction, document: OpenAPIDocument): string[] | undefined {
  const declared = declaredOperations(action);
  if (declared) return declared;
  const steps = firstSteps(action.target, 3);
  if (steps?.[0] !== "paths" || steps[1] === undefined || steps[2] === undefined) return undefined;
  const [, pathStep, methodStep] = steps;
  const scope: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (pathStep !== "*" && pathStep !== path) continue;
    for (const method of HTTP_METHODS) {
      if (methodStep !== "*" && methodStep !== method) continue;
      if ((item as Record<string, unknown> | undefined)?.[method]) scope.push(operationName(path, method));
    }
  }
  return scope;
}

/** The operations in which the target matches at least one node (undefined when it matches nowhere under an operation). */
export function matchedOperations(action: ScopedAction, document: OpenAPIDocument): Set<string> {
  const found = new Set<string>();
  for (const node of paths(document, action.target)) {
    const m = /^\$\['paths'\]\['((?:[^'\\]|\\.)*)'\]\['([a-z]+)'\]/.exec(node);
    if (m?.[1] !== undefined && m[2] !== undefined && (HTTP_METHODS as readonly string[]).includes(m[2]))
      found.add(operationName(m[1].replace(/\\(.)/g, "$1"), m[2]));
  }
  return found;
}

/**
 * The names of the first `count` steps of a JSONPath (`*` for a wildcard), or undefined when one
 * of them is something else (a filter, a slice, a recursive descent).
 */
function firstSteps(target: string, count: number): string[] | undefined {
  let node: JsonPathNode | null;
  try {
    node = parse(target) as unknown as JsonPathNode | null;
  } catch {
    return undefined;
  }
  const steps: string[] = [];
  for (let step = node?.next; step && steps.length < count; step = step.next) {
    if (step.type !== "subscript") return undefined;
    const name = stepName(step.value);
    if (name === undefined) return undefined;
    steps.push(name);
  }
  return steps;
}

/** The parts of jsonpathly's syntax tree read here. */
interface JsonPathNode {
  type: string;
  value?: JsonPathNode | string | { type: string; value?: unknown }[];
  next?: JsonPathNode | null;
}

function stepName(value: JsonPathNode["value"]): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const inner = value.value;
  if (value.type === "dot" || value.type === "bracketMember" || value.type === "bracketExpression") {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      if (inner.type === "wildcard") return "*";
      if ((inner.type === "identifier" || inner.type === "stringLiteral") && typeof inner.value === "string") return inner.value;
    }
  }
  if (value.type === "wildcard") return "*";
  return undefined;
}
