/**
 * Deterministic replies: the same request body always gives the same completion, chunks, ids and
 * usage. Content echoes the last user message; `response_format` JSON schemas and tool parameters
 * are answered with values sampled from the caller's own schemas (openapi-sampler: maintained, knows
 * `$ref`, formats and bounds), so they validate. Faults can make the model run out of tokens, be
 * filtered, refuse, send broken JSON or wrong tool arguments, and call tools for several rounds.
 */
import { sample as sampleSchema } from "openapi-sampler";
import type { Fault } from "./faults";

/** A chat-completions request body (already validated against the spec). */
export interface ChatRequest {
  model?: string;
  messages?: { role?: string; content?: unknown; tool_calls?: unknown[] | null }[];
  n?: number | null;
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: { type?: string; function?: { name?: string; parameters?: unknown } }[];
  tool_choice?: string | { type?: string; function?: { name?: string } };
  parallel_tool_calls?: boolean;
  response_format?: { type?: string; json_schema?: { schema?: unknown } };
}

/** A tool call the mock model decided to make. */
export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Why the mock model stopped. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

/** What the mock model answers, before it is shaped as JSON or chunks. */
export interface PlannedReply {
  id: string;
  created: number;
  model: string;
  /** Content split into the pieces a stream sends one by one. */
  tokens: string[];
  /** A refusal instead of content (structured output the model declined). */
  refusal: string | undefined;
  toolCalls: PlannedToolCall[];
  finishReason: FinishReason;
  choices: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** A fixed timestamp: replies must not depend on the clock. */
export const MOCK_CREATED = 1_750_000_000;

/** What the mock model says when the `refusal` fault asks it to refuse. */
export const MOCK_REFUSAL = "I'm sorry, but I can't help with that request.";

/** Plans the reply to a request, with a fault's effects on the content when one applies. */
export function planReply(body: ChatRequest, rawBody: string, fault?: Fault): PlannedReply {
  const id = `chatcmpl-mock-${hash(rawBody)}`;
  const toolCalls = chooseToolCalls(body, id, fault);
  let finishReason: FinishReason = toolCalls.length > 0 ? "tool_calls" : "stop";
  let text = toolCalls.length > 0 || fault?.refusal ? "" : contentFor(body);
  const structured = isStructured(body);
  if (fault?.invalidJson && text) text = text.slice(0, -1);
  let tokens = structured ? pieces(text, 8) : tokenize(text);
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (fault?.finishReason === "length" || (toolCalls.length === 0 && typeof limit === "number" && tokens.length > limit)) {
    // Out of tokens: the content stops mid-way (for JSON, mid-document).
    tokens = tokens.slice(
      0,
      Math.max(1, fault?.finishReason === "length" ? Math.floor(tokens.length / 2) : Math.floor(limit ?? 1)),
    );
    finishReason = "length";
  }
  if (fault?.finishReason === "content_filter") {
    tokens = [];
    finishReason = "content_filter";
  }
  const prompt = (body.messages ?? []).reduce((sum, m) => sum + tokenize(textOf(m.content)).length + 3, 0);
  const completion = toolCalls.reduce((sum, c) => sum + pieces(c.arguments, 4).length + 1, 0) + tokens.length;
  return {
    id,
    created: MOCK_CREATED,
    model: body.model ?? "openai/gpt-4.1-2025-04-14",
    tokens,
    refusal: fault?.refusal && toolCalls.length === 0 ? MOCK_REFUSAL : undefined,
    toolCalls,
    finishReason,
    choices: Math.max(1, Math.floor(body.n ?? 1)),
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

/** AI/ML API billing details for a usage (fake but stable rates). */
export function metaFor(usage: PlannedReply["usage"]): { usage: { credits_used: number; usd_spent: number } } {
  const credits = usage.total_tokens * 21;
  return { usage: { credits_used: credits, usd_spent: Number((credits / 2_000_000).toFixed(8)) } };
}

function isStructured(body: ChatRequest): boolean {
  const type = body.response_format?.type;
  return type === "json_schema" || type === "json_object";
}

function contentFor(body: ChatRequest): string {
  const format = body.response_format;
  if (format?.type === "json_schema") return JSON.stringify(sample(format.json_schema?.schema ?? {}));
  const lastUser = [...(body.messages ?? [])].reverse().find((m) => m.role === "user");
  const said = textOf(lastUser?.content).replace(/\s+/g, " ").trim();
  const reply = `This is a mock reply to: ${said ? `"${said.length > 200 ? `${said.slice(0, 200)}…` : said}"` : "(no user message)"}.`;
  return format?.type === "json_object" ? JSON.stringify({ reply }) : reply;
}

/**
 * The tool calls of this turn: none once the conversation has had `toolRounds` (default 1) rounds
 * of tool calls, as a model that got its answers replies in words; otherwise one call per tool
 * (parallel calls), only the first with `parallel_tool_calls: false`, only the named one when
 * `tool_choice` names it.
 */
function chooseToolCalls(body: ChatRequest, id: string, fault: Fault | undefined): PlannedToolCall[] {
  const tools = (body.tools ?? []).filter((t) => t.function?.name);
  const choice = body.tool_choice;
  if (tools.length === 0 || choice === "none") return [];
  const rounds = (body.messages ?? []).filter((m) => m.role === "assistant" && m.tool_calls?.length).length;
  if (rounds >= (fault?.toolRounds ?? 1)) return [];
  const named = typeof choice === "object" ? choice.function?.name : undefined;
  const chosen = named
    ? tools.filter((t) => t.function?.name === named)
    : body.parallel_tool_calls === false
      ? tools.slice(0, 1)
      : tools;
  return chosen.map((tool, i) => {
    const args = sample(tool.function?.parameters ?? { type: "object" });
    return {
      id: `call_${id.slice(-8)}_${rounds}_${i}`,
      name: tool.function?.name ?? "tool",
      arguments: JSON.stringify(fault?.invalidToolArgs ? spoil(args) : args),
    };
  });
}

/** Arguments that break their schema: the first field gets a value of the wrong type. */
function spoil(args: unknown): unknown {
  if (!args || typeof args !== "object" || Array.isArray(args)) return 42;
  const [key] = Object.keys(args);
  if (key === undefined) return { unexpected: true };
  const value = (args as Record<string, unknown>)[key];
  return { ...args, [key]: typeof value === "number" ? "not a number" : 12345 };
}

/** A stable example value that satisfies a JSON schema (its own `$ref`s resolved against it). */
export function sample(schema: unknown): unknown {
  try {
    return sampleSchema(schema as object, { skipReadOnly: true, quiet: true }, schema as object);
  } catch {
    return null;
  }
}

/** Plain text of a message's content (a string, or text parts). */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join(" ");
  }
  return "";
}

/** Words with their following space, so the tokens join back into the text exactly. */
function tokenize(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Fixed-size pieces (for JSON, which has no spaces to split on), joining back into the text. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** FNV-1a, hex: a short stable id from the request. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
