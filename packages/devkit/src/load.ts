/**
 * Timeouts that follow the machine's load. A CI runner shared with other jobs can be several times
 * slower than an idle one; a constant timeout is then either too tight there or uselessly loose
 * here. A short, fixed piece of CPU work is timed against what it takes on an idle machine of the
 * kind CI uses, and timeouts around slow work are scaled by the ratio. Where the timing is itself
 * what a test checks, measure that operation's own baseline with {@link baselineMs} instead.
 */
import { createHash } from "node:crypto";

/** Carries the factor from the run's global setup to its workers and child processes. */
export const LOAD_FACTOR_ENV = "AIMLAPI_LOAD_FACTOR";

/** What {@link calibrate} takes on an idle 2-core CI machine (Node 20), in ms. */
const IDLE_CALIBRATION_MS = 40;

/** A fixed mix of what tests do (JSON, hashing, allocation), about 40 ms on an idle machine. */
function calibrate(): number {
  const started = performance.now();
  const doc = {
    items: Array.from({ length: 2_000 }, (_, i) => ({ id: `item-${i}`, values: [i, i * 2, i * 3], ok: i % 2 === 0 })),
  };
  let digest = "";
  for (let round = 0; round < 12; round++) {
    const text = JSON.stringify(doc);
    digest = createHash("sha256").update(text).update(digest).digest("hex");
    (JSON.parse(text) as typeof doc).items.sort((a, b) => b.id.localeCompare(a.id));
  }
  if (digest.length !== 64) throw new Error("unreachable");
  return performance.now() - started;
}

/** How many times slower than idle this machine is now (≥ 1, at most 20): the median of five calibrations. */
export function measureLoadFactor(): number {
  calibrate(); // warm the JIT
  const runs = Array.from({ length: 5 }, calibrate).sort((a, b) => a - b);
  const median = runs[2] as number;
  return Math.min(20, Math.max(1, Math.round((median / IDLE_CALIBRATION_MS) * 10) / 10));
}

/** The load factor of this run (measured by the global setup), or measured now. */
export function loadFactor(): number {
  const given = Number(process.env[LOAD_FACTOR_ENV]);
  if (Number.isFinite(given) && given >= 1) return given;
  const measured = measureLoadFactor();
  process.env[LOAD_FACTOR_ENV] = String(measured);
  return measured;
}

/**
 * A timeout for work that takes up to `idleMs` on an idle machine: scaled by the load factor, with
 * room for the load to grow during the run (a second job starting beside this one).
 */
export function scaledTimeout(idleMs: number): number {
  return Math.round(idleMs * Math.max(2, loadFactor() * 2));
}

/** How long `operation` takes right now: the slowest of `runs` tries, in ms (for timing-relative tests). */
export async function baselineMs(operation: () => Promise<unknown>, runs = 3): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await operation();
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}
