import { describe, expect, it } from 'vitest';
import { percentile, runConcurrently, summarizeLatencies } from './latency.js';

describe('percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it('interpolates between the closest ranks', () => {
    expect(percentile(oneToHundred, 50)).toBeCloseTo(50.5);
    expect(percentile(oneToHundred, 95)).toBeCloseTo(95.05);
    expect(percentile(oneToHundred, 99)).toBeCloseTo(99.01);
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile(oneToHundred, 100)).toBe(100);
  });

  it('does not depend on input order and leaves the input alone', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(percentile(samples, 50)).toBe(3);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });

  it('is NaN without samples and rejects out-of-range percentiles', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarizeLatencies', () => {
  it('reports percentiles, mean and operations per second of wall time', () => {
    const summary = summarizeLatencies([10, 20, 30, 40], 50);
    expect(summary.count).toBe(4);
    expect(summary.p50).toBe(25);
    expect(summary.mean).toBe(25);
    expect(summary.qps).toBe(80);
  });
});

describe('runConcurrently', () => {
  it('returns results in input order and never exceeds the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const run = await runConcurrently({
      inputs: [1, 2, 3, 4, 5, 6, 7],
      concurrency: 3,
      operation: async (value) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        // Later inputs finish first, so order must come from the index, not from completion.
        await new Promise((resolve) => setTimeout(resolve, 8 - value));
        inFlight -= 1;
        return value * 10;
      },
    });
    expect(run.results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(run.latenciesMs).toHaveLength(7);
    expect(peak).toBe(3);
  });

  it('runs one at a time at concurrency 1', async () => {
    const order: string[] = [];
    await runConcurrently({
      inputs: ['a', 'b', 'c'],
      concurrency: 1,
      operation: async (value) => {
        order.push(`start ${value}`);
        await Promise.resolve();
        order.push(`end ${value}`);
      },
    });
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('rejects a concurrency below 1', async () => {
    await expect(runConcurrently({ inputs: [1], concurrency: 0, operation: async () => 1 })).rejects.toThrow(
      RangeError,
    );
  });
});
