/**
 * One contender in a worker thread of its own: a separate V8 isolate, so that what another client
 * does to the engine's shared state (a Promise subclass turns off fast paths of `await` for every
 * promise of its isolate) does not slow this one. The main thread asks for one sample at a time:
 * `{ op: "json", iterations }` (calls per CPU second, against a stub `fetch`) or `{ op: "stream",
 * count }` (chunks per second and time to the first chunk, from the server at `baseUrl`).
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ContenderName, contenders } from "./contenders";
import { completionText } from "./fixtures";
import { callsPerCpuSecond } from "./stats";

/** What the worker is started with. */
export interface ContenderWorkerData {
  name: ContenderName;
  /** A server to stream from; without one, JSON calls go to a stub `fetch`. */
  baseUrl?: string;
}

/** One sample the main thread asks for. */
export type ContenderRequest = { op: "json"; iterations: number } | { op: "stream"; count: number };

const { name, baseUrl } = workerData as ContenderWorkerData;
const stub: typeof fetch = async () =>
  new Response(completionText, { status: 200, headers: { "content-type": "application/json" } });
const contender = baseUrl ? contenders(baseUrl)[name] : contenders("https://api.aimlapi.com", stub)[name];
const gc = (globalThis as { gc?: () => void }).gc;

async function answer(request: ContenderRequest): Promise<unknown> {
  gc?.();
  if (request.op === "json") return callsPerCpuSecond(() => contender.json(), request.iterations);
  const start = performance.now();
  let firstAt = 0;
  const got = await contender.stream(() => {
    if (!firstAt) firstAt = performance.now();
  });
  const elapsed = performance.now() - start;
  if (got !== request.count) throw new Error(`${name} read ${got} of ${request.count} chunks`);
  return { perSecond: (request.count / elapsed) * 1000, firstMs: firstAt - start };
}

parentPort?.on("message", (request: ContenderRequest) => {
  answer(request).then(
    (result) => parentPort?.postMessage({ result }),
    (error: unknown) => parentPort?.postMessage({ error: (error as Error).message ?? String(error) }),
  );
});
