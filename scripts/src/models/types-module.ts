/**
 * The generated module of every model's types: one type per distinct shape (openapi-typescript over
 * the interned schemas), then maps from model id to its request, completion and chunk types. Models
 * whose shapes are the flagship's get the flagship's named types (openai-node's names).
 */
import openapiTS, { astToString } from "openapi-typescript";
import { oneLine, SpecError } from "../errors";
import type { Catalog } from "./catalog";
import { reachable } from "./shapes";

/** File name of the generated module, beside the flagship's. */
export const MODELS_MODULE = "models.ts";

/** The flagship's generated module, as imported from the models module (same folder). */
const FLAGSHIP_MODULE = "./gpt-4-1";

/** The module text for a catalog. */
export async function generateModelsModule(catalog: Catalog, header: string): Promise<string> {
  const flagship = catalog.flagship;
  const aliased = new Set([flagship?.request, flagship?.completion, flagship?.chunk].filter(Boolean) as string[]);
  const tops = new Set(
    catalog.entries.flatMap((e) => [e.request, e.completion, e.chunk]).filter((n): n is string => !!n && !aliased.has(n)),
  );
  const schemas = reachable(catalog.table.components(), [...tops]);
  let body: string;
  try {
    const ast = await openapiTS(
      { openapi: "3.0.0", info: { title: "AIML chat models", version: "1" }, paths: {}, components: { schemas } } as never,
      { silent: true, alphabetize: true, defaultNonNullable: false, rootTypes: false },
    );
    // The flagship's module already names `components`, `paths` …: here the schemas are the model
    // shapes' and nothing else is declared.
    body = astToString(ast)
      .split("\n")
      .filter((line) => !/^export type (paths|webhooks|\$defs|operations) = /.test(line))
      .join("\n")
      .replace(
        /^export interface components \{/m,
        "/** Every distinct shape of the model set, by interned name: what the named interfaces below are made of. */\nexport interface ModelShapeSchemas {",
      )
      .replaceAll('components["schemas"]', 'ModelShapeSchemas["schemas"]');
  } catch (error) {
    throw new SpecError(
      `openapi-typescript failed on the model shapes: ${oneLine((error as Error).message ?? String(error), 200)}`,
    );
  }
  const typeOf = (name: string | undefined, fallback: string) => {
    if (!name) return fallback;
    if (name === flagship?.request) return "CommonRequest";
    if (name === flagship?.completion) return "FlagshipCompletion";
    if (name === flagship?.chunk) return "FlagshipChunk";
    return name;
  };
  const users = new Map<string, string[]>();
  for (const e of catalog.entries)
    for (const name of [e.request, e.completion, e.chunk]) if (name) users.set(name, [...(users.get(name) ?? []), e.id]);
  const named = [...tops]
    .sort()
    .flatMap((name) => [
      `/** ${describeShape(name, users.get(name) ?? [])} */`,
      `export interface ${name} extends Shape<"${name}"> {}`,
    ]);
  const map = (title: string, doc: string, pick: (e: Catalog["entries"][number]) => string) =>
    [
      `/** ${doc} */`,
      `export interface ${title} {`,
      ...catalog.entries.map((e) => `  ${JSON.stringify(e.id)}: ${pick(e)};`),
      "}",
    ].join("\n");
  return [
    header,
    `import type {\n  ChatCompletion as FlagshipCompletion,\n  ChatCompletionChunk as FlagshipChunk,\n  ChatCompletionCreateParamsBase as FlagshipParams,\n} from "${FLAGSHIP_MODULE}";`,
    "",
    body.trim(),
    "",
    "/** A distinct shape, by its interned name. */",
    'type Shape<Name extends keyof ModelShapeSchemas["schemas"]> = ModelShapeSchemas["schemas"][Name];',
    "/** The common request, the flagship gpt-4.1's (without `model`: the maps are keyed by it), which most models share. */",
    'type CommonRequest = Omit<FlagshipParams, "model">;',
    "",
    ...named,
    "",
    map("ModelRequests", "Each model's request parameters (`model` aside), from its own spec.", (e) =>
      typeOf(e.request, "CommonRequest"),
    ),
    "",
    map("ModelCompletions", "Each model's reply (a spec that documents none gets the common `ChatCompletion`).", (e) =>
      typeOf(e.completion, "FlagshipCompletion"),
    ),
    "",
    map("ModelChunks", "Each model's stream event (a spec that documents none gets the common `ChatCompletionChunk`).", (e) =>
      typeOf(e.chunk, "FlagshipChunk"),
    ),
    "",
  ].join("\n");
}

/** A doc comment for a named shape: what it is and the models that have it. */
function describeShape(name: string, ids: string[]): string {
  const what = name.startsWith("ChatRequest_")
    ? "The request parameters (`model` aside)"
    : name.startsWith("ChatCompletionChunkBody_")
      ? "The stream event"
      : "The reply";
  const shown = ids
    .slice(0, 3)
    .map((id) => `\`${id}\``)
    .join(", ");
  const more = ids.length > 3 ? ` and ${ids.length - 3} more` : "";
  return `${what} of ${shown}${more} (${ids.length} model${ids.length === 1 ? "" : "s"}).`;
}
