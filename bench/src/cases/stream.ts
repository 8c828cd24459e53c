import { contenders } from "../contenders";
import { sseBody } from "../fixtures";
import { interleaved, median } from "../stats";
import { startServer } from "./servers";

type StreamContender = "raw fetch" | "openai" | "ours";

export interface StreamResult {
  chunks: number;
  chunksPerSecond: Record<StreamContender, number>;
  firstChunkMs: Record<StreamContender, number>;
}

/** Chunks per second and time to first chunk for a local server sending `count` chunks at once. */
export async function streamThroughput(count: number, quick: boolean): Promise<StreamResult> {
  const server = await startServer(sseBody(count), "text/event-stream");
  try {
    const all = contenders(server.url);
    const rounds = quick ? 1 : 5;
    const first: Record<StreamContender, number[]> = { "raw fetch": [], openai: [], ours: [] };
    const measure = (name: StreamContender) => async () => {
      const start = performance.now();
      let firstAt = 0;
      const got = await all[name].stream(() => {
        if (!firstAt) firstAt = performance.now();
      });
      const elapsed = performance.now() - start;
      if (got !== count) throw new Error(`${name} read ${got} of ${count} chunks`);
      first[name].push(firstAt - start);
      return (count / elapsed) * 1000;
    };
    for (const name of Object.keys(first) as StreamContender[]) await measure(name)();
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
    await server.close();
  }
}
