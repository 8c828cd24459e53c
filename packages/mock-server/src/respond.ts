import type { ServerResponse } from "node:http";
import type { Fault } from "./faults";
import { metaFor, type PlannedReply, pieces } from "./replies";
import { upstreamError } from "./upstream-error";

/** Fields the live API sends on every completion and chunk besides the spec's required ones. */
const WIRE_FIELDS = { service_tier: "default", system_fingerprint: "fp_mock" } as const;

/** The chat.completion JSON body for a planned reply (`content` is null when the model calls a tool, as live). */
export function completionBody(reply: PlannedReply): object {
  const content = reply.tokens.join("");
  return {
    id: reply.id,
    object: "chat.completion",
    created: reply.created,
    model: reply.model,
    choices: Array.from({ length: reply.choices }, (_, index) => ({
      index,
      message: {
        role: "assistant",
        content: reply.toolCalls.length > 0 || reply.refusal ? null : content,
        refusal: reply.refusal ?? null,
        annotations: [],
        ...(reply.toolCalls.length > 0
          ? {
              tool_calls: reply.toolCalls.map((call) => ({
                id: call.id,
                type: "function",
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      },
      finish_reason: reply.finishReason,
      logprobs: null,
    })),
    usage: reply.usage,
    ...WIRE_FIELDS,
    meta: metaFor(reply.usage),
  };
}

/**
 * The chunks a stream sends for a planned reply, shaped like the live API's (as recorded from it):
 * per choice, a first chunk
 * whose delta carries the role (and, for a tool call, its id and name), then content tokens or
 * argument fragments, then a chunk with an empty delta and the finish reason; `finish_reason` is
 * null and `usage` is null until then. With `include_usage`, a last chunk has no choices and the usage.
 */
export function streamChunks(reply: PlannedReply, includeUsage: boolean): object[] {
  const base = { id: reply.id, object: "chat.completion.chunk", created: reply.created, model: reply.model, ...WIRE_FIELDS };
  const chunks: object[] = [];
  const chunk = (index: number, delta: object, finish: string | null) => ({
    ...base,
    choices: [{ index, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  });
  for (let index = 0; index < reply.choices; index++) {
    if (reply.toolCalls.length > 0) {
      // Each call: a first fragment with its id and name, then pieces of its arguments.
      for (const [at, call] of reply.toolCalls.entries()) {
        const opening = { index: at, id: call.id, type: "function", function: { name: call.name, arguments: "" } };
        const delta = { tool_calls: [opening] };
        chunks.push(chunk(index, at === 0 ? { role: "assistant", content: null, refusal: null, ...delta } : delta, null));
        for (const part of splitInto(call.arguments, 3))
          chunks.push(chunk(index, { tool_calls: [{ index: at, function: { arguments: part } }] }, null));
      }
    } else if (reply.refusal) {
      chunks.push(chunk(index, { role: "assistant", content: null, refusal: "" }, null));
      for (const part of pieces(reply.refusal, 12)) chunks.push(chunk(index, { refusal: part }, null));
    } else {
      chunks.push(chunk(index, { role: "assistant", content: "", refusal: null }, null));
      for (const token of reply.tokens) chunks.push(chunk(index, { content: token }, null));
    }
    chunks.push(chunk(index, {}, reply.finishReason));
  }
  if (includeUsage) chunks.push({ ...base, choices: [], usage: reply.usage });
  return chunks;
}

function splitInto(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes chunks as server-sent events, applying the stream faults; resolves when done or the client left. */
export async function writeStream(
  res: ServerResponse,
  chunks: object[],
  fault: Fault | undefined,
  path: string,
  requestId: string,
): Promise<void> {
  const gone = () => res.destroyed || res.writableEnded;
  for (let i = 0; i < chunks.length; i++) {
    if (fault?.chunkDelayMs && i > 0) await sleep(fault.chunkDelayMs);
    if (gone()) return;
    if (fault?.dropAfterChunks !== undefined && i >= fault.dropAfterChunks) {
      // An abrupt end: no [DONE], no clean chunked-encoding terminator.
      res.socket?.destroy();
      return;
    }
    if (fault?.errorAtChunk === i) {
      const error = upstreamError(
        fault.status ?? 500,
        path,
        requestId,
        fault.message ?? "Mock error in the middle of the stream",
      );
      res.end(
        fault.errorAs === "payload"
          ? `data: ${JSON.stringify({ error: { message: error.message, type: "server_error", code: error.statusCode } })}\n\n`
          : `event: error\ndata: ${JSON.stringify(error)}\n\n`,
      );
      return;
    }
    const event = fault?.malformedAtChunk === i ? "data: {not json\n\n" : `data: ${JSON.stringify(chunks[i])}\n\n`;
    // With a drop planned, wait until each event is handed to the socket, so the chunks before the drop arrive.
    if (fault?.dropAfterChunks !== undefined) await new Promise((resolve) => res.write(event, resolve));
    else res.write(event);
  }
  if (fault?.chunkDelayMs) await sleep(fault.chunkDelayMs);
  if (!gone()) res.end("data: [DONE]\n\n");
}
