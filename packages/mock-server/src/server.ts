import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { defaultSpec } from "./default-spec";
import { FAULT_HEADER, type Fault, FaultPlan } from "./faults";
import { describeValidationErrors, loadOperations, type MockOperation, type OpenAPIDocument } from "./operations";
import { type ChatRequest, planReply } from "./replies";
import { completionBody, streamChunks, writeStream } from "./respond";
import { upstreamError } from "./upstream-error";

/** Options of {@link createMockServer}. */
export interface MockServerOptions {
  /** The OpenAPI document (object or JSON file path) to serve; default: the spec this package was built from. */
  spec?: OpenAPIDocument | string;
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (never all interfaces unless asked). */
  host?: string;
  /** When set, only this key is accepted; otherwise any non-empty bearer token is. */
  apiKey?: string;
}

/** A request the server received (for assertions in tests). */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Resolves when the connection of this request closes: `completed` is false if the client left first. */
  closed: Promise<{ completed: boolean }>;
}

/** A running mock server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Applies a fault to the next request(s) (`times`, default 1). */
  injectFault(fault: Fault): void;
  /** Drops queued faults and header counters. */
  clearFaults(): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, OPTIONS",
  "access-control-allow-headers": `authorization, content-type, accept, ${FAULT_HEADER}, x-requested-with`,
  "access-control-expose-headers": "x-request-id, retry-after, retry-after-ms, content-type",
  "access-control-max-age": "600",
};

/** Starts a local AI/ML API: spec-validated requests, spec-shaped replies and streams, fault injection. */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const document = loadSpec(options.spec);
  const operations = loadOperations(document);
  const faults = new FaultPlan();
  const requests: ReceivedRequest[] = [];
  let counter = 0;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, upstreamError(500, req.url ?? "", "mock", String(error)));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const requestId = `mock-${(++counter).toString().padStart(6, "0")}`;
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    res.setHeader("x-request-id", requestId);
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    const body = await readBody(req);
    let completed = false;
    res.on("finish", () => {
      completed = true;
    });
    requests.push({
      method: req.method ?? "",
      path,
      headers: req.headers,
      body,
      closed: new Promise((resolve) => res.on("close", () => resolve({ completed }))),
    });

    const operation = operations.get(path);
    if (!operation) return sendJson(res, 404, upstreamError(404, path, requestId, `Cannot ${req.method} ${path}`));
    if (req.method !== "POST") return sendJson(res, 405, upstreamError(405, path, requestId, `Method ${req.method} not allowed`));

    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!auth || (options.apiKey !== undefined && auth !== options.apiKey))
      return sendJson(res, 401, upstreamError(401, path, requestId));

    let fault: Fault | undefined;
    try {
      fault = faults.next(headerValue(req.headers[FAULT_HEADER]));
    } catch (error) {
      return sendJson(res, 400, upstreamError(400, path, requestId, (error as Error).message));
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault?.delayMs));
    if (res.destroyed) return;
    if (fault?.status !== undefined && fault.errorAtChunk === undefined) {
      return sendJson(
        res,
        fault.status,
        upstreamError(fault.status, path, requestId, fault.message, fault.statusCodeAsString),
        retryHeaders(fault),
      );
    }

    const parsed = parseJson(body);
    if (parsed === undefined)
      return sendJson(res, 400, upstreamError(400, path, requestId, "Body validation error: the body is not valid JSON"));
    const invalid = validate(operation, parsed);
    if (invalid) return sendJson(res, 400, upstreamError(400, path, requestId, `Body validation error: ${invalid}`));

    const request = parsed as ChatRequest;
    const reply = planReply(request, body, fault);
    if (!request.stream) return sendJson(res, 200, completionBody(reply));
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.flushHeaders();
    await writeStream(res, streamChunks(reply, request.stream_options?.include_usage === true), fault, path, requestId);
  }

  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function loadSpec(spec: MockServerOptions["spec"]): OpenAPIDocument {
  if (spec === undefined) return defaultSpec;
  if (typeof spec === "string") return JSON.parse(readFileSync(spec, "utf8")) as OpenAPIDocument;
  return spec;
}

function validate(operation: MockOperation, body: unknown): string | undefined {
  const check = operation.validateRequest;
  if (!check || check(body)) return undefined;
  return describeValidationErrors(check.errors);
}

function retryHeaders(fault: Fault): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(fault.retryAfterMs);
  return headers;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(";") : value;
}
