/** Median of numbers (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Calls per second of `fn`, run `iterations` times in a row (after the caller's warm-up). */
export async function callsPerSecond(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (iterations / (performance.now() - start)) * 1000;
}

/**
 * Calls per second of CPU time (this process's user + system time) of `fn`, run `iterations` times
 * in a row: for work that never waits (a stub `fetch`), what the client costs, whatever else the
 * machine is busy with.
 */
export async function callsPerCpuSecond(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await fn();
  const used = process.cpuUsage(start);
  return iterations / ((used.user + used.system) / 1e6);
}

/**
 * Runs each named contender in turn for every round (interleaved, so drift hits all alike) and keeps
 * the median. Each round starts with a different contender, and each sample with a collected heap
 * (when `gc` is exposed, as `pnpm bench` runs it): otherwise the garbage one contender leaves is
 * collected during the next one's sample, and that one pays for it.
 */
export async function interleaved<K extends string>(
  contenders: Record<K, () => Promise<number>>,
  rounds: number,
): Promise<Record<K, number>> {
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  const keys = Object.keys(contenders) as K[];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[(i + r) % keys.length] as K;
      gc?.();
      samples[key].push(await contenders[key]());
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v as number[])])) as Record<K, number>;
}

/** The same record with each value transformed (keeps the keys, and their order). */
export function mapValues<K extends string, V, R>(record: Record<K, V>, fn: (value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v as V)])) as Record<K, R>;
}
