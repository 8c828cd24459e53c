import { type ContenderName, contenders } from "../contenders";
import { completionText } from "../fixtures";
import { callsPerSecond, interleaved, mapValues } from "../stats";

/**
 * Client machinery only: `fetch` is a stub returning a canned completion (as openapi-fetch's own
 * benchmark does), so the figure is calls per second of building, sending and parsing.
 */
export async function perCallOverhead(quick: boolean): Promise<Record<ContenderName, number>> {
  const stub: typeof fetch = async () =>
    new Response(completionText, { status: 200, headers: { "content-type": "application/json" } });
  const all = contenders("https://api.aimlapi.com", stub);
  const iterations = quick ? 500 : 20_000;
  for (const c of Object.values(all)) await callsPerSecond(() => c.json(), quick ? 100 : 5_000);
  return interleaved(
    mapValues(all, (c) => () => callsPerSecond(() => c.json(), iterations)),
    quick ? 1 : 5,
  );
}
