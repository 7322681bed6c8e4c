import { describe, expect, it } from 'vitest';
import { FeatureCounts } from './feature-counts.js';

function entries(counts: FeatureCounts): [number, number][] {
  const seen: [number, number][] = [];
  counts.forEach((hash, count) => {
    seen.push([hash, count]);
  });
  return seen;
}

describe('FeatureCounts', () => {
  it('counts equal hashes and visits them in order of first occurrence', () => {
    const counts = new FeatureCounts();
    for (const hash of [7, 0, 0xffffffff, 7, 0, 7]) counts.add(hash);
    expect(entries(counts)).toEqual([
      [7, 3],
      [0, 2],
      [0xffffffff, 1],
    ]);
  });

  it('keeps counts and order while growing past its first table', () => {
    const counts = new FeatureCounts();
    // Multiples of 2^22 collide in the starting slot, exercising the probing as well.
    const hashes = Array.from({ length: 5_000 }, (_, index) => (index * 4_194_304 + (index >> 10)) >>> 0);
    for (const hash of hashes) counts.add(hash);
    for (const hash of hashes.slice(0, 100)) counts.add(hash);
    const seen = entries(counts);
    expect(seen.map(([hash]) => hash)).toEqual(hashes);
    expect(seen.map(([, count]) => count)).toEqual(hashes.map((_, index) => (index < 100 ? 2 : 1)));
  });

  it('starts empty again after clear', () => {
    const counts = new FeatureCounts();
    counts.add(1);
    counts.add(2);
    counts.clear();
    counts.add(2);
    expect(counts.size).toBe(1);
    expect(entries(counts)).toEqual([[2, 1]]);
  });
});
