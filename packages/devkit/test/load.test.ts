import { describe, expect, test } from "vitest";
import { baselineMs, LOAD_FACTOR_ENV, loadFactor, measureLoadFactor, scaledTimeout } from "../src/load";

describe("load-scaled timeouts", () => {
  test("the run's factor is measured once and shared with the workers", () => {
    expect(Number(process.env[LOAD_FACTOR_ENV])).toBeGreaterThanOrEqual(1);
    expect(loadFactor()).toBe(Number(process.env[LOAD_FACTOR_ENV]));
  });

  test("a factor is at least 1 and at most 20", () => {
    const factor = measureLoadFactor();
    expect(factor).toBeGreaterThanOrEqual(1);
    expect(factor).toBeLessThanOrEqual(20);
  });

  test("a scaled timeout leaves at least twice the idle time, and grows with the factor", () => {
    const saved = process.env[LOAD_FACTOR_ENV];
    try {
      process.env[LOAD_FACTOR_ENV] = "1";
      expect(scaledTimeout(1_000)).toBe(2_000);
      process.env[LOAD_FACTOR_ENV] = "3";
      expect(scaledTimeout(1_000)).toBe(6_000);
    } finally {
      process.env[LOAD_FACTOR_ENV] = saved;
    }
  });

  test("a baseline is the slowest of its runs", async () => {
    let n = 0;
    const ms = await baselineMs(() => new Promise((resolve) => setTimeout(resolve, ++n === 2 ? 40 : 1)));
    expect(n).toBe(3);
    expect(ms).toBeGreaterThanOrEqual(35);
  });
});
