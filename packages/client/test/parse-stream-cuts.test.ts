/**
 * The streamed parse (`.stream()` with a parseable format), with the event stream cut at every byte
 * boundary: the same recorded-from-the-mock body arrives in two pieces, split at each position in turn.
 * Every run must emit `content.delta` snapshots that only grow towards the final object, and end with
 * the same validated value. Every cut goes through the
 * client with a `fetch` whose body arrives in those two pieces; a sample of them also crosses a real
 * socket, sent by an HTTP server in two writes.
 */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { createClient, jsonSchemaFormat } from "../src/index";
import { startServer } from "./helpers/http-server";
import { hello, useMockServer } from "./helpers/mock";

const mock = useMockServer();

const Recipe = z.object({
  title: z.string(),
  minutes: z.number().int().min(1),
  tags: z.array(z.string()).optional(),
  note: z.string().nullable(),
});
const format = jsonSchemaFormat(Recipe, { name: "recipe" });

/** True when `partial` could grow into `final`: every value it has is a prefix (strings, arrays) or equal. */
function growsInto(partial: unknown, final: unknown): boolean {
  if (typeof partial === "string") return typeof final === "string" && final.startsWith(partial);
  if (typeof partial === "number") return typeof final === "number" && String(final).startsWith(String(partial));
  if (Array.isArray(partial)) return Array.isArray(final) && partial.every((item, i) => growsInto(item, final[i]));
  if (partial && typeof partial === "object")
    return (
      !!final &&
      typeof final === "object" &&
      Object.entries(partial).every(([k, v]) => growsInto(v, (final as Record<string, unknown>)[k]))
    );
  return partial === final;
}

describe(".stream() with a parseable format, cut at every byte", () => {
  test("every cut gives growing snapshots and the same validated object", async () => {
    // One real reply from the mock server, kept as bytes.
    const recorded = await fetch(`${mock.server().url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({ ...hello, stream: true, response_format: JSON.parse(JSON.stringify(format)) }),
    });
    const body = Buffer.from(await recorded.arrayBuffer());
    expect(body.length).toBeGreaterThan(500);

    /** Parses the body delivered in two pieces through `client`; checks the snapshots; returns the parsed value. */
    const parseCut = async (client: ReturnType<typeof createClient>, cut: number) => {
      const partials: unknown[] = [];
      const stream = client.chat.completions
        .stream({ ...hello, stream: true, response_format: format })
        .on("content.delta", ({ parsed }) => (parsed == null ? undefined : partials.push(parsed)));
      const parsed = (await stream.finalChatCompletion()).choices[0]?.message.parsed;
      for (const partial of partials)
        expect(growsInto(partial, parsed), `cut at byte ${cut}: ${JSON.stringify(partial)}`).toBe(true);
      expect(partials.at(-1)).toEqual(parsed);
      return parsed;
    };

    // Every byte: the body's two pieces handed to the client as a response stream.
    let cut = 0;
    const twoPieces: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(body.subarray(0, cut));
            controller.enqueue(body.subarray(cut));
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    const inMemory = createClient({ apiKey: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0, fetch: twoPieces });
    const expected = await parseCut(inMemory, 0);
    expect(expected).toMatchObject({ title: expect.any(String), minutes: expect.any(Number) });
    for (cut = 1; cut <= body.length; cut++) expect(await parseCut(inMemory, cut), `cut at byte ${cut}`).toEqual(expected);

    // A sample of the cuts across a real socket: the server writes the two pieces separately.
    const server = await startServer(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(body.subarray(0, cut));
      // Let the first part leave on its own before the rest.
      await new Promise((resolve) => setTimeout(resolve, 1));
      res.end(body.subarray(cut));
    });
    try {
      const overHttp = createClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 });
      for (cut = 0; cut <= body.length; cut += 23)
        expect(await parseCut(overHttp, cut), `HTTP cut at byte ${cut}`).toEqual(expected);
    } finally {
      await server.close();
    }
  });
});
