import { createSeededRandom } from '@dynamic-embeddings/testing';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, exactTopK } from './ground-truth.js';

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite, regardless of length', () => {
    expect(cosineSimilarity([1, 0], [3, 0])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 2])).toBeCloseTo(0);
    expect(cosineSimilarity([1, 1], [-2, -2])).toBeCloseTo(-1);
    expect(cosineSimilarity([1, 2, 3], [4, 5, 6])).toBeCloseTo(32 / (Math.sqrt(14) * Math.sqrt(77)));
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });
});

describe('exactTopK', () => {
  // Four 2-D rows at known angles from the query (1, 0).
  const vectors = new Float32Array([0, 1, 1, 0, -1, 0, 1, 1]);

  it('orders rows by cosine similarity, most similar first, ignoring vector length', () => {
    const top = exactTopK({ vectors, dimensions: 2, query: [5, 0], k: 3 });
    expect(top.map((neighbor) => neighbor.index)).toEqual([1, 3, 0]);
    expect(top[0]!.similarity).toBeCloseTo(1);
    expect(top[1]!.similarity).toBeCloseTo(Math.SQRT1_2);
    expect(top[2]!.similarity).toBeCloseTo(0);
  });

  it('returns fewer than k when fewer rows pass the filter', () => {
    const top = exactTopK({ vectors, dimensions: 2, query: [1, 0], k: 3, include: (row) => row % 2 === 0 });
    expect(top.map((neighbor) => neighbor.index)).toEqual([0, 2]);
  });

  it('agrees with sorting every row by similarity', () => {
    const random = createSeededRandom(9);
    const dimensions = 16;
    const rows = 500;
    const data = Float32Array.from({ length: rows * dimensions }, () => random.gaussian());
    const query = Array.from({ length: dimensions }, () => random.gaussian());
    const sorted = [...Array(rows).keys()]
      .map((row) => ({
        index: row,
        similarity: cosineSimilarity(query, data.subarray(row * dimensions, (row + 1) * dimensions)),
      }))
      .sort((a, b) => b.similarity - a.similarity);
    const top = exactTopK({ vectors: data, dimensions, query, k: 10 });
    expect(top.map((neighbor) => neighbor.index)).toEqual(
      sorted.slice(0, 10).map((neighbor) => neighbor.index),
    );
    top.forEach((neighbor, rank) => {
      expect(neighbor.similarity).toBeCloseTo(sorted[rank]!.similarity, 12);
    });
  });

  it('rejects a query of the wrong length', () => {
    expect(() => exactTopK({ vectors, dimensions: 2, query: [1, 0, 0], k: 1 })).toThrow(RangeError);
  });
});
