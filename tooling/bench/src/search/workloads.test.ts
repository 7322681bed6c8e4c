import { describe, expect, it } from 'vitest';
import { generateDataset } from './dataset.js';
import { makeWorkloads } from './workloads.js';

describe('makeWorkloads', () => {
  const dataset = generateDataset({ rows: 1000, dimensions: 16, queries: 4, seed: 2 });
  const workloads = makeWorkloads(dataset, 10);

  it('filters to the 1% collection, by column and by metadata, with the same answers', () => {
    expect(workloads.collection).toBe('collection_9');
    expect(workloads.byColumn.available).toBe(10);
    expect(workloads.byColumn.queries[0]!.filter).toEqual({ collection: 'collection_9', via: 'column' });
    expect(workloads.byMetadata.queries[0]!.filter).toEqual({ collection: 'collection_9', via: 'metadata' });
    expect(workloads.byMetadata.truth).toBe(workloads.byColumn.truth);
  });

  it('takes filtered answers only from the collection, and unfiltered ones from anywhere', () => {
    for (const truth of workloads.byColumn.truth) {
      expect(truth).toHaveLength(10);
      for (const neighbor of truth) expect(dataset.collectionOf[neighbor.index]).toBe(9);
    }
    expect(workloads.unfiltered.available).toBe(1000);
    expect(workloads.unfiltered.queries[0]!.filter).toBeUndefined();
    const unfilteredCollections = new Set(
      workloads.unfiltered.truth.flat().map((n) => dataset.collectionOf[n.index]),
    );
    expect(unfilteredCollections.size).toBeGreaterThan(1);
  });
});
