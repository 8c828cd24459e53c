/**
 * Evidence: payloads recorded from the real API (upstream's own documentation; kept read-only beside
 * the repository in shared/specs/wire/) are the ground truth. Each must validate against the
 * effective document (upstream + overlay); against upstream's document as published most chunks do
 * not, which is what the overlay repairs. And the mock's streams must be shaped like the recording.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, sharedSpecsDir } from "@aimlapi-sdk/devkit/repo";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadOperations, type OpenAPIDocument } from "../src/operations";
import { createMockServer, type MockServer } from "../src/server";
import { MODEL, parseSSE, post, specOperations } from "./helpers";

/** shared/specs/wire: $WIRE_DIR, else beside the upstream snapshots ($SPEC_MIRROR or ../shared/specs). */
function wireDir(): string {
  const candidates = [process.env.WIRE_DIR, join(sharedSpecsDir(), "wire")].filter((d): d is string => Boolean(d));
  const found = candidates.find((d) => existsSync(d));
  if (!found) throw new Error(`recorded payloads not found (looked in ${candidates.join(", ")}); set WIRE_DIR`);
  return found;
}

interface Recorded {
  file: string;
  kind: "completion" | "chunk";
  payload: unknown;
}

/** Every recorded payload: each `.json` file is one completion, each `.sse` file a stream of chunks. */
function recordings(): Recorded[] {
  const dir = wireDir();
  const out: Recorded[] = [];
  for (const file of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, file), "utf8");
    if (file.endsWith(".json")) out.push({ file, kind: "completion", payload: JSON.parse(text) });
    if (file.endsWith(".sse")) {
      for (const event of parseSSE(text)) {
        if (event.data !== "[DONE]") out.push({ file, kind: "chunk", payload: JSON.parse(event.data) });
      }
    }
  }
  return out;
}

const v1 = specOperations.get("/v1/chat/completions");
const upstream = loadOperations(JSON.parse(readFileSync(join(repoRoot, "specs", "gpt-4.1.json"), "utf8")) as OpenAPIDocument).get(
  "/v1/chat/completions",
);

function validator(ops: typeof v1, kind: Recorded["kind"]) {
  const validate = kind === "completion" ? ops?.validateJson : ops?.validateChunk;
  if (!validate) throw new Error(`no ${kind} schema`);
  return validate;
}

describe("recorded payloads against the effective document", () => {
  const recorded = recordings();

  test("there are recordings: at least one completion and one stream", () => {
    expect(recorded.some((r) => r.kind === "completion")).toBe(true);
    expect(recorded.filter((r) => r.kind === "chunk").length).toBeGreaterThan(10);
  });

  test("every recorded payload validates against the effective document", () => {
    const failures = recorded
      .map((r, i) => {
        const validate = validator(v1, r.kind);
        return validate(r.payload) ? undefined : `${r.file} #${i}: ${JSON.stringify(validate.errors?.[0])}`;
      })
      .filter(Boolean);
    expect(failures).toEqual([]);
  });

  test("upstream's document as published rejects most recorded chunks (what the overlay repairs)", () => {
    const chunks = recorded.filter((r) => r.kind === "chunk");
    const rejected = chunks.filter((r) => !validator(upstream, "chunk")(r.payload));
    // Only chunks with no choices (the usage chunk) pass: every choice has a null finish_reason or no role.
    expect(rejected.length).toBe(chunks.filter((r) => (r.payload as { choices: unknown[] }).choices.length > 0).length);
  });
});

describe("the mock's streams are shaped like the recorded one", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await createMockServer();
  });
  afterAll(() => server.close());

  /** One letter per chunk: R first delta with the role, C content, F finish, U usage-only; plus what each must carry. */
  function shape(chunks: Record<string, unknown>[]): string {
    return chunks
      .map((c) => {
        const choices = c.choices as { delta: Record<string, unknown>; finish_reason: unknown }[];
        const choice = choices[0];
        if (!choice) return c.usage ? "U" : "?";
        if (c.usage !== null) return "!"; // content chunks carry usage: null
        if (choice.finish_reason !== null) return Object.keys(choice.delta).length === 0 ? "F" : "!";
        if ("role" in choice.delta) return "R";
        return typeof choice.delta.content === "string" ? "C" : "!";
      })
      .join("")
      .replace(/C+/g, "C+");
  }

  test("role only in the first delta, null finish_reason and usage until the end, a usage chunk with no choices", async () => {
    const recorded = recordings()
      .filter((r) => r.kind === "chunk")
      .map((r) => r.payload as Record<string, unknown>);
    expect(shape(recorded)).toBe("RC+FU");

    const res = await post(`${server.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: "user", content: "Say something long enough to stream." }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const events = parseSSE(await res.text());
    expect(events.at(-1)?.data).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(shape(chunks)).toBe(shape(recorded));
    for (const chunk of chunks) expect(validator(v1, "chunk")(chunk)).toBe(true);
  });

  test("without include_usage there is no usage chunk", async () => {
    const res = await post(`${server.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    const chunks = parseSSE(await res.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(shape(chunks)).toBe("RC+F");
  });
});
