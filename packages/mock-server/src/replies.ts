/**
 * Deterministic replies: the same request body always gives the same completion, chunks, ids and
 * usage. Content echoes the last user message; tools and response formats are honoured with sample
 * values built from the caller's own JSON schemas.
 */

/** A chat-completions request body (already validated against the spec). */
export interface ChatRequest {
  model?: string;
  messages?: { role?: string; content?: unknown }[];
  n?: number | null;
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: { type?: string; function?: { name?: string; parameters?: unknown } }[];
  tool_choice?: string | { type?: string; function?: { name?: string } };
  response_format?: { type?: string; json_schema?: { schema?: unknown } };
}

/** A tool call the mock model decided to make. */
export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What the mock model answers, before it is shaped as JSON or chunks. */
export interface PlannedReply {
  id: string;
  created: number;
  model: string;
  /** Content split into the tokens a stream sends one by one. */
  tokens: string[];
  toolCall: PlannedToolCall | undefined;
  finishReason: "stop" | "length" | "tool_calls";
  choices: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** A fixed timestamp: replies must not depend on the clock. */
export const MOCK_CREATED = 1_750_000_000;

/** Plans the reply to a request. */
export function planReply(body: ChatRequest, rawBody: string): PlannedReply {
  const id = `chatcmpl-mock-${hash(rawBody)}`;
  const toolCall = chooseToolCall(body, id);
  let tokens = toolCall ? [] : tokenize(contentFor(body));
  let finishReason: PlannedReply["finishReason"] = toolCall ? "tool_calls" : "stop";
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (!toolCall && typeof limit === "number" && tokens.length > limit) {
    tokens = tokens.slice(0, Math.max(1, Math.floor(limit)));
    finishReason = "length";
  }
  const prompt = (body.messages ?? []).reduce((sum, m) => sum + tokenize(textOf(m.content)).length + 3, 0);
  const completion = toolCall ? tokenize(toolCall.arguments).length + 1 : tokens.length;
  return {
    id,
    created: MOCK_CREATED,
    model: body.model ?? "openai/gpt-4.1-2025-04-14",
    tokens,
    toolCall,
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

function contentFor(body: ChatRequest): string {
  const format = body.response_format;
  if (format?.type === "json_schema") return JSON.stringify(sample(format.json_schema?.schema));
  const lastUser = [...(body.messages ?? [])].reverse().find((m) => m.role === "user");
  const said = textOf(lastUser?.content).replace(/\s+/g, " ").trim();
  const reply = `This is a mock reply to: ${said ? `"${said.length > 200 ? `${said.slice(0, 200)}…` : said}"` : "(no user message)"}.`;
  return format?.type === "json_object" ? JSON.stringify({ reply }) : reply;
}

function chooseToolCall(body: ChatRequest, id: string): PlannedToolCall | undefined {
  const tools = (body.tools ?? []).filter((t) => t.function?.name);
  const choice = body.tool_choice;
  if (tools.length === 0 || choice === "none") return undefined;
  // Once a tool has answered, the model replies in words, as a real one would.
  if (body.messages?.at(-1)?.role === "tool") return undefined;
  const named = typeof choice === "object" ? choice.function?.name : undefined;
  const tool = (named ? tools.find((t) => t.function?.name === named) : undefined) ?? tools[0];
  return {
    id: `call_${id.slice(-12)}`,
    name: tool?.function?.name ?? "tool",
    arguments: JSON.stringify(sample(tool?.function?.parameters ?? { type: "object" })),
  };
}

/** A stable example value for a JSON schema. */
export function sample(schema: unknown, depth = 0): unknown {
  const s = (schema ?? {}) as Record<string, unknown>;
  if (depth > 6) return null;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ("const" in s) return s.const;
  const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) return sample(variants[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type ?? (s.properties ? "object" : undefined)) {
    case "object": {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sample(v, depth + 1)]));
    }
    case "array":
      return [sample(s.items, depth + 1)];
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 1;
    case "boolean":
      return true;
    case "string":
      return "sample";
    default:
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

/** FNV-1a, hex: a short stable id from the request. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
