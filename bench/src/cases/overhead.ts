import type { ContenderName } from "../contenders";
import { interleaved } from "../stats";
import { startContenderWorkers } from "./workers";

const CONTENDERS: ContenderName[] = ["raw fetch", "raw fetch + timeout", "openapi-fetch", "openai", "ours"];

/**
 * Client machinery only: `fetch` is a stub returning a canned completion (as openapi-fetch's own
 * benchmark does), so the figure is calls per second of building, sending and parsing, counted in
 * CPU time so that other work on a shared machine does not blur it. Each contender runs in its own
 * worker thread, one at a time, in interleaved rounds.
 */
export async function perCallOverhead(quick: boolean): Promise<Record<ContenderName, number>> {
  const workers = startContenderWorkers(CONTENDERS);
  try {
    const iterations = quick ? 500 : 20_000;
    for (const name of CONTENDERS) await workers.sample(name, { op: "json", iterations: quick ? 100 : 5_000 });
    return await interleaved(
      Object.fromEntries(
        CONTENDERS.map((name) => [name, () => workers.sample<number>(name, { op: "json", iterations })]),
      ) as Record<ContenderName, () => Promise<number>>,
      quick ? 1 : 9,
    );
  } finally {
    await workers.close();
  }
}
