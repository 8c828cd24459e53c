import { sseBody } from "../fixtures";
import { interleaved, median } from "../stats";
import { startServer } from "./servers";
import { startContenderWorkers } from "./workers";

type StreamContender = "raw fetch" | "openai" | "ours";

export interface StreamResult {
  chunks: number;
  chunksPerSecond: Record<StreamContender, number>;
  firstChunkMs: Record<StreamContender, number>;
}

/**
 * Chunks per second and time to first chunk for a local server sending `count` chunks at once; each
 * contender reads in a worker thread of its own, one at a time, in interleaved rounds.
 */
export async function streamThroughput(count: number, quick: boolean): Promise<StreamResult> {
  const server = await startServer(sseBody(count), "text/event-stream");
  const workers = startContenderWorkers<StreamContender>(["raw fetch", "openai", "ours"], server.url);
  try {
    const rounds = quick ? 1 : 9;
    const first: Record<StreamContender, number[]> = { "raw fetch": [], openai: [], ours: [] };
    const measure = (name: StreamContender) => async () => {
      const { perSecond, firstMs } = await workers.sample<{ perSecond: number; firstMs: number }>(name, { op: "stream", count });
      first[name].push(firstMs);
      return perSecond;
    };
    // Warm-up: each contender's stream code reaches steady state (the JIT) before it is measured.
    for (let i = 0; i < (quick ? 1 : 5); i++) for (const name of Object.keys(first) as StreamContender[]) await measure(name)();
    for (const list of Object.values(first)) list.length = 0;
    const chunksPerSecond = await interleaved(
      { "raw fetch": measure("raw fetch"), openai: measure("openai"), ours: measure("ours") },
      rounds,
    );
    return {
      chunks: count,
      chunksPerSecond,
      firstChunkMs: { "raw fetch": median(first["raw fetch"]), openai: median(first.openai), ours: median(first.ours) },
    };
  } finally {
    await workers.close();
    await server.close();
  }
}
