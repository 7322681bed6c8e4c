// The query sets the search benchmark runs, each with its exact answers: unfiltered; metadata
// filters matching 1% and 20% of the rows; the collection_name column filter (5%); and, for the
// cutoff-crossing section, metadata filters matching a chosen number of rows around the exact cutoff.
import { collectionSizes, type Dataset, vectorAt } from './dataset.js';
import { exactTopK, type Neighbor } from './ground-truth.js';
import type { SearchFilter, SearchQuery } from './search-systems.js';

export type WorkloadKey = 'unfiltered' | 'metadata1' | 'metadata20' | 'column5';

export interface Workload {
  readonly key: WorkloadKey | `within${number}`;
  /** As the report shows it, e.g. `metadata 1%`. */
  readonly name: string;
  readonly queries: readonly SearchQuery[];
  /** Exact top k of each query among the rows it may return. */
  readonly truth: readonly (readonly Neighbor[])[];
  /** Rows a query may return: the table, or those passing the filter. */
  readonly available: number;
  readonly include: (row: number) => boolean;
}

/** Collections by index in COLLECTION_SHARES: 20%, 5% and 1% of the rows. */
const COLLECTION_20 = 1;
const COLLECTION_5 = 6;
const COLLECTION_1 = 9;

/** The tag a row carries in `metadata.within` when its rank is below `size`. */
export function withinTag(size: number): string {
  return `n${size}`;
}

/** Tags of a row of rank `rank`: one per size it falls within, so `{"within": [tag]}` matches `size` rows. */
export function withinTags(rank: number, sizes: readonly number[]): string[] {
  return sizes.filter((size) => rank < size).map(withinTag);
}

/** The metadata the benchmark stores with a row (ours; LangChain's carries the collection only). */
export function rowMetadata(
  dataset: Dataset,
  row: number,
  withinSizes: readonly number[],
): Record<string, unknown> {
  return {
    collection: dataset.collectionNames[dataset.collectionOf[row]!]!,
    within: withinTags(dataset.ranks[row]!, withinSizes),
  };
}

function queryVectors(dataset: Dataset, count: number): Float32Array[] {
  return Array.from({ length: Math.min(count, dataset.queryCount) }, (_, index) =>
    vectorAt(dataset.queries, dataset.dimensions, index),
  );
}

function workload(options: {
  readonly dataset: Dataset;
  readonly k: number;
  readonly key: Workload['key'];
  readonly name: string;
  readonly vectors: readonly Float32Array[];
  readonly filter: SearchFilter | undefined;
  readonly include: (row: number) => boolean;
  readonly available: number;
}): Workload {
  const { dataset, k, vectors, filter, include } = options;
  const search = { vectors: dataset.vectors, dimensions: dataset.dimensions, k };
  return {
    key: options.key,
    name: options.name,
    queries: vectors.map((vector) => (filter === undefined ? { vector } : { vector, filter })),
    truth: vectors.map((query) =>
      exactTopK({ ...search, query, ...(filter === undefined ? {} : { include }) }),
    ),
    available: options.available,
    include,
  };
}

/** The four main workloads, with their ground truth by brute force (the slow part). */
export function makeWorkloads(dataset: Dataset, k: number): Record<WorkloadKey, Workload> {
  const vectors = queryVectors(dataset, dataset.queryCount);
  const sizes = collectionSizes(dataset.rows);
  const byCollection = (index: number, key: WorkloadKey, via: 'column' | 'metadata'): Workload => {
    const collection = dataset.collectionNames[index]!;
    const share = Math.round((sizes[index]! / dataset.rows) * 100);
    return workload({
      dataset,
      k,
      key,
      name: via === 'column' ? `collection column ${share}%` : `metadata ${share}%`,
      vectors,
      filter:
        via === 'column' ? { kind: 'column', collection } : { kind: 'metadata', metadata: { collection } },
      include: (row) => dataset.collectionOf[row] === index,
      available: sizes[index]!,
    });
  };
  return {
    unfiltered: workload({
      dataset,
      k,
      key: 'unfiltered',
      name: 'unfiltered',
      vectors,
      filter: undefined,
      include: () => true,
      available: dataset.rows,
    }),
    metadata1: byCollection(COLLECTION_1, 'metadata1', 'metadata'),
    metadata20: byCollection(COLLECTION_20, 'metadata20', 'metadata'),
    column5: byCollection(COLLECTION_5, 'column5', 'column'),
  };
}

/** Filter sizes the rows are tagged for: a doubling ladder, fixed so tables load the same whatever the cutoff. */
export const WITHIN_LADDER: readonly number[] = [250, 500, 1000, 2000, 4000, 8000, 16_000, 32_000];

/**
 * Filter sizes for the cutoff-crossing section: the ladder up to two thirds of the rows. The
 * recall-aware cutoff can keep filters of a third of the table exact, so the section needs sizes
 * above it to show the ANN side's recall where the planner uses it.
 */
export function crossingSizes(rows: number, ladder: readonly number[] = WITHIN_LADDER): number[] {
  return ladder.filter((size) => size <= (rows * 2) / 3);
}

/** One workload per size: `{"within": [tag]}` matches exactly the `size` rows of lowest rank. */
export function makeCrossingWorkloads(options: {
  readonly dataset: Dataset;
  readonly k: number;
  readonly sizes: readonly number[];
  readonly queries: number;
}): Workload[] {
  const { dataset, k } = options;
  const vectors = queryVectors(dataset, options.queries);
  return options.sizes.map((size) =>
    workload({
      dataset,
      k,
      key: `within${size}`,
      name: `${size} rows`,
      vectors,
      filter: { kind: 'metadata', metadata: { within: [withinTag(size)] } },
      include: (row) => dataset.ranks[row]! < size,
      available: size,
    }),
  );
}
