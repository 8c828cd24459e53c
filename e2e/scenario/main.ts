/**
 * The program the Node, TypeScript, Bun and Deno consumers run: start the mock server, run the
 * scenario with a client pointed at it, print the outcome as one line of JSON. With
 * `--key-from-env` the client takes its key from AIML_API_KEY, as a user's would.
 */
import { createClient } from "@aimlapi-sdk/client";
import { createMockServer } from "@aimlapi-sdk/mock-server";
import { runScenario } from "./scenario.ts";

async function main(): Promise<void> {
  const server = await createMockServer();
  try {
    const keyFromEnv = process.argv.includes("--key-from-env");
    const client = createClient(keyFromEnv ? { baseUrl: server.url } : { apiKey: "consumer-key", baseUrl: server.url });
    console.log(JSON.stringify(await runScenario(client)));
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
