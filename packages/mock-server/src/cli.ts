#!/usr/bin/env node
/** `aimlapi-mock [--port 4010] [--host 127.0.0.1] [--spec file.json] [--api-key key] [--fault spec]`: run the mock AI/ML API. */
import { parseArgs } from "node:util";
import { parseFaultHeader } from "./faults";
import { createMockServer } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      spec: { type: "string" },
      "api-key": { type: "string" },
      fault: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'usage: aimlapi-mock [--port 4010] [--host 127.0.0.1] [--spec openapi.json] [--api-key key] [--fault "status=503; times=2"]',
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  const server = await createMockServer({ port, host: values.host, spec: values.spec, apiKey: values["api-key"] });
  // Same syntax as the x-mock-fault header; without `times` it applies to every request.
  if (values.fault) {
    const fault = parseFaultHeader(values.fault);
    server.injectFault({ ...fault, times: fault.times ?? Number.POSITIVE_INFINITY });
  }
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  // Before saying it listens: whoever reads that line may stop it at once.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  console.log(
    `aimlapi-mock: listening on ${server.url} (POST /v1/chat/completions, /chat/completions; fault header x-mock-fault)`,
  );
}

main().catch((error: unknown) => {
  console.error(`aimlapi-mock: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
});
