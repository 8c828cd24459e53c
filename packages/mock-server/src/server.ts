import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { defaultSpec } from "./default-spec";
import { FAULT_HEADER, type Fault, FaultPlan } from "./faults";
import { ModelCatalog } from "./models";
import { describeValidationErrors, loadOperations, type MockOperation, type OpenAPIDocument } from "./operations";
import { type ChatRequest, MOCK_CREATED, planReply } from "./replies";
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
  /**
   * Serve every AIML chat model of the pinned set, each validated against its own spec (default:
   * true, unless `spec` is given: then that document alone is served).
   */
  models?: boolean;
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
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": `authorization, content-type, accept, ${FAULT_HEADER}, x-requested-with`,
  "access-control-expose-headers": "x-request-id, retry-after, retry-after-ms, content-type",
  "access-control-max-age": "600",
};

/** Starts a local AI/ML API: spec-validated requests, spec-shaped replies and streams, fault injection. */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const document = loadSpec(options.spec);
  const operations = loadOperations(document);
  const catalog = (options.models ?? options.spec === undefined) ? new ModelCatalog() : undefined;
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

    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    const authorized = !!auth && (options.apiKey === undefined || auth === options.apiKey);
    if (MODELS_PATHS.has(path) && req.method === "GET") {
      if (!authorized) return sendJson(res, 401, upstreamError(401, path, requestId));
      return sendJson(res, 200, modelList(catalog, operations));
    }
    const operation = operations.get(path);
    if (!operation) return sendJson(res, 404, upstreamError(404, path, requestId, `Cannot ${req.method} ${path}`));
    if (req.method !== "POST") return sendJson(res, 405, upstreamError(405, path, requestId, `Method ${req.method} not allowed`));
    if (!authorized) return sendJson(res, 401, upstreamError(401, path, requestId));

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
    const invalid = checkBody(operation, catalog, parsed);
    if (invalid) return sendJson(res, 400, upstreamError(400, path, requestId, `Body validation error: ${invalid}`));

    const request = parsed as ChatRequest;
    const reply = planReply(request, body, fault);
    // A model of the set answers in its own spec's shapes.
    const served = catalog && request.model && !operation.models.has(request.model) ? catalog.get(request.model) : undefined;
    if (!request.stream)
      return sendJson(res, 200, catalog ? catalog.conform(served?.completion, completionBody(reply)) : completionBody(reply));
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.flushHeaders();
    const chunks = streamChunks(reply, request.stream_options?.include_usage === true);
    const shaped = catalog && served?.chunk ? chunks.map((chunk) => catalog.conform(served.chunk, chunk)) : chunks;
    await writeStream(res, shaped, fault, path, requestId);
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

/** Where the model list is served (as OpenAI's API and AIML's do). */
const MODELS_PATHS = new Set(["/v1/models", "/models"]);

/** `GET /v1/models`: every model served, in OpenAI's list shape. */
function modelList(catalog: ModelCatalog | undefined, operations: Map<string, MockOperation>) {
  const owners = new Map<string, string>();
  for (const operation of operations.values()) for (const id of operation.models) owners.set(id, "openai");
  for (const id of catalog?.ids() ?? []) owners.set(id, (catalog?.get(id)?.provider ?? "unknown").toLowerCase());
  const data = [...owners]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, owner]) => ({ id, object: "model", created: MOCK_CREATED, owned_by: owner }));
  return { object: "list", data };
}

/**
 * Why a chat request is refused, if it is. The served document's own models are checked against it;
 * every other model of the set against its own spec. Either way a parameter the model's spec lacks
 * is named (stricter than upstream's documents, which do not forbid other properties).
 */
function checkBody(operation: MockOperation, catalog: ModelCatalog | undefined, body: unknown): string | undefined {
  const model = (body as { model?: unknown } | null)?.model;
  if (catalog && typeof model === "string" && !operation.models.has(model)) {
    const info = catalog.get(model);
    if (!info) return `"model" ${JSON.stringify(model)} is not a model this server serves (GET /v1/models lists them)`;
    return catalog.check(info, body as Record<string, unknown>);
  }
  if (body !== null && typeof body === "object" && operation.requestProperties.size > 0) {
    const unknown = Object.keys(body).filter((key) => !operation.requestProperties.has(key));
    if (unknown.length > 0)
      return `${unknown.map((k) => `"${k}"`).join(", ")} ${unknown.length === 1 ? "is not a parameter" : "are not parameters"} of ${typeof model === "string" ? model : "this model"}`;
  }
  return validate(operation, body);
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
