// Checks of a search's options against its namespace, shared by every search mode.
import { invalidArgument, requireText } from './db-errors.js';
import { assertValidVector } from './embedding-vector.js';
import { VARCHAR_LIMITS } from './namespace-table.js';
import type { NamespaceRecord } from './registry-types.js';
import type { SearchOptions } from './vector-store-types.js';

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 1000;

/** The query vector, checked against the namespace's dimensions and storage. */
export function validateVector(record: NamespaceRecord, vector: SearchOptions['vector']) {
  return assertValidVector({
    vector,
    dimensions: record.dimensions,
    storage: record.storage,
    namespace: record.namespace,
    label: 'vector',
  });
}

/** The options every search mode shares, besides the vector. */
export function validateSearchScope(options: Omit<SearchOptions, 'namespace' | 'vector'>) {
  const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw invalidArgument('limit', `must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`, limit);
  }
  if (options.exact !== undefined && typeof options.exact !== 'boolean') {
    throw invalidArgument('exact', 'must be true or false', options.exact);
  }
  const threshold = options.threshold;
  if (threshold !== undefined && (typeof threshold !== 'number' || !(threshold >= -1 && threshold <= 1))) {
    throw invalidArgument('threshold', 'must be a cosine similarity from -1 to 1', threshold);
  }
  const collectionName =
    options.collectionName === undefined
      ? undefined
      : requireText('collectionName', options.collectionName, VARCHAR_LIMITS.collection_name as number);
  const exactCutoff = options.exactCutoff;
  if (exactCutoff !== undefined && (!Number.isInteger(exactCutoff) || exactCutoff < 0)) {
    throw invalidArgument('exactCutoff', 'must be a whole number of rows ≥ 0', exactCutoff);
  }
  return { limit, threshold, collectionName, exactCutoff };
}
