import { createMockServer, type MockServer } from "@aimlapi-sdk/mock-server";
import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from "../../src/index";
import { type AIMLClient, type ClientOptions, createClient, type Middleware } from "../../src/index";

/** How a suite's clients reach the wire: bare, or through middleware (which takes the other branch of the dispatcher). */
export interface Road {
  name: string;
  createClient(options: ClientOptions): AIMLClient;
  /** How many requests and responses the road's middleware has seen (0 on the bare road). */
  seen(): number;
}

/** A bare client, and one with a middleware that passes every request and response on unchanged. */
export function roads(): Road[] {
  let seen = 0;
  const passThrough: Middleware = {
    onRequest: ({ request }) => {
      seen++;
      return request;
    },
    onResponse: ({ response }) => {
      seen++;
      return response;
    },
  };
  return [
    { name: "bare", createClient, seen: () => 0 },
    {
      name: "through a pass-through middleware",
      createClient: (options) => {
        const client = createClient(options);
        client.use(passThrough);
        return client;
      },
      seen: () => seen,
    },
  ];
}

/** Runs `suite` once per road; on the middleware road, checks afterwards that the middleware saw the calls. */
export function onEachRoad(suite: (road: Road) => void): void {
  describe.each(roads())("$name", (road) => {
    suite(road);
    afterAll(() => {
      if (road.name !== "bare") expect(road.seen()).toBeGreaterThan(0);
    });
  });
}

/** The spec-driven mock server, one per test file (or road), with faults cleared before each test. */

export function useMockServer(road?: Road): { server: () => MockServer; client: (options?: ClientOptions) => AIMLClient } {
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
    client: (options = {}) =>
      (road?.createClient ?? createClient)({ apiKey: "sk-test-secret-key-0123456789abcdef", baseUrl: get().url, ...options }),
  };
}

export const API_KEY = "sk-test-secret-key-0123456789abcdef";

export const hello: ChatCompletionCreateParamsNonStreaming = {
  model: "openai/gpt-4.1-2025-04-14",
  messages: [{ role: "user", content: "Hello, mock!" }],
};

export const helloStream: ChatCompletionCreateParamsStreaming = { ...hello, stream: true };

/** The model and messages of {@link hello} alone: for `.stream()`, `runTools()` and anything that sets `stream` itself. */
export const question = { model: hello.model, messages: hello.messages };

export const MOCK_REPLY = 'This is a mock reply to: "Hello, mock!".';

/** Per-request fault header for the mock server. */
export const fault = (spec: string) => ({ headers: { "x-mock-fault": spec } });
