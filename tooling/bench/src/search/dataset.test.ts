import { describe, expect, it } from 'vitest';
import { COLLECTION_SHARES, collectionSizes, generateDataset, vectorAt } from './dataset.js';
import { cosineSimilarity, exactTopK } from './ground-truth.js';

describe('collectionSizes', () => {
  it('sums to the row count and gives the smallest collection 1%', () => {
    for (const rows of [10, 997, 10_000, 50_000]) {
      const sizes = collectionSizes(rows);
      expect(sizes).toHaveLength(COLLECTION_SHARES.length);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(rows);
    }
    const sizes = collectionSizes(10_000);
    expect(sizes[sizes.length - 1]).toBe(100);
    expect(sizes[0]).toBe(3000);
  });

  it('rounds by largest remainder', () => {
    expect(collectionSizes(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });
});

describe('generateDataset', () => {
  const dataset = generateDataset({ rows: 2000, dimensions: 32, queries: 5, seed: 11 });

  it('is deterministic for a seed', () => {
    const again = generateDataset({ rows: 2000, dimensions: 32, queries: 5, seed: 11 });
    const other = generateDataset({ rows: 2000, dimensions: 32, queries: 5, seed: 12 });
    expect(again.vectors).toEqual(dataset.vectors);
    expect(again.collectionOf).toEqual(dataset.collectionOf);
    expect(again.queries).toEqual(dataset.queries);
    expect(other.vectors).not.toEqual(dataset.vectors);
  });

  it('produces unit vectors of the requested shape', () => {
    expect(dataset.vectors).toHaveLength(2000 * 32);
    expect(dataset.queries).toHaveLength(5 * 32);
    for (const row of [0, 999, 1999]) {
      const vector = vectorAt(dataset.vectors, 32, row);
      const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
      expect(norm).toBeCloseTo(1, 5);
    }
  });

  it('assigns collections with the skewed sizes, scattered over rows', () => {
    const counts = new Array<number>(dataset.collectionNames.length).fill(0);
    for (const collection of dataset.collectionOf) counts[collection] = (counts[collection] ?? 0) + 1;
    expect(counts).toEqual(collectionSizes(2000));
    const smallest = dataset.collectionNames.length - 1;
    const rows = [...dataset.collectionOf.keys()].filter((row) => dataset.collectionOf[row] === smallest);
    expect(rows).toHaveLength(20);
    // Not one contiguous block: the members are spread over the table.
    expect(rows[rows.length - 1]! - rows[0]!).toBeGreaterThan(1000);
  });

  it('clusters: each query has near rows far more similar than chance', () => {
    // For unclustered unit vectors in 128 dimensions the best of 2000 rows scores about 0.3 and a
    // typical row about 0; here every query should find rows well above that.
    const clustered = generateDataset({ rows: 2000, dimensions: 128, queries: 20, seed: 3 });
    let bestTotal = 0;
    for (let query = 0; query < clustered.queryCount; query += 1) {
      const vector = vectorAt(clustered.queries, 128, query);
      const [best] = exactTopK({ vectors: clustered.vectors, dimensions: 128, query: vector, k: 1 });
      bestTotal += best!.similarity;
      let typical = 0;
      for (let row = 0; row < clustered.rows; row += 1)
        typical += cosineSimilarity(vector, vectorAt(clustered.vectors, 128, row)) / clustered.rows;
      expect(Math.abs(typical)).toBeLessThan(0.05);
    }
    expect(bestTotal / clustered.queryCount).toBeGreaterThan(0.5);
  });

  it('ranks the rows by a random permutation', () => {
    expect([...dataset.ranks].sort((a, b) => a - b)).toEqual([...Array(2000).keys()]);
    expect(dataset.ranks.slice(0, 5)).not.toEqual(Uint32Array.from([0, 1, 2, 3, 4]));
  });

  it('skewed: unit vectors, concentrated in a few large clusters unlike the mixture', () => {
    const options = { rows: 2000, dimensions: 64, queries: 3, seed: 5 } as const;
    const mixture = generateDataset(options);
    const skewed = generateDataset({ ...options, shape: 'skewed' });
    const meanNorm = (vectors: Float32Array) => {
      const mean = new Float64Array(64);
      for (let index = 0; index < vectors.length; index += 1) mean[index % 64]! += vectors[index]! / 2000;
      return Math.sqrt(mean.reduce((sum, value) => sum + value * value, 0));
    };
    const norm = Math.sqrt(vectorAt(skewed.vectors, 64, 7).reduce((sum, value) => sum + value * value, 0));
    expect(norm).toBeCloseTo(1, 5);
    // Zipf-sized clusters: the largest holds ~15% of the rows, so their mean points somewhere;
    // equal-sized clusters with random centers average out.
    expect(meanNorm(skewed.vectors)).toBeGreaterThan(2 * meanNorm(mixture.vectors));
  });

  it('rejects sizes it cannot split over the collections', () => {
    expect(() => generateDataset({ rows: 5, dimensions: 8, queries: 1 })).toThrow(RangeError);
    expect(() => generateDataset({ rows: 100, dimensions: 1, queries: 1 })).toThrow(RangeError);
  });
});
