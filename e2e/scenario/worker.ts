/**
 * The workerd consumer: a module worker whose routes are the scenario's steps. The streamed step
 * answers with the stream's `toReadableStream()`, which the test reads back with the installed
 * client's `Stream.fromReadableStream`.
 */
import { createClient } from "@aimlapi-sdk/client";
import { abortStep, errorStep, jsonStep, streamRequest } from "./scenario.ts";

interface Env {
  MOCK_URL: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const client = createClient({ apiKey: "worker-key", baseUrl: env.MOCK_URL });
    switch (new URL(request.url).pathname) {
      case "/ready":
        return new Response("ready");
      case "/json":
        return Response.json(await jsonStep(client));
      case "/stream": {
        const stream = await streamRequest(client);
        return new Response(stream.toReadableStream(), { headers: { "content-type": "application/x-ndjson" } });
      }
      case "/error":
        return Response.json(await errorStep(client));
      case "/abort":
        return Response.json(await abortStep(client));
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
