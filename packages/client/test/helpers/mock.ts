import { createMockServer, type MockServer } from "@aimlapi-sdk/mock-server";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from "../../src/index";
import { type AIMLClient, type ClientOptions, createClient } from "../../src/index";

/** The spec-driven mock server, one per test file, with faults cleared before each test. */
export function useMockServer(): { server: () => MockServer; client: (options?: ClientOptions) => AIMLClient } {
  let server: MockServer | undefined;
  beforeAll(async () => {
    server = await createMockServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.clearFaults();
    server?.requests.splice(0);
  });
  const get = () => {
    if (!server) throw new Error("mock server not started");
    return server;
  };
  return {
    server: get,
    client: (options = {}) => createClient({ apiKey: "sk-test-secret-key-0123456789abcdef", baseUrl: get().url, ...options }),
  };
}

export const API_KEY = "sk-test-secret-key-0123456789abcdef";

export const hello: ChatCompletionCreateParamsNonStreaming = {
  model: "openai/gpt-4.1-2025-04-14",
  messages: [{ role: "user", content: "Hello, mock!" }],
};

export const helloStream: ChatCompletionCreateParamsStreaming = { ...hello, stream: true };

export const MOCK_REPLY = 'This is a mock reply to: "Hello, mock!".';

/** Per-request fault header for the mock server. */
export const fault = (spec: string) => ({ headers: { "x-mock-fault": spec } });
