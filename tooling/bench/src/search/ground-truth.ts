// Exact nearest neighbours by brute force: the answer every approximate search is graded against.

/** A row of the data set and its cosine similarity to the query. */
export interface Neighbor {
  readonly index: number;
  readonly similarity: number;
}

/** Cosine similarity of two equal-length vectors (0 when either is all zeros). */
export function cosineSimilarity(left: ArrayLike<number>, right: ArrayLike<number>): number {
  let dot = 0;
  let leftSquared = 0;
  let rightSquared = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftSquared += a * a;
    rightSquared += b * b;
  }
  const norms = Math.sqrt(leftSquared) * Math.sqrt(rightSquared);
  return norms === 0 ? 0 : dot / norms;
}

export interface ExactTopKOptions {
  /** Row-major `rows × dimensions`. */
  readonly vectors: Float32Array;
  readonly dimensions: number;
  readonly query: ArrayLike<number>;
  readonly k: number;
  /** Only rows for which this returns true are candidates (the filtered case). */
  readonly include?: (index: number) => boolean;
}

/**
 * The `k` rows most similar to the query by cosine similarity, most similar first; fewer when fewer
 * rows pass `include`. Ties keep the lower row index first. Sums run in double precision over the
 * stored float32 values, the same numbers the database holds.
 */
export function exactTopK(options: ExactTopKOptions): Neighbor[] {
  const { vectors, dimensions, query, k, include } = options;
  if (query.length !== dimensions)
    throw new RangeError(`query has ${query.length} dimensions, expected ${dimensions}`);
  const rows = Math.floor(vectors.length / dimensions);
  let querySquared = 0;
  for (let index = 0; index < dimensions; index += 1) querySquared += (query[index] ?? 0) ** 2;
  const queryNorm = Math.sqrt(querySquared);
  // Kept sorted by similarity, descending; k is small (10), so insertion beats a heap.
  const best: Neighbor[] = [];
  for (let row = 0; row < rows; row += 1) {
    if (include !== undefined && !include(row)) continue;
    const offset = row * dimensions;
    let dot = 0;
    let rowSquared = 0;
    for (let index = 0; index < dimensions; index += 1) {
      const value = vectors[offset + index] ?? 0;
      dot += value * (query[index] ?? 0);
      rowSquared += value * value;
    }
    const norms = queryNorm * Math.sqrt(rowSquared);
    const similarity = norms === 0 ? 0 : dot / norms;
    if (best.length === k && similarity <= best[k - 1]!.similarity) continue;
    let position = best.length;
    while (position > 0 && best[position - 1]!.similarity < similarity) position -= 1;
    best.splice(position, 0, { index: row, similarity });
    if (best.length > k) best.pop();
  }
  return best;
}
