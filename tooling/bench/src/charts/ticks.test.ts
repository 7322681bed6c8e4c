import { describe, expect, it } from 'vitest';
import { niceTicks } from './ticks.js';

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 10, 5).values).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.83, 1, 4)).toEqual({ min: 0.8, max: 1, values: [0.8, 0.85, 0.9, 0.95, 1] });
    expect(niceTicks(3, 97, 5).values).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('starts at or below the minimum and ends at or above the maximum', () => {
    const ticks = niceTicks(1.3, 7.9, 6);
    expect(ticks.min).toBeLessThanOrEqual(1.3);
    expect(ticks.max).toBeGreaterThanOrEqual(7.9);
  });

  it('widens an empty range and rejects a non-finite one', () => {
    const ticks = niceTicks(5, 5);
    expect(ticks.min).toBeLessThan(5);
    expect(ticks.max).toBeGreaterThan(5);
    expect(() => niceTicks(0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
