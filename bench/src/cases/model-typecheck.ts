/**
 * Type-check cost of consumer programs that call many models, against one that calls one: the same
 * tsc, @types/node included, `--extendedDiagnostics`. The model ids come from the mock server's
 * `GET /v1/models` (every id the pinned specs document).
 */
import { createMockServer } from "@aimlapi-sdk/mock-server";
import { compileProgram } from "./typecheck";

/** One program's figures. */
export interface ProgramCost {
  models: number;
  memoryKB: number;
  instantiations: number;
  checkSeconds: number;
}

/** The three programs' figures. */
export interface ModelTypecheckResult {
  oneModel: ProgramCost;
  threeModels: ProgramCost;
  allModels: ProgramCost;
}

/** The three providers of the 3-model program (one of them, Gemma, takes no tools). */
export const THREE_MODELS = ["openai/gpt-4o", "anthropic/claude-sonnet-4", "google/gemma-3n-e4b-it"];

const CLIENT = `import { createClient } from "@aimlapi-sdk/client";
const client = createClient({ apiKey: "key", baseUrl: "http://127.0.0.1:4010" });
`;

/** Each model's own messages type, for the program of every model (an audio-only model takes no text). */
const MESSAGES_FOR = `import type { ModelId, ModelParams } from "@aimlapi-sdk/types";
declare function messagesFor<M extends ModelId>(model: M): ModelParams<M>["messages"];
`;

/**
 * A create (and, with `stream`, a stream) for each model. With `literal`, the messages are a
 * literal user message, as an app writes them (the one- and three-model programs, which also
 * type-check against the packages before the model set); otherwise each model's own messages type.
 */
function program(models: string[], stream: boolean, literal: boolean): string {
  const messages = (model: string) => (literal ? `[{ role: "user", content: "Hi" }]` : `messagesFor(${model})`);
  const calls = models.map((id, i) => {
    const model = JSON.stringify(id);
    const create = `  const c${i} = await client.chat.completions.create({ model: ${model}, messages: ${messages(model)} });\n  out.push(c${i}.choices.length);`;
    const streamed = `  for await (const k of await client.chat.completions.create({ model: ${model}, messages: ${messages(model)}, stream: true })) out.push(k.choices.length);`;
    return stream ? `${create}\n${streamed}` : create;
  });
  const head = literal ? CLIENT : `${CLIENT}${MESSAGES_FOR}`;
  return `${head}export async function main(): Promise<number[]> {\n  const out: number[] = [];\n${calls.join("\n")}\n  return out;\n}\n`;
}

/** The one-model program, as measured for {@link BEFORE_MODELS} too. */
export const ONE_MODEL_PROGRAM = program(["openai/gpt-4.1-2025-04-14"], true, true);

/** One program's figures, `@types/node` included. */
async function cost(benchDir: string, name: string, source: string, models: number): Promise<ProgramCost> {
  const figures = await compileProgram(benchDir, `models-typecheck-${name}`, source, ["node"]);
  return {
    models,
    memoryKB: figures("Memory used"),
    instantiations: figures("Instantiations"),
    checkSeconds: figures("Check time"),
  };
}

/** Measures the 1-model, 3-model and every-model programs. */
export async function modelTypecheckCost(benchDir: string): Promise<ModelTypecheckResult> {
  const server = await createMockServer();
  let ids: string[];
  try {
    const list = (await (await fetch(`${server.url}/v1/models`, { headers: { authorization: "Bearer bench" } })).json()) as {
      data: { id: string }[];
    };
    ids = list.data.map((m) => m.id);
  } finally {
    await server.close();
  }
  return {
    oneModel: await cost(benchDir, "one", ONE_MODEL_PROGRAM, 1),
    threeModels: await cost(benchDir, "three", program(THREE_MODELS, true, true), 3),
    allModels: await cost(benchDir, "all", program(ids, false, false), ids.length),
  };
}

/**
 * The one-model program's memory before the model set was typed: the same program (this file's
 * one-model program, `@types/node` included) type-checked against the packages built at commit
 * c7c4afc, the last commit with one typed model. A fixed reference, measured once.
 */
export const BEFORE_MODELS = { memoryKB: 100_315, measured: "measured at c7c4afc, 2026-12-01, median of three runs" };
