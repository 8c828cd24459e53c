/**
 * Which components a document's operations reach through `$ref`, transitively. Only those are part
 * of the API: codegen emits types for them alone, and spec:diff classifies changes in them; the
 * rest (upstream's documents once carried a hundred-odd schemas of other products) is churn.
 */
type Obj = Record<string, unknown>;

/** JSON pointers (`#/components/schemas/X`) of every component reached from `paths`. */
export function reachableComponents(document: unknown): Set<string> {
  const doc = document as Obj;
  const reached = new Set<string>();
  const pending: unknown[] = [doc.paths];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/") && !reached.has(value)) {
        reached.add(value);
        pending.push(resolveLocal(doc, value));
      } else if (value !== null && typeof value === "object") {
        pending.push(value);
      }
    }
  }
  // A component reached through a deeper pointer (`#/components/schemas/X/properties/y`) keeps X.
  for (const ref of [...reached]) {
    const parts = ref.split("/");
    if (parts.length > 4) reached.add(parts.slice(0, 4).join("/"));
  }
  return reached;
}

/** The names of `components.<section>` entries that nothing reachable refers to. */
function unreachableComponents(document: unknown, section = "schemas"): string[] {
  const reached = reachableComponents(document);
  const entries = ((document as Obj).components as Obj | undefined)?.[section] as Obj | undefined;
  return Object.keys(entries ?? {}).filter((name) => !reached.has(`#/components/${section}/${pointerToken(name)}`));
}

/** A copy of the document without the component schemas its operations never reach. */
export function withoutUnreachableSchemas<T>(document: T): T {
  const unreachable = unreachableComponents(document);
  if (unreachable.length === 0) return document;
  const copy = structuredClone(document) as Obj;
  const schemas = (copy.components as Obj).schemas as Obj;
  for (const name of unreachable) delete schemas[name];
  return copy as T;
}

function pointerToken(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

function resolveLocal(doc: Obj, ref: string): unknown {
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const token = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Obj)[token];
  }
  return node;
}
