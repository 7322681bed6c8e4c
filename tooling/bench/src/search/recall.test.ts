import { describe, expect, it } from 'vitest';
import { recallAtK } from './recall.js';

const expected = [
  { index: 4, similarity: 0.9 },
  { index: 7, similarity: 0.8 },
  { index: 1, similarity: 0.7 },
  { index: 9, similarity: 0.6 },
];

describe('recallAtK', () => {
  it('is 1 when the exact top k came back, in any order', () => {
    expect(recallAtK({ expected, retrieved: [9, 1, 7, 4], k: 4 })).toBe(1);
  });

  it('counts the share of the exact top k that came back', () => {
    expect(recallAtK({ expected, retrieved: [4, 2, 7, 3], k: 4 })).toBe(0.5);
    expect(recallAtK({ expected, retrieved: [], k: 4 })).toBe(0);
  });

  it('counts a repeated row once and ignores rows past k', () => {
    expect(recallAtK({ expected, retrieved: [4, 4, 4, 4, 7, 1, 9], k: 4 })).toBe(0.25);
  });

  it('divides by the rows that exist when fewer than k match', () => {
    expect(recallAtK({ expected: expected.slice(0, 2), retrieved: [4, 3, 5], k: 4 })).toBe(0.5);
    expect(recallAtK({ expected: [], retrieved: [], k: 4 })).toBe(1);
  });

  it('accepts a row tied with the k-th when similarities are given', () => {
    const similarities = new Map([
      [4, 0.9],
      [7, 0.8],
      [1, 0.7],
      [9, 0.6],
      [12, 0.6 - 1e-9],
      [13, 0.5],
    ]);
    const similarityOf = (index: number) => similarities.get(index) ?? -1;
    expect(recallAtK({ expected, retrieved: [4, 7, 1, 12], k: 4, similarityOf })).toBe(1);
    expect(recallAtK({ expected, retrieved: [4, 7, 1, 13], k: 4, similarityOf })).toBe(0.75);
    expect(recallAtK({ expected, retrieved: [4, 7, 1, 13], k: 4, similarityOf, tolerance: 0.2 })).toBe(1);
  });
});
