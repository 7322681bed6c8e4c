// Reciprocal Rank Fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each leg contributes
// weight / (k + rank) for every row it ranks, so fusion needs only ranks — cosine similarities and
// ts_rank_cd scores live on different scales and are never compared.

/** The k of RRF: 60, as in the paper and in most engines that fuse by rank. */
export const DEFAULT_RRF_K = 60;

/** How much each leg's ranks count (default 1 each). */
export interface FusionWeights {
  readonly vector: number;
  readonly keyword: number;
}

export const DEFAULT_FUSION_WEIGHTS: FusionWeights = { vector: 1, keyword: 1 };

/** A row's place after fusion: its RRF score and its 1-based rank in each leg that returned it. */
export interface FusedRank {
  readonly id: number;
  readonly score: number;
  readonly vector_rank?: number;
  readonly keyword_rank?: number;
}

/**
 * Fuses two rankings (row ids, best first) into one, best first. Equal scores are broken by the
 * keyword rank, then the vector rank, then the id: a keyword hit means the row contains every
 * query term, while a vector leg always returns its k nearest rows, related or not — so for an
 * identifier typed as the query, its row's keyword rank 1 wins over an unrelated vector rank 1.
 */
export function fuseRanks(options: {
  readonly vector: readonly number[];
  readonly keyword: readonly number[];
  readonly k?: number;
  readonly weights?: FusionWeights;
}): FusedRank[] {
  const k = options.k ?? DEFAULT_RRF_K;
  const weights = options.weights ?? DEFAULT_FUSION_WEIGHTS;
  const ranks = new Map<number, { vector_rank?: number; keyword_rank?: number }>();
  options.vector.forEach((id, index) => {
    ranks.set(id, { ...ranks.get(id), vector_rank: index + 1 });
  });
  options.keyword.forEach((id, index) => {
    ranks.set(id, { ...ranks.get(id), keyword_rank: index + 1 });
  });
  const fused = [...ranks].map(([id, rank]): FusedRank => {
    // Vector first, then keyword, for every row: the same sum in the same order, so equal rank
    // pairs give bit-identical scores and the tie-break decides.
    const vectorPart = rank.vector_rank === undefined ? 0 : weights.vector / (k + rank.vector_rank);
    const keywordPart = rank.keyword_rank === undefined ? 0 : weights.keyword / (k + rank.keyword_rank);
    return { id, score: vectorPart + keywordPart, ...rank };
  });
  const orInfinity = (rank: number | undefined) => rank ?? Number.POSITIVE_INFINITY;
  return fused.sort(
    (a, b) =>
      b.score - a.score ||
      orInfinity(a.keyword_rank) - orInfinity(b.keyword_rank) ||
      orInfinity(a.vector_rank) - orInfinity(b.vector_rank) ||
      a.id - b.id,
  );
}
