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

/** Runs each named contender in turn for every round (interleaved, so drift hits all alike) and keeps the median. */
export async function interleaved<K extends string>(
  contenders: Record<K, () => Promise<number>>,
  rounds: number,
): Promise<Record<K, number>> {
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (const key of Object.keys(contenders) as K[]) samples[key].push(await contenders[key]());
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v as number[])])) as Record<K, number>;
}

/** The same record with each value transformed (keeps the keys, and their order). */
export function mapValues<K extends string, V, R>(record: Record<K, V>, fn: (value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v as V)])) as Record<K, R>;
}
