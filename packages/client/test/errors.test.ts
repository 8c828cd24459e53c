import { describe, expect, test } from "vitest";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../src/index";
import { sendJson, startServer } from "./helpers/http-server";
import { API_KEY, fault, hello, useMockServer } from "./helpers/mock";

const mock = useMockServer();

describe("a class per status, carrying status, headers, requestId and body", () => {
  test.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
    [504, InternalServerError],
  ])("%i → %o", async (status, Class) => {
    const error = await mock
      .client({ maxRetries: 0 })
      .chat.completions.create(hello, fault(`status=${status}; message=Upstream says ${status}`))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    const e = error as APIError;
    expect(e.status).toBe(status);
    expect(e.message).toBe(`${status} Upstream says ${status}`);
    expect(e.requestId).toMatch(/^mock-\d+$/);
    expect(e.requestId).toBe(e.headers?.get("x-request-id"));
    expect(e.body).toMatchObject({ statusCode: status, path: "/v1/chat/completions", message: `Upstream says ${status}` });
  });

  test("statusCode as a string is accepted; the class still follows the HTTP status", async () => {
    const error = await mock
      .client({ maxRetries: 0 })
      .chat.completions.create(hello, fault("status=429; status-as-string=1"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).body).toMatchObject({ statusCode: "429" });
  });

  test("a real validation error from the server names the field", async () => {
    const error = await mock
      .client()
      .chat.completions.create({ ...hello, temperature: 7 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(/^400 Body validation error: "temperature" must be <= 2/);
    expect(mock.server().requests).toHaveLength(1);
  });

  test("a missing key at the server is an AuthenticationError", async () => {
    const error = await createClient({ apiKey: " ", baseUrl: mock.server().url })
      .chat.completions.create(hello)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
  });

  test("requestId falls back to the x-request-id header; a text body is kept as text", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(502, { "content-type": "text/html", "x-request-id": "hdr-7" });
      res.end("<html>Bad gateway</html>");
    });
    try {
      const error = (await createClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 })
        .chat.completions.create(hello)
        .catch((e: unknown) => e)) as InternalServerError;
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error.requestId).toBe("hdr-7");
      expect(error.body).toBe("<html>Bad gateway</html>");
      expect(error.message).toBe("502 <html>Bad gateway</html>");
    } finally {
      await server.close();
    }
  });

  test("AIML's other error shapes (from its docs and users' logs): the message and request id are found in each", async () => {
    const bodies = [
      // A 403 as AIML's billing answers it: `title` and `status` instead of `statusCode`.
      [403, { title: "Forbidden", status: 403, message: "You've run out of funds. Please top up your balance." }],
      // A 401 with a short request id, and `statusCode` a number.
      [
        401,
        {
          requestId: "hR0abc",
          statusCode: 401,
          timestamp: "2025-12-05T13:46:30.569Z",
          path: "/v1/chat/completions",
          message: "This request requires a valid API key.",
        },
      ],
    ] as const;
    let at = 0;
    const server = await startServer((_req, res) => {
      const [status, body] = bodies[at++] as (typeof bodies)[number];
      sendJson(res, status, body);
    });
    try {
      const client = createClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 });
      const forbidden = (await client.chat.completions.create(hello).catch((e: unknown) => e)) as APIError;
      expect(forbidden).toBeInstanceOf(PermissionDeniedError);
      expect(forbidden.message).toBe("403 You've run out of funds. Please top up your balance.");
      const unauthorized = (await client.chat.completions.create(hello).catch((e: unknown) => e)) as APIError;
      expect(unauthorized).toBeInstanceOf(AuthenticationError);
      expect(unauthorized.requestId).toBe("hR0abc");
      expect(unauthorized.message).toBe("401 This request requires a valid API key.");
    } finally {
      await server.close();
    }
  });

  test("openai-node's members: requestID, and error/code/param/type from an OpenAI-shaped body", async () => {
    const server = await startServer((_req, res) =>
      sendJson(
        res,
        400,
        { error: { message: "Unknown parameter", type: "invalid_request_error", param: "foo", code: "unknown_parameter" } },
        { "x-request-id": "req-9" },
      ),
    );
    try {
      const error = (await createClient({ apiKey: "k", baseUrl: server.url, maxRetries: 0 })
        .chat.completions.create(hello)
        .catch((e: unknown) => e)) as BadRequestError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.requestID).toBe("req-9");
      expect(error.error).toEqual({
        message: "Unknown parameter",
        type: "invalid_request_error",
        param: "foo",
        code: "unknown_parameter",
      });
      expect([error.code, error.param, error.type]).toEqual(["unknown_parameter", "foo", "invalid_request_error"]);
      // AIML's own error body has no `error` object: `error` is the body, and the rest are undefined.
      const aiml = (await mock
        .client({ maxRetries: 0 })
        .chat.completions.create(hello, fault("status=429; message=Slow down"))
        .catch((e: unknown) => e)) as RateLimitError;
      expect(aiml.error).toBe(aiml.body);
      expect([aiml.code, aiml.param, aiml.type]).toEqual([undefined, undefined, undefined]);
    } finally {
      await server.close();
    }
  });

  test("the API key never appears in an error, even when the server echoes it", async () => {
    const server = await startServer((req, res) =>
      sendJson(res, 401, { message: `Invalid key ${req.headers.authorization}`, statusCode: 401, requestId: "r1" }),
    );
    try {
      const error = (await createClient({ apiKey: API_KEY, baseUrl: server.url })
        .chat.completions.create(hello)
        .catch((e: unknown) => e)) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error.body)} ${String(error)}`;
      expect(everything).not.toContain(API_KEY);
      expect(error.message).toBe("401 Invalid key Bearer [redacted]");
    } finally {
      await server.close();
    }
  });

  test("no server listening: APIConnectionError (not an HTTP error), without the key", async () => {
    const server = await startServer(() => {});
    const url = server.url;
    await server.close();
    const error = (await createClient({ apiKey: API_KEY, baseUrl: url, maxRetries: 0 })
      .chat.completions.create(hello)
      .catch((e: unknown) => e)) as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/^Connection error: .*ECONNREFUSED/);
    expect(`${error.message} ${error.stack}`).not.toContain(API_KEY);
  });
});
