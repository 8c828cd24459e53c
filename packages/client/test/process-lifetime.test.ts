/**
 * What a program using the client does at its end, in a child Node process of its own: a stream
 * it never reads does not keep it running (the client's timers do not hold the event loop), and a
 * stream helper's error that nobody listens for or awaits is reported, not lost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "@aimlapi-sdk/devkit/commands";
import { scaledTimeout } from "@aimlapi-sdk/devkit/load";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sendJson, startServer, type TestServer } from "./helpers/http-server";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "aimlapi-lifetime-"));
const servers: TestServer[] = [];

/** The child programs, each bundled from the client's source; the server's URL comes in `SERVER_URL`. */
const PROGRAMS = {
  // The timeouts are long, so only the client's own timers could keep the process alive this long.
  "unread-stream": `
    const client = createClient({ apiKey: "k", baseUrl: process.env.SERVER_URL, timeout: 600_000, idleTimeout: 600_000 });
    const stream = await client.chat.completions.create({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }], stream: true });
    console.log("got", typeof stream[Symbol.asyncIterator]);`,
  "unheard-error": `
    createClient({ apiKey: "k", baseUrl: process.env.SERVER_URL, maxRetries: 0 }).chat.completions.stream({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }] });`,
  "heard-error": `
    createClient({ apiKey: "k", baseUrl: process.env.SERVER_URL, maxRetries: 0 }).chat.completions
      .stream({ model: "openai/gpt-4.1-2025-04-14", messages: [{ role: "user", content: "Hi" }] })
      .on("error", (error) => console.log("heard", error.constructor.name));`,
};

beforeAll(async () => {
  for (const [name, body] of Object.entries(PROGRAMS))
    await build({
      stdin: { contents: `import { createClient } from "../src/index";\n${body}\n`, resolveDir: here, loader: "ts" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: join(dir, `${name}.mjs`),
      logLevel: "silent",
    });
});

afterAll(async () => {
  for (const server of servers) await server.close();
  rmSync(dir, { recursive: true, force: true });
});

// Far below the client's 600 s timeouts, far above a Node start on a busy machine.
const PROGRAM_LIMIT_MS = scaledTimeout(10_000);
// The test waits for the program, then for its stop.
const TEST_LIMIT_MS = 2 * PROGRAM_LIMIT_MS + 10_000;

/** Runs a child program against `server`; a program that does not end on its own is stopped (code null). */
function runProgram(name: keyof typeof PROGRAMS, server: TestServer) {
  return run(process.execPath, [join(dir, `${name}.mjs`)], {
    cwd: dir,
    env: { ...process.env, SERVER_URL: server.url },
    timeoutMs: PROGRAM_LIMIT_MS,
  });
}

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

describe("process lifetime", () => {
  test(
    "a stream that is never read does not keep Node alive",
    async () => {
      // The server sends the whole stream; the program never reads it. (A server that holds the
      // connection open keeps any fetch-based program alive, raw fetch included: not the client's doing.)
      const server = await serve((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end('data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\ndata: [DONE]\n\n');
      });
      const result = await runProgram("unread-stream", server);
      expect(result.stderr).toBe("");
      expect(result.stdout.trim()).toBe("got function");
      expect(result.code).toBe(0);
      expect(server.requests).toHaveLength(1);
    },
    TEST_LIMIT_MS,
  );

  test(
    "a .stream() error nobody listens for fails the process, as an unhandled rejection; with a listener it does not",
    async () => {
      const server = await serve((_req, res) => sendJson(res, 400, { error: { message: "bad things" } }));
      const unheard = await runProgram("unheard-error", server);
      expect(unheard.code).not.toBe(0);
      expect(unheard.code).not.toBeNull();
      expect(unheard.stderr).toContain("bad things");

      const heard = await runProgram("heard-error", server);
      expect(heard.stdout.trim()).toBe("heard BadRequestError");
      expect(heard.code).toBe(0);
    },
    TEST_LIMIT_MS,
  );
});
