import { type ContenderName, contenders } from "../contenders";
import { completionText } from "../fixtures";
import { interleaved, mapValues, median } from "../stats";
import { startServer } from "./servers";

export interface LoopbackResult {
  sequentialMs: Record<ContenderName, number>;
  concurrentMs: Record<ContenderName, number>;
}

/** Median latency per call against a local keep-alive server: one at a time, and 32 at a time. */
export async function loopbackRoundTrip(quick: boolean): Promise<LoopbackResult> {
  const server = await startServer(Buffer.from(completionText), "application/json");
  try {
    const all = contenders(server.url);
    const calls = quick ? 50 : 1_000;
    const latencies = async (call: () => Promise<unknown>, concurrency: number) => {
      const times: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next++ < calls) {
          const start = performance.now();
          await call();
          times.push(performance.now() - start);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return median(times);
    };
    for (const c of Object.values(all)) await latencies(() => c.json(), 4);
    const run = (concurrency: number) =>
      interleaved(
        mapValues(all, (c) => () => latencies(() => c.json(), concurrency)),
        quick ? 1 : 3,
      );
    return { sequentialMs: await run(1), concurrentMs: await run(32) };
  } finally {
    await server.close();
  }
}
