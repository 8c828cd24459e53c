/**
 * Selectors: a short path to a schema inside an operation, readable in the list of type names.
 * `request`, `response` (the 200 JSON body) or `chunk` (one SSE data event), then steps:
 * `.name` a property, `[]` the items of an array, `|key=value` the `oneOf`/`anyOf` alternative
 * whose property `key` has `value` in its enum, `|type` the alternative of that JSON type.
 */

type Json = Record<string, unknown>;

/** Where a selector's root is, inside the operation object. */
const ROOTS: Record<string, string[]> = {
  request: ["requestBody", "content", "application/json", "schema"],
  response: ["responses", "200", "content", "application/json", "schema"],
  chunk: ["responses", "200", "content", "text/event-stream", "schema"],
};

const STEP = /\.([A-Za-z_][\w-]*)|\[\]|\|([\w-]+)=([\w-]+)|\|([a-z]+)/y;

/** The key path (from the document root) of the schema a selector names, or the step where it stops matching. */
export function resolveSelector(
  document: unknown,
  operation: { path: string; method: string },
  selector: string,
): { path: string[] } | { missing: string } {
  const rootName = /^[a-z]+/.exec(selector)?.[0] ?? "";
  const root = ROOTS[rootName];
  if (!root) return { missing: `"${rootName}" is not request, response or chunk` };
  let path = ["paths", operation.path, operation.method, ...root];
  let node = at(document, path);
  if (node === undefined) return { missing: rootName };
  STEP.lastIndex = rootName.length;
  while (STEP.lastIndex < selector.length) {
    const start = STEP.lastIndex;
    const step = STEP.exec(selector);
    if (!step) return { missing: `cannot read "${selector.slice(start)}"` };
    let next: string[] | undefined;
    if (step[1]) next = ["properties", step[1]];
    else if (step[0] === "[]") next = ["items"];
    else next = alternative(node as Json, step[2] ? { key: step[2], value: step[3] as string } : { type: step[4] as string });
    const found = next && at(node, next);
    if (!next || found === undefined || found === null) return { missing: selector.slice(0, STEP.lastIndex) };
    path = [...path, ...next];
    node = found;
  }
  return { path };
}

/** The value at a key path, or undefined. */
export function at(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Json)[key];
  }
  return node;
}

/** The key path (below a schema) of its oneOf/anyOf alternative with a property value, or of a JSON type. */
function alternative(schema: Json, want: { key: string; value: string } | { type: string }): string[] | undefined {
  for (const keyword of ["oneOf", "anyOf"]) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const index = branches.findIndex((branch: Json) => {
      if ("type" in want) return branch?.type === want.type;
      const values = ((branch?.properties as Json | undefined)?.[want.key] as Json | undefined)?.enum;
      return Array.isArray(values) && values.includes(want.value);
    });
    if (index >= 0) return [keyword, String(index)];
  }
  return undefined;
}
