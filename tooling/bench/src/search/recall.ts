// recall@k: how much of the exact top k an approximate search returned.
import type { Neighbor } from './ground-truth.js';

export interface RecallOptions {
  /** The exact top k for the query (see exactTopK), most similar first. */
  readonly expected: readonly Neighbor[];
  /** Row indexes the system returned, in its order; only the first k count. */
  readonly retrieved: readonly number[];
  readonly k: number;
  /**
   * The exact similarity of any row to the query. When given, a returned row that is not in
   * `expected` still counts if it is as similar as the k-th expected row (within `tolerance`):
   * with near-ties at the k-th place, which of the tied rows is "the" answer is arbitrary, and
   * the database's float32 arithmetic may break the tie differently from ours.
   */
  readonly similarityOf?: (index: number) => number;
  /** Default 1e-6. */
  readonly tolerance?: number;
}

/**
 * Distinct returned rows among the first k that belong to the exact top k, divided by how many
 * the exact top k holds (k, or fewer when fewer rows match). 1 when there is nothing to find.
 */
export function recallAtK(options: RecallOptions): number {
  const { expected, retrieved, k, similarityOf, tolerance = 1e-6 } = options;
  const truth = expected.slice(0, k);
  if (truth.length === 0) return 1;
  const truthIndexes = new Set(truth.map((neighbor) => neighbor.index));
  const threshold = truth[truth.length - 1]!.similarity - tolerance;
  const counted = new Set<number>();
  for (const index of retrieved.slice(0, k)) {
    if (counted.has(index)) continue;
    const correct =
      truthIndexes.has(index) ||
      (similarityOf !== undefined && truth.length === k && similarityOf(index) >= threshold);
    if (correct) counted.add(index);
  }
  return Math.min(1, counted.size / truth.length);
}
