// Completeness: did a search return as many rows as it was asked for, when that many exist?
// A filtered HNSW scan can stop with fewer (its candidate list ran out before enough rows matched);
// recall alone hides this when few rows are expected.

export interface ResultCount {
  /** Rows the search returned. */
  readonly returned: number;
  /** Rows that match the query's filter (the whole table when unfiltered). */
  readonly available: number;
}

/** True when the search returned min(k, available) rows or more. */
export function isComplete(count: ResultCount, k: number): boolean {
  return count.returned >= Math.min(k, count.available);
}

/** Fraction of queries that were complete (NaN for no queries). */
export function completeness(counts: readonly ResultCount[], k: number): number {
  if (counts.length === 0) return Number.NaN;
  return counts.filter((count) => isComplete(count, k)).length / counts.length;
}
