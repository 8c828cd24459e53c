import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { freePort } from "../../scripts/src/free-port";
import { captureOutput, waitForServer } from "../../scripts/src/server-process";
import { importInstalled } from "./consumers";
import type { Resources } from "./resources";
import type { Runtime } from "./runtime-binary";
import { PARAMS, type ScenarioOutput } from "./scenario";

/** The compatibility date the worker declares (workerd accepts dates up to its own release). */
export const COMPATIBILITY_DATE = "2026-11-01";

/** A module worker: each step of the scenario is a route; the stream goes back as `toReadableStream()`. */
const WORKER = `import { APIUserAbortError, createClient, RateLimitError } from "@aimlapi-sdk/client";

interface Env {
  MOCK_URL: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const client = createClient({ apiKey: "worker-key", baseUrl: env.MOCK_URL });
    switch (new URL(request.url).pathname) {
      case "/ready":
        return new Response("ready");
      case "/json": {
        const reply = await client.chat.completions.create(${PARAMS});
        return Response.json({ json: reply.choices[0]?.message.content });
      }
      case "/stream": {
        const stream = await client.chat.completions.create({ ...${PARAMS}, stream: true, stream_options: { include_usage: true } });
        return new Response(stream.toReadableStream(), { headers: { "content-type": "application/x-ndjson" } });
      }
      case "/error":
        try {
          await client.chat.completions.create(${PARAMS}, { maxRetries: 0, headers: { "x-mock-fault": "status=429" } });
          return Response.json({ error: "no error" });
        } catch (e) {
          return Response.json({ error: e instanceof RateLimitError ? \`RateLimitError \${e.status} \${e.requestId}\` : String(e) });
        }
      case "/abort": {
        const controller = new AbortController();
        const slow = await client.chat.completions.create(
          { ...${PARAMS}, stream: true },
          { signal: controller.signal, headers: { "x-mock-fault": "chunk-delay=100" } },
        );
        let before = "";
        try {
          for await (const chunk of slow) {
            before += chunk.choices[0]?.delta?.content ?? "";
            if (before !== "") controller.abort();
          }
          return Response.json({ abort: "not aborted" });
        } catch (e) {
          return Response.json({ abort: e instanceof APIUserAbortError ? \`APIUserAbortError after \${JSON.stringify(before)}\` : String(e) });
        }
      }
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
`;

/** workerd's configuration: the worker on a loopback socket, its outbound network limited to loopback. */
const config = (port: number, mockUrl: string) => `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "consumer", worker = .consumer),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "consumer")],
);

const consumer :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [(name = "MOCK_URL", text = "${mockUrl}")],
  globalOutbound = "loopback",
);
`;

/**
 * Bundles a module worker from the packages installed in `dir` (worker/browser conditions, no
 * Node built-ins), serves it with `workerd serve`, and runs the scenario through its routes
 * against a mock server started here; the streamed answer is read back with the installed
 * client's `Stream.fromReadableStream`.
 */
export async function runWorkerdConsumer(dir: string, workerd: Runtime, resources: Resources): Promise<ScenarioOutput> {
  writeFileSync(join(dir, "worker.ts"), WORKER);
  await build({
    absWorkingDir: dir,
    entryPoints: ["worker.ts"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    outfile: "worker.js",
    logLevel: "silent",
  });
  const { createMockServer } = await importInstalled<typeof import("@aimlapi-sdk/mock-server")>(dir, "mock-server");
  const { Stream } = await importInstalled<{
    Stream: { fromReadableStream<T>(readable: ReadableStream<Uint8Array>): AsyncIterable<T> };
  }>(dir, "client");
  const mock = await createMockServer();
  resources.defer(() => mock.close());

  const port = await freePort();
  writeFileSync(join(dir, "config.capnp"), config(port, mock.url));
  const child = resources.start(workerd.bin, ["serve", "config.capnp"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const log = captureOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForServer(child, "workerd", `${url}/ready`, log);

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    if (!res.ok || !res.body) throw new Error(`worker ${path}: HTTP ${res.status} ${await res.text()}\n${log()}`);
    return res;
  };
  const { json } = (await (await get("/json")).json()) as { json: string };
  let stream = "";
  let usage = 0;
  const chunks = Stream.fromReadableStream<{
    choices: { delta?: { content?: string | null } }[];
    usage?: { total_tokens: number } | null;
  }>((await get("/stream")).body as ReadableStream<Uint8Array>);
  for await (const chunk of chunks) {
    stream += chunk.choices[0]?.delta?.content ?? "";
    usage = chunk.usage?.total_tokens ?? usage;
  }
  const { error } = (await (await get("/error")).json()) as { error: string };
  const { abort } = (await (await get("/abort")).json()) as { abort: string };
  return { json, stream, usage, error, abort };
}
