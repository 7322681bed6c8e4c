// The query sets the search benchmark runs, each with its exact answers: unfiltered, and filtered
// to the 1% collection through the collection_name column or through the rows' metadata.
import { collectionSizes, type Dataset, vectorAt } from './dataset.js';
import { exactTopK, type Neighbor } from './ground-truth.js';
import type { CollectionFilter, SearchQuery } from './search-systems.js';

export interface Workload {
  readonly name: 'unfiltered' | 'collection column' | 'metadata';
  readonly queries: readonly SearchQuery[];
  /** Exact top k of each query among the rows it may return. */
  readonly truth: readonly (readonly Neighbor[])[];
  /** Rows a query may return: the table, or the filtered collection. */
  readonly available: number;
  readonly include: (row: number) => boolean;
}

export interface Workloads {
  readonly unfiltered: Workload;
  readonly byColumn: Workload;
  readonly byMetadata: Workload;
  /** The 1% collection the filtered workloads search. */
  readonly collection: string;
}

/** Builds the workloads and computes their ground truth by brute force (the slow part). */
export function makeWorkloads(dataset: Dataset, k: number): Workloads {
  const smallest = dataset.collectionNames.length - 1;
  const collection = dataset.collectionNames[smallest]!;
  const vectors = Array.from({ length: dataset.queryCount }, (_, index) =>
    vectorAt(dataset.queries, dataset.dimensions, index),
  );
  const inCollection = (row: number) => dataset.collectionOf[row] === smallest;
  const search = { vectors: dataset.vectors, dimensions: dataset.dimensions, k };
  const unfilteredTruth = vectors.map((query) => exactTopK({ ...search, query }));
  const filteredTruth = vectors.map((query) => exactTopK({ ...search, query, include: inCollection }));
  const filtered = (name: Workload['name'], via: CollectionFilter['via']): Workload => ({
    name,
    queries: vectors.map((vector) => ({ vector, filter: { collection, via } })),
    truth: filteredTruth,
    available: collectionSizes(dataset.rows)[smallest]!,
    include: inCollection,
  });
  return {
    collection,
    unfiltered: {
      name: 'unfiltered',
      queries: vectors.map((vector) => ({ vector })),
      truth: unfilteredTruth,
      available: dataset.rows,
      include: () => true,
    },
    byColumn: filtered('collection column', 'column'),
    byMetadata: filtered('metadata', 'metadata'),
  };
}
