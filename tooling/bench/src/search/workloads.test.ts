import { describe, expect, it } from 'vitest';
import { collectionSizes, generateDataset } from './dataset.js';
import {
  crossingSizes,
  makeCrossingWorkloads,
  makeWorkloads,
  rowMetadata,
  WITHIN_LADDER,
  withinTag,
  withinTags,
} from './workloads.js';

describe('makeWorkloads', () => {
  const dataset = generateDataset({ rows: 1000, dimensions: 16, queries: 4, seed: 2 });
  const workloads = makeWorkloads(dataset, 10);

  it('filters on metadata to 1% and 20% of the rows, and on the collection column to 5%', () => {
    expect(workloads.metadata1).toMatchObject({ name: 'metadata 1%', available: 10 });
    expect(workloads.metadata20).toMatchObject({ name: 'metadata 20%', available: 200 });
    expect(workloads.column5).toMatchObject({ name: 'collection column 5%', available: 50 });
    expect(workloads.metadata1.queries[0]!.filter).toEqual({
      kind: 'metadata',
      metadata: { collection: 'collection_9' },
    });
    expect(workloads.column5.queries[0]!.filter).toEqual({ kind: 'column', collection: 'collection_6' });
    expect(collectionSizes(1000)[1]).toBe(200);
  });

  it('takes filtered answers only from the filter, and unfiltered ones from anywhere', () => {
    for (const truth of workloads.metadata20.truth) {
      expect(truth).toHaveLength(10);
      for (const neighbor of truth) expect(dataset.collectionOf[neighbor.index]).toBe(1);
    }
    expect(workloads.unfiltered.available).toBe(1000);
    expect(workloads.unfiltered.queries[0]!.filter).toBeUndefined();
    const unfilteredCollections = new Set(
      workloads.unfiltered.truth.flat().map((n) => dataset.collectionOf[n.index]),
    );
    expect(unfilteredCollections.size).toBeGreaterThan(1);
  });
});

describe('cutoff-crossing filters', () => {
  const dataset = generateDataset({ rows: 2000, dimensions: 8, queries: 6, seed: 3 });

  it('tags a row for every ladder size its rank falls below', () => {
    expect(withinTags(0, [250, 500])).toEqual(['n250', 'n500']);
    expect(withinTags(300, [250, 500])).toEqual(['n500']);
    expect(withinTags(500, [250, 500])).toEqual([]);
    expect(rowMetadata(dataset, 0, [250])).toEqual({
      collection: dataset.collectionNames[dataset.collectionOf[0]!],
      within: dataset.ranks[0]! < 250 ? ['n250'] : [],
    });
  });

  it('measures only sizes up to half the rows', () => {
    expect(crossingSizes(2000)).toEqual([250, 500, 1000]);
    expect(crossingSizes(50_000)).toEqual(WITHIN_LADDER.filter((size) => size <= 32_000));
  });

  it('matches exactly `size` rows per filter, and answers from them only', () => {
    const [small, large] = makeCrossingWorkloads({ dataset, k: 10, sizes: [250, 1000], queries: 3 });
    expect(small!.queries).toHaveLength(3);
    expect(small!.queries[0]!.filter).toEqual({ kind: 'metadata', metadata: { within: [withinTag(250)] } });
    const matching = (size: number) =>
      Array.from({ length: dataset.rows }, (_, row) => row).filter((row) =>
        withinTags(dataset.ranks[row]!, [size]).includes(withinTag(size)),
      ).length;
    expect(matching(250)).toBe(250);
    expect(matching(1000)).toBe(1000);
    expect(large!.available).toBe(1000);
    for (const neighbor of small!.truth.flat()) expect(dataset.ranks[neighbor.index]).toBeLessThan(250);
  });
});
