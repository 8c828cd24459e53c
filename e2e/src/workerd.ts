import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChatCompletionChunk } from "@aimlapi-sdk/client";
import { freePort } from "@aimlapi-sdk/devkit/ports";
import { waitForServer } from "@aimlapi-sdk/devkit/processes";
import { readStream } from "../scenario/scenario.ts";
import { importInstalled } from "./installed";
import { checkRuntimeStarts, pinnedRuntime } from "./runtime-binary";
import { bundleScenario, type RuntimeConsumer } from "./runtime-consumer";

const workerd = pinnedRuntime("workerd", "workerd", "workerd");

/** The compatibility date the worker declares (workerd accepts dates up to its own release). */
export const COMPATIBILITY_DATE = "2026-11-01";

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
 * The scenario's worker (its routes are the scenario's steps) bundled from the packages installed
 * in the consumer (worker/browser conditions, no Node built-ins), served by `workerd serve`, and
 * driven route by route against a mock server started here; the streamed answer is read back with
 * the installed client's `Stream.fromReadableStream`.
 */
export const WORKERD_CONSUMER: RuntimeConsumer = {
  name: `workerd ${workerd.version}`,
  readmeClaim: `workerd ${workerd.version} (compatibility date ${COMPATIBILITY_DATE})`,
  notes: `module worker, compatibility date ${COMPATIBILITY_DATE}, stream via toReadableStream`,
  check: () => checkRuntimeStarts(workerd),
  async run(ctx) {
    await ctx.install();
    const { dir, resources } = ctx;
    await bundleScenario(dir, "worker.ts", {
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      outfile: "worker.js",
    });
    const { createMockServer } = await importInstalled<typeof import("@aimlapi-sdk/mock-server")>(dir, "mock-server");
    const { Stream } = await importInstalled<typeof import("@aimlapi-sdk/client")>(dir, "client");
    const mock = await createMockServer();
    resources.defer(() => mock.close());

    const port = await freePort();
    writeFileSync(join(dir, "config.capnp"), config(port, mock.url));
    const server = resources.start("workerd", workerd.bin, ["serve", "config.capnp"], { cwd: dir });
    const url = `http://127.0.0.1:${port}`;
    await waitForServer(server, `${url}/ready`);

    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`);
      if (!res.ok || !res.body) throw new Error(`worker ${path}: HTTP ${res.status} ${await res.text()}\n${server.output()}`);
      return res;
    };
    const { json } = (await (await get("/json")).json()) as { json: string };
    const { stream, usage } = await readStream(
      Stream.fromReadableStream<ChatCompletionChunk>((await get("/stream")).body as ReadableStream<Uint8Array>),
    );
    const { error } = (await (await get("/error")).json()) as { error: string };
    const { abort } = (await (await get("/abort")).json()) as { abort: string };
    return { json, stream, usage, error, abort };
  },
};
