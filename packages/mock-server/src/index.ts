/**
 * `@aimlapi-sdk/mock-server`: a local AI/ML API for tests, demos and offline development.
 * @packageDocumentation
 */

export { defaultSpec } from "./default-spec";
export type { Fault } from "./faults";
export { FAULT_HEADER, parseFaultHeader } from "./faults";
export { toJsonSchema } from "./openapi-schema";
export type { MockOperation, OpenAPIDocument } from "./operations";
export { loadOperations } from "./operations";
export type { MockServer, MockServerOptions, ReceivedRequest } from "./server";
export { createMockServer } from "./server";
