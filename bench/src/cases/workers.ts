import { Worker } from "node:worker_threads";
import type { ContenderRequest, ContenderWorkerData } from "../contender-worker";
import type { ContenderName } from "../contenders";

/** Contenders each in a worker thread of its own (contender-worker.ts), asked for one sample at a time. */
export interface ContenderWorkers<K extends ContenderName> {
  sample<T>(name: K, request: ContenderRequest): Promise<T>;
  close(): Promise<void>;
}

/** Starts one worker per contender; `baseUrl` is the server to stream from (JSON calls use a stub without it). */
export function startContenderWorkers<K extends ContenderName>(names: readonly K[], baseUrl?: string): ContenderWorkers<K> {
  const workers = new Map(
    names.map((name) => {
      const data: ContenderWorkerData = baseUrl ? { name, baseUrl } : { name };
      return [name, new Worker(new URL("./contender-worker.mjs", import.meta.url), { workerData: data })] as const;
    }),
  );
  return {
    sample: <T>(name: K, request: ContenderRequest) =>
      new Promise<T>((resolve, reject) => {
        const worker = workers.get(name) as Worker;
        const onError = (error: Error) => reject(error);
        worker.once("error", onError);
        worker.once("message", (reply: { result?: T; error?: string }) => {
          worker.off("error", onError);
          if (reply.error !== undefined) reject(new Error(reply.error));
          else resolve(reply.result as T);
        });
        worker.postMessage(request);
      }),
    close: async () => {
      await Promise.all([...workers.values()].map((worker) => worker.terminate()));
    },
  };
}
