import { type AIMLClient, createClient } from "@aimlapi-sdk/client";
import { createMockServer } from "@aimlapi-sdk/mock-server";

/** A client and how to let go of it. */
export interface Connection {
  client: AIMLClient;
  /** Where requests go, for the one-line notice. */
  target: string;
  usingMock: boolean;
  close(): Promise<void>;
}

/**
 * The real API when AIML_API_KEY (or AIMLAPI_API_KEY) is set; otherwise a mock server started in
 * this process, so every example runs offline. AIMLAPI_MOCK_FAULT (the mock's x-mock-fault syntax,
 * e.g. "status=429") makes the mock misbehave, to see how errors look.
 */
export async function connect(): Promise<Connection> {
  const key = process.env.AIML_API_KEY || process.env.AIMLAPI_API_KEY;
  if (key) {
    const client = createClient();
    return { client, target: process.env.AIML_API_BASE || "https://api.aimlapi.com", usingMock: false, close: async () => {} };
  }
  const server = await createMockServer();
  const fault = process.env.AIMLAPI_MOCK_FAULT;
  const client = createClient({ apiKey: "mock-key", baseUrl: server.url, headers: fault ? { "x-mock-fault": fault } : {} });
  return { client, target: server.url, usingMock: true, close: () => server.close() };
}
