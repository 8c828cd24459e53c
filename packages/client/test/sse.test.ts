/**
 * The SSE framing against eventsource-parser, the reference implementation: the same events for
 * every way a stream can be cut into chunks (every single cut of a sample with every kind of line
 * ending, field and comment; many random multi-cuts of the stream recorded from the API).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createParser } from "eventsource-parser";
import { describe, expect, test } from "vitest";
import { createSSEParser, type SSEEvent } from "../src/core/sse";

function ours(chunks: string[]): SSEEvent[] {
  const events: SSEEvent[] = [];
  const parser = createSSEParser((e) => events.push(e));
  for (const chunk of chunks) parser.feed(chunk);
  return events;
}

function reference(chunks: string[]): SSEEvent[] {
  const events: SSEEvent[] = [];
  const parser = createParser({ onEvent: (e) => events.push({ event: e.event, data: e.data }) });
  for (const chunk of chunks) parser.feed(chunk);
  return events;
}

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLE = [
  "data: first\n\n",
  ": a comment\n",
  "event: message\r\ndata: crlf line\r\n\r\n",
  "data: cr line\rdata:no space\r\r",
  "data\n\n",
  'id: 7\nretry: 1000\ndata: {"a":1}\n\n',
  'event: error\ndata: {"error":{"message":"boom"}}\n\n',
  "data: multi\ndata: line\ndata:\n\n",
  "unknown: field\ndata: ünïcödé ✓\n\n",
  "event:\ndata: empty event name\n\n",
  "data:  two spaces\n\n",
  "data: [DONE]\n\n",
  "data: cut short",
].join("");

describe("SSE framing", () => {
  test("the sample, whole, gives the events the spec says", () => {
    expect(ours([SAMPLE])).toEqual(reference([SAMPLE]));
    expect(ours([SAMPLE]).map((e) => e.data)).toEqual([
      "first",
      "crlf line",
      "cr line\nno space",
      "",
      '{"a":1}',
      '{"error":{"message":"boom"}}',
      "multi\nline\n",
      "ünïcödé ✓",
      "empty event name",
      " two spaces",
      "[DONE]",
    ]);
  });

  test("every single cut of the sample gives the same events as eventsource-parser", () => {
    const expected = reference([SAMPLE]);
    for (let at = 0; at <= SAMPLE.length; at++) {
      const chunks = [SAMPLE.slice(0, at), SAMPLE.slice(at)];
      expect(ours(chunks), `cut at ${at}`).toEqual(expected);
      expect(reference(chunks), `reference cut at ${at}`).toEqual(expected);
    }
  });

  test("one character at a time", () => {
    expect(ours([...SAMPLE])).toEqual(reference([SAMPLE]));
  });

  test("a leading byte-order mark is dropped (a decoder that keeps it must not cost the first event)", () => {
    // eventsource-parser looks for the BOM's UTF-8 bytes, not U+FEFF, so here the spec is the reference.
    expect(ours(["\uFEFFdata: first\n\n"])).toEqual([{ event: undefined, data: "first" }]);
    expect(ours(["\uFEFF", "data: first\n\n"])).toEqual([{ event: undefined, data: "first" }]);
  });

  test("the stream recorded from the API, cut at random into up to 40 chunks, 300 times", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const candidates = [
      process.env.WIRE_DIR,
      process.env.SPEC_MIRROR ? resolve(here, "..", "..", "..", process.env.SPEC_MIRROR, "wire") : undefined,
      join(here, "..", "..", "..", "..", "shared", "specs", "wire"),
    ].filter((d): d is string => Boolean(d));
    const dir = candidates.find((d) => existsSync(join(d, "stream-gpt-4o.sse")));
    if (!dir) throw new Error(`recorded stream not found (looked in ${candidates.join(", ")}); set WIRE_DIR`);
    const text = `${readFileSync(join(dir, "stream-gpt-4o.sse"), "utf8")}data: [DONE]\n\n`;
    const expected = reference([text]);
    expect(expected).toHaveLength(106);
    const next = random(42);
    for (let round = 0; round < 300; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * text.length)).sort(
        (a, b) => a - b,
      );
      const chunks = [0, ...cuts].map((from, i) => text.slice(from, cuts[i] ?? text.length));
      expect(ours(chunks)).toEqual(expected);
    }
  });
});
